package postgres_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"grappe/domain"
	"grappe/postgres"
	"grappe/postgres/pgtest"
)

// auditRows returns the audit trail, oldest first.
func auditRows(t *testing.T, db *postgres.DB) []*domain.AuditEntry {
	t.Helper()
	p, err := db.Audit().AuditLog(staff, domain.AuditFilter{}, domain.PageRequest{First: intp(100)})
	if err != nil {
		t.Fatal(err)
	}
	out := p.Items
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// countAudit counts the rows of audit_log straight from the table.
func countAudit(t *testing.T, db *postgres.DB) int {
	t.Helper()
	var n int
	if err := db.Bun().NewRaw("SELECT count(*) FROM audit_log").Scan(context.Background(), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestAuditRecordsWhoWhatAndRequest(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	m := createMembers(t, db, "Alpha")[0]

	member := domain.WithViewer(context.Background(), domain.Viewer{Role: domain.RoleMember, MemberID: m.ID, Subject: "alpha-user"})
	ctx := domain.WithAudit(member, "updateMember", "req-42")
	name, web := "Alpha Mesure", "https://alpha.example"
	if _, err := db.Members().UpdateMember(ctx, m.ID, domain.MemberPatch{
		Name: domain.Some(name), Website: domain.Some(web), Headcount: domain.Some(0), // headcount unchanged
	}); err != nil {
		t.Fatal(err)
	}
	rows := auditRows(t, db)
	if len(rows) != 2 {
		t.Fatalf("%d audit rows, want 2 (create, update)", len(rows))
	}
	c, u := rows[0], rows[1]
	if c.Mutation != "createMember" || c.Role != domain.RoleStaff || c.MemberID != nil || c.RequestID != "" ||
		c.Target() != (domain.Ref{Type: "Member", ID: m.ID}) || c.Changes["name"].After != "Alpha" || c.Changes["name"].Before != nil {
		t.Fatalf("create entry = %+v", c)
	}
	if u.Mutation != "updateMember" || u.Role != domain.RoleMember || u.MemberID == nil || *u.MemberID != m.ID ||
		u.Subject != "alpha-user" || u.RequestID != "req-42" || u.At.IsZero() {
		t.Fatalf("update entry = %+v", u)
	}
	want := map[string]domain.Change{
		"name":    {Before: "Alpha", After: name},
		"website": {Before: nil, After: web},
	}
	got, _ := json.Marshal(u.Changes)
	wantJSON, _ := json.Marshal(want)
	if string(got) != string(wantJSON) {
		t.Fatalf("changes = %s, want %s", got, wantJSON)
	}
}

func TestAuditRolledBackWithItsChange(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	m := createMembers(t, db, "Alpha")[0]
	bg := context.Background()
	// A deferred constraint trigger fails the commit of any change naming a
	// member "Doomed": the update and its audit row are both written, then
	// the transaction rolls back at COMMIT.
	if _, err := db.Bun().ExecContext(bg, `
		CREATE FUNCTION refuse_doomed() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN
			IF NEW.name = 'Doomed' THEN RAISE EXCEPTION 'doomed'; END IF;
			RETURN NEW;
		END $$;
		CREATE CONSTRAINT TRIGGER refuse_doomed AFTER UPDATE ON members
			DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_doomed();`); err != nil {
		t.Fatal(err)
	}
	before := countAudit(t, db)
	if _, err := db.Members().UpdateMember(staff, m.ID, domain.MemberPatch{Name: domain.Some("Doomed")}); err == nil {
		t.Fatal("update committed despite the trigger")
	}
	if n := countAudit(t, db); n != before {
		t.Fatalf("audit rows %d after a rolled-back change, want %d", n, before)
	}
	got, err := db.Members().Member(staff, m.ID)
	if err != nil || got.Name != "Alpha" {
		t.Fatalf("member after rollback = %+v, %v", got, err)
	}
	// A refused change records nothing either.
	if _, err := db.Members().UpdateMember(staff, m.ID, domain.MemberPatch{Name: domain.Some(" ")}); domain.ErrorCode(err) != domain.CodeBadUserInput {
		t.Fatalf("blank name: %v", err)
	}
	if n := countAudit(t, db); n != before {
		t.Fatalf("audit rows %d after a refused change, want %d", n, before)
	}
	if _, err := db.Members().UpdateMember(staff, m.ID, domain.MemberPatch{Name: domain.Some("Kept")}); err != nil {
		t.Fatal(err)
	}
	if n := countAudit(t, db); n != before+1 {
		t.Fatalf("audit rows %d after a committed change, want %d", n, before+1)
	}
}

func TestAuditRequestIDIsCleaned(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := domain.WithAudit(staff, "createMember", "bad\x00id\xff"+strings.Repeat("x", 500))
	if _, err := db.Members().CreateMember(ctx, domain.MemberInput{Name: "Alpha", Kind: domain.KindCompany}); err != nil {
		t.Fatal(err)
	}
	e := auditRows(t, db)[0]
	if len(e.RequestID) > 200 || strings.ContainsRune(e.RequestID, 0) || !strings.HasPrefix(e.RequestID, "badid\uFFFD") {
		t.Fatalf("request id stored as %q", e.RequestID)
	}
}

func TestAuditLogFilterPaginationAndAccess(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ms := createMembers(t, db, "Alpha", "Bravo", "Charlie")
	ctx := domain.WithViewer(context.Background(), domain.Viewer{Role: domain.RoleMember, MemberID: ms[1].ID})
	if _, err := db.Members().UpdateMember(ctx, ms[1].ID, domain.MemberPatch{Website: domain.Some("https://b.example")}); err != nil {
		t.Fatal(err)
	}
	svc := db.Audit()
	for _, role := range []domain.Role{domain.RolePublic, domain.RoleMember, domain.RoleAnalyst} {
		v := domain.WithViewer(context.Background(), domain.Viewer{Role: role, MemberID: ms[0].ID})
		if _, err := svc.AuditLog(v, domain.AuditFilter{}, domain.PageRequest{}); domain.ErrorCode(err) != domain.CodeForbidden {
			t.Errorf("%s reads the audit log: %v", role, err)
		}
		if _, err := svc.CountAuditLog(v, domain.AuditFilter{}); domain.ErrorCode(err) != domain.CodeForbidden {
			t.Errorf("%s counts the audit log: %v", role, err)
		}
	}

	// Newest first, in pages of two.
	p1, err := svc.AuditLog(staff, domain.AuditFilter{}, domain.PageRequest{First: intp(2)})
	if err != nil {
		t.Fatal(err)
	}
	if len(p1.Items) != 2 || p1.Items[0].Mutation != "updateMember" || !p1.HasNextPage || p1.HasPreviousPage {
		t.Fatalf("page 1 = %+v", p1)
	}
	p2, err := svc.AuditLog(staff, domain.AuditFilter{}, domain.PageRequest{First: intp(2), After: p1.Cursor(1)})
	if err != nil {
		t.Fatal(err)
	}
	if len(p2.Items) != 2 || p2.HasNextPage || !p2.HasPreviousPage || p2.Items[1].Target().ID != ms[0].ID {
		t.Fatalf("page 2 = %+v", p2)
	}
	if _, err := svc.AuditLog(staff, domain.AuditFilter{}, domain.PageRequest{After: "garbage"}); domain.ErrorCode(err) != domain.CodeBadUserInput {
		t.Fatalf("bad cursor: %v", err)
	}

	count := func(f domain.AuditFilter) int {
		t.Helper()
		n, err := svc.CountAuditLog(staff, f)
		if err != nil {
			t.Fatal(err)
		}
		p, err := svc.AuditLog(staff, f, domain.PageRequest{})
		if err != nil || len(p.Items) != n {
			t.Fatalf("page of %+v: %d items, count %d, %v", f, len(p.Items), n, err)
		}
		return n
	}
	for _, c := range []struct {
		name string
		f    domain.AuditFilter
		want int
	}{
		{"all", domain.AuditFilter{}, 4},
		{"mutation", domain.AuditFilter{Mutations: []string{"createMember"}}, 3},
		{"member", domain.AuditFilter{MemberIDs: []int64{ms[1].ID}}, 1},
		{"target", domain.AuditFilter{Targets: []domain.Ref{{Type: "Member", ID: ms[1].ID}}}, 2},
		{"target of another type", domain.AuditFilter{Targets: []domain.Ref{{Type: "Trade", ID: ms[1].ID}}}, 0},
		{"combined", domain.AuditFilter{Mutations: []string{"createMember"}, Targets: []domain.Ref{{Type: "Member", ID: ms[1].ID}}}, 1},
	} {
		if got := count(c.f); got != c.want {
			t.Errorf("%s: %d entries, want %d", c.name, got, c.want)
		}
	}
	last := p1.Items[0].At
	if got := count(domain.AuditFilter{From: &last}); got < 1 {
		t.Errorf("from the last entry: %d", got)
	}
	if got := count(domain.AuditFilter{To: &p2.Items[1].At}); got != 0 {
		t.Errorf("before the first entry: %d", got)
	}
}

func TestEraseContact(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ms := createMembers(t, db, "Alpha", "Bravo")
	details, audit := db.MemberDetails(), db.Audit()
	add := func(name, email, phone string) *domain.Contact {
		c, err := details.AddContact(staff, domain.ContactInput{MemberID: ms[0].ID, Name: name, Role: "Buyer", Email: email, Phone: phone})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	jeanne := add("Jeanne Quillard", "jeanne.quillard@alpha.example", "+33 1 23 45 67 89")
	kept := add("Paul Keeper", "paul@alpha.example", "01 02 03 04 05")
	if _, err := details.RemoveContact(staff, jeanne.ID); err != nil {
		t.Fatal(err)
	}
	jeanne2 := add("Jeanne Quillard", "jeanne.quillard@alpha.example", "+33 1 23 45 67 89")

	// The export holds the removed contact's audit entries with its data.
	data, err := audit.ContactData(staff, jeanne.ID)
	if err != nil {
		t.Fatal(err)
	}
	if data.Contact != nil || data.Member == nil || data.Member.ID != ms[0].ID || len(data.AuditEntries) != 2 ||
		data.AuditEntries[0].Mutation != "addContact" || data.AuditEntries[1].Mutation != "removeContact" ||
		data.AuditEntries[1].Changes["email"].Before != "jeanne.quillard@alpha.example" {
		t.Fatalf("export of a removed contact = %+v", data)
	}
	data, err = audit.ContactData(staff, jeanne2.ID)
	if err != nil || data.Contact == nil || data.Contact.Email != "jeanne.quillard@alpha.example" || len(data.AuditEntries) != 1 || data.CreatedAt.IsZero() {
		t.Fatalf("export of a contact = %+v, %v", data, err)
	}
	if _, err := audit.ContactData(staff, 999999); domain.ErrorCode(err) != domain.CodeNotFound {
		t.Fatalf("export of nothing: %v", err)
	}
	member := domain.WithViewer(context.Background(), domain.Viewer{Role: domain.RoleMember, MemberID: ms[0].ID})
	if _, err := audit.ContactData(member, jeanne2.ID); domain.ErrorCode(err) != domain.CodeForbidden {
		t.Fatalf("member exports: %v", err)
	}
	if _, err := audit.EraseContact(member, jeanne2.ID); domain.ErrorCode(err) != domain.CodeForbidden {
		t.Fatalf("member erases: %v", err)
	}

	for _, id := range []int64{jeanne.ID, jeanne2.ID} {
		e, err := audit.EraseContact(domain.WithAudit(staff, "eraseContact", "req-erase"), id)
		if err != nil {
			t.Fatal(err)
		}
		want := 1
		if id == jeanne.ID {
			want = 2
		}
		if e.AuditEntriesScrubbed != want || e.MemberID != ms[0].ID {
			t.Fatalf("erasure of %d = %+v", id, e)
		}
	}
	if _, err := audit.EraseContact(staff, jeanne.ID); domain.ErrorCode(err) != domain.CodeConflict {
		t.Fatalf("second erasure: %v", err)
	}

	// Nothing anywhere holds her name, e-mail or phone; the other contact
	// is untouched.
	for _, table := range []string{"contacts", "audit_log", "members"} {
		var dump string
		err := db.Bun().NewRaw("SELECT coalesce(string_agg(t::text, E'\\n'), '') FROM "+table+" AS t").Scan(context.Background(), &dump)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{"Quillard", "jeanne.quillard", "45 67 89"} {
			if strings.Contains(dump, s) {
				t.Errorf("%s still holds %q:\n%s", table, s, dump)
			}
		}
		if table != "members" && !strings.Contains(dump, "paul@alpha.example") {
			t.Errorf("%s lost the other contact", table)
		}
	}
	var contacts int
	if err := db.Bun().NewRaw("SELECT count(*) FROM contacts").Scan(context.Background(), &contacts); err != nil || contacts != 1 {
		t.Fatalf("%d contacts left, want 1 (%v)", contacts, err)
	}

	// The erasure records: anonymous, by staff, one per contact.
	p, err := audit.AuditLog(staff, domain.AuditFilter{Mutations: []string{"eraseContact"}}, domain.PageRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 2 {
		t.Fatalf("%d erasure records, want 2", len(p.Items))
	}
	for _, e := range p.Items {
		if len(e.Changes) != 0 || e.Role != domain.RoleStaff || e.RequestID != "req-erase" || e.Target().Type != "Contact" ||
			len(e.Targets) != 2 || e.Targets[1] != (domain.Ref{Type: "Member", ID: ms[0].ID}) {
			t.Fatalf("erasure record = %+v", e)
		}
	}
	// The scrubbed entries still say what happened, without the values.
	data, err = audit.ContactData(staff, jeanne.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(data.AuditEntries) != 3 || !data.AuditEntries[0].Changes["name"].Erased || data.AuditEntries[0].Changes["name"].After != nil {
		t.Fatalf("export after erasure = %+v", data.AuditEntries)
	}
	if data, err := audit.ContactData(staff, kept.ID); err != nil || data.Contact.Name != "Paul Keeper" ||
		data.AuditEntries[0].Changes["name"].After != "Paul Keeper" {
		t.Fatalf("other contact's export = %+v, %v", data, err)
	}
}

func TestAuditOfGroupLeadHandoverAndClosing(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	m := memberIDs(t, db, 3)
	svc := db.Groups()
	q, err := svc.RaiseQuestion(as(m[0]), m[0], "Achats groupés ?", domain.ThemePurchasing)
	if err != nil {
		t.Fatal(err)
	}
	var group int64
	for _, id := range m[1:] {
		res, err := svc.SupportQuestion(as(id), q.ID, id)
		if err != nil {
			t.Fatal(err)
		}
		if res.GroupFormed != nil {
			group = res.GroupFormed.ID
		}
	}
	mtg, err := svc.ScheduleMeeting(as(m[0]), domain.MeetingInput{
		GroupID: group, Title: "Lancement", StartsAt: time.Now().Add(48 * time.Hour), DurationMinutes: 30,
		Agenda: []domain.AgendaItem{{Title: "Tour de table", Minutes: 30}}, ExpectedOutcome: "Un cahier des charges",
	})
	if err != nil {
		t.Fatal(err)
	}
	// The lead leaves: the lead passes to the longest-standing participant.
	if _, err := svc.LeaveGroup(as(m[0]), group, m[0]); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CloseGroup(as(m[1]), group); err != nil {
		t.Fatal(err)
	}
	rows := auditRows(t, db)
	leave, closing := rows[len(rows)-2], rows[len(rows)-1]
	if leave.Mutation != "leaveGroup" || leave.Changes["participantRole"].Before != "LEAD" || leave.Changes["participantRole"].After != nil ||
		leave.Changes["leadId"].Before != float64(m[0]) || leave.Changes["leadId"].After != float64(m[1]) ||
		len(leave.Targets) != 3 || leave.Targets[2] != (domain.Ref{Type: "Member", ID: m[1]}) {
		t.Fatalf("leaveGroup entry = %+v", leave)
	}
	if closing.Mutation != "closeGroup" || closing.Changes["status"].Before != "ACTIVE" || closing.Changes["status"].After != "CLOSED" ||
		closing.Changes["closedAt"].After == nil || fmt.Sprint(closing.Changes["cancelledMeetingIds"].After) != fmt.Sprint([]any{float64(mtg.ID)}) ||
		*closing.MemberID != m[1] || len(closing.Targets) != 3 || closing.Targets[1] != (domain.Ref{Type: "Question", ID: q.ID}) ||
		closing.Targets[2] != (domain.Ref{Type: "Meeting", ID: mtg.ID}) {
		t.Fatalf("closeGroup entry = %+v", closing)
	}
}
