package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"grappe/domain"
)

const declareLink = `mutation($input: DeclareBusinessLinkInput!) {
  declareBusinessLink(input: $input) { clientMutationId link { id kind status since until volumeBand origin note confirmedAt from { name } to { name } declaredBy { name } } }
}`

type linkData struct {
	ID          string
	Kind        string
	Status      string
	Since       string
	Until       *string
	VolumeBand  *string
	Origin      string
	Note        *string
	ConfirmedAt *string
	From, To    struct{ Name string }
	DeclaredBy  struct{ Name string }
}

// declare declares a link as the holder of tok; it must be accepted.
func (a *api) declare(tok string, input map[string]any) linkData {
	a.t.Helper()
	var out struct {
		DeclareBusinessLink struct{ Link linkData }
	}
	a.ok(tok, declareLink, map[string]any{"input": input}, &out)
	return out.DeclareBusinessLink.Link
}

// answer runs confirmBusinessLink, declineBusinessLink or endBusinessLink.
func (a *api) answer(tok, mutation string, input map[string]any) *response {
	a.t.Helper()
	q := fmt.Sprintf(`mutation($input: %sInput!) {
	  %s(input: $input) { clientMutationId link { id status confirmedAt until } }
	}`, strings.ToUpper(mutation[:1])+mutation[1:], mutation)
	return a.do(tok, q, map[string]any{"input": input})
}

// linkRows returns the number of stored links.
func (a *api) linkRows() int {
	a.t.Helper()
	var n int
	if err := a.db.Bun().NewRaw("SELECT count(*) FROM business_links").Scan(context.Background(), &n); err != nil {
		a.t.Fatal(err)
	}
	return n
}

// threeMembers creates Alpha, Bravo and Charlie and returns them with
// their member tokens.
func threeMembers(t *testing.T, a *api) (ms [3]memberData, toks [3]string) {
	for i, n := range []string{"Alpha", "Bravo", "Charlie"} {
		ms[i] = a.create(map[string]any{"name": n, "kind": "COMPANY"})
		toks[i] = token(t, domain.RoleMember, ms[i].ID)
	}
	return ms, toks
}

