package graph_test

import (
	"math"
	"slices"
	"testing"
	"time"

	"grappe/domain"
)

// consoleGraphQuery is what the console asks to draw the network
// (docs/schema.md, "The whole network graph").
const consoleGraphQuery = `query ConsoleGraph {
  network {
    asOf memberCount linkCount modularity
    communities { id size }
    graph {
      nodes { member { id name kind sizeClass address { region } trades { id name } }
              degree pageRank community betweenness broker articulation }
      edges { from to links }
    }
  }
}`

// consoleGraph is the answer to consoleGraphQuery.
type consoleGraph struct {
	Network struct {
		AsOf                   time.Time
		MemberCount, LinkCount int
		Modularity             float64
		Communities            []struct{ ID, Size int }
		Graph                  struct {
			Nodes []struct {
				Member struct {
					ID, Name, Kind, SizeClass string
					Address                   struct{ Region string }
					Trades                    []struct{ ID, Name string }
				}
				Degree       int
				PageRank     float64
				Community    *int
				Betweenness  *float64
				Broker       bool
				Articulation bool
			}
			Edges []struct {
				From, To string
				Links    int
			}
		}
	}
}

func TestNetworkGraphThroughAPI(t *testing.T) {
	t.Parallel()
	n := newSmallNetwork(t)
	a := n.a
	// A second CONFIRMED link between Alpha and Bravo, of another kind: still
	// one edge, of two links.
	a.exec(`INSERT INTO business_links (from_id, to_id, kind, status, since, declared_by, confirmed_at)
		VALUES (?, ?, 'PARTNERSHIP', 'CONFIRMED', '2024-01-01', ?, now())`, n.id(n.bravo), n.id(n.alpha), n.id(n.bravo))
	a.syncNetwork()

	const small = `{ network { graph { nodes { degree } } } }`
	for _, tc := range []struct {
		name, tok string
		code      string
	}{
		{"PUBLIC", "", domain.CodeForbidden},
		{"MEMBER", n.tok(n.alpha), domain.CodeForbidden},
		{"ANALYST", token(t, domain.RoleAnalyst, ""), ""},
		{"STAFF", token(t, domain.RoleStaff, ""), ""},
	} {
		for _, q := range []string{small, consoleGraphQuery} {
			resp := a.do(tc.tok, q, nil)
			if resp.code() != tc.code {
				t.Errorf("%s: code %q, want %q (%+v)", tc.name, resp.code(), tc.code, resp.Errors)
			}
			if tc.code != "" && string(resp.Data) != "null" {
				t.Errorf("%s: refused, yet data %s", tc.name, resp.Data)
			}
		}
	}

	analyst := token(t, domain.RoleAnalyst, "")
	var out consoleGraph
	a.ok(analyst, consoleGraphQuery, nil, &out)
	var more struct {
		Network struct {
			PathMeasuresAsOf *time.Time
			Communities      []struct {
				ID      int
				Members []struct{ ID string }
			}
			ArticulationMembers []struct{ ID string }
			Brokers             []struct{ Member struct{ ID string } }
		}
	}
	a.ok(analyst, `query($k: Int) { network { pathMeasuresAsOf communities { id members { id } }
		articulationMembers { id } brokers(first: $k) { member { id } } } }`,
		map[string]any{"k": domain.GraphBrokers(5)}, &more)
	nw, g := out.Network, out.Network.Graph

	if nw.AsOf.IsZero() || len(g.Nodes) != nw.MemberCount || len(g.Edges) != nw.LinkCount || nw.MemberCount != 5 || nw.LinkCount != 4 {
		t.Fatalf("%d nodes for %d members, %d edges for %d links", len(g.Nodes), nw.MemberCount, len(g.Edges), nw.LinkCount)
	}
	// The nodes by member id: created in that order.
	order := []memberData{n.alpha, n.bravo, n.charlie, n.delta, n.echo}
	index := map[string]int{}
	for i, node := range g.Nodes {
		m := node.Member
		if m.ID != order[i].ID || m.Name != order[i].Name || m.Kind != "COMPANY" || m.Trades == nil {
			t.Errorf("node %d: member %+v, want %s", i, m, order[i].Name)
		}
		index[m.ID] = i
	}
	sum := 0.0
	for _, node := range g.Nodes {
		sum += node.PageRank
	}
	if math.Abs(sum-1) > 1e-9 {
		t.Errorf("PageRank sums to %v", sum)
	}
	if degrees := []int{g.Nodes[0].Degree, g.Nodes[1].Degree, g.Nodes[2].Degree, g.Nodes[3].Degree, g.Nodes[4].Degree}; !slices.Equal(degrees, []int{2, 2, 3, 1, 0}) {
		t.Errorf("degrees %v", degrees)
	}

	// Each community's members are the nodes with its id.
	community := map[string]int{}
	for _, c := range more.Network.Communities {
		for _, m := range c.Members {
			community[m.ID] = c.ID
		}
	}
	sizes := map[int]int{}
	for _, node := range g.Nodes {
		if node.Community == nil || *node.Community != community[node.Member.ID] {
			t.Errorf("%s: community %v, want %d", node.Member.Name, node.Community, community[node.Member.ID])
			continue
		}
		sizes[*node.Community]++
	}
	for _, c := range nw.Communities {
		if sizes[c.ID] != c.Size {
			t.Errorf("community %d: %d nodes, size %d", c.ID, sizes[c.ID], c.Size)
		}
	}

	// Articulation and brokers: the sets Network gives.
	var art, brokers, marked, cut []string
	for _, m := range more.Network.ArticulationMembers {
		art = append(art, m.ID)
	}
	for _, b := range more.Network.Brokers {
		brokers = append(brokers, b.Member.ID)
	}
	if more.Network.PathMeasuresAsOf == nil {
		t.Fatal("the path measures of the small network are not computed")
	}
	for _, node := range g.Nodes {
		if node.Articulation {
			cut = append(cut, node.Member.ID)
		}
		if node.Broker {
			marked = append(marked, node.Member.ID)
		}
		if node.Betweenness == nil {
			t.Errorf("%s: no betweenness", node.Member.Name)
		}
	}
	slices.Sort(art)
	slices.Sort(cut)
	slices.Sort(brokers)
	slices.Sort(marked)
	if !slices.Equal(cut, art) || !slices.Equal(cut, []string{n.charlie.ID}) {
		t.Errorf("articulation nodes %v, articulationMembers %v", cut, art)
	}
	if !slices.Equal(marked, brokers) || !slices.Equal(marked, []string{n.charlie.ID}) {
		t.Errorf("broker nodes %v, brokers %v", marked, brokers)
	}
	if b := g.Nodes[2].Betweenness; b == nil || math.Abs(*b-4.0/12) > 1e-9 {
		t.Errorf("Charlie's betweenness %v", b)
	}

	// Edges: from before to, each pair once, in order, with their links.
	type pair struct{ from, to int }
	var pairs []pair
	links := map[pair]int{}
	for _, e := range g.Edges {
		f, okF := index[e.From]
		to, okT := index[e.To]
		if !okF || !okT || f >= to {
			t.Errorf("edge %+v: from %d, to %d", e, f, to)
		}
		pairs = append(pairs, pair{f, to})
		links[pair{f, to}] = e.Links
	}
	want := []pair{{0, 1}, {0, 2}, {1, 2}, {2, 3}}
	if !slices.Equal(pairs, want) {
		t.Errorf("edges %v, want %v", pairs, want)
	}
	if links[pair{0, 1}] != 2 || links[pair{0, 2}] != 1 || links[pair{1, 2}] != 1 || links[pair{2, 3}] != 1 {
		t.Errorf("links per edge %v", links)
	}
}

// TestNetworkGraphComplexity checks that the console's query passes the
// default limit whatever the network's size, and that asking every node's
// connections or centrality does not.
func TestNetworkGraphComplexity(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	staff := token(t, domain.RoleStaff, "")
	var out consoleGraph
	a.ok(staff, consoleGraphQuery, nil, &out)
	for _, q := range []string{
		`{ network { graph { nodes { member { centrality { degree } } } } } }`,
		`{ network { graph { nodes { member { partners(first: 100) { edges { node { name } } } } } } } }`,
		`{ network { graph { nodes { member { neighborhood { nodes { name } } } } } } }`,
		`{ network { a: graph { edges { from } } b: graph { edges { from } } c: graph { edges { from } } d: graph { edges { from } } } }`,
	} {
		if resp := a.do(staff, q, nil); resp.code() != "QUERY_TOO_COMPLEX" {
			t.Errorf("%s: %d %+v", q, resp.Status, resp.Errors)
		}
	}
}
