package domain

import (
	"context"
	"time"
)

// MemberKind says what sort of organisation a member is.
type MemberKind string

// Member kinds.
const (
	KindCompany      MemberKind = "COMPANY"
	KindLaboratory   MemberKind = "LABORATORY"
	KindInstitution  MemberKind = "INSTITUTION"
	KindMediaPartner MemberKind = "MEDIA_PARTNER"
)

// Valid reports whether k is a known kind.
func (k MemberKind) Valid() bool {
	switch k {
	case KindCompany, KindLaboratory, KindInstitution, KindMediaPartner:
		return true
	}
	return false
}

// MemberStatus says whether an organisation is still a member.
type MemberStatus string

// Member statuses: a member whose membership ended stays on record as LAPSED.
const (
	StatusActive MemberStatus = "ACTIVE"
	StatusLapsed MemberStatus = "LAPSED"
)

// Valid reports whether s is a known status.
func (s MemberStatus) Valid() bool { return s == StatusActive || s == StatusLapsed }

// SizeClass is the EU size class of a company, derived from its headcount.
type SizeClass string

// EU size classes on headcount.
const (
	SizeMicro  SizeClass = "MICRO"  // fewer than 10 people
	SizeSmall  SizeClass = "SMALL"  // 10 to 49
	SizeMedium SizeClass = "MEDIUM" // 50 to 249
	SizeLarge  SizeClass = "LARGE"  // 250 or more
)

// Valid reports whether c is a known size class.
func (c SizeClass) Valid() bool {
	switch c {
	case SizeMicro, SizeSmall, SizeMedium, SizeLarge:
		return true
	}
	return false
}

// SizeClassOf returns the EU size class for a headcount.
func SizeClassOf(headcount int) SizeClass {
	switch {
	case headcount < 10:
		return SizeMicro
	case headcount < 50:
		return SizeSmall
	case headcount < 250:
		return SizeMedium
	default:
		return SizeLarge
	}
}

// HeadcountRange returns the inclusive headcount bounds of a size class;
// max is -1 for LARGE, which has no upper bound.
func (c SizeClass) HeadcountRange() (min, max int) {
	switch c {
	case SizeMicro:
		return 0, 9
	case SizeSmall:
		return 10, 49
	case SizeMedium:
		return 50, 249
	default:
		return 250, -1
	}
}

// Address is where a member is based. Department and region are French
// administrative divisions, derived from the postal code when not given.
type Address struct {
	City       string
	PostalCode string
	Department string
	Region     string
	Country    string // ISO 3166-1 alpha-2
	// Redaction marks the fields withheld from the viewer.
	Redaction
}

// Empty reports whether no part of the address is known to the viewer.
func (a Address) Empty() bool {
	return a.City == "" && a.PostalCode == "" && a.Department == "" && a.Region == "" && a.Country == ""
}

// Location is a point on the map.
type Location struct {
	Lat float64
	Lng float64
}

// Member is an organisation belonging to the cluster, or that once did.
type Member struct {
	ID                   int64
	Name                 string
	LegalID              string // SIREN, "" when unknown
	Kind                 MemberKind
	Status               MemberStatus
	Headcount            *int
	ForeignParentCountry string // ISO 3166-1 alpha-2 of a foreign parent company, "" when none
	Address              Address
	Location             *Location
	Website              string
	Description          string
	JoinedOn             time.Time
	LeftOn               *time.Time
	CreatedAt            time.Time
	UpdatedAt            time.Time
	// DistanceKm is, in a listing filtered by Near, the distance from the
	// filter's centre; nil elsewhere.
	DistanceKm *float64
	// Redaction marks the fields withheld from the viewer.
	Redaction
	// sizeClass keeps the size class of a member whose headcount is withheld.
	sizeClass SizeClass
}

// A brief member is read where few of its fields are shown (the
// counterparts of a member's links, the members of a relation whose
// selection asks none of BriefLacks): it holds ID, Name, Kind, Status,
// Headcount, Address, JoinedOn and LeftOn; the other fields are empty.
// BriefLacks names the GraphQL fields of Member that a brief member cannot
// answer.
var BriefLacks = []string{"legalId", "foreignParentCountry", "location", "website", "description", "updatedAt"}

