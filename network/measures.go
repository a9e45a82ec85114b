package network

import (
	"cmp"
	"math"
	"runtime"
	"slices"
	"sync"
)

// ExactLimit is the largest graph, in members, whose all-pairs measures
// (betweenness, closeness, average shortest path, diameter) are computed
// exactly. They cost O(n·m): minutes at this size on two cores, hours at
// 100,000 members. Above it they are still computed exactly by this
// package, on first use; estimating them from sampled pivots is left to a
// later change, so callers check Exact first and refuse them on larger graphs.
const ExactLimit = 20000

// Exact reports whether the all-pairs measures are available: graphs above
// ExactLimit members are not computed exactly (see ExactLimit).
func (s *Snapshot) Exact() bool { return len(s.ids) <= ExactLimit }

// localMeasures are the measures of each node computed from its
// neighbourhood alone.
type localMeasures struct {
	clustering        []float64
	averageClustering float64
}

// componentMeasures describe the connected components.
type componentMeasures struct {
	component []int32 // component index of each node
	count     int
	largest   int32 // index of the largest component (lowest node first among ties)
	size      int   // its size
}

// pathMeasures are the all-pairs measures, computed in one pass of
// breadth-first searches from every node.
type pathMeasures struct {
	betweenness []float64
	closeness   []float64
	averagePath float64 // over the largest component
	diameter    int     // over the largest component
}

// communityMeasures are the Louvain communities.
type communityMeasures struct {
	community  []int32   // community id of each node
	members    [][]int64 // members of each community, by id, sorted
	modularity float64
}

// NodeMeasures are the measures of one member.
type NodeMeasures struct {
	Degree           int
	DegreeCentrality float64
	PageRank         float64
	Betweenness      float64
	Closeness        float64
	Clustering       float64
	Community        int     // community id
	CommunityMembers []int64 // members of the community, sorted; not to be modified
}

// Node returns the measures of member id, and false when the member is not
// in the graph.
func (s *Snapshot) Node(id int64) (NodeMeasures, bool) {
	i, ok := s.index(id)
	if !ok {
		return NodeMeasures{}, false
	}
	p := s.pathMeasures()
	c := s.communities()
	return NodeMeasures{
		Degree:           s.degree(i),
		DegreeCentrality: s.degreeCentrality(i),
		PageRank:         s.pageRank()[i],
		Betweenness:      p.betweenness[i],
		Closeness:        p.closeness[i],
		Clustering:       s.localMeasures().clustering[i],
		Community:        int(c.community[i]),
		CommunityMembers: c.members[c.community[i]],
	}, true
}

// degreeCentrality is NetworkX's degree_centrality: the degree over n−1
// (1 for every node of a one-node graph).
func (s *Snapshot) degreeCentrality(i int32) float64 {
	n := len(s.ids)
	if n <= 1 {
		return 1
	}
	return float64(s.degree(i)) / float64(n-1)
}

// Density is NetworkX's density: 2m / (n(n−1)), 0 below two nodes.
func (s *Snapshot) Density() float64 {
	n := float64(len(s.ids))
	if n <= 1 {
		return 0
	}
	return 2 * float64(s.EdgeCount()) / (n * (n - 1))
}

// AverageDegree returns 2m / n, 0 for an empty graph.
func (s *Snapshot) AverageDegree() float64 {
	if len(s.ids) == 0 {
		return 0
	}
	return 2 * float64(s.EdgeCount()) / float64(len(s.ids))
}

// AverageClustering is NetworkX's average_clustering: the mean clustering
// of every node, zeros included (0 for an empty graph).
func (s *Snapshot) AverageClustering() float64 { return s.localMeasures().averageClustering }

// ComponentCount returns the number of connected components.
func (s *Snapshot) ComponentCount() int { return s.components().count }

// LargestComponentSize returns the number of members of the largest
// connected component.
func (s *Snapshot) LargestComponentSize() int { return s.components().size }

// AverageShortestPath is NetworkX's average_shortest_path_length over the
// largest connected component (0 when it has one member or none).
func (s *Snapshot) AverageShortestPath() float64 { return s.pathMeasures().averagePath }

// Diameter is NetworkX's diameter over the largest connected component.
func (s *Snapshot) Diameter() int { return s.pathMeasures().diameter }

// Modularity is the modularity of the Louvain communities.
func (s *Snapshot) Modularity() float64 { return s.communities().modularity }

// Community is a Louvain community: its id and its members, sorted.
type Community struct {
	ID      int
	Members []int64
}

// Communities returns the Louvain communities, largest first (then by
// lowest member id); a community's id is its position in that order. The
// caller must not modify the member lists.
func (s *Snapshot) Communities() []Community {
	c := s.communities()
	out := make([]Community, len(c.members))
	for i, ms := range c.members {
		out[i] = Community{ID: i, Members: ms}
	}
	return out
}

// ArticulationMembers returns the cut vertices, sorted by member id.
func (s *Snapshot) ArticulationMembers() []int64 {
	art := s.articulation()
	out := make([]int64, len(art))
	for k, i := range art {
		out[k] = s.ids[i]
	}
	return out
}

