package graph_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"grappe/domain"
	"grappe/globalid"
)

// trainingInput returns a valid scheduleTraining input.
func trainingInput(startsAt time.Time, capacity int) map[string]any {
	return map[string]any{
		"title": "Conditions générales de vente : un modèle pour les petites structures", "theme": "SMALL_BUSINESS_SUPPORT",
		"startsAt": startsAt.UTC().Format(time.RFC3339), "durationMinutes": 120, "capacity": capacity,
		"place": "CCI, Cergy", "description": "Un modèle de CGV commenté, clause par clause.",
	}
}

const (
	scheduleTrainingDoc = `mutation($input: ScheduleTrainingInput!) { scheduleTraining(input: $input) { clientMutationId training {
	  id title theme description startsAt durationMinutes place capacity registrationCount viewerRegistered status } } }`
	registerDoc           = `mutation($input: RegisterForTrainingInput!) { registerForTraining(input: $input) { clientMutationId training { id registrationCount viewerRegistered status } } }`
	cancelRegistrationDoc = `mutation($input: CancelRegistrationInput!) { cancelRegistration(input: $input) { clientMutationId training { registrationCount viewerRegistered } } }`
	recordAttendanceDoc   = `mutation($input: RecordTrainingAttendanceInput!) { recordTrainingAttendance(input: $input) { clientMutationId training { status attendees { id } } } }`
	cancelTrainingDoc     = `mutation($input: CancelTrainingInput!) { cancelTraining(input: $input) { clientMutationId training { status registrationCount } } }`
)

type trainingData struct {
	ID                string
	Title             string
	Theme             string
	Description       *string
	StartsAt          string
	DurationMinutes   int
	Place             *string
	Capacity          int
	RegistrationCount int
	ViewerRegistered  bool
	Status            string
	Attendees         []struct{ ID string }
}

// schedule schedules a training as staff and returns its global id.
func schedule(t *testing.T, a *api, in map[string]any) string {
	t.Helper()
	var out struct {
		ScheduleTraining struct{ Training trainingData }
	}
	a.ok(token(t, domain.RoleStaff, ""), scheduleTrainingDoc, map[string]any{"input": in}, &out)
	return out.ScheduleTraining.Training.ID
}