func TestDeclareBusinessLinkErrors(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	ms, toks := threeMembers(t, a)
	alpha, bravo, charlie := ms[0], ms[1], ms[2]
	lapsed := a.create(map[string]any{"name": "Lapsed", "kind": "COMPANY", "joinedOn": "2010-01-01"})
	if _, err := a.db.Bun().ExecContext(context.Background(), "UPDATE members SET left_on = '2020-06-30' WHERE name = 'Lapsed'"); err != nil {
		t.Fatal(err)
	}
	a.declare(toks[0], map[string]any{"fromId": alpha.ID, "toId": bravo.ID, "kind": "SUPPLY"})
	a.declare(toks[0], map[string]any{"fromId": alpha.ID, "toId": bravo.ID, "kind": "PARTNERSHIP"})
	before := a.linkRows()

	staff := token(t, domain.RoleStaff, "")
	link := func(from, to memberData, kind string) map[string]any {
		return map[string]any{"fromId": from.ID, "toId": to.ID, "kind": kind}
	}
	with := func(in map[string]any, k string, v any) map[string]any { in[k] = v; return in }
	cases := []struct {
		name  string
		tok   string
		input map[string]any
		code  string
		field string
	}{
		{"self-link", toks[0], link(alpha, alpha, "SUPPLY"), "BAD_USER_INPUT", "toId"},
		{"duplicate live link", toks[0], link(alpha, bravo, "SUPPLY"), "CONFLICT", ""},
		{"duplicate declared by staff", staff, link(alpha, bravo, "SUPPLY"), "CONFLICT", ""},
		{"symmetric duplicate the other way", toks[1], link(bravo, alpha, "PARTNERSHIP"), "CONFLICT", ""},
		{"member declaring for others", toks[0], link(bravo, charlie, "SUPPLY"), "FORBIDDEN", ""},
		{"lapsed member declaring", token(t, domain.RoleMember, lapsed.ID), link(lapsed, alpha, "SUPPLY"), "FORBIDDEN", ""},
		{"lapsed counterpart", toks[0], link(alpha, lapsed, "SUPPLY"), "BAD_USER_INPUT", "toId"},
		{"unknown member", toks[0], map[string]any{"fromId": alpha.ID, "toId": "TWVtYmVyOjk5OTk5", "kind": "SUPPLY"}, "NOT_FOUND", "toId"},
		{"malformed id", toks[0], map[string]any{"fromId": "nope", "toId": bravo.ID, "kind": "SUPPLY"}, "BAD_USER_INPUT", "fromId"},
		{"analyst writes nothing", token(t, domain.RoleAnalyst, ""), link(alpha, charlie, "SUPPLY"), "FORBIDDEN", ""},
		{"anonymous writes nothing", "", link(alpha, charlie, "SUPPLY"), "FORBIDDEN", ""},
		{"unknown kind", toks[0], link(alpha, charlie, "BARTER"), "BAD_USER_INPUT", ""},
		{"since in the future", toks[0], with(link(alpha, charlie, "SUPPLY"), "since", "2999-01-01"), "BAD_USER_INPUT", "since"},
		{"note too long", toks[0], with(link(alpha, charlie, "SUPPLY"), "note", strings.Repeat("x", 2001)), "BAD_USER_INPUT", "note"},
	}
	for _, c := range cases {
		resp := a.do(c.tok, declareLink, map[string]any{"input": c.input})
		if resp.code() != c.code || resp.Status >= 500 {
			t.Errorf("%s: status %d errors %+v, want %s", c.name, resp.Status, resp.Errors, c.code)
			continue
		}
		if c.field != "" && resp.Errors[0].Extensions["field"] != c.field {
			t.Errorf("%s: field %v, want %s", c.name, resp.Errors[0].Extensions["field"], c.field)
		}
	}
	if n := a.linkRows(); n != before {
		t.Fatalf("refused declarations changed the database: %d links, want %d", n, before)
	}
	resp := a.do(toks[1], declareLink, map[string]any{"input": link(bravo, alpha, "PARTNERSHIP")})
	if msg := resp.Errors[0].Message; !strings.Contains(msg, "already exists") {
		t.Errorf("duplicate message %q does not say what is wrong", msg)
	}
	// SUPPLY reads one way: Bravo supplying Alpha is another link.
	l := a.declare(toks[1], map[string]any{"fromId": bravo.ID, "toId": alpha.ID, "kind": "SUPPLY"})
	if l.Status != "PENDING" || l.DeclaredBy.Name != "Bravo" || l.Origin != "OTHER" {
		t.Fatalf("reverse SUPPLY %+v", l)
	}
}

