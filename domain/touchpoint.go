package domain

import (
	"context"
	"time"
)

// TouchpointChannel is how the team was in touch with a member.
type TouchpointChannel string

// The channels of a touchpoint.
const (
	ChannelCall    TouchpointChannel = "CALL"
	ChannelVisit   TouchpointChannel = "VISIT"
	ChannelEmail   TouchpointChannel = "EMAIL"
	ChannelMeeting TouchpointChannel = "MEETING"
	ChannelEvent   TouchpointChannel = "EVENT"
)

// Valid reports whether c is a known channel.
func (c TouchpointChannel) Valid() bool {
	switch c {
	case ChannelCall, ChannelVisit, ChannelEmail, ChannelMeeting, ChannelEvent:
		return true
	}
	return false
}

// Touchpoint is a call, visit, e-mail, meeting or event through which the
// team was in touch with a member, logged by a staff user.
type Touchpoint struct {
	ID       int64
	MemberID int64
	// ContactID is the person spoken to, when named; the contact may have
	// been removed since.
	ContactID *int64
	// By is the subject of the staff user's token who logged it.
	By         string
	Channel    TouchpointChannel
	At         time.Time
	Summary    string
	FollowUpOn *time.Time // a date
	Done       bool       // the follow-up was done
}

// TouchpointInput logs a touchpoint.
type TouchpointInput struct {
	MemberID   int64
	ContactID  *int64
	Channel    TouchpointChannel
	At         *time.Time // now when nil
	Summary    string
	FollowUpOn *time.Time
}

// ErasedSummary replaces the summary of a touchpoint whose contact was
// erased (eraseContact).
const ErasedSummary = "(erased with the contact it named)"

// MaxSummaryLength bounds a touchpoint's summary, in characters.
const MaxSummaryLength = 4000

// ValidateTouchpoint checks and normalizes a touchpoint input: a known
// channel, a summary of 1 to 4,000 characters (trimmed), a time not more
// than a day ahead of now. The follow-up date may be any date.
func ValidateTouchpoint(in TouchpointInput, now time.Time) (TouchpointInput, error) {
	if !in.Channel.Valid() {
		return in, InvalidField("channel", "unknown channel %q", in.Channel)
	}
	summary, err := RequiredText("summary", in.Summary, MaxSummaryLength)
	if err != nil {
		return in, err
	}
	in.Summary = summary
	if in.At != nil && in.At.After(now.Add(24*time.Hour)) {
		return in, InvalidField("at", "a touchpoint cannot be logged more than a day ahead")
	}
	return in, nil
}

// CanReadTouchpoints returns FORBIDDEN unless v is staff or an analyst:
// touchpoints are the team's notes about members.
func CanReadTouchpoints(v Viewer) error {
	if !v.Role.AtLeast(RoleAnalyst) {
		return Errorf(CodeForbidden, "touchpoints are visible to analysts and staff only")
	}
	return nil
}

// CanLogTouchpoints returns FORBIDDEN unless v is staff.
func CanLogTouchpoints(v Viewer) error {
	if v.Role != RoleStaff {
		return Errorf(CodeForbidden, "only staff log touchpoints")
	}
	return nil
}

// TouchpointService reads and writes touchpoints; its reads refuse
// (FORBIDDEN) viewers other than analysts and staff, but for
// TouchpointsByIDs, and its writes are staff's.
type TouchpointService interface {
	// TouchpointsByIDs returns the touchpoints among ids, by id; none to
	// other viewers.
	TouchpointsByIDs(ctx context.Context, ids []int64) (map[int64]*Touchpoint, error)
	// TouchpointsOfMembers returns one page of each member's touchpoints,
	// the latest first.
	TouchpointsOfMembers(ctx context.Context, memberIDs []int64, page PageRequest) (map[int64]*Page[*Touchpoint], error)
	// CountTouchpointsOfMembers counts each member's touchpoints.
	CountTouchpointsOfMembers(ctx context.Context, memberIDs []int64) (map[int64]int, error)
	// LastTouchpoints returns the time of each member's latest touchpoint
	// (members without one are left out).
	LastTouchpoints(ctx context.Context, memberIDs []int64) (map[int64]time.Time, error)
	// ContactsByIDs returns the contacts among ids still on record, by id.
	ContactsByIDs(ctx context.Context, ids []int64) (map[int64]*Contact, error)
	// LogTouchpoint records a touchpoint. NOT_FOUND for an unknown member,
	// BAD_USER_INPUT for a contact of another member or invalid input.
	LogTouchpoint(ctx context.Context, in TouchpointInput) (*Touchpoint, error)
	// CompleteFollowUp marks a touchpoint's follow-up done. NOT_FOUND,
	// CONFLICT when it has no follow-up or it was done already.
	CompleteFollowUp(ctx context.Context, id int64) (*Touchpoint, error)
	// CallList returns one page of the ACTIVE members who need a call,
	// ranked by their reasons (see CallReasons), then the longest without
	// a touchpoint first (never first), then by id.
	CallList(ctx context.Context, page PageRequest) (*Page[*CallListEntry], error)
	// CountCallList counts the members on the call list.
	CountCallList(ctx context.Context) (int, error)
}

// CallReason is why a member is on the call list.
type CallReason string

// The reasons of the call list, in the order they rank.
const (
	// ReasonFollowUpDue: a touchpoint's follow-up date has come and it is
	// not done.
	ReasonFollowUpDue CallReason = "FOLLOW_UP_DUE"
	// ReasonAtRisk: the member's engagement says it is at risk.
	ReasonAtRisk CallReason = "AT_RISK"
	// ReasonAfterTraining: it attended a training in the last 14 days and
	// the team has not been in touch since.
	ReasonAfterTraining CallReason = "AFTER_TRAINING"
	// ReasonNeverContacted: it joined over 60 days ago and has no
	// touchpoint.
	ReasonNeverContacted CallReason = "NEVER_CONTACTED"
	// ReasonQuiet: no touchpoint in the last 180 days (and it joined
	// before that).
	ReasonQuiet CallReason = "QUIET"
)

// CallReasons are the reasons in the order they rank: a member with an
// earlier reason comes before one without it, whatever their other
// reasons.
var CallReasons = []CallReason{ReasonFollowUpDue, ReasonAtRisk, ReasonAfterTraining, ReasonNeverContacted, ReasonQuiet}

// The windows of the call list's reasons.
const (
	AfterTrainingDays  = 14
	NeverContactedDays = 60
	QuietDays          = 180
)

// CallListEntry is a member on the call list, with why.
type CallListEntry struct {
	MemberID         int64
	Reasons          []CallReason
	LastTouchpointAt *time.Time
}
