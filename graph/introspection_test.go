package graph_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"grappe/graph"
)

// logBuffer collects log output; safe for the handler's goroutines.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestIntrospectionDisabled: with introspection off (production), an
// operation selecting __schema or __type is a request error coded
// INTROSPECTION_DISABLED (400 with application/graphql-response+json, 200
// with application/json), not an internal error, and nothing is logged as
// an error; __typename is still answered.
func TestIntrospectionDisabled(t *testing.T) {
	t.Parallel()
	var logs logBuffer
	a := newAPIWith(t, func(o *graph.HandlerOptions) {
		o.Introspection = false
		o.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	post := func(query string) string {
		b, _ := json.Marshal(map[string]any{"query": query})
		return string(b)
	}
	const code = graph.CodeIntrospectionDisabled
	schema := post(`{ __schema { queryType { name } } }`)
	typ := post(`{ __type(name: "Member") { name fields { name } } }`)
	viaFragment := post(`query Q { ...Intro } fragment Intro on Query { trades { code } ... on Query { __schema { types { name } } } }`)
	for _, c := range []httpCase{
		{name: "__schema", method: "POST", contentType: mediaJSON, accept: mediaGR, body: schema, status: 400, mediaType: mediaGR, code: code, message: "introspection is disabled", data: "absent"},
		{name: "__schema, legacy", method: "POST", contentType: mediaJSON, accept: mediaJSON, body: schema, status: 200, mediaType: mediaJSON, code: code, data: "null"},
		{name: "__schema, no Accept", method: "POST", contentType: mediaJSON, body: schema, status: 200, mediaType: mediaJSON, code: code, data: "null"},
		{name: "__type", method: "POST", contentType: mediaJSON, accept: mediaGR, body: typ, status: 400, mediaType: mediaGR, code: code, data: "absent"},
		{name: "__type, legacy", method: "POST", contentType: mediaJSON, body: typ, status: 200, mediaType: mediaJSON, code: code, data: "null"},
		{name: "__schema in a fragment", method: "POST", contentType: mediaJSON, accept: mediaGR, body: viaFragment, status: 400, code: code, data: "absent"},
		{name: "__typename", method: "POST", contentType: mediaJSON, accept: mediaGR, body: post(`{ __typename trades { __typename code } }`), status: 200, mediaType: mediaGR},
	} {
		c.check(t, a.send(c))
	}
	if out := logs.String(); strings.Contains(out, "level=ERROR") || strings.Contains(out, "INTERNAL") {
		t.Errorf("refused introspection logged as a failure:\n%s", out)
	}
}