func TestBusinessLinkLifecycle(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	ms, toks := threeMembers(t, a)
	alpha, bravo := ms[0], ms[1]
	staff := token(t, domain.RoleStaff, "")

	var out struct {
		DeclareBusinessLink struct {
			ClientMutationID string
			Link             linkData
		}
	}
	a.ok(toks[0], declareLink, map[string]any{"input": map[string]any{
		"clientMutationId": "d1", "fromId": alpha.ID, "toId": bravo.ID, "kind": "SUPPLY", "since": "2024-02-01",
		"volumeBand": "FROM_100K_TO_1M", "origin": "WORKING_GROUP", "note": "  capteurs  ",
	}}, &out)
	l := out.DeclareBusinessLink.Link
	if out.DeclareBusinessLink.ClientMutationID != "d1" || l.Status != "PENDING" || l.Since != "2024-02-01" || l.Until != nil ||
		*l.VolumeBand != "FROM_100K_TO_1M" || l.Origin != "WORKING_GROUP" || *l.Note != "capteurs" || l.ConfirmedAt != nil ||
		l.From.Name != "Alpha" || l.To.Name != "Bravo" || l.DeclaredBy.Name != "Alpha" {
		t.Fatalf("declared %+v", out.DeclareBusinessLink)
	}

	type result struct {
		ClientMutationID *string
		Link             struct {
			ID, Status  string
			ConfirmedAt *string
			Until       *string
		}
	}
	decode := func(resp *response, name string) result {
		t.Helper()
		if len(resp.Errors) > 0 {
			t.Fatalf("%s: %+v", name, resp.Errors)
		}
		var data map[string]result
		if err := json.Unmarshal(resp.Data, &data); err != nil {
			t.Fatal(err)
		}
		return data[name]
	}
	for _, c := range []struct {
		name, mutation, tok, code string
	}{
		{"declarer confirms its own link", "confirmBusinessLink", toks[0], "FORBIDDEN"},
		{"declarer declines its own link", "declineBusinessLink", toks[0], "FORBIDDEN"},
		{"non-party does not see a pending link", "confirmBusinessLink", toks[2], "NOT_FOUND"},
		{"analyst", "confirmBusinessLink", token(t, domain.RoleAnalyst, ""), "FORBIDDEN"},
		{"pending link cannot end", "endBusinessLink", toks[0], "CONFLICT"},
	} {
		if resp := a.answer(c.tok, c.mutation, map[string]any{"id": l.ID}); resp.code() != c.code {
			t.Errorf("%s: %+v, want %s", c.name, resp.Errors, c.code)
		}
	}
	if resp := a.answer(toks[1], "confirmBusinessLink", map[string]any{"id": alpha.ID}); resp.code() != "BAD_USER_INPUT" {
		t.Errorf("member id as link id: %+v", resp.Errors)
	}
	var still struct{ Node struct{ Status string } }
	a.ok(staff, `query($id: ID!) { node(id: $id) { ... on BusinessLink { status } } }`, map[string]any{"id": l.ID}, &still)
	if still.Node.Status != "PENDING" {
		t.Fatalf("refused answers changed the link: %s", still.Node.Status)
	}

	confirmed := decode(a.answer(toks[1], "confirmBusinessLink", map[string]any{"id": l.ID, "clientMutationId": "c1"}), "confirmBusinessLink")
	if *confirmed.ClientMutationID != "c1" || confirmed.Link.Status != "CONFIRMED" || confirmed.Link.ConfirmedAt == nil {
		t.Fatalf("confirmed %+v", confirmed)
	}
	if resp := a.answer(toks[1], "declineBusinessLink", map[string]any{"id": l.ID}); resp.code() != "CONFLICT" {
		t.Errorf("declining a confirmed link: %+v", resp.Errors)
	}
	for _, until := range []string{"2024-01-31", "2999-01-01"} {
		resp := a.answer(toks[0], "endBusinessLink", map[string]any{"id": l.ID, "until": until})
		if resp.code() != "BAD_USER_INPUT" || resp.Errors[0].Extensions["field"] != "until" {
			t.Errorf("until %s: %+v", until, resp.Errors)
		}
	}
	ended := decode(a.answer(toks[1], "endBusinessLink", map[string]any{"id": l.ID, "until": "2025-12-31", "clientMutationId": "e1"}), "endBusinessLink")
	if *ended.ClientMutationID != "e1" || ended.Link.Status != "ENDED" || *ended.Link.Until != "2025-12-31" {
		t.Fatalf("ended %+v", ended)
	}
	// Ended: the same link may be declared again; declined: too.
	again := a.declare(toks[1], map[string]any{"fromId": alpha.ID, "toId": bravo.ID, "kind": "SUPPLY"})
	declined := decode(a.answer(staff, "declineBusinessLink", map[string]any{"id": again.ID, "clientMutationId": "x1"}), "declineBusinessLink")
	if *declined.ClientMutationID != "x1" || declined.Link.Status != "DECLINED" || declined.Link.ConfirmedAt != nil {
		t.Fatalf("declined %+v", declined)
	}
	a.declare(staff, map[string]any{"fromId": alpha.ID, "toId": bravo.ID, "kind": "SUPPLY"})
	if n := a.linkRows(); n != 3 {
		t.Fatalf("%d links, want 3", n)
	}
}

