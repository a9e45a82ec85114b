package network

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"
)

// fixture is one graph and its NetworkX 2.8 measures, written by
// testdata/gen_fixtures.py.
type fixture struct {
	Name                 string                    `json:"name"`
	Nodes                []int64                   `json:"nodes"`
	Edges                [][2]int64                `json:"edges"`
	Degree               map[string]int            `json:"degree"`
	DegreeCentrality     map[string]float64        `json:"degree_centrality"`
	PageRank             map[string]float64        `json:"pagerank"`
	Betweenness          map[string]float64        `json:"betweenness"`
	Closeness            map[string]float64        `json:"closeness"`
	Clustering           map[string]float64        `json:"clustering"`
	AverageClustering    float64                   `json:"average_clustering"`
	Density              float64                   `json:"density"`
	ComponentCount       int                       `json:"component_count"`
	LargestComponentSize int                       `json:"largest_component_size"`
	AverageDegree        float64                   `json:"average_degree"`
	AverageShortestPath  float64                   `json:"average_shortest_path"`
	Diameter             int                       `json:"diameter"`
	Modularity           float64                   `json:"modularity"`
	ArticulationPoints   []int64                   `json:"articulation_points"`
	Isolated             []int64                   `json:"isolated"`
	ShortestPathLengths  map[string]map[string]int `json:"shortest_path_lengths"`
}

// memberID maps a fixture node to a member id, so that the test exercises
// the mapping between member ids and dense indexes.
func memberID(node int64) int64 { return 1000 + 7*node }

// linkID is the link id given to the fixture edge between a and b.
func linkID(a, b int64) int64 { return 100000 + 1000*a + b }

func loadFixtures(t *testing.T) []fixture {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	var out []fixture
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var fx fixture
		if err := json.Unmarshal(b, &fx); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out = append(out, fx)
	}
	return out
}

// snapshotOf builds the fixture's graph as a snapshot.
func snapshotOf(fx fixture) *Snapshot {
	members := make([]int64, len(fx.Nodes))
	for i, v := range fx.Nodes {
		members[i] = memberID(v)
	}
	var pairs []Pair
	for _, e := range fx.Edges {
		pairs = append(pairs, Pair{A: memberID(e[0]), B: memberID(e[1]), Link: linkID(e[0], e[1])})
	}
	return Build(members, pairs, 1, time.Unix(0, 0))
}

