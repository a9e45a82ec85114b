package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"testing"
	"time"

	"grappe/demo"
	"grappe/domain"
	"grappe/postgres"
)

// BenchmarkConsoleGraph serves the console's whole graph (consoleGraphQuery)
// through the GraphQL handler on a demo network of GRAPPE_BENCH_MEMBERS
// members (default 10,000; loading and measuring it takes about a minute), once its measures are computed, and reports the size of the
// response and the statements of a request:
//
//	go test -run '^$' -bench ConsoleGraph -benchtime 20x ./graph
func BenchmarkConsoleGraph(b *testing.B) {
	members := 10_000
	if v, err := strconv.Atoi(os.Getenv("GRAPPE_BENCH_MEMBERS")); err == nil && v > 0 {
		members = v
	}
	a := newAPI(b)
	today := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	start := time.Now()
	if _, err := a.db.LoadDemoIfEmpty(context.Background(), demo.Generate(demo.Options{Members: members, Seed: 1, Today: today})); err != nil {
		b.Fatal(err)
	}
	if _, err := a.db.Bun().ExecContext(context.Background(), "ANALYZE"); err != nil {
		b.Fatal(err)
	}
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
	body, _ := json.Marshal(map[string]any{"query": consoleGraphQuery})
	run := func() (*httptest.ResponseRecorder, int64) {
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tok)
		ctx, n := postgres.WithStatementCounter(req.Context())
		rec := httptest.NewRecorder()
		a.handler.ServeHTTP(rec, req.WithContext(ctx))
		if rec.Code != http.StatusOK || bytes.Contains(rec.Body.Bytes(), []byte(`"errors"`)) {
			b.Fatalf("%d %.2000s", rec.Code, rec.Body.String())
		}
		return rec, n.Load()
	}
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
