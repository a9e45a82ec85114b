package main

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"grappe/postgres/pgtest"
	"grappe/telemetry"
)

// TestTraces: one nested query, sent with a W3C traceparent, makes one
// trace: the request's server span (child of the caller's), its GraphQL
// operation's span below it, a span per SQL statement below that; its
// access log line carries the trace id. The network graph's jobs have
// spans of their own.
func TestTraces(t *testing.T) {
	t.Parallel()
	exporter := tracetest.NewInMemoryExporter()
	tracing, err := telemetry.NewProviderWith(exporter, func(string) string { return "" }, "test", true)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := loadConfig(testEnv(appVars(pgtest.NewURL(t), map[string]string{"GRAPPE_DEMO": "true"})))
	if err != nil {
		t.Fatal(err)
	}
	var logs syncWriter
	logs.w = new(bytes.Buffer)
	app := &App{Config: cfg, Log: slog.New(telemetry.LogHandler(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))), Tracing: tracing}
	if err := app.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	defer app.Close()

	const caller = "0af7651916cd43dd8448eb211c80319c"
	body, _ := json.Marshal(map[string]any{"query": `query Nested { members(first: 3) { edges { node { name
		trades { code } businessLinks(first: 2) { edges { node { kind } } } } } } }`})
	req, _ := http.NewRequest(http.MethodPost, app.URL()+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+staffToken(t))
	req.Header.Set("traceparent", "00-"+caller+"-b7ad6b7169203331-01")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}

	var server, operation trace.SpanContext
	var sql, jobs int
	spans := exporter.GetSpans()
	byID := map[trace.SpanID]tracetest.SpanStub{}
	for _, s := range spans {
		byID[s.SpanContext.SpanID()] = s
	}
	for _, s := range spans {
		switch {
		case s.Name == "POST /graphql":
			server = s.SpanContext
			if s.SpanContext.TraceID().String() != caller || s.Parent.SpanID().String() != "b7ad6b7169203331" {
				t.Errorf("the request's span is not the caller's child: trace %s, parent %s", s.SpanContext.TraceID(), s.Parent.SpanID())
			}
		case s.Name == "graphql query Nested":
			operation = s.SpanContext
		case strings.HasPrefix(s.Name, "network."):
			jobs++
		}
	}
	if !server.IsValid() || !operation.IsValid() {
		t.Fatalf("no request or operation span among %d spans", len(spans))
	}
	if byID[operation.SpanID()].Parent.SpanID() != server.SpanID() {
		t.Errorf("the operation's span is not the request's child")
	}
	for _, s := range spans {
		if s.SpanContext.TraceID() != server.TraceID() || s.SpanContext.SpanID() == operation.SpanID() || s.SpanContext.SpanID() == server.SpanID() {
			continue
		}
		// Below the operation, however deep.
		for p := s.Parent; p.IsValid(); p = byID[p.SpanID()].Parent {
			if p.SpanID() == operation.SpanID() {
				sql++
				break
			}
		}
	}
	if sql < 2 {
		t.Errorf("%d spans below the operation, want one per SQL statement (at least 2)", sql)
	}
	if jobs == 0 {
		t.Error("no span of the network graph's jobs")
	}
	if !strings.Contains(logs.String(), `"trace_id":"`+caller+`"`) {
		t.Errorf("no log line with the request's trace id:\n%s", logs.String())
	}
	t.Logf("%d spans; %d below the operation", len(spans), sql)
}
