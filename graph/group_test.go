package graph_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"testing"
	"time"

	"grappe/auth"
	"grappe/domain"
	"grappe/globalid"
	"grappe/graph"
)

var staffCtx = domain.WithViewer(context.Background(), domain.Viewer{Role: domain.RoleStaff})

// gid returns the global id of a member.
func gid(id int64) string { return globalid.Encode(globalid.TypeMember, id) }

// seedMembers adds n ACTIVE members and returns their ids.
func seedMembers(t *testing.T, a *api, n int) []int64 {
	t.Helper()
	ids := make([]int64, n)
	for i := range ids {
		m, err := a.db.Members().CreateMember(staffCtx, domain.MemberInput{Name: fmt.Sprintf("Membre %02d", i), Kind: domain.KindCompany})
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = m.ID
	}
	return ids
}

// seedGroup has m[0] raise a question that m[1] and m[2] support, and
// returns the group it forms, led by m[0].
func seedGroup(t *testing.T, a *api, text string, m []int64) *domain.WorkingGroup {
	t.Helper()
	svc := a.db.Groups()
	q, err := svc.RaiseQuestion(staffCtx, m[0], text, domain.ThemePurchasing)
	if err != nil {
		t.Fatal(err)
	}
	var res *domain.SupportResult
	for _, id := range m[1:3] {
		if res, err = svc.SupportQuestion(staffCtx, q.ID, id); err != nil {
			t.Fatal(err)
		}
	}
	if res.GroupFormed == nil {
		t.Fatal("no group formed")
	}
	return res.GroupFormed
}

