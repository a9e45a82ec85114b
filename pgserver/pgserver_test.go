package pgserver

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/uptrace/bun/driver/pgdriver"
)

// testDir returns a fresh directory that the postgres OS user can traverse.
// t.TempDir() is mode 0700, which it cannot when the tests run as root.
func testDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "pgserver-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// skipWithoutBinaries skips the test when PostgreSQL is not installed.
func skipWithoutBinaries(t *testing.T) {
	t.Helper()
	if _, err := FindBinaries(); err != nil {
		t.Skip(err)
	}
}

func startServer(t *testing.T, dir string, settings map[string]string) *Server {
	t.Helper()
	start := time.Now()
	s, err := Start(context.Background(), Options{Dir: dir, Fast: true, Settings: settings})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Start took %s (port %d)", time.Since(start).Round(time.Millisecond), s.Port())
	t.Cleanup(func() { s.Stop() })
	return s
}

func openDB(t *testing.T, url string) *sql.DB {
	t.Helper()
	db := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(url)))
	t.Cleanup(func() { db.Close() })
	return db
}

func TestStartStopRestart(t *testing.T) {
	skipWithoutBinaries(t)
	t.Parallel()
	ctx := context.Background()
	dir := filepath.Join(testDir(t), "postgres")

	s := startServer(t, dir, nil)
	url := s.URL("postgres")
	if !strings.HasPrefix(url, "postgres://postgres:") || !strings.HasSuffix(url, "@127.0.0.1:"+strconv.Itoa(s.Port())+"/postgres?sslmode=disable") {
		t.Errorf("URL = %q", url)
	}
	db := openDB(t, url)
	var one int
	if err := db.QueryRowContext(ctx, "select 1").Scan(&one); err != nil || one != 1 {
		t.Fatalf("select 1 = %d, %v", one, err)
	}
	if _, err := db.ExecContext(ctx, "create table kept (v text); insert into kept values ('still here')"); err != nil {
		t.Fatal(err)
	}
	db.Close()

	fi, err := os.Stat(dir + ".password")
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("password file mode = %04o, want 0600", perm)
	}
	if _, err := os.Stat(dir + ".log"); err != nil {
		t.Errorf("server log: %v", err)
	}

	stopStart := time.Now()
	if err := s.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	t.Logf("Stop took %s", time.Since(stopStart).Round(time.Millisecond))
	if err := s.Stop(); err != nil {
		t.Errorf("second Stop: %v", err)
	}
	select {
	case <-s.Done():
	default:
		t.Error("Done not closed after Stop")
	}
	if c, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(s.Port())), time.Second); err == nil {
		c.Close()
		t.Errorf("port %d still accepts connections after Stop", s.Port())
	}

	// A port that is already taken is recognised, so that Start can retry.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	binDir, _ := FindBinaries()
	acc, err := runAccount()
	if err != nil {
		t.Fatal(err)
	}
	settings, _ := serverSettings(Options{Fast: true})
	taken := &Server{dir: dir, logPath: dir + ".log", password: s.password, port: l.Addr().(*net.TCPAddr).Port,
		logger: slog.New(slog.DiscardHandler), binDir: binDir, settings: settings, acc: acc, timeout: 10 * time.Second}
	_, err = taken.launch(ctx)
	if !errors.Is(err, errPortTaken) {
		t.Fatalf("launch on a taken port: %v", err)
	}
	l.Close()

	s2 := startServer(t, dir, map[string]string{"work_mem": "7MB"})
	db2 := openDB(t, s2.URL("postgres"))
	var workMem string
	if err := db2.QueryRowContext(ctx, "show work_mem").Scan(&workMem); err != nil || workMem != "7MB" {
		t.Errorf("work_mem = %q, %v; want 7MB from Options.Settings", workMem, err)
	}
	var v string
	if err := db2.QueryRowContext(ctx, "select v from kept").Scan(&v); err != nil || v != "still here" {
		t.Fatalf("select from kept = %q, %v", v, err)
	}
	var loc string
	if err := db2.QueryRowContext(ctx, "select datcollate from pg_database where datname = 'postgres'").Scan(&loc); err != nil {
		t.Fatal(err)
	}
	t.Logf("cluster locale: %s", loc)
	db2.Close()
	if err := s2.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
}

func TestStartInExistingEmptyDir(t *testing.T) {
	skipWithoutBinaries(t)
	t.Parallel()
	dir := filepath.Join(testDir(t), "mnt")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	s := startServer(t, dir, nil)
	var one int
	if err := openDB(t, s.URL("postgres")).QueryRow("select 1").Scan(&one); err != nil {
		t.Fatal(err)
	}
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir + ".initdb"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s.initdb exists: %v", dir, err)
	}
}

func TestStartFailsOnNonEmptyDir(t *testing.T) {
	skipWithoutBinaries(t)
	dir := filepath.Join(testDir(t), "postgres")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "junk"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Start(context.Background(), Options{Dir: dir, Fast: true})
	if err == nil || !strings.Contains(err.Error(), "no PG_VERSION") {
		t.Fatalf("Start on a non-empty directory: %v", err)
	}
}