// TestTrainingsAPI schedules, lists, registers, records and cancels
// trainings through the API, as the animation team and its members would.
func TestTrainingsAPI(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	a.db.Now = func() time.Time { return now }
	staff, analyst := token(t, domain.RoleStaff, ""), token(t, domain.RoleAnalyst, "")
	ann, bob := a.create(map[string]any{"name": "Ann", "kind": "COMPANY"}), a.create(map[string]any{"name": "Bob", "kind": "COMPANY"})
	annTok, bobTok := token(t, domain.RoleMember, ann.ID), token(t, domain.RoleMember, bob.ID)

	// Staff schedule three trainings: one given last month, two to come.
	var scheduled struct {
		ScheduleTraining struct {
			ClientMutationID string
			Training         trainingData
		}
	}
	in := trainingInput(now.Add(14*24*time.Hour), 2)
	in["clientMutationId"] = "cgv"
	a.ok(staff, scheduleTrainingDoc, map[string]any{"input": in}, &scheduled)
	cgv := scheduled.ScheduleTraining.Training
	if scheduled.ScheduleTraining.ClientMutationID != "cgv" || cgv.Status != "SCHEDULED" || cgv.Capacity != 2 || cgv.RegistrationCount != 0 ||
		cgv.Theme != "SMALL_BUSINESS_SUPPORT" || cgv.Place == nil || *cgv.Place != "CCI, Cergy" || cgv.Description == nil || cgv.DurationMinutes != 120 {
		t.Fatalf("scheduled %+v", scheduled)
	}
	if typ, _, err := globalid.Decode("id", cgv.ID); err != nil || typ != globalid.TypeTraining {
		t.Fatalf("id %q: %s, %v", cgv.ID, typ, err)
	}
	road := schedule(t, a, map[string]any{"title": "Sécurité routière", "theme": "SMALL_BUSINESS_SUPPORT",
		"startsAt": now.Add(-30 * 24 * time.Hour).Format(time.RFC3339), "durationMinutes": 90, "capacity": 20})
	linkedin := schedule(t, a, map[string]any{"title": "LinkedIn pour les dirigeants", "theme": "COMMUNICATION",
		"startsAt": now.Add(40 * 24 * time.Hour).Format(time.RFC3339), "durationMinutes": 60, "capacity": 30, "place": "  "})

	// Every role lists them, soonest first, and reads them by id.
	type list struct {
		Trainings struct {
			TotalCount int
			Edges      []struct{ Node trainingData }
			PageInfo   struct {
				HasNextPage bool
				EndCursor   string
			}
		}
	}
	const listDoc = `query($f: TrainingFilter, $n: Int, $c: String) { trainings(filter: $f, first: $n, after: $c) {
	  totalCount edges { node { id title place viewerRegistered status } } pageInfo { hasNextPage endCursor } } }`
	ids := func(l list) []string {
		var out []string
		for _, e := range l.Trainings.Edges {
			out = append(out, e.Node.ID)
		}
		return out
	}
	for _, tok := range []string{"", annTok, analyst, staff} {
		var l list
		a.ok(tok, listDoc, nil, &l)
		if got := ids(l); !slices.Equal(got, []string{road, cgv.ID, linkedin}) || l.Trainings.TotalCount != 3 {
			t.Fatalf("trainings: %v (%d)", got, l.Trainings.TotalCount)
		}
		if l.Trainings.Edges[2].Node.Place != nil {
			t.Errorf("a blank place reads %q, want null", *l.Trainings.Edges[2].Node.Place)
		}
		var byID struct {
			Node  struct{ Title string }
			Nodes []*struct{ Title string }
		}
		a.ok(tok, `query($id: ID!, $ids: [ID!]!) { node(id: $id) { ... on Training { title } } nodes(ids: $ids) { ... on Training { title } } }`,
			map[string]any{"id": road, "ids": []string{linkedin, globalid.Encode(globalid.TypeTraining, 99999), cgv.ID}}, &byID)
		if byID.Node.Title != "Sécurité routière" || len(byID.Nodes) != 3 || byID.Nodes[0].Title != "LinkedIn pour les dirigeants" ||
			byID.Nodes[1] != nil || byID.Nodes[2].Title != cgv.Title {
			t.Fatalf("by id: %+v", byID)
		}
	}
	// Filters and pages.
	for _, c := range []struct {
		name   string
		filter map[string]any
		want   []string
	}{
		{"themes", map[string]any{"themes": []string{"COMMUNICATION"}}, []string{linkedin}},
		{"from", map[string]any{"from": now.Format(time.RFC3339)}, []string{cgv.ID, linkedin}},
		{"to", map[string]any{"to": now.Add(40 * 24 * time.Hour).Format(time.RFC3339)}, []string{road, cgv.ID}},
		{"statuses", map[string]any{"statuses": []string{"HELD"}}, nil},
		{"everything", map[string]any{"themes": []string{"SMALL_BUSINESS_SUPPORT"}, "statuses": []string{"SCHEDULED"}, "from": now.Format(time.RFC3339)}, []string{cgv.ID}},
	} {
		var l list
		a.ok("", listDoc, map[string]any{"f": c.filter}, &l)
		if got := ids(l); !slices.Equal(got, c.want) || l.Trainings.TotalCount != len(c.want) {
			t.Errorf("%s: %v (%d), want %v", c.name, got, l.Trainings.TotalCount, c.want)
		}
	}
	var page list
	a.ok(annTok, listDoc, map[string]any{"n": 2}, &page)
	if !page.Trainings.PageInfo.HasNextPage || len(page.Trainings.Edges) != 2 {
		t.Fatalf("first page %+v", page)
	}
	var rest list
	a.ok(annTok, listDoc, map[string]any{"n": 2, "c": page.Trainings.PageInfo.EndCursor}, &rest)
	if got := ids(rest); !slices.Equal(got, []string{linkedin}) || rest.Trainings.PageInfo.HasNextPage {
		t.Fatalf("second page %v", got)
	}

	// Members register themselves; the training is then full.
	var reg struct {
		RegisterForTraining struct {
			ClientMutationID string
			Training         trainingData
		}
	}
	a.ok(annTok, registerDoc, map[string]any{"input": map[string]any{"clientMutationId": "ann", "trainingId": cgv.ID, "memberId": ann.ID}}, &reg)
	if got := reg.RegisterForTraining; got.ClientMutationID != "ann" || got.Training.RegistrationCount != 1 || !got.Training.ViewerRegistered {
		t.Fatalf("ann registered: %+v", got)
	}
	a.ok(staff, registerDoc, map[string]any{"input": map[string]any{"trainingId": cgv.ID, "memberId": bob.ID}}, &reg)
	if got := reg.RegisterForTraining.Training; got.RegistrationCount != 2 || got.ViewerRegistered {
		t.Fatalf("bob registered by staff: %+v", got)
	}
	carl := a.create(map[string]any{"name": "Carl", "kind": "COMPANY"})
	resp := a.do(token(t, domain.RoleMember, carl.ID), registerDoc, map[string]any{"input": map[string]any{"trainingId": cgv.ID, "memberId": carl.ID}})
	if resp.code() != domain.CodeConflict || !isNullAt(resp.Data, "registerForTraining") {
		t.Fatalf("a full training: %s %+v", resp.Data, resp.Errors)
	}
	// Each member sees whether it is registered; analysts and staff see who.
	var mine list
	a.ok(bobTok, listDoc, map[string]any{"f": map[string]any{"from": now.Format(time.RFC3339)}}, &mine)
	if e := mine.Trainings.Edges; len(e) != 2 || !e[0].Node.ViewerRegistered || e[1].Node.ViewerRegistered {
		t.Fatalf("bob's view: %+v", e)
	}
	var who struct {
		Node struct {
			RegistrationCount int
			Registrations     struct {
				TotalCount int
				Edges      []struct{ Node struct{ Name string } }
			}
		}
	}
	a.ok(analyst, `query($id: ID!) { node(id: $id) { ... on Training { registrationCount registrations(first: 10) { totalCount edges { node { name } } } } } }`,
		map[string]any{"id": cgv.ID}, &who)
	if r := who.Node.Registrations; r.TotalCount != 2 || len(r.Edges) != 2 || r.Edges[0].Node.Name != "Ann" || r.Edges[1].Node.Name != "Bob" {
		t.Fatalf("registrations: %+v", who)
	}
	// Ann gives her seat to Carl.
	var cancelled struct {
		CancelRegistration struct{ Training trainingData }
	}
	a.ok(annTok, cancelRegistrationDoc, map[string]any{"input": map[string]any{"trainingId": cgv.ID, "memberId": ann.ID}}, &cancelled)
	if got := cancelled.CancelRegistration.Training; got.RegistrationCount != 1 || got.ViewerRegistered {
		t.Fatalf("ann cancelled: %+v", got)
	}
	a.ok(token(t, domain.RoleMember, carl.ID), registerDoc, map[string]any{"input": map[string]any{"trainingId": cgv.ID, "memberId": carl.ID}}, nil)

	// The training given last month: staff seat who came and record it.
	for _, m := range []memberData{ann, bob} {
		a.ok(staff, registerDoc, map[string]any{"input": map[string]any{"trainingId": road, "memberId": m.ID}}, nil)
	}
	resp = a.do(staff, recordAttendanceDoc, map[string]any{"input": map[string]any{"trainingId": road, "attendeeIds": []string{ann.ID, carl.ID}}})
	if resp.code() != domain.CodeBadUserInput || resp.Errors[0].Extensions["field"] != "attendeeIds" {
		t.Fatalf("an attendee not registered: %+v", resp.Errors)
	}
	var held struct {
		RecordTrainingAttendance struct {
			ClientMutationID string
			Training         trainingData
		}
	}
	a.ok(staff, recordAttendanceDoc, map[string]any{"input": map[string]any{"clientMutationId": "road", "trainingId": road, "attendeeIds": []string{ann.ID}}}, &held)
	if got := held.RecordTrainingAttendance; got.ClientMutationID != "road" || got.Training.Status != "HELD" ||
		len(got.Training.Attendees) != 1 || got.Training.Attendees[0].ID != ann.ID {
		t.Fatalf("held: %+v", got)
	}
	resp = a.do(staff, recordAttendanceDoc, map[string]any{"input": map[string]any{"trainingId": cgv.ID, "attendeeIds": []string{bob.ID}}})
	if resp.code() != domain.CodeConflict {
		t.Fatalf("attendance of a training to come: %+v", resp.Errors)
	}

	// The LinkedIn training is cancelled, once.
	var cancel struct {
		CancelTraining struct{ Training trainingData }
	}
	a.ok(staff, cancelTrainingDoc, map[string]any{"input": map[string]any{"trainingId": linkedin}}, &cancel)
	if cancel.CancelTraining.Training.Status != "CANCELLED" {
		t.Fatalf("cancelled: %+v", cancel)
	}
	for _, c := range []struct {
		name, doc string
		input     map[string]any
	}{
		{"cancelling twice", cancelTrainingDoc, map[string]any{"trainingId": linkedin}},
		{"cancelling a HELD training", cancelTrainingDoc, map[string]any{"trainingId": road}},
		{"registering for a CANCELLED training", registerDoc, map[string]any{"trainingId": linkedin, "memberId": bob.ID}},
		{"registering for a HELD training", registerDoc, map[string]any{"trainingId": road, "memberId": bob.ID}},
		{"recording a CANCELLED training", recordAttendanceDoc, map[string]any{"trainingId": linkedin, "attendeeIds": []string{bob.ID}}},
	} {
		if resp := a.do(staff, c.doc, map[string]any{"input": c.input}); resp.code() != domain.CodeConflict {
			t.Errorf("%s: %+v", c.name, resp.Errors)
		}
	}

	// The audit trail tells the story of each training.
	var trail struct {
		AuditLog struct {
			Edges []struct {
				Node struct {
					Mutation  string
					TargetIDs []string
				}
			}
		}
	}
	a.ok(staff, `query($t: [ID!]) { auditLog(first: 20, filter: {targetIds: $t}) { edges { node { mutation targetIds } } } }`,
		map[string]any{"t": []string{road}}, &trail)
	var story []string
	for _, e := range trail.AuditLog.Edges {
		story = append(story, e.Node.Mutation)
	}
	if want := []string{"recordTrainingAttendance", "registerForTraining", "registerForTraining", "scheduleTraining"}; !slices.Equal(story, want) {
		t.Fatalf("audit trail of the road safety training: %v, want %v", story, want)
	}
	if got := trail.AuditLog.Edges[0].Node.TargetIDs; len(got) != 2 || got[0] != road || got[1] != ann.ID {
		t.Fatalf("attendance targets %v", got)
	}
}

