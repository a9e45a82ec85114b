package export_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"grappe/auth"
	"grappe/domain"
	"grappe/export"
	"grappe/globalid"
	"grappe/network"
)

var authCfg = auth.Config{Secret: []byte("0123456789abcdef0123456789abcdef")}

const hostile = `A & B <"C">`

// attributes are the fake database rows: member 5 is in the snapshot but
// has no row, member 6 has a row but is not in the snapshot (LAPSED).
var attributes = []domain.MemberAttributes{
	{ID: 1, Name: hostile, Kind: domain.KindCompany, SizeClass: domain.SizeSmall, Region: "Bretagne", Trades: []string{"AUTO.PARTS", "METAL"}},
	{ID: 2, Name: `Dupont, "Fils" et Cie`, Kind: domain.KindLaboratory, Region: "Normandie"},
	{ID: 3, Name: "Ligne\nbrisée", Kind: domain.KindInstitution, SizeClass: domain.SizeLarge, Trades: []string{"ROBOTICS"}},
	{ID: 4, Name: "Quatre", Kind: domain.KindMediaPartner, SizeClass: domain.SizeMicro},
	{ID: 6, Name: "Partie", Kind: domain.KindCompany},
	{ID: 7, Name: `=HYPERLINK("http://x.example","Sept")`, Kind: domain.KindCompany, Region: "@SUM(A1)", Trades: []string{"-1+1"}},
}

// testSnapshot is a small graph: a triangle 1-2-3, an edge 3-4, 5 and 7
// isolated; pairs naming member 6 (not a node) are dropped.
func testSnapshot() *network.Snapshot {
	pairs := []network.Pair{{A: 1, B: 2, Link: 10}, {A: 2, B: 3, Link: 11}, {A: 3, B: 1, Link: 12}, {A: 4, B: 3, Link: 13}, {A: 4, B: 6, Link: 14}}
	return network.Build([]int64{1, 2, 3, 4, 5, 7}, pairs, 3, time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC))
}

// source streams rows as the database would; failAfter >= 0 fails after
// that many rows.
func source(rows []domain.MemberAttributes, failAfter int) export.MembersFunc {
	return func(ctx context.Context, fn func(domain.MemberAttributes) error) error {
		for i, m := range rows {
			if i == failAfter {
				return errors.New("connection lost")
			}
			if err := fn(m); err != nil {
				return err
			}
		}
		if failAfter == len(rows) {
			return errors.New("connection lost")
		}
		return nil
	}
}

// memberExists knows the members 1 to 7, as the database would.
func memberExists(_ context.Context, id int64) (bool, error) { return id >= 1 && id <= 7, nil }

// newServer mounts the export handler as server.go does; configure may
// change its settings.
func newServer(t *testing.T, snap func() *network.Snapshot, members export.MembersFunc, configure ...func(*export.Handler)) *httptest.Server {
	t.Helper()
	v, err := auth.NewVerifier(authCfg, memberExists)
	if err != nil {
		t.Fatal(err)
	}
	h := export.New(snap, nil, members)
	h.Now = func() time.Time { return time.Date(2026, 11, 25, 23, 30, 0, 0, time.FixedZone("x", 3600)) }
	h.Log = slog.New(slog.DiscardHandler)
	for _, f := range configure {
		f(h)
	}
	r := chi.NewRouter()
	r.With(v.Middleware).Mount("/export", h)
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	return srv
}

