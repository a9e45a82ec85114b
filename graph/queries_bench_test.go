package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2"

	"grappe/demo"
	"grappe/domain"
	"grappe/globalid"
	"grappe/graph/generated"
)

// Regression guards of the hot paths, to compare with benchstat before and
// after a change:
//
//	go test -run '^$' -bench 'Queries|ParseValidate' -count 6 ./graph > old.txt
//
// BenchmarkQueries serves the load benchmark's read documents through the
// whole handler (parse cache, validation, loaders, SQL, serialisation) on a
// 2,000-member demo network, one request at a time.
func BenchmarkQueries(b *testing.B) {
	a := newAPI(b)
	today := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := a.db.LoadDemoIfEmpty(context.Background(), demo.Generate(demo.Options{Members: 2000, Seed: 1, Today: today})); err != nil {
		b.Fatal(err)
	}
	tok := token(b, domain.RoleAnalyst, "")
	member := globalid.Encode(globalid.TypeMember, 100)
	for _, q := range []struct {
		name, query string
		vars        map[string]any
	}{
		{"nested", `{ members(first: 50) { edges { node { name businessLinks(first: 10) { edges { counterpart { name trades { code } } node { kind } } } } } } }`, nil},
		{"profile", `query($id: ID!) { member(id: $id) { id name contacts { name role email phone } trades { code }
			businessLinks(first: 10, statuses: [CONFIRMED]) { edges { counterpart { name } node { kind since } } }
			groups { edges { node { name status } } } } }`, map[string]any{"id": member}},
		{"directory", `query($t: [ID!], $r: [String!]) { members(first: 20, filter: {tradeIds: $t, regions: $r}) {
			edges { node { id name sizeClass trades { code } address { city } } } } }`,
			map[string]any{"t": []string{globalid.Encode(globalid.TypeTrade, 1)}, "r": []string{"Île-de-France"}}},
		{"search", `{ members(first: 20, filter: {search: "etalonnage"}) { edges { node { id name sizeClass trades { code } address { city } } } } }`, nil},
		{"groups", `{ groups(first: 20) { edges { node { name theme status participants { role joinedAt
			member { name businessLinks(first: 5) { edges { counterpart { name } node { kind } } } } } } } } }`, nil},
		{"path", `query($f: ID!, $t: ID!) { path(from: $f, to: $t) { hops members { name } } }`,
			map[string]any{"f": member, "t": globalid.Encode(globalid.TypeMember, 1500)}},
	} {
		body, _ := json.Marshal(map[string]any{"query": q.query, "variables": q.vars})
		b.Run(q.name, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+tok)
				rec := httptest.NewRecorder()
				a.handler.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK || bytes.Contains(rec.Body.Bytes(), []byte(`"errors"`)) {
					b.Fatalf("%d %s", rec.Code, rec.Body.String())
				}
			}
		})
	}
}

// BenchmarkParseValidate measures parsing and validating a document against
// the schema, the work the query cache saves on every repeated request.
func BenchmarkParseValidate(b *testing.B) {
	schema := generated.NewExecutableSchema(generated.Config{}).Schema()
	b.ReportAllocs()
	for range b.N {
		if _, err := gqlparser.LoadQuery(schema, fullDashboard); err != nil {
			b.Fatal(err)
		}
	}
}