// TestTrainingPermissions checks, for every role, each field of a training
// that is not for everyone and each training mutation: allowed, or
// FORBIDDEN with no data.
func TestTrainingPermissions(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	staff := token(t, domain.RoleStaff, "")
	self := a.create(map[string]any{"name": "Self", "kind": "COMPANY"})
	other := a.create(map[string]any{"name": "Other", "kind": "COMPANY"})
	lapsed := a.create(map[string]any{"name": "Lapsed", "kind": "COMPANY", "joinedOn": "2012-01-01"})
	a.ok(staff, `mutation($id: ID!) { endMembership(input: {memberId: $id, leftOn: "2020-01-01"}) { member { status } } }`, map[string]any{"id": lapsed.ID}, nil)
	upcoming := schedule(t, a, trainingInput(time.Now().Add(72*time.Hour), 10))
	given := schedule(t, a, trainingInput(time.Now().Add(-24*time.Hour), 10))
	doomed := schedule(t, a, trainingInput(time.Now().Add(96*time.Hour), 10))
	for _, m := range []memberData{self, other} {
		a.ok(staff, registerDoc, map[string]any{"input": map[string]any{"trainingId": given, "memberId": m.ID}}, nil)
	}
	a.ok(staff, recordAttendanceDoc, map[string]any{"input": map[string]any{"trainingId": given, "attendeeIds": []string{self.ID}}}, nil)
	recorded := schedule(t, a, trainingInput(time.Now().Add(-48*time.Hour), 10))
	a.ok(staff, registerDoc, map[string]any{"input": map[string]any{"trainingId": recorded, "memberId": other.ID}}, nil)

	roles := []struct {
		name string
		tok  string
	}{
		{"PUBLIC", ""},
		{"MEMBER self", token(t, domain.RoleMember, self.ID)},
		{"MEMBER other", token(t, domain.RoleMember, other.ID)},
		{"MEMBER lapsed", token(t, domain.RoleMember, lapsed.ID)},
		{"ANALYST", token(t, domain.RoleAnalyst, "")},
		{"STAFF", staff},
	}
	everyone := []int{0, 1, 2, 3, 4, 5}
	cases := []struct {
		name    string
		query   string
		vars    map[string]any
		allowed []int
		path    string // null when refused
	}{
		{"list trainings", `{ trainings { totalCount edges { node { title theme startsAt durationMinutes place capacity registrationCount viewerRegistered status } } } }`, nil, everyone, ""},
		{"read a training by id", `query($id: ID!) { node(id: $id) { ... on Training { id title registrationCount viewerRegistered status } } }`, map[string]any{"id": given}, everyone, ""},
		{"read registrations", `query($id: ID!) { node(id: $id) { ... on Training { registrations { totalCount edges { node { name } } } } } }`,
			map[string]any{"id": given}, []int{4, 5}, "node"},
		{"read attendees", `query($id: ID!) { node(id: $id) { ... on Training { attendees { name } } } }`, map[string]any{"id": given}, []int{4, 5}, "node"},
		{"read registrations in a list", `{ trainings { edges { node { registrations(first: 1) { edges { node { name } } } } } } }`, nil, []int{4, 5}, "trainings"},
		{"scheduleTraining", scheduleTrainingDoc, map[string]any{"input": trainingInput(time.Now().Add(240*time.Hour), 5)}, []int{5}, "scheduleTraining"},
		{"registerForTraining as self", registerDoc, map[string]any{"input": map[string]any{"trainingId": upcoming, "memberId": self.ID}}, []int{1, 5}, "registerForTraining"},
		{"registerForTraining the lapsed member", registerDoc, map[string]any{"input": map[string]any{"trainingId": upcoming, "memberId": lapsed.ID}}, nil, "registerForTraining"},
		{"cancelRegistration as self", cancelRegistrationDoc, map[string]any{"input": map[string]any{"trainingId": upcoming, "memberId": self.ID}}, []int{1, 5}, "cancelRegistration"},
		{"recordTrainingAttendance", recordAttendanceDoc, map[string]any{"input": map[string]any{"trainingId": recorded, "attendeeIds": []string{other.ID}}}, []int{5}, "recordTrainingAttendance"},
		{"cancelTraining", cancelTrainingDoc, map[string]any{"input": map[string]any{"trainingId": doomed}}, []int{5}, "cancelTraining"},
	}
	for _, c := range cases {
		for i, role := range roles {
			allowed := slices.Contains(c.allowed, i)
			resp := a.do(role.tok, c.query, c.vars)
			if resp.Status != http.StatusOK {
				t.Errorf("%s as %s: status %d", c.name, role.name, resp.Status)
			}
			code := resp.code()
			switch {
			case allowed && code != "":
				t.Errorf("%s as %s: refused, want allowed: %+v", c.name, role.name, resp.Errors)
			case !allowed && code != domain.CodeForbidden && !(c.name == "registerForTraining the lapsed member" && role.name == "STAFF" && code == domain.CodeConflict):
				t.Errorf("%s as %s: %q (%s), want FORBIDDEN", c.name, role.name, code, resp.Data)
			case !allowed && c.path != "" && !isNullAt(resp.Data, c.path):
				t.Errorf("%s as %s: refused but %s is not null: %s", c.name, role.name, c.path, resp.Data)
			}
		}
	}
	// What a member sees of a training: its own registration only.
	var mine struct {
		Node struct {
			ViewerRegistered  bool
			RegistrationCount int
		}
	}
	a.ok(roles[1].tok, `query($id: ID!) { node(id: $id) { ... on Training { viewerRegistered registrationCount } } }`, map[string]any{"id": given}, &mine)
	if !mine.Node.ViewerRegistered || mine.Node.RegistrationCount != 2 {
		t.Errorf("self's view of the training it attended: %+v", mine)
	}
	a.ok(roles[5].tok, `query($id: ID!) { node(id: $id) { ... on Training { viewerRegistered } } }`, map[string]any{"id": given}, &mine)
	if mine.Node.ViewerRegistered {
		t.Error("staff registered")
	}
}

