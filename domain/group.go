package domain

import (
	"context"
	"time"
)

// Theme is one of the cluster's themes of work.
type Theme string

// Themes.
const (
	ThemePurchasing           Theme = "PURCHASING"
	ThemeSmallBusinessSupport Theme = "SMALL_BUSINESS_SUPPORT"
	ThemeCommunication        Theme = "COMMUNICATION"
	ThemeOther                Theme = "OTHER"
)

// QuestionStatus says where a question stands.
type QuestionStatus string

// Question statuses.
const (
	QuestionOpen        QuestionStatus = "OPEN"
	QuestionGroupFormed QuestionStatus = "GROUP_FORMED"
	QuestionClosed      QuestionStatus = "CLOSED"
)

// GroupStatus says where a working group stands.
type GroupStatus string

// Working group statuses.
const (
	GroupActive GroupStatus = "ACTIVE"
	GroupClosed GroupStatus = "CLOSED"
)

// ParticipantRole is a participant's role in a group.
type ParticipantRole string

// Participant roles.
const (
	RoleLead        ParticipantRole = "LEAD"
	RoleParticipant ParticipantRole = "MEMBER"
)

// MeetingStatus says where a meeting stands.
type MeetingStatus string

// Meeting statuses.
const (
	MeetingScheduled MeetingStatus = "SCHEDULED"
	MeetingHeld      MeetingStatus = "HELD"
	MeetingCancelled MeetingStatus = "CANCELLED"
)

// SupportersToFormGroup is how many distinct supporters form a group.
const SupportersToFormGroup = 3

// DefaultGroupCapacity is the default most participants of a group.
const DefaultGroupCapacity = 15

// Question is a question raised by a member.
type Question struct {
	ID             int64
	Text           string
	Theme          Theme
	RaisedBy       int64
	RaisedAt       time.Time
	Status         QuestionStatus
	SupporterCount int
	GroupID        *int64
}

// WorkingGroup is a group formed around a question.
type WorkingGroup struct {
	ID         int64
	Name       string
	Theme      Theme
	QuestionID int64
	Status     GroupStatus
	FormedAt   time.Time
	ClosedAt   *time.Time
}

// Participant is a member taking part in a group.
type Participant struct {
	GroupID  int64
	MemberID int64
	Role     ParticipantRole
	JoinedAt time.Time
}

// AgendaItem is one item of a meeting's agenda.
type AgendaItem struct {
	Title   string `json:"title"`
	Minutes int    `json:"minutes"`
}

// Meeting is a meeting of a working group.
type Meeting struct {
	ID              int64
	GroupID         int64
	Title           string
	StartsAt        time.Time
	DurationMinutes int
	Agenda          []AgendaItem
	ExpectedOutcome string
	Status          MeetingStatus
	Outcome         string
	AttendeeIDs     []int64
}

// ActionItem is one action of an action plan.
type ActionItem struct {
	Title   string     `json:"title"`
	OwnerID *int64     `json:"ownerId,omitempty"`
	DueOn   *time.Time `json:"dueOn,omitempty"`
	Done    bool       `json:"done"`
}

// ActionPlan is the plan a group publishes to every member.
type ActionPlan struct {
	ID            int64
	GroupID       int64
	Summary       string
	Items         []ActionItem
	PublishedAt   time.Time
	DistributedTo int
}

// QuestionFilter narrows a question listing.
type QuestionFilter struct {
	Themes      []Theme
	Statuses    []QuestionStatus
	RaisedBy    *int64
	SupportedBy *int64
}

// GroupFilter narrows a group listing.
type GroupFilter struct {
	Themes    []Theme
	Statuses  []GroupStatus
	MemberIDs []int64
}

// MeetingInput schedules a meeting.
type MeetingInput struct {
	GroupID         int64
	Title           string
	StartsAt        time.Time
	DurationMinutes int
	Agenda          []AgendaItem
	ExpectedOutcome string
}

// ActionPlanInput publishes an action plan.
type ActionPlanInput struct {
	GroupID int64
	Summary string
	Items   []ActionItem
}

// SupportResult is a question after a support, with the group the support
// formed (nil when it formed none).
type SupportResult struct {
	Question    *Question
	GroupFormed *WorkingGroup
}

