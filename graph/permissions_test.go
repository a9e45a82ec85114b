package graph_test

import (
	"encoding/json"
	"strings"
	"testing"

	"grappe/domain"
)

// TestPermissionMatrix checks SPEC §4 for every role on each restricted
// field and mutation: allowed, or FORBIDDEN with the field or payload null.
func TestPermissionMatrix(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	staff := token(t, domain.RoleStaff, "")
	self := a.create(map[string]any{"name": "Self", "kind": "COMPANY", "legalId": "732829320"})
	other := a.create(map[string]any{"name": "Other", "kind": "COMPANY"})
	third := a.create(map[string]any{"name": "Third", "kind": "COMPANY"})
	lapsed := a.create(map[string]any{"name": "Lapsed", "kind": "COMPANY", "joinedOn": "2012-01-01"})
	target := a.create(map[string]any{"name": "Target", "kind": "COMPANY"})
	a.ok(staff, `mutation($id: ID!) { endMembership(input: {memberId: $id, leftOn: "2020-01-01"}) { member { status } } }`, map[string]any{"id": lapsed.ID}, nil)
	selfTok, otherTok := token(t, domain.RoleMember, self.ID), token(t, domain.RoleMember, other.ID)

	// A confirmed link Self → Other, a pending one Self → Third, and a group led by Self.
	var link struct {
		DeclareBusinessLink struct{ Link struct{ ID string } }
	}
	const declare = `mutation($from: ID!, $to: ID!, $kind: BusinessLinkKind!) { declareBusinessLink(input: {fromId: $from, toId: $to, kind: $kind, volumeBand: OVER_1M}) { link { id } } }`
	a.ok(selfTok, declare, map[string]any{"from": self.ID, "to": other.ID, "kind": "SUPPLY"}, &link)
	a.ok(otherTok, `mutation($id: ID!) { confirmBusinessLink(input: {id: $id}) { link { status } } }`, map[string]any{"id": link.DeclareBusinessLink.Link.ID}, nil)
	var pending struct {
		DeclareBusinessLink struct{ Link struct{ ID string } }
	}
	a.ok(selfTok, declare, map[string]any{"from": self.ID, "to": third.ID, "kind": "REFERRAL"}, &pending)
	var q struct {
		RaiseQuestion struct{ Question struct{ ID string } }
	}
	a.ok(selfTok, `mutation($me: ID!) { raiseQuestion(input: {memberId: $me, text: "Achats groupés d'énergie ?", theme: PURCHASING}) { question { id } } }`, map[string]any{"me": self.ID}, &q)
	var formed struct {
		SupportQuestion struct{ GroupFormed *struct{ ID string } }
	}
	for _, m := range []memberData{other, third} {
		a.ok(token(t, domain.RoleMember, m.ID), `mutation($q: ID!, $me: ID!) { supportQuestion(input: {questionId: $q, memberId: $me}) { groupFormed { id } } }`,
			map[string]any{"q": q.RaiseQuestion.Question.ID, "me": m.ID}, &formed)
	}
	if formed.SupportQuestion.GroupFormed == nil {
		t.Fatal("no group formed by the third supporter")
	}
	group := formed.SupportQuestion.GroupFormed.ID

	roles := []struct {
		name string
		tok  string
	}{
		{"PUBLIC", ""},
		{"MEMBER self", selfTok},
		{"MEMBER other", otherTok},
		{"MEMBER lapsed", token(t, domain.RoleMember, lapsed.ID)},
		{"ANALYST", token(t, domain.RoleAnalyst, "")},
		{"STAFF", staff},
	}
	// allowed lists the roles (by index in roles) that may do it.
	cases := []struct {
		name    string
		query   string
		vars    map[string]any
		allowed []int
		// path is the response field that must be null when refused.
		path string
		// hidden: a role that may not even see the object gets NOT_FOUND,
		// which leaks less than FORBIDDEN.
		hidden bool
	}{
		{"read legalId", `query($id: ID!) { member(id: $id) { legalId } }`, map[string]any{"id": self.ID}, []int{1, 2, 3, 4, 5}, "member.legalId", false},
		{"read contacts", `query($id: ID!) { member(id: $id) { contacts { name } } }`, map[string]any{"id": self.ID}, []int{1, 2, 3, 4, 5}, "member", false},
		{"read engagement", `query($id: ID!) { member(id: $id) { engagement { score } } }`, map[string]any{"id": self.ID}, []int{1, 4, 5}, "member", false},
		{"read volume band of a link of others", `query($id: ID!) { member(id: $id) { businessLinks(statuses: [CONFIRMED]) { edges { node { volumeBand } } } } }`,
			map[string]any{"id": self.ID}, []int{1, 2, 4, 5}, "", false},
		{"list business links", `{ businessLinks { totalCount } }`, nil, []int{1, 2, 3, 4, 5}, "businessLinks", false},
		{"list questions", `{ questions { totalCount } }`, nil, []int{1, 2, 3, 4, 5}, "questions", false},
		{"list action plans", `{ actionPlans { totalCount } }`, nil, []int{1, 2, 3, 4, 5}, "actionPlans", false},
		{"read the dashboard", `{ dashboard { memberCount } }`, nil, []int{4, 5}, "dashboard", false},
		{"read the dashboard's engagement", `{ dashboard { engagement { atRisk { inactiveDays } } } }`, nil, []int{4, 5}, "dashboard", false},
		{"createMember", `mutation { createMember(input: {name: "New", kind: COMPANY}) { member { id } } }`, nil, []int{5}, "createMember", false},
		{"updateMember self", `mutation($id: ID!) { updateMember(input: {id: $id, headcount: 12}) { member { id } } }`, map[string]any{"id": self.ID}, []int{1, 5}, "updateMember", false},
		{"endMembership", `mutation($id: ID!) { endMembership(input: {memberId: $id, leftOn: "2025-01-01"}) { member { id } } }`, map[string]any{"id": target.ID}, []int{5}, "endMembership", false},
		{"addContact to self", `mutation($id: ID!) { addContact(input: {memberId: $id, name: "X"}) { contact { id } } }`, map[string]any{"id": self.ID}, []int{1, 5}, "addContact", false},
		{"createTrade", `mutation { createTrade(input: {code: "PERM_TEST", nameEn: "x", nameFr: "x"}) { trade { id } } }`, nil, []int{5}, "createTrade", false},
		{"declare a link as self", `mutation($from: ID!, $to: ID!) { declareBusinessLink(input: {fromId: $from, toId: $to, kind: PARTNERSHIP}) { link { id } } }`,
			map[string]any{"from": self.ID, "to": target.ID}, []int{1, 5}, "declareBusinessLink", false},
		{"confirm a link declared by self", `mutation($id: ID!) { confirmBusinessLink(input: {id: $id}) { link { id } } }`,
			map[string]any{"id": pending.DeclareBusinessLink.Link.ID}, []int{5}, "confirmBusinessLink", true},
		{"raise a question as self", `mutation($id: ID!) { raiseQuestion(input: {memberId: $id, text: "Q ?", theme: OTHER}) { question { id } } }`,
			map[string]any{"id": self.ID}, []int{1, 5}, "raiseQuestion", false},
		{"schedule a meeting (lead)", `mutation($g: ID!) { scheduleMeeting(input: {groupId: $g, title: "Lancement", startsAt: "2030-01-10T09:00:00Z", durationMinutes: 60, agenda: [{title: "Tour de table", minutes: 20}], expectedOutcome: "Un cahier des charges"}) { meeting { id } } }`,
			map[string]any{"g": group}, []int{1, 5}, "scheduleMeeting", false},
		{"publish the action plan (lead)", `mutation($g: ID!) { publishActionPlan(input: {groupId: $g, summary: "Plan", items: [{title: "Consulter trois fournisseurs"}]}) { actionPlan { id } } }`,
			map[string]any{"g": group}, []int{1, 5}, "publishActionPlan", false},
		{"close the group (lead)", `mutation($g: ID!) { closeGroup(input: {groupId: $g}) { group { id } } }`,
			map[string]any{"g": group}, []int{1, 5}, "closeGroup", false},
	}
	for _, c := range cases {
		for i, role := range roles {
			allowed := false
			for _, j := range c.allowed {
				allowed = allowed || i == j
			}
			resp := a.do(role.tok, c.query, c.vars)
			forbidden := false
			for _, e := range resp.Errors {
				forbidden = forbidden || e.Extensions["code"] == domain.CodeForbidden ||
					c.hidden && e.Extensions["code"] == domain.CodeNotFound
			}
			if resp.Status >= 500 {
				t.Errorf("%s as %s: status %d", c.name, role.name, resp.Status)
			}
			if allowed && forbidden {
				t.Errorf("%s as %s: refused, want allowed: %+v", c.name, role.name, resp.Errors)
			}
			if !allowed && !forbidden {
				t.Errorf("%s as %s: allowed (%s), want FORBIDDEN", c.name, role.name, resp.Data)
			}
			if !allowed && c.path != "" && !isNullAt(resp.Data, c.path) {
				t.Errorf("%s as %s: refused but %s is not null: %s", c.name, role.name, c.path, resp.Data)
			}
		}
	}
}

