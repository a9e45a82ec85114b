package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"

	"grappe/migrations"
)

// migrationLockKey is the PostgreSQL advisory lock key that serialises
// migrators across processes ("grappe" in ASCII).
const migrationLockKey = 0x677261707065

// newMigrator returns a bun migrator over the embedded SQL files.
func newMigrator(db *bun.DB) (*migrate.Migrator, error) {
	ms := migrate.NewMigrations()
	if err := ms.Discover(migrations.FS); err != nil {
		return nil, fmt.Errorf("discover migrations: %w", err)
	}
	return migrate.NewMigrator(db, ms), nil
}

// MigrationStatus is one migration and whether it is applied.
type MigrationStatus struct {
	Name    string
	Comment string
	Applied bool
}

// MigrateUp applies every pending migration and returns their names.
func (db *DB) MigrateUp(ctx context.Context) ([]string, error) {
	var applied []string
	err := db.withMigrator(ctx, func(m *migrate.Migrator) error {
		group, err := m.Migrate(ctx)
		if err != nil {
			return fmt.Errorf("migrate up: %w", err)
		}
		for _, mig := range group.Migrations {
			applied = append(applied, mig.String())
		}
		return nil
	})
	return applied, err
}

// MigrateDown rolls back the last group of migrations and returns their names.
func (db *DB) MigrateDown(ctx context.Context) ([]string, error) {
	var rolled []string
	err := db.withMigrator(ctx, func(m *migrate.Migrator) error {
		group, err := m.Rollback(ctx)
		if err != nil {
			return fmt.Errorf("migrate down: %w", err)
		}
		for _, mig := range group.Migrations {
			rolled = append(rolled, mig.String())
		}
		return nil
	})
	return rolled, err
}

// Migrations returns every known migration with its status.
func (db *DB) Migrations(ctx context.Context) ([]MigrationStatus, error) {
	m, err := newMigrator(db.bun)
	if err != nil {
		return nil, err
	}
	if err := m.Init(ctx); err != nil {
		return nil, fmt.Errorf("init migrations: %w", err)
	}
	ms, err := m.MigrationsWithStatus(ctx)
	if err != nil {
		return nil, fmt.Errorf("migration status: %w", err)
	}
	out := make([]MigrationStatus, len(ms))
	for i, mig := range ms {
		out[i] = MigrationStatus{Name: mig.Name, Comment: mig.Comment, Applied: mig.IsApplied()}
	}
	return out, nil
}

// PendingMigrations returns how many migrations are not applied yet.
func (db *DB) PendingMigrations(ctx context.Context) (int, error) {
	ms, err := db.Migrations(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, m := range ms {
		if !m.Applied {
			n++
		}
	}
	return n, nil
}

// withMigrator runs fn holding both a PostgreSQL advisory lock (which waits
// for another process's migration and is released if that process dies) and
// bun/migrate's own lock row. A lock row left by a crashed process is stale
// once the advisory lock is ours, so it is cleared.
func (db *DB) withMigrator(ctx context.Context, fn func(*migrate.Migrator) error) (err error) {
	m, err := newMigrator(db.bun)
	if err != nil {
		return err
	}
	conn, err := db.bun.Conn(ctx)
	if err != nil {
		return fmt.Errorf("migration connection: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(?)", migrationLockKey); err != nil {
		return fmt.Errorf("take migration lock: %w", err)
	}
	defer func() {
		_, uerr := conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(?)", migrationLockKey)
		err = errors.Join(err, uerr)
	}()
	if err := m.Init(ctx); err != nil {
		return fmt.Errorf("init migrations: %w", err)
	}
	if err := m.Lock(ctx); err != nil {
		if !strings.Contains(err.Error(), "already locked") {
			return err
		}
		if err := m.Unlock(ctx); err != nil {
			return err
		}
		if err := m.Lock(ctx); err != nil {
			return err
		}
	}
	defer func() { err = errors.Join(err, m.Unlock(context.WithoutCancel(ctx))) }()
	return fn(m)
}
