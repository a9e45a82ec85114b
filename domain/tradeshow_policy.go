package domain

import (
	"slices"
	"time"
)

// This file holds who may read and write trade shows, exhibitors and
// leads, and what a valid show, exhibitor and lead are. The trade show
// service calls them before changing anything; the rules that need the
// database (a member exists, a booth is free, an exhibitor belongs to the
// show) are its own.
//
//   - Shows and exhibitors: everyone reads them; staff write them.
//   - Leads: the member exhibiting reads and records its own (an ACTIVE
//     member: a lapsed one reads only), analysts read all, staff read and
//     write all; anonymous callers none.

// Bounds of a trade show's fields.
const (
	MaxEdition        = 1000
	MaxVisitorCount   = 10_000_000
	MaxShowDays       = 14 // a show lasts 1 to 14 days
	MaxExhibitorTrade = 20 // trades of an exhibitor that is not a member
	maxLeadNoteLen    = 2000
	showYearsAhead    = 10 // a show is planned at most ten years ahead
)

// FirstShowDay is the earliest first day of a show.
var FirstShowDay = time.Date(1950, time.January, 1, 0, 0, 0, 0, time.UTC)

// CanManageTradeShows returns FORBIDDEN unless v is staff: staff create
// and change shows, and add and remove exhibitors.
func CanManageTradeShows(v Viewer) error {
	if v.Role != RoleStaff {
		return Errorf(CodeForbidden, "only staff manage trade shows and their exhibitors")
	}
	return nil
}

// CanWriteLeads returns FORBIDDEN unless v may record or convert leads at
// all: staff, or a member (of its own exhibitor only: CanRecordLeadsOf).
func CanWriteLeads(v Viewer) error {
	if v.Role != RoleStaff && v.Role != RoleMember {
		return Errorf(CodeForbidden, "only the exhibiting member and staff record and convert leads")
	}
	return nil
}

// CanRecordLeadsOf returns FORBIDDEN unless v is staff or the MEMBER
// exhibiting as exhibitorMemberID (0 for an exhibitor that is not a
// member).
func CanRecordLeadsOf(v Viewer, exhibitorMemberID int64) error {
	if err := CanWriteLeads(v); err != nil {
		return err
	}
	if v.Role == RoleMember && (exhibitorMemberID == 0 || v.MemberID != exhibitorMemberID) {
		return Errorf(CodeForbidden, "a member records and converts the leads of its own exhibitor only")
	}
	return nil
}

// CanReadLeads returns FORBIDDEN unless v is a member or above: anonymous
// callers read no lead.
func CanReadLeads(v Viewer) error {
	if !v.Role.AtLeast(RoleMember) {
		return Errorf(CodeForbidden, "leads are visible to the exhibiting member, analysts and staff only")
	}
	return nil
}

// LeadScope is the set of leads a viewer may read, for storage to turn
// into a condition on its queries.
type LeadScope struct {
	// None: no lead (reading a list is FORBIDDEN: CanReadLeads).
	None bool
	// ExhibitorMember, when not 0, limits the viewer to the leads of this
	// member's exhibitors.
	ExhibitorMember int64
}

// LeadScopeOf returns the leads v may read: all for analysts and staff,
// its own exhibitors' for a member, none for anonymous callers.
func LeadScopeOf(v Viewer) LeadScope {
	switch {
	case v.Role.AtLeast(RoleAnalyst):
		return LeadScope{}
	case v.Role == RoleMember:
		return LeadScope{ExhibitorMember: v.MemberID}
	}
	return LeadScope{None: true}
}

// Allows reports whether the scope holds a lead of an exhibitor of member
// exhibitorMemberID (0: not a member).
func (s LeadScope) Allows(exhibitorMemberID int64) bool {
	return !s.None && (s.ExhibitorMember == 0 || s.ExhibitorMember == exhibitorMemberID)
}

