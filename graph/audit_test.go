package graph_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"grappe/domain"
	"grappe/globalid"
)

// auditEntryData is an audit entry as the API returns it.
type auditEntryData struct {
	ID         string
	At         time.Time
	Role       string
	MemberID   *string
	Member     *struct{ Name string }
	Subject    *string
	RequestID  *string
	Mutation   string
	TargetType string
	TargetID   string
	TargetIds  []string
	Changes    []struct {
		Field  string
		Before any
		After  any
		Erased bool
	}
}

// change returns the change of field, or nil.
func (e *auditEntryData) change(field string) *struct {
	Field  string
	Before any
	After  any
	Erased bool
} {
	for i := range e.Changes {
		if e.Changes[i].Field == field {
			return &e.Changes[i]
		}
	}
	return nil
}

const auditLogQuery = `query($first: Int, $after: String, $filter: AuditFilter) {
  auditLog(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node {
      id at role memberId member { name } subject requestId mutation targetType targetId targetIds
      changes { field before after erased }
    } }
  }
}`

type auditLogData struct {
	AuditLog struct {
		TotalCount int
		PageInfo   struct {
			HasNextPage, HasPreviousPage bool
			EndCursor                    string
		}
		Edges []struct {
			Cursor string
			Node   auditEntryData
		}
	}
}

// auditLog reads the whole audit trail as staff, oldest first.
func (a *api) auditLog(filter map[string]any) []auditEntryData {
	a.t.Helper()
	var out []auditEntryData
	after := any(nil)
	for {
		var page auditLogData
		a.ok(token(a.t, domain.RoleStaff, ""), auditLogQuery, map[string]any{"first": 100, "after": after, "filter": filter}, &page)
		for _, e := range page.AuditLog.Edges {
			out = append(out, e.Node)
		}
		if !page.AuditLog.PageInfo.HasNextPage {
			break
		}
		after = page.AuditLog.PageInfo.EndCursor
	}
	slices.Reverse(out)
	return out
}

// auditCount counts the rows of audit_log straight from the table.
func (a *api) auditCount() int {
	a.t.Helper()
	var n int
	if err := a.db.Bun().NewRaw("SELECT count(*) FROM audit_log").Scan(context.Background(), &n); err != nil {
		a.t.Fatal(err)
	}
	return n
}

// mutationNames lists the fields of the Mutation type, by introspection.
func (a *api) mutationNames() []string {
	a.t.Helper()
	var out struct {
		Type struct{ Fields []struct{ Name string } } `json:"__type"`
	}
	a.ok("", `{ __type(name: "Mutation") { fields { name } } }`, nil, &out)
	names := make([]string, len(out.Type.Fields))
	for i, f := range out.Type.Fields {
		names[i] = f.Name
	}
	return names
}

