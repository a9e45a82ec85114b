package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/uptrace/bun"

	"grappe/pgserver"
	"grappe/postgres"
	"grappe/postgres/pgtest"
)

// tableDigests returns, for every table of the public schema, a digest of
// all its rows.
func tableDigests(t *testing.T, url string) map[string]string {
	t.Helper()
	ctx := context.Background()
	db, err := postgres.Open(ctx, url, postgres.Options{MaxOpenConns: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var tables []string
	if err := db.Bun().NewRaw(`SELECT table_name FROM information_schema.tables
		WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`).Scan(ctx, &tables); err != nil {
		t.Fatal(err)
	}
	out := make(map[string]string, len(tables))
	for _, table := range tables {
		var sum string
		if err := db.Bun().NewRaw(`SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM ? AS t`,
			bun.Ident(table)).Scan(ctx, &sum); err != nil {
			t.Fatalf("digest %s: %v", table, err)
		}
		out[table] = sum
	}
	return out
}

// runFails runs a subcommand that must fail and returns its error text.
func runFails(t *testing.T, vars map[string]string, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), args, testEnv(vars), &stdout, &stderr)
	if err == nil {
		t.Fatalf("%v succeeded: %s", args, stdout.String())
	}
	return err.Error()
}

// TestBackupRestoreRoundTrip backs up the demo and restores it into an
// empty database: every table is equal. A restore into a database that
// holds tables is refused without --replace, and equal again with it.
func TestBackupRestoreRoundTrip(t *testing.T) {
	t.Parallel()
	src, dst := pgtest.NewURL(t), pgtest.NewEmptyURL(t)
	runCommand(t, map[string]string{"DATABASE_URL": src}, "seed")
	file := filepath.Join(t.TempDir(), "demo.dump")
	if out := runCommand(t, map[string]string{"DATABASE_URL": src}, "backup", file); !strings.Contains(out, "backed up") {
		t.Fatalf("backup: %q", out)
	}
	want := tableDigests(t, src)
	if len(want) < 10 || want["members"] == "" || strings.HasPrefix(want["members"], "0:") || want["bun_migrations"] == "" {
		t.Fatalf("source tables: %v", want)
	}

	if out := runCommand(t, map[string]string{"DATABASE_URL": dst}, "restore", file); !strings.Contains(out, "restored") {
		t.Fatalf("restore: %q", out)
	}
	if diff := cmp.Diff(want, tableDigests(t, dst)); diff != "" {
		t.Fatalf("restored tables differ (-want +got):\n%s", diff)
	}

	// Over data: refused without --replace; with it, equal again even
	// after the data changed.
	if msg := runFails(t, map[string]string{"DATABASE_URL": dst}, "restore", file); !strings.Contains(msg, "--replace") || strings.Contains(msg, "\n") {
		t.Fatalf("restore over data: %q", msg)
	}
	runCommand(t, map[string]string{"DATABASE_URL": dst}, "seed", "--replace", "--members", "20", "--seed", "3")
	runCommand(t, map[string]string{"DATABASE_URL": dst}, "restore", file, "--replace")
	if diff := cmp.Diff(want, tableDigests(t, dst)); diff != "" {
		t.Fatalf("tables after restore --replace differ (-want +got):\n%s", diff)
	}
	// A dump cut short (its table of contents reads, its data does not):
	// the drops and the partial restore are rolled back together.
	runCommand(t, map[string]string{"DATABASE_URL": dst}, "seed", "--replace", "--members", "20", "--seed", "3")
	before := tableDigests(t, dst)
	whole, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(t.TempDir(), "cut.dump")
	if err := os.WriteFile(cut, whole[:len(whole)*3/4], 0o644); err != nil {
		t.Fatal(err)
	}
	if msg := runFails(t, map[string]string{"DATABASE_URL": dst}, "restore", cut, "--replace"); !strings.HasPrefix(msg, "restore: ") || strings.Contains(msg, "\n") {
		t.Fatalf("restore of a cut dump: %q", msg)
	}
	if diff := cmp.Diff(before, tableDigests(t, dst)); diff != "" {
		t.Fatalf("a failed restore --replace changed the database (-before +after):\n%s", diff)
	}
	runCommand(t, map[string]string{"DATABASE_URL": dst}, "restore", file, "--replace")
	if diff := cmp.Diff(want, tableDigests(t, dst)); diff != "" {
		t.Fatalf("tables after the second restore --replace differ (-want +got):\n%s", diff)
	}
	// The server accepts the restored database: no migration pending.
	if out := runCommand(t, map[string]string{"DATABASE_URL": dst}, "migrate", "status"); strings.Contains(out, "pending") {
		t.Fatalf("migrations after restore: %q", out)
	}
}