// ValidateTradeShow cleans and checks a new show (see checkTradeShow);
// the visitor count defaults to 0.
func ValidateTradeShow(in TradeShowInput, today time.Time) (TradeShowInput, error) {
	s := TradeShow{Edition: in.Edition, City: in.City, Venue: in.Venue, StartsOn: in.StartsOn, EndsOn: in.EndsOn}
	if in.VisitorCount != nil {
		s.VisitorCount = *in.VisitorCount
	}
	if err := cleanTradeShow(&s, today); err != nil {
		return in, err
	}
	in.City, in.Venue, in.VisitorCount = s.City, s.Venue, &s.VisitorCount
	return in, nil
}

// ApplyTradeShowPatch validates patch and applies it to s, returning the
// names of the fields that changed. No field may be set to null.
func ApplyTradeShowPatch(s *TradeShow, patch TradeShowPatch, today time.Time) ([]string, error) {
	next := *s
	var set []string
	for _, f := range []struct {
		name  string
		isSet bool
		null  bool
		apply func()
	}{
		{"edition", patch.Edition.Set, patch.Edition.Value == nil, func() { next.Edition = *patch.Edition.Value }},
		{"city", patch.City.Set, patch.City.Value == nil, func() { next.City = *patch.City.Value }},
		{"venue", patch.Venue.Set, patch.Venue.Value == nil, func() { next.Venue = *patch.Venue.Value }},
		{"startsOn", patch.StartsOn.Set, patch.StartsOn.Value == nil, func() { next.StartsOn = *patch.StartsOn.Value }},
		{"endsOn", patch.EndsOn.Set, patch.EndsOn.Value == nil, func() { next.EndsOn = *patch.EndsOn.Value }},
		{"visitorCount", patch.VisitorCount.Set, patch.VisitorCount.Value == nil, func() { next.VisitorCount = *patch.VisitorCount.Value }},
	} {
		if !f.isSet {
			continue
		}
		if f.null {
			return nil, InvalidField(f.name, "%s must not be null", f.name)
		}
		f.apply()
		set = append(set, f.name)
	}
	if err := cleanTradeShow(&next, today); err != nil {
		return nil, err
	}
	next.Year = next.StartsOn.Year()
	var changed []string
	for _, name := range set {
		if showField(s, name) != showField(&next, name) {
			changed = append(changed, name)
		}
	}
	*s = next
	return changed, nil
}

// showField returns the value of a field of s by name, comparable.
func showField(s *TradeShow, name string) any {
	switch name {
	case "edition":
		return s.Edition
	case "city":
		return s.City
	case "venue":
		return s.Venue
	case "startsOn":
		return s.StartsOn.Format(time.DateOnly)
	case "endsOn":
		return s.EndsOn.Format(time.DateOnly)
	}
	return s.VisitorCount
}

// cleanTradeShow cleans and checks a show's fields: an edition from 1 to
// MaxEdition; a city and a venue, not blank, at most 200 characters; a
// first day from FirstShowDay to ten years after today; a last day on or
// after the first, the show lasting at most MaxShowDays days; a visitor
// count from 0 to MaxVisitorCount. Returns BAD_USER_INPUT naming the field.
func cleanTradeShow(s *TradeShow, today time.Time) error {
	if err := ValidateRange("edition", s.Edition, 1, MaxEdition); err != nil {
		return err
	}
	var err error
	if s.City, err = RequiredText("city", s.City, maxShortTextLen); err != nil {
		return err
	}
	if s.Venue, err = RequiredText("venue", s.Venue, maxShortTextLen); err != nil {
		return err
	}
	latest := today.AddDate(showYearsAhead, 0, 0)
	if s.StartsOn.Before(FirstShowDay) || s.StartsOn.After(latest) {
		return InvalidField("startsOn", "startsOn must be between %s and %s", FirstShowDay.Format(time.DateOnly), latest.Format(time.DateOnly))
	}
	if s.EndsOn.Before(s.StartsOn) {
		return InvalidField("endsOn", "endsOn must not be before startsOn (%s)", s.StartsOn.Format(time.DateOnly))
	}
	if s.EndsOn.After(s.StartsOn.AddDate(0, 0, MaxShowDays-1)) {
		return InvalidField("endsOn", "a show lasts at most %d days: endsOn must be by %s", MaxShowDays,
			s.StartsOn.AddDate(0, 0, MaxShowDays-1).Format(time.DateOnly))
	}
	return ValidateRange("visitorCount", s.VisitorCount, 0, MaxVisitorCount)
}