// TestAuditTrailRecordsEveryMutation runs every mutation of the schema
// through the API and checks each left exactly the audit entries expected,
// with who, what, when and the request id.
func TestAuditTrailRecordsEveryMutation(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	staff := token(t, domain.RoleStaff, "")
	type ids = map[string]any
	var tr struct {
		CreateTrade struct{ Trade struct{ ID string } }
	}
	a.ok(staff, `mutation { createTrade(input: {code: "MAKER", nameEn: "Maker", nameFr: "Fabricant"}) { trade { id } } }`, nil, &tr)
	t1 := tr.CreateTrade.Trade.ID
	a.ok(staff, `mutation($p: ID!) { createTrade(input: {code: "MAKER.OPTICS", nameEn: "Optics", nameFr: "Optique", parentId: $p}) { trade { id } } }`, ids{"p": t1}, &tr)
	t2 := tr.CreateTrade.Trade.ID
	a.ok(staff, `mutation($a: ID!, $b: ID!) { addTradeComplement(input: {tradeId: $a, otherTradeId: $b, kind: SUPPLY, description: "d"}) { trade { id } } }`, ids{"a": t1, "b": t2}, nil)
	a.ok(staff, `mutation($a: ID!, $b: ID!) { removeTradeComplement(input: {tradeId: $a, otherTradeId: $b}) { trade { id } } }`, ids{"a": t1, "b": t2}, nil)

	mA := a.create(map[string]any{"name": "Alpha", "kind": "COMPANY", "tradeIds": []string{t1}})
	mB := a.create(map[string]any{"name": "Bravo", "kind": "COMPANY"})
	mC := a.create(map[string]any{"name": "Charlie", "kind": "COMPANY"})
	mD := a.create(map[string]any{"name": "Delta", "kind": "COMPANY"})
	tok := map[string]string{"A": token(t, domain.RoleMember, mA.ID), "B": token(t, domain.RoleMember, mB.ID),
		"C": token(t, domain.RoleMember, mC.ID), "D": token(t, domain.RoleMember, mD.ID)}

	// Two mutations in one operation: two entries, one request.
	a.ok(tok["A"], `mutation($id: ID!, $t: ID!) {
	  u: updateMember(input: {id: $id, name: "Alpha Mesure", website: "https://alpha.example"}) { member { id } }
	  s: setMemberTrades(input: {memberId: $id, tradeIds: [$t]}) { member { id } }
	}`, ids{"id": mA.ID, "t": t2}, nil)
	var contact struct {
		AddContact struct{ Contact struct{ ID string } }
	}
	a.ok(tok["A"], `mutation($id: ID!) { addContact(input: {memberId: $id, name: "Léa Martin", email: "lea@alpha.example"}) { contact { id } } }`, ids{"id": mA.ID}, &contact)
	a.ok(tok["A"], `mutation($id: ID!) { removeContact(input: {id: $id}) { member { id } } }`, ids{"id": contact.AddContact.Contact.ID}, nil)

	var link struct {
		DeclareBusinessLink struct{ Link struct{ ID string } }
	}
	a.ok(tok["A"], `mutation($f: ID!, $t: ID!) { declareBusinessLink(input: {fromId: $f, toId: $t, kind: SUPPLY, volumeBand: UNDER_10K}) { link { id } } }`, ids{"f": mA.ID, "t": mB.ID}, &link)
	l1 := link.DeclareBusinessLink.Link.ID
	a.ok(tok["B"], `mutation($id: ID!) { confirmBusinessLink(input: {id: $id}) { link { id } } }`, ids{"id": l1}, nil)
	a.ok(staff, `mutation($id: ID!) { endBusinessLink(input: {id: $id}) { link { id } } }`, ids{"id": l1}, nil)
	a.ok(tok["A"], `mutation($f: ID!, $t: ID!) { declareBusinessLink(input: {fromId: $f, toId: $t, kind: REFERRAL}) { link { id } } }`, ids{"f": mA.ID, "t": mC.ID}, &link)
	a.ok(tok["C"], `mutation($id: ID!) { declineBusinessLink(input: {id: $id}) { link { id } } }`, ids{"id": link.DeclareBusinessLink.Link.ID}, nil)

	var q struct {
		RaiseQuestion struct{ Question struct{ ID string } }
	}
	a.ok(tok["A"], `mutation($me: ID!) { raiseQuestion(input: {memberId: $me, text: "Achats groupés ?", theme: PURCHASING}) { question { id } } }`, ids{"me": mA.ID}, &q)
	q1 := q.RaiseQuestion.Question.ID
	var formed struct {
		SupportQuestion struct{ GroupFormed *struct{ ID string } }
	}
	for _, m := range []string{"B", "C"} {
		a.ok(tok[m], `mutation($q: ID!, $me: ID!) { supportQuestion(input: {questionId: $q, memberId: $me}) { groupFormed { id } } }`,
			ids{"q": q1, "me": map[string]string{"B": mB.ID, "C": mC.ID}[m]}, &formed)
	}
	group := formed.SupportQuestion.GroupFormed.ID
	a.ok(tok["A"], `mutation($me: ID!) { raiseQuestion(input: {memberId: $me, text: "Autre ?", theme: OTHER}) { question { id } } }`, ids{"me": mA.ID}, &q)
	a.ok(tok["D"], `mutation($q: ID!, $me: ID!) { supportQuestion(input: {questionId: $q, memberId: $me}) { question { id } } }`, ids{"q": q.RaiseQuestion.Question.ID, "me": mD.ID}, nil)
	a.ok(tok["D"], `mutation($q: ID!, $me: ID!) { withdrawSupport(input: {questionId: $q, memberId: $me}) { question { id } } }`, ids{"q": q.RaiseQuestion.Question.ID, "me": mD.ID}, nil)
	a.ok(tok["D"], `mutation($g: ID!, $me: ID!) { joinGroup(input: {groupId: $g, memberId: $me}) { group { id } } }`, ids{"g": group, "me": mD.ID}, nil)
	a.ok(tok["D"], `mutation($g: ID!, $me: ID!) { leaveGroup(input: {groupId: $g, memberId: $me}) { group { id } } }`, ids{"g": group, "me": mD.ID}, nil)

	var mtg struct {
		ScheduleMeeting struct{ Meeting struct{ ID string } }
	}
	a.ok(tok["A"], scheduleMtg, ids{"input": meetingInput(group, time.Now().Add(-time.Hour))}, &mtg)
	a.ok(tok["A"], recordOutcome, ids{"input": ids{"meetingId": mtg.ScheduleMeeting.Meeting.ID, "outcome": "Un fournisseur choisi", "attendeeIds": []string{mA.ID, mB.ID}}}, nil)
	a.ok(tok["A"], scheduleMtg, ids{"input": meetingInput(group, time.Now().Add(48*time.Hour))}, &mtg)
	a.ok(tok["A"], cancelMtg, ids{"input": ids{"meetingId": mtg.ScheduleMeeting.Meeting.ID}}, nil)
	a.ok(tok["A"], publishPlan, ids{"input": ids{"groupId": group, "summary": "Plan", "items": []ids{{"title": "Consulter"}}}}, nil)
	var campaign struct {
		CreatePurchasingCampaign struct{ Campaign struct{ ID string } }
	}
	a.ok(tok["A"], createCampaign, ids{"input": campaignInput(group)}, &campaign)
	c1 := campaign.CreatePurchasingCampaign.Campaign.ID
	a.ok(tok["A"], openCampaign, ids{"id": c1}, nil)
	a.ok(tok["B"], commitCampaign, ids{"c": c1, "m": mB.ID, "q": 3}, nil)
	a.ok(tok["A"], closeCampaign, ids{"id": c1}, nil)
	a.ok(tok["A"], orderCampaign, ids{"id": c1}, nil)
	a.ok(staff, createCampaign, ids{"input": campaignInput("")}, &campaign)
	a.ok(staff, cancelCampaign, ids{"id": campaign.CreatePurchasingCampaign.Campaign.ID}, nil)
	a.ok(tok["A"], `mutation($g: ID!) { closeGroup(input: {groupId: $g}) { group { id } } }`, ids{"g": group}, nil)
	a.ok(staff, `mutation($id: ID!) { endMembership(input: {memberId: $id}) { member { id } } }`, ids{"id": mD.ID}, nil)
	var tp struct {
		LogTouchpoint struct{ Touchpoint struct{ ID string } }
	}
	a.ok(staff, `mutation($m: ID!) { logTouchpoint(input: {memberId: $m, channel: CALL, summary: "Called about the fair", followUpOn: "2026-01-05"}) { touchpoint { id } } }`, ids{"m": mB.ID}, &tp)
	a.ok(staff, `mutation($t: ID!) { completeFollowUp(input: {touchpointId: $t}) { touchpoint { id } } }`, ids{"t": tp.LogTouchpoint.Touchpoint.ID}, nil)
	var show struct {
		CreateTradeShow struct{ TradeShow struct{ ID string } }
	}
	a.ok(staff, `mutation { createTradeShow(input: {edition: 1, city: "Lyon", venue: "Eurexpo", startsOn: "2024-10-01", endsOn: "2024-10-03"}) { tradeShow { id } } }`, nil, &show)
	showID := show.CreateTradeShow.TradeShow.ID
	a.ok(staff, `mutation($s: ID!) { updateTradeShow(input: {tradeShowId: $s, visitorCount: 2000}) { tradeShow { id } } }`, ids{"s": showID}, nil)
	var ex struct {
		AddExhibitor struct{ Exhibitor struct{ ID string } }
	}
	a.ok(staff, `mutation($s: ID!) { addExhibitor(input: {tradeShowId: $s, name: "Optika GmbH", booth: "O1"}) { exhibitor { id } } }`, ids{"s": showID}, &ex)
	a.ok(staff, `mutation($e: ID!) { removeExhibitor(input: {exhibitorId: $e}) { removedExhibitorId } }`, ids{"e": ex.AddExhibitor.Exhibitor.ID}, nil)
	a.ok(staff, `mutation($s: ID!, $m: ID!) { addExhibitor(input: {tradeShowId: $s, memberId: $m, booth: "B1"}) { exhibitor { id } } }`, ids{"s": showID, "m": mB.ID}, &ex)
	var lead struct {
		RecordLead struct{ Lead struct{ ID string } }
	}
	a.ok(tok["B"], `mutation($s: ID!, $e: ID!, $v: ID!) { recordLead(input: {tradeShowId: $s, exhibitorId: $e, visitorMemberId: $v}) { lead { id } } }`,
		ids{"s": showID, "e": ex.AddExhibitor.Exhibitor.ID, "v": mC.ID}, &lead)
	a.ok(tok["B"], `mutation($l: ID!) { convertLeadToLink(input: {leadId: $l, kind: SUPPLY}) { link { id } } }`, ids{"l": lead.RecordLead.Lead.ID}, nil)

	given, upcoming := schedule(t, a, trainingInput(time.Now().Add(-time.Hour), 10)), schedule(t, a, trainingInput(time.Now().Add(time.Hour), 10))
	for _, m := range []string{mA.ID, mB.ID} {
		a.ok(staff, registerDoc, ids{"input": ids{"trainingId": given, "memberId": m}}, nil)
	}
	a.ok(staff, cancelRegistrationDoc, ids{"input": ids{"trainingId": given, "memberId": mB.ID}}, nil)
	a.ok(staff, recordAttendanceDoc, ids{"input": ids{"trainingId": given, "attendeeIds": []string{mA.ID}}}, nil)
	a.ok(tok["A"], registerDoc, ids{"input": ids{"trainingId": upcoming, "memberId": mA.ID}}, nil)
	a.ok(staff, cancelTrainingDoc, ids{"input": ids{"trainingId": upcoming}}, nil)

	// Refused and failing mutations record nothing.
	before := a.auditCount()
	if r := a.do(tok["B"], `mutation($id: ID!) { updateMember(input: {id: $id, name: "Hijack"}) { member { id } } }`, ids{"id": mA.ID}); r.code() != domain.CodeForbidden {
		t.Fatalf("update of another member: %+v", r.Errors)
	}
	if r := a.do(staff, `mutation { createTrade(input: {code: "MAKER", nameEn: "x", nameFr: "x"}) { trade { id } } }`, nil); r.code() != domain.CodeConflict {
		t.Fatalf("duplicate trade: %+v", r.Errors)
	}
	if n := a.auditCount(); n != before {
		t.Fatalf("failed mutations left %d audit rows", n-before)
	}

	log := a.auditLog(nil)
	counts := map[string]int{}
	for _, e := range log {
		counts[e.Mutation]++
		if e.RequestID == nil || *e.RequestID == "" || e.At.IsZero() || e.TargetID != e.TargetIds[0] {
			t.Errorf("entry %s lacks its request id, time or target: %+v", e.Mutation, e)
		}
		if typ, _, err := globalid.Decode("id", e.TargetID); err != nil || typ != e.TargetType {
			t.Errorf("entry %s: target %s of type %s", e.Mutation, e.TargetID, e.TargetType)
		}
	}
	want := map[string]int{
		"createTrade": 2, "addTradeComplement": 1, "removeTradeComplement": 1, "createMember": 4, "updateMember": 1,
		"setMemberTrades": 1, "addContact": 1, "removeContact": 1, "declareBusinessLink": 2, "confirmBusinessLink": 1,
		"endBusinessLink": 1, "declineBusinessLink": 1, "raiseQuestion": 2, "supportQuestion": 3, "withdrawSupport": 1,
		"joinGroup": 1, "leaveGroup": 1, "scheduleMeeting": 2, "recordMeetingOutcome": 1, "cancelMeeting": 1,
		"publishActionPlan": 1, "closeGroup": 1, "endMembership": 1, "logTouchpoint": 1, "completeFollowUp": 1,
		"scheduleTraining": 2, "registerForTraining": 3, "cancelRegistration": 1, "recordTrainingAttendance": 1, "cancelTraining": 1,
		"createTradeShow": 1, "updateTradeShow": 1, "addExhibitor": 2, "removeExhibitor": 1, "recordLead": 1, "convertLeadToLink": 1,
		"createPurchasingCampaign": 2, "openPurchasingCampaign": 1, "commitToCampaign": 1, "closePurchasingCampaign": 1,
		"markCampaignOrdered": 1, "cancelPurchasingCampaign": 1,
	}
	if fmt.Sprint(counts) != fmt.Sprint(want) {
		t.Fatalf("audit entries per mutation:\n got %v\nwant %v", counts, want)
	}
	// Every mutation of the schema is covered (eraseContact by TestEraseContact).
	for _, name := range a.mutationNames() {
		if counts[name] == 0 && name != "eraseContact" {
			t.Errorf("mutation %s left no audit entry", name)
		}
	}

	byName := func(name string) []auditEntryData {
		var out []auditEntryData
		for _, e := range log {
			if e.Mutation == name {
				out = append(out, e)
			}
		}
		return out
	}
	u, s := byName("updateMember")[0], byName("setMemberTrades")[0]
	if u.Role != "MEMBER" || u.MemberID == nil || *u.MemberID != mA.ID || u.Member == nil || u.Member.Name != "Alpha Mesure" ||
		*u.RequestID != *s.RequestID || u.TargetType != "Member" || u.TargetID != mA.ID {
		t.Errorf("updateMember entry = %+v", u)
	}
	if c := u.change("name"); c == nil || c.Before != "Alpha" || c.After != "Alpha Mesure" {
		t.Errorf("updateMember name change = %+v", c)
	}
	if c := u.change("website"); c == nil || c.Before != nil || c.After != "https://alpha.example" || len(u.Changes) != 2 {
		t.Errorf("updateMember changes = %+v", u.Changes)
	}
	if c := s.change("tradeIds"); c == nil || fmt.Sprint(c.Before) == fmt.Sprint(c.After) {
		t.Errorf("setMemberTrades change = %+v", s.Changes)
	}
	cm := byName("createMember")[0]
	if cm.Role != "STAFF" || cm.MemberID != nil || cm.Member != nil || cm.change("name").After != "Alpha" || cm.change("name").Before != nil {
		t.Errorf("createMember entry = %+v", cm)
	}
	conf := byName("confirmBusinessLink")[0]
	if st := conf.change("status"); st == nil || st.Before != "PENDING" || st.After != "CONFIRMED" || conf.change("confirmedAt") == nil ||
		*conf.MemberID != mB.ID || conf.TargetID != l1 || !slices.Equal(conf.TargetIds, []string{l1, mA.ID, mB.ID}) {
		t.Errorf("confirmBusinessLink entry = %+v", conf)
	}
	third := byName("supportQuestion")[1]
	if len(third.TargetIds) != 3 || third.TargetIds[2] != group || third.change("status").After != "GROUP_FORMED" || third.change("supporterCount").After != float64(3) {
		t.Errorf("group-forming support = %+v", third)
	}
	rc := byName("removeContact")[0]
	if rc.TargetType != "Contact" || rc.change("email").Before != "lea@alpha.example" || rc.change("email").After != nil {
		t.Errorf("removeContact entry = %+v", rc)
	}
	if e := byName("endMembership")[0]; e.change("status").After != "LAPSED" || e.change("leftOn").Before != nil {
		t.Errorf("endMembership entry = %+v", e)
	}
	if e := byName("commitToCampaign")[0]; e.TargetType != "PurchasingCampaign" || !slices.Equal(e.TargetIds, []string{c1, group, mB.ID}) ||
		e.change("quantity") == nil || e.change("quantity").Before != nil || e.change("quantity").After != float64(3) || *e.MemberID != mB.ID {
		t.Errorf("commitToCampaign entry = %+v", e)
	}
	if e := byName("markCampaignOrdered")[0]; e.change("status").Before != "CLOSED" || e.change("status").After != "ORDERED" {
		t.Errorf("markCampaignOrdered entry = %+v", e)
	}

	// Filters: by mutation, by member, by target, by time.
	if got := a.auditLog(map[string]any{"mutations": []string{"createMember", "createTrade"}}); len(got) != 6 {
		t.Errorf("filter by mutation: %d entries", len(got))
	}
	if got := a.auditLog(map[string]any{"memberIds": []string{mD.ID}}); len(got) != 4 {
		t.Errorf("filter by member: %d entries, want 4 (support, withdraw, join, leave)", len(got))
	}
	if got := a.auditLog(map[string]any{"targetIds": []string{l1}}); len(got) != 3 {
		t.Errorf("filter by target: %d entries, want 3 (declare, confirm, end)", len(got))
	}
	if got := a.auditLog(map[string]any{"targetIds": []string{l1}, "from": log[len(log)-1].At.Add(time.Second).Format(time.RFC3339Nano)}); len(got) != 0 {
		t.Errorf("filter by time: %d entries", len(got))
	}
	if r := a.do(staff, auditLogQuery, map[string]any{"filter": map[string]any{"memberIds": []string{l1}}}); r.code() != domain.CodeBadUserInput {
		t.Errorf("filter by a link id as member: %+v", r.Errors)
	}
}

