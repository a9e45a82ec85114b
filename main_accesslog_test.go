package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"grappe/domain"
	"grappe/postgres"
	"grappe/postgres/pgtest"
)

// startLoggedApp starts the program like startApp, logging as JSON at
// DEBUG into the returned writer.
func startLoggedApp(t *testing.T, vars map[string]string) (*App, *syncWriter) {
	t.Helper()
	cfg, err := loadConfig(testEnv(vars))
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncWriter{w: new(bytes.Buffer)}
	app := &App{Config: cfg, Log: slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	if err := app.Start(context.Background()); err != nil {
		_ = app.Close()
		t.Fatalf("start: %v", err)
	}
	return app, logs
}

// logLines decodes JSON log output, one record a line.
func logLines(t *testing.T, out string) []map[string]any {
	t.Helper()
	var lines []map[string]any
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("log line is not JSON: %q", sc.Text())
		}
		lines = append(lines, m)
	}
	return lines
}

// accessLine returns the access line of the request with id, or nil.
func accessLine(lines []map[string]any, id string) map[string]any {
	for _, l := range lines {
		if (l["msg"] == "graphql" || l["msg"] == "client gone") && l["request_id"] == id {
			return l
		}
	}
	return nil
}

// rawPost posts body to /graphql with the given headers and returns the
// status and body.
func rawPost(t *testing.T, url, body string, headers map[string]string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url+"/graphql", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	client := http.Client{Timeout: 30 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestAccessLog: each GraphQL request gets one access line with its
// operation, type, role, status, error codes, SQL statement count,
// duration and request id, at INFO for answers (client errors included)
// and WARN for a timeout and an exhausted pool; no line holds a variable,
// a token or a contact's data, and nothing is logged at ERROR.
func TestAccessLog(t *testing.T) {
	t.Parallel()
	url := pgtest.NewURL(t)
	app, logs := startLoggedApp(t, appVars(url, map[string]string{
		"GRAPPE_REQUEST_TIMEOUT": "1s", "GRAPPE_DB_MAX_CONNS": "1", "GRAPPE_DB_POOL_WAIT": "200ms",
	}))
	defer app.Close()
	base, staff := app.URL(), staffToken(t)
	auth := map[string]string{"Authorization": "Bearer " + staff}
	with := func(h map[string]string, kv ...string) map[string]string {
		out := map[string]string{}
		for k, v := range h {
			out[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			out[kv[i]] = kv[i+1]
		}
		return out
	}
	body := func(op, query string, vars map[string]any) string {
		b, _ := json.Marshal(map[string]any{"operationName": op, "query": query, "variables": vars})
		return string(b)
	}
	// Personal data and secrets sent by the requests, none of which may
	// be logged.
	secrets := []string{staff, "Zyxwvut Personne", "zyxwvut.personne@example.org", "+33 6 12 34 56 78", "not-a-token-but-secret", "Quelquechose SARL"}

	// A mutation holding personal data.
	status, out := rawPost(t, base, body("NewMember", `mutation NewMember($name: String!) { createMember(input: {name: $name, kind: COMPANY}) { member { id } } }`,
		map[string]any{"name": "Quelquechose SARL"}), with(auth, "X-Request-Id", "t-create"))
	var created gqlResponse
	if err := json.Unmarshal([]byte(out), &created); status != 200 || err != nil || len(created.Errors) > 0 {
		t.Fatalf("createMember: %d %s", status, out)
	}
	member := created.Data["createMember"].(map[string]any)["member"].(map[string]any)["id"].(string)
	status, out = rawPost(t, base, body("AddContact", `mutation AddContact($input: AddContactInput!) { addContact(input: $input) { contact { id } } }`,
		map[string]any{"input": map[string]any{"memberId": member, "name": "Zyxwvut Personne", "email": "zyxwvut.personne@example.org", "phone": "+33 6 12 34 56 78"}}),
		with(auth, "X-Request-Id", "t-contact"))
	if status != 200 || strings.Contains(out, `"errors"`) {
		t.Fatalf("addContact: %d %s", status, out)
	}
	// A query reading it back.
	rawPost(t, base, body("Contacts", `query Contacts($id: ID!) { member(id: $id) { name contacts { name email phone } } }`,
		map[string]any{"id": member}), with(auth, "X-Request-Id", "t-read"))
	// A bad token.
	if status, _ := rawPost(t, base, body("", `{ trades { code } }`, nil), map[string]string{"Authorization": "Bearer not-a-token-but-secret", "X-Request-Id": "t-badtoken"}); status != 401 {
		t.Fatalf("bad token: %d", status)
	}
	// Request errors: a parse error, and a variable of the wrong type.
	rawPost(t, base, body("", `{ trades {`, nil), with(auth, "X-Request-Id", "t-parse", "Accept", "application/graphql-response+json"))
	rawPost(t, base, body("Find", `query Find($first: Int) { members(first: $first) { totalCount } }`, map[string]any{"first": "Zyxwvut Personne"}),
		with(auth, "X-Request-Id", "t-variables"))

	// A timeout: the statement waits on a lock until the request's deadline.
	ctx := context.Background()
	other, err := postgres.Open(ctx, url, postgres.Options{MaxOpenConns: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	tx, err := other.Bun().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, "LOCK TABLE members IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	_, out = rawPost(t, base, body("Count", `query Count { members { totalCount } }`, nil), with(auth, "X-Request-Id", "t-timeout"))
	_ = tx.Rollback()
	if !strings.Contains(out, domain.CodeTimeout) {
		t.Fatalf("request behind a lock: %s", out)
	}
	// The pool exhausted: its only connection is held.
	held, err := app.requests.Bun().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, out = rawPost(t, base, body("Count", `query Count { members { totalCount } }`, nil), with(auth, "X-Request-Id", "t-pool"))
	_ = held.Close()
	if !strings.Contains(out, domain.CodeUnavailable) {
		t.Fatalf("request with the pool exhausted: %s", out)
	}

	want := []struct {
		id, level, op, opType, role, code, outcome string
		status                                     float64
		sql                                        bool // ran statements
	}{
		{"t-create", "INFO", "NewMember", "mutation", "STAFF", "", "ok", 200, true},
		{"t-contact", "INFO", "AddContact", "mutation", "STAFF", "", "ok", 200, true},
		{"t-read", "INFO", "Contacts", "query", "STAFF", "", "ok", 200, true},
		{"t-badtoken", "INFO", "", "", "", domain.CodeUnauthenticated, "refused", 401, false},
		{"t-parse", "INFO", "", "", "STAFF", "GRAPHQL_PARSE_FAILED", "refused", 400, false},
		{"t-variables", "INFO", "Find", "query", "STAFF", domain.CodeBadUserInput, "refused", 200, false},
		{"t-timeout", "WARN", "Count", "query", "STAFF", domain.CodeTimeout, "timeout", 200, true},
		{"t-pool", "WARN", "Count", "query", "STAFF", domain.CodeUnavailable, "pool_exhausted", 200, true},
	}
	all := logs.String()
	lines := logLines(t, all)
	for _, w := range want {
		l := accessLine(lines, w.id)
		if l == nil {
			t.Errorf("%s: no access line in\n%s", w.id, all)
			continue
		}
		sql, _ := l["sql"].(float64)
		duration, _ := l["duration"].(float64)
		if l["level"] != w.level || l["op"] != w.op || l["op_type"] != w.opType || l["role"] != w.role ||
			l["code"] != w.code || l["outcome"] != w.outcome || l["status"] != w.status || (sql > 0) != w.sql || duration <= 0 {
			t.Errorf("%s: access line %v; want %+v", w.id, l, w)
		}
		n := 0
		for _, o := range lines {
			if o["request_id"] == w.id && (o["msg"] == "graphql" || o["msg"] == "client gone") {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s: %d access lines, want 1", w.id, n)
		}
	}
	for _, l := range lines {
		if l["level"] == "ERROR" {
			t.Errorf("logged at ERROR: %v", l)
		}
	}
	for _, s := range secrets {
		if strings.Contains(all, s) {
			t.Errorf("the logs hold %q:\n%s", s, all)
		}
	}
}

// TestClientGoneIsQuiet: a client that goes away while its request waits
// for a database connection (the pool's only one is held, with no pool
// wait) is logged as its own outcome, "client gone" at INFO; its failure is
// not INTERNAL and nothing is logged at ERROR.
func TestClientGoneIsQuiet(t *testing.T) {
	t.Parallel()
	app, logs := startLoggedApp(t, appVars(pgtest.NewURL(t), map[string]string{
		"GRAPPE_DB_MAX_CONNS": "1", "GRAPPE_DB_POOL_WAIT": "0",
	}))
	defer app.Close()
	ctx := context.Background()
	held, err := app.requests.Bun().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()

	clientCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	req, _ := http.NewRequestWithContext(clientCtx, http.MethodPost, app.URL()+"/graphql",
		strings.NewReader(`{"query": "query Count { members { totalCount } }"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+staffToken(t))
	req.Header.Set("X-Request-Id", "t-gone")
	done := make(chan error, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	waitFor(t, "the query waiting for a connection", 10*time.Second, func() bool {
		return app.requests.Bun().Stats().WaitCount > 0
	})
	cancel()
	if err := <-done; err == nil {
		t.Fatal("the cancelled request got an answer")
	}
	var line map[string]any
	waitFor(t, "the access line", 10*time.Second, func() bool {
		line = accessLine(logLines(t, logs.String()), "t-gone")
		return line != nil
	})
	if line["msg"] != "client gone" || line["level"] != "INFO" || line["outcome"] != "client_gone" || line["op"] != "Count" {
		t.Errorf("access line %v", line)
	}
	if code, _ := line["code"].(string); strings.Contains(code, domain.CodeInternal) {
		t.Errorf("a client gone answered INTERNAL: %v", line)
	}
	for _, l := range logLines(t, logs.String()) {
		if l["level"] == "ERROR" {
			t.Errorf("logged at ERROR: %v", l)
		}
	}
}
