package domain

import (
	"context"
	"time"
)

// Contact is a person to contact at a member.
type Contact struct {
	ID       int64
	MemberID int64
	Name     string
	Role     string
	Email    string
	Phone    string
}

// MemberWithDetails is a member with its contacts, trades and a page of
// its current groups, each nil unless asked for (ProfileParts).
type MemberWithDetails struct {
	Member   *Member
	Contacts []*Contact
	Trades   []*Trade
	Groups   *Page[*WorkingGroup]
}

// ProfileParts says what MembersWithDetails reads with each member.
type ProfileParts struct {
	Contacts, Trades bool
	// Groups, when not nil, asks for a first page (no cursor) of the
	// member's current groups, newest first, as GroupsOfMembers gives it;
	// it is left out for a viewer who may not read groups.
	Groups *PageRequest
	// Brief asks for brief members (see BriefLacks).
	Brief bool
}

// ContactInput adds a contact.
type ContactInput struct {
	MemberID int64
	Name     string
	Role     string
	Email    string
	Phone    string
}

// Engagement is a member's engagement over the last 12 months (SPEC §3).
type Engagement struct {
	MemberID                 int64
	Score                    int
	MeetingsAttended         int
	GroupsJoined             int
	QuestionsSupported       int
	LinksDeclaredOrConfirmed int
	LastActivityAt           *time.Time
	AtRisk                   bool
}

// EngagementScore applies the formula written in the schema.
func EngagementScore(meetings, groups, questions, links int) int {
	score := min(40, 10*meetings) + min(20, 10*groups) + min(20, 5*questions) + min(20, 5*links)
	return min(100, score)
}

// AtRiskAfter is how long without activity puts a member at risk.
const AtRiskAfter = 6 // months

// MemberDetailService reads and writes what hangs off a member: contacts,
// trades, membership end, engagement.
type MemberDetailService interface {
	// ContactsOfMembers returns the contacts of each member, by name.
	ContactsOfMembers(ctx context.Context, memberIDs []int64) (map[int64][]*Contact, error)
	// MembersWithDetails returns the members among ids with, as asked, their
	// contacts (by name), their trades (by code) and their groups, in one
	// statement: a member's profile.
	MembersWithDetails(ctx context.Context, ids []int64, parts ProfileParts) (map[int64]*MemberWithDetails, error)
	// AddContact adds a contact: staff, or the ACTIVE member itself.
	AddContact(ctx context.Context, in ContactInput) (*Contact, error)
	// RemoveContact removes a contact and returns its member id.
	RemoveContact(ctx context.Context, id int64) (int64, error)
	// SetMemberTrades replaces a member's trades.
	SetMemberTrades(ctx context.Context, memberID int64, tradeIDs []int64) (*Member, error)
	// EndMembership ends a membership (staff); the member becomes LAPSED.
	EndMembership(ctx context.Context, memberID int64, leftOn *time.Time) (*Member, error)
	// Engagements returns the engagement of each member as of now.
	Engagements(ctx context.Context, memberIDs []int64) (map[int64]*Engagement, error)
	// Returns returns what each member gave and got back over the last 12
	// months; none for members whose engagement the viewer may not see.
	Returns(ctx context.Context, memberIDs []int64) (map[int64]*EngagementReturn, error)
}