func TestAuditLogPaginationAndAccess(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	m := a.create(map[string]any{"name": "Alpha", "kind": "COMPANY"})
	for i := range 4 {
		a.create(map[string]any{"name": fmt.Sprintf("M%d", i), "kind": "COMPANY"})
	}
	staff := token(t, domain.RoleStaff, "")
	var p1, p2 auditLogData
	a.ok(staff, auditLogQuery, map[string]any{"first": 3}, &p1)
	if len(p1.AuditLog.Edges) != 3 || p1.AuditLog.TotalCount != 5 || !p1.AuditLog.PageInfo.HasNextPage || p1.AuditLog.PageInfo.HasPreviousPage ||
		p1.AuditLog.Edges[0].Node.change("name").After != "M3" {
		t.Fatalf("page 1 = %+v", p1.AuditLog)
	}
	a.ok(staff, auditLogQuery, map[string]any{"first": 3, "after": p1.AuditLog.PageInfo.EndCursor}, &p2)
	if len(p2.AuditLog.Edges) != 2 || p2.AuditLog.PageInfo.HasNextPage || !p2.AuditLog.PageInfo.HasPreviousPage ||
		p2.AuditLog.Edges[1].Node.TargetID != m.ID {
		t.Fatalf("page 2 = %+v", p2.AuditLog)
	}
	if r := a.do(staff, auditLogQuery, map[string]any{"first": 101}); r.code() != domain.CodeBadUserInput {
		t.Fatalf("first: 101 = %+v", r.Errors)
	}
	if r := a.do(staff, auditLogQuery, map[string]any{"after": "bm90LWEtY3Vyc29y"}); r.code() != domain.CodeBadUserInput {
		t.Fatalf("bad cursor = %+v", r.Errors)
	}
	for _, tok := range []string{"", token(t, domain.RoleMember, m.ID), token(t, domain.RoleAnalyst, "")} {
		r := a.do(tok, `{ auditLog { totalCount edges { node { mutation } } } }`, nil)
		if r.code() != domain.CodeForbidden || string(r.Data) != "null" {
			t.Fatalf("auditLog as a non-staff token: data %s, errors %+v", r.Data, r.Errors)
		}
	}
}

