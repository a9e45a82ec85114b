package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"grappe/postgres"
	"grappe/postgres/pgtest"
)

// runMainEnv makes the test binary run grappe's main instead of the tests,
// for tests that need grappe as a process of its own.
const runMainEnv = "GRAPPE_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		main()
		os.Exit(0)
	}
	pgtest.Main(m, closeBrowser)
}

// testEnv returns a lookup over the given variables only.
func testEnv(vars map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := vars[k]
		return v, ok
	}
}

// reachableTempDir returns a temporary directory the postgres user can
// traverse (t.TempDir is 0700), removed at the end of the test.
func reachableTempDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "grappe-e2e-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	return dir
}

// startApp starts the whole program on port 0 with the given environment.
func startApp(t testing.TB, vars map[string]string) *App {
	t.Helper()
	cfg, err := loadConfig(testEnv(vars))
	if err != nil {
		t.Fatal(err)
	}
	app := &App{Config: cfg, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if err := app.Start(context.Background()); err != nil {
		_ = app.Close()
		t.Fatalf("start: %v", err)
	}
	return app
}

// post sends a GraphQL query over HTTP and returns its data, failing the
// test on any error.
func post(t *testing.T, url, tok, query string, vars map[string]any) map[string]any {
	t.Helper()
	out := postResponse(t, url, tok, query, vars)
	if out["errors"] != nil {
		t.Fatalf("errors: %v", out["errors"])
	}
	return out["data"].(map[string]any)
}

// postResponse sends a GraphQL query over HTTP and decodes the whole
// response, errors included.
func postResponse(t *testing.T, url, tok, query string, vars map[string]any) map[string]any {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, url+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

// get returns the status and body of a GET.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// runCommand runs a subcommand and returns its stdout.
func runCommand(t testing.TB, vars map[string]string, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), args, testEnv(vars), &stdout, &stderr); err != nil {
		t.Fatalf("%v: %v (%s)", args, err, stderr.String())
	}
	return stdout.String()
}