func TestConcurrentDeclareBusinessLink(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	ms, toks := threeMembers(t, a)
	const n = 10
	codes := make([]string, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			from, to, tok := ms[0], ms[1], toks[0]
			if i%2 == 1 { // the other side declares the same symmetric link
				from, to, tok = ms[1], ms[0], toks[1]
			}
			body, _ := json.Marshal(map[string]any{"query": declareLink, "variables": map[string]any{
				"input": map[string]any{"fromId": from.ID, "toId": to.ID, "kind": "JOINT_BID"}}})
			req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+tok)
			rec := httptest.NewRecorder()
			<-start
			a.handler.ServeHTTP(rec, req)
			var resp response
			if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil || rec.Code != http.StatusOK {
				codes[i] = fmt.Sprintf("status %d: %s", rec.Code, rec.Body.String())
				return
			}
			codes[i] = resp.code()
		}()
	}
	close(start)
	wg.Wait()
	accepted, conflicts := 0, 0
	for _, c := range codes {
		switch c {
		case "":
			accepted++
		case "CONFLICT":
			conflicts++
		default:
			t.Errorf("unexpected outcome %q", c)
		}
	}
	if accepted != 1 || conflicts != n-1 || a.linkRows() != 1 {
		t.Fatalf("%d accepted, %d conflicts, %d stored; want 1, %d, 1", accepted, conflicts, a.linkRows(), n-1)
	}
}

