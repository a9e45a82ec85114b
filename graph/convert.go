package graph

import (
	"fmt"
	"time"

	"grappe/domain"
	"grappe/globalid"
	"grappe/graph/model"
)

// nullable returns nil for an empty string, else a pointer to it.
func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// deref returns the string p points to, or "".
func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// decodeIDs decodes global ids of type typ; field names the argument in errors.
func decodeIDs(field, typ string, gids []string) ([]int64, error) {
	ids := make([]int64, len(gids))
	for i, gid := range gids {
		id, err := globalid.DecodeAs(field, typ, gid)
		if err != nil {
			return nil, err
		}
		ids[i] = id
	}
	return ids, nil
}

// pageRequest builds a domain page request from connection arguments.
func pageRequest(first *int, after *string, last *int, before *string) domain.PageRequest {
	return domain.PageRequest{First: first, After: deref(after), Last: last, Before: deref(before)}
}

// memberFilter converts the GraphQL member filter.
func memberFilter(f *model.MemberFilter) (domain.MemberFilter, error) {
	if f == nil {
		return domain.MemberFilter{}, nil
	}
	tradeIDs, err := decodeIDs("filter.tradeIds", globalid.TypeTrade, f.TradeIds)
	if err != nil {
		return domain.MemberFilter{}, err
	}
	var near *domain.Near
	if n := f.Near; n != nil {
		near = &domain.Near{Lat: n.Lat, Lng: n.Lng, RadiusKm: n.RadiusKm}
	}
	return domain.MemberFilter{
		Search: deref(f.Search), Statuses: f.Statuses, Kinds: f.Kinds, SizeClasses: f.SizeClasses, TradeIDs: tradeIDs,
		Regions: f.Regions, Departments: f.Departments,
		JoinedAfter: f.JoinedAfter, JoinedBefore: f.JoinedBefore, Near: near,
	}, nil
}

// memberOrder converts the GraphQL member order.
func memberOrder(o *model.MemberOrder) domain.MemberOrder {
	if o == nil {
		return domain.MemberOrder{} // the service's default: relevance for a search, else name
	}
	return domain.MemberOrder{Field: o.Field, Descending: o.Direction != nil && *o.Direction == model.OrderDirectionDesc}
}

// address converts an input address.
func address(a *model.AddressInput) *domain.Address {
	if a == nil {
		return nil
	}
	return &domain.Address{
		City: deref(a.City), PostalCode: deref(a.PostalCode), Department: deref(a.Department),
		Region: deref(a.Region), Country: deref(a.Country),
	}
}

// location converts an input location.
func location(l *model.LocationInput) *domain.Location {
	if l == nil {
		return nil
	}
	return &domain.Location{Lat: l.Lat, Lng: l.Lng}
}

// memberInput converts createMember's input.
func memberInput(in model.CreateMemberInput) (domain.MemberInput, error) {
	tradeIDs, err := decodeIDs("tradeIds", globalid.TypeTrade, in.TradeIds)
	if err != nil {
		return domain.MemberInput{}, err
	}
	return domain.MemberInput{
		Name: in.Name, Kind: in.Kind, Headcount: in.Headcount, LegalID: deref(in.LegalID),
		ForeignParentCountry: deref(in.ForeignParentCountry), TradeIDs: tradeIDs,
		Address: address(in.Address), Location: location(in.Location),
		Website: deref(in.Website), Description: deref(in.Description), JoinedOn: in.JoinedOn,
	}, nil
}

// memberPatch converts updateMember's input.
func memberPatch(in model.UpdateMemberInput) (domain.MemberPatch, error) {
	p := domain.MemberPatch{
		Name:                 optional(in.Name),
		Kind:                 optional(in.Kind),
		Headcount:            optional(in.Headcount),
		LegalID:              optional(in.LegalID),
		ForeignParentCountry: optional(in.ForeignParentCountry),
		Website:              optional(in.Website),
		Description:          optional(in.Description),
		JoinedOn:             optional(in.JoinedOn),
	}
	if a, set := in.Address.ValueOK(); set {
		p.Address = domain.Optional[domain.Address]{Set: true, Value: address(a)}
	}
	if l, set := in.Location.ValueOK(); set {
		p.Location = domain.Optional[domain.Location]{Set: true, Value: location(l)}
	}
	if gids, set := in.TradeIds.ValueOK(); set {
		p.TradeIDs.Set = true
		if gids != nil {
			ids, err := decodeIDs("tradeIds", globalid.TypeTrade, gids)
			if err != nil {
				return p, err
			}
			p.TradeIDs.Value = &ids
		}
	}
	return p, nil
}

// omittable is the part of graphql.Omittable that optional needs.
type omittable[T any] interface{ ValueOK() (T, bool) }

// optional converts an omittable nullable input field into a domain patch field.
func optional[T any](o omittable[*T]) domain.Optional[T] {
	v, set := o.ValueOK()
	return domain.Optional[T]{Set: set, Value: v}
}

