package graph_test

import (
	"context"
	"testing"
	"time"

	"grappe/domain"
	"grappe/globalid"
)

// exec runs SQL on the test database.
func (a *api) exec(query string, args ...any) {
	a.t.Helper()
	if _, err := a.db.Bun().ExecContext(context.Background(), query, args...); err != nil {
		a.t.Fatalf("%s: %v", query, err)
	}
}

func TestMemberSearchThroughAPI(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	a.create(map[string]any{"name": "Thermo-Mesure", "kind": "COMPANY", "description": "Étalonnage de sondes de température"})
	a.create(map[string]any{"name": "Vernier & Fils", "kind": "COMPANY", "description": "Métrologie dimensionnelle"})
	var out struct {
		Members struct {
			TotalCount int
			Edges      []struct{ Node struct{ Name string } }
		}
	}
	a.ok("", `{ members(filter: {search: "etalonnage temperature"}) { totalCount edges { node { name } } } }`, nil, &out)
	if out.Members.TotalCount != 1 || out.Members.Edges[0].Node.Name != "Thermo-Mesure" {
		t.Fatalf("search: %+v", out)
	}
	resp := a.do("", `{ members(filter: {search: "a\u0000b"}) { totalCount } }`, nil)
	if resp.code() != domain.CodeBadUserInput {
		t.Fatalf("NUL in search: %+v", resp.Errors)
	}
}

func TestContacts(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	self := a.create(map[string]any{"name": "Self", "kind": "COMPANY"})
	other := a.create(map[string]any{"name": "Other", "kind": "COMPANY"})
	memberTok := token(t, domain.RoleMember, self.ID)
	const add = `mutation($in: AddContactInput!) { addContact(input: $in) { clientMutationId contact { id name role email phone } } }`
	var added struct {
		AddContact struct {
			ClientMutationID string
			Contact          struct{ ID, Name, Role, Email string }
		}
	}
	a.ok(memberTok, add, map[string]any{"in": map[string]any{
		"clientMutationId": "k", "memberId": self.ID, "name": "Claire Dubois", "role": "Gérante", "email": "claire@self.example",
	}}, &added)
	if added.AddContact.ClientMutationID != "k" || added.AddContact.Contact.Name != "Claire Dubois" || added.AddContact.Contact.Role != "Gérante" {
		t.Fatalf("added %+v", added)
	}
	for _, c := range []struct {
		name string
		tok  string
		in   map[string]any
		code string
	}{
		{"for another member", memberTok, map[string]any{"memberId": other.ID, "name": "X"}, "FORBIDDEN"},
		{"analyst", token(t, domain.RoleAnalyst, ""), map[string]any{"memberId": self.ID, "name": "X"}, "FORBIDDEN"},
		{"bad email", memberTok, map[string]any{"memberId": self.ID, "name": "X", "email": "not-an-email"}, "BAD_USER_INPUT"},
		{"blank name", memberTok, map[string]any{"memberId": self.ID, "name": " "}, "BAD_USER_INPUT"},
	} {
		if resp := a.do(c.tok, add, map[string]any{"in": c.in}); resp.code() != c.code {
			t.Errorf("%s: %+v, want %s", c.name, resp.Errors, c.code)
		}
	}
	// Members see contacts; anonymous callers get FORBIDDEN and no data.
	const read = `query($id: ID!) { member(id: $id) { contacts { name email } } }`
	var seen struct {
		Member struct {
			Contacts []struct{ Name, Email string }
		}
	}
	a.ok(token(t, domain.RoleMember, other.ID), read, map[string]any{"id": self.ID}, &seen)
	if len(seen.Member.Contacts) != 1 || seen.Member.Contacts[0].Email != "claire@self.example" {
		t.Fatalf("contacts %+v", seen)
	}
	resp := a.do("", read, map[string]any{"id": self.ID})
	if resp.code() != domain.CodeForbidden || string(resp.Data) != `{"member":null}` {
		t.Fatalf("anonymous contacts: %s %+v", resp.Data, resp.Errors)
	}
	// Removing: not by another member; by the member itself.
	const remove = `mutation($id: ID!) { removeContact(input: {id: $id}) { member { contacts { name } } } }`
	if resp := a.do(token(t, domain.RoleMember, other.ID), remove, map[string]any{"id": added.AddContact.Contact.ID}); resp.code() != domain.CodeForbidden {
		t.Fatalf("remove by other: %+v", resp.Errors)
	}
	var removed struct {
		RemoveContact struct{ Member struct{ Contacts []any } }
	}
	a.ok(memberTok, remove, map[string]any{"id": added.AddContact.Contact.ID}, &removed)
	if len(removed.RemoveContact.Member.Contacts) != 0 {
		t.Fatalf("after remove: %+v", removed)
	}
	if resp := a.do(memberTok, remove, map[string]any{"id": added.AddContact.Contact.ID}); resp.code() != domain.CodeNotFound {
		t.Fatalf("remove twice: %+v", resp.Errors)
	}
}