// SizeClass returns the member's EU size class, or "" when its headcount is unknown.
func (m *Member) SizeClass() SizeClass {
	if m.sizeClass != "" {
		return m.sizeClass
	}
	if m.Headcount == nil {
		return ""
	}
	return SizeClassOf(*m.Headcount)
}

// MemberFilter narrows a member listing. Empty slices and nil pointers do not
// filter; without Statuses only ACTIVE members are listed.
type MemberFilter struct {
	Search       string
	Statuses     []MemberStatus
	Kinds        []MemberKind
	SizeClasses  []SizeClass
	TradeIDs     []int64
	Regions      []string
	Departments  []string
	JoinedAfter  *time.Time
	JoinedBefore *time.Time
	Near         *Near
}

// MemberOrderField is a field members can be sorted on.
type MemberOrderField string

// Member sort fields.
const (
	OrderByName      MemberOrderField = "NAME"
	OrderByJoinedOn  MemberOrderField = "JOINED_ON"
	OrderByHeadcount MemberOrderField = "HEADCOUNT"
	// OrderByDistance sorts on the distance from the centre of the
	// filter's Near, which it needs (ValidateMemberOrder).
	OrderByDistance MemberOrderField = "DISTANCE"
)

// MemberOrder sorts a member listing; ties are broken by id in the same direction.
type MemberOrder struct {
	Field      MemberOrderField
	Descending bool
}

// DefaultMemberOrder is the order used when a listing asks for none.
var DefaultMemberOrder = MemberOrder{Field: OrderByName}

// MemberInput holds the fields of a new member.
type MemberInput struct {
	Name                 string
	Kind                 MemberKind
	Headcount            *int
	LegalID              string
	ForeignParentCountry string
	TradeIDs             []int64
	Address              *Address
	Location             *Location
	Website              string
	Description          string
	JoinedOn             *time.Time
}

// MemberPatch holds the changes to a member; unset fields stay as they are.
type MemberPatch struct {
	Name                 Optional[string]
	Kind                 Optional[MemberKind]
	Headcount            Optional[int]
	LegalID              Optional[string]
	ForeignParentCountry Optional[string]
	TradeIDs             Optional[[]int64]
	Address              Optional[Address]
	Location             Optional[Location]
	Website              Optional[string]
	Description          Optional[string]
	JoinedOn             Optional[time.Time]
}

// Optional is a patch field: Set false leaves the value unchanged; Set with a
// nil Value clears it.
type Optional[T any] struct {
	Set   bool
	Value *T
}

// Some returns an Optional that sets v.
func Some[T any](v T) Optional[T] { return Optional[T]{Set: true, Value: &v} }

// MemberService reads and writes members. Every method takes the viewer
// from the context.
type MemberService interface {
	// Member returns the member with id. Returns NOT_FOUND if there is none.
	Member(ctx context.Context, id int64) (*Member, error)
	// MembersByIDs returns the members with the given ids that exist, by
	// id; brief ones when brief is true.
	MembersByIDs(ctx context.Context, ids []int64, brief bool) (map[int64]*Member, error)
	// Members returns one page of members matching filter in the given order.
	// Returns BAD_USER_INPUT for a malformed or foreign cursor.
	Members(ctx context.Context, filter MemberFilter, order MemberOrder, page PageRequest) (*Page[*Member], error)
	// CountMembers returns how many members match filter.
	CountMembers(ctx context.Context, filter MemberFilter) (int, error)
	// MembersOfTrades returns, for each trade, one page of the ACTIVE members
	// having it or one of its sub-trades, by name.
	MembersOfTrades(ctx context.Context, tradeIDs []int64, page PageRequest) (map[int64]*Page[*Member], error)
	// CountMembersOfTrades returns how many ACTIVE members each trade has,
	// sub-trades included.
	CountMembersOfTrades(ctx context.Context, tradeIDs []int64) (map[int64]int, error)
	// CreateMember adds a member. Returns FORBIDDEN unless the viewer is
	// staff, BAD_USER_INPUT for invalid input, CONFLICT for a legal id
	// already used by another member.
	CreateMember(ctx context.Context, in MemberInput) (*Member, error)
	// UpdateMember changes a member. Returns FORBIDDEN unless the viewer is
	// staff or the ACTIVE member itself, NOT_FOUND, BAD_USER_INPUT, CONFLICT.
	UpdateMember(ctx context.Context, id int64, patch MemberPatch) (*Member, error)
}
