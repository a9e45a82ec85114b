package network

import (
	"cmp"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/graph/community"
	"gonum.org/v1/gonum/graph/simple"
)

// louvainSeeds are the seeds of the Louvain runs; the partition of highest
// modularity is kept. Louvain is randomised: a few fixed seeds make the
// result deterministic and close to the best NetworkX finds.
var louvainSeeds = []uint64{1, 2, 3, 4, 5}

// communities finds communities with gonum's Louvain (community.Modularize
// at resolution 1) and numbers them largest first, then by lowest member.
func (s *Snapshot) communities() communityMeasures {
	return s.comms.get(func() communityMeasures {
		n := len(s.ids)
		g := simple.NewUndirectedGraph()
		for i := range n {
			g.AddNode(simple.Node(i))
		}
		for i := range n {
			for _, j := range s.neighbours(int32(i)) {
				if int(j) > i {
					g.SetEdge(simple.Edge{F: simple.Node(i), T: simple.Node(j)})
				}
			}
		}
		var best [][]int32
		bestQ := 0.0
		if s.EdgeCount() == 0 {
			// No edge: every member is its own community, modularity 0.
			for i := range n {
				best = append(best, []int32{int32(i)})
			}
		} else {
			for k, seed := range louvainSeeds {
				reduced := community.Modularize(g, 1, rand.NewPCG(seed, seed))
				var parts [][]int32
				for _, c := range reduced.Communities() {
					if len(c) == 0 {
						continue
					}
					part := make([]int32, len(c))
					for x, node := range c {
						part[x] = int32(node.ID())
					}
					parts = append(parts, part)
				}
				q := community.Q(g, reduced.Communities(), 1)
				if k == 0 || q > bestQ {
					best, bestQ = parts, q
				}
			}
		}
		for _, part := range best {
			slices.Sort(part)
		}
		slices.SortFunc(best, func(a, b []int32) int {
			if c := cmp.Compare(len(b), len(a)); c != 0 {
				return c
			}
			return cmp.Compare(a[0], b[0])
		})
		out := communityMeasures{community: make([]int32, n), members: make([][]int64, len(best)), modularity: bestQ}
		for id, part := range best {
			out.members[id] = make([]int64, len(part))
			for k, i := range part {
				out.community[i] = int32(id)
				out.members[id][k] = s.ids[i]
			}
		}
		return out
	})
}
