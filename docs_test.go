package main

// The examples of docs/*.md run here, so that none drifts
// from the code and none shows an empty or refused result.
//
// TestDocExamples runs every ```graphql block of each file, in order,
// against a fresh database holding the demo network (seed 1, generated for
// docsToday, with the clock of the services set to docsNow), through the
// GraphQL handler and the token check the server uses. Each block must be
// preceded (blank lines aside) by an HTML comment holding one JSON object:
//
//	<!-- example: {"role": "MEMBER", "member": "Fournier & Associés", "vars": {"id": "@Pondedyne"}} -->
//
//   - "role" (required): PUBLIC (no token), MEMBER, ANALYST or STAFF.
//   - "member": for MEMBER, the exact name of a demo member, or "$key".
//   - "vars": the variables. A string "@Name" is the global id of the demo
//     member of that exact name; "$key" is a value saved by an earlier
//     example of the same file.
//   - "save": {"key": "path"} keeps values of the answer for later
//     examples of the same file; a path is dot-separated field names and
//     list indexes within data, e.g. "declareBusinessLink.link.id".
//
// An example passes when the answer has status 200, no errors, no null
// root field and no empty list anywhere in its data. The examples of one
// file share their database, so a mutation's effects are seen by the
// examples after it; each file has a database of its own.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5/middleware"

	"grappe/auth"
	"grappe/demo"
	"grappe/domain"
	"grappe/globalid"
	"grappe/graph"
	"grappe/network"
	"grappe/postgres"
	"grappe/postgres/pgtest"
	"grappe/wiring"
)

// The day the examples' demo network is generated for, and the services'
// clock: fixed, so that what the examples show does not depend on the day
// the tests run.
var (
	docsToday = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	docsNow   = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
)

// docFiles returns the Markdown files of docs/.
func docFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(files)
	return files
}

// docExample is one ```graphql block of a file with its example comment.
type docExample struct {
	Line   int // of the opening fence
	Query  string
	Role   domain.Role       `json:"role"`
	Member string            `json:"member"`
	Vars   map[string]any    `json:"vars"`
	Save   map[string]string `json:"save"`
}

var exampleComment = regexp.MustCompile(`^<!--\s*example:\s*(\{.*\})\s*-->\s*$`)

// parseExamples returns the graphql blocks of a Markdown text with their
// example comments; a block without one, or a comment without a block, is
// an error.
func parseExamples(text string) ([]docExample, error) {
	var (
		out     []docExample
		pending *docExample // a comment waiting for its block
		block   *docExample // the graphql block being read
		lines   []string
		fence   string // the fence of another block being skipped
	)
	for i, line := range strings.Split(text, "\n") {
		n := i + 1
		trimmed := strings.TrimSpace(line)
		switch {
		case block != nil:
			if trimmed == "```" {
				block.Query = strings.Join(lines, "\n")
				out = append(out, *block)
				block, lines = nil, nil
			} else {
				lines = append(lines, line)
			}
		case fence != "":
			if trimmed == fence {
				fence = ""
			}
		case trimmed == "```graphql":
			if pending == nil {
				return nil, fmt.Errorf("line %d: graphql block without an example comment before it", n)
			}
			block, pending = pending, nil
			block.Line = n
		case strings.HasPrefix(trimmed, "```"):
			if pending != nil {
				return nil, fmt.Errorf("line %d: example comment of line %d is not followed by a graphql block", n, pending.Line)
			}
			fence = "```"
		case strings.HasPrefix(trimmed, "<!--") && strings.Contains(trimmed, "example:"):
			m := exampleComment.FindStringSubmatch(trimmed)
			if m == nil {
				return nil, fmt.Errorf("line %d: malformed example comment %q", n, trimmed)
			}
			if pending != nil {
				return nil, fmt.Errorf("line %d: two example comments in a row", n)
			}
			ex := docExample{Line: n}
			dec := json.NewDecoder(strings.NewReader(m[1]))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&ex); err != nil {
				return nil, fmt.Errorf("line %d: example comment: %v", n, err)
			}
			switch ex.Role {
			case domain.RolePublic, domain.RoleMember, domain.RoleAnalyst, domain.RoleStaff:
			default:
				return nil, fmt.Errorf("line %d: example comment: role %q", n, ex.Role)
			}
			if (ex.Role == domain.RoleMember) != (ex.Member != "") {
				return nil, fmt.Errorf("line %d: example comment: a MEMBER example names its member, and only it", n)
			}
			pending = &ex
		case trimmed != "" && pending != nil:
			return nil, fmt.Errorf("line %d: example comment of line %d is not followed by a graphql block", n, pending.Line)
		}
	}
	if block != nil || pending != nil || fence != "" {
		return nil, fmt.Errorf("unterminated block or dangling example comment at the end")
	}
	return out, nil
}

