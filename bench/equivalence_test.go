package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5/middleware"
	"github.com/google/go-cmp/cmp"

	"grappe/auth"
	"grappe/demo"
	"grappe/domain"
	"grappe/network"
	"grappe/postgres"
	"grappe/postgres/pgtest"
)

// peerEnv, when set to 1, lets TestPostGraphileEquivalence install
// bench/postgraphile's node_modules (npm ci, about a minute) when they are
// missing; without it the test runs only where they are installed.
const peerEnv = "GRAPPE_BENCH_POSTGRAPHILE"

// TestPostGraphileEquivalence serves the demo network with grappe and with
// PostGraphile and checks that each shared scenario's documents give the
// same rows and fields for several samples.
func TestPostGraphileEquivalence(t *testing.T) {
	dir, err := filepath.Abs("postgraphile")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", ".bin", "node")); err != nil && os.Getenv(peerEnv) != "1" {
		t.Skipf("PostGraphile is not installed: run npm ci in bench/postgraphile or set %s=1", peerEnv)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	dbURL := pgtest.NewURL(t)
	db, err := postgres.Open(ctx, dbURL, postgres.Options{MaxOpenConns: 10})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	ds := demo.Generate(demo.Options{Seed: 1, Today: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	if _, err := db.LoadDemoIfEmpty(ctx, ds); err != nil {
		t.Fatal(err)
	}
	grappeURL, token := serveGrappeForTest(t, db)

	endpoint, stop, err := startPostGraphile(ctx, dir, dbURL, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Error(err)
		}
	})

	peer := postgraphileScenarios()
	samples := equivalenceSamples(t, ctx, db)
	type check struct {
		name      string
		normalise func(t *testing.T, grappe, peer map[string]any) (got, want any)
		samples   []Sample
		nonEmpty  int // how many samples must give a non-empty answer
	}
	checks := []check{
		{"directory", normaliseDirectory, samples.directory, 3},
		{"profile", normaliseProfile, samples.profile, 3},
		{"nested", normaliseNested, []Sample{{}}, 1},
		{"search", normaliseSearch, samples.search, 3},
	}
	// The shapes: their documents select the same fields in the same order,
	// so their answers compare value by value (leaves).
	for _, name := range shapeOrder {
		if _, ok := peer[name]; !ok {
			continue
		}
		c := check{name: name, samples: []Sample{{}}, nonEmpty: 1}
		switch name {
		case "member-links", "member-partners", "member-groups":
			c.samples, c.nonEmpty = samples.profile, 3
		case "meeting-attendees":
			c.samples, c.nonEmpty = samples.meetings, 2
		}
		checks = append(checks, c)
	}
	if len(checks) != len(peer) {
		t.Errorf("%d PostGraphile documents, %d checked", len(peer), len(checks))
	}
	for _, sc := range checks {
		t.Run(sc.name, func(t *testing.T) {
			p, ok := peer[sc.name]
			if !ok {
				t.Fatalf("no PostGraphile document for %s", sc.name)
			}
			nonEmpty := 0
			for _, s := range sc.samples {
				// The harness's own documents, so that what is measured is
				// what is checked.
				var got, want any
				if sc.normalise == nil {
					g := postGraphQLRaw(t, grappeURL, token, scenarios[sc.name].Query, scenarios[sc.name].Vars(s))
					pg := postGraphQLRaw(t, endpoint, "", p.Query, p.Vars(s))
					got, want = leaves(t, pg), leaves(t, g)
				} else {
					g := postGraphQL(t, grappeURL, token, scenarios[sc.name].Query, scenarios[sc.name].Vars(s))
					pg := postGraphQL(t, endpoint, "", p.Query, p.Vars(s))
					got, want = sc.normalise(t, pg, g)
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("sample %+v: PostGraphile differs from grappe (-grappe +postgraphile):\n%s", s, diff)
				}
				if !isEmpty(want) {
					nonEmpty++
				}
				t.Logf("sample %+v: %s", s, size(want))
			}
			if nonEmpty < sc.nonEmpty {
				t.Errorf("only %d of %d samples gave rows; want at least %d", nonEmpty, len(sc.samples), sc.nonEmpty)
			}
		})
	}
}

