package domain

import (
	"testing"
	"time"
)

func TestTrainingPolicy(t *testing.T) {
	staff := Viewer{Role: RoleStaff}
	analyst := Viewer{Role: RoleAnalyst}
	member := Viewer{Role: RoleMember, MemberID: 7}
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	at := func(status TrainingStatus, startsIn time.Duration, taken int) *Training {
		return &Training{Status: status, StartsAt: now.Add(startsIn), Capacity: 3, RegistrationCount: taken}
	}
	for _, c := range []struct {
		name string
		err  error
		code string
	}{
		{"staff manage trainings", CanManageTrainings(staff), ""},
		{"analysts manage no training", CanManageTrainings(analyst), CodeForbidden},
		{"members manage no training", CanManageTrainings(member), CodeForbidden},
		{"anonymous callers manage no training", CanManageTrainings(Anonymous), CodeForbidden},
		{"a member registers itself", CanRegisterAs(member, 7), ""},
		{"a member registers nobody else", CanRegisterAs(member, 8), CodeForbidden},
		{"staff register anyone", CanRegisterAs(staff, 8), ""},
		{"analysts register nobody", CanRegisterAs(analyst, 8), CodeForbidden},
		{"anonymous callers register nobody", CanRegisterAs(Anonymous, 0), CodeForbidden},
		{"registrations open before the start", CanChangeRegistrations(member, at(TrainingScheduled, time.Hour, 0), now), ""},
		{"registrations close at the start for members", CanChangeRegistrations(member, at(TrainingScheduled, 0, 0), now), CodeConflict},
		{"staff seat latecomers", CanChangeRegistrations(staff, at(TrainingScheduled, -time.Hour, 0), now), ""},
		{"no registration once HELD", CanChangeRegistrations(staff, at(TrainingHeld, -time.Hour, 0), now), CodeConflict},
		{"no registration once CANCELLED", CanChangeRegistrations(staff, at(TrainingCancelled, time.Hour, 0), now), CodeConflict},
		{"a seat left", HasSeat(at(TrainingScheduled, time.Hour, 2)), ""},
		{"full", HasSeat(at(TrainingScheduled, time.Hour, 3)), CodeConflict},
		{"attendance once started", CanRecordAttendance(at(TrainingScheduled, 0, 1), now), ""},
		{"no attendance before the start", CanRecordAttendance(at(TrainingScheduled, time.Second, 1), now), CodeConflict},
		{"attendance recorded once", CanRecordAttendance(at(TrainingHeld, -time.Hour, 1), now), CodeConflict},
		{"cancel a SCHEDULED training", CanCancelTraining(at(TrainingScheduled, time.Hour, 1)), ""},
		{"cancel twice", CanCancelTraining(at(TrainingCancelled, time.Hour, 1)), CodeConflict},
		{"cancel a HELD training", CanCancelTraining(at(TrainingHeld, -time.Hour, 1)), CodeConflict},
	} {
		if got := ErrorCode(c.err); got != c.code {
			t.Errorf("%s: %v, want %q", c.name, c.err, c.code)
		}
	}
}

func TestReadTraining(t *testing.T) {
	for _, c := range []struct {
		v        Viewer
		withhold bool
	}{
		{Anonymous, true}, {Viewer{Role: RoleMember, MemberID: 7}, true}, {Viewer{Role: RoleAnalyst}, false}, {Viewer{Role: RoleStaff}, false},
	} {
		tr := ReadTraining(c.v, &Training{ID: 1, Title: "CGV", AttendeeIDs: []int64{7, 8}, RegistrationCount: 2})
		if tr == nil || tr.Title != "CGV" || tr.RegistrationCount != 2 {
			t.Fatalf("%s: %+v", c.v.Role, tr)
		}
		for _, f := range []string{"registrations", "attendees"} {
			if tr.Withholds(f) != c.withhold || WithheldFromAll(c.v, "Training", f) != c.withhold {
				t.Errorf("%s: %s withheld %v, want %v", c.v.Role, f, tr.Withholds(f), c.withhold)
			}
		}
		if tr.Withholds("title") || WithheldFromAll(c.v, "Training", "title") {
			t.Errorf("%s: title withheld", c.v.Role)
		}
		if c.withhold != (len(tr.AttendeeIDs) == 0) {
			t.Errorf("%s: attendees %v", c.v.Role, tr.AttendeeIDs)
		}
	}
}

func TestValidateTrainingAttendees(t *testing.T) {
	ids, err := ValidateTrainingAttendees([]int64{9, 3, 9})
	if err != nil || len(ids) != 2 || ids[0] != 3 || ids[1] != 9 {
		t.Fatalf("%v, %v", ids, err)
	}
	if _, err := ValidateTrainingAttendees(nil); ErrorCode(err) != CodeBadUserInput {
		t.Fatalf("none: %v", err)
	}
}