func TestBusinessLinkVisibility(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	ms, toks := threeMembers(t, a)
	alpha, bravo, charlie := ms[0], ms[1], ms[2]
	l := a.declare(toks[0], map[string]any{"fromId": alpha.ID, "toId": bravo.ID, "kind": "SUPPLY", "volumeBand": "OVER_1M"})
	staff, analyst := token(t, domain.RoleStaff, ""), token(t, domain.RoleAnalyst, "")

	// Anonymous callers see no link at all.
	resp := a.do("", `{ businessLinks { totalCount } }`, nil)
	if resp.code() != "FORBIDDEN" {
		t.Fatalf("anonymous businessLinks: %+v", resp.Errors)
	}
	resp = a.do("", `query($id: ID!) { member(id: $id) { name businessLinks { totalCount } partners { totalCount } } }`, map[string]any{"id": alpha.ID})
	if resp.code() != "FORBIDDEN" || len(resp.Errors) != 2 {
		t.Fatalf("anonymous member links: %+v", resp.Errors)
	}

	const q = `query($id: ID!, $member: ID!) {
	  businessLinks { totalCount edges { node { id } } }
	  node(id: $id) { ... on BusinessLink { status } }
	  member(id: $member) { businessLinks { totalCount } }
	}`
	type seen struct {
		BusinessLinks struct {
			TotalCount int
			Edges      []struct{ Node struct{ ID string } }
		}
		Node   *struct{ Status string }
		Member struct{ BusinessLinks struct{ TotalCount int } }
	}
	vars := map[string]any{"id": l.ID, "member": alpha.ID}
	var pub struct{ Node *struct{ Status string } }
	a.ok("", `query($id: ID!) { node(id: $id) { ... on BusinessLink { status } } }`, vars, &pub)
	if pub.Node != nil {
		t.Fatalf("anonymous node(link) = %+v", pub.Node)
	}
	// Charlie, a member not a party, sees the link only once confirmed.
	var c seen
	a.ok(toks[2], q, vars, &c)
	if c.BusinessLinks.TotalCount != 0 || len(c.BusinessLinks.Edges) != 0 || c.Node != nil || c.Member.BusinessLinks.TotalCount != 0 {
		t.Fatalf("charlie saw a pending link: %+v", c)
	}
	for _, tok := range []string{toks[0], toks[1], analyst, staff} {
		var s seen
		a.ok(tok, q, vars, &s)
		if s.BusinessLinks.TotalCount != 1 || s.Node == nil || s.Node.Status != "PENDING" || s.Member.BusinessLinks.TotalCount != 1 {
			t.Fatalf("party, analyst or staff: %+v", s)
		}
	}
	if resp := a.answer(toks[1], "confirmBusinessLink", map[string]any{"id": l.ID}); len(resp.Errors) > 0 {
		t.Fatal(resp.Errors)
	}
	a.ok(toks[2], q, vars, &c)
	if c.BusinessLinks.TotalCount != 1 || c.Node == nil || c.Node.Status != "CONFIRMED" || c.Member.BusinessLinks.TotalCount != 1 {
		t.Fatalf("charlie does not see a confirmed link: %+v", c)
	}

	// The volume band: parties, analysts and staff only.
	const band = `query($id: ID!) { node(id: $id) { ... on BusinessLink { kind volumeBand } } }`
	resp = a.do(toks[2], band, vars)
	if resp.code() != "FORBIDDEN" || string(resp.Data) != `{"node":{"kind":"SUPPLY","volumeBand":null}}` ||
		fmt.Sprint(resp.Errors[0].Path) != "[node volumeBand]" {
		t.Fatalf("charlie's volumeBand: %s %+v", resp.Data, resp.Errors)
	}
	for _, tok := range []string{toks[0], toks[1], analyst, staff} {
		var s struct{ Node struct{ VolumeBand *string } }
		a.ok(tok, band, vars, &s)
		if s.Node.VolumeBand == nil || *s.Node.VolumeBand != "OVER_1M" {
			t.Fatalf("volumeBand %+v", s)
		}
	}
	// Not given: null without error for those who may see it.
	other := a.declare(toks[2], map[string]any{"fromId": charlie.ID, "toId": alpha.ID, "kind": "REFERRAL"})
	var s struct{ Node struct{ VolumeBand *string } }
	a.ok(toks[2], band, map[string]any{"id": other.ID}, &s)
	if s.Node.VolumeBand != nil {
		t.Fatalf("volumeBand not given = %v", *s.Node.VolumeBand)
	}
}