// TestConcurrentRegistrationsThroughTheAPI: 20 members register at once
// for 5 seats through the API; exactly 5 succeed, the others get CONFLICT
// (no other error, no database text), and 5 seats are taken.
func TestConcurrentRegistrationsThroughTheAPI(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	const members, seats = 20, 5
	training := schedule(t, a, trainingInput(time.Now().Add(72*time.Hour), seats))
	toks, ids := make([]string, members), make([]string, members)
	for i := range members {
		m := a.create(map[string]any{"name": fmt.Sprintf("Membre %02d", i), "kind": "COMPANY"})
		toks[i], ids[i] = token(t, domain.RoleMember, m.ID), m.ID
	}
	start := make(chan struct{})
	resps := make([]*response, members)
	var wg sync.WaitGroup
	for i := range members {
		wg.Go(func() {
			<-start
			resps[i] = a.do(toks[i], registerDoc, map[string]any{"input": map[string]any{"trainingId": training, "memberId": ids[i]}})
		})
	}
	close(start)
	wg.Wait()
	ok, full := 0, 0
	for i, r := range resps {
		switch r.code() {
		case "":
			ok++
		case domain.CodeConflict:
			full++
			if databaseText.MatchString(r.Errors[0].Message) {
				t.Errorf("registration %d: database text in %q", i, r.Errors[0].Message)
			}
		default:
			t.Errorf("registration %d: %+v", i, r.Errors)
		}
	}
	if ok != seats || full != members-seats {
		t.Fatalf("%d registered, %d CONFLICT; want %d and %d", ok, full, seats, members-seats)
	}
	var read struct {
		Node struct {
			RegistrationCount int
			Registrations     struct{ TotalCount int }
		}
	}
	a.ok(token(t, domain.RoleAnalyst, ""), `query($id: ID!) { node(id: $id) { ... on Training { registrationCount registrations { totalCount } } } }`,
		map[string]any{"id": training}, &read)
	if read.Node.RegistrationCount != seats || read.Node.Registrations.TotalCount != seats || rowCount(t, a, "training_registrations") != seats {
		t.Fatalf("after the race: %+v, %d rows", read, rowCount(t, a, "training_registrations"))
	}
}