// GroupService reads and writes questions, working groups, meetings and
// action plans. Members and above read; writes follow SPEC §3 and §4.
type GroupService interface {
	// QuestionsByIDs returns the questions among ids, by id.
	QuestionsByIDs(ctx context.Context, ids []int64) (map[int64]*Question, error)
	// Questions returns one page of questions, newest first.
	Questions(ctx context.Context, filter QuestionFilter, page PageRequest) (*Page[*Question], error)
	// CountQuestions counts them.
	CountQuestions(ctx context.Context, filter QuestionFilter) (int, error)
	// SupporterIDs returns the supporters of each question, raiser first.
	SupporterIDs(ctx context.Context, questionIDs []int64) (map[int64][]int64, error)
	// SupportersOf returns the supporting members of each question, raiser
	// first, in one statement.
	SupportersOf(ctx context.Context, questionIDs []int64) (map[int64][]*Member, error)
	// GroupsOfMembers returns one page of each member's current groups,
	// newest first, in one statement.
	GroupsOfMembers(ctx context.Context, memberIDs []int64, page PageRequest) (map[int64]*Page[*WorkingGroup], error)
	// CountGroupsOfMembers counts each member's current groups.
	CountGroupsOfMembers(ctx context.Context, memberIDs []int64) (map[int64]int, error)
	// MeetingsOfGroups returns one page of each group's meetings, soonest
	// first, in one statement.
	MeetingsOfGroups(ctx context.Context, groupIDs []int64, page PageRequest) (map[int64]*Page[*Meeting], error)
	// CountMeetingsOfGroups counts each group's meetings.
	CountMeetingsOfGroups(ctx context.Context, groupIDs []int64) (map[int64]int, error)
	// GroupsByIDs returns the groups among ids, by id.
	GroupsByIDs(ctx context.Context, ids []int64) (map[int64]*WorkingGroup, error)
	// Groups returns one page of groups, newest first.
	Groups(ctx context.Context, filter GroupFilter, page PageRequest) (*Page[*WorkingGroup], error)
	// CountGroups counts them.
	CountGroups(ctx context.Context, filter GroupFilter) (int, error)
	// Participants returns the participants of each group, lead first.
	Participants(ctx context.Context, groupIDs []int64) (map[int64][]Participant, error)
	// MeetingsByIDs returns the meetings among ids, by id.
	MeetingsByIDs(ctx context.Context, ids []int64) (map[int64]*Meeting, error)
	// Meetings returns one page of a group's meetings, soonest first.
	Meetings(ctx context.Context, groupID int64, page PageRequest) (*Page[*Meeting], error)
	// CountMeetings counts a group's meetings.
	CountMeetings(ctx context.Context, groupID int64) (int, error)
	// UpcomingMeetings returns the next scheduled meetings of the viewer
	// member's groups; empty unless the viewer is a MEMBER.
	UpcomingMeetings(ctx context.Context, first int) ([]*Meeting, error)
	// ActionPlansByIDs returns the plans among ids, by id.
	ActionPlansByIDs(ctx context.Context, ids []int64) (map[int64]*ActionPlan, error)
	// ActionPlansByGroup returns the plan of each group that has one.
	ActionPlansByGroup(ctx context.Context, groupIDs []int64) (map[int64]*ActionPlan, error)
	// ActionPlans returns one page of published plans, newest first.
	ActionPlans(ctx context.Context, page PageRequest) (*Page[*ActionPlan], error)
	// CountActionPlans counts them.
	CountActionPlans(ctx context.Context) (int, error)

	// RaiseQuestion adds an OPEN question supported by its raiser.
	RaiseQuestion(ctx context.Context, memberID int64, text string, theme Theme) (*Question, error)
	// SupportQuestion adds a supporter; the third distinct one forms the group.
	SupportQuestion(ctx context.Context, questionID, memberID int64) (*SupportResult, error)
	// WithdrawSupport removes a supporter of an OPEN question.
	WithdrawSupport(ctx context.Context, questionID, memberID int64) (*SupportResult, error)
	// JoinGroup adds a participant to an ACTIVE group with room.
	JoinGroup(ctx context.Context, groupID, memberID int64) (*WorkingGroup, error)
	// LeaveGroup removes a participant.
	LeaveGroup(ctx context.Context, groupID, memberID int64) (*WorkingGroup, error)
	// CloseGroup closes a group: its lead or staff.
	CloseGroup(ctx context.Context, groupID int64) (*WorkingGroup, error)
	// ScheduleMeeting schedules a meeting: the group's lead or staff.
	ScheduleMeeting(ctx context.Context, in MeetingInput) (*Meeting, error)
	// RecordMeetingOutcome records a meeting's outcome and attendees.
	RecordMeetingOutcome(ctx context.Context, meetingID int64, outcome string, attendeeIDs []int64) (*Meeting, error)
	// CancelMeeting cancels a scheduled meeting.
	CancelMeeting(ctx context.Context, meetingID int64) (*Meeting, error)
	// PublishActionPlan publishes a group's plan to every ACTIVE member.
	PublishActionPlan(ctx context.Context, in ActionPlanInput) (*ActionPlan, error)
}