// isNullAt reports whether the dotted path in data is null or absent (or
// data itself is null).
func isNullAt(data json.RawMessage, path string) bool {
	var v any
	if json.Unmarshal(data, &v) != nil || v == nil {
		return true
	}
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return v == nil
		}
		if v = m[k]; v == nil {
			return true
		}
	}
	return false
}

// TestFiltersAndOrdersFollowFields: a caller may filter or sort members
// only on fields it may read; otherwise FORBIDDEN naming the argument, and
// no data.
func TestFiltersAndOrdersFollowFields(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	a.create(map[string]any{"name": "Alpha", "kind": "COMPANY", "headcount": 12, "joinedOn": "2010-05-01"})
	a.create(map[string]any{"name": "Bravo", "kind": "COMPANY", "headcount": 300, "joinedOn": "2015-05-01"})
	member := a.create(map[string]any{"name": "Charlie", "kind": "COMPANY", "headcount": 3})
	const list = `query($f: MemberFilter, $o: MemberOrder) { members(filter: $f, orderBy: $o) { edges { cursor node { name } } totalCount } }`
	for _, c := range []struct {
		name   string
		filter map[string]any
		order  map[string]any
		field  string
	}{
		{"departments", map[string]any{"departments": []string{"95"}}, nil, "filter.departments"},
		{"joinedAfter", map[string]any{"joinedAfter": "2001-01-01"}, nil, "filter.joinedAfter"},
		{"joinedBefore", map[string]any{"joinedBefore": "2030-01-01"}, nil, "filter.joinedBefore"},
		{"HEADCOUNT", nil, map[string]any{"field": "HEADCOUNT", "direction": "DESC"}, "orderBy.field"},
		{"JOINED_ON", nil, map[string]any{"field": "JOINED_ON"}, "orderBy.field"},
	} {
		vars := map[string]any{"f": c.filter, "o": c.order}
		resp := a.do("", list, vars)
		if resp.code() != domain.CodeForbidden || resp.Errors[0].Extensions["field"] != c.field || strings.Contains(string(resp.Data), "Alpha") {
			t.Errorf("anonymous %s: %s %+v", c.name, resp.Data, resp.Errors)
		}
		for _, tok := range []string{token(t, domain.RoleMember, member.ID), token(t, domain.RoleAnalyst, "")} {
			if resp := a.do(tok, list, vars); len(resp.Errors) != 0 {
				t.Errorf("%s with a token: %+v", c.name, resp.Errors)
			}
		}
	}
	// What anonymous callers may read, they may filter and sort on.
	var out struct {
		Members struct {
			Edges []struct{ Node struct{ Name string } }
		}
	}
	a.ok("", list, map[string]any{"f": map[string]any{"sizeClasses": []string{"LARGE"}}, "o": map[string]any{"field": "NAME", "direction": "DESC"}}, &out)
	if len(out.Members.Edges) != 1 || out.Members.Edges[0].Node.Name != "Bravo" {
		t.Errorf("anonymous by size class: %+v", out)
	}
}