// serveGrappeForTest serves db with the harness's in-process handler and
// returns its endpoint and an ANALYST
// token: analysts see every link and contact, as PostGraphile serves them.
func serveGrappeForTest(t *testing.T, db *postgres.DB) (endpoint, token string) {
	t.Helper()
	cfg := auth.Config{Secret: []byte("bench-secret-bench-secret-bench-secret")}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	store := network.NewStore(db.NetworkGraph, slog.New(slog.DiscardHandler))
	if err := store.Start(ctx); err != nil {
		t.Fatal(err)
	}
	h, err := newHandler(db, store, cfg.Secret)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(middleware.RequestID(h))
	t.Cleanup(srv.Close)
	token, err = auth.Issue(cfg, domain.RoleAnalyst, "", time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return srv.URL, token
}

type samples struct{ directory, profile, search, meetings []Sample }

// equivalenceSamples draws the samples from the demo network: the members
// with the most links and groups and one with a few, trades with and without sub-trades,
// regions, and French words with and without accents.
func equivalenceSamples(t *testing.T, ctx context.Context, db *postgres.DB) samples {
	t.Helper()
	var s samples
	// The member with the most links, the one with the most confirmed links
	// after it, the one in the most groups, and one with a few links.
	var busiest, confirmed, grouped, few int64
	err := db.Bun().NewRaw(`WITH ends AS (
			SELECT from_id AS m, status FROM business_links UNION ALL SELECT to_id, status FROM business_links),
		degree AS (SELECT m, count(*) AS links, count(*) FILTER (WHERE status = 'CONFIRMED') AS confirmed FROM ends GROUP BY m),
		busiest AS (SELECT m FROM degree ORDER BY links DESC, m LIMIT 1)
		SELECT (SELECT m FROM busiest),
			(SELECT m FROM degree WHERE m <> (SELECT m FROM busiest) ORDER BY confirmed DESC, m LIMIT 1),
			(SELECT member_id FROM group_participants WHERE left_at IS NULL GROUP BY member_id ORDER BY count(*) DESC, member_id LIMIT 1),
			(SELECT m FROM degree WHERE confirmed BETWEEN 2 AND 5
				AND EXISTS (SELECT 1 FROM contacts WHERE member_id = m) ORDER BY m LIMIT 1)`).
		Scan(ctx, &busiest, &confirmed, &grouped, &few)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{busiest, confirmed, grouped, few} {
		s.profile = append(s.profile, Sample{MemberID: id})
	}

	trade := func(code string) int64 {
		var id int64
		if err := db.Bun().NewRaw("SELECT id FROM trades WHERE code = ?", code).Scan(ctx, &id); err != nil {
			t.Fatalf("trade %s: %v", code, err)
		}
		return id
	}
	s.directory = []Sample{
		{TradeIDs: []int64{trade("MANUFACTURER")}, Regions: []string{"Île-de-France"}},
		{TradeIDs: []int64{trade("SERVICE.CALIBRATION")}},
		{TradeIDs: []int64{trade("LABORATORY"), trade("DISTRIBUTOR")}, Regions: []string{"Île-de-France", "Auvergne-Rhône-Alpes"}},
		{Regions: []string{"Hauts-de-France", "Occitanie"}},
		{},
	}
	for _, w := range []string{"etalonnage", "Capteurs", "métrologie", "pression"} {
		s.search = append(s.search, Sample{Word: w})
	}
	// The held meetings with the most attendees, and a scheduled one.
	var meetings []int64
	err = db.Bun().NewRaw(`(SELECT mt.id FROM meetings AS mt JOIN meeting_attendees AS a ON a.meeting_id = mt.id
			GROUP BY mt.id ORDER BY count(*) DESC, mt.id LIMIT 3)
		UNION ALL (SELECT id FROM meetings WHERE status = 'SCHEDULED' ORDER BY id LIMIT 1)`).Scan(ctx, &meetings)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range meetings {
		s.meetings = append(s.meetings, Sample{MeetingID: id})
	}
	return s
}

// postGraphQLRaw posts a document and returns its data as sent, failing on
// any error.
func postGraphQLRaw(t *testing.T, endpoint, token, query string, vars map[string]any) json.RawMessage {
	t.Helper()
	var out struct{ Data json.RawMessage }
	if err := json.Unmarshal(postGraphQLBody(t, endpoint, token, query, vars), &out); err != nil {
		t.Fatal(err)
	}
	return out.Data
}

// sortedLists are the keys of the lists both servers return whole but in
// different orders: a member's trades (grappe by code, PostGraphile by id),
// below the top level (Query.trades is in order).
var sortedLists = map[string]bool{"trades": true, "memberTradesByMemberId": true}

// leaves flattens a GraphQL answer into its values in the order the
// server sent them, with "[" and "]" around each list's items and
// wrapper objects (edges, node, nodes, a relation) left out: documents
// selecting the same fields in the same order give the same leaves
// whatever their field names and nesting. Times are rewritten in UTC, and
// the items of sortedLists below the top level sorted.
func leaves(t *testing.T, data json.RawMessage) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	out, err := leavesOf(dec, "", 0)
	if err != nil {
		t.Fatalf("%v: %s", err, data)
	}
	return out
}

