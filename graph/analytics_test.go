package graph_test

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"grappe/domain"
	"grappe/globalid"
	"grappe/network"
)

// syncNetwork waits until the network graph reflects every write so far
// (some were made in SQL, behind the services' backs).
func (a *api) syncNetwork() {
	a.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := a.net.Await(ctx, a.net.Invalidate()); err != nil {
		a.t.Fatal(err)
	}
}

// smallNetwork is Alpha, Bravo, Charlie in a triangle, Charlie–Delta, Echo
// isolated, and Foxtrot LAPSED with a confirmed link to Alpha:
//
//	Alpha — Bravo
//	    \   /
//	   Charlie — Delta      Echo
type smallNetwork struct {
	a                                         *api
	alpha, bravo, charlie, delta, echo, foxtr memberData
}

func newSmallNetwork(t *testing.T) *smallNetwork {
	a := newAPI(t)
	n := &smallNetwork{a: a}
	names := []string{"Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot"}
	for i, m := range []*memberData{&n.alpha, &n.bravo, &n.charlie, &n.delta, &n.echo, &n.foxtr} {
		*m = a.create(map[string]any{"name": names[i], "kind": "COMPANY"})
	}
	for _, e := range [][2]memberData{{n.alpha, n.bravo}, {n.bravo, n.charlie}, {n.alpha, n.charlie}, {n.charlie, n.delta}, {n.foxtr, n.alpha}} {
		a.exec(`INSERT INTO business_links (from_id, to_id, kind, status, since, declared_by, confirmed_at)
			VALUES (?, ?, 'SUPPLY', 'CONFIRMED', '2024-01-01', ?, now())`, n.id(e[0]), n.id(e[1]), n.id(e[0]))
	}
	// A PENDING link is no edge.
	a.exec(`INSERT INTO business_links (from_id, to_id, kind, status, since, declared_by)
		VALUES (?, ?, 'SUPPLY', 'PENDING', '2024-01-01', ?)`, n.id(n.echo), n.id(n.alpha), n.id(n.echo))
	a.exec("UPDATE members SET left_on = joined_on WHERE id = ?", n.id(n.foxtr))
	a.syncNetwork()
	return n
}

func (n *smallNetwork) id(m memberData) int64 {
	id, err := globalid.DecodeAs("id", globalid.TypeMember, m.ID)
	if err != nil {
		n.a.t.Fatal(err)
	}
	return id
}

func (n *smallNetwork) tok(m memberData) string { return token(n.a.t, domain.RoleMember, m.ID) }

type named struct{ Name string }

func names(ms []named) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Name
	}
	return out
}

const pathQuery = `query($from: ID!, $to: ID!, $maxHops: Int) {
  path(from: $from, to: $to, maxHops: $maxHops) { hops members { name } links { id status } }
}`