func TestStartRejectsManagedSettings(t *testing.T) {
	_, err := Start(context.Background(), Options{Dir: filepath.Join(testDir(t), "pg"), Settings: map[string]string{"port": "5432"}})
	if err == nil || !strings.Contains(err.Error(), "managed by pgserver") {
		t.Fatalf("Start with port setting: %v", err)
	}
}

func TestLock(t *testing.T) {
	dir := filepath.Join(testDir(t), "data")
	l1, err := Lock(dir)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = Lock(dir)
	if err == nil {
		t.Fatal("second Lock succeeded")
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("second Lock took %s, want immediate failure", d)
	}
	want := "data directory " + dir + " is in use by another grappe process (lock held on " + filepath.Join(dir, "grappe.lock") + ")"
	if err.Error() != want {
		t.Errorf("error = %q\nwant    %q", err, want)
	}
	if err := l1.Unlock(); err != nil {
		t.Fatal(err)
	}
	l2, err := Lock(dir)
	if err != nil {
		t.Fatalf("Lock after Unlock: %v", err)
	}
	if err := l2.Unlock(); err != nil {
		t.Fatal(err)
	}
}

func TestParentNotTraversable(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only meaningful as root")
	}
	if _, err := runAccount(); err != nil {
		t.Skip(err)
	}
	private := filepath.Join(testDir(t), "private")
	if err := os.Mkdir(private, 0o700); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(private, "grappe", "postgres")
	_, err := Start(context.Background(), Options{Dir: dir, Fast: true})
	if err == nil {
		t.Fatal("Start succeeded under a 0700 parent")
	}
	if !strings.Contains(err.Error(), "cannot traverse "+private+" (mode 0700)") || strings.Contains(err.Error(), "\n") {
		t.Errorf("error = %q, want one line naming %s", err, private)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("cluster directory was created: %v", err)
	}
}

func TestFindBinaries(t *testing.T) {
	dir, err := FindBinaries()
	if errors.Is(err, ErrNoBinaries) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"initdb", "postgres", "pg_ctl"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	t.Logf("binaries in %s", dir)
}

func TestFindBinariesNone(t *testing.T) {
	if _, err := os.Stat("/usr/lib/postgresql"); err == nil {
		t.Skip("/usr/lib/postgresql exists")
	}
	t.Setenv("PATH", t.TempDir())
	if _, err := exec.LookPath("initdb"); err == nil {
		t.Skip("initdb still found")
	}
	_, err := FindBinaries()
	if !errors.Is(err, ErrNoBinaries) || strings.Contains(err.Error(), "\n") {
		t.Fatalf("FindBinaries = %v", err)
	}
}

func TestVersionOrder(t *testing.T) {
	if got := compareVersions(versionOf("/usr/lib/postgresql/15/bin"), versionOf("/usr/lib/postgresql/9.6/bin")); got <= 0 {
		t.Errorf("15 should sort above 9.6, got %d", got)
	}
}

// TestSupervisedRestart kills the postmaster with SIGKILL: under
// supervision the server comes back on the same port with its data, and
// after Stop it stays down.
func TestSupervisedRestart(t *testing.T) {
	skipWithoutBinaries(t)
	t.Parallel()
	ctx := context.Background()
	dir := filepath.Join(testDir(t), "pg")
	s, err := Start(ctx, Options{Dir: dir, Fast: true, Supervise: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Stop() })
	db := openDB(t, s.URL("postgres"))
	// A fast cluster commits asynchronously: the checkpoint makes the row
	// durable.
	for _, q := range []string{"CREATE TABLE kept (v text)", "INSERT INTO kept VALUES ('before the kill')", "CHECKPOINT"} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}

	old := s.PID()
	killed := time.Now()
	if err := syscall.Kill(old, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	// A backend may answer a little longer on its own: wait for the
	// restart, then for an answer.
	var v string
	for {
		err := errors.New("not restarted yet")
		if s.Restarts() > 0 {
			err = db.QueryRowContext(ctx, "SELECT v FROM kept").Scan(&v)
		}
		if err == nil {
			break
		}
		if time.Since(killed) > 30*time.Second {
			t.Fatalf("not back 30 s after the kill: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("serving again %s after SIGKILL", time.Since(killed).Round(time.Millisecond))
	if v != "before the kill" || s.PID() == old || s.Restarts() != 1 || !s.Running() {
		t.Fatalf("after restart: v %q, pid %d (was %d), restarts %d", v, s.PID(), old, s.Restarts())
	}
	select {
	case <-s.Done():
		t.Fatal("Done closed by a supervised restart")
	default:
	}

	if err := s.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	<-s.Done()
	if s.Running() {
		t.Error("Running after Stop")
	}
	time.Sleep(300 * time.Millisecond) // a restart would be under way by now
	if c, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(s.Port())), time.Second); err == nil {
		c.Close()
		t.Fatalf("port %d accepts connections after Stop: restarted?", s.Port())
	}
	if s.Restarts() != 1 {
		t.Fatalf("restarts after Stop = %d", s.Restarts())
	}
}
