package domain

import (
	"slices"
	"time"
)

// This file holds the rules for writing business links (SPEC §3 and §4):
// who may declare, confirm, decline and end a link, and what a valid
// declaration is. The store checks them before changing anything and adds
// the rules that need the database: the parties exist and are ACTIVE, the
// viewer's own membership has not lapsed, and a live link is unique.

// maxLinkNoteLen bounds the note of a link, in characters.
const maxLinkNoteLen = 2000

// Valid reports whether k is a known link kind.
func (k LinkKind) Valid() bool {
	switch k {
	case LinkSupply, LinkSubcontracting, LinkDistribution, LinkPartnership, LinkJointBid, LinkReferral:
		return true
	}
	return false
}

// Valid reports whether s is a known link status.
func (s LinkStatus) Valid() bool {
	switch s {
	case LinkPending, LinkConfirmed, LinkDeclined, LinkEnded:
		return true
	}
	return false
}

// Valid reports whether b is a known volume band.
func (b VolumeBand) Valid() bool {
	switch b {
	case VolumeUnder10K, Volume10KTo100K, Volume100KTo1M, VolumeOver1M:
		return true
	}
	return false
}

// Valid reports whether o is a known link origin.
func (o LinkOrigin) Valid() bool {
	switch o {
	case OriginWorkingGroup, OriginTradeShow, OriginIntroduction, OriginPreExisting, OriginOther:
		return true
	}
	return false
}

// Valid reports whether d is a known direction.
func (d LinkDirection) Valid() bool {
	return d == DirectionOutgoing || d == DirectionIncoming || d == DirectionAny
}

// CanSeeLink reports whether v may see l at all: analysts and staff see
// every link, a member the CONFIRMED links and those it is a party to,
// anonymous callers none. The store applies the same rule in SQL.
func CanSeeLink(v Viewer, l *BusinessLink) bool {
	switch {
	case v.Role.AtLeast(RoleAnalyst):
		return true
	case v.Role == RoleMember:
		return l.Status == LinkConfirmed || l.HasParty(v.MemberID)
	}
	return false
}

// CanWriteLinks returns FORBIDDEN unless v is staff or a member: analysts
// and anonymous callers change no link.
func CanWriteLinks(v Viewer) error {
	if v.Role == RoleStaff || v.Role == RoleMember {
		return nil
	}
	return Errorf(CodeForbidden, "only members and staff can change business links")
}

// CanDeclareLink returns FORBIDDEN unless v is staff or the member fromID
// or toID: a member declares only as itself. The store also refuses a
// LAPSED member.
func CanDeclareLink(v Viewer, fromID, toID int64) error {
	if err := CanWriteLinks(v); err != nil {
		return err
	}
	if v.Role == RoleMember && v.MemberID != fromID && v.MemberID != toID {
		return Errorf(CodeForbidden, "a member declares only its own links: fromId or toId must be its own id")
	}
	return nil
}

// CanAnswerLink returns FORBIDDEN unless v may confirm or decline l: staff,
// or the member party that did not declare it.
func CanAnswerLink(v Viewer, l *BusinessLink) error {
	if err := CanWriteLinks(v); err != nil {
		return err
	}
	if v.Role == RoleStaff {
		return nil
	}
	if !l.HasParty(v.MemberID) || l.DeclaredBy == v.MemberID {
		return Errorf(CodeForbidden, "only the other side of a link can confirm or decline it")
	}
	return nil
}

// CanEndLink returns FORBIDDEN unless v may end l: staff or either party.
func CanEndLink(v Viewer, l *BusinessLink) error {
	if err := CanWriteLinks(v); err != nil {
		return err
	}
	if v.Role == RoleMember && !l.HasParty(v.MemberID) {
		return Errorf(CodeForbidden, "only a party to a link can end it")
	}
	return nil
}

// ValidateLinkInput cleans and checks a declaration, and fills in its
// defaults: since today, origin OTHER. Returns BAD_USER_INPUT naming the
// field for a self-link, an unknown kind, band or origin, a date in the
// future or a note too long.
func ValidateLinkInput(in LinkInput, today time.Time) (LinkInput, error) {
	if in.FromID == in.ToID {
		return in, InvalidField("toId", "a member cannot do business with itself: fromId and toId must differ")
	}
	if !in.Kind.Valid() {
		return in, InvalidField("kind", "unknown link kind %q", in.Kind)
	}
	if in.VolumeBand != "" && !in.VolumeBand.Valid() {
		return in, InvalidField("volumeBand", "unknown volume band %q", in.VolumeBand)
	}
	if in.Origin == "" {
		in.Origin = OriginOther
	}
	if !in.Origin.Valid() {
		return in, InvalidField("origin", "unknown link origin %q", in.Origin)
	}
	if in.Since == nil {
		in.Since = &today
	}
	if in.Since.After(today) {
		return in, InvalidField("since", "since must not be in the future")
	}
	var err error
	if in.Note, err = CleanText("note", in.Note, maxLinkNoteLen); err != nil {
		return in, err
	}
	return in, nil
}

// ValidateLinkEnd returns the end date of l: until, today when nil.
// Returns BAD_USER_INPUT on until for a date before l's since or in the
// future.
func ValidateLinkEnd(l *BusinessLink, until *time.Time, today time.Time) (time.Time, error) {
	end := today
	if until != nil {
		end = *until
	}
	if end.After(today) {
		return end, InvalidField("until", "until must not be in the future")
	}
	if end.Before(l.Since) {
		return end, InvalidField("until", "until must not be before since (%s)", l.Since.Format(time.DateOnly))
	}
	return end, nil
}

// ValidateLinkFilter checks the enum values of a link filter and of a
// member's link direction ("" means ANY). Returns BAD_USER_INPUT naming the
// field.
func ValidateLinkFilter(f LinkFilter, direction LinkDirection) error {
	if direction != "" && !direction.Valid() {
		return InvalidField("direction", "unknown direction %q", direction)
	}
	if i := slices.IndexFunc(f.Kinds, func(k LinkKind) bool { return !k.Valid() }); i >= 0 {
		return InvalidField("kinds", "unknown link kind %q", f.Kinds[i])
	}
	if i := slices.IndexFunc(f.Statuses, func(s LinkStatus) bool { return !s.Valid() }); i >= 0 {
		return InvalidField("statuses", "unknown link status %q", f.Statuses[i])
	}
	if i := slices.IndexFunc(f.Origins, func(o LinkOrigin) bool { return !o.Valid() }); i >= 0 {
		return InvalidField("origins", "unknown link origin %q", f.Origins[i])
	}
	return nil
}