func TestPathThroughAPI(t *testing.T) {
	t.Parallel()
	n := newSmallNetwork(t)
	a := n.a
	staff := token(t, domain.RoleStaff, "")
	type pathData struct {
		Path *struct {
			Hops    int
			Members []named
			Links   []struct{ ID, Status string }
		}
	}
	var out pathData
	a.ok(staff, pathQuery, map[string]any{"from": n.alpha.ID, "to": n.delta.ID}, &out)
	if out.Path == nil || out.Path.Hops != 2 || !slices.Equal(names(out.Path.Members), []string{"Alpha", "Charlie", "Delta"}) ||
		len(out.Path.Links) != 2 || out.Path.Links[0].Status != "CONFIRMED" {
		t.Fatalf("path Alpha→Delta = %+v", out.Path)
	}
	// Too short a limit, an isolated member, a LAPSED one: null.
	for _, vars := range []map[string]any{
		{"from": n.alpha.ID, "to": n.delta.ID, "maxHops": 1},
		{"from": n.alpha.ID, "to": n.echo.ID},
		{"from": n.alpha.ID, "to": n.foxtr.ID},
		{"from": n.alpha.ID, "to": globalid.Encode(globalid.TypeMember, 999999)},
	} {
		out = pathData{}
		a.ok(staff, pathQuery, vars, &out)
		if out.Path != nil {
			t.Errorf("path %v = %+v, want null", vars, out.Path)
		}
	}
	// The members and the links of a path cost one statement each.
	if got := countStatementsWith(t, a, staff, pathQuery, map[string]any{"from": n.alpha.ID, "to": n.delta.ID}); got > 2 {
		t.Errorf("path took %d statements, want at most 2", got)
	}
	for _, hops := range []int{0, 51} {
		resp := a.do(staff, pathQuery, map[string]any{"from": n.alpha.ID, "to": n.delta.ID, "maxHops": hops})
		if resp.code() != domain.CodeBadUserInput {
			t.Errorf("maxHops %d: %+v", hops, resp.Errors)
		}
	}
	if resp := a.do(staff, pathQuery, map[string]any{"from": "nope", "to": n.delta.ID}); resp.code() != domain.CodeBadUserInput {
		t.Errorf("malformed from: %+v", resp.Errors)
	}

	// Permissions: PUBLIC never, MEMBER only from itself.
	for _, tc := range []struct {
		name, tok string
		code      string
	}{
		{"PUBLIC", "", domain.CodeForbidden},
		{"MEMBER self", n.tok(n.alpha), ""},
		{"MEMBER other", n.tok(n.bravo), domain.CodeForbidden},
		{"ANALYST", token(t, domain.RoleAnalyst, ""), ""},
		{"STAFF", staff, ""},
	} {
		resp := a.do(tc.tok, pathQuery, map[string]any{"from": n.alpha.ID, "to": n.delta.ID})
		if resp.code() != tc.code {
			t.Errorf("%s: code %q, want %q (%+v)", tc.name, resp.code(), tc.code, resp.Errors)
		}
		if tc.code != "" && string(resp.Data) != `{"path":null}` {
			t.Errorf("%s: data leaked: %s", tc.name, resp.Data)
		}
	}
}

const neighborhoodQuery = `query($id: ID!, $radius: Int, $maxNodes: Int) {
  member(id: $id) { neighborhood(radius: $radius, maxNodes: $maxNodes) { nodes { name } edges { from { name } to { name } } truncated } }
}`

type neighborhoodData struct {
	Member *struct {
		Neighborhood *struct {
			Nodes     []named
			Edges     []struct{ From, To named }
			Truncated bool
		}
	}
}

func TestNeighborhoodThroughAPI(t *testing.T) {
	t.Parallel()
	n := newSmallNetwork(t)
	a := n.a
	tok := n.tok(n.echo) // any member may look at any neighbourhood
	var out neighborhoodData
	a.ok(tok, neighborhoodQuery, map[string]any{"id": n.delta.ID}, &out)
	nb := out.Member.Neighborhood
	if !slices.Equal(names(nb.Nodes), []string{"Delta", "Charlie"}) || len(nb.Edges) != 1 || nb.Truncated {
		t.Fatalf("radius 1 of Delta = %+v", nb)
	}
	a.ok(tok, neighborhoodQuery, map[string]any{"id": n.delta.ID, "radius": 2}, &out)
	nb = out.Member.Neighborhood
	if !slices.Equal(names(nb.Nodes), []string{"Delta", "Charlie", "Alpha", "Bravo"}) || len(nb.Edges) != 4 || nb.Truncated {
		t.Fatalf("radius 2 of Delta = %+v", nb)
	}
	a.ok(tok, neighborhoodQuery, map[string]any{"id": n.delta.ID, "radius": 2, "maxNodes": 3}, &out)
	nb = out.Member.Neighborhood
	if !slices.Equal(names(nb.Nodes), []string{"Delta", "Charlie", "Alpha"}) || len(nb.Edges) != 2 || !nb.Truncated {
		t.Fatalf("radius 2 of Delta, 3 nodes = %+v", nb)
	}
	a.ok(tok, neighborhoodQuery, map[string]any{"id": n.echo.ID}, &out)
	if nb = out.Member.Neighborhood; !slices.Equal(names(nb.Nodes), []string{"Echo"}) || len(nb.Edges) != 0 {
		t.Fatalf("isolated Echo = %+v", nb)
	}
	for _, vars := range []map[string]any{
		{"id": n.delta.ID, "radius": 0}, {"id": n.delta.ID, "radius": 4},
		{"id": n.delta.ID, "maxNodes": 0}, {"id": n.delta.ID, "maxNodes": 1001},
	} {
		if resp := a.do(tok, neighborhoodQuery, vars); resp.code() != domain.CodeBadUserInput {
			t.Errorf("%v: %+v", vars, resp.Errors)
		}
	}
	for _, tc := range []struct {
		name, tok string
		code      string
	}{
		{"PUBLIC", "", domain.CodeForbidden},
		{"MEMBER self", n.tok(n.delta), ""},
		{"MEMBER other", n.tok(n.alpha), ""},
		{"ANALYST", token(t, domain.RoleAnalyst, ""), ""},
		{"STAFF", token(t, domain.RoleStaff, ""), ""},
	} {
		resp := a.do(tc.tok, neighborhoodQuery, map[string]any{"id": n.delta.ID})
		if resp.code() != tc.code {
			t.Errorf("%s: code %q, want %q (%+v)", tc.name, resp.code(), tc.code, resp.Errors)
		}
		if tc.code != "" && string(resp.Data) != `{"member":null}` {
			t.Errorf("%s: data leaked: %s", tc.name, resp.Data)
		}
	}
	// The neighbourhood of N members costs one statement for them all.
	if got := countStatementsWith(t, a, tok, neighborhoodQuery, map[string]any{"id": n.delta.ID, "radius": 3}); got > 2 {
		t.Errorf("neighborhood took %d statements, want at most 2", got)
	}
}

