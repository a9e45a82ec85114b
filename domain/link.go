package domain

import (
	"context"
	"time"
)

// LinkKind says what sort of business two members do together.
type LinkKind string

// Business link kinds. PARTNERSHIP and JOINT_BID are symmetric.
const (
	LinkSupply         LinkKind = "SUPPLY"
	LinkSubcontracting LinkKind = "SUBCONTRACTING"
	LinkDistribution   LinkKind = "DISTRIBUTION"
	LinkPartnership    LinkKind = "PARTNERSHIP"
	LinkJointBid       LinkKind = "JOINT_BID"
	LinkReferral       LinkKind = "REFERRAL"
)

// Symmetric reports whether a link of kind k reads the same both ways, so
// that it is unique per unordered pair.
func (k LinkKind) Symmetric() bool { return k == LinkPartnership || k == LinkJointBid }

// LinkStatus says where a business link stands.
type LinkStatus string

// Business link statuses.
const (
	LinkPending   LinkStatus = "PENDING"
	LinkConfirmed LinkStatus = "CONFIRMED"
	LinkDeclined  LinkStatus = "DECLINED"
	LinkEnded     LinkStatus = "ENDED"
)

// VolumeBand is the yearly volume of a link, in euros.
type VolumeBand string

// Volume bands.
const (
	VolumeUnder10K  VolumeBand = "UNDER_10K"
	Volume10KTo100K VolumeBand = "FROM_10K_TO_100K"
	Volume100KTo1M  VolumeBand = "FROM_100K_TO_1M"
	VolumeOver1M    VolumeBand = "OVER_1M"
)

// LinkOrigin says how two members came to do business.
type LinkOrigin string

// Link origins.
const (
	OriginWorkingGroup LinkOrigin = "WORKING_GROUP"
	OriginTradeShow    LinkOrigin = "TRADE_SHOW"
	OriginIntroduction LinkOrigin = "INTRODUCTION"
	OriginPreExisting  LinkOrigin = "PRE_EXISTING"
	OriginOther        LinkOrigin = "OTHER"
)

// LinkDirection selects a member's links by its side.
type LinkDirection string

// Link directions.
const (
	DirectionOutgoing LinkDirection = "OUTGOING"
	DirectionIncoming LinkDirection = "INCOMING"
	DirectionAny      LinkDirection = "ANY"
)

// BusinessLink is business done between two members.
type BusinessLink struct {
	ID          int64
	FromID      int64
	ToID        int64
	Kind        LinkKind
	Status      LinkStatus
	Since       time.Time
	Until       *time.Time
	VolumeBand  VolumeBand // "" when not given
	Origin      LinkOrigin
	DeclaredBy  int64
	ConfirmedAt *time.Time
	Note        string
	CreatedAt   time.Time
	// Redaction marks the fields withheld from the viewer.
	Redaction
}

// Counterpart returns the party of l other than member id.
func (l *BusinessLink) Counterpart(id int64) int64 {
	if l.FromID == id {
		return l.ToID
	}
	return l.FromID
}

// HasParty reports whether member id is one of the two parties.
func (l *BusinessLink) HasParty(id int64) bool { return l.FromID == id || l.ToID == id }

// LinkFilter narrows a link listing; empty fields do not filter.
type LinkFilter struct {
	MemberIDs   []int64
	Kinds       []LinkKind
	Statuses    []LinkStatus
	Origins     []LinkOrigin
	SinceAfter  *time.Time
	SinceBefore *time.Time
}

// LinkInput declares a link.
type LinkInput struct {
	FromID     int64
	ToID       int64
	Kind       LinkKind
	Since      *time.Time
	VolumeBand VolumeBand
	Origin     LinkOrigin
	Note       string
}