// IsolatedMembers returns the members without any edge, sorted.
func (s *Snapshot) IsolatedMembers() []int64 {
	out := []int64{}
	for i := range s.ids {
		if s.degree(int32(i)) == 0 {
			out = append(out, s.ids[i])
		}
	}
	return out
}

// Measure names a centrality measure.
type Measure int

// Centrality measures.
const (
	Degree Measure = iota
	PageRank
	Betweenness
	Closeness
)

// Scored is a member with the score of a ranking.
type Scored struct {
	Member int64
	Score  float64
}

// Central returns the first members by measure, highest first, ties by
// member id. The score of Degree is the degree centrality.
func (s *Snapshot) Central(by Measure, first int) []Scored {
	var score func(i int32) float64
	switch by {
	case Degree:
		score = s.degreeCentrality
	case PageRank:
		pr := s.pageRank()
		score = func(i int32) float64 { return pr[i] }
	case Betweenness:
		b := s.pathMeasures().betweenness
		score = func(i int32) float64 { return b[i] }
	case Closeness:
		c := s.pathMeasures().closeness
		score = func(i int32) float64 { return c[i] }
	}
	return s.top(score, first)
}

// Brokers returns the first members by betweenness centrality, highest
// first: the members that most often sit on the shortest paths between
// others, and so broker between sub-markets. Members with a betweenness of
// 0 broker nothing and are left out.
func (s *Snapshot) Brokers(first int) []Scored {
	out := s.Central(Betweenness, first)
	return slices.DeleteFunc(out, func(x Scored) bool { return x.Score == 0 })
}

// top returns the first nodes by score, highest first, ties by id.
func (s *Snapshot) top(score func(int32) float64, first int) []Scored {
	n := len(s.ids)
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		if c := cmp.Compare(score(b), score(a)); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	order = order[:min(max(first, 0), n)]
	out := make([]Scored, len(order))
	for k, i := range order {
		out[k] = Scored{Member: s.ids[i], Score: score(i)}
	}
	return out
}

// Warm computes every measure now, so that the first request does not pay
// for it. Graphs above ExactLimit skip the all-pairs measures.
func (s *Snapshot) Warm() {
	s.localMeasures()
	s.pageRank()
	s.components()
	s.articulation()
	s.communities()
	if len(s.ids) <= ExactLimit {
		s.pathMeasures()
	}
}

func (s *Snapshot) localMeasures() localMeasures {
	return s.local.get(func() localMeasures {
		n := len(s.ids)
		cl := make([]float64, n)
		mark := make([]int32, n)
		for i := range mark {
			mark[i] = -1
		}
		sum := 0.0
		for i := range n {
			u := int32(i)
			d := s.degree(u)
			if d < 2 {
				continue
			}
			for _, v := range s.neighbours(u) {
				mark[v] = u
			}
			t := 0
			for _, v := range s.neighbours(u) {
				for _, w := range s.neighbours(v) {
					if mark[w] == u {
						t++
					}
				}
			}
			// Each triangle through u is seen twice (from v and from w).
			cl[i] = float64(t) / float64(d*(d-1))
			sum += cl[i]
		}
		avg := 0.0
		if n > 0 {
			avg = sum / float64(n)
		}
		return localMeasures{clustering: cl, averageClustering: avg}
	})
}

// pageRank is NetworkX's pagerank with alpha 0.85, a uniform
// personalization and tol 1e-12: power iteration on the graph read as
// directed both ways, a dangling (isolated) node spreading its rank evenly
// over every node.
func (s *Snapshot) pageRank() []float64 {
	return s.pr.get(func() []float64 {
		const alpha, tol, maxIter = 0.85, 1e-12, 1000
		n := len(s.ids)
		if n == 0 {
			return nil
		}
		x := make([]float64, n)
		next := make([]float64, n)
		p := 1 / float64(n)
		for i := range x {
			x[i] = p
		}
		for range maxIter {
			dangling := 0.0
			for i := range n {
				if s.degree(int32(i)) == 0 {
					dangling += x[i]
				}
			}
			base := alpha*dangling*p + (1-alpha)*p
			for i := range n {
				sum := 0.0
				for _, j := range s.neighbours(int32(i)) {
					sum += x[j] / float64(s.degree(j))
				}
				next[i] = alpha*sum + base
			}
			err := 0.0
			for i := range n {
				err += math.Abs(next[i] - x[i])
			}
			x, next = next, x
			if err < float64(n)*tol {
				break
			}
		}
		return x
	})
}

func (s *Snapshot) components() componentMeasures {
	return s.comps.get(func() componentMeasures {
		n := len(s.ids)
		comp := make([]int32, n)
		for i := range comp {
			comp[i] = -1
		}
		var sizes []int
		queue := make([]int32, 0, n)
		for i := range n {
			if comp[i] >= 0 {
				continue
			}
			c := int32(len(sizes))
			comp[i] = c
			queue = append(queue[:0], int32(i))
			for h := 0; h < len(queue); h++ {
				for _, v := range s.neighbours(queue[h]) {
					if comp[v] < 0 {
						comp[v] = c
						queue = append(queue, v)
					}
				}
			}
			sizes = append(sizes, len(queue))
		}
		out := componentMeasures{component: comp, count: len(sizes), largest: -1}
		for c, size := range sizes {
			if size > out.size {
				out.largest, out.size = int32(c), size
			}
		}
		return out
	})
}