func TestMemberBusinessLinksAndPartners(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	ms, toks := threeMembers(t, a)
	alpha, bravo, charlie := ms[0], ms[1], ms[2]
	delta := a.create(map[string]any{"name": "Delta", "kind": "LABORATORY"})
	staff := token(t, domain.RoleStaff, "")
	confirm := func(id string) {
		t.Helper()
		if resp := a.answer(staff, "confirmBusinessLink", map[string]any{"id": id}); len(resp.Errors) > 0 {
			t.Fatal(resp.Errors)
		}
	}
	// Oldest first: ab, ba, ca, ad (pending), ac (pending, awaits charlie).
	ab := a.declare(staff, map[string]any{"fromId": alpha.ID, "toId": bravo.ID, "kind": "SUPPLY"})
	ba := a.declare(staff, map[string]any{"fromId": bravo.ID, "toId": alpha.ID, "kind": "PARTNERSHIP"})
	ca := a.declare(toks[2], map[string]any{"fromId": charlie.ID, "toId": alpha.ID, "kind": "DISTRIBUTION"})
	ad := a.declare(staff, map[string]any{"fromId": delta.ID, "toId": alpha.ID, "kind": "REFERRAL"})
	ac := a.declare(toks[0], map[string]any{"fromId": alpha.ID, "toId": charlie.ID, "kind": "JOINT_BID"})
	confirm(ab.ID)
	confirm(ba.ID)
	confirm(ca.ID)

	const q = `query($id: ID!, $first: Int, $after: String, $direction: LinkDirection, $kinds: [BusinessLinkKind!], $statuses: [BusinessLinkStatus!]) {
	  member(id: $id) {
	    businessLinks(first: $first, after: $after, direction: $direction, kinds: $kinds, statuses: $statuses) {
	      totalCount pageInfo { hasNextPage endCursor } edges { cursor counterpart { name } node { id } }
	    }
	  }
	}`
	type page struct {
		Member struct {
			BusinessLinks struct {
				TotalCount int
				PageInfo   struct {
					HasNextPage bool
					EndCursor   string
				}
				Edges []struct {
					Counterpart struct{ Name string }
					Node        struct{ ID string }
				}
			}
		}
	}
	ids := func(p page) []string {
		var out []string
		for _, e := range p.Member.BusinessLinks.Edges {
			out = append(out, e.Node.ID)
		}
		return out
	}
	for _, c := range []struct {
		name string
		vars map[string]any
		want []string
	}{
		{"any", nil, []string{ac.ID, ad.ID, ca.ID, ba.ID, ab.ID}},
		{"outgoing", map[string]any{"direction": "OUTGOING"}, []string{ac.ID, ab.ID}},
		{"incoming", map[string]any{"direction": "INCOMING"}, []string{ad.ID, ca.ID, ba.ID}},
		{"kinds", map[string]any{"kinds": []string{"SUPPLY", "JOINT_BID"}}, []string{ac.ID, ab.ID}},
		{"statuses", map[string]any{"statuses": []string{"PENDING"}}, []string{ac.ID, ad.ID}},
		{"incoming confirmed", map[string]any{"direction": "INCOMING", "statuses": []string{"CONFIRMED"}}, []string{ca.ID, ba.ID}},
	} {
		vars := map[string]any{"id": alpha.ID}
		for k, v := range c.vars {
			vars[k] = v
		}
		var p page
		a.ok(toks[0], q, vars, &p)
		if diff := cmp.Diff(c.want, ids(p)); diff != "" || p.Member.BusinessLinks.TotalCount != len(c.want) {
			t.Errorf("%s: totalCount %d (-want +got)\n%s", c.name, p.Member.BusinessLinks.TotalCount, diff)
		}
	}
	// Counterparts are the other party; pages follow the cursor.
	var p1, p2 page
	a.ok(toks[0], q, map[string]any{"id": alpha.ID, "first": 3}, &p1)
	var names []string
	for _, e := range p1.Member.BusinessLinks.Edges {
		names = append(names, e.Counterpart.Name)
	}
	if !cmp.Equal(names, []string{"Charlie", "Delta", "Charlie"}) || !p1.Member.BusinessLinks.PageInfo.HasNextPage {
		t.Fatalf("page 1: %v %+v", names, p1.Member.BusinessLinks.PageInfo)
	}
	a.ok(toks[0], q, map[string]any{"id": alpha.ID, "first": 3, "after": p1.Member.BusinessLinks.PageInfo.EndCursor}, &p2)
	if diff := cmp.Diff([]string{ba.ID, ab.ID}, ids(p2)); diff != "" || p2.Member.BusinessLinks.PageInfo.HasNextPage {
		t.Fatalf("page 2 (-want +got)\n%s", diff)
	}
	if resp := a.do(toks[0], q, map[string]any{"id": alpha.ID, "first": 101}); resp.code() != "BAD_USER_INPUT" {
		t.Fatalf("first 101: %+v", resp.Errors)
	}
	// Bravo sees Alpha's confirmed links and its own, not Alpha's pending ones with others.
	var fromBravo page
	a.ok(toks[1], q, map[string]any{"id": alpha.ID}, &fromBravo)
	if diff := cmp.Diff([]string{ca.ID, ba.ID, ab.ID}, ids(fromBravo)); diff != "" {
		t.Fatalf("bravo's view of alpha (-want +got)\n%s", diff)
	}

	// Partners: distinct counterparts of confirmed links, by name.
	var partners struct {
		Member struct {
			Partners struct {
				TotalCount int
				Edges      []struct{ Node struct{ Name string } }
			}
		}
	}
	a.ok(toks[1], `query($id: ID!) { member(id: $id) { partners { totalCount edges { node { name } } } } }`, map[string]any{"id": alpha.ID}, &partners)
	names = nil
	for _, e := range partners.Member.Partners.Edges {
		names = append(names, e.Node.Name)
	}
	if !cmp.Equal(names, []string{"Bravo", "Charlie"}) || partners.Member.Partners.TotalCount != 2 {
		t.Fatalf("partners of alpha: %v, totalCount %d", names, partners.Member.Partners.TotalCount)
	}

	// Pending confirmations: what awaits the viewer, oldest first.
	const pending = `{ viewer { pendingConfirmations { totalCount edges { node { id declaredBy { name } } } } } }`
	var v struct {
		Viewer struct {
			PendingConfirmations struct {
				TotalCount int
				Edges      []struct {
					Node struct {
						ID         string
						DeclaredBy struct{ Name string }
					}
				}
			}
		}
	}
	for _, c := range []struct {
		tok  string
		want []string
	}{
		{toks[0], []string{ad.ID}},
		{toks[2], []string{ac.ID}},
		{toks[1], nil},
		{staff, nil},
	} {
		a.ok(c.tok, pending, nil, &v)
		var got []string
		for _, e := range v.Viewer.PendingConfirmations.Edges {
			got = append(got, e.Node.ID)
		}
		if diff := cmp.Diff(c.want, got); diff != "" || v.Viewer.PendingConfirmations.TotalCount != len(c.want) {
			t.Errorf("pending confirmations (-want +got)\n%s", diff)
		}
	}
	// Root listing with a filter.
	var root struct {
		BusinessLinks struct {
			TotalCount int
			Edges      []struct{ Node struct{ ID string } }
		}
	}
	a.ok(staff, `query($f: BusinessLinkFilter) { businessLinks(filter: $f) { totalCount edges { node { id } } } }`,
		map[string]any{"f": map[string]any{"memberIds": []string{charlie.ID}, "statuses": []string{"CONFIRMED"}}}, &root)
	if root.BusinessLinks.TotalCount != 1 || root.BusinessLinks.Edges[0].Node.ID != ca.ID {
		t.Fatalf("filtered root listing %+v", root)
	}
}