func leavesOf(dec *json.Decoder, key string, depth int) ([]string, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch tok := tok.(type) {
	case json.Delim:
		var out []string
		if tok == '{' {
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return nil, err
				}
				v, err := leavesOf(dec, fmt.Sprint(k), depth+1)
				if err != nil {
					return nil, err
				}
				out = append(out, v...)
			}
			_, err := dec.Token()
			return out, err
		}
		var items [][]string
		for dec.More() {
			v, err := leavesOf(dec, "", depth+1)
			if err != nil {
				return nil, err
			}
			items = append(items, v)
		}
		if sortedLists[key] && depth > 1 {
			slices.SortFunc(items, func(a, b []string) int { return slices.Compare(a, b) })
		}
		out = append(out, "[")
		for _, it := range items {
			out = append(out, it...)
		}
		_, err := dec.Token()
		return append(out, "]"), err
	case string:
		if ts, err := time.Parse(time.RFC3339Nano, tok); err == nil {
			return []string{ts.UTC().Format(time.RFC3339Nano)}, nil
		}
		if ts, err := time.Parse("2006-01-02T15:04:05.999999-07:00", tok); err == nil {
			return []string{ts.UTC().Format(time.RFC3339Nano)}, nil
		}
		return []string{tok}, nil
	case nil:
		return []string{"null"}, nil
	}
	return []string{fmt.Sprint(tok)}, nil
}

// postGraphQL posts a document and returns its data, failing on any error.
func postGraphQL(t *testing.T, endpoint, token, query string, vars map[string]any) map[string]any {
	t.Helper()
	var out struct{ Data map[string]any }
	if err := json.Unmarshal(postGraphQLBody(t, endpoint, token, query, vars), &out); err != nil {
		t.Fatal(err)
	}
	return out.Data
}

