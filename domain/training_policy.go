package domain

import "time"

// This file holds who may write trainings and registrations, and the state
// rules they follow. The training service calls them before changing
// anything; the read policy of trainings is in visibility.go.

// CanManageTrainings returns FORBIDDEN unless v is staff: the animation
// team schedules trainings, records their attendance and cancels them.
func CanManageTrainings(v Viewer) error {
	if v.Role != RoleStaff {
		return Errorf(CodeForbidden, "only staff can schedule, record or cancel trainings")
	}
	return nil
}

// CanRegisterAs returns FORBIDDEN unless v is staff or the MEMBER speaking
// for memberID: a member registers, and cancels its registration, only as
// itself. Analysts and anonymous callers write nothing.
func CanRegisterAs(v Viewer, memberID int64) error {
	switch {
	case v.Role == RoleStaff:
		return nil
	case v.Role != RoleMember:
		return Errorf(CodeForbidden, "only members and staff can register for trainings")
	case v.MemberID != memberID:
		return Errorf(CodeForbidden, "a member can only register, or cancel a registration, as itself")
	}
	return nil
}

// CanChangeRegistrations returns CONFLICT unless registrations of t may
// change now: t is SCHEDULED and, for a member, has not started yet
// (staff may still seat a latecomer until the attendance is recorded).
func CanChangeRegistrations(v Viewer, t *Training, now time.Time) error {
	if t.Status != TrainingScheduled {
		return Errorf(CodeConflict, "the training is %s: its registrations are closed", t.Status)
	}
	if v.Role != RoleStaff && !now.Before(t.StartsAt) {
		return Errorf(CodeConflict, "the training has started: its registrations are closed")
	}
	return nil
}

// HasSeat returns CONFLICT when every seat of t is taken.
func HasSeat(t *Training) error {
	if t.RegistrationCount >= t.Capacity {
		return Errorf(CodeConflict, "the training is full (%d seats)", t.Capacity)
	}
	return nil
}

// CanRecordAttendance returns CONFLICT unless t is SCHEDULED and has
// started: attendance is recorded once, after the fact.
func CanRecordAttendance(t *Training, now time.Time) error {
	if t.Status != TrainingScheduled {
		return Errorf(CodeConflict, "the training is %s, not SCHEDULED", t.Status)
	}
	if now.Before(t.StartsAt) {
		return Errorf(CodeConflict, "the training has not started yet")
	}
	return nil
}

// CanCancelTraining returns CONFLICT unless t is SCHEDULED: a training
// held or already cancelled cannot be cancelled.
func CanCancelTraining(t *Training) error {
	if t.Status != TrainingScheduled {
		return Errorf(CodeConflict, "the training is %s, not SCHEDULED", t.Status)
	}
	return nil
}
