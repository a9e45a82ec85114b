package domain

import (
	"testing"
	"time"
)

func TestNormalizeSIREN(t *testing.T) {
	for _, c := range []struct {
		in, want, code string
	}{
		{"732829320", "732829320", ""},
		{"732 829 320", "732829320", ""},
		{"", "", ""},
		{"732829321", "", CodeBadUserInput}, // checksum
		{"73282932", "", CodeBadUserInput},  // 8 digits
		{"73282932A", "", CodeBadUserInput},
		{"7328\x0029320", "", CodeBadUserInput},
	} {
		got, err := NormalizeSIREN("legalId", c.in)
		if got != c.want || ErrorCode(err) != c.code {
			t.Errorf("NormalizeSIREN(%q) = %q, %v; want %q, %s", c.in, got, err, c.want, c.code)
		}
	}
}

func TestSizeClassOf(t *testing.T) {
	for n, want := range map[int]SizeClass{0: SizeMicro, 9: SizeMicro, 10: SizeSmall, 49: SizeSmall, 50: SizeMedium, 249: SizeMedium, 250: SizeLarge} {
		if got := SizeClassOf(n); got != want {
			t.Errorf("SizeClassOf(%d) = %s, want %s", n, got, want)
		}
	}
}

func TestNormalizeAddress(t *testing.T) {
	for _, c := range []struct {
		in          Address
		dep, reg    string
		code, field string
	}{
		{Address{PostalCode: "95000"}, "95", "Île-de-France", "", ""},
		{Address{PostalCode: "20090"}, "2A", "Corse", "", ""},
		{Address{PostalCode: "20600"}, "2B", "Corse", "", ""},
		{Address{PostalCode: "97400"}, "974", "La Réunion", "", ""},
		{Address{Department: "69"}, "69", "Auvergne-Rhône-Alpes", "", ""},
		{Address{PostalCode: "00100"}, "", "", CodeBadUserInput, "address.postalCode"},
		{Address{Department: "99"}, "", "", CodeBadUserInput, "address.department"},
		{Address{Country: "XX"}, "", "", CodeBadUserInput, "address.country"},
		{Address{Country: "de", PostalCode: "10115"}, "", "", "", ""},
	} {
		got, err := NormalizeAddress("address", c.in)
		if ErrorCode(err) != c.code {
			t.Errorf("%+v: %v, want %s", c.in, err, c.code)
			continue
		}
		if err != nil {
			if e := err.(*Error); e.Field != c.field {
				t.Errorf("%+v: field %s, want %s", c.in, e.Field, c.field)
			}
			continue
		}
		if got.Department != c.dep || got.Region != c.reg {
			t.Errorf("%+v: got %+v", c.in, got)
		}
	}
}

func TestPageRequestLimit(t *testing.T) {
	n := func(i int) *int { return &i }
	for _, c := range []struct {
		p     PageRequest
		want  int
		field string
	}{
		{PageRequest{}, DefaultPageSize, ""},
		{PageRequest{First: n(100)}, 100, ""},
		{PageRequest{First: n(0)}, 0, ""},
		{PageRequest{First: n(101)}, 0, "first"},
		{PageRequest{First: n(-1)}, 0, "first"},
		{PageRequest{Last: n(1 << 30)}, 0, "last"},
		{PageRequest{First: n(1), Last: n(1)}, 0, "last"},
	} {
		got, err := c.p.Limit()
		if c.field != "" {
			if e, ok := err.(*Error); !ok || e.Field != c.field || e.Code != CodeBadUserInput {
				t.Errorf("%+v: err %v, want field %s", c.p, err, c.field)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%+v: %d, %v; want %d", c.p, got, err, c.want)
		}
	}
}

func TestApplyMemberPatch(t *testing.T) {
	today := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	m := &Member{Name: "Old", Kind: KindCompany, Website: "https://old.example", JoinedOn: today.AddDate(-5, 0, 0)}
	changed, err := ApplyMemberPatch(m, MemberPatch{
		Name:    Some("  New "),
		Website: Optional[string]{Set: true},
	}, today)
	if err != nil || m.Name != "New" || m.Website != "" || len(changed) != 2 {
		t.Fatalf("patch: %v %+v %v", err, m, changed)
	}
	if _, err := ApplyMemberPatch(m, MemberPatch{JoinedOn: Some(today.AddDate(0, 0, 1))}, today); ErrorCode(err) != CodeBadUserInput {
		t.Fatalf("future joinedOn: %v", err)
	}
}

func TestValidateContact(t *testing.T) {
	for _, c := range []struct {
		in    ContactInput
		field string
	}{
		{ContactInput{Name: "Claire", Email: "claire@x.example", Phone: "+33 1 23 45 67 89"}, ""},
		{ContactInput{Name: " "}, "name"},
		{ContactInput{Name: "A", Email: "nope"}, "email"},
		{ContactInput{Name: "A", Email: "a@b@c.example"}, "email"},
		{ContactInput{Name: "A", Phone: "call me"}, "phone"},
	} {
		_, err := ValidateContact(c.in)
		if c.field == "" {
			if err != nil {
				t.Errorf("%+v: %v", c.in, err)
			}
			continue
		}
		if e, ok := err.(*Error); !ok || e.Field != c.field {
			t.Errorf("%+v: %v, want field %s", c.in, err, c.field)
		}
	}
}

func TestValidateTradeInput(t *testing.T) {
	in, err := ValidateTradeInput(TradeInput{Code: "manufacturer.optics", NameEN: "Optics", NameFR: "Optique"})
	if err != nil || in.Code != "MANUFACTURER.OPTICS" {
		t.Fatalf("%+v %v", in, err)
	}
	for _, code := range []string{"", "1ABC", "A B", "A-B", ".A"} {
		if _, err := ValidateTradeInput(TradeInput{Code: code, NameEN: "x", NameFR: "x"}); ErrorCode(err) != CodeBadUserInput {
			t.Errorf("code %q accepted", code)
		}
	}
}

func TestEngagementScore(t *testing.T) {
	for _, c := range []struct{ m, g, q, l, want int }{
		{0, 0, 0, 0, 0}, {1, 1, 1, 1, 30}, {5, 0, 0, 0, 40}, {4, 2, 4, 4, 100}, {10, 10, 10, 10, 100}, {0, 0, 3, 0, 15},
	} {
		if got := EngagementScore(c.m, c.g, c.q, c.l); got != c.want {
			t.Errorf("EngagementScore(%d,%d,%d,%d) = %d, want %d", c.m, c.g, c.q, c.l, got, c.want)
		}
	}
}
