// Package pgtest gives each test its own PostgreSQL database, cloned from a
// migrated template (pgtestdb). It uses TEST_DATABASE_URL when set, else a
// throwaway cluster started once per test binary with the same launcher as
// the server. Packages using it call pgtest.Main from TestMain.
package pgtest

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/peterldowns/pgtestdb"
	_ "github.com/uptrace/bun/driver/pgdriver" // registers the "pg" driver

	"grappe/migrations"
	"grappe/pgserver"
	"grappe/postgres"
)

var (
	startOnce sync.Once
	server    *pgserver.Server
	serverDir string
	baseURL   string
	startErr  error
)

// Main runs the tests of a package and stops the throwaway cluster, if one
// was started, before exiting; cleanups run first, once the tests are done
// (e.g. closing a browser the tests shared).
func Main(m *testing.M, cleanups ...func()) {
	code := m.Run()
	for _, f := range cleanups {
		f()
	}
	if server != nil {
		_ = server.Stop()
		_ = os.RemoveAll(serverDir)
	}
	os.Exit(code)
}

// URL returns the URL of the test PostgreSQL server's maintenance database,
// starting a throwaway cluster on first use when TEST_DATABASE_URL is unset.
func URL(t testing.TB) string {
	t.Helper()
	startOnce.Do(func() {
		if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
			baseURL = u
			return
		}
		// The cluster runs as the postgres user when tests run as root, so it
		// must live where that user can reach (t.TempDir is 0700).
		serverDir, startErr = os.MkdirTemp("", "grappe-pgtest-")
		if startErr != nil {
			return
		}
		if startErr = os.Chmod(serverDir, 0o755); startErr != nil {
			return
		}
		server, startErr = pgserver.Start(context.Background(), pgserver.Options{
			Dir:  filepath.Join(serverDir, "pg"),
			Fast: true,
		})
		if startErr == nil {
			baseURL = server.URL("postgres")
		}
	})
	if startErr != nil {
		t.Fatalf("start test PostgreSQL: %v", startErr)
	}
	return baseURL
}

// NewDB returns a fresh, migrated database for one test, dropped when the
// test ends.
func NewDB(t testing.TB) *postgres.DB {
	t.Helper()
	conf := config(t)
	cfg := pgtestdb.Custom(t, conf, migrator{})
	db, err := postgres.Open(context.Background(), cfg.URL(), postgres.Options{MaxOpenConns: 20})
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// NewURL returns the URL of a fresh, migrated database for one test.
func NewURL(t testing.TB) string {
	t.Helper()
	return pgtestdb.Custom(t, config(t), migrator{}).URL()
}

// NewEmptyURL returns the URL of a fresh database with no migrations applied.
func NewEmptyURL(t testing.TB) string {
	t.Helper()
	return pgtestdb.Custom(t, config(t), pgtestdb.NoopMigrator{}).URL()
}

// config turns the server URL into a pgtestdb configuration.
func config(t testing.TB) pgtestdb.Config {
	u, err := url.Parse(URL(t))
	if err != nil {
		t.Fatalf("parse TEST_DATABASE_URL: %v", err)
	}
	pass, _ := u.User.Password()
	opts := u.Query()
	if opts.Get("sslmode") == "" {
		opts.Set("sslmode", "disable")
	}
	db := u.Path
	if len(db) > 0 && db[0] == '/' {
		db = db[1:]
	}
	return pgtestdb.Config{
		DriverName: "pg",
		Host:       u.Hostname(),
		Port:       u.Port(),
		User:       u.User.Username(),
		Password:   pass,
		Database:   db,
		Options:    opts.Encode(),
	}
}

// migrator runs grappe's migrations on the template database.
type migrator struct{}

// Hash identifies the template by the contents of every migration file.
func (migrator) Hash() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(migrations.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := migrations.FS.ReadFile(path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", path, len(b))
		h.Write(b)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil)), err
}

// Migrate applies every migration.
func (migrator) Migrate(ctx context.Context, sqldb *sql.DB, _ pgtestdb.Config) error {
	_, err := postgres.New(sqldb).MigrateUp(ctx)
	return err
}