func token(t *testing.T, role domain.Role) string {
	t.Helper()
	member := ""
	if role == domain.RoleMember {
		member = globalid.Encode(globalid.TypeMember, 1)
	}
	tok, err := auth.Issue(authCfg, role, member, time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// fetch GETs path with tok (none when empty).
func fetch(t *testing.T, srv *httptest.Server, path, tok string) (*http.Response, []byte, error) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp, body, err
}

func errorCode(t *testing.T, body []byte) string {
	t.Helper()
	var out struct {
		Errors []struct {
			Message    string
			Extensions struct{ Code string }
		}
	}
	if err := json.Unmarshal(body, &out); err != nil || len(out.Errors) != 1 || out.Errors[0].Message == "" {
		t.Fatalf("error body %q: %v", body, err)
	}
	return out.Errors[0].Extensions.Code
}

var paths = []string{"/export/network.graphml", "/export/network.csv", "/export/members.csv"}

func TestRoles(t *testing.T) {
	srv := newServer(t, testSnapshot, source(attributes, -1))
	for _, path := range paths {
		resp, body, _ := fetch(t, srv, path, "")
		if resp.StatusCode != http.StatusUnauthorized || errorCode(t, body) != domain.CodeUnauthenticated {
			t.Errorf("%s without token: %d %s", path, resp.StatusCode, body)
		}
		if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("%s without token: Content-Type %q", path, ct)
		}
		resp, body, _ = fetch(t, srv, path, "not.a.token")
		if resp.StatusCode != http.StatusUnauthorized || errorCode(t, body) != domain.CodeUnauthenticated {
			t.Errorf("%s with a bad token: %d %s", path, resp.StatusCode, body)
		}
		unknown, err := auth.Issue(authCfg, domain.RoleMember, globalid.Encode(globalid.TypeMember, 99), time.Hour, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		resp, body, _ = fetch(t, srv, path, unknown)
		if resp.StatusCode != http.StatusUnauthorized || errorCode(t, body) != domain.CodeUnauthenticated || !bytes.Contains(body, []byte("member does not exist")) {
			t.Errorf("%s as a member that does not exist: %d %s", path, resp.StatusCode, body)
		}
		for _, role := range []domain.Role{domain.RolePublic, domain.RoleMember} {
			resp, body, _ := fetch(t, srv, path, token(t, role))
			if resp.StatusCode != http.StatusForbidden || errorCode(t, body) != domain.CodeForbidden {
				t.Errorf("%s as %s: %d %s", path, role, resp.StatusCode, body)
			}
			if bytes.Contains(body, []byte("Dupont")) {
				t.Errorf("%s as %s leaks data", path, role)
			}
		}
		for _, role := range []domain.Role{domain.RoleAnalyst, domain.RoleStaff} {
			resp, body, err := fetch(t, srv, path, token(t, role))
			if err != nil || resp.StatusCode != http.StatusOK || !bytes.Contains(body, []byte("Dupont")) {
				t.Errorf("%s as %s: %d %v %.200s", path, role, resp.StatusCode, err, body)
			}
		}
	}
}

func TestHeaders(t *testing.T) {
	srv := newServer(t, testSnapshot, source(attributes, -1))
	want := map[string][2]string{
		"/export/network.graphml": {"application/graphml+xml; charset=utf-8", `attachment; filename=grappe-network-2026-11-25.graphml`},
		"/export/network.csv":     {"text/csv; charset=utf-8", `attachment; filename=grappe-network-2026-11-25.csv`},
		"/export/members.csv":     {"text/csv; charset=utf-8", `attachment; filename=grappe-members-2026-11-25.csv`},
	}
	for path, w := range want {
		resp, _, _ := fetch(t, srv, path, token(t, domain.RoleStaff))
		if ct := resp.Header.Get("Content-Type"); ct != w[0] {
			t.Errorf("%s: Content-Type %q, want %q", path, ct, w[0])
		}
		if cd := resp.Header.Get("Content-Disposition"); cd != w[1] {
			t.Errorf("%s: Content-Disposition %q, want %q", path, cd, w[1])
		}
		if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("%s: Cache-Control %q", path, cc)
		}
	}
}

// graphML is what the test reads of a GraphML document.
type graphML struct {
	XMLName xml.Name `xml:"http://graphml.graphdrawing.org/xmlns graphml"`
	Keys    []struct {
		ID   string `xml:"id,attr"`
		For  string `xml:"for,attr"`
		Name string `xml:"attr.name,attr"`
		Type string `xml:"attr.type,attr"`
	} `xml:"key"`
	Graph struct {
		EdgeDefault string  `xml:"edgedefault,attr"`
		Data        []datum `xml:"data"`
		Nodes       []struct {
			ID   string  `xml:"id,attr"`
			Data []datum `xml:"data"`
		} `xml:"node"`
		Edges []struct {
			Source string `xml:"source,attr"`
			Target string `xml:"target,attr"`
		} `xml:"edge"`
	} `xml:"graph"`
}

type datum struct {
	Key   string `xml:"key,attr"`
	Value string `xml:",chardata"`
}

func gid(id int64) string { return globalid.Encode(globalid.TypeMember, id) }