// postGraphQLBody posts a document and returns the response's body,
// failing on any error.
func postGraphQLBody(t *testing.T, endpoint, token, query string, vars map[string]any) []byte {
	t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		Data   json.RawMessage `json:"data"`
		Errors json.RawMessage `json:"errors"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("%s: status %d, %v: %s", endpoint, resp.StatusCode, err, raw)
	}
	if resp.StatusCode != http.StatusOK || len(out.Errors) > 0 || len(out.Data) == 0 || string(out.Data) == "null" {
		t.Fatalf("%s: status %d: %s", endpoint, resp.StatusCode, raw)
	}
	return raw
}

// The normalised shapes both servers' answers are compared in. Lists are
// in the servers' order except a member's trades and contacts, which both
// servers return whole but in different orders (sorted here).
type (
	listedMember struct {
		Name, SizeClass, City string
		Trades                []string
	}
	profile struct {
		Name     string
		Contacts []string
		Trades   []string
		Links    []string // counterpart, kind, since
		Groups   []string // name, status
	}
	nestedMember struct {
		Name  string
		Links []string // counterpart, its sorted trades, kind
	}
)

// normaliseDirectory returns the listed members of a PostGraphile answer
// and of a grappe answer.
func normaliseDirectory(t *testing.T, peer, grappe map[string]any) (any, any) {
	return peerListed(t, path(t, peer, "allMembers", "nodes")), grappeListed(t, path(t, grappe, "members", "edges"))
}

func normaliseSearch(t *testing.T, peer, grappe map[string]any) (any, any) {
	return peerListed(t, path(t, peer, "searchMembers", "nodes")), grappeListed(t, path(t, grappe, "members", "edges"))
}

func peerListed(t *testing.T, nodes any) []listedMember {
	out := []listedMember{}
	for _, n := range list(t, nodes) {
		out = append(out, listedMember{
			Name: str(n, "name"), SizeClass: str(n, "sizeClass"), City: str(n, "city"),
			Trades: peerTrades(t, n),
		})
	}
	return out
}

func grappeListed(t *testing.T, edges any) []listedMember {
	out := []listedMember{}
	for _, e := range list(t, edges) {
		n := path(t, e, "node")
		out = append(out, listedMember{
			Name: str(n, "name"), SizeClass: str(n, "sizeClass"), City: str(path(t, n, "address"), "city"),
			Trades: grappeTrades(t, n),
		})
	}
	return out
}

func normaliseProfile(t *testing.T, peer, grappe map[string]any) (any, any) {
	pm, gm := path(t, peer, "memberByRowId"), path(t, grappe, "member")
	if pm == nil || gm == nil {
		return pm, gm
	}
	p := profile{Name: str(pm, "name"), Trades: peerTrades(t, pm), Contacts: []string{}, Links: []string{}, Groups: []string{}}
	for _, c := range list(t, path(t, pm, "contactsByMemberId", "nodes")) {
		p.Contacts = append(p.Contacts, contact(c))
	}
	slices.Sort(p.Contacts)
	for _, l := range list(t, path(t, pm, "memberLinksByOwnerId", "nodes")) {
		p.Links = append(p.Links, join(str(path(t, l, "memberByCounterpartId"), "name"), str(l, "kind"), str(l, "since")))
	}
	for _, g := range list(t, path(t, pm, "currentParticipationsByMemberId", "nodes")) {
		w := path(t, g, "workingGroupByGroupId")
		p.Groups = append(p.Groups, join(str(w, "name"), str(w, "status")))
	}

	g := profile{Name: str(gm, "name"), Trades: grappeTrades(t, gm), Contacts: []string{}, Links: []string{}, Groups: []string{}}
	for _, c := range list(t, path(t, gm, "contacts")) {
		g.Contacts = append(g.Contacts, contact(c))
	}
	slices.Sort(g.Contacts)
	for _, e := range list(t, path(t, gm, "businessLinks", "edges")) {
		n := path(t, e, "node")
		g.Links = append(g.Links, join(str(path(t, e, "counterpart"), "name"), str(n, "kind"), str(n, "since")))
	}
	for _, e := range list(t, path(t, gm, "groups", "edges")) {
		n := path(t, e, "node")
		g.Groups = append(g.Groups, join(str(n, "name"), str(n, "status")))
	}
	return p, g
}

func normaliseNested(t *testing.T, peer, grappe map[string]any) (any, any) {
	p := []nestedMember{}
	for _, m := range list(t, path(t, peer, "allMembers", "nodes")) {
		nm := nestedMember{Name: str(m, "name"), Links: []string{}}
		for _, l := range list(t, path(t, m, "memberLinksByOwnerId", "nodes")) {
			c := path(t, l, "memberByCounterpartId")
			nm.Links = append(nm.Links, join(str(c, "name"), strings.Join(peerTrades(t, c), ","), str(l, "kind")))
		}
		p = append(p, nm)
	}
	g := []nestedMember{}
	for _, e := range list(t, path(t, grappe, "members", "edges")) {
		m := path(t, e, "node")
		nm := nestedMember{Name: str(m, "name"), Links: []string{}}
		for _, le := range list(t, path(t, m, "businessLinks", "edges")) {
			c := path(t, le, "counterpart")
			nm.Links = append(nm.Links, join(str(c, "name"), strings.Join(grappeTrades(t, c), ","), str(path(t, le, "node"), "kind")))
		}
		g = append(g, nm)
	}
	return p, g
}

// peerTrades returns the sorted trade codes of a PostGraphile member.
func peerTrades(t *testing.T, m any) []string {
	out := []string{}
	for _, mt := range list(t, path(t, m, "memberTradesByMemberId", "nodes")) {
		out = append(out, str(path(t, mt, "tradeByTradeId"), "code"))
	}
	slices.Sort(out)
	return out
}

// grappeTrades returns the sorted trade codes of a grappe member.
func grappeTrades(t *testing.T, m any) []string {
	out := []string{}
	for _, tr := range list(t, path(t, m, "trades")) {
		out = append(out, str(tr, "code"))
	}
	slices.Sort(out)
	return out
}

func contact(c any) string {
	return join(str(c, "name"), str(c, "role"), str(c, "email"), str(c, "phone"))
}

func join(parts ...string) string { return strings.Join(parts, " | ") }

// path walks keys down a decoded JSON value; a missing key fails the test,
// a null gives nil.
func path(t *testing.T, v any, keys ...string) any {
	t.Helper()
	for _, k := range keys {
		if v == nil {
			return nil
		}
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("%q: %T is not an object", k, v)
		}
		if v, ok = m[k]; !ok {
			t.Fatalf("no %q in %v", k, m)
		}
	}
	return v
}

func list(t *testing.T, v any) []any {
	t.Helper()
	if v == nil {
		return nil
	}
	l, ok := v.([]any)
	if !ok {
		t.Fatalf("%T is not a list", v)
	}
	return l
}

// str returns a string field of an object, "" when null or absent.
func str(v any, key string) string {
	m, _ := v.(map[string]any)
	s, _ := m[key].(string)
	return s
}

// size describes how many rows a normalised answer has, for the test log.
func size(v any) string {
	switch v := v.(type) {
	case []listedMember:
		return fmt.Sprintf("%d members", len(v))
	case []nestedMember:
		links := 0
		for _, m := range v {
			links += len(m.Links)
		}
		return fmt.Sprintf("%d members, %d links", len(v), links)
	case profile:
		return fmt.Sprintf("%d contacts, %d trades, %d links, %d groups", len(v.Contacts), len(v.Trades), len(v.Links), len(v.Groups))
	case []string:
		return fmt.Sprintf("%d values", len(v))
	}
	return fmt.Sprint(v)
}

// isEmpty reports whether a normalised answer has no rows.
func isEmpty(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case []listedMember:
		return len(v) == 0
	case []nestedMember:
		return len(v) == 0
	case profile:
		return len(v.Links) == 0
	case []string:
		// Leaves: empty unless some list has an item.
		for i := 0; i+1 < len(v); i++ {
			if v[i] == "[" && v[i+1] != "]" {
				return false
			}
		}
		return true
	}
	return false
}
