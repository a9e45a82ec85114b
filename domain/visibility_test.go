package domain

import (
	"errors"
	"testing"
	"time"
)

func testMember(id int64, status MemberStatus) *Member {
	hc := 12
	left := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	m := &Member{ID: id, Name: "Acme", LegalID: "732829320", Kind: KindCompany, Status: status, Headcount: &hc,
		ForeignParentCountry: "DE", Address: Address{City: "Cergy", PostalCode: "95000", Department: "95", Region: "Île-de-France", Country: "FR"},
		Location: &Location{Lat: 49, Lng: 2}, Website: "https://acme.example", Description: "Gauges", JoinedOn: left.AddDate(-5, 0, 0), UpdatedAt: left}
	if status == StatusLapsed {
		m.LeftOn = &left
	}
	return m
}

func TestReadMember(t *testing.T) {
	anon := Anonymous
	member := Viewer{Role: RoleMember, MemberID: 1}
	analyst := Viewer{Role: RoleAnalyst}

	if ReadMember(anon, testMember(2, StatusLapsed)) != nil {
		t.Error("anonymous reads a LAPSED member")
	}
	m := ReadMember(anon, testMember(2, StatusActive))
	if m == nil {
		t.Fatal("anonymous cannot read an ACTIVE member")
	}
	if m.Headcount != nil || m.LegalID != "" || m.Location != nil || !m.JoinedOn.IsZero() || m.ForeignParentCountry != "" ||
		m.Address.PostalCode != "" || m.Address.Department != "" || m.Address.Country != "" || !m.UpdatedAt.IsZero() {
		t.Errorf("anonymous reads non-directory fields: %+v", m)
	}
	if m.Name != "Acme" || m.Address.City != "Cergy" || m.Address.Region != "Île-de-France" || m.Website == "" || m.Description == "" {
		t.Errorf("anonymous lost directory fields: %+v", m)
	}
	if m.SizeClass() != SizeSmall {
		t.Errorf("size class of a redacted member = %q, want SMALL", m.SizeClass())
	}
	for _, f := range []string{"headcount", "legalId", "contacts", "businessLinks", "engagement", "centrality"} {
		var de *Error
		if err := m.Withheld(f); !errors.As(err, &de) || de.Code != CodeForbidden {
			t.Errorf("anonymous %s: %v, want FORBIDDEN", f, err)
		}
	}
	for _, f := range []string{"name", "kind", "trades", "sizeClass", "website"} {
		if m.Withholds(f) {
			t.Errorf("anonymous %s withheld", f)
		}
	}
	if !m.Address.Withholds("postalCode") || m.Address.Withholds("city") {
		t.Error("address redaction of an anonymous viewer")
	}

	other := ReadMember(member, testMember(2, StatusLapsed))
	if other == nil || other.Headcount == nil || other.Withholds("contacts") || !other.Withholds("engagement") || !other.Withholds("recommendedPartners") {
		t.Errorf("member reading another member: %+v", other)
	}
	self := ReadMember(member, testMember(1, StatusActive))
	if self.Withholds("engagement") || self.Withholds("centrality") {
		t.Error("member cannot read its own engagement")
	}
	if a := ReadMember(analyst, testMember(2, StatusLapsed)); a == nil || a.Withholds("engagement") {
		t.Error("analyst cannot read everything")
	}
}

func TestMemberFilterAllowed(t *testing.T) {
	after := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		f     MemberFilter
		o     MemberOrder
		field string
	}{
		{MemberFilter{Departments: []string{"95"}}, MemberOrder{}, "filter.departments"},
		{MemberFilter{JoinedAfter: &after}, MemberOrder{}, "filter.joinedAfter"},
		{MemberFilter{JoinedBefore: &after}, MemberOrder{}, "filter.joinedBefore"},
		{MemberFilter{}, MemberOrder{Field: OrderByHeadcount}, "orderBy.field"},
		{MemberFilter{}, MemberOrder{Field: OrderByJoinedOn, Descending: true}, "orderBy.field"},
		{MemberFilter{Regions: []string{"Bretagne"}, SizeClasses: []SizeClass{SizeMicro}, Statuses: []MemberStatus{StatusLapsed}}, MemberOrder{Field: OrderByName}, ""},
	}
	for _, c := range cases {
		err := MemberFilterAllowed(Anonymous, c.f, c.o)
		var de *Error
		switch {
		case c.field == "" && err != nil:
			t.Errorf("%+v %+v: %v", c.f, c.o, err)
		case c.field != "" && (!errors.As(err, &de) || de.Code != CodeForbidden || de.Field != c.field):
			t.Errorf("%+v %+v: %v, want FORBIDDEN on %s", c.f, c.o, err, c.field)
		}
		if err := MemberFilterAllowed(Viewer{Role: RoleMember, MemberID: 3}, c.f, c.o); err != nil {
			t.Errorf("member %+v: %v", c.f, err)
		}
	}
}

func TestReadLink(t *testing.T) {
	link := func(status LinkStatus) *BusinessLink {
		return &BusinessLink{ID: 9, FromID: 1, ToID: 2, Status: status, VolumeBand: Volume10KTo100K}
	}
	party, other := Viewer{Role: RoleMember, MemberID: 1}, Viewer{Role: RoleMember, MemberID: 5}
	if ReadLink(Anonymous, link(LinkConfirmed)) != nil {
		t.Error("anonymous reads a link")
	}
	if ReadLink(other, link(LinkPending)) != nil {
		t.Error("a member reads another's PENDING link")
	}
	if l := ReadLink(other, link(LinkConfirmed)); l == nil || l.VolumeBand != "" || !l.Withholds("volumeBand") {
		t.Errorf("a member reads another's volume band: %+v", l)
	}
	if l := ReadLink(party, link(LinkPending)); l == nil || l.VolumeBand == "" || l.Withholds("volumeBand") {
		t.Errorf("a party cannot read its link: %+v", l)
	}
	if l := ReadLink(Viewer{Role: RoleAnalyst}, link(LinkDeclined)); l == nil || l.VolumeBand == "" {
		t.Error("an analyst cannot read a link")
	}
	if CanListLinks(Anonymous) == nil || CanListLinks(other) != nil {
		t.Error("CanListLinks")
	}
}