func TestEndMembershipKeepsHistory(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	m := a.create(map[string]any{"name": "Partante", "kind": "COMPANY", "joinedOn": "2015-03-01"})
	staff := token(t, domain.RoleStaff, "")
	const end = `mutation($in: EndMembershipInput!) { endMembership(input: $in) { member { status leftOn joinedOn } } }`
	for _, c := range []struct {
		tok, leftOn, code string
	}{
		{token(t, domain.RoleMember, m.ID), "2020-01-01", "FORBIDDEN"},
		{staff, "2014-01-01", "BAD_USER_INPUT"},
		{staff, "2999-01-01", "BAD_USER_INPUT"},
	} {
		if resp := a.do(c.tok, end, map[string]any{"in": map[string]any{"memberId": m.ID, "leftOn": c.leftOn}}); resp.code() != c.code {
			t.Errorf("leftOn %s: %+v, want %s", c.leftOn, resp.Errors, c.code)
		}
	}
	var out struct {
		EndMembership struct {
			Member struct{ Status, LeftOn, JoinedOn string }
		}
	}
	a.ok(staff, end, map[string]any{"in": map[string]any{"memberId": m.ID, "leftOn": "2024-06-30"}}, &out)
	if got := out.EndMembership.Member; got.Status != "LAPSED" || got.LeftOn != "2024-06-30" || got.JoinedOn != "2015-03-01" {
		t.Fatalf("ended: %+v", got)
	}
	if resp := a.do(staff, end, map[string]any{"in": map[string]any{"memberId": m.ID}}); resp.code() != domain.CodeConflict {
		t.Fatalf("ending twice: %+v", resp.Errors)
	}
	// Still queryable, not listed by default, and it reads but does not write.
	lapsedTok := token(t, domain.RoleMember, m.ID)
	var read struct{ Member struct{ Name, Status string } }
	a.ok(lapsedTok, `query($id: ID!) { member(id: $id) { name status } }`, map[string]any{"id": m.ID}, &read)
	if read.Member.Status != "LAPSED" {
		t.Fatalf("lapsed read: %+v", read)
	}
	for _, q := range []string{
		`mutation($id: ID!) { updateMember(input: {id: $id, name: "Nouveau"}) { member { name } } }`,
		`mutation($id: ID!) { addContact(input: {memberId: $id, name: "X"}) { contact { id } } }`,
	} {
		if resp := a.do(lapsedTok, q, map[string]any{"id": m.ID}); resp.code() != domain.CodeForbidden {
			t.Errorf("lapsed write %s: %+v", q, resp.Errors)
		}
	}
}