// docsAPI is the GraphQL endpoint over one database holding the demo network.
type docsAPI struct {
	handler http.Handler
	auth    auth.Config
	members map[string]string // demo member name → global id
}

func newDocsAPI(t *testing.T) *docsAPI {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	cfg, err := loadConfig(testEnv(nil))
	if err != nil {
		t.Fatal(err)
	}
	db := pgtest.NewDB(t)
	db.Now = func() time.Time { return docsNow }
	db.Location = cfg.TimeZone
	ds := demo.Generate(demo.Options{Seed: cfg.DemoSeed, Today: docsToday})
	if _, err := db.LoadDemoIfEmpty(ctx, ds); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	store, err := wiring.Network(ctx, db, db, log)
	if err != nil {
		t.Fatal(err)
	}
	// The server computes the small-world coefficients in the background
	// once the graph is built; here before the first example.
	job := &network.SmallWorldJob{Store: store, Log: log, Save: func(ctx context.Context, run network.SmallWorldRun) (*network.SmallWorldRun, error) {
		return db.SaveSmallWorld(ctx, run)
	}}
	if _, err := job.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	ac := auth.Config{Secret: []byte("docs-test-secret-docs-test-secret")}
	verifier, err := auth.NewVerifier(ac, db.MemberExists)
	if err != nil {
		t.Fatal(err)
	}
	gql := wiring.GraphQL(db, store, graph.HandlerOptions{
		Introspection: true, QueryCacheSize: 100, APQCacheSize: 100,
		Limits: graph.Limits{
			Depth: cfg.MaxDepth, Aliases: cfg.MaxAliases, RootFields: cfg.MaxRootFields,
			Complexity: cfg.ComplexityLimit, Tokens: cfg.MaxTokens,
		},
		MaxBodyBytes: int64(cfg.MaxBodyBytes), Logger: slog.New(slog.NewTextHandler(os.Stderr, nil)),
		MapError: postgres.MapTransient,
	})
	a := &docsAPI{handler: middleware.RequestID(verifier.Middleware(gql)), auth: ac, members: map[string]string{}}
	for _, m := range ds.Members {
		a.members[m.Name] = globalid.Encode(globalid.TypeMember, m.ID)
	}
	return a
}

