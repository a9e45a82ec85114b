package network

import (
	"cmp"
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"time"

	"grappe/domain"
)

// ExactLimit is the largest graph, in members, whose all-pairs measures
// (betweenness, closeness, average shortest path, diameter) are computed
// exactly. They cost O(n·m): minutes at this size on two cores, hours at
// 100,000 members. Above it they are estimated from SampleSize pivots (see
// sampledPathMeasures), in the background by Warm; PathMeasuresReady says
// whether they are computed yet, and callers refuse them until they are.
const ExactLimit = 20000

// SampleSize is the number of pivot sources the all-pairs measures are
// estimated from above ExactLimit members.
const SampleSize = 500

// exactLimit is ExactLimit, lowered by tests to compare the estimates with
// the exact values on a small graph. Build reads it.
var exactLimit = ExactLimit

// sampleSeed seeds the PCG that draws the pivots: the same snapshot always
// gets the same pivots, hence the same estimates.
const sampleSeed = 0x6772617070650001

// Exact reports whether the all-pairs measures are exact; above ExactLimit
// members they are estimated from SampleSize sampled pivots.
func (s *Snapshot) Exact() bool { return s.exact }

// SampleSize returns the number of pivots the all-pairs measures are
// estimated from, 0 when they are exact.
func (s *Snapshot) SampleSize() int {
	if s.exact {
		return 0
	}
	return min(SampleSize, len(s.ids))
}

// PathMeasuresReady reports whether the all-pairs measures can be read
// without computing them in the caller: always for an exact graph (they are
// computed on first use, as every measure), and for an estimated one once
// Warm has computed the estimates.
func (s *Snapshot) PathMeasuresReady() bool { return s.exact || s.paths.ready() }

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
// breadth-first searches from every node, or from sampled pivots.
type pathMeasures struct {
	betweenness []float64
	closeness   []float64
	averagePath float64   // over the largest component
	diameter    int       // over the largest component
	sampleSize  int       // 0 when exact
	computedAt  time.Time // when the pass finished
}

// communityMeasures are the Louvain communities.
type communityMeasures struct {
	community  []int32   // community id of each node
	members    [][]int64 // members of each community, by id, sorted
	modularity float64
}

