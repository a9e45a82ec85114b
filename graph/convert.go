package graph

import (
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
	return domain.MemberFilter{
		Search: deref(f.Search), Statuses: f.Statuses, Kinds: f.Kinds, SizeClasses: f.SizeClasses, TradeIDs: tradeIDs,
		Regions: f.Regions, Departments: f.Departments,
		JoinedAfter: f.JoinedAfter, JoinedBefore: f.JoinedBefore,
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
