package graph_test

import (
	"slices"
	"testing"
	"time"

	"grappe/domain"
)

// BenchmarkDashboard loads a demo network of GRAPPE_BENCH_MEMBERS members
// (default 100,000; loading takes about a minute) and measures the full
// dashboard through the GraphQL handler, then each block alone:
//
//	go test -run '^$' -bench Dashboard -benchtime 1x ./graph
func BenchmarkDashboard(b *testing.B) {
	start := time.Now()
	a, members := newDemoAPI(b, 100_000)
	a.db.Now = func() time.Time { return benchToday }
	b.Logf("%d members loaded in %s", members, time.Since(start).Round(time.Second))
	tok := token(b, domain.RoleAnalyst, "")

	run := func(query string) (time.Duration, int64) {
		t0 := time.Now()
		_, n := a.serveCounted(b, tok, query)
		return time.Since(t0), n
	}
	percentiles := func(ds []time.Duration) (p50, p99 time.Duration) {
		slices.Sort(ds)
		return ds[len(ds)/2], ds[min(len(ds)-1, len(ds)*99/100)]
	}

	run(fullDashboard) // warm the caches
	const rounds = 30
	var times []time.Duration
	var statements int64
	b.ResetTimer()
	for range b.N {
		for range rounds {
			d, n := run(fullDashboard)
			times = append(times, d)
			statements = n
		}
	}
	b.StopTimer()
	p50, p99 := percentiles(times)
	b.ReportMetric(float64(p50.Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(p99.Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(statements), "statements/req")
	b.Logf("full dashboard, %d runs: p50 %s, p99 %s, %d statements", len(times), p50.Round(time.Millisecond), p99.Round(time.Millisecond), statements)

	for _, block := range []string{
		"memberCount", "bySizeClass { count }", "byKind { count }", "byTrade { trade { code } count }", "byRegion { count }",
		"growth(interval: YEAR) { total }", "retention(year: 2025)", "links { total byKind { total } byOrigin { total } }",
		"links { created(interval: MONTH) { count } }", "groups { active medianDaysToActionPlan }",
		"engagement { distribution { count } atRiskCount }", "engagement { atRisk(first: 10) { member { name } } }",
	} {
		var ds []time.Duration
		for range 10 {
			d, _ := run("{ dashboard { " + block + " } }")
			ds = append(ds, d)
		}
		p50, _ := percentiles(ds)
		b.Logf("%-60s p50 %7.1f ms", block, float64(p50.Microseconds())/1000)
	}
}