// NodeMeasures are the measures of one member.
type NodeMeasures struct {
	domain.Measures
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
		Measures: domain.Measures{
			Degree:           s.degree(i),
			DegreeCentrality: s.degreeCentrality(i),
			PageRank:         s.pageRank()[i],
			Betweenness:      p.betweenness[i],
			Closeness:        p.closeness[i],
			Clustering:       s.localMeasures().clustering[i],
		},
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
// for it. Above ExactLimit members the all-pairs measures are the sampled
// estimates.
func (s *Snapshot) Warm() {
	s.networkMeasures()
	s.pathMeasures()
}

// networkMeasures computes the measures every Network field and every
// member's centrality read: all but the path measures.
func (s *Snapshot) networkMeasures() {
	s.localMeasures()
	s.pageRank()
	s.components()
	s.articulation()
	s.communities()
}

// AwaitMeasures waits until the measures every Network field and every
// member's centrality read are computed (local measures, PageRank,
// components, articulation points, communities; not the path measures,
// see RequirePathMeasures), computing them if no one is, for as long as
// ctx allows. At a large network's first snapshot they take minutes: a
// request whose deadline passes meanwhile gets UNAVAILABLE rather than
// holding on past it, and the computation goes on for the next ones.
func (s *Snapshot) AwaitMeasures(ctx context.Context) error {
	s.measuring.Do(func() {
		s.measured = make(chan struct{})
		go func() {
			defer close(s.measured)
			s.networkMeasures()
		}()
	})
	select {
	case <-s.measured:
		return nil
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return domain.Errorf(domain.CodeUnavailable, "the network's measures are being computed (after a start or a large change); retry in a minute")
		}
		return ctx.Err()
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

// pathMeasures returns the all-pairs measures: exact up to ExactLimit
// members, estimated from sampled pivots above.
func (s *Snapshot) pathMeasures() pathMeasures {
	return s.paths.get(func() pathMeasures {
		var p pathMeasures
		if s.exact {
			p = s.exactPathMeasures()
		} else {
			p = s.sampledPathMeasures(SampleSize, sampleSeed)
		}
		p.computedAt = time.Now()
		return p
	})
}

// PathMeasuresAt returns when the all-pairs measures (exact or estimated)
// were computed, and false while they are not.
func (s *Snapshot) PathMeasuresAt() (time.Time, bool) {
	if !s.paths.ready() {
		return time.Time{}, false
	}
	return s.pathMeasures().computedAt, true
}

// exactPathMeasures runs a breadth-first search from every node, spread
// over the processors, accumulating Brandes' betweenness, closeness and the
// distances within the largest component.
func (s *Snapshot) exactPathMeasures() pathMeasures {
	n := len(s.ids)
	sources := make([]int32, n)
	for i := range sources {
		sources[i] = int32(i)
	}
	pass := s.searchFrom(sources, false)
	out := pathMeasures{betweenness: pass.betweenness, closeness: pass.closeness, diameter: pass.diameter}
	// Normalized betweenness: the sum over ordered pairs over (n−1)(n−2).
	if n > 2 {
		scale := 1 / float64((n-1)*(n-2))
		for i := range out.betweenness {
			out.betweenness[i] *= scale
		}
	} else {
		clear(out.betweenness)
	}
	if k := s.components().size; k > 1 {
		out.averagePath = float64(pass.distSum) / float64(k*(k-1))
	}
	return out
}

// sampledPathMeasures estimates the all-pairs measures from breadth-first
// searches from k pivots drawn uniformly without replacement (a partial
// Fisher–Yates shuffle driven by a PCG seeded with seed), spread over the
// processors. These are estimates:
//   - betweenness is NetworkX's betweenness_centrality(G, k=k,
//     normalized=True): Brandes' dependencies accumulated from the k
//     pivots only, scaled by n/k, then normalized by (n−1)(n−2) as the
//     exact value (NetworkX draws its pivots with Python's random, so its
//     pivots, hence its values, differ).
//   - closeness of a pivot is exact (its own search reaches everything);
//     that of any other node v is estimated from the pivots whose search
//     reached it: with R of the k pivots reaching v at a total distance D,
//     the mean distance from v to what it reaches is estimated as D/R and
//     its reachable share (r−1)/(n−1) as R/k, so that NetworkX's
//     wf_improved closeness (r−1)/Σd × (r−1)/(n−1) = (1/mean) × share is
//     estimated as R²/(k·D); 0 when no pivot reached v.
//   - averagePath is the mean, over the pivots in the largest component,
//     of their mean distance to the other members of that component; 0
//     when no pivot fell in it.
//   - diameter is the largest eccentricity among those pivots: a lower
//     bound of the diameter, often equal to it on small worlds.
func (s *Snapshot) sampledPathMeasures(k int, seed uint64) pathMeasures {
	n := len(s.ids)
	k = min(k, n)
	perm := make([]int32, n)
	for i := range perm {
		perm[i] = int32(i)
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	for i := range k {
		j := i + rng.IntN(n-i)
		perm[i], perm[j] = perm[j], perm[i]
	}
	pivots := slices.Clone(perm[:k])
	slices.Sort(pivots)
	pass := s.searchFrom(pivots, true)
	out := pathMeasures{betweenness: pass.betweenness, closeness: pass.closeness, diameter: pass.diameter, sampleSize: k}
	if n > 2 && k > 0 {
		scale := 1 / float64((n-1)*(n-2)) * float64(n) / float64(k)
		for i := range out.betweenness {
			out.betweenness[i] *= scale
		}
	} else {
		clear(out.betweenness)
	}
	isPivot := make([]bool, n)
	for _, p := range pivots {
		isPivot[p] = true
	}
	for v := range n {
		if isPivot[v] || pass.reached[v] == 0 {
			continue
		}
		r := float64(pass.reached[v])
		out.closeness[v] = r * r / (float64(k) * float64(pass.sums[v]))
	}
	if size := s.components().size; size > 1 && pass.largestSources > 0 {
		out.averagePath = float64(pass.distSum) / (float64(pass.largestSources) * float64(size-1))
	}
	return out
}

// searchPass is what a breadth-first search from each of some sources
// accumulates.
type searchPass struct {
	betweenness    []float64 // Brandes' dependencies, summed over the sources
	closeness      []float64 // exact closeness of each source, 0 elsewhere
	distSum        int64     // distances from the sources in the largest component
	diameter       int       // their largest eccentricity
	largestSources int       // how many sources are in the largest component
	sums           []int64   // per node, its distances from the sources (when perNode)
	reached        []int32   // per node, how many sources reached it (when perNode)
}

// searchFrom runs a breadth-first search from each source, spread over the
// processors. With perNode it also sums, for each node, its distances from
// the sources that reach it.
func (s *Snapshot) searchFrom(sources []int32, perNode bool) searchPass {
	n := len(s.ids)
	comps := s.components()
	out := searchPass{betweenness: make([]float64, n), closeness: make([]float64, n)}
	if perNode {
		out.sums, out.reached = make([]int64, n), make([]int32, n)
	}
	workers := min(runtime.GOMAXPROCS(0), max(len(sources), 1))
	parts := make([]searchPass, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			part := searchPass{betweenness: make([]float64, n)}
			if perNode {
				part.sums, part.reached = make([]int64, n), make([]int32, n)
			}
			dist := make([]int32, n)
			sigma := make([]float64, n)
			delta := make([]float64, n)
			for i := range dist {
				dist[i] = -1
			}
			order := make([]int32, 0, n)
			for j := w; j < len(sources); j += workers {
				src := sources[j]
				order = order[:0]
				order = append(order, src)
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
					part.largestSources++
					part.diameter = max(part.diameter, int(dist[order[len(order)-1]]))
				}
				if perNode {
					for _, v := range order[1:] {
						part.sums[v] += int64(dist[v])
						part.reached[v]++
					}
				}
				for h := len(order) - 1; h >= 0; h-- {
					v := order[h]
					for _, u := range s.neighbours(v) {
						if dist[u] == dist[v]-1 {
							delta[u] += sigma[u] / sigma[v] * (1 + delta[v])
						}
					}
					if v != src {
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
	for _, part := range parts {
		for i, b := range part.betweenness {
			out.betweenness[i] += b
		}
		for i, d := range part.sums {
			out.sums[i] += d
			out.reached[i] += part.reached[i]
		}
		out.distSum += part.distSum
		out.largestSources += part.largestSources
		out.diameter = max(out.diameter, part.diameter)
	}
	return out
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