func TestGraphML(t *testing.T) {
	srv := newServer(t, testSnapshot, source(attributes, -1))
	resp, body, err := fetch(t, srv, "/export/network.graphml", token(t, domain.RoleAnalyst))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("%d %v", resp.StatusCode, err)
	}
	var g graphML
	if err := xml.Unmarshal(body, &g); err != nil {
		t.Fatalf("GraphML does not parse: %v\n%s", err, body)
	}
	keys := map[string]string{}
	for _, k := range g.Keys {
		if k.ID != k.Name {
			t.Errorf("key %q named %q", k.ID, k.Name)
		}
		keys[k.For+"/"+k.Name] = k.Type
	}
	for _, a := range []string{"label", "name", "kind", "sizeClass", "region", "trades"} {
		if keys["node/"+a] != "string" {
			t.Errorf("node attribute %s: type %q", a, keys["node/"+a])
		}
	}
	if keys["node/community"] != "int" || keys["graph/version"] != "long" || keys["graph/asOf"] != "string" {
		t.Errorf("keys %v", keys)
	}
	if g.Graph.EdgeDefault != "undirected" {
		t.Errorf("edgedefault %q", g.Graph.EdgeDefault)
	}
	if len(g.Graph.Nodes) != 6 || len(g.Graph.Edges) != 4 {
		t.Fatalf("%d nodes, %d edges; want 6, 4", len(g.Graph.Nodes), len(g.Graph.Edges))
	}
	nodes := map[string]map[string]string{}
	for _, n := range g.Graph.Nodes {
		attrs := map[string]string{}
		for _, d := range n.Data {
			attrs[d.Key] = d.Value
		}
		nodes[n.ID] = attrs
	}
	first := nodes[gid(1)]
	want := map[string]string{"label": hostile, "name": hostile, "kind": "COMPANY", "sizeClass": "SMALL", "region": "Bretagne", "trades": "AUTO.PARTS;METAL"}
	for k, v := range want {
		if first[k] != v {
			t.Errorf("member 1 %s = %q, want %q", k, first[k], v)
		}
	}
	if nodes[gid(3)]["name"] != "Ligne\nbrisée" {
		t.Errorf("line break not kept: %q", nodes[gid(3)]["name"])
	}
	if _, ok := nodes[gid(6)]; ok {
		t.Error("member 6 is not in the snapshot but was exported")
	}
	if a, ok := nodes[gid(5)]; !ok || len(a) != 1 || a["community"] == "" {
		t.Errorf("member 5 without attributes: %v, %v (want its community only)", a, ok)
	}
	// The triangle is one community, the isolated members their own.
	if c := first["community"]; c == "" || nodes[gid(2)]["community"] != c || nodes[gid(7)]["community"] == c {
		t.Errorf("communities: %v", nodes)
	}
	edges := map[[2]string]bool{}
	for _, e := range g.Graph.Edges {
		edges[[2]string{e.Source, e.Target}] = true
	}
	for _, e := range [][2]int64{{1, 2}, {1, 3}, {2, 3}, {3, 4}} {
		if !edges[[2]string{gid(e[0]), gid(e[1])}] {
			t.Errorf("edge %v missing: %v", e, edges)
		}
	}
	if !bytes.Contains(body, []byte(`A &amp; B &lt;&#34;C&#34;&gt;`)) {
		t.Errorf("hostile name not escaped as expected:\n%s", body)
	}
}

func TestCSV(t *testing.T) {
	srv := newServer(t, testSnapshot, source(attributes, -1))
	_, body, _ := fetch(t, srv, "/export/network.csv", token(t, domain.RoleStaff))
	rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("edge list: %v\n%s", err, body)
	}
	if len(rows) != 5 || strings.Join(rows[0], ",") != "source,target,source_name,target_name" {
		t.Fatalf("edge list rows: %q", rows)
	}
	if got := rows[1]; got[0] != gid(1) || got[1] != gid(2) || got[2] != hostile || got[3] != `Dupont, "Fils" et Cie` {
		t.Errorf("first edge %q", got)
	}
	if !bytes.Contains(body, []byte(`"Dupont, ""Fils"" et Cie"`)) {
		t.Errorf("name not quoted:\n%s", body)
	}

	_, body, _ = fetch(t, srv, "/export/members.csv", token(t, domain.RoleStaff))
	rows, err = csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("members: %v\n%s", err, body)
	}
	if len(rows) != 7 || strings.Join(rows[0], ",") != "id,name,kind,sizeClass,region,trades,community" {
		t.Fatalf("member rows: %q", rows)
	}
	if got := rows[1]; got[0] != gid(1) || got[1] != hostile || got[2] != "COMPANY" || got[3] != "SMALL" || got[4] != "Bretagne" || got[5] != "AUTO.PARTS;METAL" || got[6] == "" {
		t.Errorf("member 1 row %q", got)
	}
	if got := rows[3]; got[1] != "Ligne\nbrisée" {
		t.Errorf("member 3 row %q", got)
	}
	if got := rows[5]; got[0] != gid(5) || got[1] != "" {
		t.Errorf("member 5 row %q", got)
	}
	// Cells a spreadsheet would run as formulas are quoted as text.
	if got := rows[6]; got[1] != `'=HYPERLINK("http://x.example","Sept")` || got[4] != "'@SUM(A1)" || got[5] != "'-1+1" {
		t.Errorf("member 7 row %q: formulas not neutralised", got)
	}
	ids := map[string]bool{}
	for _, r := range rows[1:] {
		ids[r[0]] = true
	}
	_, edges, _ := fetch(t, srv, "/export/network.csv", token(t, domain.RoleStaff))
	erows, _ := csv.NewReader(bytes.NewReader(edges)).ReadAll()
	for _, r := range erows[1:] {
		if !ids[r[0]] || !ids[r[1]] {
			t.Errorf("edge %q names a member missing from members.csv", r)
		}
	}
}