func TestBusinessLinkStatementsDoNotGrow(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	ctx := context.Background()
	// 60 members with two trades each; each member declared links to the
	// twelve after it, of three kinds, one in three still pending.
	if _, err := a.db.Bun().ExecContext(ctx, `
		INSERT INTO trades (code, name_en, name_fr) VALUES ('A', 'A', 'A'), ('B', 'B', 'B');
		INSERT INTO members (name, kind, joined_on) SELECT 'M' || lpad(g::text, 2, '0'), 'COMPANY', '2020-01-01' FROM generate_series(1, 60) g;
		INSERT INTO member_trades SELECT m.id, t.id FROM members m, trades t;
		INSERT INTO business_links (from_id, to_id, kind, status, since, volume_band, declared_by, confirmed_at)
		SELECT f.id, t.id, (ARRAY['SUPPLY', 'REFERRAL', 'PARTNERSHIP'])[1 + t.id % 3],
		       CASE WHEN (f.id + t.id) % 3 = 0 THEN 'PENDING' ELSE 'CONFIRMED' END,
		       '2021-01-01', 'UNDER_10K', f.id,
		       CASE WHEN (f.id + t.id) % 3 = 0 THEN NULL ELSE now() END
		FROM members f JOIN members t ON t.id > f.id AND t.id <= f.id + 12;`); err != nil {
		t.Fatal(err)
	}
	staff := token(t, domain.RoleStaff, "")
	const q = `{ members(first: %d) { edges { node { name
	  businessLinks(first: 10) { %s edges { counterpart { name trades { code } } node { kind volumeBand } } }
	  partners(first: 5) { %s edges { node { name } } } } } } }`
	for _, c := range []struct {
		name  string
		count string
		want  int64
	}{
		// members, links with their counterparts, the counterparts'
		// trades, partners
		{"pages", "", 4},
		// and one per selected totalCount
		{"pages and totals", "totalCount", 6},
	} {
		n5 := countStatements(t, a, staff, fmt.Sprintf(q, 5, c.count, c.count))
		n50 := countStatements(t, a, staff, fmt.Sprintf(q, 50, c.count, c.count))
		t.Logf("%s: %d statements for 5 members, %d for 50", c.name, n5, n50)
		if n5 != c.want || n50 != c.want {
			t.Errorf("%s: %d statements for 5 members, %d for 50; want %d", c.name, n5, n50, c.want)
		}
	}
	// The nested pages hold what they should.
	var out struct {
		Members struct {
			Edges []struct {
				Node struct {
					Name          string
					BusinessLinks struct {
						Edges []struct {
							Counterpart struct{ Trades []struct{ Code string } }
						}
					}
					Partners struct {
						Edges []struct{ Node struct{ Name string } }
					}
				}
			}
		}
	}
	a.ok(staff, fmt.Sprintf(q, 50, "", ""), nil, &out)
	m := out.Members.Edges[20].Node
	if len(out.Members.Edges) != 50 || len(m.BusinessLinks.Edges) != 10 || len(m.BusinessLinks.Edges[0].Counterpart.Trades) != 2 ||
		len(m.Partners.Edges) != 5 || m.Partners.Edges[0].Node.Name != "M10" {
		t.Fatalf("member %s: %+v", m.Name, m)
	}
}

