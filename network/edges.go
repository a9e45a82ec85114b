package network

import "iter"

// Edges yields every edge of the graph once, as the member ids of its two
// ends, the lower id first, in ascending order of (lower, higher). It reads
// the snapshot's arrays in place, allocating nothing.
func (s *Snapshot) Edges() iter.Seq2[int64, int64] {
	return func(yield func(a, b int64) bool) {
		for i := range s.ids {
			for _, j := range s.neighbours(int32(i)) {
				if int(j) > i && !yield(s.ids[i], s.ids[j]) {
					return
				}
			}
		}
	}
}