// TestTrainingAttendedChangesEngagement: recording a member's attendance
// raises its engagement score as a meeting attended would, and makes it
// its last activity.
func TestTrainingAttendedChangesEngagement(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	staff := token(t, domain.RoleStaff, "")
	m := a.create(map[string]any{"name": "Assidu", "kind": "COMPANY", "joinedOn": "2015-03-01"})
	type eng struct {
		Score, MeetingsAttended, TrainingsAttended int
		LastActivityAt                             *string
		AtRisk                                     bool
	}
	read := func() eng {
		var out struct{ Member struct{ Engagement eng } }
		a.ok(token(t, domain.RoleMember, m.ID), `query($id: ID!) { member(id: $id) { engagement { score meetingsAttended trainingsAttended lastActivityAt atRisk } } }`,
			map[string]any{"id": m.ID}, &out)
		return out.Member.Engagement
	}
	if before := read(); before.Score != 0 || before.TrainingsAttended != 0 || !before.AtRisk {
		t.Fatalf("before: %+v", before)
	}
	starts := time.Now().UTC().Add(-3 * time.Hour).Truncate(time.Second)
	training := schedule(t, a, trainingInput(starts, 10))
	a.ok(staff, registerDoc, map[string]any{"input": map[string]any{"trainingId": training, "memberId": m.ID}}, nil)
	if registered := read(); registered.Score != 0 || registered.TrainingsAttended != 0 {
		t.Fatalf("registered only: %+v", registered)
	}
	a.ok(staff, recordAttendanceDoc, map[string]any{"input": map[string]any{"trainingId": training, "attendeeIds": []string{m.ID}}}, nil)
	after := read()
	if after.Score != 10 || after.TrainingsAttended != 1 || after.MeetingsAttended != 0 || after.AtRisk || after.LastActivityAt == nil {
		t.Fatalf("after: %+v", after)
	}
	if at, err := time.Parse(time.RFC3339Nano, *after.LastActivityAt); err != nil || !at.Equal(starts) {
		t.Fatalf("last activity %v, want %v", *after.LastActivityAt, starts)
	}
	// The dashboard counts it too.
	var dash struct {
		Dashboard struct {
			Engagement struct{ Distribution []struct{ From, Count int } }
		}
	}
	a.ok(staff, `{ dashboard { engagement { distribution { from count } } } }`, nil, &dash)
	if d := dash.Dashboard.Engagement.Distribution; len(d) != 10 || d[1].Count != 1 {
		b, _ := json.Marshal(d)
		t.Fatalf("distribution %s", b)
	}
}
