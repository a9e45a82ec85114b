package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"grappe/demo"
	"grappe/domain"
	"grappe/network"
	"grappe/postgres"
	"grappe/postgres/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

var testSecret = []byte("bench-test-secret-bench-test-secret")

// demoDB returns the URL of a fresh database holding the demo network, and
// the database opened.
func demoDB(t *testing.T) (string, *postgres.DB) {
	t.Helper()
	url := pgtest.NewURL(t)
	db, err := postgres.Open(context.Background(), url, postgres.Options{MaxOpenConns: 8})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	ds := demo.Generate(demo.Options{Seed: 1, Today: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)})
	if _, err := db.LoadDemoIfEmpty(context.Background(), ds); err != nil {
		t.Fatal(err)
	}
	return url, db
}

// demoHandler returns grappe's handler over db with its network graph, and
// a sampler of db.
func demoHandler(t *testing.T, db *postgres.DB) (http.Handler, *sampler) {
	t.Helper()
	ctx := context.Background()
	store := network.NewStore(db.NetworkGraph, slog.New(slog.DiscardHandler))
	if err := store.Start(ctx); err != nil {
		t.Fatal(err)
	}
	h, err := newHandler(db, store, testSecret)
	if err != nil {
		t.Fatal(err)
	}
	s, err := loadSampler(ctx, db.Bun(), 1)
	if err != nil {
		t.Fatal(err)
	}
	return h, s
}

// gqlResponse is a decoded GraphQL response.
type gqlResponse struct {
	Data   map[string]json.RawMessage
	Errors []struct {
		Message    string
		Extensions struct{ Code string }
	}
}

func serve(t *testing.T, h http.Handler, query string, vars map[string]any, token string) gqlResponse {
	t.Helper()
	body, code := serveInProcess(context.Background(), h, gqlBody(query, vars), token)
	var resp gqlResponse
	if err := json.Unmarshal(body, &resp); err != nil || code != http.StatusOK {
		t.Fatalf("status %d, body %s", code, body)
	}
	return resp
}

// TestScenariosReturnData serves each scenario's document, with variables
// drawn from the demo network, and checks it returns data without errors.
func TestScenariosReturnData(t *testing.T) {
	t.Parallel()
	_, db := demoDB(t)
	h, s := demoHandler(t, db)
	if s.Members() < 150 || len(s.words) == 0 {
		t.Fatalf("sampler: %d members, %d words", s.Members(), len(s.words))
	}
	tok := newTokens(testSecret)
	edges := func(raw json.RawMessage) int {
		var conn struct{ Edges []json.RawMessage }
		if err := json.Unmarshal(raw, &conn); err != nil {
			t.Fatal(err)
		}
		return len(conn.Edges)
	}
	deep := map[string]bool{} // the shapes whose answer reached their deepest relation once
	for _, name := range scenarioOrder {
		sc := scenarios[name]
		if name == "write" {
			continue
		}
		for range 5 {
			sm := s.Sample()
			resp := serve(t, h, sc.Query, sc.Vars(sm), tok.get(sc.Role, sc.viewerOf(sm)))
			if len(resp.Errors) > 0 {
				t.Fatalf("%s %+v: %+v", name, sm, resp.Errors)
			}
			if slices.Contains(shapeOrder, name) && reaches(name, resp) {
				deep[name] = true
			}
			switch name {
			case "directory", "search", "directory-near":
				// The directory filters on the sample member's own trade and
				// region, or its position; the word comes from an active
				// member's description.
				if n := edges(resp.Data["members"]); n == 0 {
					t.Errorf("%s %+v: no member", name, sm)
				}
				if name == "directory-near" && !bytes.Contains(resp.Data["members"], []byte(`"distanceKm":0,`)) {
					t.Errorf("directory-near %+v: the member itself is not first, at 0 km: %s", sm, resp.Data["members"])
				}
			case "nested":
				if n := edges(resp.Data["members"]); n != 50 {
					t.Errorf("nested: %d members, want 50", n)
				}
			case "profile":
				if string(resp.Data["member"]) == "null" {
					t.Errorf("profile %+v: no member", sm)
				}
			case "dashboard":
				if !bytes.Contains(resp.Data["dashboard"], []byte(`"memberCount":`)) {
					t.Errorf("dashboard: %s", resp.Data["dashboard"])
				}
			case "path":
				if _, ok := resp.Data["path"]; !ok {
					t.Errorf("path: no path field")
				}
			}
		}
	}

	for _, name := range shapeOrder {
		if !deep[name] {
			t.Errorf("%s: no answer of 5 holds %s", name, shapeMinimum[name])
		}
	}

	// write: a declaration, then its confirmation by the other member.
	sm := s.Sample()
	resp := serve(t, h, declareLink, declareVars(sm), tok.get(domain.RoleMember, memberID(sm.MemberID)))
	if len(resp.Errors) > 0 {
		t.Fatalf("declare: %+v", resp.Errors)
	}
	var declared struct {
		Link struct {
			ID, Status string
			To         struct{ ID string }
		}
	}
	if err := json.Unmarshal(resp.Data["declareBusinessLink"], &declared); err != nil || declared.Link.Status != "PENDING" || declared.Link.To.ID != memberID(sm.OtherID) {
		t.Fatalf("declare: %s (%v)", resp.Data["declareBusinessLink"], err)
	}
	resp = serve(t, h, confirmLink, map[string]any{"id": declared.Link.ID}, tok.get(domain.RoleMember, declared.Link.To.ID))
	if len(resp.Errors) > 0 || !bytes.Contains(resp.Data["confirmBusinessLink"], []byte(`"CONFIRMED"`)) {
		t.Fatalf("confirm: %s %+v", resp.Data["confirmBusinessLink"], resp.Errors)
	}
}

