// Package network holds the network graph of SPEC §2 in memory: an
// immutable Snapshot in compact form (dense int32 indexes, CSR adjacency)
// and the measures computed on it, and a Store that keeps the current
// snapshot up to date without blocking its readers.
//
// The graph is undirected and simple: its nodes are the ACTIVE members,
// isolated ones included; one edge joins two members with at least one
// CONFIRMED business link, whatever its kind or direction. Every measure
// follows the definition of NetworkX 2.8 so that anyone can check it; the
// tests compare them with values NetworkX computed (testdata/gen_fixtures.py).
//
// Which algorithms come from where, and why:
//   - path and neighborhood are breadth-first searches on the CSR arrays
//     (bidirectional for path), with pooled scratch memory: a generic graph
//     type would allocate maps per node and be an order of magnitude slower.
//   - Louvain communities and their modularity are gonum's
//     community.Modularize and community.Q, on a gonum copy of the graph
//     built once per snapshot; the best of a few fixed seeds is kept.
//   - PageRank is a power iteration on the CSR arrays with NetworkX's
//     handling of dangling (isolated) nodes, their rank spread over every
//     node, and its stopping rule (L1 change below n·1e-12). gonum's
//     PageRankSparse treats dangling nodes and convergence differently.
//   - Betweenness (Brandes), closeness (with NetworkX's wf_improved
//     correction, 0 for an isolated node), average shortest path and
//     diameter share one breadth-first search from every node on the CSR
//     arrays, spread over the processors: gonum's Betweenness is the same
//     algorithm on a generic graph, and gonum's closeness needs all-pairs
//     memory and another definition. Above ExactLimit members they are
//     estimated from SampleSize sampled pivots instead (sampledPathMeasures).
//   - Clustering, components and articulation points (Tarjan, iterative)
//     are short loops on the CSR arrays.
package network

