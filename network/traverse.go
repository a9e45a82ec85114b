package network

import "slices"

// bfsScratch is the per-traversal memory of path and neighborhood, reused
// through a pool: a node is marked in a traversal when its stamp equals the
// traversal's generation, so nothing is cleared between traversals.
type bfsScratch struct {
	gen            uint32
	stampF, stampB []uint32
	parF, parB     []int32
	dist           []int32
	frontF, frontB []int32
	next           []int32
}

func newBFSScratch(n int) *bfsScratch {
	return &bfsScratch{
		stampF: make([]uint32, n), stampB: make([]uint32, n),
		parF: make([]int32, n), parB: make([]int32, n),
		dist: make([]int32, n),
	}
}

// begin starts a traversal.
func (b *bfsScratch) begin() {
	b.gen++
	if b.gen == 0 { // wrapped: clear the stamps once every 2³² traversals
		clear(b.stampF)
		clear(b.stampB)
		b.gen = 1
	}
}

// Path is a shortest path between two members.
type Path struct {
	Members []int64 // from the first member to the last, both included
	Links   []int64 // Links[i] joins Members[i] and Members[i+1]
}

// Hops returns the number of edges of the path.
func (p Path) Hops() int { return len(p.Links) }

// ShortestPath returns a shortest path from member from to member to of at
// most maxHops edges, and false when there is none or when either member is
// not in the graph. The search is a bidirectional breadth-first search that
// always expands the smaller frontier.
func (s *Snapshot) ShortestPath(from, to int64, maxHops int) (Path, bool) {
	src, ok1 := s.index(from)
	dst, ok2 := s.index(to)
	if !ok1 || !ok2 || maxHops < 0 {
		return Path{}, false
	}
	if src == dst {
		return Path{Members: []int64{from}, Links: []int64{}}, true
	}
	b := s.scratch.Get().(*bfsScratch)
	defer s.scratch.Put(b)
	b.begin()
	g := b.gen
	b.stampF[src], b.parF[src] = g, -1
	b.stampB[dst], b.parB[dst] = g, -1
	b.frontF = append(b.frontF[:0], src)
	b.frontB = append(b.frontB[:0], dst)
	meet := int32(-1)
	for hops := 0; hops < maxHops && meet < 0; hops++ {
		if len(b.frontF) == 0 || len(b.frontB) == 0 {
			return Path{}, false
		}
		forward := s.frontierCost(b.frontF) <= s.frontierCost(b.frontB)
		front, stamp, par, other := b.frontF, b.stampF, b.parF, b.stampB
		if !forward {
			front, stamp, par, other = b.frontB, b.stampB, b.parB, b.stampF
		}
		b.next = b.next[:0]
		for _, u := range front {
			for _, v := range s.neighbours(u) {
				if stamp[v] == g {
					continue
				}
				stamp[v], par[v] = g, u
				if other[v] == g {
					meet = v
					break
				}
				b.next = append(b.next, v)
			}
			if meet >= 0 {
				break
			}
		}
		if forward {
			b.frontF, b.next = b.next, b.frontF
		} else {
			b.frontB, b.next = b.next, b.frontB
		}
	}
	if meet < 0 {
		return Path{}, false
	}
	var nodes []int32
	for v := meet; v >= 0; v = b.parF[v] {
		nodes = append(nodes, v)
	}
	slices.Reverse(nodes)
	for v := b.parB[meet]; v >= 0; v = b.parB[v] {
		nodes = append(nodes, v)
	}
	p := Path{Members: make([]int64, len(nodes)), Links: make([]int64, len(nodes)-1)}
	for i, v := range nodes {
		p.Members[i] = s.ids[v]
		if i > 0 {
			p.Links[i-1] = s.link(nodes[i-1], v)
		}
	}
	return p, true
}

// frontierCost estimates the work of expanding a frontier: its degree sum.
func (s *Snapshot) frontierCost(front []int32) int {
	c := 0
	for _, u := range front {
		c += s.degree(u)
	}
	return c
}

// Subgraph is the ego network of a member.
type Subgraph struct {
	Nodes     []int64    // the member first, then by distance, then by id
	Edges     [][2]int64 // every edge between two nodes, the lower id first
	Truncated bool       // whether maxNodes left out members within the radius
}

// Neighborhood returns the members within radius hops of member id and the
// edges between them. When more than maxNodes members are within the
// radius, the closest are kept (ties by member id) and Truncated is set.
// It returns false when the member is not in the graph.
func (s *Snapshot) Neighborhood(id int64, radius, maxNodes int) (Subgraph, bool) {
	src, ok := s.index(id)
	if !ok {
		return Subgraph{}, false
	}
	b := s.scratch.Get().(*bfsScratch)
	defer s.scratch.Put(b)
	b.begin()
	g := b.gen
	b.stampF[src] = g
	kept := []int32{src}
	truncated := false
	level := []int32{src}
	for d := 0; d < radius && len(level) > 0 && !truncated; d++ {
		b.next = b.next[:0]
		for _, u := range level {
			for _, v := range s.neighbours(u) {
				if b.stampF[v] != g {
					b.stampF[v] = g
					b.next = append(b.next, v)
				}
			}
		}
		slices.Sort(b.next) // index order is member id order
		if room := maxNodes - len(kept); len(b.next) > room {
			b.next = b.next[:max(room, 0)]
			truncated = true
		}
		kept = append(kept, b.next...)
		level = append(level[:0:0], b.next...)
	}
	// Mark only the kept nodes, then list the edges among them once each.
	b.begin()
	g = b.gen
	for _, v := range kept {
		b.stampF[v] = g
	}
	sub := Subgraph{Nodes: make([]int64, len(kept)), Edges: [][2]int64{}, Truncated: truncated}
	for i, u := range kept {
		sub.Nodes[i] = s.ids[u]
		for _, v := range s.neighbours(u) {
			if v > u && b.stampF[v] == g {
				sub.Edges = append(sub.Edges, [2]int64{s.ids[u], s.ids[v]})
			}
		}
	}
	return sub, true
}
