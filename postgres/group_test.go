package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"grappe/domain"
	"grappe/postgres"
	"grappe/postgres/pgtest"
)

// as returns a context in which member id is the viewer.
func as(id int64) context.Context {
	return domain.WithViewer(context.Background(), domain.Viewer{Role: domain.RoleMember, MemberID: id})
}

// memberIDs creates n members and returns their ids.
func memberIDs(t *testing.T, db *postgres.DB, n int) []int64 {
	t.Helper()
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("M%02d", i)
	}
	ms := createMembers(t, db, names...)
	ids := make([]int64, n)
	for i, m := range ms {
		ids[i] = m.ID
	}
	return ids
}

// count returns the number of rows of a table matching where.
func count(t *testing.T, db *postgres.DB, table, where string, args ...any) int {
	t.Helper()
	var n int
	if err := db.Bun().NewRaw("SELECT count(*) FROM "+table+" WHERE "+where, args...).Scan(context.Background(), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// participants returns a group's current participants as "id:ROLE", lead first.
func participants(t *testing.T, db *postgres.DB, groupID int64) []string {
	t.Helper()
	ps, err := db.Groups().Participants(staff, []int64{groupID})
	if err != nil {
		t.Fatal(err)
	}
	out := []string{}
	for _, p := range ps[groupID] {
		out = append(out, fmt.Sprintf("%d:%s", p.MemberID, p.Role))
	}
	return out
}

func TestThirdSupporterFormsGroup(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	db.GroupCapacity = 4
	m := memberIDs(t, db, 6)
	svc := db.Groups()
	q, err := svc.RaiseQuestion(as(m[0]), m[0], "  Comment mutualiser nos achats d'étalons ?  ", domain.ThemePurchasing)
	if err != nil {
		t.Fatal(err)
	}
	if q.SupporterCount != 1 || q.Status != domain.QuestionOpen || q.Text != "Comment mutualiser nos achats d'étalons ?" {
		t.Fatalf("raised %+v", q)
	}
	res, err := svc.SupportQuestion(as(m[1]), q.ID, m[1])
	if err != nil || res.GroupFormed != nil || res.Question.SupporterCount != 2 {
		t.Fatalf("second supporter: %+v, %v", res, err)
	}
	// Supporting twice is harmless.
	res, err = svc.SupportQuestion(as(m[1]), q.ID, m[1])
	if err != nil || res.GroupFormed != nil || res.Question.SupporterCount != 2 || count(t, db, "working_groups", "true") != 0 {
		t.Fatalf("second supporter again: %+v, %v", res, err)
	}
	res, err = svc.SupportQuestion(as(m[2]), q.ID, m[2])
	if err != nil || res.GroupFormed == nil {
		t.Fatalf("third supporter: %+v, %v", res, err)
	}
	g := res.GroupFormed
	if res.Question.Status != domain.QuestionGroupFormed || res.Question.GroupID == nil || *res.Question.GroupID != g.ID ||
		g.Name != q.Text || g.Theme != domain.ThemePurchasing || g.Status != domain.GroupActive {
		t.Fatalf("formed %+v from %+v", g, res.Question)
	}
	want := []string{fmt.Sprintf("%d:LEAD", m[0]), fmt.Sprintf("%d:MEMBER", m[1]), fmt.Sprintf("%d:MEMBER", m[2])}
	if got := participants(t, db, g.ID); !slices.Equal(got, want) {
		t.Fatalf("participants %v, want %v", got, want)
	}
	// The fourth supporter joins; the fifth finds the group full (capacity 4).
	res, err = svc.SupportQuestion(staff, q.ID, m[3])
	if err != nil || res.GroupFormed != nil || len(participants(t, db, g.ID)) != 4 {
		t.Fatalf("fourth supporter: %+v, %v, %v", res, err, participants(t, db, g.ID))
	}
	res, err = svc.SupportQuestion(staff, q.ID, m[4])
	if err != nil || res.Question.SupporterCount != 5 || len(participants(t, db, g.ID)) != 4 {
		t.Fatalf("fifth supporter: %+v, %v, %v", res, err, participants(t, db, g.ID))
	}
	sup, err := svc.SupporterIDs(staff, []int64{q.ID})
	if err != nil || !slices.Equal(sup[q.ID], m[:5]) {
		t.Fatalf("supporters %v, %v", sup, err)
	}
	if n := count(t, db, "working_groups", "question_id = ?", q.ID); n != 1 {
		t.Fatalf("%d groups", n)
	}
}

// TestConcurrentSupportsFormOneGroup fires many supports at once: exactly one
// forms the group, none fails, and the participants are the first supporters
// in order of support, led by the raiser.
func TestConcurrentSupportsFormOneGroup(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	const supporters = 20
	m := memberIDs(t, db, supporters+1)
	svc := db.Groups()
	q, err := svc.RaiseQuestion(as(m[0]), m[0], "Quel prestataire pour la sécurité routière ?", domain.ThemeSmallBusinessSupport)
	if err != nil {
		t.Fatal(err)
	}
	start := make(chan struct{})
	results := make([]*domain.SupportResult, supporters)
	errs := make([]error, supporters)
	var wg sync.WaitGroup
	for i := range supporters {
		wg.Go(func() {
			<-start
			results[i], errs[i] = svc.SupportQuestion(as(m[i+1]), q.ID, m[i+1])
		})
	}
	close(start)
	wg.Wait()
	formed := 0
	var groupID int64
	for i := range supporters {
		if errs[i] != nil {
			t.Errorf("support %d: %v", i, errs[i])
			continue
		}
		if results[i].GroupFormed != nil {
			formed++
			groupID = results[i].GroupFormed.ID
		}
	}
	if formed != 1 {
		t.Fatalf("%d supports formed a group, want 1", formed)
	}
	if n := count(t, db, "working_groups", "question_id = ?", q.ID); n != 1 {
		t.Fatalf("%d working groups, want 1", n)
	}
	sup, err := svc.SupporterIDs(staff, []int64{q.ID})
	if err != nil || len(sup[q.ID]) != supporters+1 || sup[q.ID][0] != m[0] {
		t.Fatalf("supporters %v, %v", sup, err)
	}
	capacity := min(domain.DefaultGroupCapacity, supporters+1)
	ps, err := svc.Participants(staff, []int64{groupID})
	if err != nil {
		t.Fatal(err)
	}
	got := ps[groupID]
	if len(got) != capacity {
		t.Fatalf("%d participants, want %d", len(got), capacity)
	}
	// Participants come lead first, then by standing: the supporters in order.
	for i, p := range got {
		if p.MemberID != sup[q.ID][i] {
			t.Fatalf("participant %d is %d, want supporter %d (%v)", i, p.MemberID, sup[q.ID][i], sup[q.ID])
		}
		if (p.Role == domain.RoleLead) != (i == 0) {
			t.Fatalf("participant %d (%d) has role %s", i, p.MemberID, p.Role)
		}
	}
	if n := count(t, db, "group_participants", "group_id = ? AND role = 'LEAD'", groupID); n != 1 {
		t.Fatalf("%d leads", n)
	}
}

func TestWithdrawSupport(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	m := memberIDs(t, db, 4)
	svc := db.Groups()
	q, err := svc.RaiseQuestion(staff, m[0], "Modèle de CGV pour l'export ?", domain.ThemeSmallBusinessSupport)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SupportQuestion(as(m[1]), q.ID, m[1]); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.WithdrawSupport(as(m[0]), q.ID, m[0]); domain.ErrorCode(err) != domain.CodeBadUserInput {
		t.Fatalf("raiser withdrawing: %v", err)
	}
	if _, err := svc.WithdrawSupport(as(m[2]), q.ID, m[1]); domain.ErrorCode(err) != domain.CodeForbidden {
		t.Fatalf("withdrawing for another: %v", err)
	}
	res, err := svc.WithdrawSupport(as(m[1]), q.ID, m[1])
	if err != nil || res.Question.SupporterCount != 1 {
		t.Fatalf("withdraw: %+v, %v", res, err)
	}
	// Withdrawn, the second and third supporters are not enough yet.
	for _, id := range m[1:3] {
		if _, err := svc.SupportQuestion(as(id), q.ID, id); err != nil {
			t.Fatal(err)
		}
	}
	if count(t, db, "working_groups", "true") != 1 {
		t.Fatal("no group formed")
	}
	if _, err := svc.WithdrawSupport(as(m[2]), q.ID, m[2]); domain.ErrorCode(err) != domain.CodeConflict {
		t.Fatalf("withdrawing after the group formed: %v", err)
	}
	if n := count(t, db, "question_supports", "question_id = ?", q.ID); n != 3 {
		t.Fatalf("refused withdrawals changed supports: %d", n)
	}
	if _, err := svc.WithdrawSupport(as(m[2]), 9999, m[2]); domain.ErrorCode(err) != domain.CodeNotFound {
		t.Fatalf("unknown question: %v", err)
	}
}

// formGroup raises a question by m[0] and has m[1] and m[2] support it.
func formGroup(t *testing.T, svc *postgres.GroupService, m []int64) *domain.WorkingGroup {
	t.Helper()
	q, err := svc.RaiseQuestion(staff, m[0], "Communication digitale commune ?", domain.ThemeCommunication)
	if err != nil {
		t.Fatal(err)
	}
	var res *domain.SupportResult
	for _, id := range m[1:3] {
		if res, err = svc.SupportQuestion(staff, q.ID, id); err != nil {
			t.Fatal(err)
		}
	}
	if res.GroupFormed == nil {
		t.Fatal("no group formed")
	}
	return res.GroupFormed
}

func TestJoinAndLeaveGroup(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	db.GroupCapacity = 4
	m := memberIDs(t, db, 6)
	svc := db.Groups()
	g := formGroup(t, svc, m)
	if _, err := svc.JoinGroup(as(m[3]), g.ID, m[4]); domain.ErrorCode(err) != domain.CodeForbidden {
		t.Fatalf("joining as another: %v", err)
	}
	if _, err := svc.JoinGroup(as(m[3]), g.ID, m[3]); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.JoinGroup(as(m[3]), g.ID, m[3]); err != nil {
		t.Fatalf("joining twice: %v", err)
	}
	if _, err := svc.JoinGroup(as(m[4]), g.ID, m[4]); domain.ErrorCode(err) != domain.CodeConflict {
		t.Fatalf("joining a full group: %v", err)
	}
	if n := count(t, db, "group_participants", "group_id = ?", g.ID); n != 4 {
		t.Fatalf("%d participant rows after refused join", n)
	}
	// The lead leaves: the longest-standing participant (first supporter) leads.
	if _, err := svc.LeaveGroup(as(m[0]), g.ID, m[0]); err != nil {
		t.Fatal(err)
	}
	want := []string{fmt.Sprintf("%d:LEAD", m[1]), fmt.Sprintf("%d:MEMBER", m[2]), fmt.Sprintf("%d:MEMBER", m[3])}
	if got := participants(t, db, g.ID); !slices.Equal(got, want) {
		t.Fatalf("after the lead left: %v, want %v", got, want)
	}
	if n := count(t, db, "group_participants", "group_id = ? AND member_id = ? AND left_at IS NOT NULL", g.ID, m[0]); n != 1 {
		t.Fatal("the leaver's row is gone")
	}
	// There is room again; the former lead rejoins as a member.
	if _, err := svc.JoinGroup(as(m[0]), g.ID, m[0]); err != nil {
		t.Fatal(err)
	}
	if got := participants(t, db, g.ID); len(got) != 4 || got[3] != fmt.Sprintf("%d:MEMBER", m[0]) {
		t.Fatalf("after rejoining: %v", got)
	}
	if n := count(t, db, "group_participants", "group_id = ? AND left_at IS NOT NULL", g.ID); n != 0 {
		t.Fatal("rejoining did not clear left_at")
	}
	// Only the lead or staff closes; a closed group takes nobody.
	if _, err := svc.CloseGroup(as(m[0]), g.ID); domain.ErrorCode(err) != domain.CodeForbidden {
		t.Fatalf("non-lead closing: %v", err)
	}
	closed, err := svc.CloseGroup(as(m[1]), g.ID)
	if err != nil || closed.Status != domain.GroupClosed || closed.ClosedAt == nil {
		t.Fatalf("close: %+v, %v", closed, err)
	}
	if _, err := svc.LeaveGroup(as(m[2]), g.ID, m[2]); domain.ErrorCode(err) != domain.CodeConflict {
		t.Fatalf("leaving a closed group: %v", err)
	}
	if _, err := svc.CloseGroup(staff, g.ID); domain.ErrorCode(err) != domain.CodeConflict {
		t.Fatalf("closing twice: %v", err)
	}
	qs, _ := svc.QuestionsByIDs(staff, []int64{g.QuestionID})
	if qs[g.QuestionID].Status != domain.QuestionClosed {
		t.Fatalf("question %+v", qs[g.QuestionID])
	}
	if _, err := svc.SupportQuestion(staff, g.QuestionID, m[5]); domain.ErrorCode(err) != domain.CodeConflict {
		t.Fatalf("supporting a closed question: %v", err)
	}
}

func TestLapsedMembersDoNotWrite(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	m := memberIDs(t, db, 4)
	svc := db.Groups()
	q, err := svc.RaiseQuestion(staff, m[0], "Affacturage ?", domain.ThemeOther)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Bun().ExecContext(context.Background(), "UPDATE members SET left_on = current_date WHERE id = ?", m[3]); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SupportQuestion(as(m[3]), q.ID, m[3]); domain.ErrorCode(err) != domain.CodeForbidden {
		t.Fatalf("lapsed member supporting: %v", err)
	}
	if _, err := svc.SupportQuestion(staff, q.ID, m[3]); domain.ErrorCode(err) != domain.CodeConflict {
		t.Fatalf("staff supporting for a lapsed member: %v", err)
	}
	if _, err := svc.RaiseQuestion(as(m[3]), m[3], "Encore ?", domain.ThemeOther); domain.ErrorCode(err) != domain.CodeForbidden {
		t.Fatalf("lapsed member raising: %v", err)
	}
	analyst := domain.WithViewer(context.Background(), domain.Viewer{Role: domain.RoleAnalyst})
	if _, err := svc.SupportQuestion(analyst, q.ID, m[1]); domain.ErrorCode(err) != domain.CodeForbidden {
		t.Fatalf("analyst supporting: %v", err)
	}
	if n := count(t, db, "question_supports", "true"); n != 1 {
		t.Fatalf("refused supports changed the database: %d supports", n)
	}
	if _, err := svc.Questions(context.Background(), domain.QuestionFilter{}, domain.PageRequest{}); domain.ErrorCode(err) != domain.CodeForbidden {
		t.Fatalf("anonymous listing: %v", err)
	}
}

func TestMeetingPagesPerGroup(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	m := memberIDs(t, db, 3)
	svc := db.Groups()
	g1 := formGroup(t, svc, m)
	q2, err := svc.RaiseQuestion(staff, m[1], "Salon : stand commun ?", domain.ThemeCommunication)
	if err != nil {
		t.Fatal(err)
	}
	svc.SupportQuestion(staff, q2.ID, m[0])
	res, err := svc.SupportQuestion(staff, q2.ID, m[2])
	if err != nil || res.GroupFormed == nil {
		t.Fatalf("second group: %v", err)
	}
	g2 := res.GroupFormed
	base := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	for i := range 5 {
		for _, g := range []int64{g1.ID, g2.ID} {
			_, err := svc.ScheduleMeeting(staff, domain.MeetingInput{
				GroupID: g, Title: fmt.Sprintf("R%d", i), StartsAt: base.AddDate(0, 0, 5-i), DurationMinutes: 60,
				Agenda: []domain.AgendaItem{{Title: "Tour de table", Minutes: 15}}, ExpectedOutcome: "Une décision",
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	pages, err := svc.MeetingsOfGroups(staff, []int64{g1.ID, g2.ID, 9999}, domain.PageRequest{First: intp(2)})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range []int64{g1.ID, g2.ID} {
		p := pages[g]
		if len(p.Items) != 2 || p.Items[0].Title != "R4" || p.Items[1].Title != "R3" || !p.HasNextPage || p.Items[0].GroupID != g {
			t.Fatalf("group %d page 1: %+v", g, p)
		}
		next, err := svc.Meetings(staff, g, domain.PageRequest{First: intp(10), After: p.Cursor(1)})
		if err != nil || len(next.Items) != 3 || next.Items[0].Title != "R2" || next.HasNextPage || !next.HasPreviousPage {
			t.Fatalf("group %d page 2: %+v, %v", g, next, err)
		}
	}
	if p := pages[9999]; p == nil || len(p.Items) != 0 {
		t.Fatalf("unknown group page %+v", p)
	}
	groups, err := svc.GroupsOfMembers(staff, []int64{m[0], m[1]}, domain.PageRequest{First: intp(1)})
	if err != nil {
		t.Fatal(err)
	}
	if p := groups[m[0]]; len(p.Items) != 1 || p.Items[0].ID != g2.ID || !p.HasNextPage {
		t.Fatalf("groups of m0: %+v", p)
	}
	counts, err := svc.CountGroupsOfMembers(staff, []int64{m[0], 9999})
	if err != nil || counts[m[0]] != 2 || counts[9999] != 0 {
		t.Fatalf("counts %v, %v", counts, err)
	}
}

func TestEmptyGroupIsLedByWhoeverJoins(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	m := memberIDs(t, db, 4)
	svc := db.Groups()
	g := formGroup(t, svc, m)
	for _, id := range m[:3] {
		if _, err := svc.LeaveGroup(as(id), g.ID, id); err != nil {
			t.Fatal(err)
		}
	}
	if got := participants(t, db, g.ID); len(got) != 0 {
		t.Fatalf("participants %v", got)
	}
	// Nobody leads: only staff runs the group until someone joins.
	if _, err := svc.CloseGroup(as(m[0]), g.ID); domain.ErrorCode(err) != domain.CodeForbidden {
		t.Fatalf("former lead closing: %v", err)
	}
	if _, err := svc.JoinGroup(as(m[3]), g.ID, m[3]); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.JoinGroup(as(m[1]), g.ID, m[1]); err != nil {
		t.Fatal(err)
	}
	want := []string{fmt.Sprintf("%d:LEAD", m[3]), fmt.Sprintf("%d:MEMBER", m[1])}
	if got := participants(t, db, g.ID); !slices.Equal(got, want) {
		t.Fatalf("participants %v, want %v", got, want)
	}
	if n := count(t, db, "group_participants", "group_id = ?", g.ID); n != 4 {
		t.Fatalf("%d participant rows, want the 3 founders' kept and 1 new", n)
	}
}