func TestTradesComplementsAndMembers(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	staff := token(t, domain.RoleStaff, "")
	type trade struct{ ID, Code string }
	create := func(code, parent string) trade {
		var out struct{ CreateTrade struct{ Trade trade } }
		in := map[string]any{"code": code, "nameEn": code + " en", "nameFr": code + " fr"}
		if parent != "" {
			in["parentId"] = parent
		}
		a.ok(staff, `mutation($in: CreateTradeInput!) { createTrade(input: $in) { trade { id code } } }`, map[string]any{"in": in}, &out)
		return out.CreateTrade.Trade
	}
	mfr := create("MANUFACTURER", "")
	sensors := create("MANUFACTURER.SENSORS", mfr.ID)
	dist := create("DISTRIBUTOR", "")
	if resp := a.do(staff, `mutation { createTrade(input: {code: "DISTRIBUTOR", nameEn: "x", nameFr: "x"}) { trade { id } } }`, nil); resp.code() != domain.CodeConflict {
		t.Fatalf("duplicate code: %+v", resp.Errors)
	}
	if resp := a.do(token(t, domain.RoleAnalyst, ""), `mutation { createTrade(input: {code: "X", nameEn: "x", nameFr: "x"}) { trade { id } } }`, nil); resp.code() != domain.CodeForbidden {
		t.Fatalf("analyst creates trade: %+v", resp.Errors)
	}
	const addC = `mutation($in: AddTradeComplementInput!) { addTradeComplement(input: $in) { trade { code complements { trade { code } kind description } } } }`
	var added struct {
		AddTradeComplement struct {
			Trade struct {
				Code        string
				Complements []struct {
					Trade       struct{ Code string }
					Kind        string
					Description string
				}
			}
		}
	}
	a.ok(staff, addC, map[string]any{"in": map[string]any{"tradeId": dist.ID, "otherTradeId": mfr.ID, "kind": "DISTRIBUTION", "description": "distributes what manufacturers make"}}, &added)
	if c := added.AddTradeComplement.Trade.Complements; len(c) != 1 || c[0].Trade.Code != "MANUFACTURER" || c[0].Kind != "DISTRIBUTION" {
		t.Fatalf("complements: %+v", added)
	}
	if resp := a.do(staff, addC, map[string]any{"in": map[string]any{"tradeId": mfr.ID, "otherTradeId": dist.ID, "kind": "DISTRIBUTION"}}); resp.code() != domain.CodeConflict {
		t.Fatalf("symmetric duplicate: %+v", resp.Errors)
	}
	if resp := a.do(staff, addC, map[string]any{"in": map[string]any{"tradeId": mfr.ID, "otherTradeId": mfr.ID, "kind": "SUPPLY"}}); resp.code() != domain.CodeBadUserInput {
		t.Fatalf("self complement: %+v", resp.Errors)
	}
	// Members per trade include sub-trades; seen from both sides.
	a.create(map[string]any{"name": "Capteurs SA", "kind": "COMPANY", "tradeIds": []string{sensors.ID}})
	a.create(map[string]any{"name": "Banc SA", "kind": "COMPANY", "tradeIds": []string{mfr.ID, sensors.ID}})
	a.create(map[string]any{"name": "Distri SA", "kind": "COMPANY", "tradeIds": []string{dist.ID}})
	var tree struct {
		Trades []struct {
			Code    string
			Members struct {
				TotalCount int
				Edges      []struct{ Node struct{ Name string } }
			}
			Complements []struct{ Trade struct{ Code string } }
		}
	}
	a.ok("", `{ trades { code members(first: 1) { totalCount edges { node { name } } } complements { trade { code } } } }`, nil, &tree)
	got := map[string]int{}
	for _, tr := range tree.Trades {
		got[tr.Code] = tr.Members.TotalCount
		if tr.Code == "MANUFACTURER" && (len(tr.Members.Edges) != 1 || tr.Members.Edges[0].Node.Name != "Banc SA" || len(tr.Complements) != 1 || tr.Complements[0].Trade.Code != "DISTRIBUTOR") {
			t.Fatalf("manufacturer: %+v", tr)
		}
	}
	if got["MANUFACTURER"] != 2 || got["MANUFACTURER.SENSORS"] != 2 || got["DISTRIBUTOR"] != 1 {
		t.Fatalf("members per trade: %v", got)
	}
	n := countStatements(t, a, staff, `{ trades { code members(first: 5) { totalCount edges { node { name trades { code } } } } complements { trade { code } } } }`)
	if n != 5 { // trades, trade members, their counts, member trades, complements
		t.Fatalf("trades with members and complements: %d statements, want 5", n)
	}
	var removed struct {
		RemoveTradeComplement struct{ Trade struct{ Complements []any } }
	}
	a.ok(staff, `mutation($a: ID!, $b: ID!) { removeTradeComplement(input: {tradeId: $a, otherTradeId: $b}) { trade { complements { kind } } } }`,
		map[string]any{"a": mfr.ID, "b": dist.ID}, &removed)
	if len(removed.RemoveTradeComplement.Trade.Complements) != 0 {
		t.Fatalf("after remove: %+v", removed)
	}
}