// pathMeasures runs a breadth-first search from every node, spread over
// the processors, accumulating Brandes' betweenness, closeness and the
// distances within the largest component.
func (s *Snapshot) pathMeasures() pathMeasures {
	return s.paths.get(func() pathMeasures {
		n := len(s.ids)
		comps := s.components()
		out := pathMeasures{betweenness: make([]float64, n), closeness: make([]float64, n)}
		workers := min(runtime.GOMAXPROCS(0), max(n, 1))
		type partial struct {
			betweenness []float64
			distSum     int64
			diameter    int
		}
		parts := make([]partial, workers)
		var wg sync.WaitGroup
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				part := partial{betweenness: make([]float64, n)}
				dist := make([]int32, n)
				sigma := make([]float64, n)
				delta := make([]float64, n)
				for i := range dist {
					dist[i] = -1
				}
				order := make([]int32, 0, n)
				for src := w; src < n; src += workers {
					order = order[:0]
					order = append(order, int32(src))
					dist[src], sigma[src] = 0, 1
					total := int64(0)
					for h := 0; h < len(order); h++ {
						u := order[h]
						for _, v := range s.neighbours(u) {
							if dist[v] < 0 {
								dist[v] = dist[u] + 1
								total += int64(dist[v])
								order = append(order, v)
							}
							if dist[v] == dist[u]+1 {
								sigma[v] += sigma[u]
							}
						}
					}
					// Closeness with wf_improved: (r−1)/total × (r−1)/(n−1).
					if r := len(order); total > 0 && n > 1 {
						c := float64(r-1) / float64(total)
						out.closeness[src] = c * float64(r-1) / float64(n-1)
					}
					if comps.component[src] == comps.largest {
						part.distSum += total
						part.diameter = max(part.diameter, int(dist[order[len(order)-1]]))
					}
					for h := len(order) - 1; h >= 0; h-- {
						v := order[h]
						for _, u := range s.neighbours(v) {
							if dist[u] == dist[v]-1 {
								delta[u] += sigma[u] / sigma[v] * (1 + delta[v])
							}
						}
						if v != int32(src) {
							part.betweenness[v] += delta[v]
						}
					}
					for _, v := range order {
						dist[v], sigma[v], delta[v] = -1, 0, 0
					}
				}
				parts[w] = part
			}()
		}
		wg.Wait()
		var distSum int64
		for _, part := range parts {
			for i, b := range part.betweenness {
				out.betweenness[i] += b
			}
			distSum += part.distSum
			out.diameter = max(out.diameter, part.diameter)
		}
		// Normalized betweenness: the sum over ordered pairs over (n−1)(n−2).
		if n > 2 {
			scale := 1 / float64((n-1)*(n-2))
			for i := range out.betweenness {
				out.betweenness[i] *= scale
			}
		} else {
			clear(out.betweenness)
		}
		if k := comps.size; k > 1 {
			out.averagePath = float64(distSum) / float64(k*(k-1))
		}
		return out
	})
}

// articulation returns the cut vertices by Tarjan's algorithm, iteratively,
// in index order.
func (s *Snapshot) articulation() []int32 {
	return s.art.get(func() []int32 {
		n := len(s.ids)
		disc := make([]int32, n)
		low := make([]int32, n)
		isCut := make([]bool, n)
		type frame struct {
			v, parent int32
			next      int32 // position in adj of the next neighbour to visit
			children  int
		}
		stack := []frame{}
		timer := int32(0)
		for root := range n {
			if disc[root] != 0 {
				continue
			}
			timer++
			disc[root], low[root] = timer, timer
			stack = append(stack[:0], frame{v: int32(root), parent: -1, next: s.offsets[root]})
			for len(stack) > 0 {
				f := &stack[len(stack)-1]
				if f.next < s.offsets[f.v+1] {
					w := s.adj[f.next]
					f.next++
					if disc[w] == 0 {
						f.children++
						timer++
						disc[w], low[w] = timer, timer
						stack = append(stack, frame{v: w, parent: f.v, next: s.offsets[w]})
					} else if w != f.parent {
						low[f.v] = min(low[f.v], disc[w])
					}
					continue
				}
				done := *f
				stack = stack[:len(stack)-1]
				if len(stack) == 0 {
					if done.children > 1 {
						isCut[done.v] = true
					}
					continue
				}
				p := stack[len(stack)-1].v
				low[p] = min(low[p], low[done.v])
				if stack[len(stack)-1].parent >= 0 && low[done.v] >= disc[p] {
					isCut[p] = true
				}
			}
		}
		out := []int32{}
		for i, c := range isCut {
			if c {
				out = append(out, int32(i))
			}
		}
		return out
	})
}