// dateOf returns the date part of t, for fields typed Date.
func dateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// tradePair decodes the two trade ids of a complement mutation.
func tradePair(tradeID, otherID string) (int64, int64, error) {
	a, err := globalid.DecodeAs("tradeId", globalid.TypeTrade, tradeID)
	if err != nil {
		return 0, 0, err
	}
	b, err := globalid.DecodeAs("otherTradeId", globalid.TypeTrade, otherID)
	return a, b, err
}

// questionFilter converts the GraphQL question filter.
func questionFilter(f *model.QuestionFilter) (domain.QuestionFilter, error) {
	if f == nil {
		return domain.QuestionFilter{}, nil
	}
	raisedBy, err := optionalMemberID("filter.raisedBy", f.RaisedBy)
	if err != nil {
		return domain.QuestionFilter{}, err
	}
	supportedBy, err := optionalMemberID("filter.supportedBy", f.SupportedBy)
	if err != nil {
		return domain.QuestionFilter{}, err
	}
	return domain.QuestionFilter{Themes: f.Themes, Statuses: f.Statuses, RaisedBy: raisedBy, SupportedBy: supportedBy}, nil
}

// optionalMemberID decodes a member's global id that may be null.
func optionalMemberID(field string, gid *string) (*int64, error) {
	if gid == nil {
		return nil, nil
	}
	id, err := globalid.DecodeAs(field, globalid.TypeMember, *gid)
	if err != nil {
		return nil, err
	}
	return &id, nil
}

// groupFilter converts the GraphQL group filter.
func groupFilter(f *model.GroupFilter) (domain.GroupFilter, error) {
	if f == nil {
		return domain.GroupFilter{}, nil
	}
	ids, err := decodeIDs("filter.memberIds", globalid.TypeMember, f.MemberIds)
	return domain.GroupFilter{Themes: f.Themes, Statuses: f.Statuses, MemberIDs: ids}, err
}

// supportIDs decodes the question and member of a support.
func supportIDs(questionGID, memberGID string) (questionID, memberID int64, err error) {
	if questionID, err = globalid.DecodeAs("questionId", globalid.TypeQuestion, questionGID); err != nil {
		return 0, 0, err
	}
	memberID, err = globalid.DecodeAs("memberId", globalid.TypeMember, memberGID)
	return questionID, memberID, err
}

// participationIDs decodes the group and member of a join or leave.
func participationIDs(groupGID, memberGID string) (groupID, memberID int64, err error) {
	if groupID, err = globalid.DecodeAs("groupId", globalid.TypeWorkingGroup, groupGID); err != nil {
		return 0, 0, err
	}
	memberID, err = globalid.DecodeAs("memberId", globalid.TypeMember, memberGID)
	return groupID, memberID, err
}

// meetingInput converts scheduleMeeting's input.
func meetingInput(in model.ScheduleMeetingInput) (domain.MeetingInput, error) {
	groupID, err := globalid.DecodeAs("groupId", globalid.TypeWorkingGroup, in.GroupID)
	if err != nil {
		return domain.MeetingInput{}, err
	}
	agenda := make([]domain.AgendaItem, len(in.Agenda))
	for i, item := range in.Agenda {
		agenda[i] = domain.AgendaItem{Title: item.Title, Minutes: item.Minutes}
	}
	return domain.MeetingInput{
		GroupID: groupID, Title: in.Title, StartsAt: in.StartsAt, DurationMinutes: in.DurationMinutes,
		Agenda: agenda, ExpectedOutcome: in.ExpectedOutcome,
	}, nil
}

// actionPlanInput converts publishActionPlan's input.
func actionPlanInput(in model.PublishActionPlanInput) (domain.ActionPlanInput, error) {
	groupID, err := globalid.DecodeAs("groupId", globalid.TypeWorkingGroup, in.GroupID)
	if err != nil {
		return domain.ActionPlanInput{}, err
	}
	items := make([]domain.ActionItem, len(in.Items))
	for i, item := range in.Items {
		items[i] = domain.ActionItem{Title: item.Title}
		if item.OwnerID != nil {
			owner, err := globalid.DecodeAs(fmt.Sprintf("items[%d].ownerId", i), globalid.TypeMember, *item.OwnerID)
			if err != nil {
				return domain.ActionPlanInput{}, err
			}
			items[i].OwnerID = &owner
		}
		if item.DueOn != nil {
			d := dateOf(*item.DueOn)
			items[i].DueOn = &d
		}
	}
	return domain.ActionPlanInput{GroupID: groupID, Summary: in.Summary, Items: items}, nil
}