// rowCount returns the number of rows of a table.
func rowCount(t *testing.T, a *api, table string) int {
	t.Helper()
	var n int
	if err := a.db.Bun().NewRaw("SELECT count(*) FROM "+table).Scan(context.Background(), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// meetingInput returns a valid scheduleMeeting input for group g.
func meetingInput(g string, startsAt time.Time) map[string]any {
	return map[string]any{
		"groupId": g, "title": "Lancement", "startsAt": startsAt.Format(time.RFC3339), "durationMinutes": 60,
		"agenda": []map[string]any{
			{"title": "Tour de table", "minutes": 15}, {"title": "Devis reçus", "minutes": 30}, {"title": "Suite", "minutes": 15},
		},
		"expectedOutcome": "Choisir un fournisseur",
	}
}

const (
	raiseQuestion = `mutation($input: RaiseQuestionInput!) {
	  raiseQuestion(input: $input) { clientMutationId question { id text status supporterCount viewerHasSupported raisedBy { id } } }
	}`
	supportQuestion = `mutation($input: SupportQuestionInput!) {
	  supportQuestion(input: $input) {
	    clientMutationId
	    question { id status supporterCount viewerHasSupported group { id } }
	    groupFormed { id name status participants { role member { id } } }
	  }
	}`
	withdrawSupport = `mutation($input: WithdrawSupportInput!) {
	  withdrawSupport(input: $input) { clientMutationId question { supporterCount } groupFormed { id } }
	}`
	joinGroup     = `mutation($input: JoinGroupInput!) { joinGroup(input: $input) { clientMutationId group { id participants { role member { id } } } } }`
	leaveGroup    = `mutation($input: LeaveGroupInput!) { leaveGroup(input: $input) { clientMutationId group { id participants { role member { id } } } } }`
	closeGroup    = `mutation($input: CloseGroupInput!) { closeGroup(input: $input) { clientMutationId group { status closedAt question { status } } } }`
	scheduleMtg   = `mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { clientMutationId meeting { id status durationMinutes agenda { title minutes } group { id } } } }`
	recordOutcome = `mutation($input: RecordMeetingOutcomeInput!) { recordMeetingOutcome(input: $input) { clientMutationId meeting { status outcome attendees { id } } } }`
	cancelMtg     = `mutation($input: CancelMeetingInput!) { cancelMeeting(input: $input) { clientMutationId meeting { status } } }`
	publishPlan   = `mutation($input: PublishActionPlanInput!) {
	  publishActionPlan(input: $input) { clientMutationId actionPlan { id summary distributedTo group { id } items { title dueOn done owner { id } } } }
	}`
)

type participantData struct {
	Role   string
	Member struct{ ID string }
}

type groupData struct {
	ID           string
	Name         string
	Status       string
	Participants []participantData
}

func TestRaiseAndSupportQuestion(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	a.db.GroupCapacity = 4
	m := seedMembers(t, a, 6)
	tok := func(i int) string { return token(t, domain.RoleMember, gid(m[i])) }

	var raised struct {
		RaiseQuestion struct {
			ClientMutationID string
			Question         struct {
				ID, Text, Status   string
				SupporterCount     int
				ViewerHasSupported bool
				RaisedBy           struct{ ID string }
			}
		}
	}
	a.ok(tok(0), raiseQuestion, map[string]any{"input": map[string]any{
		"clientMutationId": "r1", "memberId": gid(m[0]), "text": "Comment mutualiser nos achats d'étalons ?", "theme": "PURCHASING",
	}}, &raised)
	q := raised.RaiseQuestion.Question
	if raised.RaiseQuestion.ClientMutationID != "r1" || q.Status != "OPEN" || q.SupporterCount != 1 || !q.ViewerHasSupported || q.RaisedBy.ID != gid(m[0]) {
		t.Fatalf("raised %+v", raised)
	}

	type supportData struct {
		SupportQuestion struct {
			ClientMutationID string
			Question         struct {
				Status             string
				SupporterCount     int
				ViewerHasSupported bool
				Group              *struct{ ID string }
			}
			GroupFormed *groupData
		}
	}
	support := func(i int, cmid string) supportData {
		t.Helper()
		var out supportData
		a.ok(tok(i), supportQuestion, map[string]any{"input": map[string]any{"clientMutationId": cmid, "questionId": q.ID, "memberId": gid(m[i])}}, &out)
		return out
	}
	// Two supporters: no group yet.
	s := support(1, "s1")
	if s.SupportQuestion.ClientMutationID != "s1" || s.SupportQuestion.GroupFormed != nil || s.SupportQuestion.Question.Status != "OPEN" ||
		s.SupportQuestion.Question.SupporterCount != 2 || !s.SupportQuestion.Question.ViewerHasSupported || rowCount(t, a, "working_groups") != 0 {
		t.Fatalf("second supporter %+v", s)
	}
	// viewerHasSupported is false for a member who does not support it, and for staff.
	var read struct {
		Node struct{ ViewerHasSupported bool }
	}
	a.ok(tok(3), `query($id: ID!) { node(id: $id) { ... on Question { viewerHasSupported } } }`, map[string]any{"id": q.ID}, &read)
	if read.Node.ViewerHasSupported {
		t.Fatal("viewerHasSupported for a non-supporter")
	}
	a.ok(token(t, domain.RoleStaff, ""), `query($id: ID!) { node(id: $id) { ... on Question { viewerHasSupported } } }`, map[string]any{"id": q.ID}, &read)
	if read.Node.ViewerHasSupported {
		t.Fatal("viewerHasSupported for staff")
	}
	// The third distinct supporter forms the group: the three supporters, led by the raiser.
	s = support(2, "s2")
	g := s.SupportQuestion.GroupFormed
	if g == nil || g.Status != "ACTIVE" || g.Name != "Comment mutualiser nos achats d'étalons ?" || len(g.Participants) != 3 ||
		g.Participants[0].Role != "LEAD" || g.Participants[0].Member.ID != gid(m[0]) ||
		g.Participants[1].Member.ID != gid(m[1]) || g.Participants[2].Member.ID != gid(m[2]) || g.Participants[2].Role != "MEMBER" {
		t.Fatalf("third supporter %+v", s)
	}
	if s.SupportQuestion.Question.Status != "GROUP_FORMED" || s.SupportQuestion.Question.Group == nil || s.SupportQuestion.Question.Group.ID != g.ID {
		t.Fatalf("question after forming %+v", s.SupportQuestion.Question)
	}
	// Supporting again is harmless and forms nothing.
	if again := support(2, "s2bis"); again.SupportQuestion.GroupFormed != nil || again.SupportQuestion.Question.SupporterCount != 3 {
		t.Fatalf("supporting twice %+v", again)
	}
	// The fourth supporter joins; the fifth, beyond the capacity of 4, supports but does not join.
	if s = support(3, ""); s.SupportQuestion.GroupFormed != nil || s.SupportQuestion.Question.SupporterCount != 4 {
		t.Fatalf("fourth supporter %+v", s)
	}
	s = support(4, "")
	if s.SupportQuestion.Question.SupporterCount != 5 || rowCount(t, a, "group_participants") != 4 || rowCount(t, a, "working_groups") != 1 {
		t.Fatalf("fifth supporter %+v", s)
	}
	var grp struct{ Node groupData }
	a.ok(tok(4), `query($id: ID!) { node(id: $id) { ... on WorkingGroup { id participants { role member { id } } } } }`, map[string]any{"id": g.ID}, &grp)
	if p := grp.Node.Participants; len(p) != 4 || p[3].Member.ID != gid(m[3]) {
		t.Fatalf("participants %+v", p)
	}
	// Once the group formed, supports stay.
	resp := a.do(tok(1), withdrawSupport, map[string]any{"input": map[string]any{"questionId": q.ID, "memberId": gid(m[1])}})
	if resp.code() != domain.CodeConflict || rowCount(t, a, "question_supports") != 5 {
		t.Fatalf("withdraw after forming: %+v", resp.Errors)
	}
}

func TestWithdrawSupportRules(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	m := seedMembers(t, a, 3)
	q, err := a.db.Groups().RaiseQuestion(staffCtx, m[0], "Sécurité routière ?", domain.ThemeSmallBusinessSupport)
	if err != nil {
		t.Fatal(err)
	}
	qid := globalid.Encode(globalid.TypeQuestion, q.ID)
	a.ok(token(t, domain.RoleMember, gid(m[1])), supportQuestion, map[string]any{"input": map[string]any{"questionId": qid, "memberId": gid(m[1])}}, nil)
	resp := a.do(token(t, domain.RoleMember, gid(m[0])), withdrawSupport, map[string]any{"input": map[string]any{"questionId": qid, "memberId": gid(m[0])}})
	if resp.code() != domain.CodeBadUserInput || resp.Errors[0].Extensions["field"] != "memberId" {
		t.Fatalf("raiser withdrawing: %+v", resp.Errors)
	}
	var out struct {
		WithdrawSupport struct {
			ClientMutationID string
			Question         struct{ SupporterCount int }
			GroupFormed      *struct{ ID string }
		}
	}
	a.ok(token(t, domain.RoleMember, gid(m[1])), withdrawSupport, map[string]any{"input": map[string]any{"clientMutationId": "w", "questionId": qid, "memberId": gid(m[1])}}, &out)
	if out.WithdrawSupport.ClientMutationID != "w" || out.WithdrawSupport.Question.SupporterCount != 1 || out.WithdrawSupport.GroupFormed != nil {
		t.Fatalf("withdraw %+v", out)
	}
}

// TestGroupWritesForbidden checks SPEC §4 on every group mutation: a member
// writes only as itself, a lapsed member and an analyst write nothing, and
// only the lead or staff run a group. Refused writes change nothing.
func TestGroupWritesForbidden(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	m := seedMembers(t, a, 5)
	g := seedGroup(t, a, "Communication digitale ?", m)
	if _, err := a.db.Bun().ExecContext(context.Background(), "UPDATE members SET left_on = current_date WHERE id = ?", m[4]); err != nil {
		t.Fatal(err)
	}
	groupID := globalid.Encode(globalid.TypeWorkingGroup, g.ID)
	questionID := globalid.Encode(globalid.TypeQuestion, g.QuestionID)
	meeting, err := a.db.Groups().ScheduleMeeting(staffCtx, domain.MeetingInput{
		GroupID: g.ID, Title: "Kick-off", StartsAt: time.Now().Add(24 * time.Hour), DurationMinutes: 30,
		Agenda: []domain.AgendaItem{{Title: "Objectifs", Minutes: 30}}, ExpectedOutcome: "Un plan",
	})
	if err != nil {
		t.Fatal(err)
	}
	meetingID := globalid.Encode(globalid.TypeMeeting, meeting.ID)
	lead, participant := token(t, domain.RoleMember, gid(m[0])), token(t, domain.RoleMember, gid(m[1]))
	outsider, lapsed := token(t, domain.RoleMember, gid(m[3])), token(t, domain.RoleMember, gid(m[4]))
	analyst := token(t, domain.RoleAnalyst, "")
	plan := map[string]any{"groupId": groupID, "summary": "Plan", "items": []map[string]any{{"title": "Appel d'offres"}}}
	for _, c := range []struct {
		name, tok, query string
		input            map[string]any
	}{
		{"raise as another", outsider, raiseQuestion, map[string]any{"memberId": gid(m[1]), "text": "x", "theme": "OTHER"}},
		{"support as another", outsider, supportQuestion, map[string]any{"questionId": questionID, "memberId": gid(m[1])}},
		{"withdraw as another", outsider, withdrawSupport, map[string]any{"questionId": questionID, "memberId": gid(m[1])}},
		{"join as another", outsider, joinGroup, map[string]any{"groupId": groupID, "memberId": gid(m[2])}},
		{"leave as another", outsider, leaveGroup, map[string]any{"groupId": groupID, "memberId": gid(m[1])}},
		{"lapsed member raises", lapsed, raiseQuestion, map[string]any{"memberId": gid(m[4]), "text": "x", "theme": "OTHER"}},
		{"lapsed member joins", lapsed, joinGroup, map[string]any{"groupId": groupID, "memberId": gid(m[4])}},
		{"analyst raises", analyst, raiseQuestion, map[string]any{"memberId": gid(m[3]), "text": "x", "theme": "OTHER"}},
		{"analyst joins", analyst, joinGroup, map[string]any{"groupId": groupID, "memberId": gid(m[3])}},
		{"anonymous supports", "", supportQuestion, map[string]any{"questionId": questionID, "memberId": gid(m[3])}},
		{"participant schedules", participant, scheduleMtg, meetingInput(groupID, time.Now().Add(48*time.Hour))},
		{"outsider schedules", outsider, scheduleMtg, meetingInput(groupID, time.Now().Add(48*time.Hour))},
		{"analyst schedules", analyst, scheduleMtg, meetingInput(groupID, time.Now().Add(48*time.Hour))},
		{"participant records", participant, recordOutcome, map[string]any{"meetingId": meetingID, "outcome": "ok", "attendeeIds": []string{gid(m[1])}}},
		{"participant cancels", participant, cancelMtg, map[string]any{"meetingId": meetingID}},
		{"participant publishes", participant, publishPlan, plan},
		{"participant closes", participant, closeGroup, map[string]any{"groupId": groupID}},
		{"analyst closes", analyst, closeGroup, map[string]any{"groupId": groupID}},
	} {
		resp := a.do(c.tok, c.query, map[string]any{"input": c.input})
		if resp.code() != domain.CodeForbidden || string(resp.Data) != "null" {
			t.Errorf("%s: %s %+v, want FORBIDDEN", c.name, resp.Data, resp.Errors)
		}
	}
	for table, want := range map[string]int{
		"questions": 1, "question_supports": 3, "group_participants": 3, "meetings": 1, "meeting_attendees": 0, "action_plans": 0,
	} {
		if n := rowCount(t, a, table); n != want {
			t.Errorf("refused writes changed %s: %d rows, want %d", table, n, want)
		}
	}
	var st struct{ Node struct{ Status string } }
	a.ok(lead, `query($id: ID!) { node(id: $id) { ... on Meeting { status } } }`, map[string]any{"id": meetingID}, &st)
	if st.Node.Status != "SCHEDULED" {
		t.Fatalf("meeting %s", st.Node.Status)
	}
	// The lead may do what the others may not.
	a.ok(lead, cancelMtg, map[string]any{"input": map[string]any{"meetingId": meetingID}}, nil)
	a.ok(lead, closeGroup, map[string]any{"input": map[string]any{"groupId": groupID}}, nil)
}

func TestJoinAndLeaveGroupAPI(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	a.db.GroupCapacity = 4
	m := seedMembers(t, a, 6)
	g := seedGroup(t, a, "Achats de calibrateurs ?", m)
	groupID := globalid.Encode(globalid.TypeWorkingGroup, g.ID)
	tok := func(i int) string { return token(t, domain.RoleMember, gid(m[i])) }
	var joined struct {
		JoinGroup struct {
			ClientMutationID string
			Group            groupData
		}
	}
	a.ok(tok(3), joinGroup, map[string]any{"input": map[string]any{"clientMutationId": "j", "groupId": groupID, "memberId": gid(m[3])}}, &joined)
	if joined.JoinGroup.ClientMutationID != "j" || len(joined.JoinGroup.Group.Participants) != 4 {
		t.Fatalf("join %+v", joined)
	}
	// The group holds 4: a fifth is CONFLICT and changes nothing.
	resp := a.do(tok(4), joinGroup, map[string]any{"input": map[string]any{"groupId": groupID, "memberId": gid(m[4])}})
	if resp.code() != domain.CodeConflict || rowCount(t, a, "group_participants") != 4 {
		t.Fatalf("joining a full group: %+v", resp.Errors)
	}
	// The lead leaves: the longest-standing participant leads.
	var left struct {
		LeaveGroup struct {
			ClientMutationID string
			Group            groupData
		}
	}
	a.ok(tok(0), leaveGroup, map[string]any{"input": map[string]any{"clientMutationId": "l", "groupId": groupID, "memberId": gid(m[0])}}, &left)
	p := left.LeaveGroup.Group.Participants
	if left.LeaveGroup.ClientMutationID != "l" || len(p) != 3 || p[0].Role != "LEAD" || p[0].Member.ID != gid(m[1]) || p[1].Role != "MEMBER" {
		t.Fatalf("after the lead left %+v", p)
	}
	if rowCount(t, a, "group_participants") != 4 {
		t.Fatal("leaving removed the participant's row")
	}
	// The new lead runs the group; the former one no longer does.
	resp = a.do(tok(0), scheduleMtg, map[string]any{"input": meetingInput(groupID, time.Now().Add(time.Hour))})
	if resp.code() != domain.CodeForbidden {
		t.Fatalf("former lead scheduling: %+v", resp.Errors)
	}
	a.ok(tok(1), scheduleMtg, map[string]any{"input": meetingInput(groupID, time.Now().Add(time.Hour))}, nil)
	// Room again: the fifth member joins. A closed group takes nobody.
	a.ok(tok(4), joinGroup, map[string]any{"input": map[string]any{"groupId": groupID, "memberId": gid(m[4])}}, nil)
	var closed struct {
		CloseGroup struct {
			ClientMutationID string
			Group            struct {
				Status   string
				ClosedAt *string
				Question struct{ Status string }
			}
		}
	}
	a.ok(tok(1), closeGroup, map[string]any{"input": map[string]any{"clientMutationId": "c", "groupId": groupID}}, &closed)
	if c := closed.CloseGroup; c.ClientMutationID != "c" || c.Group.Status != "CLOSED" || c.Group.ClosedAt == nil || c.Group.Question.Status != "CLOSED" {
		t.Fatalf("close %+v", closed)
	}
	for name, q := range map[string]string{"join": joinGroup, "leave": leaveGroup} {
		resp = a.do(tok(0), q, map[string]any{"input": map[string]any{"groupId": groupID, "memberId": gid(m[0])}})
		if resp.code() != domain.CodeConflict {
			t.Errorf("%s a closed group: %+v", name, resp.Errors)
		}
	}
	resp = a.do(token(t, domain.RoleStaff, ""), scheduleMtg, map[string]any{"input": meetingInput(groupID, time.Now().Add(time.Hour))})
	if resp.code() != domain.CodeConflict {
		t.Fatalf("meeting of a closed group: %+v", resp.Errors)
	}
	var mtg struct {
		Node struct {
			Meetings struct {
				Edges []struct{ Node struct{ Status string } }
			}
		}
	}
	a.ok(tok(1), `query($id: ID!) { node(id: $id) { ... on WorkingGroup { meetings { edges { node { status } } } } } }`, map[string]any{"id": groupID}, &mtg)
	if e := mtg.Node.Meetings.Edges; len(e) != 1 || e[0].Node.Status != "CANCELLED" {
		t.Fatalf("closing the group left meetings %+v", e)
	}
}

func TestScheduleMeetingRules(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	m := seedMembers(t, a, 4)
	g := seedGroup(t, a, "Modèles de CGV ?", m)
	groupID := globalid.Encode(globalid.TypeWorkingGroup, g.ID)
	lead := token(t, domain.RoleMember, gid(m[0]))
	soon := time.Now().Add(72 * time.Hour).Truncate(time.Second)
	for _, c := range []struct {
		name  string
		edit  func(map[string]any)
		field string
	}{
		{"no agenda", func(in map[string]any) { in["agenda"] = []map[string]any{} }, "agenda"},
		{"blank expected outcome", func(in map[string]any) { in["expectedOutcome"] = "   " }, "expectedOutcome"},
		{"no duration", func(in map[string]any) { in["durationMinutes"] = 0 }, "durationMinutes"},
		{"too long", func(in map[string]any) { in["durationMinutes"] = 481 }, "durationMinutes"},
		{"agenda overruns the duration", func(in map[string]any) { in["durationMinutes"] = 45 }, "agenda"},
		{"blank title", func(in map[string]any) { in["title"] = "" }, "title"},
		{"blank agenda item", func(in map[string]any) {
			in["agenda"].([]map[string]any)[2]["title"] = " "
		}, "agenda[2].title"},
		{"agenda item of no time", func(in map[string]any) {
			in["agenda"].([]map[string]any)[0]["minutes"] = 0
		}, "agenda[0].minutes"},
	} {
		in := meetingInput(groupID, soon)
		c.edit(in)
		resp := a.do(lead, scheduleMtg, map[string]any{"input": in})
		if resp.code() != domain.CodeBadUserInput || resp.Errors[0].Extensions["field"] != c.field {
			t.Errorf("%s: %+v, want BAD_USER_INPUT on %s", c.name, resp.Errors, c.field)
		}
	}
	if n := rowCount(t, a, "meetings"); n != 0 {
		t.Fatalf("refused meetings were stored: %d", n)
	}
	var sched struct {
		ScheduleMeeting struct {
			ClientMutationID string
			Meeting          struct {
				ID, Status      string
				DurationMinutes int
				Agenda          []struct {
					Title   string
					Minutes int
				}
				Group struct{ ID string }
			}
		}
	}
	in := meetingInput(groupID, soon)
	in["clientMutationId"] = "m1"
	a.ok(lead, scheduleMtg, map[string]any{"input": in}, &sched)
	mt := sched.ScheduleMeeting.Meeting
	if sched.ScheduleMeeting.ClientMutationID != "m1" || mt.Status != "SCHEDULED" || mt.DurationMinutes != 60 || len(mt.Agenda) != 3 ||
		mt.Agenda[1].Title != "Devis reçus" || mt.Group.ID != groupID {
		t.Fatalf("scheduled %+v", sched)
	}
	// Attendees must be participants.
	resp := a.do(lead, recordOutcome, map[string]any{"input": map[string]any{"meetingId": mt.ID, "outcome": "Fournisseur choisi", "attendeeIds": []string{gid(m[0]), gid(m[3])}}})
	if resp.code() != domain.CodeBadUserInput || resp.Errors[0].Extensions["field"] != "attendeeIds" {
		t.Fatalf("non-participant attendee: %+v", resp.Errors)
	}
	resp = a.do(lead, recordOutcome, map[string]any{"input": map[string]any{"meetingId": mt.ID, "outcome": " ", "attendeeIds": []string{gid(m[0])}}})
	if resp.code() != domain.CodeBadUserInput || resp.Errors[0].Extensions["field"] != "outcome" {
		t.Fatalf("blank outcome: %+v", resp.Errors)
	}
	if rowCount(t, a, "meeting_attendees") != 0 {
		t.Fatal("refused outcome stored attendees")
	}
	var held struct {
		RecordMeetingOutcome struct {
			ClientMutationID string
			Meeting          struct {
				Status    string
				Outcome   *string
				Attendees []struct{ ID string }
			}
		}
	}
	a.ok(lead, recordOutcome, map[string]any{"input": map[string]any{
		"clientMutationId": "o", "meetingId": mt.ID, "outcome": "Fournisseur choisi", "attendeeIds": []string{gid(m[1]), gid(m[0]), gid(m[1])},
	}}, &held)
	h := held.RecordMeetingOutcome
	if h.ClientMutationID != "o" || h.Meeting.Status != "HELD" || h.Meeting.Outcome == nil || *h.Meeting.Outcome != "Fournisseur choisi" || len(h.Meeting.Attendees) != 2 {
		t.Fatalf("held %+v", held)
	}
	// Only a SCHEDULED meeting can be held or cancelled.
	resp = a.do(lead, recordOutcome, map[string]any{"input": map[string]any{"meetingId": mt.ID, "outcome": "again", "attendeeIds": []string{gid(m[0])}}})
	if resp.code() != domain.CodeConflict {
		t.Errorf("record a held meeting: %+v", resp.Errors)
	}
	resp = a.do(lead, cancelMtg, map[string]any{"input": map[string]any{"meetingId": mt.ID}})
	if resp.code() != domain.CodeConflict {
		t.Errorf("cancel a held meeting: %+v", resp.Errors)
	}
	var cancelled struct {
		CancelMeeting struct {
			ClientMutationID string
			Meeting          struct{ Status string }
		}
	}
	a.ok(lead, scheduleMtg, map[string]any{"input": meetingInput(groupID, soon.Add(time.Hour))}, &sched)
	a.ok(lead, cancelMtg, map[string]any{"input": map[string]any{"clientMutationId": "x", "meetingId": sched.ScheduleMeeting.Meeting.ID}}, &cancelled)
	if cancelled.CancelMeeting.ClientMutationID != "x" || cancelled.CancelMeeting.Meeting.Status != "CANCELLED" {
		t.Fatalf("cancelled %+v", cancelled)
	}
	resp = a.do(lead, cancelMtg, map[string]any{"input": map[string]any{"meetingId": globalid.Encode(globalid.TypeMeeting, 9999)}})
	if resp.code() != domain.CodeNotFound {
		t.Fatalf("unknown meeting: %+v", resp.Errors)
	}
}

func TestPublishActionPlan(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	m := seedMembers(t, a, 6)
	if _, err := a.db.Bun().ExecContext(context.Background(), "UPDATE members SET left_on = current_date WHERE id = ?", m[5]); err != nil {
		t.Fatal(err)
	}
	g1 := seedGroup(t, a, "Achats groupés de peinture ?", m)
	g2 := seedGroup(t, a, "Stand commun au salon ?", []int64{m[3], m[1], m[2]})
	lead1, lead2 := token(t, domain.RoleMember, gid(m[0])), token(t, domain.RoleMember, gid(m[3]))
	g1ID, g2ID := globalid.Encode(globalid.TypeWorkingGroup, g1.ID), globalid.Encode(globalid.TypeWorkingGroup, g2.ID)
	type planData struct {
		ID            string
		Summary       string
		DistributedTo int
		Group         struct{ ID string }
		Items         []struct {
			Title string
			DueOn *string
			Done  bool
			Owner *struct{ ID string }
		}
	}
	var out struct {
		PublishActionPlan struct {
			ClientMutationID string
			ActionPlan       planData
		}
	}
	a.ok(lead1, publishPlan, map[string]any{"input": map[string]any{
		"clientMutationId": "p1", "groupId": g1ID, "summary": "Commande groupée en mars",
		"items": []map[string]any{{"title": "Recueillir les besoins", "ownerId": gid(m[1]), "dueOn": "2027-02-15"}, {"title": "Passer commande"}},
	}}, &out)
	p := out.PublishActionPlan.ActionPlan
	// Five ACTIVE members: the lapsed one does not receive it.
	if out.PublishActionPlan.ClientMutationID != "p1" || p.DistributedTo != 5 || p.Group.ID != g1ID || len(p.Items) != 2 ||
		p.Items[0].Owner == nil || p.Items[0].Owner.ID != gid(m[1]) || p.Items[0].DueOn == nil || *p.Items[0].DueOn != "2027-02-15" ||
		p.Items[0].Done || p.Items[1].Owner != nil || p.Items[1].DueOn != nil {
		t.Fatalf("published %+v", out)
	}
	// One plan per group.
	resp := a.do(lead1, publishPlan, map[string]any{"input": map[string]any{"groupId": g1ID, "summary": "Encore", "items": []map[string]any{{"title": "x"}}}})
	if resp.code() != domain.CodeConflict {
		t.Fatalf("second plan: %+v", resp.Errors)
	}
	for _, c := range []struct {
		name, field string
		items       []map[string]any
	}{
		{"lapsed owner", "items[0].ownerId", []map[string]any{{"title": "x", "ownerId": gid(m[5])}}},
		{"unknown owner", "items[1].ownerId", []map[string]any{{"title": "x"}, {"title": "y", "ownerId": gid(9999)}}},
		{"no items", "items", []map[string]any{}},
		{"blank item", "items[0].title", []map[string]any{{"title": ""}}},
	} {
		resp := a.do(lead2, publishPlan, map[string]any{"input": map[string]any{"groupId": g2ID, "summary": "Plan", "items": c.items}})
		if resp.code() != domain.CodeBadUserInput || resp.Errors[0].Extensions["field"] != c.field {
			t.Errorf("%s: %+v, want BAD_USER_INPUT on %s", c.name, resp.Errors, c.field)
		}
	}
	if n := rowCount(t, a, "action_plans"); n != 1 {
		t.Fatalf("refused plans were stored: %d", n)
	}
	a.ok(lead2, publishPlan, map[string]any{"input": map[string]any{"groupId": g2ID, "summary": "Un stand de 36 m²", "items": []map[string]any{{"title": "Réserver"}}}}, &out)
	// The feed every member receives: newest first.
	var feed struct {
		ActionPlans struct {
			TotalCount int
			Edges      []struct{ Node planData }
		}
	}
	a.ok(token(t, domain.RoleMember, gid(m[4])), `{ actionPlans { totalCount edges { node { id summary distributedTo group { id } } } } }`, nil, &feed)
	e := feed.ActionPlans.Edges
	if feed.ActionPlans.TotalCount != 2 || len(e) != 2 || e[0].Node.Group.ID != g2ID || e[1].Node.ID != p.ID {
		t.Fatalf("feed %+v", feed)
	}
	var grp struct {
		Node struct{ ActionPlan *struct{ ID string } }
	}
	a.ok(lead1, `query($id: ID!) { node(id: $id) { ... on WorkingGroup { actionPlan { id } } } }`, map[string]any{"id": g1ID}, &grp)
	if grp.Node.ActionPlan == nil || grp.Node.ActionPlan.ID != p.ID {
		t.Fatalf("group's plan %+v", grp)
	}
}

func TestUpcomingMeetings(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	m := seedMembers(t, a, 5)
	mine := seedGroup(t, a, "Affacturage ?", m)
	other := seedGroup(t, a, "Télétravail ?", []int64{m[3], m[4], m[0]})
	if _, err := a.db.Groups().LeaveGroup(staffCtx, other.ID, m[0]); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	schedule := func(g int64, title string, at time.Time) *domain.Meeting {
		t.Helper()
		mt, err := a.db.Groups().ScheduleMeeting(staffCtx, domain.MeetingInput{
			GroupID: g, Title: title, StartsAt: at, DurationMinutes: 30,
			Agenda: []domain.AgendaItem{{Title: "Point", Minutes: 30}}, ExpectedOutcome: "Décider",
		})
		if err != nil {
			t.Fatal(err)
		}
		return mt
	}
	schedule(mine.ID, "past", now.Add(-time.Hour))
	schedule(mine.ID, "later", now.Add(48*time.Hour))
	schedule(mine.ID, "soon", now.Add(time.Hour))
	cancelled := schedule(mine.ID, "cancelled", now.Add(2*time.Hour))
	if _, err := a.db.Groups().CancelMeeting(staffCtx, cancelled.ID); err != nil {
		t.Fatal(err)
	}
	held := schedule(mine.ID, "held", now.Add(3*time.Hour))
	if _, err := a.db.Groups().RecordMeetingOutcome(staffCtx, held.ID, "fait", []int64{m[0]}); err != nil {
		t.Fatal(err)
	}
	schedule(other.ID, "not my group", now.Add(time.Hour))
	const q = `query($first: Int) { viewer { upcomingMeetings(first: $first) { title status group { id } } } }`
	var out struct {
		Viewer struct {
			UpcomingMeetings []struct{ Title, Status string }
		}
	}
	a.ok(token(t, domain.RoleMember, gid(m[0])), q, nil, &out)
	got := out.Viewer.UpcomingMeetings
	if len(got) != 2 || got[0].Title != "soon" || got[1].Title != "later" || got[0].Status != "SCHEDULED" {
		t.Fatalf("upcoming %+v", got)
	}
	a.ok(token(t, domain.RoleMember, gid(m[0])), q, map[string]any{"first": 1}, &out)
	if len(out.Viewer.UpcomingMeetings) != 1 {
		t.Fatalf("first 1: %+v", out)
	}
	a.ok(token(t, domain.RoleStaff, ""), q, nil, &out)
	if len(out.Viewer.UpcomingMeetings) != 0 {
		t.Fatalf("staff upcoming %+v", out)
	}
	resp := a.do(token(t, domain.RoleMember, gid(m[0])), q, map[string]any{"first": 101})
	if resp.code() != domain.CodeBadUserInput {
		t.Fatalf("first 101: %+v", resp.Errors)
	}
}

func TestGroupReadsNeedMembers(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	m := seedMembers(t, a, 3)
	g := seedGroup(t, a, "Question ?", m)
	mt, err := a.db.Groups().ScheduleMeeting(staffCtx, domain.MeetingInput{
		GroupID: g.ID, Title: "R", StartsAt: time.Now(), DurationMinutes: 10, Agenda: []domain.AgendaItem{{Title: "a", Minutes: 10}}, ExpectedOutcome: "b",
	})
	if err != nil {
		t.Fatal(err)
	}
	p, err := a.db.Groups().PublishActionPlan(staffCtx, domain.ActionPlanInput{GroupID: g.ID, Summary: "s", Items: []domain.ActionItem{{Title: "t"}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`{ questions { totalCount } }`, `{ groups { totalCount } }`, `{ actionPlans { totalCount } }`} {
		resp := a.do("", q, nil)
		if resp.code() != domain.CodeForbidden || string(resp.Data) != "null" {
			t.Errorf("anonymous %s: %s %+v", q, resp.Data, resp.Errors)
		}
	}
	ids := []string{
		globalid.Encode(globalid.TypeQuestion, g.QuestionID), globalid.Encode(globalid.TypeWorkingGroup, g.ID),
		globalid.Encode(globalid.TypeMeeting, mt.ID), globalid.Encode(globalid.TypeActionPlan, p.ID),
	}
	const q = `query($id: ID!, $ids: [ID!]!) { node(id: $id) { id } nodes(ids: $ids) { id } }`
	for _, id := range ids {
		var anon struct {
			Node  *struct{ ID string }
			Nodes []*struct{ ID string }
		}
		a.ok("", q, map[string]any{"id": id, "ids": ids}, &anon)
		if anon.Node != nil || len(anon.Nodes) != 4 || anon.Nodes[0] != nil || anon.Nodes[3] != nil {
			t.Errorf("anonymous node(%s): %+v", id, anon)
		}
		var mem struct {
			Node  *struct{ ID string }
			Nodes []*struct{ ID string }
		}
		a.ok(token(t, domain.RoleMember, gid(m[0])), q, map[string]any{"id": id, "ids": ids}, &mem)
		if mem.Node == nil || mem.Node.ID != id || len(mem.Nodes) != 4 || mem.Nodes[3] == nil || mem.Nodes[3].ID != ids[3] {
			t.Errorf("member node(%s): %+v", id, mem)
		}
	}
	resp := a.do("", `query($id: ID!) { member(id: $id) { name groups { totalCount } } }`, map[string]any{"id": gid(m[0])})
	if resp.code() != domain.CodeForbidden {
		t.Errorf("anonymous member.groups: %+v", resp.Errors)
	}
}

func TestGroupConnections(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	m := seedMembers(t, a, 6)
	// Five groups, the newest last; m[5] takes part in the second and fourth.
	var groups []*domain.WorkingGroup
	for i := range 5 {
		g := seedGroup(t, a, fmt.Sprintf("Question %d", i), []int64{m[i%3], m[(i+1)%3], m[(i+2)%3]})
		groups = append(groups, g)
		if i == 1 || i == 3 {
			if _, err := a.db.Groups().JoinGroup(staffCtx, g.ID, m[5]); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := a.db.Groups().RaiseQuestion(staffCtx, m[5], "Question ouverte", domain.ThemeCommunication); err != nil {
		t.Fatal(err)
	}
	tok := token(t, domain.RoleMember, gid(m[4]))
	type page struct {
		TotalCount int
		Edges      []struct {
			Cursor string
			Node   struct{ Name, Text, Summary string }
		}
		PageInfo struct {
			HasNextPage, HasPreviousPage bool
			EndCursor                    *string
		}
	}
	var p1, p2 struct{ Groups page }
	const gq = `query($after: String, $filter: GroupFilter) { groups(first: 2, after: $after, filter: $filter) {
	  totalCount edges { cursor node { name } } pageInfo { hasNextPage hasPreviousPage endCursor } } }`
	a.ok(tok, gq, nil, &p1)
	if p1.Groups.TotalCount != 5 || len(p1.Groups.Edges) != 2 || p1.Groups.Edges[0].Node.Name != "Question 4" || !p1.Groups.PageInfo.HasNextPage {
		t.Fatalf("groups page 1 %+v", p1)
	}
	a.ok(tok, gq, map[string]any{"after": *p1.Groups.PageInfo.EndCursor}, &p2)
	if len(p2.Groups.Edges) != 2 || p2.Groups.Edges[0].Node.Name != "Question 2" || !p2.Groups.PageInfo.HasPreviousPage {
		t.Fatalf("groups page 2 %+v", p2)
	}
	a.ok(tok, gq, map[string]any{"filter": map[string]any{"memberIds": []string{gid(m[5])}}}, &p1)
	if p1.Groups.TotalCount != 2 || p1.Groups.Edges[0].Node.Name != "Question 3" || p1.Groups.Edges[1].Node.Name != "Question 1" || p1.Groups.PageInfo.HasNextPage {
		t.Fatalf("groups of m5 %+v", p1)
	}
	resp := a.do(tok, gq, map[string]any{"after": "garbage"})
	if resp.code() != domain.CodeBadUserInput || resp.Errors[0].Extensions["field"] != "after" {
		t.Fatalf("bad cursor %+v", resp.Errors)
	}

	var qs struct{ Questions page }
	const qq = `query($after: String, $filter: QuestionFilter) { questions(first: 4, after: $after, filter: $filter) {
	  totalCount edges { cursor node { text } } pageInfo { hasNextPage hasPreviousPage endCursor } } }`
	a.ok(tok, qq, nil, &qs)
	if qs.Questions.TotalCount != 6 || len(qs.Questions.Edges) != 4 || qs.Questions.Edges[0].Node.Text != "Question ouverte" || !qs.Questions.PageInfo.HasNextPage {
		t.Fatalf("questions page 1 %+v", qs)
	}
	a.ok(tok, qq, map[string]any{"after": *qs.Questions.PageInfo.EndCursor}, &qs)
	if len(qs.Questions.Edges) != 2 || qs.Questions.Edges[1].Node.Text != "Question 0" || qs.Questions.PageInfo.HasNextPage {
		t.Fatalf("questions page 2 %+v", qs)
	}
	a.ok(tok, qq, map[string]any{"filter": map[string]any{"statuses": []string{"OPEN"}}}, &qs)
	if qs.Questions.TotalCount != 1 {
		t.Fatalf("open questions %+v", qs)
	}
	a.ok(tok, qq, map[string]any{"filter": map[string]any{"supportedBy": gid(m[0]), "raisedBy": gid(m[1])}}, &qs)
	if qs.Questions.TotalCount != 2 || qs.Questions.Edges[0].Node.Text != "Question 4" {
		t.Fatalf("raised by m1, supported by m0 %+v", qs)
	}

	// A member's groups, inside a list of members.
	var ms struct {
		Members struct {
			Edges []struct {
				Node struct {
					Name   string
					Groups page
				}
			}
		}
	}
	a.ok(tok, `{ members(first: 10) { edges { node { name groups(first: 1) { totalCount edges { node { name } } pageInfo { hasNextPage } } } } } }`, nil, &ms)
	last := ms.Members.Edges[5].Node
	if last.Name != "Membre 05" || last.Groups.TotalCount != 2 || len(last.Groups.Edges) != 1 || last.Groups.Edges[0].Node.Name != "Question 3" || !last.Groups.PageInfo.HasNextPage {
		t.Fatalf("groups of m5 in a list %+v", last)
	}
	if first := ms.Members.Edges[0].Node; first.Groups.TotalCount != 5 {
		t.Fatalf("groups of m0 %+v", first)
	}

	for i := range 3 {
		p, err := a.db.Groups().PublishActionPlan(staffCtx, domain.ActionPlanInput{GroupID: groups[i].ID, Summary: fmt.Sprintf("Plan %d", i), Items: []domain.ActionItem{{Title: "x"}}})
		if err != nil || p.ID == 0 {
			t.Fatal(err)
		}
	}
	var ap struct{ ActionPlans page }
	const aq = `query($after: String) { actionPlans(first: 2, after: $after) { totalCount edges { node { summary } } pageInfo { hasNextPage endCursor } } }`
	a.ok(tok, aq, nil, &ap)
	if ap.ActionPlans.TotalCount != 3 || ap.ActionPlans.Edges[0].Node.Summary != "Plan 2" || !ap.ActionPlans.PageInfo.HasNextPage {
		t.Fatalf("plans page 1 %+v", ap)
	}
	a.ok(tok, aq, map[string]any{"after": *ap.ActionPlans.PageInfo.EndCursor}, &ap)
	if len(ap.ActionPlans.Edges) != 1 || ap.ActionPlans.Edges[0].Node.Summary != "Plan 0" || ap.ActionPlans.PageInfo.HasNextPage {
		t.Fatalf("plans page 2 %+v", ap)
	}
}

// TestGroupStatementsPerRequest checks SPEC §7: the statements of a request
// do not grow with page sizes, one per selected relationship.
func TestGroupStatementsPerRequest(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	m := seedMembers(t, a, 8)
	svc := a.db.Groups()
	base := time.Now().Add(24 * time.Hour)
	for i := range 20 {
		g := seedGroup(t, a, fmt.Sprintf("Question %d", i), []int64{m[i%8], m[(i+1)%8], m[(i+2)%8]})
		if _, err := svc.SupportQuestion(staffCtx, g.QuestionID, m[(i+3)%8]); err != nil {
			t.Fatal(err)
		}
		for j := range 4 {
			mt, err := svc.ScheduleMeeting(staffCtx, domain.MeetingInput{
				GroupID: g.ID, Title: fmt.Sprintf("R%d", j), StartsAt: base.Add(time.Duration(j) * time.Hour), DurationMinutes: 30,
				Agenda: []domain.AgendaItem{{Title: "Point", Minutes: 30}}, ExpectedOutcome: "Décider",
			})
			if err != nil {
				t.Fatal(err)
			}
			if j < 2 {
				if _, err := svc.RecordMeetingOutcome(staffCtx, mt.ID, "fait", []int64{m[i%8], m[(i+1)%8]}); err != nil {
					t.Fatal(err)
				}
			}
		}
		owner := m[(i+1)%8]
		if _, err := svc.PublishActionPlan(staffCtx, domain.ActionPlanInput{GroupID: g.ID, Summary: "Plan", Items: []domain.ActionItem{{Title: "a", OwnerID: &owner}, {Title: "b"}}}); err != nil {
			t.Fatal(err)
		}
	}
	staff := token(t, domain.RoleStaff, "")
	member := token(t, domain.RoleMember, gid(m[0]))
	for _, c := range []struct {
		name  string
		tok   string
		query string
		want  int64
	}{
		// groups, question, raisedBy, supporters, participants, participant
		// members, meetings, attendees, actionPlan, owners.
		{"groups", staff, `{ groups(first: %d) { edges { node { name question { text raisedBy { name } supporters { name } } participants { member { name } role } meetings(first: 3) { edges { node { title attendees { name } } } } actionPlan { summary items { owner { name } } } } } } }`, 10},
		// questions, raisedBy, supporters, supporter ids, group, its meetings and their count, totalCount.
		{"questions", member, `{ questions(first: %d) { totalCount edges { node { text raisedBy { name } supporters { name } viewerHasSupported group { name meetings(first: 2) { totalCount edges { node { title } } } } } } } }`, 8},
		// members, their groups and the count of them.
		{"member groups", member, `{ members(first: %d) { edges { node { name groups(first: 2) { totalCount edges { node { name } } } } } } }`, 3},
		// plans, their groups, owners.
		{"plans", member, `{ actionPlans(first: %d) { edges { node { summary group { name } items { owner { name } } } } } }`, 3},
	} {
		small := countStatements(t, a, c.tok, fmt.Sprintf(c.query, 2))
		large := countStatements(t, a, c.tok, fmt.Sprintf(c.query, 20))
		t.Logf("%s: %d statements for 2 items, %d for 20", c.name, small, large)
		if small != c.want || large != c.want {
			t.Errorf("%s: %d statements for 2, %d for 20, want %d", c.name, small, large, c.want)
		}
	}
}

// TestMutationsReadTheirWrites runs two mutations in one request: the
// second returns the group as both left it, not as the first read it.
func TestMutationsReadTheirWrites(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	m := seedMembers(t, a, 5)
	g := seedGroup(t, a, "Achats d'énergie ?", m)
	var out struct {
		A, B struct{ Group groupData }
	}
	a.ok(token(t, domain.RoleStaff, ""), `mutation($g: ID!, $m3: ID!, $m4: ID!) {
	  a: joinGroup(input: {groupId: $g, memberId: $m3}) { group { participants { member { id } } } }
	  b: joinGroup(input: {groupId: $g, memberId: $m4}) { group { participants { member { id } } } }
	}`, map[string]any{"g": globalid.Encode(globalid.TypeWorkingGroup, g.ID), "m3": gid(m[3]), "m4": gid(m[4])}, &out)
	if len(out.A.Group.Participants) != 4 || len(out.B.Group.Participants) != 5 {
		t.Fatalf("participants after each join: %d, %d", len(out.A.Group.Participants), len(out.B.Group.Participants))
	}
}

// methods of postgres.GroupService gives the same answers.
func TestGroupsReadOneByOne(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	m := seedMembers(t, a, 4)
	for i := range 3 {
		g := seedGroup(t, a, fmt.Sprintf("Question %d", i), []int64{m[i], m[(i+1)%4], m[(i+2)%4]})
		if _, err := a.db.Groups().ScheduleMeeting(staffCtx, domain.MeetingInput{
			GroupID: g.ID, Title: "R", StartsAt: time.Now().Add(time.Hour), DurationMinutes: 10,
			Agenda: []domain.AgendaItem{{Title: "a", Minutes: 10}}, ExpectedOutcome: "b",
		}); err != nil {
			t.Fatal(err)
		}
	}
	verifier, err := auth.NewVerifier(authConfig, a.db.MemberExists)
	if err != nil {
		t.Fatal(err)
	}
	// Embedding the interface hides every method it does not declare.
	resolver := &graph.Resolver{
		Members: a.db.Members(), MemberDetails: a.db.MemberDetails(), Trades: a.db.Trades(),
		TradeWrites: a.db.TradeWrites(), Links: a.db.Links(), Groups: struct{ domain.GroupService }{a.db.Groups()},
		Touchpoints: a.db.Touchpoints(), TradeShows: a.db.TradeShows(), Purchasing: a.db.Purchasing(),
	}
	gql := graph.NewHandler(resolver, graph.HandlerOptions{QueryCacheSize: 10, APQCacheSize: 10, Limits: graph.Limits{Complexity: 5000}, Logger: slog.New(slog.NewTextHandler(os.Stderr, nil))})
	plain := &api{t: t, db: a.db, handler: verifier.Middleware(resolver.Middleware(gql))}
	const q = `{
	  members { edges { node { name groups(first: 2) { totalCount edges { node { name } } pageInfo { hasNextPage } } } } }
	  groups { edges { node { name question { supporters { name } } meetings(first: 1) { totalCount edges { node { title } } } } } }
	}`
	tok := token(t, domain.RoleMember, gid(m[0]))
	batched, unbatched := a.do(tok, q, nil), plain.do(tok, q, nil)
	if len(batched.Errors) > 0 || len(unbatched.Errors) > 0 || string(batched.Data) != string(unbatched.Data) {
		t.Fatalf("batched %s %+v\nunbatched %s %+v", batched.Data, batched.Errors, unbatched.Data, unbatched.Errors)
	}
}