// shapeMinimum is, per shape, a JSON fragment its answer must contain on
// the demo network: each shape reaches its deepest relation.
var shapeMinimum = map[string]string{
	"trade-tree":          `"complements":[{"kind":`,
	"trade-members":       `"trades":[{"code":`,
	"member-links":        `"declaredBy":{"name":`,
	"member-partners":     `"partners":{"edges":[{"node":{"name":`,
	"member-groups":       `"participants":[{"role":`,
	"group-participants":  `"counterpart":{"name":`,
	"group-meetings":      `"attendees":[{"name":`,
	"question-supporters": `"participants":[{"role":`,
	"link-parties":        `"trades":[{"code":`,
	"meeting-attendees":   `"groups":{"edges":[{"node":{"name":`,
	"plan-owners":         `"owner":{"name":`,
	"viewer-pending":      `"declaredBy":{"name":`,
	"network-central":     `"brokers":[{"score":`,
	"network-members":     `"members":[{"name":`,
	"neighborhood":        `"edges":[{"from":{"name":`,
	"recommendations":     `"reasons":[{"kind":`,
	"engagement":          `"community":{"id":`,
	"node":                `"id":`,
	"nodes":               `"id":`,
	"path-links":          `"hops":`,
	"audit-log":           `"contact":{"name":`,
}

// reaches reports whether a shape's answer holds its shapeMinimum fragment.
func reaches(name string, resp gqlResponse) bool {
	want, ok := shapeMinimum[name]
	if !ok {
		return false
	}
	for _, v := range resp.Data {
		if bytes.Contains(v, []byte(want)) {
			return true
		}
	}
	return false
}