func TestSetMemberTrades(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	a.exec(`INSERT INTO trades (code, name_en, name_fr) VALUES ('A', 'A', 'A'), ('B', 'B', 'B')`)
	var trades struct{ Trades []struct{ ID, Code string } }
	a.ok("", `{ trades { id code } }`, nil, &trades)
	m := a.create(map[string]any{"name": "M", "kind": "COMPANY", "tradeIds": []string{trades.Trades[0].ID}})
	const set = `mutation($in: SetMemberTradesInput!) { setMemberTrades(input: $in) { member { trades { code } } } }`
	var out struct {
		SetMemberTrades struct {
			Member struct{ Trades []struct{ Code string } }
		}
	}
	a.ok(token(t, domain.RoleMember, m.ID), set, map[string]any{"in": map[string]any{"memberId": m.ID, "tradeIds": []string{trades.Trades[1].ID}}}, &out)
	if tr := out.SetMemberTrades.Member.Trades; len(tr) != 1 || tr[0].Code != "B" {
		t.Fatalf("trades %+v", out)
	}
	if resp := a.do(token(t, domain.RoleStaff, ""), set, map[string]any{"in": map[string]any{"memberId": m.ID, "tradeIds": []string{}}}); resp.code() != domain.CodeBadUserInput {
		t.Fatalf("no trades: %+v", resp.Errors)
	}
}