const centralityQuery = `query($id: ID!) {
  member(id: $id) { centrality { degree degreeCentrality pageRank betweenness closeness clustering community { id size members { name } } } }
}`

type centralityData struct {
	Member *struct {
		Centrality *struct {
			Degree           int
			DegreeCentrality float64
			PageRank         float64
			Betweenness      float64
			Closeness        float64
			Clustering       float64
			Community        *struct {
				ID, Size int
				Members  []named
			}
		}
	}
}

func TestCentralityThroughAPI(t *testing.T) {
	t.Parallel()
	n := newSmallNetwork(t)
	a := n.a
	for _, tc := range []struct {
		name, tok string
		code      string
	}{
		{"PUBLIC", "", domain.CodeForbidden},
		{"MEMBER self", n.tok(n.charlie), ""},
		{"MEMBER other", n.tok(n.alpha), domain.CodeForbidden},
		{"ANALYST", token(t, domain.RoleAnalyst, ""), ""},
		{"STAFF", token(t, domain.RoleStaff, ""), ""},
	} {
		query := centralityQuery
		if tc.name == "MEMBER self" { // a community's members are for analysts and staff
			query = strings.Replace(query, " members { name }", "", 1)
		}
		resp := a.do(tc.tok, query, map[string]any{"id": n.charlie.ID})
		if resp.code() != tc.code {
			t.Errorf("%s: code %q, want %q (%+v)", tc.name, resp.code(), tc.code, resp.Errors)
			continue
		}
		if tc.code != "" {
			if string(resp.Data) != `{"member":null}` {
				t.Errorf("%s: data leaked: %s", tc.name, resp.Data)
			}
			continue
		}
		var out centralityData
		a.ok(tc.tok, query, map[string]any{"id": n.charlie.ID}, &out)
		c := out.Member.Centrality
		// n = 5 ACTIVE members; Charlie has 3 partners, of which one pair
		// (Alpha–Bravo) is linked; it is on the paths from Delta to Alpha
		// and Bravo: 4 ordered pairs over (n−1)(n−2) = 12.
		if c.Degree != 3 || !near(c.DegreeCentrality, 0.75) || !near(c.Betweenness, 4.0/12) ||
			!near(c.Clustering, 1.0/3) || !near(c.Closeness, 3.0/3*3.0/4) || c.PageRank <= 0.2 || c.Community == nil {
			t.Errorf("%s: Charlie's centrality = %+v", tc.name, c)
		}
	}
	// A member reads its community's id and size, not its members.
	resp := a.do(n.tok(n.charlie), centralityQuery, map[string]any{"id": n.charlie.ID})
	if resp.code() != domain.CodeForbidden || len(resp.Errors) != 1 || fmt.Sprint(resp.Errors[0].Path) != "[member centrality community members]" ||
		strings.Contains(string(resp.Data), `"name"`) {
		t.Errorf("MEMBER reading its community's members: %s %+v", resp.Data, resp.Errors)
	}
	// A LAPSED member: zeros and no community.
	var out centralityData
	a.ok(token(t, domain.RoleStaff, ""), centralityQuery, map[string]any{"id": n.foxtr.ID}, &out)
	if c := out.Member.Centrality; c.Degree != 0 || c.PageRank != 0 || c.Community != nil {
		t.Errorf("LAPSED Foxtrot's centrality = %+v", c)
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

const networkQuery = `{
  network {
    asOf memberCount linkCount density componentCount largestComponentSize averageDegree
    averageClustering averageShortestPath diameter modularity
    communities { id size members { name } }
    brokers(first: 2) { member { name } score }
    central(by: DEGREE, first: 2) { member { name } score }
    articulationMembers { name }
    isolatedMembers { name }
  }
}`

func TestNetworkThroughAPI(t *testing.T) {
	t.Parallel()
	n := newSmallNetwork(t)
	a := n.a
	for _, tc := range []struct {
		name, tok string
		code      string
	}{
		{"PUBLIC", "", domain.CodeForbidden},
		{"MEMBER", n.tok(n.alpha), domain.CodeForbidden},
		{"ANALYST", token(t, domain.RoleAnalyst, ""), ""},
		{"STAFF", token(t, domain.RoleStaff, ""), ""},
	} {
		if resp := a.do(tc.tok, networkQuery, nil); resp.code() != tc.code {
			t.Errorf("%s: code %q, want %q (%+v)", tc.name, resp.code(), tc.code, resp.Errors)
		}
	}
	var out struct {
		Network struct {
			AsOf                                      time.Time
			MemberCount, LinkCount, ComponentCount    int
			LargestComponentSize, Diameter            int
			Density, AverageDegree, AverageClustering float64
			AverageShortestPath, Modularity           float64
			Communities                               []struct {
				ID, Size int
				Members  []named
			}
			Brokers, Central []struct {
				Member named
				Score  float64
			}
			ArticulationMembers, IsolatedMembers []named
		}
	}
	a.ok(token(t, domain.RoleAnalyst, ""), networkQuery, nil, &out)
	nw := out.Network
	// Largest component Alpha, Bravo, Charlie, Delta: distances 1,1,2 / 1,1,2
	// / 1,1,1 / 2,2,1 → 16 over 12 ordered pairs.
	if nw.AsOf.IsZero() || nw.MemberCount != 5 || nw.LinkCount != 4 || nw.ComponentCount != 2 ||
		nw.LargestComponentSize != 4 || nw.Diameter != 2 || !near(nw.Density, 0.4) || !near(nw.AverageDegree, 1.6) ||
		!near(nw.AverageShortestPath, 16.0/12) || !near(nw.AverageClustering, (1+1+1.0/3)/5) {
		t.Errorf("network = %+v", nw)
	}
	if got := names(nw.ArticulationMembers); !slices.Equal(got, []string{"Charlie"}) {
		t.Errorf("articulation members = %v", got)
	}
	if got := names(nw.IsolatedMembers); !slices.Equal(got, []string{"Echo"}) {
		t.Errorf("isolated members = %v", got)
	}
	if len(nw.Brokers) != 1 || nw.Brokers[0].Member.Name != "Charlie" || !near(nw.Brokers[0].Score, 4.0/12) {
		t.Errorf("brokers = %+v", nw.Brokers)
	}
	if len(nw.Central) != 2 || nw.Central[0].Member.Name != "Charlie" || !near(nw.Central[0].Score, 0.75) {
		t.Errorf("central by degree = %+v", nw.Central)
	}
	total := 0
	for _, c := range nw.Communities {
		total += c.Size
		if c.Size != len(c.Members) {
			t.Errorf("community %d: size %d, %d members", c.ID, c.Size, len(c.Members))
		}
	}
	if total != 5 || nw.Modularity < 0 {
		t.Errorf("communities = %+v, modularity %v", nw.Communities, nw.Modularity)
	}
	// Each of the network's five member lists reads its members in one
	// statement at most (the look-ahead reads a list's members as soon as
	// it is known; lists known together share a statement).
	if got := countStatements(t, a, token(t, domain.RoleAnalyst, ""), networkQuery); got > 5 {
		t.Errorf("network took %d statements, want at most 5", got)
	}
	for _, first := range []int{0, 101} {
		resp := a.do(token(t, domain.RoleAnalyst, ""), `query($f: Int) { network { brokers(first: $f) { score } } }`, map[string]any{"f": first})
		if resp.code() != domain.CodeBadUserInput {
			t.Errorf("brokers(first: %d): %+v", first, resp.Errors)
		}
	}

	// A confirmed link shows once the graph is rebuilt: Delta–Echo joins
	// the components.
	before := a.net.Snapshot().Version
	l := a.declare(n.tok(n.delta), map[string]any{"fromId": n.delta.ID, "toId": n.echo.ID, "kind": "SUPPLY"})
	if resp := a.answer(n.tok(n.echo), "confirmBusinessLink", map[string]any{"id": l.ID}); resp.code() != "" {
		t.Fatalf("confirm: %+v", resp.Errors)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if snap, err := a.net.Await(ctx, before+1); err != nil || snap.ComponentCount() != 1 {
		t.Fatalf("after confirming Delta–Echo: %v", err)
	}
}

func TestAnalyticsComplexity(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	staff := token(t, domain.RoleStaff, "")
	for _, q := range []string{
		`{ members(first: 100) { edges { node { centrality { degree } } } } }`,
		`{ members(first: 100) { edges { node { neighborhood { nodes { name } } } } } }`,
		`{ members(first: 20) { edges { node { neighborhood(maxNodes: 1000) { nodes { name } edges { from { name } to { name } } } } } } }`,
	} {
		if resp := a.do(staff, q, nil); resp.code() != "QUERY_TOO_COMPLEX" {
			t.Errorf("%s: %d %+v", q, resp.Status, resp.Errors)
		}
	}
	var ok struct{ Members struct{ Edges []any } }
	a.ok(staff, `{ members(first: 20) { edges { node { centrality { degree } } } } }`, nil, &ok)
}

// TestAllPairsMeasuresEstimatedAboveExactLimit checks that a large network
// answers its all-pairs measures with the estimates from sampled pivots,
// computed in the background, and says they are estimated. (Before they are
// computed those fields answer UNAVAILABLE: see
// TestRequirePathMeasures.)
func TestAllPairsMeasuresEstimatedAboveExactLimit(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	a.exec(`INSERT INTO members (name, kind, joined_on) SELECT 'M' || g, 'COMPANY', '2020-01-01' FROM generate_series(1, ?) g`, network.ExactLimit+1)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := a.net.Await(ctx, a.net.Invalidate()); err != nil {
		t.Fatal(err)
	}
	analyst := token(t, domain.RoleAnalyst, "")
	var ok struct {
		Network struct {
			MemberCount, ComponentCount, Diameter int
			AverageShortestPath                   float64
			Estimated                             bool
			SampleSize                            *int
			PathMeasuresAsOf                      *time.Time
			Brokers                               []struct{ Score float64 }
			Central                               []struct{ Score float64 }
		}
	}
	a.ok(analyst, `{ network { memberCount componentCount diameter averageShortestPath estimated sampleSize pathMeasuresAsOf
		brokers { score } central(by: BETWEENNESS, first: 3) { score } } }`, nil, &ok)
	n := ok.Network
	if n.MemberCount != network.ExactLimit+1 || n.ComponentCount != network.ExactLimit+1 {
		t.Fatalf("cheap measures: %+v", n)
	}
	if !n.Estimated || n.SampleSize == nil || *n.SampleSize != network.SampleSize || n.PathMeasuresAsOf == nil {
		t.Fatalf("estimated %v, sample size %v, computed at %v", n.Estimated, n.SampleSize, n.PathMeasuresAsOf)
	}
	if n.Diameter != 0 || n.AverageShortestPath != 0 || len(n.Brokers) != 0 || len(n.Central) != 3 {
		t.Fatalf("estimates of isolated members: %+v", n)
	}
	for _, c := range n.Central {
		if c.Score != 0 {
			t.Fatalf("central by betweenness: %+v", n.Central)
		}
	}
	var centrality struct {
		Members struct {
			Edges []struct {
				Node struct {
					Centrality struct{ Betweenness, Closeness float64 }
				}
			}
		}
	}
	a.ok(analyst, `{ members(first: 1) { edges { node { centrality { betweenness closeness } } } } }`, nil, &centrality)
	if len(centrality.Members.Edges) != 1 || centrality.Members.Edges[0].Node.Centrality.Closeness != 0 {
		t.Fatalf("centrality: %+v", centrality)
	}
	var central struct {
		Network struct{ Central []struct{ Score float64 } }
	}
	a.ok(analyst, `{ network { central(by: DEGREE, first: 3) { score } } }`, nil, &central)
	if len(central.Network.Central) != 3 {
		t.Fatalf("central by degree: %+v", central)
	}
}