// LinkService reads and writes business links. Reads return only what the
// viewer may see (SPEC §4).
type LinkService interface {
	// Link returns a link the viewer may see. Returns NOT_FOUND otherwise.
	Link(ctx context.Context, id int64) (*BusinessLink, error)
	// LinksByIDs returns the links among ids the viewer may see, by id.
	LinksByIDs(ctx context.Context, ids []int64) (map[int64]*BusinessLink, error)
	// Links returns one page of links, newest first.
	Links(ctx context.Context, filter LinkFilter, page PageRequest) (*Page[*BusinessLink], error)
	// CountLinks returns how many links match filter.
	CountLinks(ctx context.Context, filter LinkFilter) (int, error)
	// MemberLinks returns one page of one member's links, newest first.
	MemberLinks(ctx context.Context, memberID int64, direction LinkDirection, filter LinkFilter, page PageRequest) (*Page[*BusinessLink], error)
	// CountMemberLinks returns how many of a member's links match.
	CountMemberLinks(ctx context.Context, memberID int64, direction LinkDirection, filter LinkFilter) (int, error)
	// Partners returns one page of the distinct members a member has a
	// CONFIRMED link with, by name.
	Partners(ctx context.Context, memberID int64, page PageRequest) (*Page[*Member], error)
	// CountPartners returns how many distinct partners a member has.
	CountPartners(ctx context.Context, memberID int64) (int, error)
	// MembersLinks returns one page of links for each of many members, with
	// the same arguments, in one statement.
	MembersLinks(ctx context.Context, memberIDs []int64, direction LinkDirection, filter LinkFilter, page PageRequest) (map[int64]*Page[*BusinessLink], error)
	// MembersLinksWithCounterparts is MembersLinks that also returns the
	// counterparts of the links (the parties other than the member whose
	// page it is), by id, in the same statement; brief ones (see
	// Member.Brief) when brief is true.
	MembersLinksWithCounterparts(ctx context.Context, memberIDs []int64, direction LinkDirection, filter LinkFilter, page PageRequest, brief bool) (map[int64]*Page[*BusinessLink], map[int64]*Member, error)
	// CountMembersLinks counts the links of each of many members.
	CountMembersLinks(ctx context.Context, memberIDs []int64, direction LinkDirection, filter LinkFilter) (map[int64]int, error)
	// MembersPartners returns one page of partners for each of many members.
	MembersPartners(ctx context.Context, memberIDs []int64, page PageRequest) (map[int64]*Page[*Member], error)
	// CountMembersPartners counts the distinct partners of each of many members.
	CountMembersPartners(ctx context.Context, memberIDs []int64) (map[int64]int, error)
	// PendingConfirmations returns the PENDING links awaiting the viewer
	// member's confirmation, oldest first; empty unless the viewer is a MEMBER.
	PendingConfirmations(ctx context.Context, page PageRequest) (*Page[*BusinessLink], error)
	// CountPendingConfirmations counts them.
	CountPendingConfirmations(ctx context.Context) (int, error)
	// Declare adds a PENDING link. Returns FORBIDDEN unless the viewer is
	// staff or an ACTIVE member party to it, BAD_USER_INPUT for a self-link
	// or invalid input, NOT_FOUND for an unknown member, CONFLICT for a
	// duplicate live link.
	Declare(ctx context.Context, in LinkInput) (*BusinessLink, error)
	// Confirm confirms a PENDING link. Returns FORBIDDEN unless the viewer is
	// staff or the ACTIVE party that did not declare it, CONFLICT unless PENDING.
	Confirm(ctx context.Context, id int64) (*BusinessLink, error)
	// Decline declines a PENDING link, under the same rules as Confirm.
	Decline(ctx context.Context, id int64) (*BusinessLink, error)
	// End ends a CONFIRMED link. Returns FORBIDDEN unless the viewer is staff
	// or an ACTIVE party, CONFLICT unless CONFIRMED, BAD_USER_INPUT for a
	// date before since or in the future.
	End(ctx context.Context, id int64, until *time.Time) (*BusinessLink, error)
}

// CanSeeVolume reports whether v may see the volume band of l: its two
// parties, analysts and staff.
func CanSeeVolume(v Viewer, l *BusinessLink) bool {
	return v.Role.AtLeast(RoleAnalyst) || (v.Role == RoleMember && l.HasParty(v.MemberID))
}
