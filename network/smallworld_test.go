package network

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// edgeSnapshot builds a snapshot of nodes 0..n-1 and the given edges.
func edgeSnapshot(n int, edges [][2]int64) *Snapshot {
	members := make([]int64, n)
	for i := range members {
		members[i] = memberID(int64(i))
	}
	pairs := make([]Pair, len(edges))
	for i, e := range edges {
		pairs[i] = Pair{A: memberID(e[0]), B: memberID(e[1]), Link: linkID(e[0], e[1])}
	}
	return Build(members, pairs, 1, time.Unix(0, 0))
}

// ringLattice is each of n nodes linked to its k/2 nearest on each side.
func ringLattice(n, k int) [][2]int64 {
	var edges [][2]int64
	for i := range n {
		for j := 1; j <= k/2; j++ {
			edges = append(edges, [2]int64{int64(i), int64((i + j) % n)})
		}
	}
	return edges
}

// wattsStrogatz rewires each edge of a ring lattice with probability p to
// a uniformly chosen node, avoiding self-loops and duplicates.
func wattsStrogatz(n, k int, p float64, seed uint64) [][2]int64 {
	rng := rand.New(rand.NewPCG(seed, 0))
	has := map[[2]int64]bool{}
	key := func(a, b int64) [2]int64 { return [2]int64{min(a, b), max(a, b)} }
	edges := ringLattice(n, k)
	for _, e := range edges {
		has[key(e[0], e[1])] = true
	}
	for i, e := range edges {
		if rng.Float64() >= p {
			continue
		}
		w := int64(rng.IntN(n))
		if w == e[0] || has[key(e[0], w)] {
			continue
		}
		delete(has, key(e[0], e[1]))
		has[key(e[0], w)] = true
		edges[i] = [2]int64{e[0], w}
	}
	return edges
}

// erdosRenyi is G(n, m): m distinct edges drawn uniformly.
func erdosRenyi(n, m int, seed uint64) [][2]int64 {
	rng := rand.New(rand.NewPCG(seed, 0))
	has := map[[2]int64]bool{}
	var edges [][2]int64
	for len(edges) < m {
		a, b := int64(rng.IntN(n)), int64(rng.IntN(n))
		if a == b || has[[2]int64{min(a, b), max(a, b)}] {
			continue
		}
		has[[2]int64{min(a, b), max(a, b)}] = true
		edges = append(edges, [2]int64{a, b})
	}
	return edges
}

