package network

import (
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"
)

// Benchmarks on a 100,000-member, 1,000,000-edge small world, built in
// memory (no database): go test -run '^$' -bench . ./network

const (
	benchNodes  = 100_000
	benchDegree = 20 // each node linked to its 10 nearest on each side of the ring
	benchRewire = 0.1
)

var (
	benchOnce    sync.Once
	benchMembers []int64
	benchPairs   []Pair
	benchSnap    *Snapshot
)

// smallWorld returns a deterministic Watts–Strogatz-like graph: a ring
// lattice whose edges are rewired to a random end with probability p,
// avoiding self-loops (duplicates are merged by Build).
func smallWorld(n, k int, p float64, seed uint64) ([]int64, []Pair) {
	rng := rand.New(rand.NewPCG(seed, seed))
	members := make([]int64, n)
	for i := range members {
		members[i] = int64(i + 1)
	}
	pairs := make([]Pair, 0, n*k/2)
	link := int64(0)
	for i := range n {
		for j := 1; j <= k/2; j++ {
			to := (i + j) % n
			if rng.Float64() < p {
				for to = rng.IntN(n); to == i; to = rng.IntN(n) {
				}
			}
			link++
			pairs = append(pairs, Pair{A: members[i], B: members[to], Link: link})
		}
	}
	return members, pairs
}

func benchGraph(b *testing.B) *Snapshot {
	b.Helper()
	benchOnce.Do(func() {
		benchMembers, benchPairs = smallWorld(benchNodes, benchDegree, benchRewire, 7)
		benchSnap = Build(benchMembers, benchPairs, 1, time.Now())
	})
	return benchSnap
}

func BenchmarkBuild(b *testing.B) {
	benchGraph(b)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var s *Snapshot
	for b.Loop() {
		s = Build(benchMembers, benchPairs, 1, time.Now())
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(s.NodeCount()), "nodes")
	b.ReportMetric(float64(s.EdgeCount()), "edges")
	b.ReportMetric(float64(len(s.ids)*8+len(s.offsets)*4+len(s.adj)*4+len(s.links)*8)/(1<<20), "MiB-csr")
}

// percentiles reports the p50 and p99 of ds in milliseconds.
func percentiles(b *testing.B, ds []time.Duration) {
	slices.Sort(ds)
	ms := func(q float64) float64 { return float64(ds[int(q*float64(len(ds)-1))]) / 1e6 }
	b.ReportMetric(ms(0.50), "p50-ms")
	b.ReportMetric(ms(0.99), "p99-ms")
}

func BenchmarkShortestPath(b *testing.B) {
	s := benchGraph(b)
	rng := rand.New(rand.NewPCG(1, 2))
	var ds []time.Duration
	found := 0
	for b.Loop() {
		from, to := int64(rng.IntN(benchNodes)+1), int64(rng.IntN(benchNodes)+1)
		start := time.Now()
		p, ok := s.ShortestPath(from, to, 50)
		ds = append(ds, time.Since(start))
		if ok {
			found += p.Hops()
		}
	}
	percentiles(b, ds)
	b.ReportMetric(float64(found)/float64(len(ds)), "hops")
}

func BenchmarkNeighborhoodRadius2(b *testing.B) {
	s := benchGraph(b)
	rng := rand.New(rand.NewPCG(3, 4))
	var ds []time.Duration
	nodes := 0
	for b.Loop() {
		start := time.Now()
		sub, _ := s.Neighborhood(int64(rng.IntN(benchNodes)+1), 2, 1000)
		ds = append(ds, time.Since(start))
		nodes += len(sub.Nodes)
	}
	percentiles(b, ds)
	b.ReportMetric(float64(nodes)/float64(len(ds)), "nodes")
}

func BenchmarkPageRank(b *testing.B) {
	benchGraph(b)
	for b.Loop() {
		s := Build(benchMembers, benchPairs, 1, time.Now())
		s.pageRank()
	}
}

// BenchmarkSampledPathMeasures times the estimates from SampleSize pivots
// on the 100,000-member graph: what Warm computes above ExactLimit.
func BenchmarkSampledPathMeasures(b *testing.B) {
	s := benchGraph(b)
	for b.Loop() {
		s.sampledPathMeasures(SampleSize, sampleSeed)
	}
}
