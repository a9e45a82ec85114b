package graph_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"testing"
	"time"

	"grappe/domain"
)

// BenchmarkConsoleGraph serves the console's whole graph (consoleGraphQuery)
// through the GraphQL handler on a demo network of GRAPPE_BENCH_MEMBERS
// members (default 10,000; loading and measuring it takes about a minute), once its measures are computed, and reports the size of the
// response and the statements of a request:
//
//	go test -run '^$' -bench ConsoleGraph -benchtime 20x ./graph
func BenchmarkConsoleGraph(b *testing.B) {
	start := time.Now()
	a, members := newDemoAPI(b, 10_000)
	// The graph rebuilt and measured: exact betweenness takes a while.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	if _, err := a.net.Await(ctx, a.net.Invalidate()); err != nil {
		b.Fatal(err)
	}
	// And settled: no rebuild nor measurement left (the load's change
	// notifications may cause some) to run alongside the requests.
	for {
		n := a.net.Rebuilds()
		time.Sleep(2 * time.Second)
		if a.net.Rebuilds() == n && a.net.Measured() == a.net.Snapshot() {
			break
		}
		if ctx.Err() != nil {
			b.Fatal("the network graph does not settle")
		}
	}
	b.Logf("%d members loaded and measured in %s", members, time.Since(start).Round(time.Second))

	tok := token(b, domain.RoleAnalyst, "")
	run := func() (*httptest.ResponseRecorder, int64) { return a.serveCounted(b, tok, consoleGraphQuery) }
	rec, _ := run() // warm the caches (the taxonomy is read once)
	var out consoleGraph
	if err := json.Unmarshal(rec.Body.Bytes(), &struct{ Data *consoleGraph }{&out}); err != nil {
		b.Fatal(err)
	}
	g := out.Network.Graph
	if len(g.Nodes) != out.Network.MemberCount || len(g.Edges) != out.Network.LinkCount || g.Nodes[0].Betweenness == nil {
		b.Fatalf("%d nodes of %d members, %d edges of %d links", len(g.Nodes), out.Network.MemberCount, len(g.Edges), out.Network.LinkCount)
	}
	b.Logf("%d nodes, %d edges, %d bytes", len(g.Nodes), len(g.Edges), rec.Body.Len())

	var size, statements int64
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rec, n := run()
		size, statements = int64(rec.Body.Len()), n
	}
	b.ReportMetric(float64(size), "bytes/resp")
	b.ReportMetric(float64(statements), "statements/req")
}
