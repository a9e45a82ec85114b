package domain

import "time"

// This file is the read policy of SPEC §4: for each type, which values a
// viewer may read at all and which of their fields it may read. Storage
// calls these functions on every read — by id, by ids, in a page, nested
// or counted — so that a value leaves storage already filtered and
// redacted; the API layer only reports the fields marked withheld.
//
//   - Members: anonymous callers see ACTIVE members and their directory
//     fields (name, kind, status, trades, city, region, size class, website,
//     description); members, analysts and staff see every member and field,
//     but engagement, centrality, recommended partners and purchasing only
//     of the viewer's own member (analysts and staff: of all).
//   - Business links: anonymous callers none; a member the CONFIRMED links
//     and every link it is a party to; analysts and staff all. A volume
//     band is read by the two parties, analysts and staff.
//   - Contacts, questions, working groups, meetings and action plans:
//     members and above.
//   - Purchasing campaigns: members and above, but a DRAFT only its
//     runners (its group's lead), analysts and staff; a campaign's
//     commitments are for the same, a member's purchasing for itself,
//     analysts and staff (purchasing.go).
//   - Network-wide analytics (the network, its communities' members, the
//     dashboard): analysts and staff.
//   - Trainings: everyone, with their registration count and whether the
//     viewer's member is registered; who registered and who attended:
//     analysts and staff.

// Redaction marks the fields of a value that the read policy withheld from
// its viewer: storage has cleared them, and reading one is FORBIDDEN. The
// zero Redaction withholds nothing.
type Redaction struct{ withheld *withheldFields }

// withheldFields maps the GraphQL names of withheld fields to the reason
// given to the viewer. The sets are fixed, shared by every value.
type withheldFields struct{ reasons map[string]string }

// Withheld returns FORBIDDEN, with the reason, when the policy withheld
// field from the viewer, and nil otherwise.
func (r Redaction) Withheld(field string) error {
	if r.withheld == nil {
		return nil
	}
	if reason, ok := r.withheld.reasons[field]; ok {
		return Errorf(CodeForbidden, "%s is %s", field, reason)
	}
	return nil
}

// Equal reports whether r and o withhold the same fields.
func (r Redaction) Equal(o Redaction) bool { return r.withheld == o.withheld }

// Withholds reports whether the policy withheld field from the viewer.
func (r Redaction) Withholds(field string) bool { return r.Withheld(field) != nil }

func withheld(reason string, fields ...string) *withheldFields {
	w := &withheldFields{reasons: make(map[string]string, len(fields))}
	for _, f := range fields {
		w.reasons[f] = reason
	}
	return w
}

// Reasons shown for withheld fields.
const (
	reasonMembersOnly  = "visible to members and above only"
	reasonSelfOnly     = "visible to the member itself, analysts and staff only"
	reasonPartiesOnly  = "visible to the parties of a link, analysts and staff only"
	reasonAnalystsOnly = "visible to analysts and staff only"
)

// The field sets of the member policy.
var (
	// memberDirectoryOnly is what anonymous callers may not read of a member.
	memberDirectoryOnly = withheld(reasonMembersOnly,
		"legalId", "headcount", "foreignParentCountry", "location", "distanceKm", "joinedOn", "leftOn", "updatedAt",
		"contacts", "businessLinks", "partners", "groups", "neighborhood",
		"engagement", "centrality", "recommendedPartners", "purchasing")
	// memberOthersAnalytics is what a member may not read of another member.
	memberOthersAnalytics = withheld(reasonSelfOnly, "engagement", "centrality", "recommendedPartners", "purchasing")
	// addressDirectoryOnly is what anonymous callers may not read of an address.
	addressDirectoryOnly = withheld(reasonMembersOnly, "postalCode", "department", "country")
	// linkVolume is what a member may not read of a link it is not a party to.
	linkVolume = withheld(reasonPartiesOnly, "volumeBand")
	// communityMembers is what members may not read of a community.
	communityMembers = withheld(reasonAnalystsOnly, "members")
	// trainingRegistrants is what anonymous callers and members may not
	// read of a training: who registered and who attended.
	trainingRegistrants = withheld(reasonAnalystsOnly, "registrations", "attendees")
)

// MemberScope is the set of members a viewer may read, for storage to turn
// into a condition on its queries.
type MemberScope struct {
	// ActiveOnly limits the viewer to ACTIVE members.
	ActiveOnly bool
}

// MemberScopeOf returns the members v may read: anonymous callers ACTIVE
// members only, everyone else all of them.
func MemberScopeOf(v Viewer) MemberScope {
	return MemberScope{ActiveOnly: !v.Role.AtLeast(RoleMember)}
}

// Allows reports whether a member of status s is in the scope.
func (s MemberScope) Allows(status MemberStatus) bool {
	return !s.ActiveOnly || status == StatusActive
}

// ReadMember applies the member policy to m for v: it returns nil when v
// may not read m at all, and otherwise m with the fields v may not read
// cleared and marked withheld.
func ReadMember(v Viewer, m *Member) *Member {
	if m == nil || !MemberScopeOf(v).Allows(m.Status) {
		return nil
	}
	switch {
	case v.Role.AtLeast(RoleAnalyst) || v.IsMember(m.ID):
	case v.Role == RoleMember:
		m.Redaction = Redaction{memberOthersAnalytics}
	default:
		m.sizeClass = m.SizeClass()
		m.LegalID, m.Headcount, m.ForeignParentCountry, m.Location, m.DistanceKm = "", nil, "", nil, nil
		m.JoinedOn, m.LeftOn, m.UpdatedAt, m.CreatedAt = time.Time{}, nil, time.Time{}, time.Time{}
		m.Address.PostalCode, m.Address.Department, m.Address.Country = "", "", ""
		m.Address.Redaction = Redaction{addressDirectoryOnly}
		m.Redaction = Redaction{memberDirectoryOnly}
	}
	return m
}

