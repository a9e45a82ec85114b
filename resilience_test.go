package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"grappe/domain"
	"grappe/pgserver"
	"grappe/postgres"
	"grappe/postgres/pgtest"
)

const testSecret = "0123456789abcdef0123456789abcdef"

// gqlResponse is a decoded GraphQL response.
type gqlResponse struct {
	Data   map[string]any `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

// code returns the code of the first error, or "".
func (r gqlResponse) code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

// send posts a GraphQL operation and decodes the response, whatever it is.
func send(url, tok, query string, vars map[string]any) (gqlResponse, error) {
	var out gqlResponse
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, url+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	client := http.Client{Timeout: 30 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		return out, err
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return out, fmt.Errorf("status %d: %w", resp.StatusCode, err)
	}
	return out, nil
}

// checkClean fails the test if a refused request leaks an internal detail.
func checkClean(t *testing.T, r gqlResponse, codes ...string) {
	t.Helper()
	for _, e := range r.Errors {
		code, _ := e.Extensions["code"].(string)
		ok := false
		for _, c := range codes {
			ok = ok || code == c
		}
		msg := strings.ToLower(e.Message)
		if !ok || strings.Contains(msg, "sqlstate") || strings.Contains(msg, "tcp") || strings.Contains(msg, "pgdriver") ||
			strings.Contains(msg, "internal") || strings.Contains(msg, "canceling") {
			t.Errorf("error %q with code %q; want one of %v and no internal detail", e.Message, code, codes)
		}
	}
}

// staffToken signs a STAFF token with testSecret.
func staffToken(t testing.TB) string {
	t.Helper()
	return strings.TrimSpace(runCommand(t, map[string]string{"GRAPPE_JWT_SECRET": testSecret}, "token", "--role", "STAFF"))
}

// appVars returns the environment of a test server on url without demo
// data, with the given overrides.
func appVars(url string, extra map[string]string) map[string]string {
	vars := map[string]string{"DATABASE_URL": url, "PORT": "0", "GRAPPE_HOST": "127.0.0.1",
		"GRAPPE_JWT_SECRET": testSecret, "GRAPPE_DEMO": "false"}
	for k, v := range extra {
		vars[k] = v
	}
	return vars
}

// noRateLimit turns the rate limit off for the tests that put a write
// load on the server: while the database is down its writes fail in
// microseconds, so four writers exceed any per-client limit and the
// test would measure the rate limit instead of the recovery.
const noRateLimit = "0"

const createMember = `mutation($name: String!) { createMember(input: {name: $name, kind: COMPANY}) { member { id } } }`

// TestRequestTimeout: a request that cannot get a database connection
// (the pool's only one is held, no pool wait) ends at its deadline with
// TIMEOUT instead of hanging.
func TestRequestTimeout(t *testing.T) {
	t.Parallel()
	app := startApp(t, appVars(pgtest.NewURL(t), map[string]string{
		"GRAPPE_REQUEST_TIMEOUT": "700ms", "GRAPPE_DB_MAX_CONNS": "1", "GRAPPE_DB_POOL_WAIT": "0",
	}))
	defer app.Close()
	held, err := app.requests.Bun().Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	start := time.Now()
	r, err := send(app.URL(), staffToken(t), `{ members { totalCount } }`, nil)
	elapsed := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	if r.code() != domain.CodeTimeout || elapsed < 700*time.Millisecond || elapsed > 3*time.Second {
		t.Fatalf("after %s: %+v; want TIMEOUT after 700ms", elapsed, r)
	}
	checkClean(t, r, domain.CodeTimeout)
}

// TestRequestTimeoutCancelsSQL: a mutation stuck behind a lock gets
// TIMEOUT, PostgreSQL cancels its statement itself (statement_timeout:
// nothing of grappe's is left waiting on the lock), and nothing changes.
func TestRequestTimeoutCancelsSQL(t *testing.T) {
	t.Parallel()
	url := pgtest.NewURL(t)
	app := startApp(t, appVars(url, map[string]string{"GRAPPE_REQUEST_TIMEOUT": "500ms"}))
	defer app.Close()
	staff := staffToken(t)
	ctx := context.Background()

	other, err := postgres.Open(ctx, url, postgres.Options{MaxOpenConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	tx, err := other.Bun().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "LOCK TABLE members IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}

	start := time.Now()
	r, err := send(app.URL(), staff, createMember, map[string]any{"name": "Bloquée SARL"})
	if err != nil {
		t.Fatal(err)
	}
	if r.code() != domain.CodeTimeout || time.Since(start) > 3*time.Second {
		t.Fatalf("after %s: %+v; want TIMEOUT", time.Since(start), r)
	}
	checkClean(t, r, domain.CodeTimeout)

	waiting := func() int {
		var n int
		err := other.Bun().NewRaw(`SELECT count(*) FROM pg_stat_activity
			WHERE application_name = 'grappe' AND wait_event_type = 'Lock' AND datname = current_database()`).Scan(ctx, &n)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	deadline := time.Now().Add(2 * time.Second)
	for waiting() > 0 {
		if time.Now().After(deadline) {
			t.Fatal("the timed-out statement still waits on the lock in PostgreSQL: not cancelled server-side")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := other.Bun().NewRaw("SELECT count(*) FROM members").Scan(ctx, &n); err != nil || n != 0 {
		t.Fatalf("members after the timed-out mutation: %d, %v", n, err)
	}
}

// TestPoolExhausted: with every connection of the pool held, a request
// fails with UNAVAILABLE after the pool wait, well before its deadline.
func TestPoolExhausted(t *testing.T) {
	t.Parallel()
	app := startApp(t, appVars(pgtest.NewURL(t), map[string]string{
		"GRAPPE_REQUEST_TIMEOUT": "20s", "GRAPPE_DB_MAX_CONNS": "1", "GRAPPE_DB_POOL_WAIT": "300ms",
	}))
	defer app.Close()
	staff := staffToken(t)
	held, err := app.requests.Bun().Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	r, err := send(app.URL(), staff, `{ members { totalCount } }`, nil)
	elapsed := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	if r.code() != domain.CodeUnavailable || elapsed < 300*time.Millisecond || elapsed > 3*time.Second {
		t.Fatalf("after %s: %+v; want UNAVAILABLE after 300ms", elapsed, r)
	}
	checkClean(t, r, domain.CodeUnavailable)
	_ = held.Close()
	if r, err := send(app.URL(), staff, `{ members { totalCount } }`, nil); err != nil || len(r.Errors) > 0 {
		t.Fatalf("once the connection is free: %+v, %v", r, err)
	}
}

// writeLoad runs writers that create members until stop is closed, and
// collects the ids of the acknowledged ones and the codes of the failures.
type writeLoad struct {
	mu     sync.Mutex
	acked  []string
	failed map[string]int
	wg     sync.WaitGroup
	stop   chan struct{}
}

func startWrites(t *testing.T, url, tok string, writers int) *writeLoad {
	w := &writeLoad{failed: map[string]int{}, stop: make(chan struct{})}
	for i := range writers {
		w.wg.Go(func() {
			for n := 0; ; n++ {
				select {
				case <-w.stop:
					return
				default:
				}
				r, err := send(url, tok, createMember, map[string]any{"name": fmt.Sprintf("Écrit %d-%d", i, n)})
				w.mu.Lock()
				switch {
				case err != nil:
					w.failed["transport: "+err.Error()]++
				case len(r.Errors) > 0:
					checkClean(t, r, domain.CodeUnavailable, domain.CodeTimeout)
					w.failed[r.code()]++
				default:
					m := r.Data["createMember"].(map[string]any)["member"].(map[string]any)
					w.acked = append(w.acked, m["id"].(string))
				}
				w.mu.Unlock()
				time.Sleep(5 * time.Millisecond)
			}
		})
	}
	return w
}

// ackedCount returns how many writes have been acknowledged.
func (w *writeLoad) ackedCount() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.acked)
}

// finish stops the writers and returns the acknowledged ids.
func (w *writeLoad) finish() []string {
	close(w.stop)
	w.wg.Wait()
	return w.acked
}

// waitFor polls cond every 5 ms until it holds or timeout passes.
func waitFor(t *testing.T, what string, timeout time.Duration, cond func() bool) time.Time {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, timeout)
		}
		time.Sleep(5 * time.Millisecond)
	}
	return time.Now()
}

// readyStatus returns the status of /readyz.
func readyStatus(url string) int {
	client := http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get(url + "/readyz")
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// checkAllPresent fails the test unless every acknowledged member exists.
func checkAllPresent(t *testing.T, url, tok string, ids []string) {
	t.Helper()
	for len(ids) > 0 {
		batch := ids[:min(len(ids), 100)]
		ids = ids[len(batch):]
		r, err := send(url, tok, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": batch})
		if err != nil || len(r.Errors) > 0 {
			t.Fatalf("read back: %+v, %v", r, err)
		}
		for i, n := range r.Data["nodes"].([]any) {
			if n == nil {
				t.Errorf("acknowledged member %s is lost", batch[i])
			}
		}
	}
}

// TestPrivatePostgresKilled kills the private PostgreSQL's postmaster with
// SIGKILL under a write load: /readyz turns 503, grappe restarts it and
// /readyz is 200 again by itself, the writes that failed meanwhile failed
// with UNAVAILABLE or TIMEOUT, writes succeed again, and every
// acknowledged write is there.
func TestPrivatePostgresKilled(t *testing.T) {
	t.Parallel()
	dir := reachableTempDir(t)
	app := startApp(t, appVars("", map[string]string{"GRAPPE_DATA_DIR": filepath.Join(dir, "data"), "GRAPPE_RATE_LIMIT": noRateLimit}))
	defer app.Close()
	url, staff := app.URL(), staffToken(t)

	w := startWrites(t, url, staff, 4)
	waitFor(t, "writes before the kill", 10*time.Second, func() bool { return w.ackedCount() >= 20 })
	pid := app.store.pg.PID()
	killed := time.Now()
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	down := waitFor(t, "/readyz 503 after the kill", 5*time.Second, func() bool { return readyStatus(url) == http.StatusServiceUnavailable })
	up := waitFor(t, "/readyz 200 after the restart", 60*time.Second, func() bool { return readyStatus(url) == http.StatusOK })
	before := w.ackedCount()
	waitFor(t, "writes after the restart", 10*time.Second, func() bool { return w.ackedCount() >= before+20 })
	acked := w.finish()
	t.Logf("readyz 503 %s and 200 %s after SIGKILL (postgres restarted %d time(s)); %d writes acknowledged, failures by code %v",
		down.Sub(killed).Round(time.Millisecond), up.Sub(killed).Round(time.Millisecond), app.store.pg.Restarts(), len(acked), w.failed)
	if app.store.pg.PID() == pid {
		t.Fatal("postgres not restarted")
	}
	for k := range w.failed {
		if strings.HasPrefix(k, "transport") {
			t.Errorf("request failed at the HTTP level: %s", k)
		}
	}
	checkAllPresent(t, url, staff, acked)
}

// TestExternalPostgresRestarted stops and restarts an external PostgreSQL
// (DATABASE_URL) under a write load: /readyz turns 503 while it is down and
// 200 once it is back, the pool reconnects by itself, every acknowledged
// write is there, and the outage is logged once at ERROR and its end once
// at INFO, however many requests failed meanwhile.
func TestExternalPostgresRestarted(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(reachableTempDir(t), "pg")
	pg, err := pgserver.Start(context.Background(), pgserver.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = pg.Stop() }()
	app, logs := startLoggedApp(t, appVars(pg.URL("postgres"), map[string]string{"GRAPPE_RATE_LIMIT": noRateLimit}))
	defer app.Close()
	url, staff := app.URL(), staffToken(t)

	w := startWrites(t, url, staff, 4)
	waitFor(t, "writes before the stop", 10*time.Second, func() bool { return w.ackedCount() >= 20 })
	stopped := time.Now()
	if err := pg.Stop(); err != nil {
		t.Fatal(err)
	}
	down := waitFor(t, "/readyz 503 with the database down", 5*time.Second, func() bool { return readyStatus(url) == http.StatusServiceUnavailable })
	time.Sleep(500 * time.Millisecond) // writes fail meanwhile
	restarted := time.Now()
	if pg, err = pgserver.Start(context.Background(), pgserver.Options{Dir: dir, Port: pg.Port()}); err != nil {
		t.Fatal(err)
	}
	up := waitFor(t, "/readyz 200 with the database back", 30*time.Second, func() bool { return readyStatus(url) == http.StatusOK })
	before := w.ackedCount()
	waitFor(t, "writes after the restart", 10*time.Second, func() bool { return w.ackedCount() >= before+20 })
	acked := w.finish()
	t.Logf("readyz 503 %s after the stop, 200 %s after the restart; %d writes acknowledged, failures by code %v",
		down.Sub(stopped).Round(time.Millisecond), up.Sub(restarted).Round(time.Millisecond), len(acked), w.failed)
	if w.failed[domain.CodeUnavailable] == 0 {
		t.Error("no write failed with UNAVAILABLE while the database was down")
	}
	for k := range w.failed {
		if strings.HasPrefix(k, "transport") {
			t.Errorf("request failed at the HTTP level: %s", k)
		}
	}
	checkAllPresent(t, url, staff, acked)

	count := func(level, msgPrefix string) int {
		n := 0
		for _, l := range logLines(t, logs.String()) {
			if msg, _ := l["msg"].(string); l["level"] == level && strings.HasPrefix(msg, msgPrefix) {
				n++
			}
		}
		return n
	}
	waitFor(t, "the recovery logged", 10*time.Second, func() bool { return count("INFO", "database available again") > 0 })
	if down, back, errs := count("ERROR", "database unavailable"), count("INFO", "database available again"), count("ERROR", ""); down != 1 || back != 1 || errs != 1 {
		t.Errorf("outage logged %d times at ERROR, recovery %d times at INFO, %d ERROR lines in all; want 1, 1, 1", down, back, errs)
	}
}

// TestSIGTERMDrainsInFlightRequests runs grappe as a process (this test
// binary running main), sends it SIGTERM while a mutation is in flight
// (held behind a table lock), and checks that the mutation completes and
// is acknowledged before the process exits, with status 0.
func TestSIGTERMDrainsInFlightRequests(t *testing.T) {
	t.Parallel()
	dbURL := pgtest.NewURL(t)
	ctx := context.Background()
	other, err := postgres.Open(ctx, dbURL, postgres.Options{MaxOpenConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()

	cmd := exec.Command(os.Args[0], "serve")
	cmd.Env = append(os.Environ(), runMainEnv+"=1")
	for k, v := range appVars(dbURL, map[string]string{"PORT": "0"}) {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	stdout, stderr := &syncWriter{w: new(bytes.Buffer)}, &syncWriter{w: new(bytes.Buffer)}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() { _ = cmd.Process.Kill() }()

	// The ready line names the URL.
	var url string
	waitFor(t, "server ready", 30*time.Second, func() bool {
		select {
		case err := <-exited:
			t.Fatalf("grappe exited: %v\n%s", err, stderr.String())
		default:
		}
		out := stdout.String()
		if i := strings.Index(out, "GraphQL at "); i >= 0 {
			url = strings.TrimSuffix(strings.Fields(out[i+len("GraphQL at "):])[0], "/graphql")
			return true
		}
		return false
	})

	tx, err := other.Bun().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "LOCK TABLE members IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	type result struct {
		r   gqlResponse
		err error
	}
	done := make(chan result, 1)
	staff := staffToken(t)
	go func() {
		r, err := send(url, staff, createMember, map[string]any{"name": "En vol SARL"})
		done <- result{r, err}
	}()
	waitFor(t, "the mutation waiting on the lock", 10*time.Second, func() bool {
		var n int
		_ = other.Bun().NewRaw(`SELECT count(*) FROM pg_stat_activity
			WHERE application_name = 'grappe' AND wait_event_type = 'Lock' AND datname = current_database()`).Scan(ctx, &n)
		return n > 0
	})

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond)
	select {
	case err := <-exited:
		t.Fatalf("exited with a request in flight: %v\n%s", err, stderr.String())
	case res := <-done:
		t.Fatalf("request finished before the lock was released: %+v %v", res.r, res.err)
	default:
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	res := <-done
	if res.err != nil || len(res.r.Errors) > 0 || res.r.Data["createMember"] == nil {
		t.Fatalf("in-flight mutation during shutdown: %+v, %v", res.r, res.err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("exit: %v\n%s", err, stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("no exit after the drain")
	}
	var n int
	if err := other.Bun().NewRaw("SELECT count(*) FROM members WHERE name = 'En vol SARL'").Scan(ctx, &n); err != nil || n != 1 {
		t.Fatalf("drained mutation stored %d times, %v", n, err)
	}
}

// syncWriter is a writer safe to read while a process writes to it.
type syncWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

func (s *syncWriter) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.String()
}
