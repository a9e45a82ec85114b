package network

import (
	"math"
	"slices"
	"testing"
	"time"

	"grappe/domain"
)

func TestWhole(t *testing.T) {
	// 1 — 2 (two links, one each way), 2 — 3 (three links in one pair),
	// 1 — 3, 3 — 4, 5 isolated; 99 is no member.
	pairs := []Pair{{A: 1, B: 2, Link: 10}, {A: 2, B: 1, Link: 11}, {A: 3, B: 2, Link: 12, Links: 3},
		{A: 1, B: 3, Link: 13, Links: 1}, {A: 3, B: 4, Link: 14}, {A: 4, B: 99, Link: 15}}
	s := Build([]int64{5, 4, 3, 2, 1}, pairs, 1, time.Unix(100, 0))
	g := s.Whole()
	if !g.AsOf.Equal(time.Unix(100, 0)) || len(g.Nodes) != s.NodeCount() || len(g.Edges) != s.EdgeCount() {
		t.Fatalf("graph of %d nodes, %d edges at %v", len(g.Nodes), len(g.Edges), g.AsOf)
	}
	wantEdges := []domain.NetworkEdge{{From: 0, To: 1, Links: 2}, {From: 0, To: 2, Links: 1}, {From: 1, To: 2, Links: 3}, {From: 2, To: 3, Links: 1}}
	if !slices.Equal(g.Edges, wantEdges) {
		t.Errorf("edges = %v, want %v", g.Edges, wantEdges)
	}
	sum := 0.0
	for i, n := range g.Nodes {
		sum += n.PageRank
		if n.MemberID != int64(i+1) || n.Degree != []int{2, 2, 3, 1, 0}[i] || n.Articulation != (n.MemberID == 3) {
			t.Errorf("node %d = %+v", i, n)
		}
		if n.Community != int(s.communities().community[i]) || n.PageRank != s.pageRank()[i] {
			t.Errorf("node %d = %+v", i, n)
		}
	}
	if math.Abs(sum-1) > 1e-9 {
		t.Errorf("PageRank sums to %v", sum)
	}
	// Built but not measured: Whole does not compute the path measures.
	if g.PathMeasures || s.paths.ready() {
		t.Fatal("Whole computed the path measures")
	}
	for _, n := range g.Nodes {
		if n.Betweenness != 0 || n.Broker {
			t.Errorf("before the path measures: %+v", n)
		}
	}

	s.Warm()
	g = s.Whole()
	if !g.PathMeasures {
		t.Fatal("path measures not reported after Warm")
	}
	for _, n := range g.Nodes {
		m, _ := s.Node(n.MemberID)
		if n.Betweenness != m.Betweenness || n.Broker != (n.MemberID == 3) {
			t.Errorf("after Warm: %+v (betweenness %v)", n, m.Betweenness)
		}
	}
}

func TestGraphBrokersAreTheFirstBrokers(t *testing.T) {
	// A path of 300 members: 298 with a betweenness above 0; the graph
	// marks the first 10 (300 members: at least 10) of Brokers.
	const n = 300
	ids := make([]int64, n)
	var pairs []Pair
	for i := range ids {
		ids[i] = int64(i + 1)
		if i > 0 {
			pairs = append(pairs, Pair{A: int64(i), B: int64(i + 1), Link: int64(i)})
		}
	}
	s := Build(ids, pairs, 1, time.Now())
	s.Warm()
	var marked []int64
	for _, node := range s.Whole().Nodes {
		if node.Broker {
			marked = append(marked, node.MemberID)
		}
	}
	var want []int64
	for _, b := range s.Brokers(domain.GraphBrokers(n)) {
		want = append(want, b.Member)
	}
	slices.Sort(want)
	if len(want) != 10 || !slices.Equal(marked, want) {
		t.Fatalf("brokers marked %v, want %v", marked, want)
	}
	for k, want := range map[int]int{0: 10, 1: 10, 1000: 10, 1001: 11, 5000: 50, 10_000: 100, 100_000: 100} {
		if got := domain.GraphBrokers(k); got != want {
			t.Errorf("GraphBrokers(%d) = %d, want %d", k, got, want)
		}
	}
}
