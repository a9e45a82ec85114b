package network

import (
	"math"
	"testing"
	"time"
)

// The sampled estimates are checked against the exact values on the same
// 2,000-node small world: exactLimit is lowered so that Build marks the
// snapshot as estimated, and the exact values come from exactPathMeasures
// on that very snapshot. (A graph above the real ExactLimit would take
// minutes to measure exactly.) The tolerances are loose: 500 pivots out of
// 2,000 sample a quarter of the sources.

// withExactLimit lowers exactLimit for the test. Tests using it must not
// run in parallel with tests that build snapshots.
func withExactLimit(t *testing.T, limit int) {
	t.Helper()
	old := exactLimit
	exactLimit = limit
	t.Cleanup(func() { exactLimit = old })
}

func TestSampledPathMeasuresEstimateExact(t *testing.T) {
	withExactLimit(t, 1000)
	members, pairs := smallWorld(2000, 8, 0.1, 11)
	s := Build(members, pairs, 1, time.Now())
	if s.Exact() || s.SampleSize() != SampleSize {
		t.Fatalf("exact %v, sample size %d", s.Exact(), s.SampleSize())
	}
	if s.PathMeasuresReady() {
		t.Fatal("estimates ready before Warm")
	}
	s.Warm()
	if !s.PathMeasuresReady() {
		t.Fatal("estimates not ready after Warm")
	}
	est, exact := s.pathMeasures(), s.exactPathMeasures()
	if est.sampleSize != SampleSize {
		t.Fatalf("sample size %d", est.sampleSize)
	}

	// Average shortest path and diameter.
	if e := math.Abs(est.averagePath-exact.averagePath) / exact.averagePath; e > 0.02 {
		t.Errorf("average path %.4f, exact %.4f (error %.2f%%)", est.averagePath, exact.averagePath, 100*e)
	}
	if est.diameter > exact.diameter || est.diameter < exact.diameter-1 {
		t.Errorf("diameter %d, exact %d", est.diameter, exact.diameter)
	}

	// Betweenness: the mean absolute error over the mean value, and the
	// top member by exact betweenness among the top 10 estimated.
	var bErr, bSum, cErr, cMax float64
	for i := range exact.betweenness {
		bErr += math.Abs(est.betweenness[i] - exact.betweenness[i])
		bSum += exact.betweenness[i]
		e := math.Abs(est.closeness[i]-exact.closeness[i]) / exact.closeness[i]
		cErr += e
		cMax = max(cMax, e)
	}
	n := float64(len(exact.betweenness))
	t.Logf("average path %.4f / %.4f, diameter %d / %d, betweenness mean relative error %.2f%%, closeness mean %.2f%% max %.2f%%",
		est.averagePath, exact.averagePath, est.diameter, exact.diameter, 100*bErr/bSum, 100*cErr/n, 100*cMax)
	if bErr/bSum > 0.25 {
		t.Errorf("betweenness mean error %.1f%% of the mean", 100*bErr/bSum)
	}
	if cErr/n > 0.03 || cMax > 0.15 {
		t.Errorf("closeness relative error mean %.2f%%, max %.2f%%", 100*cErr/n, 100*cMax)
	}
	top := func(b []float64) int {
		best := 0
		for i, x := range b {
			if x > b[best] {
				best = i
			}
		}
		return best
	}
	want := top(exact.betweenness)
	found := false
	for _, x := range s.Central(Betweenness, 10) {
		found = found || x.Member == s.ids[want]
	}
	if !found {
		t.Errorf("the top broker %d is not among the top 10 estimated", s.ids[want])
	}

	// The same snapshot gives the same estimates.
	again := Build(members, pairs, 2, time.Now()).pathMeasures()
	for i := range est.betweenness {
		if math.Abs(again.betweenness[i]-est.betweenness[i]) > 1e-12 || again.closeness[i] != est.closeness[i] {
			t.Fatalf("node %d: estimates differ between two builds", i)
		}
	}
}

// TestSampledPathMeasuresDisconnected checks the estimates on isolated
// members, as the API test does through the database: zeros everywhere.
func TestSampledPathMeasuresDisconnected(t *testing.T) {
	withExactLimit(t, 10)
	members := make([]int64, 600)
	for i := range members {
		members[i] = int64(i + 1)
	}
	s := Build(members, nil, 1, time.Now())
	s.Warm()
	p := s.pathMeasures()
	if p.sampleSize != SampleSize || p.diameter != 0 || p.averagePath != 0 {
		t.Fatalf("%+v", p)
	}
	for i := range p.betweenness {
		if p.betweenness[i] != 0 || p.closeness[i] != 0 {
			t.Fatalf("node %d: %v %v", i, p.betweenness[i], p.closeness[i])
		}
	}
}