// TestRestoreRefusesNewerDump: a dump whose header says a newer
// PostgreSQL made it is refused with one line naming both versions,
// before the database is touched; a file that is no dump is refused too.
func TestRestoreRefusesNewerDump(t *testing.T) {
	t.Parallel()
	src := pgtest.NewURL(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "now.dump")
	runCommand(t, map[string]string{"DATABASE_URL": src}, "backup", file)
	h, err := readDumpHeader(file)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	installed := strings.SplitN(h.DumpVersion, ".", 2)[0]
	future := "99"
	if len(installed) != 2 {
		t.Skipf("installed PostgreSQL %s: the test rewrites a two-digit major version", h.DumpVersion)
	}
	head := bytes.ReplaceAll(b[:h.Length], []byte(installed+"."), []byte(future+"."))
	newerFile := filepath.Join(dir, "newer.dump")
	if err := os.WriteFile(newerFile, append(head, b[h.Length:]...), 0o600); err != nil {
		t.Fatal(err)
	}
	if nh, err := readDumpHeader(newerFile); err != nil || !strings.HasPrefix(nh.ServerVersion, future+".") {
		t.Fatalf("rewritten header: %+v, %v", nh, err)
	}
	dst := pgtest.NewEmptyURL(t)
	msg := runFails(t, map[string]string{"DATABASE_URL": dst}, "restore", newerFile)
	if !strings.Contains(msg, "PostgreSQL "+future+".") || !strings.Contains(msg, "installed PostgreSQL "+installed+".") || strings.Contains(msg, "\n") {
		t.Fatalf("restore of a newer dump: %q", msg)
	}
	if got := tableDigests(t, dst); len(got) != 0 {
		t.Fatalf("tables after a refused restore: %v", got)
	}

	// An archive format newer than grappe reads is refused as newer too.
	future17 := bytes.Clone(b)
	future17[6] = 17 // PGDMP, major, minor
	archiveFile := filepath.Join(dir, "archive.dump")
	if err := os.WriteFile(archiveFile, future17, 0o600); err != nil {
		t.Fatal(err)
	}
	if msg := runFails(t, map[string]string{"DATABASE_URL": dst}, "restore", archiveFile); !strings.Contains(msg, "newer pg_dump (archive format 1.17)") || strings.Contains(msg, "\n") {
		t.Fatalf("restore of a newer archive format: %q", msg)
	}

	junk := filepath.Join(dir, "junk.dump")
	if err := os.WriteFile(junk, []byte("-- SQL\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if msg := runFails(t, map[string]string{"DATABASE_URL": dst}, "restore", junk); !strings.Contains(msg, "not a backup") {
		t.Fatalf("restore of a file that is no dump: %q", msg)
	}
}

// TestBackupPrivateCluster backs up the private cluster while a server
// runs on the data directory (without its lock) and once it stopped
// (starting the cluster for the dump, and stopping it after); a restore
// while the server runs is refused.
func TestBackupPrivateCluster(t *testing.T) {
	t.Parallel()
	dataDir := filepath.Join(reachableTempDir(t), "data")
	vars := map[string]string{"GRAPPE_DATA_DIR": dataDir, "PORT": "0", "GRAPPE_HOST": "127.0.0.1",
		"GRAPPE_JWT_SECRET": testSecret, "GRAPPE_DEMO": "false"}
	// A data directory without a cluster holds nothing to back up.
	if msg := runFails(t, vars, "backup", filepath.Join(t.TempDir(), "none.dump")); !strings.Contains(msg, "nothing to back up") {
		t.Fatalf("backup without a cluster: %q", msg)
	}
	if _, err := os.Stat(dataDir); !os.IsNotExist(err) {
		t.Fatalf("data directory after a refused backup: %v", err)
	}
	app := startApp(t, vars)
	running := filepath.Join(t.TempDir(), "running.dump")
	runCommand(t, vars, "backup", running)
	listsMembers(t, running)
	// Restoring under a running server is refused.
	if msg := runFails(t, vars, "restore", running, "--replace"); !strings.Contains(msg, "stop the server") || strings.Contains(msg, "\n") {
		t.Fatalf("restore while a server runs: %q", msg)
	}
	if err := app.Close(); err != nil {
		t.Fatal(err)
	}

	stopped := filepath.Join(t.TempDir(), "stopped.dump")
	runCommand(t, vars, "backup", stopped)
	listsMembers(t, stopped)
	// The backup released the data directory and stopped its cluster.
	lock, err := pgserver.Lock(dataDir)
	if err != nil {
		t.Fatalf("data directory after backup: %v", err)
	}
	_ = lock.Unlock()
	if _, err := os.Stat(filepath.Join(dataDir, "postgres", "postmaster.pid")); !os.IsNotExist(err) {
		t.Fatalf("cluster still running after backup: %v", err)
	}
}

// listsMembers checks with pg_restore --list that the dump holds the
// members table and its rows.
func listsMembers(t *testing.T, file string) {
	t.Helper()
	pgRestore, err := pgserver.FindTool("pg_restore")
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(pgRestore, "--list", file).CombinedOutput()
	if err != nil {
		t.Fatalf("pg_restore --list %s: %v\n%s", file, err, out)
	}
	if !strings.Contains(string(out), "TABLE DATA public members") {
		t.Fatalf("%s lists no members data:\n%s", file, out)
	}
}