// run runs one example with the values saved so far, saves its own and
// returns the answer.
func (a *docsAPI) run(ex docExample, saved map[string]any) ([]byte, error) {
	resolve := func(s string) (any, error) {
		switch {
		case strings.HasPrefix(s, "@"):
			id, ok := a.members[s[1:]]
			if !ok {
				return nil, fmt.Errorf("no demo member is named %q", s[1:])
			}
			return id, nil
		case strings.HasPrefix(s, "$"):
			v, ok := saved[s[1:]]
			if !ok {
				return nil, fmt.Errorf("no value saved as %q before", s[1:])
			}
			return v, nil
		}
		return s, nil
	}
	var tok string
	if ex.Role != domain.RolePublic {
		member := ""
		if ex.Role == domain.RoleMember {
			name := ex.Member
			if !strings.HasPrefix(name, "$") {
				name = "@" + name
			}
			v, err := resolve(name)
			if err != nil {
				return nil, err
			}
			member, _ = v.(string)
		}
		var err error
		if tok, err = auth.Issue(a.auth, ex.Role, member, time.Hour, time.Now()); err != nil {
			return nil, err
		}
	}
	var substitute func(v any) (any, error)
	substitute = func(v any) (any, error) {
		switch v := v.(type) {
		case string:
			return resolve(v)
		case []any:
			out := make([]any, len(v))
			for i, x := range v {
				var err error
				if out[i], err = substitute(x); err != nil {
					return nil, err
				}
			}
			return out, nil
		case map[string]any:
			out := make(map[string]any, len(v))
			for k, x := range v {
				var err error
				if out[k], err = substitute(x); err != nil {
					return nil, err
				}
			}
			return out, nil
		}
		return v, nil
	}
	vars, err := substitute(map[string]any(ex.Vars))
	if err != nil {
		return nil, err
	}
	body, _ := json.Marshal(map[string]any{"query": ex.Query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	rec := httptest.NewRecorder()
	a.handler.ServeHTTP(rec, req)
	data, err := checkAnswer(rec.Code, rec.Body.Bytes())
	if err != nil {
		return nil, err
	}
	for key, path := range ex.Save {
		v, err := lookupPath(data, path)
		if err != nil {
			return nil, fmt.Errorf("save %q: %v", key, err)
		}
		saved[key] = v
	}
	return rec.Body.Bytes(), nil
}

// checkAnswer decodes a GraphQL answer and returns its data: it must have
// status 200, no errors, no null root field and no empty list.
func checkAnswer(status int, body []byte) (map[string]any, error) {
	var resp struct {
		Data   map[string]any    `json:"data"`
		Errors []json.RawMessage `json:"errors"`
	}
	if err := json.Unmarshal(body, &resp); err != nil {
		return nil, fmt.Errorf("answer %q: %v", body, err)
	}
	if status != http.StatusOK || len(resp.Errors) > 0 || len(resp.Data) == 0 {
		return nil, fmt.Errorf("status %d, answer %s", status, body)
	}
	for field, v := range resp.Data {
		if v == nil {
			return nil, fmt.Errorf("root field %s is null: %s", field, body)
		}
	}
	if path := emptyList(resp.Data, "data"); path != "" {
		return nil, fmt.Errorf("%s is an empty list: %s", path, body)
	}
	return resp.Data, nil
}

// emptyList returns the path of an empty list within v, or "".
func emptyList(v any, path string) string {
	switch v := v.(type) {
	case []any:
		if len(v) == 0 {
			return path
		}
		for i, x := range v {
			if p := emptyList(x, path+"."+strconv.Itoa(i)); p != "" {
				return p
			}
		}
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if p := emptyList(v[k], path+"."+k); p != "" {
				return p
			}
		}
	}
	return ""
}

// lookupPath returns the value at a dot-separated path of field names and
// list indexes.
func lookupPath(data any, path string) (any, error) {
	v := data
	for _, part := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[part]; !ok {
				return nil, fmt.Errorf("no field %q in %s", part, path)
			}
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(x) {
				return nil, fmt.Errorf("no index %q in %s", part, path)
			}
			v = x[i]
		default:
			return nil, fmt.Errorf("%s: %q is not within an object or a list", path, part)
		}
	}
	if v == nil {
		return nil, fmt.Errorf("%s is null", path)
	}
	return v, nil
}

func TestDocExamples(t *testing.T) {
	t.Parallel()
	total := 0
	for _, file := range docFiles(t) {
		text, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		examples, err := parseExamples(string(text))
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		total += len(examples)
		if len(examples) == 0 {
			continue
		}
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			a := newDocsAPI(t)
			saved := map[string]any{}
			for _, ex := range examples {
				answer, err := a.run(ex, saved)
				if err != nil {
					t.Fatalf("%s:%d (%s): %v", file, ex.Line, ex.Role, err)
				}
				t.Logf("%s:%d (%s): %s", file, ex.Line, ex.Role, answer)
			}
		})
	}
	if total == 0 {
		t.Fatal("no example found in the docs")
	}
}

// TestParseExamples checks the example convention's parser refuses what it
// should.
func TestParseExamples(t *testing.T) {
	good := "<!-- example: {\"role\": \"STAFF\"} -->\n\n```graphql\n{ trades { code } }\n```\n\n```sh\nls\n```\n"
	if ex, err := parseExamples(good); err != nil || len(ex) != 1 || ex[0].Query != "{ trades { code } }" || ex[0].Line != 3 {
		t.Fatalf("parse %q: %+v, %v", good, ex, err)
	}
	for _, bad := range []string{
		"```graphql\n{ trades { code } }\n```\n",
		"<!-- example: {\"role\": \"STAFF\"} -->\ntext\n```graphql\n{ trades { code } }\n```\n",
		"<!-- example: {\"role\": \"STAFF\"} -->\n```sh\nls\n```\n",
		"<!-- example: {\"role\": \"MEMBER\"} -->\n```graphql\n{ trades { code } }\n```\n",
		"<!-- example: {\"role\": \"STAFF\", \"as\": \"x\"} -->\n```graphql\n{ trades { code } }\n```\n",
		"<!-- example: {\"role\": \"staff\"} -->\n```graphql\n{ trades { code } }\n```\n",
		"<!-- example: {\"role\": \"STAFF\"} -->\n```graphql\n{ trades { code } }\n",
	} {
		if _, err := parseExamples(bad); err == nil {
			t.Errorf("parse %q: no error", bad)
		}
	}
}
