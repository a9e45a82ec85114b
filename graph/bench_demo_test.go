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
	"grappe/postgres"
)

// benchToday is the date the large benchmarks' demo networks are made on.
var benchToday = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// newDemoAPI returns an API over a demo network of GRAPPE_BENCH_MEMBERS
// members (members when unset), loaded and analysed, and the count.
func newDemoAPI(b *testing.B, members int) (*api, int) {
	b.Helper()
	if v, err := strconv.Atoi(os.Getenv("GRAPPE_BENCH_MEMBERS")); err == nil && v > 0 {
		members = v
	}
	a := newAPI(b)
	if _, err := a.db.LoadDemoIfEmpty(context.Background(), demo.Generate(demo.Options{Members: members, Seed: 1, Today: benchToday})); err != nil {
		b.Fatal(err)
	}
	if _, err := a.db.Bun().ExecContext(context.Background(), "ANALYZE"); err != nil {
		b.Fatal(err)
	}
	return a, members
}

// serveCounted sends query with the token through the handler and returns
// the response and the SQL statements it took, failing on any error.
func (a *api) serveCounted(b *testing.B, tok, query string) (*httptest.ResponseRecorder, int64) {
	b.Helper()
	body, _ := json.Marshal(map[string]any{"query": query})
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