// linkFilter converts the GraphQL link filter.
func linkFilter(f *model.BusinessLinkFilter) (domain.LinkFilter, error) {
	if f == nil {
		return domain.LinkFilter{}, nil
	}
	memberIDs, err := decodeIDs("filter.memberIds", globalid.TypeMember, f.MemberIds)
	if err != nil {
		return domain.LinkFilter{}, err
	}
	return domain.LinkFilter{
		MemberIDs: memberIDs, Kinds: f.Kinds, Statuses: f.Statuses, Origins: f.Origins,
		SinceAfter: f.SinceAfter, SinceBefore: f.SinceBefore,
	}, nil
}

// linkInput converts declareBusinessLink's input.
func linkInput(in model.DeclareBusinessLinkInput) (domain.LinkInput, error) {
	from, err := globalid.DecodeAs("fromId", globalid.TypeMember, in.FromID)
	if err != nil {
		return domain.LinkInput{}, err
	}
	to, err := globalid.DecodeAs("toId", globalid.TypeMember, in.ToID)
	if err != nil {
		return domain.LinkInput{}, err
	}
	out := domain.LinkInput{FromID: from, ToID: to, Kind: in.Kind, Since: in.Since, Note: deref(in.Note)}
	if in.VolumeBand != nil {
		out.VolumeBand = *in.VolumeBand
	}
	if in.Origin != nil {
		out.Origin = *in.Origin
	}
	return out, nil
}

// touchpointInput converts logTouchpoint's input.
func touchpointInput(in model.LogTouchpointInput) (domain.TouchpointInput, error) {
	memberID, err := globalid.DecodeAs("memberId", globalid.TypeMember, in.MemberID)
	if err != nil {
		return domain.TouchpointInput{}, err
	}
	out := domain.TouchpointInput{MemberID: memberID, Channel: in.Channel, At: in.At, Summary: in.Summary, FollowUpOn: in.FollowUpOn}
	if in.ContactID != nil {
		id, err := globalid.DecodeAs("contactId", globalid.TypeContact, *in.ContactID)
		if err != nil {
			return domain.TouchpointInput{}, err
		}
		out.ContactID = &id
	}
	return out, nil
}

// trainingFilter converts the GraphQL training filter.
func trainingFilter(f *model.TrainingFilter) domain.TrainingFilter {
	if f == nil {
		return domain.TrainingFilter{}
	}
	return domain.TrainingFilter{Themes: f.Themes, From: f.From, To: f.To, Statuses: f.Statuses}
}

// trainingInput converts scheduleTraining's input.
func trainingInput(in model.ScheduleTrainingInput) domain.TrainingInput {
	return domain.TrainingInput{
		Title: in.Title, Theme: in.Theme, Description: deref(in.Description), StartsAt: in.StartsAt,
		DurationMinutes: in.DurationMinutes, Place: deref(in.Place), Capacity: in.Capacity,
	}
}

// registrationIDs decodes the training and member of a registration.
func registrationIDs(trainingGID, memberGID string) (trainingID, memberID int64, err error) {
	if trainingID, err = globalid.DecodeAs("trainingId", globalid.TypeTraining, trainingGID); err != nil {
		return 0, 0, err
	}
	memberID, err = globalid.DecodeAs("memberId", globalid.TypeMember, memberGID)
	return trainingID, memberID, err
}

// exhibitorInput converts addExhibitor's input.
func exhibitorInput(in model.AddExhibitorInput) (domain.ExhibitorInput, error) {
	showID, err := globalid.DecodeAs("tradeShowId", globalid.TypeTradeShow, in.TradeShowID)
	if err != nil {
		return domain.ExhibitorInput{}, err
	}
	out := domain.ExhibitorInput{TradeShowID: showID, Name: in.Name, Booth: in.Booth}
	if in.MemberID != nil {
		id, err := globalid.DecodeAs("memberId", globalid.TypeMember, *in.MemberID)
		if err != nil {
			return out, err
		}
		out.MemberID = &id
	}
	if out.TradeIDs, err = decodeIDs("tradeIds", globalid.TypeTrade, in.TradeIds); err != nil {
		return out, err
	}
	return out, nil
}

// leadInput converts recordLead's input.
func leadInput(in model.RecordLeadInput) (domain.LeadInput, error) {
	showID, err := globalid.DecodeAs("tradeShowId", globalid.TypeTradeShow, in.TradeShowID)
	if err != nil {
		return domain.LeadInput{}, err
	}
	exhibitorID, err := globalid.DecodeAs("exhibitorId", globalid.TypeExhibitor, in.ExhibitorID)
	if err != nil {
		return domain.LeadInput{}, err
	}
	out := domain.LeadInput{TradeShowID: showID, ExhibitorID: exhibitorID, VisitorCompany: in.VisitorCompany,
		Note: deref(in.Note), ScannedAt: in.ScannedAt}
	if in.VisitorMemberID != nil {
		id, err := globalid.DecodeAs("visitorMemberId", globalid.TypeMember, *in.VisitorMemberID)
		if err != nil {
			return out, err
		}
		out.VisitorMemberID = &id
	}
	return out, nil
}