func TestFailures(t *testing.T) {
	// No snapshot yet.
	srv := newServer(t, func() *network.Snapshot { return nil }, source(attributes, -1))
	resp, body, _ := fetch(t, srv, "/export/network.graphml", token(t, domain.RoleStaff))
	if resp.StatusCode != http.StatusServiceUnavailable || errorCode(t, body) != domain.CodeUnavailable {
		t.Errorf("without snapshot: %d %s", resp.StatusCode, body)
	}

	// The database fails before the first row: a JSON error.
	srv = newServer(t, testSnapshot, source(attributes, 0))
	for _, path := range paths {
		resp, body, _ := fetch(t, srv, path, token(t, domain.RoleStaff))
		if resp.StatusCode != http.StatusInternalServerError || errorCode(t, body) != domain.CodeInternal {
			t.Errorf("%s with the database down: %d %s", path, resp.StatusCode, body)
		}
	}

	// The database fails once the file is under way: the transfer breaks
	// rather than end in a file that looks complete.
	srv = newServer(t, testSnapshot, source(attributes, 2))
	for _, path := range []string{"/export/network.graphml", "/export/members.csv"} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+token(t, domain.RoleStaff))
		resp, err := srv.Client().Do(req)
		if err == nil {
			_, err = io.ReadAll(resp.Body)
			resp.Body.Close()
		}
		if err == nil {
			t.Errorf("%s failing midway: %d and a complete body", path, resp.StatusCode)
		}
	}
}

// TestStreams checks the file reaches the client while the rows are still
// being read: the source holds back its last row until the client has
// received the beginning of the file.
func TestStreams(t *testing.T) {
	const n = 5000
	ids := make([]int64, n)
	rows := make([]domain.MemberAttributes, n)
	for i := range n {
		ids[i] = int64(i + 1)
		rows[i] = domain.MemberAttributes{ID: int64(i + 1), Name: strings.Repeat("x", 40), Kind: domain.KindCompany}
	}
	snap := network.Build(ids, nil, 1, time.Now())
	release := make(chan struct{})
	members := func(ctx context.Context, fn func(domain.MemberAttributes) error) error {
		for i, m := range rows {
			if i == n-1 {
				select {
				case <-release:
				case <-time.After(10 * time.Second):
					return errors.New("the client never saw the beginning of the file")
				}
			}
			if err := fn(m); err != nil {
				return err
			}
		}
		return nil
	}
	srv := newServer(t, func() *network.Snapshot { return snap }, members)
	// The name is written twice per node in GraphML (label and name).
	for path, times := range map[string]int{"/export/network.graphml": 2, "/export/members.csv": 1} {
		release = make(chan struct{})
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+token(t, domain.RoleAnalyst))
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		head := make([]byte, 1024)
		if _, err := io.ReadFull(resp.Body, head); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		close(release)
		rest, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if got := bytes.Count(append(head, rest...), []byte(strings.Repeat("x", 40))); got != times*n {
			t.Errorf("%s: %d names, want %d", path, got, times*n)
		}
	}
}

// TestMeasuresStillComputed: while the network's measures are computed
// (minutes at a large network's first snapshot), an export waits at most
// MeasuresWait, then answers 503 UNAVAILABLE with a Retry-After; once they
// are computed, the file comes.
func TestMeasuresStillComputed(t *testing.T) {
	// A graph whose measures take far longer than the wait.
	const n = 1000
	ids := make([]int64, n)
	pairs := make([]network.Pair, 0, 5*n)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range n {
		ids[i] = int64(i + 1)
		for range 5 {
			pairs = append(pairs, network.Pair{A: int64(i + 1), B: rng.Int64N(n) + 1, Link: int64(len(pairs) + 1)})
		}
	}
	snap := network.Build(ids, pairs, 1, time.Now())
	rows := func(ctx context.Context, fn func(domain.MemberAttributes) error) error { return nil }
	srv := newServer(t, func() *network.Snapshot { return snap }, rows, func(h *export.Handler) { h.MeasuresWait = time.Millisecond })
	resp, body, err := fetch(t, srv, "/export/network.csv", token(t, domain.RoleAnalyst))
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusServiceUnavailable || errorCode(t, body) != domain.CodeUnavailable || resp.Header.Get("Retry-After") != "60" {
		t.Errorf("while the measures are computed: %d, Retry-After %q, %s", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	if err := snap.AwaitMeasures(context.Background()); err != nil {
		t.Fatal(err)
	}
	resp, body, err = fetch(t, srv, "/export/network.csv", token(t, domain.RoleAnalyst))
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(string(body), "source,target") {
		t.Errorf("once the measures are computed: %d, %.80s", resp.StatusCode, body)
	}
}
