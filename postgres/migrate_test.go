package postgres_test

import (
	"context"
	"testing"

	"grappe/postgres"
	"grappe/postgres/pgtest"
)

// userTables lists the tables of the public schema, except bun's own.
func userTables(t *testing.T, db *postgres.DB) []string {
	t.Helper()
	var tables []string
	err := db.Bun().NewRaw(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'
		AND tablename NOT LIKE 'bun_%' ORDER BY tablename`).Scan(context.Background(), &tables)
	if err != nil {
		t.Fatal(err)
	}
	return tables
}

func TestMigrationsGoUpDownUp(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := postgres.Open(ctx, pgtest.NewEmptyURL(t), postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got := userTables(t, db); len(got) != 0 {
		t.Fatalf("empty database has tables %v", got)
	}
	applied, err := db.MigrateUp(ctx)
	if err != nil || len(applied) == 0 {
		t.Fatalf("up: %v %v", applied, err)
	}
	up := userTables(t, db)
	if len(up) < 3 {
		t.Fatalf("after up: %v", up)
	}
	if n, err := db.PendingMigrations(ctx); err != nil || n != 0 {
		t.Fatalf("pending after up = %d, %v", n, err)
	}
	if _, err := db.MigrateDown(ctx); err != nil {
		t.Fatal(err)
	}
	if got := userTables(t, db); len(got) != 0 {
		t.Fatalf("down left tables %v", got)
	}
	if n, _ := db.PendingMigrations(ctx); n != len(applied) {
		t.Fatalf("pending after down = %d, want %d", n, len(applied))
	}
	if _, err := db.MigrateUp(ctx); err != nil {
		t.Fatalf("up again: %v", err)
	}
	if again := userTables(t, db); len(again) != len(up) {
		t.Fatalf("up again: %v, want %v", again, up)
	}
	// Running up when everything is applied does nothing.
	if applied, err := db.MigrateUp(ctx); err != nil || len(applied) != 0 {
		t.Fatalf("idempotent up: %v %v", applied, err)
	}
}

func TestConcurrentMigrationsApplyOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := pgtest.NewEmptyURL(t)
	errs := make(chan error, 4)
	total := make(chan int, 4)
	for range 4 {
		go func() {
			db, err := postgres.Open(ctx, url, postgres.Options{})
			if err != nil {
				total <- 0
				errs <- err
				return
			}
			defer db.Close()
			applied, err := db.MigrateUp(ctx)
			total <- len(applied)
			errs <- err
		}()
	}
	sum := 0
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	for range 4 {
		sum += <-total
	}
	db, _ := postgres.Open(ctx, url, postgres.Options{})
	defer db.Close()
	ms, _ := db.Migrations(ctx)
	if sum != len(ms) {
		t.Fatalf("%d migrations applied by 4 concurrent migrators, want %d", sum, len(ms))
	}
}