func approx(a, b float64) bool {
	return math.Abs(a-b) <= 1e-6*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

func TestMeasuresAgreeWithNetworkX(t *testing.T) {
	for _, fx := range loadFixtures(t) {
		t.Run(fx.Name, func(t *testing.T) {
			t.Parallel()
			s := snapshotOf(fx)
			if s.NodeCount() != len(fx.Nodes) || s.EdgeCount() != len(fx.Edges) {
				t.Fatalf("graph has %d nodes, %d edges; want %d, %d", s.NodeCount(), s.EdgeCount(), len(fx.Nodes), len(fx.Edges))
			}
			for _, v := range fx.Nodes {
				key := strconv.FormatInt(v, 10)
				m, ok := s.Node(memberID(v))
				if !ok {
					t.Fatalf("node %d missing", v)
				}
				if m.Degree != fx.Degree[key] {
					t.Errorf("degree(%d) = %d, want %d", v, m.Degree, fx.Degree[key])
				}
				for _, c := range []struct {
					name      string
					got, want float64
				}{
					{"degree_centrality", m.DegreeCentrality, fx.DegreeCentrality[key]},
					{"pagerank", m.PageRank, fx.PageRank[key]},
					{"betweenness", m.Betweenness, fx.Betweenness[key]},
					{"closeness", m.Closeness, fx.Closeness[key]},
					{"clustering", m.Clustering, fx.Clustering[key]},
				} {
					if !approx(c.got, c.want) {
						t.Errorf("%s(%d) = %.12g, want %.12g", c.name, v, c.got, c.want)
					}
				}
			}
			for _, c := range []struct {
				name      string
				got, want float64
			}{
				{"average_clustering", s.AverageClustering(), fx.AverageClustering},
				{"density", s.Density(), fx.Density},
				{"average_degree", s.AverageDegree(), fx.AverageDegree},
				{"average_shortest_path", s.AverageShortestPath(), fx.AverageShortestPath},
			} {
				if !approx(c.got, c.want) {
					t.Errorf("%s = %.12g, want %.12g", c.name, c.got, c.want)
				}
			}
			if got := s.ComponentCount(); got != fx.ComponentCount {
				t.Errorf("components = %d, want %d", got, fx.ComponentCount)
			}
			if got := s.LargestComponentSize(); got != fx.LargestComponentSize {
				t.Errorf("largest component = %d, want %d", got, fx.LargestComponentSize)
			}
			if got := s.Diameter(); got != fx.Diameter {
				t.Errorf("diameter = %d, want %d", got, fx.Diameter)
			}
			if got := s.Modularity(); got < 0.97*fx.Modularity {
				t.Errorf("modularity = %.6f, below 97%% of NetworkX's %.6f", got, fx.Modularity)
			}
			if got, want := s.ArticulationMembers(), mapIDs(fx.ArticulationPoints); !slices.Equal(got, want) {
				t.Errorf("articulation members = %v, want %v", got, want)
			}
			if got, want := s.IsolatedMembers(), mapIDs(fx.Isolated); !slices.Equal(got, want) {
				t.Errorf("isolated members = %v, want %v", got, want)
			}
			checkCommunities(t, s)
		})
	}
}

// checkCommunities checks the communities partition the members, largest
// first, and agree with the members' own community.
func checkCommunities(t *testing.T, s *Snapshot) {
	t.Helper()
	seen := map[int64]bool{}
	prev := math.MaxInt
	for _, c := range s.Communities() {
		if len(c.Members) > prev {
			t.Errorf("community %d larger than the one before", c.ID)
		}
		prev = len(c.Members)
		for _, id := range c.Members {
			if seen[id] {
				t.Errorf("member %d in two communities", id)
			}
			seen[id] = true
			if m, _ := s.Node(id); m.Community != c.ID || len(m.CommunityMembers) != len(c.Members) {
				t.Errorf("member %d: community %d of size %d, listed in %d of size %d", id, m.Community, len(m.CommunityMembers), c.ID, len(c.Members))
			}
		}
	}
	if len(seen) != s.NodeCount() {
		t.Errorf("communities cover %d of %d members", len(seen), s.NodeCount())
	}
}

func mapIDs(nodes []int64) []int64 {
	out := make([]int64, len(nodes))
	for i, v := range nodes {
		out[i] = memberID(v)
	}
	return out
}

func TestShortestPathLengthsAgreeWithNetworkX(t *testing.T) {
	for _, fx := range loadFixtures(t) {
		if fx.ShortestPathLengths == nil {
			continue
		}
		t.Run(fx.Name, func(t *testing.T) {
			s := snapshotOf(fx)
			edges := map[[2]int64]bool{}
			for _, e := range fx.Edges {
				edges[[2]int64{memberID(e[0]), memberID(e[1])}] = true
			}
			for _, a := range fx.Nodes {
				for _, b := range fx.Nodes {
					want, reachable := fx.ShortestPathLengths[strconv.FormatInt(a, 10)][strconv.FormatInt(b, 10)]
					p, ok := s.ShortestPath(memberID(a), memberID(b), 50)
					if ok != reachable {
						t.Fatalf("path %d→%d found = %v, want %v", a, b, ok, reachable)
					}
					if !ok {
						continue
					}
					if p.Hops() != want {
						t.Errorf("path %d→%d has %d hops, want %d", a, b, p.Hops(), want)
					}
					checkPath(t, p, memberID(a), memberID(b), edges)
					if want > 0 {
						if _, ok := s.ShortestPath(memberID(a), memberID(b), want-1); ok {
							t.Errorf("path %d→%d found within %d hops", a, b, want-1)
						}
					}
				}
			}
		})
	}
}

// checkPath checks p runs from a to b along edges, with the links of the
// edges.
func checkPath(t *testing.T, p Path, a, b int64, edges map[[2]int64]bool) {
	t.Helper()
	if p.Members[0] != a || p.Members[len(p.Members)-1] != b || len(p.Links) != len(p.Members)-1 {
		t.Fatalf("path %v does not run from %d to %d", p.Members, a, b)
	}
	for i := 1; i < len(p.Members); i++ {
		u, v := min(p.Members[i-1], p.Members[i]), max(p.Members[i-1], p.Members[i])
		if !edges[[2]int64{u, v}] {
			t.Fatalf("path %v uses a missing edge %d–%d", p.Members, u, v)
		}
		if want := linkID((u-1000)/7, (v-1000)/7); p.Links[i-1] != want {
			t.Errorf("link %d of the path = %d, want %d", i-1, p.Links[i-1], want)
		}
	}
}