import (
	"cmp"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Pair is one edge of the graph as loaded: two member ids, the id of one
// CONFIRMED link between them and how many links the pair stands for.
type Pair struct {
	A, B int64 // member ids, in any order
	Link int64 // a CONFIRMED link between A and B
	// Links is the number of CONFIRMED links between A and B the pair
	// stands for; 0 is read as 1 (a pair per link).
	Links int32
}

// Snapshot is one immutable version of the network graph. Its methods are
// safe for concurrent use; measures are computed once, on first use, and
// cached.
type Snapshot struct {
	// Version counts the changes the snapshot reflects; a later snapshot
	// has a higher version.
	Version uint64
	// AsOf is when the snapshot was built.
	AsOf time.Time

	ids     []int64 // member ids, sorted; index i is node i
	offsets []int32 // len n+1: node i's neighbours are adj[offsets[i]:offsets[i+1]]
	adj     []int32 // neighbours, sorted within each node
	links   []int64 // links[k] is the representative link of edge (i, adj[k])
	counts  []int32 // counts[k] is the number of CONFIRMED links of edge (i, adj[k])
	exact   bool    // whether the all-pairs measures are exact (n ≤ exactLimit)
	seen    Visibility

	scratch sync.Pool // *bfsScratch for path and neighborhood

	local measureOnce[localMeasures]
	pr    measureOnce[[]float64]
	paths measureOnce[pathMeasures]
	comms measureOnce[communityMeasures]
	art   measureOnce[[]int32]
	comps measureOnce[componentMeasures]

	// measuring starts, once, the computation of the measures the
	// Network fields read; measured is closed when it ends (AwaitMeasures).
	measuring sync.Once
	measured  chan struct{}
}

// Holds reports whether the snapshot holds what the committed transaction
// xid wrote (false when unknown).
func (s *Snapshot) Holds(xid uint64) bool { return s.seen.Holds(xid) }

// Build builds a snapshot of the graph whose nodes are members and whose
// edges are pairs. Pairs that are self-loops or name a member outside
// members are dropped; of several pairs joining the same two members the
// one with the lowest link id is kept, and their link counts add up.
func Build(members []int64, pairs []Pair, version uint64, asOf time.Time) *Snapshot {
	ids := slices.Clone(members)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	n := len(ids)
	index := func(id int64) int32 {
		i, ok := slices.BinarySearch(ids, id)
		if !ok {
			return -1
		}
		return int32(i)
	}

	// Half edges (a < b), deduplicated keeping the lowest link id.
	type half struct {
		a, b  int32
		link  int64
		count int32
	}
	hs := make([]half, 0, len(pairs))
	for _, p := range pairs {
		a, b := index(p.A), index(p.B)
		if a < 0 || b < 0 || a == b {
			continue
		}
		if a > b {
			a, b = b, a
		}
		hs = append(hs, half{a, b, p.Link, max(p.Links, 1)})
	}
	slices.SortFunc(hs, func(x, y half) int {
		if c := cmp.Compare(x.a, y.a); c != 0 {
			return c
		}
		if c := cmp.Compare(x.b, y.b); c != 0 {
			return c
		}
		return cmp.Compare(x.link, y.link)
	})
	// Keep the first of each run of the same two members (the lowest link
	// id), with the count of the whole run.
	kept := 0
	for k, h := range hs {
		if k > 0 && h.a == hs[kept-1].a && h.b == hs[kept-1].b {
			hs[kept-1].count += h.count
			continue
		}
		hs[kept] = h
		kept++
	}
	hs = hs[:kept]

	offsets := make([]int32, n+1)
	for _, h := range hs {
		offsets[h.a+1]++
		offsets[h.b+1]++
	}
	for i := range n {
		offsets[i+1] += offsets[i]
	}
	adj := make([]int32, 2*len(hs))
	links := make([]int64, 2*len(hs))
	counts := make([]int32, 2*len(hs))
	next := slices.Clone(offsets[:n])
	// hs is sorted by (a, b): appending b to a's list and a to b's list in
	// this order leaves every list sorted, since for node v the entries
	// u < v come first (sorted by u as a) and then u > v (sorted by u as b).
	for _, h := range hs {
		adj[next[h.b]], links[next[h.b]], counts[next[h.b]] = h.a, h.link, h.count
		next[h.b]++
	}
	for _, h := range hs {
		adj[next[h.a]], links[next[h.a]], counts[next[h.a]] = h.b, h.link, h.count
		next[h.a]++
	}
	s := &Snapshot{Version: version, AsOf: asOf, ids: ids, offsets: offsets, adj: adj, links: links, counts: counts, exact: n <= exactLimit}
	s.scratch.New = func() any { return newBFSScratch(n) }
	return s
}

// NodeCount returns the number of members in the graph.
func (s *Snapshot) NodeCount() int { return len(s.ids) }

// EdgeCount returns the number of edges: pairs of linked members.
func (s *Snapshot) EdgeCount() int { return len(s.adj) / 2 }

// Members returns the member ids of the graph, sorted. The caller must not
// modify the slice.
func (s *Snapshot) Members() []int64 { return s.ids }

// Contains reports whether member id is a node of the graph (an ACTIVE
// member).
func (s *Snapshot) Contains(id int64) bool {
	_, ok := s.index(id)
	return ok
}

// index returns the dense index of member id.
func (s *Snapshot) index(id int64) (int32, bool) {
	i, ok := slices.BinarySearch(s.ids, id)
	return int32(i), ok
}

// neighbours returns node i's neighbours, sorted.
func (s *Snapshot) neighbours(i int32) []int32 { return s.adj[s.offsets[i]:s.offsets[i+1]] }

// degree returns node i's degree.
func (s *Snapshot) degree(i int32) int { return int(s.offsets[i+1] - s.offsets[i]) }

// link returns the representative link of the edge between nodes i and j,
// which must be adjacent.
func (s *Snapshot) link(i, j int32) int64 {
	lo, hi := s.offsets[i], s.offsets[i+1]
	k, _ := slices.BinarySearch(s.adj[lo:hi], j)
	return s.links[int(lo)+k]
}

// measureOnce computes a value once, on first use.
type measureOnce[T any] struct {
	once sync.Once
	done atomic.Bool
	v    T
}

// get returns the value, computing it with f on first use.
func (m *measureOnce[T]) get(f func() T) T {
	m.once.Do(func() { m.v = f(); m.done.Store(true) })
	return m.v
}

// ready reports whether the value is computed, without computing it.
func (m *measureOnce[T]) ready() bool { return m.done.Load() }