func TestEngagement(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	a.db.Now = func() time.Time { return now }
	busy := a.create(map[string]any{"name": "Busy", "kind": "COMPANY", "joinedOn": "2010-01-01"})
	idle := a.create(map[string]any{"name": "Idle", "kind": "COMPANY", "joinedOn": "2010-01-01"})
	fresh := a.create(map[string]any{"name": "Fresh", "kind": "COMPANY", "joinedOn": "2026-10-01"})
	// Busy: raised a question (1 support), joined a group, attended 5 held meetings, declared 1 link (2 months ago).
	a.exec(`
		INSERT INTO questions (id, text, theme, raised_by, raised_at, status) SELECT 1, 'Achats groupés ?', 'PURCHASING', id, '2026-09-01', 'GROUP_FORMED' FROM members WHERE name = 'Busy';
		INSERT INTO question_supports (question_id, member_id, supported_at) SELECT 1, id, '2026-09-01' FROM members WHERE name = 'Busy';
		INSERT INTO working_groups (id, question_id, name, theme, formed_at) VALUES (1, 1, 'Achats groupés', 'PURCHASING', '2026-09-02');
		INSERT INTO group_participants (group_id, member_id, role, joined_at) SELECT 1, id, 'LEAD', '2026-09-02' FROM members WHERE name = 'Busy';
		INSERT INTO meetings (id, group_id, title, starts_at, duration_minutes, agenda, expected_outcome, status, outcome)
			SELECT g, 1, 'Réunion ' || g, timestamptz '2026-09-10' + g * interval '1 day', 60, '[{"title":"x","minutes":30}]', 'y', 'HELD', 'z' FROM generate_series(1, 5) g;
		INSERT INTO meeting_attendees SELECT g, m.id FROM generate_series(1, 5) g, members m WHERE m.name = 'Busy';
		INSERT INTO business_links (from_id, to_id, kind, status, since, declared_by, created_at)
			SELECT b.id, i.id, 'SUPPLY', 'PENDING', '2026-09-20', b.id, '2026-09-20' FROM members b, members i WHERE b.name = 'Busy' AND i.name = 'Idle';
		-- Idle: one link declared and confirmed in January 2025, nothing since.
		INSERT INTO business_links (from_id, to_id, kind, status, since, declared_by, created_at, confirmed_at)
			SELECT i.id, b.id, 'REFERRAL', 'CONFIRMED', '2025-01-01', i.id, '2025-01-01', '2025-01-02' FROM members b, members i WHERE b.name = 'Busy' AND i.name = 'Idle';
	`)
	type eng struct {
		Score, MeetingsAttended, GroupsJoined, QuestionsSupported, LinksDeclaredOrConfirmed int
		AtRisk                                                                              bool
		LastActivityAt                                                                      *string
	}
	const q = `query($id: ID!) { member(id: $id) { engagement { score meetingsAttended groupsJoined questionsSupported linksDeclaredOrConfirmed atRisk lastActivityAt } } }`
	read := func(tok, id string) eng {
		var out struct{ Member struct{ Engagement eng } }
		a.ok(tok, q, map[string]any{"id": id}, &out)
		return out.Member.Engagement
	}
	analyst := token(t, domain.RoleAnalyst, "")
	// 40 (5 meetings, capped) + 10 (1 group) + 5 (1 question) + 5 (1 link) = 60.
	if got := read(analyst, busy.ID); got.Score != 60 || got.MeetingsAttended != 5 || got.GroupsJoined != 1 ||
		got.QuestionsSupported != 1 || got.LinksDeclaredOrConfirmed != 1 || got.AtRisk {
		t.Fatalf("busy: %+v", got)
	}
	// Idle's last activity is January 2025: at risk, score 0.
	if got := read(analyst, idle.ID); got.Score != 0 || !got.AtRisk || got.LastActivityAt == nil {
		t.Fatalf("idle: %+v", got)
	}
	// A newcomer without activity is not at risk yet.
	if got := read(token(t, domain.RoleMember, fresh.ID), fresh.ID); got.AtRisk || got.Score != 0 {
		t.Fatalf("fresh: %+v", got)
	}
	// Another member may not see it.
	resp := a.do(token(t, domain.RoleMember, fresh.ID), q, map[string]any{"id": busy.ID})
	if resp.code() != domain.CodeForbidden {
		t.Fatalf("engagement of another member: %+v", resp.Errors)
	}
}

