package main

// The examples of README.md and docs/*.md run here, so that none drifts
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
//
// TestReadmeFirstSession runs the README's first session (the ```sh block
// after "<!-- session -->") with bash, as written but for the server's
// address, against the program started as `scripts/run` starts it, with
// the demo network of today: every line it prints must be an answer with
// data and without errors, one per gql call. TestReadmeSessionHoldsEveryDay
// checks that the members the session names keep what it needs on the
// demo networks of the years to come, and TestDocLinks that the relative
// links of the docs lead somewhere.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

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

// docFiles returns README.md and the Markdown files of docs/.
func docFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(files)
	return append([]string{"README.md"}, files...)
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

// sessionBlock returns the ```sh block after "<!-- session -->" in text.
func sessionBlock(text string) (string, error) {
	_, after, ok := strings.Cut(text, "<!-- session -->")
	if !ok {
		return "", fmt.Errorf("no <!-- session --> comment")
	}
	_, after, ok = strings.Cut(after, "```sh\n")
	if !ok {
		return "", fmt.Errorf("no sh block after <!-- session -->")
	}
	block, _, ok := strings.Cut(after, "\n```")
	if !ok {
		return "", fmt.Errorf("unterminated sh block")
	}
	return block + "\n", nil
}

// readmeURL is the server's address as the README's first session writes it.
const readmeURL = "http://localhost:8080"

func TestReadmeFirstSession(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is not installed")
	}
	text, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	script, err := sessionBlock(string(text))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(script, readmeURL) {
		t.Fatalf("the session does not use %s", readmeURL)
	}
	dataDir, dbURL := filepath.Join(reachableTempDir(t), "data"), pgtest.NewURL(t)
	app := startApp(t, map[string]string{
		"DATABASE_URL": dbURL, "GRAPPE_DATA_DIR": dataDir, "PORT": "0", "GRAPPE_HOST": "127.0.0.1",
	})
	defer app.Close()

	// The session as written, but for the address: it runs in a second
	// terminal, in the repository, next to the server, with the server's
	// environment (so that scripts/run signs tokens with the secret of the
	// server's data directory, and, given DATABASE_URL, installs nothing).
	script = strings.ReplaceAll(script, readmeURL, app.URL())
	cmd := exec.Command("bash", "-e", "-u", "-c", script)
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GRAPPE_") && !strings.HasPrefix(kv, "DATABASE_URL=") {
			env = append(env, kv)
		}
	}
	cmd.Env = append(env, "GRAPPE_DATA_DIR="+dataDir, "DATABASE_URL="+dbURL)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("session: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	t.Logf("session output:\n%s", stdout.String())
	calls := regexp.MustCompile(`(?m)^\s*gql `).FindAllStringIndex(script, -1)
	answers := 0
	sc := bufio.NewScanner(&stdout)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			continue
		}
		answers++
		if _, err := checkAnswer(http.StatusOK, []byte(line)); err != nil {
			t.Errorf("answer %d: %v", answers, err)
		}
	}
	if answers != len(calls) || answers == 0 {
		t.Errorf("%d answers printed for %d gql calls:\n%s", answers, len(calls), stdout.String())
	}
	if t.Failed() {
		t.Logf("stderr:\n%s", stderr.String())
	}
}

// TestReadmeSessionHoldsEveryDay checks, on the demo networks of the days
// to come (the demo depends on the day of the first start), what the
// README's first session needs of the two members it names: both exist and
// are ACTIVE, the laboratory has the id the README shows and partners, and
// no live SUBCONTRACTING link from it to the integrator exists yet
// (declaring one would be a CONFLICT).
func TestReadmeSessionHoldsEveryDay(t *testing.T) {
	t.Parallel()
	const lab, integrator = "Laboratoire Central des Étalons et des Essais", "Systèmes de Test Leroy"
	text, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(text), lab) || !strings.Contains(string(text), integrator) {
		t.Fatalf("the README no longer names %q and %q: update this test", lab, integrator)
	}
	start := time.Now().UTC()
	for day := 0; day <= 5*365; day += 7 {
		today := start.AddDate(0, 0, day)
		ds := demo.Generate(demo.Options{Seed: 1, Today: today})
		ids := map[string]int64{}
		for _, m := range ds.Members {
			if m.Name == lab || m.Name == integrator {
				if m.Status != domain.StatusActive {
					t.Errorf("%s: %s is %s", today.Format(time.DateOnly), m.Name, m.Status)
				}
				ids[m.Name] = m.ID
			}
		}
		if len(ids) != 2 {
			t.Errorf("%s: the demo has %v of %q and %q", today.Format(time.DateOnly), ids, lab, integrator)
			continue
		}
		if ids[lab] != 11 { // the README shows its id, TWVtYmVyOjEx
			t.Errorf("%s: the laboratory is Member:%d", today.Format(time.DateOnly), ids[lab])
		}
		partners := 0
		for _, l := range ds.Links {
			if l.Status == domain.LinkConfirmed && (l.FromID == ids[lab] || l.ToID == ids[lab]) {
				partners++
			}
			live := l.Status == domain.LinkPending || l.Status == domain.LinkConfirmed
			if live && l.Kind == domain.LinkSubcontracting && l.FromID == ids[lab] && l.ToID == ids[integrator] {
				t.Errorf("%s: the demo already has the link the session declares", today.Format(time.DateOnly))
			}
		}
		if partners < 3 {
			t.Errorf("%s: the laboratory has %d confirmed links", today.Format(time.DateOnly), partners)
		}
	}
}

var (
	markdownLink = regexp.MustCompile(`\]\(([^)\s]+)\)`)
	headingLine  = regexp.MustCompile(`(?m)^#{1,6} +(.+?) *$`)
)

// slug returns GitHub's anchor of a heading.
func slug(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// TestDocLinks checks that the relative links of the README and docs/ lead
// to files that exist, and their anchors to headings of those files.
func TestDocLinks(t *testing.T) {
	t.Parallel()
	for _, file := range docFiles(t) {
		text, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range markdownLink.FindAllStringSubmatch(string(text), -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			path, anchor, _ := strings.Cut(target, "#")
			if path == "" {
				path = file
			} else {
				path = filepath.Join(filepath.Dir(file), path)
			}
			linked, err := os.ReadFile(path)
			if err != nil {
				t.Errorf("%s: link %s: %v", file, target, err)
				continue
			}
			if anchor == "" {
				continue
			}
			found := false
			for _, h := range headingLine.FindAllStringSubmatch(string(linked), -1) {
				if slug(h[1]) == anchor {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: link %s: no heading of %s has that anchor", file, target, path)
			}
		}
	}
}
