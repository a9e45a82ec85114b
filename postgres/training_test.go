package postgres_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"grappe/domain"
	"grappe/postgres"
	"grappe/postgres/pgtest"
)

// trainingNow is the clock of the training tests.
var trainingNow = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

// scheduleTraining schedules a training starting at startsAt with capacity
// seats, as staff.
func scheduleTraining(t *testing.T, db *postgres.DB, startsAt time.Time, capacity int) *domain.Training {
	t.Helper()
	tr, err := db.Trainings().ScheduleTraining(staff, domain.TrainingInput{
		Title: "Conditions générales de vente", Theme: domain.ThemeSmallBusinessSupport, StartsAt: startsAt,
		DurationMinutes: 120, Place: "Cergy", Capacity: capacity,
	})
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// codeOfErr returns the domain code of err, "" for nil.
func codeOfErr(err error) string { return domain.ErrorCode(err) }

// TestConcurrentRegistrationsNeverExceedCapacity: 20 members register at
// once for 5 seats; exactly 5 succeed, the 15 others get CONFLICT, and the
// seats taken are the rows registered.
func TestConcurrentRegistrationsNeverExceedCapacity(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	db.Now = func() time.Time { return trainingNow }
	const members, seats = 20, 5
	m := memberIDs(t, db, members)
	tr := scheduleTraining(t, db, trainingNow.Add(72*time.Hour), seats)
	svc := db.Trainings()
	for round, viewer := range []func(id int64) context.Context{as, func(int64) context.Context { return staff }} {
		if round == 1 { // the same race run by staff, on a fresh training
			tr = scheduleTraining(t, db, trainingNow.Add(96*time.Hour), seats)
		}
		start := make(chan struct{})
		errs := make([]error, members)
		var wg sync.WaitGroup
		for i := range members {
			wg.Go(func() {
				<-start
				_, errs[i] = svc.RegisterForTraining(viewer(m[i]), tr.ID, m[i])
			})
		}
		close(start)
		wg.Wait()
		ok, full := 0, 0
		for i, err := range errs {
			switch codeOfErr(err) {
			case "":
				ok++
			case domain.CodeConflict:
				full++
			default:
				t.Errorf("round %d, registration %d: %v", round, i, err)
			}
		}
		if ok != seats || full != members-seats {
			t.Fatalf("round %d: %d registered, %d CONFLICT; want %d and %d", round, ok, full, seats, members-seats)
		}
		if n := count(t, db, "training_registrations", "training_id = ?", tr.ID); n != seats {
			t.Fatalf("round %d: %d registrations stored", round, n)
		}
		if n := count(t, db, "trainings", "id = ? AND registration_count = ?", tr.ID, seats); n != 1 {
			t.Fatalf("round %d: registration_count is not %d", round, seats)
		}
	}
}

// TestTrainingStateRules walks a training through its states and checks
// every refusal: seats, statuses, start time, attendance, cancellations.
func TestTrainingStateRules(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	now := trainingNow
	db.Now = func() time.Time { return now }
	m := memberIDs(t, db, 5)
	svc := db.Trainings()
	check := func(what string, err error, code, field string) {
		t.Helper()
		if codeOfErr(err) != code {
			t.Fatalf("%s: %v, want %q", what, err, code)
		}
		var de *domain.Error
		if field != "" && (!errorAs(err, &de) || de.Field != field) {
			t.Fatalf("%s: %v, want field %q", what, err, field)
		}
	}

	tr := scheduleTraining(t, db, now.Add(48*time.Hour), 2)
	if tr.Status != domain.TrainingScheduled || tr.RegistrationCount != 0 || tr.Capacity != 2 {
		t.Fatalf("scheduled %+v", tr)
	}
	got, err := svc.RegisterForTraining(as(m[0]), tr.ID, m[0])
	if err != nil || got.RegistrationCount != 1 || !got.ViewerRegistered {
		t.Fatalf("register: %+v, %v", got, err)
	}
	// Registering twice takes no second seat.
	if got, err = svc.RegisterForTraining(as(m[0]), tr.ID, m[0]); err != nil || got.RegistrationCount != 1 {
		t.Fatalf("register twice: %+v, %v", got, err)
	}
	if _, err = svc.RegisterForTraining(staff, tr.ID, m[1]); err != nil {
		t.Fatal(err)
	}
	_, err = svc.RegisterForTraining(as(m[2]), tr.ID, m[2])
	check("full", err, domain.CodeConflict, "")
	// A cancelled registration frees its seat; cancelling it again changes nothing.
	if got, err = svc.CancelRegistration(as(m[1]), tr.ID, m[1]); err != nil || got.RegistrationCount != 1 || got.ViewerRegistered {
		t.Fatalf("cancel registration: %+v, %v", got, err)
	}
	if got, err = svc.CancelRegistration(as(m[1]), tr.ID, m[1]); err != nil || got.RegistrationCount != 1 {
		t.Fatalf("cancel registration twice: %+v, %v", got, err)
	}
	if _, err = svc.RegisterForTraining(as(m[2]), tr.ID, m[2]); err != nil {
		t.Fatalf("the freed seat: %v", err)
	}

	// Who may do what.
	_, err = svc.RegisterForTraining(as(m[3]), tr.ID, m[4])
	check("a member registering another", err, domain.CodeForbidden, "")
	analyst := domain.WithViewer(context.Background(), domain.Viewer{Role: domain.RoleAnalyst})
	_, err = svc.RegisterForTraining(analyst, tr.ID, m[4])
	check("an analyst registering", err, domain.CodeForbidden, "")
	_, err = svc.RegisterForTraining(context.Background(), tr.ID, m[4])
	check("anonymous registering", err, domain.CodeForbidden, "")
	_, err = svc.CancelTraining(as(m[0]), tr.ID)
	check("a member cancelling a training", err, domain.CodeForbidden, "")
	_, err = svc.ScheduleTraining(analyst, domain.TrainingInput{Title: "x", Theme: domain.ThemeOther, StartsAt: now, DurationMinutes: 60, Capacity: 5})
	check("an analyst scheduling", err, domain.CodeForbidden, "")
	_, err = svc.RecordTrainingAttendance(as(m[0]), tr.ID, []int64{m[0]})
	check("a member recording attendance", err, domain.CodeForbidden, "")
	_, err = svc.RegisterForTraining(staff, tr.ID+1000, m[4])
	check("an unknown training", err, domain.CodeNotFound, "trainingId")
	_, err = svc.RegisterForTraining(staff, tr.ID, m[4]+1000)
	check("an unknown member", err, domain.CodeNotFound, "memberId")
	// Registrants are read by analysts and staff only.
	if _, err = svc.RegistrationsOfTrainings(as(m[0]), []int64{tr.ID}, domain.PageRequest{}); codeOfErr(err) != domain.CodeForbidden {
		t.Fatalf("a member reading registrations: %v", err)
	}
	if read, err := svc.TrainingsByIDs(as(m[0]), []int64{tr.ID}); err != nil || read[tr.ID] == nil ||
		!read[tr.ID].Withholds("registrations") || !read[tr.ID].Withholds("attendees") {
		t.Fatalf("a member reading the training: %+v, %v", read, err)
	}

	// Attendance: only once the training started, only of registered members.
	_, err = svc.RecordTrainingAttendance(staff, tr.ID, []int64{m[0]})
	check("attendance before the start", err, domain.CodeConflict, "")
	now = now.Add(49 * time.Hour) // the training has started
	_, err = svc.RegisterForTraining(as(m[3]), tr.ID, m[3])
	check("a member registering once started", err, domain.CodeConflict, "")
	_, err = svc.CancelRegistration(as(m[2]), tr.ID, m[2])
	check("a member cancelling once started", err, domain.CodeConflict, "")
	_, err = svc.RecordTrainingAttendance(staff, tr.ID, []int64{m[0], m[3]})
	check("an attendee not registered", err, domain.CodeBadUserInput, "attendeeIds")
	_, err = svc.RecordTrainingAttendance(staff, tr.ID, nil)
	check("no attendee", err, domain.CodeBadUserInput, "attendeeIds")
	if n := count(t, db, "training_registrations", "training_id = ? AND attended", tr.ID); n != 0 {
		t.Fatalf("a refused attendance marked %d attendees", n)
	}
	// Staff may still seat a latecomer, who then attends.
	if _, err = svc.RegisterForTraining(staff, tr.ID, m[3]); codeOfErr(err) != domain.CodeConflict {
		t.Fatalf("a latecomer on a full training: %v", err)
	}
	if _, err = svc.CancelRegistration(staff, tr.ID, m[2]); err != nil {
		t.Fatal(err)
	}
	if _, err = svc.RegisterForTraining(staff, tr.ID, m[3]); err != nil {
		t.Fatalf("staff seating a latecomer: %v", err)
	}
	held, err := svc.RecordTrainingAttendance(staff, tr.ID, []int64{m[3], m[0], m[3]})
	if err != nil || held.Status != domain.TrainingHeld || !slices.Equal(held.AttendeeIDs, []int64{m[0], m[3]}) {
		t.Fatalf("held: %+v, %v", held, err)
	}
	_, err = svc.RecordTrainingAttendance(staff, tr.ID, []int64{m[0]})
	check("recording twice", err, domain.CodeConflict, "")
	_, err = svc.RegisterForTraining(staff, tr.ID, m[4])
	check("registering for a HELD training", err, domain.CodeConflict, "")
	_, err = svc.CancelRegistration(staff, tr.ID, m[0])
	check("cancelling a registration to a HELD training", err, domain.CodeConflict, "")
	_, err = svc.CancelTraining(staff, tr.ID)
	check("cancelling a HELD training", err, domain.CodeConflict, "")

	// A cancelled training takes no registration and cannot be cancelled again.
	other := scheduleTraining(t, db, now.Add(24*time.Hour), 10)
	if _, err = svc.RegisterForTraining(as(m[1]), other.ID, m[1]); err != nil {
		t.Fatal(err)
	}
	cancelled, err := svc.CancelTraining(staff, other.ID)
	if err != nil || cancelled.Status != domain.TrainingCancelled || cancelled.RegistrationCount != 1 {
		t.Fatalf("cancelled: %+v, %v", cancelled, err)
	}
	_, err = svc.CancelTraining(staff, other.ID)
	check("cancelling twice", err, domain.CodeConflict, "")
	_, err = svc.RegisterForTraining(as(m[2]), other.ID, m[2])
	check("registering for a CANCELLED training", err, domain.CodeConflict, "")
	_, err = svc.RecordTrainingAttendance(staff, other.ID, []int64{m[1]})
	check("attendance of a CANCELLED training", err, domain.CodeConflict, "")

	// A member who left the cluster neither registers itself nor is registered.
	lapsed := m[4]
	if _, err := db.MemberDetails().EndMembership(staff, lapsed, nil); err != nil {
		t.Fatal(err)
	}
	third := scheduleTraining(t, db, now.Add(24*time.Hour), 10)
	_, err = svc.RegisterForTraining(as(lapsed), third.ID, lapsed)
	check("a lapsed member registering", err, domain.CodeForbidden, "")
	_, err = svc.RegisterForTraining(staff, third.ID, lapsed)
	check("staff registering a lapsed member", err, domain.CodeConflict, "")

	// Every successful write is in the audit trail, none of the refused ones.
	var mutations []string
	if err := db.Bun().NewRaw(`SELECT mutation FROM audit_log WHERE target_type = 'Training' ORDER BY id`).Scan(context.Background(), &mutations); err != nil {
		t.Fatal(err)
	}
	want := []string{"scheduleTraining", "registerForTraining", "registerForTraining", "registerForTraining", "cancelRegistration",
		"cancelRegistration", "registerForTraining", "cancelRegistration", "registerForTraining", "recordTrainingAttendance",
		"scheduleTraining", "registerForTraining", "cancelTraining", "scheduleTraining"}
	if !slices.Equal(mutations, want) {
		t.Fatalf("audit trail %v, want %v", mutations, want)
	}
}

// TestTrainingValidation: a training needs a title, a theme, a start, a
// duration and a capacity, within bounds.
func TestTrainingValidation(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	base := domain.TrainingInput{Title: "Sécurité routière", Theme: domain.ThemeSmallBusinessSupport, StartsAt: trainingNow, DurationMinutes: 90, Capacity: 15}
	for _, c := range []struct {
		field  string
		change func(*domain.TrainingInput)
	}{
		{"title", func(in *domain.TrainingInput) { in.Title = "   " }},
		{"theme", func(in *domain.TrainingInput) { in.Theme = "CRAFTS" }},
		{"startsAt", func(in *domain.TrainingInput) { in.StartsAt = time.Time{} }},
		{"durationMinutes", func(in *domain.TrainingInput) { in.DurationMinutes = 0 }},
		{"durationMinutes", func(in *domain.TrainingInput) { in.DurationMinutes = domain.MaxTrainingMinutes + 1 }},
		{"capacity", func(in *domain.TrainingInput) { in.Capacity = 0 }},
		{"capacity", func(in *domain.TrainingInput) { in.Capacity = domain.MaxTrainingCapacity + 1 }},
		{"place", func(in *domain.TrainingInput) { in.Place = "a\x00b" }},
		{"description", func(in *domain.TrainingInput) { in.Description = string(make([]byte, 6000)) }},
	} {
		in := base
		c.change(&in)
		_, err := db.Trainings().ScheduleTraining(staff, in)
		var de *domain.Error
		if !errorAs(err, &de) || de.Code != domain.CodeBadUserInput || de.Field != c.field {
			t.Errorf("%s: %v", c.field, err)
		}
	}
	if n := count(t, db, "trainings", "true"); n != 0 {
		t.Errorf("%d trainings stored", n)
	}
	if _, err := db.Trainings().Trainings(staff, domain.TrainingFilter{From: &trainingNow, To: &base.StartsAt}, domain.PageRequest{}); err != nil {
		t.Errorf("from = to: %v", err)
	}
	before := trainingNow.Add(-time.Hour)
	_, err := db.Trainings().Trainings(staff, domain.TrainingFilter{From: &trainingNow, To: &before}, domain.PageRequest{})
	var de *domain.Error
	if !errorAs(err, &de) || de.Field != "filter.to" {
		t.Errorf("to before from: %v", err)
	}
}

// TestTrainingAttendanceCountsInEngagement: a training attended counts in
// the engagement score like a meeting attended, and as an activity.
func TestTrainingAttendanceCountsInEngagement(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	now := trainingNow
	db.Now = func() time.Time { return now }
	m := memberIDs(t, db, 2)
	svc := db.Trainings()
	engagement := func(id int64) *domain.Engagement {
		t.Helper()
		e, err := db.MemberDetails().Engagements(staff, []int64{id})
		if err != nil || e[id] == nil {
			t.Fatalf("engagement of %d: %v, %v", id, e, err)
		}
		return e[id]
	}
	before := engagement(m[0])
	if before.TrainingsAttended != 0 || before.Score != 0 || before.LastActivityAt != nil {
		t.Fatalf("before: %+v", before)
	}
	starts := now.Add(-30 * 24 * time.Hour)
	for range 5 {
		tr := scheduleTraining(t, db, starts, 10)
		for _, id := range m {
			if _, err := svc.RegisterForTraining(staff, tr.ID, id); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := svc.RecordTrainingAttendance(staff, tr.ID, []int64{m[0]}); err != nil {
			t.Fatal(err)
		}
	}
	// A training more than a year ago counts as the last activity only if
	// nothing came after, and not in the score.
	old := scheduleTraining(t, db, now.AddDate(-2, 0, 0), 10)
	if _, err := svc.RegisterForTraining(staff, old.ID, m[1]); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.RecordTrainingAttendance(staff, old.ID, []int64{m[1]}); err != nil {
		t.Fatal(err)
	}
	// 5 trainings attended: 10 points each, at most 40 with the meetings.
	after := engagement(m[0])
	if after.TrainingsAttended != 5 || after.MeetingsAttended != 0 || after.Score != 40 ||
		after.LastActivityAt == nil || !after.LastActivityAt.Equal(starts) || after.AtRisk {
		t.Fatalf("after: %+v", after)
	}
	if want := domain.EngagementScore(after.MeetingsAttended+after.TrainingsAttended, 0, 0, 0); after.Score != want {
		t.Fatalf("score %d, the formula gives %d", after.Score, want)
	}
	// Registered but absent: nothing counts.
	other := engagement(m[1])
	if other.TrainingsAttended != 0 || other.Score != 0 || other.LastActivityAt == nil || !other.LastActivityAt.Equal(old.StartsAt) {
		t.Fatalf("registered, attended only two years ago: %+v", other)
	}
	// The dashboard's engagement sees the same scores.
	analyst := domain.WithViewer(context.Background(), domain.Viewer{Role: domain.RoleAnalyst})
	stats, err := db.Dashboards().EngagementStats(analyst, domain.DashboardFilter{}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Distribution[4].Count != 1 { // 40 to 49
		t.Fatalf("distribution %+v", stats.Distribution)
	}
}