// TestMemberProfileInTwoStatements: a member's profile (the load
// benchmark's profile document) takes two statements: the member with its
// contacts, trades and groups, and its links with their counterparts; each
// part holds what the fixture says, for a member and for a viewer who may
// not see everything; the groups' cursors go on in the next page.
func TestMemberProfileInTwoStatements(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	withDashboardFixture(t, a)
	if _, err := a.db.Bun().ExecContext(context.Background(), `INSERT INTO contacts (member_id, name, role, email) VALUES
		(2, 'Zoé Martin', 'Gérante', 'zoe@bravo.example'), (2, 'Adam Petit', NULL, NULL), (3, 'Chloé', NULL, NULL)`); err != nil {
		t.Fatal(err)
	}
	const profile = `query($id: ID!) { member(id: $id) {
		name contacts { name role email } trades { code }
		businessLinks(first: 10, statuses: [CONFIRMED]) { edges { counterpart { name } node { kind since } } }
		groups { edges { node { name status } } } } }`
	bravo := map[string]any{"id": globalid.Encode(globalid.TypeMember, 2)}
	analyst := token(t, domain.RoleAnalyst, "")
	if n := countStatementsWith(t, a, analyst, profile, bravo); n != 2 {
		t.Errorf("profile: %d statements, want 2", n)
	}
	type profileResult struct {
		Member *struct {
			Name     string
			Contacts []struct {
				Name        string
				Role, Email *string
			}
			Trades        []struct{ Code string }
			BusinessLinks struct {
				Edges []struct {
					Counterpart struct{ Name string }
					Node        struct{ Kind, Since string }
				}
			}
			Groups struct {
				Edges []struct{ Node struct{ Name, Status string } }
			}
		}
	}
	var got profileResult
	a.ok(analyst, profile, bravo, &got)
	m := got.Member
	if m == nil || m.Name != "Bravo" {
		t.Fatalf("profile %+v", got)
	}
	// Contacts by name, trades by code, links newest first, current groups.
	if len(m.Contacts) != 2 || m.Contacts[0].Name != "Adam Petit" || m.Contacts[0].Role != nil ||
		m.Contacts[1].Name != "Zoé Martin" || m.Contacts[1].Email == nil || *m.Contacts[1].Email != "zoe@bravo.example" {
		t.Errorf("contacts %+v", m.Contacts)
	}
	if len(m.Trades) != 2 || m.Trades[0].Code != "MEAS.DIM" || m.Trades[1].Code != "SOFT" {
		t.Errorf("trades %+v", m.Trades)
	}
	links := m.BusinessLinks.Edges
	if len(links) != 2 || links[0].Counterpart.Name != "Charlie" || links[0].Node.Kind != "PARTNERSHIP" ||
		links[1].Counterpart.Name != "Alpha" || links[1].Node.Since != "2025-12-01" {
		t.Errorf("links %+v", links)
	}
	if g := m.Groups.Edges; len(g) != 1 || g[0].Node.Name != "Achats" || g[0].Node.Status != "ACTIVE" {
		t.Errorf("groups %+v", g)
	}

	// A member without contacts or links has empty lists; one that does
	// not exist is null, in one statement.
	var india profileResult
	a.ok(analyst, profile, map[string]any{"id": globalid.Encode(globalid.TypeMember, 9)}, &india)
	if india.Member == nil || len(india.Member.Contacts) != 0 || len(india.Member.BusinessLinks.Edges) != 0 || len(india.Member.Trades) != 1 {
		t.Errorf("India %+v", india.Member)
	}
	var none profileResult
	a.ok(analyst, profile, map[string]any{"id": globalid.Encode(globalid.TypeMember, 999)}, &none)
	if none.Member != nil {
		t.Errorf("unknown member %+v", none.Member)
	}

	// Charlie's groups one by one: the first page comes with the member,
	// the second from its cursor.
	const groupsPage = `query($id: ID!, $after: String) { member(id: $id) { name
		groups(first: 1, after: $after) { pageInfo { hasNextPage endCursor } edges { node { name } } } } }`
	type groupsResult struct {
		Member struct {
			Groups struct {
				PageInfo struct {
					HasNextPage bool
					EndCursor   string
				}
				Edges []struct{ Node struct{ Name string } }
			}
		}
	}
	charlie := globalid.Encode(globalid.TypeMember, 3)
	var p1, p2 groupsResult
	a.ok(analyst, groupsPage, map[string]any{"id": charlie}, &p1)
	g1 := p1.Member.Groups
	if len(g1.Edges) != 1 || g1.Edges[0].Node.Name != "Salon" || !g1.PageInfo.HasNextPage {
		t.Fatalf("Charlie's first group page %+v", g1)
	}
	a.ok(analyst, groupsPage, map[string]any{"id": charlie, "after": g1.PageInfo.EndCursor}, &p2)
	if g2 := p2.Member.Groups; len(g2.Edges) != 1 || g2.Edges[0].Node.Name != "AO" || g2.PageInfo.HasNextPage {
		t.Errorf("Charlie's second group page %+v", g2)
	}

	// An anonymous viewer still gets its directory fields only.
	resp := a.do("", `query($id: ID!) { member(id: $id) { name trades { code } } }`, bravo)
	if resp.Status != 200 || len(resp.Errors) > 0 {
		t.Errorf("anonymous profile: %d %+v", resp.Status, resp.Errors)
	}
	resp = a.do("", `query($id: ID!) { member(id: $id) { contacts { name } } }`, bravo)
	if resp.code() != domain.CodeForbidden && resp.code() != "GRAPHQL_VALIDATION_FAILED" {
		t.Errorf("anonymous contacts: %d %+v", resp.Status, resp.Errors)
	}
}
