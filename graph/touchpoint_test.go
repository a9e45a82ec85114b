package graph_test

import (
	"strings"
	"testing"
	"time"

	"grappe/domain"
)

const logTouchpoint = `mutation($input: LogTouchpointInput!) { logTouchpoint(input: $input) { touchpoint { id channel summary followUpOn done by at contact { name } member { name } } } }`

const touchpointsOf = `query($id: ID!) { node(id: $id) { ... on Member { lastTouchpointAt touchpoints(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { node { summary } } } } } }`

// TestTouchpoints: staff log touchpoints and complete follow-ups; analysts
// and staff read them, the latest first; members and anonymous callers
// may not; bad input is refused with its field.
func TestTouchpoints(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	staff, analyst := token(t, domain.RoleStaff, ""), token(t, domain.RoleAnalyst, "")
	mA := a.create(map[string]any{"name": "Alpha", "kind": "COMPANY"})
	mB := a.create(map[string]any{"name": "Bravo", "kind": "COMPANY"})
	member := token(t, domain.RoleMember, mA.ID)
	var contact struct {
		AddContact struct{ Contact struct{ ID string } }
	}
	a.ok(staff, `mutation($id: ID!) { addContact(input: {memberId: $id, name: "Léa Martin"}) { contact { id } } }`, map[string]any{"id": mA.ID}, &contact)
	var other struct {
		AddContact struct{ Contact struct{ ID string } }
	}
	a.ok(staff, `mutation($id: ID!) { addContact(input: {memberId: $id, name: "Other"}) { contact { id } } }`, map[string]any{"id": mB.ID}, &other)

	type touchpoint struct {
		ID, Channel, Summary, By, At string
		FollowUpOn                   *string
		Done                         bool
		Contact                      *struct{ Name string }
		Member                       struct{ Name string }
	}
	var logged struct {
		LogTouchpoint struct{ Touchpoint touchpoint }
	}
	now := time.Now().UTC()
	for i, summary := range []string{"First call", "Visit at the workshop", "Call after the fair"} {
		input := map[string]any{"memberId": mA.ID, "channel": []string{"CALL", "VISIT", "CALL"}[i], "summary": "  " + summary + " ",
			"at": now.Add(time.Duration(i-3) * time.Hour).Format(time.RFC3339)}
		if i == 2 {
			input["followUpOn"] = "2020-01-01"
			input["contactId"] = contact.AddContact.Contact.ID
		}
		a.ok(staff, logTouchpoint, map[string]any{"input": input}, &logged)
	}
	tp := logged.LogTouchpoint.Touchpoint
	if tp.Summary != "Call after the fair" || tp.Channel != "CALL" || tp.FollowUpOn == nil || *tp.FollowUpOn != "2020-01-01" ||
		tp.Done || tp.Contact == nil || tp.Contact.Name != "Léa Martin" || tp.Member.Name != "Alpha" || tp.By == "" {
		t.Errorf("logged %+v", tp)
	}

	var read struct {
		Node struct {
			LastTouchpointAt *time.Time
			Touchpoints      struct {
				TotalCount int
				PageInfo   struct {
					HasNextPage bool
					EndCursor   string
				}
				Edges []struct{ Node struct{ Summary string } }
			}
		}
	}
	for _, tok := range []string{staff, analyst} {
		a.ok(tok, touchpointsOf, map[string]any{"id": mA.ID}, &read)
		tps := read.Node.Touchpoints
		if tps.TotalCount != 3 || len(tps.Edges) != 2 || tps.Edges[0].Node.Summary != "Call after the fair" ||
			tps.Edges[1].Node.Summary != "Visit at the workshop" || !tps.PageInfo.HasNextPage {
			t.Errorf("touchpoints: %+v", tps)
		}
		if at := read.Node.LastTouchpointAt; at == nil || at.Sub(now.Add(-time.Hour)).Abs() > time.Second {
			t.Errorf("lastTouchpointAt %v, want %v", at, now.Add(-time.Hour))
		}
	}
	var next struct {
		Node struct {
			Touchpoints struct {
				Edges []struct{ Node struct{ Summary string } }
			}
		}
	}
	// The cursor is the last reader's (an analyst's): cursors are per role.
	a.ok(analyst, `query($id: ID!, $after: String) { node(id: $id) { ... on Member { touchpoints(first: 2, after: $after) { edges { node { summary } } } } } }`,
		map[string]any{"id": mA.ID, "after": read.Node.Touchpoints.PageInfo.EndCursor}, &next)
	if e := next.Node.Touchpoints.Edges; len(e) != 1 || e[0].Node.Summary != "First call" {
		t.Errorf("second page: %+v", e)
	}
	for who, tok := range map[string]string{"member": member, "anonymous": ""} {
		r := a.do(tok, `query($id: ID!) { node(id: $id) { ... on Member { touchpoints { totalCount } } } }`, map[string]any{"id": mA.ID})
		if r.code() != domain.CodeForbidden {
			t.Errorf("%s reading touchpoints: %+v", who, r.Errors)
		}
		// By id, a touchpoint is null to them, as if it did not exist.
		if r := a.do(tok, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": tp.ID}); len(r.Errors) > 0 || string(r.Data) != `{"node":null}` {
			t.Errorf("%s reading a touchpoint by id: %+v %s", who, r.Errors, r.Data)
		}
	}
	var byID struct{ Node struct{ Summary string } }
	a.ok(analyst, `query($id: ID!) { node(id: $id) { ... on Touchpoint { summary } } }`, map[string]any{"id": tp.ID}, &byID)
	if byID.Node.Summary != "Call after the fair" {
		t.Errorf("node: %+v", byID)
	}

	// Refusals, each with its code and field; none logs anything.
	for _, c := range []struct {
		name, tok string
		input     map[string]any
		code      string
		field     string
	}{
		{"by an analyst", analyst, map[string]any{"memberId": mA.ID, "channel": "CALL", "summary": "x"}, domain.CodeForbidden, ""},
		{"by a member", member, map[string]any{"memberId": mA.ID, "channel": "CALL", "summary": "x"}, domain.CodeForbidden, ""},
		{"empty summary", staff, map[string]any{"memberId": mA.ID, "channel": "CALL", "summary": "   "}, domain.CodeBadUserInput, "summary"},
		{"in two days", staff, map[string]any{"memberId": mA.ID, "channel": "CALL", "summary": "x", "at": now.Add(48 * time.Hour).Format(time.RFC3339)}, domain.CodeBadUserInput, "at"},
		{"another member's contact", staff, map[string]any{"memberId": mA.ID, "channel": "CALL", "summary": "x", "contactId": other.AddContact.Contact.ID}, domain.CodeBadUserInput, "contactId"},
		{"unknown member", staff, map[string]any{"memberId": gid(999999), "channel": "CALL", "summary": "x"}, domain.CodeNotFound, "memberId"},
		{"a link id as member", staff, map[string]any{"memberId": "TWVtYmVyOg", "channel": "CALL", "summary": "x"}, domain.CodeBadUserInput, "memberId"},
		{"unknown channel", staff, map[string]any{"memberId": mA.ID, "channel": "FAX", "summary": "x"}, domain.CodeBadUserInput, ""},
	} {
		r := a.do(c.tok, logTouchpoint, map[string]any{"input": c.input})
		if r.code() != c.code || (c.field != "" && r.Errors[0].Extensions["field"] != c.field) {
			t.Errorf("%s: %+v, want %s on %q", c.name, r.Errors, c.code, c.field)
		}
	}
	a.ok(staff, touchpointsOf, map[string]any{"id": mA.ID}, &read)
	if read.Node.Touchpoints.TotalCount != 3 {
		t.Errorf("refused inputs logged touchpoints: %d", read.Node.Touchpoints.TotalCount)
	}

	const complete = `mutation($t: ID!) { completeFollowUp(input: {touchpointId: $t}) { touchpoint { done } } }`
	if r := a.do(analyst, complete, map[string]any{"t": tp.ID}); r.code() != domain.CodeForbidden {
		t.Errorf("analyst completing: %+v", r.Errors)
	}
	var done struct {
		CompleteFollowUp struct{ Touchpoint struct{ Done bool } }
	}
	a.ok(staff, complete, map[string]any{"t": tp.ID}, &done)
	if !done.CompleteFollowUp.Touchpoint.Done {
		t.Error("follow-up not done")
	}
	if r := a.do(staff, complete, map[string]any{"t": tp.ID}); r.code() != domain.CodeConflict {
		t.Errorf("completing twice: %+v", r.Errors)
	}
	a.ok(staff, touchpointsOf, map[string]any{"id": mA.ID}, &read)
	var first struct {
		LogTouchpoint struct{ Touchpoint touchpoint }
	}
	a.ok(staff, logTouchpoint, map[string]any{"input": map[string]any{"memberId": mB.ID, "channel": "EMAIL", "summary": "No follow-up"}}, &first)
	if r := a.do(staff, complete, map[string]any{"t": first.LogTouchpoint.Touchpoint.ID}); r.code() != domain.CodeConflict {
		t.Errorf("completing without a follow-up: %+v", r.Errors)
	}

	// The contact's export holds the touchpoint; its erasure scrubs the summary.
	var export struct {
		ExportContactData struct {
			Touchpoints []struct{ Summary string }
			Document    map[string]any
		}
	}
	a.ok(staff, `query($id: ID!) { exportContactData(contactId: $id) { touchpoints { summary } document } }`,
		map[string]any{"id": contact.AddContact.Contact.ID}, &export)
	if tps := export.ExportContactData.Touchpoints; len(tps) != 1 || tps[0].Summary != "Call after the fair" ||
		len(export.ExportContactData.Document["touchpoints"].([]any)) != 1 {
		t.Errorf("export: %+v", export.ExportContactData)
	}
	var erased struct {
		EraseContact struct{ TouchpointsScrubbed int }
	}
	a.ok(staff, `mutation($id: ID!) { eraseContact(input: {id: $id}) { touchpointsScrubbed } }`, map[string]any{"id": contact.AddContact.Contact.ID}, &erased)
	if erased.EraseContact.TouchpointsScrubbed != 1 {
		t.Errorf("erasure scrubbed %d touchpoints", erased.EraseContact.TouchpointsScrubbed)
	}
	a.ok(analyst, `query($id: ID!) { node(id: $id) { ... on Touchpoint { summary } } }`, map[string]any{"id": tp.ID}, &byID)
	if byID.Node.Summary != domain.ErasedSummary {
		t.Errorf("summary after erasure: %q", byID.Node.Summary)
	}
	var entries struct {
		AuditLog struct {
			Edges []struct {
				Node struct {
					Mutation string
					Changes  []struct {
						Field  string
						Erased bool
					}
				}
			}
		}
	}
	a.ok(staff, `query($id: ID!) { auditLog(filter: {targetIds: [$id], mutations: ["logTouchpoint"]}) { edges { node { mutation changes { field erased } } } } }`,
		map[string]any{"id": contact.AddContact.Contact.ID}, &entries)
	scrubbed := false
	for _, e := range entries.AuditLog.Edges {
		for _, c := range e.Node.Changes {
			scrubbed = scrubbed || (c.Field == "summary" && c.Erased)
		}
	}
	if len(entries.AuditLog.Edges) != 1 || !scrubbed {
		t.Errorf("the logTouchpoint entry naming the contact: %+v", entries)
	}
}