func smallWorldOf(t *testing.T, s *Snapshot, seed uint64) SmallWorld {
	t.Helper()
	sw, err := s.SmallWorld(t.Context(), SmallWorldOptions{Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("sigma %.3f omega %.3f on %d members, %d edges, in %v", sw.Sigma, sw.Omega, sw.MemberCount, sw.EdgeCount, sw.Duration)
	return sw
}

func TestSmallWorldWattsStrogatz(t *testing.T) {
	sw := smallWorldOf(t, edgeSnapshot(100, wattsStrogatz(100, 6, 0.1, 1)), 1)
	if sw.Sigma <= 1 {
		t.Errorf("sigma = %v, want > 1 for a small world", sw.Sigma)
	}
	if math.Abs(sw.Omega) > 0.4 {
		t.Errorf("omega = %v, want near 0 for a small world", sw.Omega)
	}
	if sw.Niter != SmallWorldNiter || sw.Nrand != SmallWorldNrand || sw.Seed != 1 || sw.MemberCount != 100 {
		t.Errorf("parameters = %+v", sw)
	}
}

func TestSmallWorldLatticeAndRandom(t *testing.T) {
	lat := smallWorldOf(t, edgeSnapshot(100, ringLattice(100, 6)), 2)
	if lat.Omega >= -0.5 {
		t.Errorf("ring lattice: omega = %v, want < -0.5", lat.Omega)
	}
	er := smallWorldOf(t, edgeSnapshot(100, erdosRenyi(100, 300, 3)), 3)
	if er.Omega <= 0.5 {
		t.Errorf("Erdős–Rényi: omega = %v, want > 0.5", er.Omega)
	}
	if math.Abs(er.Sigma-1) > 0.5 {
		t.Errorf("Erdős–Rényi: sigma = %v, want near 1", er.Sigma)
	}
}

func TestSmallWorldLargestComponentAndUndefined(t *testing.T) {
	// A lattice of 30 plus a separate triangle and isolated nodes: only the
	// lattice counts.
	edges := append(ringLattice(30, 4), [2]int64{30, 31}, [2]int64{31, 32}, [2]int64{32, 30})
	sw := smallWorldOf(t, edgeSnapshot(40, edges), 4)
	if sw.MemberCount != 30 || sw.EdgeCount != 60 {
		t.Errorf("component = %d members, %d edges, want 30 and 60", sw.MemberCount, sw.EdgeCount)
	}
	if _, err := edgeSnapshot(5, [][2]int64{{0, 1}, {1, 2}}).SmallWorld(t.Context(), SmallWorldOptions{}); err == nil {
		t.Error("a 3-member component: want ErrSmallWorldUndefined")
	}
	if _, err := edgeSnapshot(0, nil).SmallWorld(t.Context(), SmallWorldOptions{}); err == nil {
		t.Error("an empty graph: want ErrSmallWorldUndefined")
	}
	// A star has no triangles: undefined, but it must not hang.
	star := [][2]int64{{0, 1}, {0, 2}, {0, 3}, {0, 4}, {0, 5}}
	if _, err := edgeSnapshot(6, star).SmallWorld(t.Context(), SmallWorldOptions{}); err == nil {
		t.Error("a star: want ErrSmallWorldUndefined")
	}
	// A complete graph allows no swap: it must not hang either.
	var k5 [][2]int64
	for i := range 5 {
		for j := i + 1; j < 5; j++ {
			k5 = append(k5, [2]int64{int64(i), int64(j)})
		}
	}
	if _, err := edgeSnapshot(5, k5).SmallWorld(t.Context(), SmallWorldOptions{}); err != nil {
		t.Errorf("K5: %v", err)
	}
}

func TestSmallWorldDeterministic(t *testing.T) {
	s := edgeSnapshot(100, wattsStrogatz(100, 6, 0.1, 5))
	a := smallWorldOf(t, s, 7)
	b := smallWorldOf(t, edgeSnapshot(100, wattsStrogatz(100, 6, 0.1, 5)), 7)
	if a.Sigma != b.Sigma || a.Omega != b.Omega {
		t.Errorf("same seed: %v/%v then %v/%v", a.Sigma, a.Omega, b.Sigma, b.Omega)
	}
	c := smallWorldOf(t, s, 8)
	if a.Sigma == c.Sigma && a.Omega == c.Omega {
		t.Errorf("seeds 7 and 8 gave the same result %v/%v", a.Sigma, a.Omega)
	}
}

// TestSwapsPreserveDegreesAndConnectivity checks both rewirings keep every
// degree, a simple graph and one component, and actually change the graph.
func TestSwapsPreserveDegreesAndConnectivity(t *testing.T) {
	g := edgeSnapshot(100, wattsStrogatz(100, 6, 0.1, 9)).largestComponentGraph()
	for name, rewire := range map[string]func(*swapGraph, *rand.Rand, *swapWork){
		"random":  func(h *swapGraph, r *rand.Rand, w *swapWork) { h.randomReference(r, 5, w) },
		"lattice": func(h *swapGraph, r *rand.Rand, w *swapWork) { h.latticeReference(r, 5, w) },
	} {
		h := g.clone()
		w := newSwapWork(h.n())
		rewire(h, rand.New(rand.NewPCG(1, 2)), w)
		changed := 0
		for u := range h.adj {
			if len(h.adj[u]) != len(g.adj[u]) {
				t.Fatalf("%s: node %d degree %d, was %d", name, u, len(h.adj[u]), len(g.adj[u]))
			}
			row := slices.Clone(h.adj[u])
			slices.Sort(row)
			if len(slices.Compact(row)) != len(h.adj[u]) || slices.Contains(row, int32(u)) {
				t.Fatalf("%s: node %d has a duplicate edge or a self-loop: %v", name, u, h.adj[u])
			}
			for _, v := range row {
				if !slices.Contains(h.adj[v], int32(u)) {
					t.Fatalf("%s: edge %d–%d is one-sided", name, u, v)
				}
			}
			orig := slices.Clone(g.adj[u])
			slices.Sort(orig)
			if !slices.Equal(row, orig) {
				changed++
			}
		}
		if changed == 0 {
			t.Errorf("%s: no edge moved", name)
		}
		// One component: a plain breadth-first search reaches every node.
		seen := map[int32]bool{0: true}
		for q := []int32{0}; len(q) > 0; q = q[1:] {
			for _, v := range h.adj[q[0]] {
				if !seen[v] {
					seen[v] = true
					q = append(q, v)
				}
			}
		}
		if len(seen) != h.n() {
			t.Fatalf("%s: %d of %d nodes connected", name, len(seen), h.n())
		}
		if h.connected(0, 0, w) != true {
			t.Fatalf("%s: a node is not connected to itself", name)
		}
	}
}

// swFixture is NetworkX 2.8's sigma and omega of a graph, written by
// testdata/gen_smallworld.py.
type swFixture struct {
	Name  string     `json:"name"`
	Nodes []int64    `json:"nodes"`
	Edges [][2]int64 `json:"edges"`
	Niter int        `json:"niter"`
	Nrand int        `json:"nrand"`
	Sigma float64    `json:"sigma"`
	Omega float64    `json:"omega"`
}

// TestSmallWorldAgreesWithNetworkX compares with NetworkX loosely: both
// are random, so sigma within 25% and omega within 0.15 (the streams of
// random numbers differ, so no seed reproduces NetworkX's draws).
func TestSmallWorldAgreesWithNetworkX(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "smallworld", "*.json"))
	if len(files) == 0 {
		t.Skip("no NetworkX small-world fixtures")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var fx swFixture
		if err := json.Unmarshal(b, &fx); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		t.Run(fx.Name, func(t *testing.T) {
			// One draw of sigma varies by some 20% with 5 reference graphs
			// (the random graphs have few triangles): compare the mean of
			// ten seeds with NetworkX's single draw.
			s := edgeSnapshot(int(slices.Max(fx.Nodes))+1, fx.Edges)
			var sw SmallWorld
			const seeds = 10
			for seed := range uint64(seeds) {
				one, err := s.SmallWorld(t.Context(), SmallWorldOptions{Seed: seed, Niter: fx.Niter, Nrand: fx.Nrand})
				if err != nil {
					t.Fatal(err)
				}
				sw.Sigma += one.Sigma / seeds
				sw.Omega += one.Omega / seeds
			}
			t.Logf("sigma %.3f (NetworkX %.3f), omega %.3f (NetworkX %.3f)", sw.Sigma, fx.Sigma, sw.Omega, fx.Omega)
			if math.Abs(sw.Sigma-fx.Sigma) > 0.25*fx.Sigma {
				t.Errorf("sigma = %v, NetworkX %v", sw.Sigma, fx.Sigma)
			}
			if math.Abs(sw.Omega-fx.Omega) > 0.15 {
				t.Errorf("omega = %v, NetworkX %v", sw.Omega, fx.Omega)
			}
		})
	}
}

