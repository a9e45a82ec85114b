package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/go-chi/chi/v5/middleware"

	"grappe/auth"
	"grappe/domain"
	"grappe/graph"
	"grappe/network"
	"grappe/postgres"
	"grappe/postgres/pgtest"
	"grappe/wiring"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

var authConfig = auth.Config{Secret: []byte("test-secret-test-secret-test-secret")}

// api is a test client posting real queries through the real handler stack
// (token check, loaders, gqlgen) onto a fresh database.
type api struct {
	t       testing.TB
	db      *postgres.DB
	net     *network.Store
	handler http.Handler
}

func newAPI(t testing.TB) *api {
	t.Helper()
	return newAPIWith(t, nil)
}

// newAPIWith is newAPI with handler options changed by configure.
func newAPIWith(t testing.TB, configure func(*graph.HandlerOptions)) *api {
	t.Helper()
	db := pgtest.NewDB(t)
	verifier, err := auth.NewVerifier(authConfig, db.MemberExists)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	store, err := wiring.Network(ctx, db, db, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	opts := graph.HandlerOptions{
		Introspection: true, QueryCacheSize: 100, APQCacheSize: 100, Limits: testLimits, MaxBodyBytes: 1 << 20,
		Logger: slog.New(slog.NewTextHandler(os.Stderr, nil)),
	}
	if configure != nil {
		configure(&opts)
	}
	gql := wiring.GraphQL(db, store, opts)
	return &api{t: t, db: db, net: store, handler: middleware.RequestID(verifier.Middleware(gql))}
}

// token returns a bearer token for role (and member global id).
func token(t testing.TB, role domain.Role, member string) string {
	t.Helper()
	tok, err := auth.Issue(authConfig, role, member, time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

type response struct {
	Status int
	Data   json.RawMessage `json:"data"`
	Errors []gqlError      `json:"errors"`
}

// code returns the extensions.code of the first error, or "".
func (r *response) code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

// do posts a query with variables as the holder of tok ("" for none).
func (a *api) do(tok, query string, vars map[string]any) *response {
	a.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	rec := httptest.NewRecorder()
	a.handler.ServeHTTP(rec, req)
	var resp response
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		a.t.Fatalf("decode response %q: %v", rec.Body.String(), err)
	}
	resp.Status = rec.Code
	return &resp
}

// ok posts a query that must succeed and decodes its data into out.
func (a *api) ok(tok, query string, vars map[string]any, out any) {
	a.t.Helper()
	resp := a.do(tok, query, vars)
	if len(resp.Errors) > 0 || resp.Status != http.StatusOK {
		a.t.Fatalf("status %d, errors %+v", resp.Status, resp.Errors)
	}
	if out != nil {
		if err := json.Unmarshal(resp.Data, out); err != nil {
			a.t.Fatalf("decode data %s: %v", resp.Data, err)
		}
	}
}

const createMember = `mutation($input: CreateMemberInput!) {
  createMember(input: $input) { clientMutationId member { id name sizeClass status legalId address { city department region } trades { code } } }
}`

type memberData struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	SizeClass string `json:"sizeClass"`
	Status    string `json:"status"`
	LegalID   string `json:"legalId"`
	Address   struct {
		City, Department, Region string
	} `json:"address"`
	Trades []struct{ Code string } `json:"trades"`
}

// create adds a member as staff and returns it.
func (a *api) create(input map[string]any) memberData {
	a.t.Helper()
	var out struct {
		CreateMember struct {
			ClientMutationID string     `json:"clientMutationId"`
			Member           memberData `json:"member"`
		} `json:"createMember"`
	}
	a.ok(token(a.t, domain.RoleStaff, ""), createMember, map[string]any{"input": input}, &out)
	return out.CreateMember.Member
}

func TestCreateAndReadMember(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	staff := token(t, domain.RoleStaff, "")
	var trades struct{ Trades []struct{ ID, Code string } }
	if _, err := a.db.Bun().ExecContext(context.Background(),
		`INSERT INTO trades (code, name_en, name_fr) VALUES ('MANUFACTURER', 'Manufacturer', 'Fabricant')`); err != nil {
		t.Fatal(err)
	}
	a.ok(staff, `{ trades { id code } }`, nil, &trades)
	if len(trades.Trades) != 1 {
		t.Fatalf("trades = %+v", trades)
	}

	var out struct {
		CreateMember struct {
			ClientMutationID string     `json:"clientMutationId"`
			Member           memberData `json:"member"`
		} `json:"createMember"`
	}
	a.ok(staff, createMember, map[string]any{"input": map[string]any{
		"clientMutationId": "c-1", "name": "Métronix", "kind": "COMPANY", "headcount": 7,
		"legalId": "732829320", "tradeIds": []string{trades.Trades[0].ID},
		"address": map[string]any{"city": "Cergy", "postalCode": "95000"},
	}}, &out)
	m := out.CreateMember.Member
	if out.CreateMember.ClientMutationID != "c-1" || m.Name != "Métronix" || m.SizeClass != "MICRO" || m.Status != "ACTIVE" ||
		m.Address.Department != "95" || m.Address.Region != "Île-de-France" || len(m.Trades) != 1 || m.Trades[0].Code != "MANUFACTURER" {
		t.Fatalf("created %+v", out.CreateMember)
	}

	var read struct {
		Member memberData
		Node   struct{ Name string }
		Nodes  []*struct{ Name string }
	}
	ghost := "TWVtYmVyOjk5OTk5" // Member:99999
	a.ok(staff, `query($id: ID!, $ids: [ID!]!) {
	  member(id: $id) { id name legalId trades { code } }
	  node(id: $id) { ... on Member { name } }
	  nodes(ids: $ids) { ... on Member { name } }
	}`, map[string]any{"id": m.ID, "ids": []string{m.ID, ghost}}, &read)
	if read.Member.ID != m.ID || read.Member.LegalID != "732829320" || read.Node.Name != "Métronix" ||
		len(read.Nodes) != 2 || read.Nodes[0] == nil || read.Nodes[0].Name != "Métronix" || read.Nodes[1] != nil {
		t.Fatalf("read back %+v", read)
	}
	// A well-formed id of nothing is null; a malformed one is BAD_USER_INPUT.
	var none struct{ Member *memberData }
	a.ok(staff, `query($id: ID!) { member(id: $id) { id } }`, map[string]any{"id": ghost}, &none)
	if none.Member != nil {
		t.Fatalf("ghost member = %+v", none.Member)
	}
	resp := a.do(staff, `{ member(id: "not-an-id!") { id } }`, nil)
	if resp.code() != domain.CodeBadUserInput || resp.Errors[0].Extensions["field"] != "id" {
		t.Fatalf("malformed id: %+v", resp.Errors)
	}
	// A trade id where a member id is expected.
	resp = a.do(staff, `query($id: ID!) { member(id: $id) { id } }`, map[string]any{"id": trades.Trades[0].ID})
	if resp.code() != domain.CodeBadUserInput {
		t.Fatalf("trade id as member id: %+v", resp.Errors)
	}
}

func TestCreateMemberErrors(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	a.create(map[string]any{"name": "First", "kind": "COMPANY", "legalId": "732829320"})
	staff := token(t, domain.RoleStaff, "")
	cases := []struct {
		name  string
		tok   string
		input map[string]any
		code  string
		field string
	}{
		{"duplicate SIREN", staff, map[string]any{"name": "X", "kind": "COMPANY", "legalId": "732829320"}, "CONFLICT", "legalId"},
		{"invalid SIREN", staff, map[string]any{"name": "X", "kind": "COMPANY", "legalId": "123456789"}, "BAD_USER_INPUT", "legalId"},
		{"NUL byte", staff, map[string]any{"name": "a\u0000b", "kind": "COMPANY"}, "BAD_USER_INPUT", "name"},
		{"SQL metacharacters are just text", staff, map[string]any{"name": "x'); DROP TABLE members;--", "kind": "COMPANY", "website": "javascript:alert(1)"}, "BAD_USER_INPUT", "website"},
		{"future join", staff, map[string]any{"name": "X", "kind": "COMPANY", "joinedOn": "2999-01-01"}, "BAD_USER_INPUT", "joinedOn"},
		{"bad date", staff, map[string]any{"name": "X", "kind": "COMPANY", "joinedOn": "01/02/2020"}, "BAD_USER_INPUT", ""},
		{"unknown department", staff, map[string]any{"name": "X", "kind": "COMPANY", "address": map[string]any{"department": "99"}}, "BAD_USER_INPUT", "address.department"},
		{"analyst writes nothing", token(t, domain.RoleAnalyst, ""), map[string]any{"name": "X", "kind": "COMPANY"}, "FORBIDDEN", ""},
		{"anonymous writes nothing", "", map[string]any{"name": "X", "kind": "COMPANY"}, "FORBIDDEN", ""},
	}
	for _, c := range cases {
		resp := a.do(c.tok, createMember, map[string]any{"input": c.input})
		if resp.code() != c.code || resp.Status >= 500 {
			t.Errorf("%s: status %d errors %+v, want %s", c.name, resp.Status, resp.Errors, c.code)
			continue
		}
		if c.field != "" && resp.Errors[0].Extensions["field"] != c.field {
			t.Errorf("%s: field %v, want %s", c.name, resp.Errors[0].Extensions["field"], c.field)
		}
	}
	var count struct{ Members struct{ TotalCount int } }
	a.ok(staff, `{ members { totalCount } }`, nil, &count)
	if count.Members.TotalCount != 1 {
		t.Fatalf("refused mutations changed the database: %d members", count.Members.TotalCount)
	}
}

func TestUpdateMember(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	self := a.create(map[string]any{"name": "Self", "kind": "COMPANY", "headcount": 8, "website": "https://self.example"})
	other := a.create(map[string]any{"name": "Other", "kind": "COMPANY"})
	memberTok := token(t, domain.RoleMember, self.ID)
	const update = `mutation($input: UpdateMemberInput!) {
	  updateMember(input: $input) { clientMutationId member { name headcount sizeClass website description } }
	}`
	var out struct {
		UpdateMember struct {
			ClientMutationID string `json:"clientMutationId"`
			Member           struct {
				Name        string
				Headcount   *int
				SizeClass   *string
				Website     *string
				Description *string
			}
		}
	}
	// Omitted fields stay; null clears.
	a.ok(memberTok, update, map[string]any{"input": map[string]any{
		"clientMutationId": "u1", "id": self.ID, "headcount": 60, "website": nil, "description": "Capteurs de pression",
	}}, &out)
	got := out.UpdateMember
	if got.ClientMutationID != "u1" || got.Member.Name != "Self" || *got.Member.Headcount != 60 || *got.Member.SizeClass != "MEDIUM" ||
		got.Member.Website != nil || *got.Member.Description != "Capteurs de pression" {
		t.Fatalf("updated %+v", got)
	}
	resp := a.do(memberTok, update, map[string]any{"input": map[string]any{"id": other.ID, "name": "Hacked"}})
	if resp.code() != domain.CodeForbidden {
		t.Fatalf("member updating another: %+v", resp.Errors)
	}
	resp = a.do(memberTok, update, map[string]any{"input": map[string]any{"id": self.ID, "name": nil}})
	if resp.code() != domain.CodeBadUserInput {
		t.Fatalf("null name: %+v", resp.Errors)
	}
	var check struct{ Member struct{ Name string } }
	a.ok(memberTok, `query($id: ID!) { member(id: $id) { name } }`, map[string]any{"id": other.ID}, &check)
	if check.Member.Name != "Other" {
		t.Fatalf("refused update changed the member: %q", check.Member.Name)
	}
}

func TestMembersConnection(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	for _, n := range []string{"Delta", "Alpha", "Charlie", "Bravo", "Echo"} {
		a.create(map[string]any{"name": n, "kind": "COMPANY"})
	}
	staff := token(t, domain.RoleStaff, "")
	type page struct {
		Members struct {
			TotalCount int
			Edges      []struct {
				Cursor string
				Node   struct{ Name string }
			}
			PageInfo struct {
				HasNextPage, HasPreviousPage bool
				StartCursor, EndCursor       *string
			}
		}
	}
	const q = `query($first: Int, $after: String, $last: Int, $before: String) {
	  members(first: $first, after: $after, last: $last, before: $before) {
	    totalCount edges { cursor node { name } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
	  }
	}`
	var p1 page
	a.ok(staff, q, map[string]any{"first": 2}, &p1)
	if p1.Members.TotalCount != 5 || len(p1.Members.Edges) != 2 || p1.Members.Edges[0].Node.Name != "Alpha" ||
		!p1.Members.PageInfo.HasNextPage || p1.Members.PageInfo.HasPreviousPage || *p1.Members.PageInfo.EndCursor != p1.Members.Edges[1].Cursor {
		t.Fatalf("page 1 %+v", p1)
	}
	var p2 page
	a.ok(staff, q, map[string]any{"first": 10, "after": *p1.Members.PageInfo.EndCursor}, &p2)
	if len(p2.Members.Edges) != 3 || p2.Members.Edges[0].Node.Name != "Charlie" || p2.Members.PageInfo.HasNextPage || !p2.Members.PageInfo.HasPreviousPage {
		t.Fatalf("page 2 %+v", p2)
	}
	var last page
	a.ok(staff, q, map[string]any{"last": 2}, &last)
	if len(last.Members.Edges) != 2 || last.Members.Edges[0].Node.Name != "Delta" || last.Members.Edges[1].Node.Name != "Echo" || !last.Members.PageInfo.HasPreviousPage {
		t.Fatalf("last 2 %+v", last)
	}
	// A cursor of the list in another order.
	var desc struct {
		Members struct{ Edges []struct{ Cursor string } }
	}
	a.ok(staff, `{ members(first: 1, orderBy: {field: NAME, direction: DESC}) { edges { cursor } } }`, nil, &desc)
	for _, c := range []struct {
		vars  map[string]any
		field string
	}{
		{map[string]any{"first": 101}, "first"},
		{map[string]any{"first": -1}, "first"},
		{map[string]any{"last": 1000}, "last"},
		{map[string]any{"after": "garbage"}, "after"},
		{map[string]any{"before": desc.Members.Edges[0].Cursor}, "before"},
	} {
		resp := a.do(staff, q, c.vars)
		if resp.code() != domain.CodeBadUserInput || resp.Errors[0].Extensions["field"] != c.field {
			t.Errorf("%v: %+v", c.vars, resp.Errors)
		}
	}
}

func TestFieldVisibilityAndStatuses(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	active := a.create(map[string]any{"name": "Active", "kind": "COMPANY", "headcount": 12, "address": map[string]any{"city": "Lyon", "postalCode": "69003"}})
	lapsed := a.create(map[string]any{"name": "Lapsed", "kind": "COMPANY", "joinedOn": "2010-01-01"})
	if _, err := a.db.Bun().ExecContext(context.Background(), "UPDATE members SET left_on = '2020-06-30' WHERE name = 'Lapsed'"); err != nil {
		t.Fatal(err)
	}
	// Anonymous: directory fields are fine, restricted ones are FORBIDDEN and null.
	var pub struct {
		Member struct {
			Name      string
			SizeClass string
			Address   struct{ City, Region string }
		}
	}
	a.ok("", `query($id: ID!) { member(id: $id) { name sizeClass address { city region } } }`, map[string]any{"id": active.ID}, &pub)
	if pub.Member.Name != "Active" || pub.Member.SizeClass != "SMALL" || pub.Member.Address.City != "Lyon" || pub.Member.Address.Region != "Auvergne-Rhône-Alpes" {
		t.Fatalf("public read %+v", pub)
	}
	resp := a.do("", `query($id: ID!) { member(id: $id) { name headcount } }`, map[string]any{"id": active.ID})
	if resp.code() != domain.CodeForbidden || string(resp.Data) != `{"member":{"name":"Active","headcount":null}}` {
		t.Fatalf("public headcount: %s %+v", resp.Data, resp.Errors)
	}
	memberTok := token(t, domain.RoleMember, active.ID)
	var mem struct{ Member struct{ Headcount int } }
	a.ok(memberTok, `query($id: ID!) { member(id: $id) { headcount } }`, map[string]any{"id": active.ID}, &mem)
	if mem.Member.Headcount != 12 {
		t.Fatalf("member headcount %+v", mem)
	}
	// Without statuses only ACTIVE members; staff may ask for LAPSED; anonymous never sees them.
	const list = `query($f: MemberFilter) { members(filter: $f) { totalCount edges { node { name status leftOn } } } }`
	type listing struct {
		Members struct {
			TotalCount int
			Edges      []struct{ Node struct{ Name, Status string } }
		}
	}
	var def, lapsedOnly listing
	a.ok(memberTok, list, nil, &def)
	if def.Members.TotalCount != 1 || def.Members.Edges[0].Node.Name != "Active" {
		t.Fatalf("default listing %+v", def)
	}
	a.ok(token(t, domain.RoleStaff, ""), list, map[string]any{"f": map[string]any{"statuses": []string{"LAPSED"}}}, &lapsedOnly)
	if lapsedOnly.Members.TotalCount != 1 || lapsedOnly.Members.Edges[0].Node.Status != "LAPSED" {
		t.Fatalf("lapsed listing %+v", lapsedOnly)
	}
	var anon struct{ Members struct{ TotalCount int } }
	a.ok("", `{ members(filter: {statuses: [LAPSED]}) { totalCount } }`, nil, &anon)
	if anon.Members.TotalCount != 0 {
		t.Fatalf("anonymous saw %d lapsed members", anon.Members.TotalCount)
	}
	var anonMember struct{ Member *struct{ Name string } }
	a.ok("", `query($id: ID!) { member(id: $id) { name } }`, map[string]any{"id": lapsed.ID}, &anonMember)
	if anonMember.Member != nil {
		t.Fatalf("anonymous read a lapsed member")
	}
}

func TestViewer(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	m := a.create(map[string]any{"name": "Me", "kind": "LABORATORY"})
	var v struct {
		Viewer struct {
			Role   string
			Member *struct{ Name string }
		}
	}
	a.ok(token(t, domain.RoleMember, m.ID), `{ viewer { role member { name } } }`, nil, &v)
	if v.Viewer.Role != "MEMBER" || v.Viewer.Member == nil || v.Viewer.Member.Name != "Me" {
		t.Fatalf("member viewer %+v", v)
	}
	a.ok("", `{ viewer { role member { name } } }`, nil, &v)
	if v.Viewer.Role != "PUBLIC" || v.Viewer.Member != nil {
		t.Fatalf("anonymous viewer %+v", v)
	}
	// A bad token is refused with 401, never downgraded to PUBLIC.
	resp := a.do("not.a.token", `{ viewer { role } }`, nil)
	if resp.Status != http.StatusUnauthorized || resp.code() != domain.CodeUnauthenticated {
		t.Fatalf("bad token: %d %+v", resp.Status, resp.Errors)
	}
}

func TestStatementsPerRequest(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	ctx := context.Background()
	if _, err := a.db.Bun().ExecContext(ctx, `INSERT INTO trades (code, name_en, name_fr) VALUES ('A', 'A', 'A');
		INSERT INTO trades (code, name_en, name_fr, parent_id) SELECT 'B', 'B', 'B', id FROM trades WHERE code = 'A'`); err != nil {
		t.Fatal(err)
	}
	if _, err := a.db.Bun().ExecContext(ctx, `
		INSERT INTO members (name, kind, joined_on) SELECT 'M' || g, 'COMPANY', '2020-01-01' FROM generate_series(1, 60) g;
		INSERT INTO member_trades SELECT m.id, t.id FROM members m, trades t;`); err != nil {
		t.Fatal(err)
	}
	staff := token(t, domain.RoleStaff, "")
	for _, c := range []struct {
		query string
		want  int64
	}{
		{`{ members(first: 50) { edges { node { name } } } }`, 1},
		{`{ members(first: 50) { edges { node { name trades { code } } } } }`, 2},
		{`{ members(first: 10) { edges { node { name trades { code } } } } }`, 2},
		{`{ members(first: 50) { totalCount edges { node { name trades { code parent { code } } } } } }`, 4},
		{`{ trades { code parent { code } children { code } } }`, 1},
	} {
		n := countStatements(t, a, staff, c.query)
		if n != c.want {
			t.Errorf("%s: %d statements, want %d", c.query, n, c.want)
		}
	}
}

// countStatements runs a query and returns how many SQL statements it took.
func countStatements(t *testing.T, a *api, tok, query string) int64 {
	t.Helper()
	return countStatementsWith(t, a, tok, query, nil)
}

func TestComplexityLimit(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	// 100 members × 100 trades' members × … exceeds the limit of 20000.
	resp := a.do("", `{ members(first: 100) { edges { node { trades { members(first: 100) { edges { node { name } } } } } } } }`, nil)
	if resp.code() != "QUERY_TOO_COMPLEX" || resp.Status >= 500 {
		t.Fatalf("deep fan-out: %d %+v", resp.Status, resp.Errors)
	}
	var ok struct{ Members struct{ Edges []any } }
	a.ok("", `{ members(first: 20) { edges { node { name trades { code } } } } }`, nil, &ok)
}

// TestNestedQueryStatementsDoNotGrow is the N+1 guard of the analyst's
// nested query: members → businessLinks → counterpart → trades →
// complements costs the same number of statements for 5 and 50 members.
func TestNestedQueryStatementsDoNotGrow(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	a.exec(`
		INSERT INTO trades (code, name_en, name_fr) VALUES ('A', 'A', 'A'), ('B', 'B', 'B'), ('C', 'C', 'C');
		INSERT INTO trade_complements (trade_low, trade_high, kind) SELECT t1.id, t2.id, 'SUPPLY' FROM trades t1, trades t2 WHERE t1.id < t2.id;
		INSERT INTO members (name, kind, joined_on) SELECT 'M' || lpad(g::text, 2, '0'), 'COMPANY', '2020-01-01' FROM generate_series(1, 60) g;
		INSERT INTO member_trades SELECT m.id, t.id FROM members m, trades t WHERE (m.id + t.id) % 2 = 0 OR t.code = 'A';
		INSERT INTO business_links (from_id, to_id, kind, status, since, declared_by, confirmed_at)
			SELECT m1.id, m2.id, 'SUPPLY', 'CONFIRMED', '2021-01-01', m1.id, now()
			FROM members m1, members m2 WHERE m2.id BETWEEN m1.id + 1 AND m1.id + 12;`)
	const q = `query($n: Int) { members(first: $n) { edges { node { name
	  businessLinks(first: 10) { edges { counterpart { name trades { code complements { trade { code } kind } } } node { kind since } } }
	} } } }`
	analyst := token(t, domain.RoleAnalyst, "")
	counts := map[int]int64{}
	for _, n := range []int{5, 50} {
		body := map[string]any{"n": n}
		var out struct {
			Members struct {
				Edges []struct {
					Node struct {
						BusinessLinks struct{ Edges []any }
					}
				}
			}
		}
		a.ok(analyst, q, body, &out)
		if len(out.Members.Edges) != n || len(out.Members.Edges[0].Node.BusinessLinks.Edges) != 10 {
			t.Fatalf("n=%d: %d members, %d links", n, len(out.Members.Edges), len(out.Members.Edges[0].Node.BusinessLinks.Edges))
		}
		counts[n] = countStatementsWith(t, a, analyst, q, body)
	}
	if counts[5] != counts[50] || counts[50] > 5 {
		t.Fatalf("statements: %d for 5 members, %d for 50 (want equal, at most 5)", counts[5], counts[50])
	}
	t.Logf("nested query: %d statements for 5 members, %d for 50", counts[5], counts[50])
}

// countStatementsWith runs a query with variables and returns how many SQL
// statements it took.
func countStatementsWith(t *testing.T, a *api, tok, query string, vars map[string]any) int64 {
	t.Helper()
	// Once unmeasured, as a warm server runs it: the first request since
	// start reads the taxonomy too (postgres/tradetree.go).
	if r := a.do(tok, query, vars); len(r.Errors) > 0 {
		t.Fatalf("%s: %+v", query, r.Errors)
	}
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+tok)
	ctx, n := postgres.WithStatementCounter(req.Context())
	rec := httptest.NewRecorder()
	a.handler.ServeHTTP(rec, req.WithContext(ctx))
	if rec.Code != http.StatusOK || bytes.Contains(rec.Body.Bytes(), []byte(`"errors"`)) {
		t.Fatalf("%s: %d %s", query, rec.Code, rec.Body.String())
	}
	return n.Load()
}