const exportQuery = `query($id: ID!) {
  exportContactData(contactId: $id) {
    contactId contact { id name email phone role } createdAt member { id name } exportedAt document
    auditEntries { mutation targetIds changes { field before after erased } }
  }
}`

func TestExportAndEraseContact(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	staff := token(t, domain.RoleStaff, "")
	m := a.create(map[string]any{"name": "Alpha", "kind": "COMPANY"})
	memberTok := token(t, domain.RoleMember, m.ID)
	var added struct {
		AddContact struct{ Contact struct{ ID string } }
	}
	a.ok(memberTok, `mutation($id: ID!) { addContact(input: {memberId: $id, name: "Jeanne Quillard", role: "Acheteuse", email: "jeanne.quillard@alpha.example", phone: "+33 1 23 45 67 89"}) { contact { id } } }`,
		map[string]any{"id": m.ID}, &added)
	jeanne := added.AddContact.Contact.ID
	a.ok(memberTok, `mutation($id: ID!) { addContact(input: {memberId: $id, name: "Paul Keeper", email: "paul@alpha.example"}) { contact { id } } }`,
		map[string]any{"id": m.ID}, nil)
	a.ok(memberTok, `mutation($id: ID!) { updateMember(input: {id: $id, description: "Capteurs"}) { member { id } } }`, map[string]any{"id": m.ID}, nil)

	var exp struct {
		ExportContactData *struct {
			ContactID string
			Contact   *struct{ ID, Name, Email, Phone, Role string }
			CreatedAt *time.Time
			Member    struct{ ID, Name string }
			Document  map[string]any
			// auditEntries are checked through the document and the raw table.
			AuditEntries []struct {
				Mutation  string
				TargetIds []string
			}
		}
	}
	a.ok(staff, exportQuery, map[string]any{"id": jeanne}, &exp)
	d := exp.ExportContactData
	if d == nil || d.ContactID != jeanne || d.Contact == nil || d.Contact.Email != "jeanne.quillard@alpha.example" || d.CreatedAt == nil ||
		d.Member.ID != m.ID || len(d.AuditEntries) != 1 || d.AuditEntries[0].Mutation != "addContact" ||
		!slices.Equal(d.AuditEntries[0].TargetIds, []string{jeanne, m.ID}) {
		t.Fatalf("export = %+v", d)
	}
	if c, _ := d.Document["contact"].(map[string]any); c["name"] != "Jeanne Quillard" || len(d.Document["auditEntries"].([]any)) != 1 {
		t.Fatalf("export document = %v", d.Document)
	}
	for _, tok := range []string{"", memberTok, token(t, domain.RoleAnalyst, "")} {
		if r := a.do(tok, exportQuery, map[string]any{"id": jeanne}); r.code() != domain.CodeForbidden {
			t.Fatalf("export as non-staff: %+v", r.Errors)
		}
		if r := a.do(tok, `mutation($id: ID!) { eraseContact(input: {id: $id}) { contactId } }`, map[string]any{"id": jeanne}); r.code() != domain.CodeForbidden {
			t.Fatalf("erase as non-staff: %+v", r.Errors)
		}
	}
	ghost := globalid.Encode(globalid.TypeContact, 999999)
	a.ok(staff, exportQuery, map[string]any{"id": ghost}, &exp)
	if exp.ExportContactData != nil {
		t.Fatalf("export of nothing = %+v", exp.ExportContactData)
	}
	if r := a.do(staff, exportQuery, map[string]any{"id": m.ID}); r.code() != domain.CodeBadUserInput {
		t.Fatalf("export of a member id: %+v", r.Errors)
	}

	const erase = `mutation($id: ID!) { eraseContact(input: {id: $id, clientMutationId: "e1"}) { clientMutationId contactId member { id } auditEntriesScrubbed } }`
	var erased struct {
		EraseContact struct {
			ClientMutationID     string
			ContactID            string
			Member               struct{ ID string }
			AuditEntriesScrubbed int
		}
	}
	a.ok(staff, erase, map[string]any{"id": jeanne}, &erased)
	if e := erased.EraseContact; e.ClientMutationID != "e1" || e.ContactID != jeanne || e.Member.ID != m.ID || e.AuditEntriesScrubbed != 1 {
		t.Fatalf("erasure = %+v", e)
	}
	if r := a.do(staff, erase, map[string]any{"id": jeanne}); r.code() != domain.CodeConflict {
		t.Fatalf("second erasure: %+v", r.Errors)
	}
	if r := a.do(staff, erase, map[string]any{"id": ghost}); r.code() != domain.CodeNotFound {
		t.Fatalf("erasure of nothing: %+v", r.Errors)
	}

	// No row anywhere holds her name, e-mail or phone.
	for _, table := range []string{"contacts", "audit_log", "members"} {
		var dump string
		if err := a.db.Bun().NewRaw("SELECT coalesce(string_agg(t::text, E'\\n'), '') FROM "+table+" AS t").Scan(context.Background(), &dump); err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{"Quillard", "jeanne", "Acheteuse", "45 67 89"} {
			if strings.Contains(dump, s) {
				t.Errorf("%s still holds %q", table, s)
			}
		}
	}
	var contacts int
	if err := a.db.Bun().NewRaw("SELECT count(*) FROM contacts").Scan(context.Background(), &contacts); err != nil || contacts != 1 {
		t.Fatalf("%d contacts left, want Paul's only (%v)", contacts, err)
	}

	// What remains: the scrubbed addContact entry and an anonymous erasure record.
	log := a.auditLog(map[string]any{"targetIds": []string{jeanne}})
	if len(log) != 2 || log[0].Mutation != "addContact" || log[1].Mutation != "eraseContact" {
		t.Fatalf("entries about the contact = %+v", log)
	}
	for _, c := range log[0].Changes {
		if !c.Erased || c.Before != nil || c.After != nil {
			t.Errorf("addContact change %s not erased: %+v", c.Field, c)
		}
	}
	if len(log[0].Changes) != 4 {
		t.Errorf("addContact changes = %+v", log[0].Changes)
	}
	rec := log[1]
	if len(rec.Changes) != 0 || rec.Role != "STAFF" || rec.RequestID == nil || !slices.Equal(rec.TargetIds, []string{jeanne, m.ID}) {
		t.Errorf("erasure record = %+v", rec)
	}
	a.ok(staff, exportQuery, map[string]any{"id": jeanne}, &exp)
	if d := exp.ExportContactData; d == nil || d.Contact != nil || d.CreatedAt != nil || len(d.AuditEntries) != 2 {
		t.Fatalf("export after erasure = %+v", d)
	}
}