// MemberFilterAllowed returns FORBIDDEN, naming the argument, when f or o
// filters or sorts on a field v may not read: anonymous callers may not
// filter by department, join date or location (near: a distance to chosen
// points would locate a member), nor sort by headcount, join date or
// distance.
// The status filter stays open to them: it only narrows to ACTIVE members,
// the only ones they see.
func MemberFilterAllowed(v Viewer, f MemberFilter, o MemberOrder) error {
	if v.Role.AtLeast(RoleMember) {
		return nil
	}
	switch {
	case len(f.Departments) > 0:
		return forbiddenArgument("filter.departments", "departments")
	case f.JoinedAfter != nil:
		return forbiddenArgument("filter.joinedAfter", "joinedOn")
	case f.JoinedBefore != nil:
		return forbiddenArgument("filter.joinedBefore", "joinedOn")
	case f.Near != nil:
		return forbiddenArgument("filter.near", "location")
	case o.Field == OrderByHeadcount:
		return forbiddenArgument("orderBy.field", "headcount")
	case o.Field == OrderByJoinedOn:
		return forbiddenArgument("orderBy.field", "joinedOn")
	case o.Field == OrderByDistance:
		return forbiddenArgument("orderBy.field", "location")
	}
	return nil
}

// forbiddenArgument is the FORBIDDEN error of an argument that filters or
// sorts on a field the viewer may not read.
func forbiddenArgument(argument, field string) error {
	return &Error{Code: CodeForbidden, Field: argument,
		Message: argument + " filters or sorts on " + field + ", which is " + reasonMembersOnly}
}

// LinkScope is the set of business links a viewer may read, for storage to
// turn into a condition on its queries.
type LinkScope struct {
	// None: the viewer may read no link (reading a list is FORBIDDEN).
	None bool
	// PartyOf, when not 0, limits the viewer to CONFIRMED links and those
	// this member is a party to.
	PartyOf int64
}

// LinkScopeOf returns the links v may read.
func LinkScopeOf(v Viewer) LinkScope {
	switch {
	case v.Role.AtLeast(RoleAnalyst):
		return LinkScope{}
	case v.Role == RoleMember:
		return LinkScope{PartyOf: v.MemberID}
	}
	return LinkScope{None: true}
}

// CanListLinks returns FORBIDDEN when v may read no link at all.
func CanListLinks(v Viewer) error {
	if LinkScopeOf(v).None {
		return Errorf(CodeForbidden, "business links are %s", reasonMembersOnly)
	}
	return nil
}

// ReadLink applies the link policy to l for v: nil when v may not read l,
// otherwise l with its volume band cleared and withheld unless v is a
// party, an analyst or staff.
func ReadLink(v Viewer, l *BusinessLink) *BusinessLink {
	if l == nil || !CanSeeLink(v, l) {
		return nil
	}
	if !CanSeeVolume(v, l) {
		l.VolumeBand = ""
		l.Redaction = Redaction{linkVolume}
	}
	return l
}

// CanReadContacts returns FORBIDDEN unless v is a member or above.
func CanReadContacts(v Viewer) error {
	if !v.Role.AtLeast(RoleMember) {
		return Errorf(CodeForbidden, "contacts are %s", reasonMembersOnly)
	}
	return nil
}

// CommunityRedaction returns what v may not read of a community: its
// member list, unless v is an analyst or staff.
func CommunityRedaction(v Viewer) Redaction {
	if v.Role.AtLeast(RoleAnalyst) {
		return Redaction{}
	}
	return Redaction{communityMembers}
}

// CanReadRegistrants returns FORBIDDEN unless v is an analyst or staff:
// who registered for a training, and who attended it.
func CanReadRegistrants(v Viewer) error {
	if !v.Role.AtLeast(RoleAnalyst) {
		return Errorf(CodeForbidden, "the registrations and attendees of trainings are %s", reasonAnalystsOnly)
	}
	return nil
}

// ReadTraining applies the training policy to t for v: every viewer reads
// a training, but its registrations and attendees are cleared and
// withheld unless v is an analyst or staff.
func ReadTraining(v Viewer, t *Training) *Training {
	if t == nil {
		return nil
	}
	if CanReadRegistrants(v) != nil {
		t.AttendeeIDs = []int64{}
		t.Redaction = Redaction{trainingRegistrants}
	}
	return t
}

// WithheldFromAll reports whether the read policy withholds field (of
// GraphQL type typ) from v whatever the value: what is not worth reading
// ahead for v.
func WithheldFromAll(v Viewer, typ, field string) bool {
	var set *withheldFields
	switch {
	case typ == "Member" && !v.Role.AtLeast(RoleMember):
		set = memberDirectoryOnly
	case typ == "Training" && !v.Role.AtLeast(RoleAnalyst):
		set = trainingRegistrants
	default:
		return false
	}
	_, ok := set.reasons[field]
	return ok
}