// TestAttackAndRawReplay loads grappe's handler, a peer standing in for
// PostGraphile (grappe again, behind a token) and grappe's recorded SQL
// briefly, and checks every request is served.
func TestAttackAndRawReplay(t *testing.T) {
	t.Parallel()
	url, db := demoDB(t)
	h, s := demoHandler(t, db)
	tok := newTokens(testSecret)
	srv := httptest.NewServer(h)
	defer srv.Close()
	peer := httptest.NewServer(withToken(h, tok.get(domain.RoleAnalyst, "")))
	defer peer.Close()
	opts := attackOptions{Concurrency: 2, Duration: 300 * time.Millisecond}
	me := os.Getpid()

	check := func(m *measure) {
		t.Helper()
		m.close()
		if m.Requests == 0 || m.Errors > 0 || m.RPS() <= 0 || m.Latencies.Latencies.P99 <= 0 {
			t.Errorf("%s on %s: %d requests, %d errors (%s), %.0f/s", m.Scenario, m.Server, m.Requests, m.Errors, m.FirstErr, m.RPS())
		}
	}
	dir := &measure{Scenario: "directory", Server: "grappe"}
	attack(target{Name: "grappe", Endpoint: srv.URL, PID: me}, grappeTargeter(srv.URL, scenarios["directory"], s, tok), opts, dir, false, nil)
	check(dir)
	if dir.CPUTicks < 0 || dir.PeakRSS <= 0 {
		t.Errorf("directory: CPU %d ticks, peak RSS %d", dir.CPUTicks, dir.PeakRSS)
	}

	ps := PeerScenario{Query: scenarios["profile"].Query, Vars: scenarios["profile"].Vars}
	prof := &measure{Scenario: "profile", Server: "peer"}
	attack(target{Name: "peer", Endpoint: peer.URL}, peerTargeter(peer.URL, ps, s), opts, prof, false, nil)
	check(prof)

	w := newWriter(srv.URL, s, tok)
	write := &measure{Scenario: "write", Server: "grappe"}
	attack(target{Name: "grappe", Endpoint: srv.URL}, w.Targeter(), attackOptions{Concurrency: 2, Duration: time.Second}, write, true, w.OnResult)
	check(write)
	if w.declared.Load() == 0 || w.confirmed.Load() == 0 {
		t.Errorf("write: %s", w.Note())
	}

	reqs, err := recordSQL(context.Background(), url, scenarios["profile"], s, tok, testSecret, 5)
	if err != nil {
		t.Fatal(err)
	}
	var recorded, prepared int
	for _, r := range reqs {
		if len(r) == 0 {
			t.Fatalf("a profile request ran no SQL")
		}
		recorded += len(r)
		for _, st := range r {
			if st.Args != nil {
				prepared++
			}
		}
	}
	if prepared == 0 {
		t.Errorf("none of the %d recorded statements has parameters: the replay would prepare none", recorded)
	}
	raw := &measure{Scenario: "profile", Server: rawServer}
	if err := runRaw(context.Background(), url, reqs, opts, raw); err != nil {
		t.Fatal(err)
	}
	check(raw)
	if avg := float64(raw.Statements) / float64(raw.StatementCount); avg < 1 {
		t.Errorf("raw profile: %.1f statements a request (recorded %d in 5)", avg, recorded)
	}
}

// withToken serves every request with the given Bearer token.
func withToken(h http.Handler, token string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Header.Set("Authorization", "Bearer "+token)
		h.ServeHTTP(w, r)
	})
}

// TestReportRenders renders a report and writes it twice into a file with
// a hand-written head, which stays.
func TestReportRenders(t *testing.T) {
	t.Parallel()
	g := &measure{Scenario: "directory", Server: "grappe", Requests: 1000, Elapsed: 2 * time.Second, Statements: 2000, StatementCount: 1000, CPUTicks: 50, PeakRSS: 40 << 20}
	p := &measure{Scenario: "directory", Server: "peer", Requests: 500, Errors: 5, FirstErr: "500 Internal Server Error", Elapsed: 2 * time.Second}
	raw := &measure{Scenario: "directory", Server: rawServer, Requests: 4000, Elapsed: 2 * time.Second, DBTicks: 80, DBProcs: 9}
	for _, m := range []*measure{g, p, raw} {
		m.close()
	}
	rep := &report{
		Command: "go run ./bench -members 1000", Date: time.Date(2026, 11, 25, 23, 0, 0, 0, time.UTC),
		Machine: machine(), Postgres: "PostgreSQL 15", GoVersion: "go1.26", Commit: "abc1234",
		Concurrency: 8, Duration: 10 * time.Second, Warmup: 2 * time.Second, Rounds: 2, Peers: []string{"peer"},
		Datasets: []*dataset{{Members: 1000, Links: 5877, Measures: []*measure{g, p}, Raw: []*measure{raw}}},
	}
	path := filepath.Join(t.TempDir(), "BENCHMARKS.md")
	head := "# Benchmarks\n\nHow to run.\n"
	if err := os.WriteFile(path, []byte(head), 0o644); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := writeReport(path, rep); err != nil {
			t.Fatal(err)
		}
	}
	b, _ := os.ReadFile(path)
	out := string(b)
	for _, want := range []string{
		head + "\n" + resultsMarker + "\n\n## Results of 2026-11-25 23:00 UTC",
		"### 1,000 members, 5,877 business links",
		"| directory | grappe | 500 |",
		"| directory | peer | 250 |",
		"| 5 (1.0%) |",
		"| 2.0 | 0.50 |",
		"| 40 |",
		"| directory | peer | 2.00 |",
		"| directory | 500 | 2000 | 0.25 |",
		"first error: 500 Internal Server Error",
		"in 2 rounds, servers alternating",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if strings.Count(out, resultsMarker) != 1 {
		t.Errorf("the marker is not there once:\n%s", out)
	}
}

