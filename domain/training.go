package domain

import (
	"context"
	"time"
)

// TrainingStatus says where a training stands.
type TrainingStatus string

// Training statuses.
const (
	TrainingScheduled TrainingStatus = "SCHEDULED"
	TrainingHeld      TrainingStatus = "HELD"
	TrainingCancelled TrainingStatus = "CANCELLED"
)

// Valid reports whether s is a known training status.
func (s TrainingStatus) Valid() bool {
	switch s {
	case TrainingScheduled, TrainingHeld, TrainingCancelled:
		return true
	}
	return false
}

// Training is an information session (a "formation") the animation team
// organises on a small business's questions: general terms of sale, road
// safety, HR and remote work, factoring. Members register for its seats;
// once it is held, staff record who attended.
type Training struct {
	ID              int64
	Title           string
	Theme           Theme
	Description     string
	StartsAt        time.Time
	DurationMinutes int
	Place           string
	Capacity        int
	// RegistrationCount is how many seats are taken.
	RegistrationCount int
	Status            TrainingStatus
	// ViewerRegistered reports whether the viewer's member is registered;
	// false unless the viewer is a MEMBER.
	ViewerRegistered bool
	// AttendeeIDs are the members who attended, ascending; empty until
	// HELD, and for viewers from whom the attendees are withheld.
	AttendeeIDs []int64
	// Redaction marks the fields withheld from the viewer.
	Redaction
}

// TrainingRegistration is a member's seat at a training.
type TrainingRegistration struct {
	TrainingID   int64
	MemberID     int64
	RegisteredAt time.Time
	Attended     bool
}

// TrainingFilter narrows a training listing: every set criterion must
// hold. From and To bound the start: at or after From, before To.
type TrainingFilter struct {
	Themes   []Theme
	From     *time.Time
	To       *time.Time
	Statuses []TrainingStatus
}

// TrainingInput schedules a training.
type TrainingInput struct {
	Title           string
	Theme           Theme
	Description     string
	StartsAt        time.Time
	DurationMinutes int
	Place           string
	Capacity        int
}

// TrainingService reads and writes trainings and their registrations.
// Every role reads trainings; their registrations and attendees are for
// analysts and staff. Staff schedule, record and cancel trainings; a
// member registers itself (staff anyone).
type TrainingService interface {
	// TrainingsByIDs returns the trainings among ids, by id.
	TrainingsByIDs(ctx context.Context, ids []int64) (map[int64]*Training, error)
	// Trainings returns one page of trainings matching filter, soonest
	// first. Returns BAD_USER_INPUT for a bad page request or filter.
	Trainings(ctx context.Context, filter TrainingFilter, page PageRequest) (*Page[*Training], error)
	// CountTrainings counts them.
	CountTrainings(ctx context.Context, filter TrainingFilter) (int, error)
	// RegistrationsOfTrainings returns one page of each training's
	// registered members, in order of registration, in one statement.
	// Returns FORBIDDEN unless the viewer is an analyst or staff.
	RegistrationsOfTrainings(ctx context.Context, trainingIDs []int64, page PageRequest) (map[int64]*Page[*Member], error)
	// CountRegistrationsOfTrainings counts each training's registrations.
	// Returns FORBIDDEN unless the viewer is an analyst or staff.
	CountRegistrationsOfTrainings(ctx context.Context, trainingIDs []int64) (map[int64]int, error)

	// ScheduleTraining adds a SCHEDULED training. Staff only.
	ScheduleTraining(ctx context.Context, in TrainingInput) (*Training, error)
	// RegisterForTraining gives memberID a seat at a SCHEDULED training
	// that has one left: the member itself or staff.
	RegisterForTraining(ctx context.Context, trainingID, memberID int64) (*Training, error)
	// CancelRegistration frees memberID's seat at a SCHEDULED training:
	// the member itself or staff.
	CancelRegistration(ctx context.Context, trainingID, memberID int64) (*Training, error)
	// RecordTrainingAttendance records which registered members attended
	// a training that has started, and marks it HELD. Staff only.
	RecordTrainingAttendance(ctx context.Context, trainingID int64, attendeeIDs []int64) (*Training, error)
	// CancelTraining cancels a SCHEDULED training. Staff only.
	CancelTraining(ctx context.Context, trainingID int64) (*Training, error)
}