// ValidateExhibitor cleans and checks a new exhibitor: a booth and, for an
// exhibitor that is not a member, a name, not blank and at most 200
// characters; either a member or a name, not both; trades (at most
// MaxExhibitorTrade, without duplicates) only for an exhibitor that is not
// a member. Returns BAD_USER_INPUT naming the field.
func ValidateExhibitor(in ExhibitorInput) (ExhibitorInput, error) {
	var err error
	if in.Name != nil {
		name, err := RequiredText("name", *in.Name, maxNameLen)
		if err != nil {
			return in, err
		}
		in.Name = &name
	}
	if in.Booth, err = RequiredText("booth", in.Booth, maxShortTextLen); err != nil {
		return in, err
	}
	switch {
	case in.MemberID != nil && in.Name != nil:
		return in, InvalidField("name", "give memberId (a member exhibiting) or name (an exhibitor that is not a member), not both")
	case in.MemberID == nil && in.Name == nil:
		return in, InvalidField("memberId", "give memberId (a member exhibiting) or name (an exhibitor that is not a member)")
	case in.MemberID != nil && len(in.TradeIDs) > 0:
		return in, InvalidField("tradeIds", "a member exhibitor shows its member's trades: tradeIds is for an exhibitor that is not a member")
	}
	in.TradeIDs = slices.Clone(in.TradeIDs)
	slices.Sort(in.TradeIDs)
	in.TradeIDs = slices.Compact(in.TradeIDs)
	if len(in.TradeIDs) > MaxExhibitorTrade {
		return in, InvalidField("tradeIds", "at most %d trades, got %d", MaxExhibitorTrade, len(in.TradeIDs))
	}
	return in, nil
}

// ValidateLeadInput cleans and checks a lead's visitor and note: either a
// visitor member or a visitor company (not blank, at most 200
// characters), not both; a note of at most 2,000 characters (blank is
// none). Returns BAD_USER_INPUT naming the field.
func ValidateLeadInput(in LeadInput) (LeadInput, error) {
	if in.VisitorCompany != nil {
		company, err := RequiredText("visitorCompany", *in.VisitorCompany, maxNameLen)
		if err != nil {
			return in, err
		}
		in.VisitorCompany = &company
	}
	var err error
	if in.Note, err = CleanText("note", in.Note, maxLeadNoteLen); err != nil {
		return in, err
	}
	switch {
	case in.VisitorMemberID != nil && in.VisitorCompany != nil:
		return in, InvalidField("visitorCompany", "give visitorMemberId (a member visiting) or visitorCompany (a company that is not a member), not both")
	case in.VisitorMemberID == nil && in.VisitorCompany == nil:
		return in, InvalidField("visitorMemberId", "give visitorMemberId (a member visiting) or visitorCompany (a company that is not a member)")
	}
	return in, nil
}

// LeadTime returns when a lead of show s was scanned: scannedAt, or now
// when nil. A lead is scanned from the show's first day (in loc, the
// cluster's time zone) on, and at most a day ahead of now: BAD_USER_INPUT
// on scannedAt otherwise, or CONFLICT when scannedAt is omitted before
// the show opened.
func LeadTime(s *TradeShow, scannedAt *time.Time, now time.Time, loc *time.Location) (time.Time, error) {
	opens := time.Date(s.StartsOn.Year(), s.StartsOn.Month(), s.StartsOn.Day(), 0, 0, 0, 0, loc)
	if scannedAt == nil {
		if now.Before(opens) {
			return now, Errorf(CodeConflict, "the show opens on %s: its leads are recorded from then on", s.StartsOn.Format(time.DateOnly))
		}
		return now, nil
	}
	if scannedAt.Before(opens) {
		return *scannedAt, InvalidField("scannedAt", "scannedAt must not be before the show's first day (%s)", s.StartsOn.Format(time.DateOnly))
	}
	if scannedAt.After(now.Add(24 * time.Hour)) {
		return *scannedAt, InvalidField("scannedAt", "scannedAt must not be more than a day ahead")
	}
	return *scannedAt, nil
}