// TestBriefCounterparts: the counterparts of a page's links are read
// brief when the query shows nothing a brief member lacks; a field that
// shows more of the same members, aliased in the same query, still gets
// them whole.
func TestBriefCounterparts(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	withDashboardFixture(t, a)
	a.exec(`UPDATE members SET description = 'Métrologie ' || name, city = 'Ville ' || name`)
	const q = `{ members(first: 3) { edges { node { name
		brief: businessLinks(first: 5) { edges { counterpart { name address { city } trades { code } } } }
		whole: businessLinks(first: 5) { edges { counterpart { name description } } } } } } }`
	var out struct {
		Members struct {
			Edges []struct {
				Node struct {
					Name  string
					Brief struct {
						Edges []struct {
							Counterpart struct {
								Name    string
								Address struct{ City string }
								Trades  []struct{ Code string }
							}
						}
					}
					Whole struct {
						Edges []struct {
							Counterpart struct{ Name, Description string }
						}
					}
				}
			}
		}
	}
	a.ok(token(t, domain.RoleAnalyst, ""), q, nil, &out)
	alpha := out.Members.Edges[0].Node // Alpha: links with Bravo, Delta, Golf
	if alpha.Name != "Alpha" || len(alpha.Brief.Edges) != 3 || len(alpha.Whole.Edges) != 3 {
		t.Fatalf("Alpha %+v", alpha)
	}
	for i, e := range alpha.Brief.Edges {
		c := e.Counterpart
		if c.Address.City != "Ville "+c.Name || len(c.Trades) == 0 {
			t.Errorf("brief counterpart %+v", c)
		}
		if w := alpha.Whole.Edges[i].Counterpart; w.Name != c.Name || w.Description != "Métrologie "+w.Name {
			t.Errorf("whole counterpart %+v", w)
		}
	}
}