// TestServerEndToEnd runs the program with its private PostgreSQL: demo
// data on first start, a member created over HTTP survives a restart, and a
// second server on the same data directory is refused.
func TestServerEndToEnd(t *testing.T) {
	dir := reachableTempDir(t)
	vars := map[string]string{"PORT": "0", "GRAPPE_DATA_DIR": filepath.Join(dir, "data"), "GRAPPE_HOST": "127.0.0.1"}

	app := startApp(t, vars)
	url := app.URL()
	if code, body := get(t, url+"/readyz"); code != 200 {
		t.Fatalf("readyz = %d %s", code, body)
	}
	if code, body := get(t, url+"/healthz"); code != 200 {
		t.Fatalf("healthz = %d %s", code, body)
	}
	if code, body := get(t, url+"/"); code != 200 || !strings.Contains(body, "graphiql") {
		t.Fatalf("GraphiQL page = %d", code)
	}
	const count = `{ members { totalCount } }`
	data := post(t, url, "", count, nil)
	if n := data["members"].(map[string]any)["totalCount"].(float64); n != 182 {
		t.Fatalf("demo network has %v active members, want 182", n)
	}

	// The token command signs with the secret the server uses (kept in the data dir).
	staff := strings.TrimSpace(runCommand(t, vars, "token", "--role", "STAFF"))
	if strings.Count(staff, ".") != 2 || strings.ContainsAny(staff, " \n") {
		t.Fatalf("token printed %q", staff)
	}
	// The analytics graph is ready with the server: every ACTIVE member of
	// the demo network is a node, most of them in one small world.
	nw := post(t, url, staff, `{ network { memberCount linkCount largestComponentSize averageClustering } }`, nil)["network"].(map[string]any)
	if nw["memberCount"].(float64) != 182 || nw["linkCount"].(float64) < 300 ||
		nw["largestComponentSize"].(float64) < 150 || nw["averageClustering"].(float64) < 0.15 {
		t.Fatalf("demo network graph: %v", nw)
	}
	created := post(t, url, staff, `mutation { createMember(input: {name: "Persistante SARL", kind: COMPANY, headcount: 4}) { member { id } } }`, nil)
	id := created["createMember"].(map[string]any)["member"].(map[string]any)["id"].(string)

	// A second server on the same data directory fails at once and touches nothing.
	cfg, _ := loadConfig(testEnv(vars))
	second := &App{Config: cfg, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	err := second.Start(context.Background())
	_ = second.Close()
	if err == nil || !strings.Contains(err.Error(), "in use") {
		t.Fatalf("second server on the same data dir: %v", err)
	}
	if code, _ := get(t, url+"/readyz"); code != 200 {
		t.Fatalf("first server harmed by the second: readyz %d", code)
	}

	if err := app.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	restarted := startApp(t, vars)
	defer restarted.Close()
	data = post(t, restarted.URL(), staff, `query($id: ID!) { member(id: $id) { name } members { totalCount } }`, map[string]any{"id": id})
	if name := data["member"].(map[string]any)["name"]; name != "Persistante SARL" {
		t.Fatalf("after restart member = %v", data["member"])
	}
	if n := data["members"].(map[string]any)["totalCount"].(float64); n != 183 {
		t.Fatalf("after restart %v members, want 183 (demo not loaded twice)", n)
	}
}

func TestMigrateCommand(t *testing.T) {
	t.Parallel()
	vars := map[string]string{"DATABASE_URL": pgtest.NewEmptyURL(t)}
	if out := runCommand(t, vars, "migrate", "status"); !strings.Contains(out, "pending") {
		t.Fatalf("status before up: %q", out)
	}
	if out := runCommand(t, vars, "migrate", "up"); !strings.Contains(out, "applied") {
		t.Fatalf("up: %q", out)
	}
	if out := runCommand(t, vars, "migrate", "status"); strings.Contains(out, "pending") {
		t.Fatalf("status after up: %q", out)
	}
	if out := runCommand(t, vars, "migrate", "down"); !strings.Contains(out, "rolled back") {
		t.Fatalf("down: %q", out)
	}
}

func TestSeedCommandIsDeterministic(t *testing.T) {
	t.Parallel()
	urlA, urlB := pgtest.NewURL(t), pgtest.NewURL(t)
	runCommand(t, map[string]string{"DATABASE_URL": urlA}, "seed", "--members", "300", "--seed", "7")
	runCommand(t, map[string]string{"DATABASE_URL": urlB}, "seed", "--members", "300", "--seed", "7")
	digest := func(url string) string {
		var out bytes.Buffer
		vars := map[string]string{"DATABASE_URL": url}
		cfg, _ := loadConfig(testEnv(vars))
		s, err := openStore(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), postgres.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		var sum string
		err = s.db.Bun().NewRaw(`SELECT (SELECT md5(string_agg(concat_ws('|', id, name, legal_id, kind, headcount, city, joined_on, left_on), ',' ORDER BY id)) FROM members)
			|| coalesce((SELECT md5(string_agg(concat_ws('|', l.id, e.member_id, e.name, e.booth, l.visitor_member_id, l.visitor_company, l.scanned_at,
				l.converted_link_id), ',' ORDER BY l.id)) FROM leads AS l JOIN exhibitors AS e ON e.id = l.exhibitor_id), '')`).
			Scan(context.Background(), &sum)
		if err != nil {
			t.Fatal(err)
		}
		out.WriteString(sum)
		return out.String()
	}
	if a, b := digest(urlA), digest(urlB); a != b {
		t.Fatalf("same seed, different data: %s vs %s", a, b)
	}
	// Seeding a database that holds data is refused without --replace.
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"seed"}, testEnv(map[string]string{"DATABASE_URL": urlA}), &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "--replace") {
		t.Fatalf("seed over data: %v", err)
	}
}

func TestTokenCommand(t *testing.T) {
	t.Parallel()
	vars := map[string]string{"GRAPPE_JWT_SECRET": "0123456789abcdef0123456789abcdef"}
	tok := strings.TrimSpace(runCommand(t, vars, "token", "--role", "MEMBER", "--member", "TWVtYmVyOjE"))
	if strings.Count(tok, ".") != 2 {
		t.Fatalf("token %q", tok)
	}
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"token", "--role", "MEMBER"}, testEnv(vars), &stdout, &stderr)
	if err == nil || stdout.Len() != 0 {
		t.Fatalf("MEMBER token without member: %v, stdout %q", err, stdout.String())
	}
}

func TestProductionRefusesToStartWithoutSecret(t *testing.T) {
	t.Parallel()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), nil, testEnv(map[string]string{"GRAPPE_ENV": "production", "DATABASE_URL": "postgres://unused"}), &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "GRAPPE_JWT_SECRET") {
		t.Fatalf("production without secret: %v", err)
	}
}