// TestCallList: on a hand-built cluster, each reason puts the members it
// names on the list, in the documented order, page by page; members
// without a reason, lapsed ones and those who joined recently are left
// out; members and anonymous callers may not read it.
func TestCallList(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	a.exec(`
		INSERT INTO members (id, name, kind, joined_on, left_on) VALUES
		  (1, 'Silent since ever', 'COMPANY', current_date - 730, NULL),
		  (2, 'Promised a call', 'COMPANY', current_date - 730, NULL),
		  (3, 'Just joined', 'COMPANY', current_date - 30, NULL),
		  (4, 'Quiet but busy', 'COMPANY', current_date - 730, NULL),
		  (5, 'New, never called', 'COMPANY', current_date - 100, NULL),
		  (6, 'All is well', 'COMPANY', current_date - 730, NULL),
		  (7, 'Gone', 'COMPANY', current_date - 730, current_date - 10);
		INSERT INTO business_links (from_id, to_id, kind, since, declared_by, created_at) VALUES
		  (2, 4, 'SUPPLY', current_date, 2, now()), (4, 6, 'SUPPLY', current_date, 4, now()), (6, 2, 'REFERRAL', current_date, 6, now());
		INSERT INTO touchpoints (member_id, by_subject, channel, at, summary, follow_up_on, done) VALUES
		  (2, 'staff', 'CALL', now() - interval '10 days', 'Call back about the quote', current_date - 1, false),
		  (4, 'staff', 'VISIT', now() - interval '200 days', 'Visit', NULL, false),
		  (6, 'staff', 'CALL', now() - interval '1 day', 'Called', current_date - 1, true),
		  (7, 'staff', 'CALL', now() - interval '400 days', 'Called', current_date - 300, false);`)
	const q = `query($after: String) { callList(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor }
		edges { node { member { name } reasons lastTouchpointAt } } } }`
	type page struct {
		CallList struct {
			TotalCount int
			PageInfo   struct {
				HasNextPage bool
				EndCursor   string
			}
			Edges []struct {
				Node struct {
					Member           struct{ Name string }
					Reasons          []string
					LastTouchpointAt *time.Time
				}
			}
		}
	}
	staff := token(t, domain.RoleStaff, "")
	var got []string
	var after any
	for range 3 {
		var p page
		a.ok(staff, q, map[string]any{"after": after}, &p)
		if p.CallList.TotalCount != 4 {
			t.Errorf("totalCount %d, want 4", p.CallList.TotalCount)
		}
		for _, e := range p.CallList.Edges {
			got = append(got, e.Node.Member.Name+" "+strings.Join(e.Node.Reasons, ","))
		}
		if !p.CallList.PageInfo.HasNextPage {
			break
		}
		after = p.CallList.PageInfo.EndCursor
	}
	want := []string{
		"Promised a call FOLLOW_UP_DUE",
		"Silent since ever AT_RISK,NEVER_CONTACTED,QUIET",
		"New, never called NEVER_CONTACTED",
		"Quiet but busy QUIET",
	}
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Errorf("call list:\n got %q\nwant %q", got, want)
	}
	var p page
	a.ok(token(t, domain.RoleAnalyst, ""), q, nil, &p)
	if e := p.CallList.Edges; len(e) != 2 || e[0].Node.LastTouchpointAt == nil || e[1].Node.LastTouchpointAt != nil {
		t.Errorf("analyst's first page: %+v", e)
	}
	for who, tok := range map[string]string{"member": token(t, domain.RoleMember, gid(1)), "anonymous": ""} {
		if r := a.do(tok, q, nil); r.code() != domain.CodeForbidden {
			t.Errorf("%s: %+v", who, r.Errors)
		}
	}
}