func TestRedactArgs(t *testing.T) {
	t.Parallel()
	got := strings.Join(redactArgs([]string{"-db", "postgres://u:secret@h/db", "--db=postgres://u:pw@h/db", "-members", "1000"}), " ")
	if want := "-db postgres://u:xxxxx@h/db --db=postgres://u:xxxxx@h/db -members 1000"; got != want {
		t.Errorf("redactArgs = %q, want %q", got, want)
	}
}

// TestRun runs the whole harness briefly: the grappe binary built and
// started on a demo database, a peer registered, raw SQL, the report.
func TestRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the grappe binary")
	}
	url, db := demoDB(t)
	h, _ := demoHandler(t, db)
	tok := newTokens(testSecret)
	registerPeer("stand-in", peerFactory{
		Start: func(ctx context.Context, dbURL string, port int) (string, func() error, error) {
			l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port))
			if err != nil {
				return "", nil, err
			}
			srv := &http.Server{Handler: withToken(h, tok.get(domain.RoleAnalyst, ""))}
			go func() { _ = srv.Serve(l) }()
			return "http://" + l.Addr().String() + "/graphql", srv.Close, nil
		},
		Scenarios: func() map[string]PeerScenario {
			sc := scenarios["directory"]
			return map[string]PeerScenario{"directory": {Query: sc.Query, Vars: sc.Vars}}
		},
	})
	defer delete(peers, "stand-in")
	out := filepath.Join(t.TempDir(), "BENCHMARKS.md")
	err := run(context.Background(), []string{
		"-db", url, "-scenarios", "directory,profile,write", "-duration", "300ms", "-warmup", "100ms",
		"-concurrency", "2", "-rounds", "2", "-peer", "stand-in", "-raw", "directory", "-raw-samples", "5",
		"-settle", "0", "-out", out,
	}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(out)
	report := string(b)
	for _, want := range []string{"| directory | grappe |", "| directory | stand-in |", "| profile | grappe |", "| write | grappe |", "| directory | " + rawServer + " |", "requests/s grappe/peer"} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}
	for _, line := range strings.Split(report, "\n") {
		// grappe's rows: no errors, statement counts from the server.
		if strings.Contains(line, "| grappe |") {
			cells := strings.Split(line, "|")
			if strings.TrimSpace(cells[7]) != "0" || strings.TrimSpace(cells[8]) == "–" {
				t.Errorf("row %s", line)
			}
		}
	}
}

// TestSelectScenarioGroups checks -scenarios' groups: shapes, peer, all,
// mixed with names, without repeats.
func TestSelectScenarioGroups(t *testing.T) {
	t.Parallel()
	names := func(list string) []string {
		t.Helper()
		scs, err := selectScenarios(list)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, sc := range scs {
			out = append(out, sc.Name)
		}
		return out
	}
	if got := names("shapes"); !slices.Equal(got, shapeOrder) {
		t.Errorf("shapes = %v", got)
	}
	if got := names(""); !slices.Equal(got, scenarioOrder) || got[len(got)-1] != "write" {
		t.Errorf("all = %v", got)
	}
	peer := names("peer")
	for _, n := range peer {
		if _, ok := postgraphileScenarios()[n]; !ok {
			t.Errorf("peer holds %s, which PostGraphile has no document for", n)
		}
	}
	if len(peer) != len(postgraphileScenarios()) {
		t.Errorf("peer = %v, PostGraphile has %d documents", peer, len(postgraphileScenarios()))
	}
	if got := names("dashboard,shapes,trade-tree"); len(got) != len(shapeOrder)+1 || got[0] != "dashboard" {
		t.Errorf("dashboard,shapes,trade-tree = %v", got)
	}
	for _, name := range shapeOrder {
		sc := scenarios[name]
		if sc.Name != name || sc.Vars == nil || sc.Role == "" {
			t.Errorf("shape %s: %+v", name, sc)
		}
	}
	if _, err := selectScenarios("shapes,nope"); err == nil {
		t.Error("an unknown scenario is accepted")
	}
}
