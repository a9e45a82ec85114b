package network

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"grappe/demo"
	"grappe/domain"
)

// demoFixtureToday fixes the date the demo network is generated for, so
// that the NetworkX fixture of it stays valid.
var demoFixtureToday = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

// demoGraph is the network graph of the reference demo network (seed 1):
// ACTIVE members, one edge per pair with a CONFIRMED link.
func demoGraph() (nodes []int64, edges [][2]int64) {
	ds := demo.Generate(demo.Options{Seed: 1, Today: demoFixtureToday})
	active := map[int64]bool{}
	for _, m := range ds.Members {
		if m.Status == domain.StatusActive {
			active[m.ID] = true
			nodes = append(nodes, m.ID)
		}
	}
	seen := map[[2]int64]bool{}
	for _, l := range ds.Links {
		if l.Status != domain.LinkConfirmed || !active[l.FromID] || !active[l.ToID] {
			continue
		}
		e := [2]int64{min(l.FromID, l.ToID), max(l.FromID, l.ToID)}
		if !seen[e] {
			seen[e] = true
			edges = append(edges, e)
		}
	}
	slices.Sort(nodes)
	slices.SortFunc(edges, func(a, b [2]int64) int { return slices.Compare(a[:], b[:]) })
	return nodes, edges
}

// TestWriteDemoGraph writes the demo network's graph for gen_fixtures.py
// when GRAPPE_WRITE_DEMO_GRAPH is set:
//
//	GRAPPE_WRITE_DEMO_GRAPH=1 go test -run TestWriteDemoGraph ./network
//	/usr/bin/python3 network/testdata/gen_fixtures.py
func TestWriteDemoGraph(t *testing.T) {
	if os.Getenv("GRAPPE_WRITE_DEMO_GRAPH") == "" {
		t.Skip("set GRAPPE_WRITE_DEMO_GRAPH=1 to write testdata/input/demo_graph.json")
	}
	nodes, edges := demoGraph()
	b, err := json.Marshal(map[string]any{"nodes": nodes, "edges": edges})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("testdata", "input", "demo_graph.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestDemoFixtureIsTheDemoNetwork checks that the NetworkX fixture named
// demo is the graph the demo generator builds today, so that the measures
// compared in TestMeasuresAgreeWithNetworkX are those of the demo network.
func TestDemoFixtureIsTheDemoNetwork(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "demo.json"))
	if err != nil {
		t.Fatal(err)
	}
	var fx fixture
	if err := json.Unmarshal(b, &fx); err != nil {
		t.Fatal(err)
	}
	nodes, edges := demoGraph()
	if !slices.Equal(fx.Nodes, nodes) || len(fx.Edges) != len(edges) {
		t.Fatalf("fixture has %d nodes and %d edges, the demo network %d and %d", len(fx.Nodes), len(fx.Edges), len(nodes), len(edges))
	}
	for i := range edges {
		if fx.Edges[i] != edges[i] {
			t.Fatalf("edge %d: fixture %v, demo %v", i, fx.Edges[i], edges[i])
		}
	}
}