// TestConnected checks the bidirectional search against a cut graph: two
// triangles joined by one bridge, then without it.
func TestConnected(t *testing.T) {
	g := edgeSnapshot(6, [][2]int64{{0, 1}, {1, 2}, {2, 0}, {3, 4}, {4, 5}, {5, 3}, {2, 3}}).largestComponentGraph()
	w := newSwapWork(g.n())
	for v := range int32(6) {
		if !g.connected(0, v, w) || !g.connected(v, 5, w) {
			t.Errorf("node %d not connected with the bridge", v)
		}
	}
	g.adj[2] = slices.DeleteFunc(g.adj[2], func(v int32) bool { return v == 3 })
	g.adj[3] = slices.DeleteFunc(g.adj[3], func(v int32) bool { return v == 2 })
	for a := range int32(6) {
		for b := range int32(6) {
			if want := (a < 3) == (b < 3); g.connected(a, b, w) != want {
				t.Errorf("connected(%d, %d) = %v, want %v", a, b, !want, want)
			}
		}
	}
}

// BenchmarkSmallWorld is one background computation with the default
// parameters on a Watts–Strogatz graph of 1,000 members and 4,000 edges.
func BenchmarkSmallWorld(b *testing.B) {
	s := edgeSnapshot(1000, wattsStrogatz(1000, 8, 0.1, 1))
	for b.Loop() {
		if _, err := s.SmallWorld(b.Context(), SmallWorldOptions{Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
