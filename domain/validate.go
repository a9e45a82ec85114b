package domain

import (
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// Input length limits.
const (
	maxNameLen        = 200
	maxDescriptionLen = 5000
	maxShortTextLen   = 200
	maxHeadcount      = 10_000_000
)

// CleanText trims s and checks it is valid UTF-8 without NUL bytes and at
// most max characters long. field names the input in the error.
func CleanText(field, s string, max int) (string, error) {
	if !utf8.ValidString(s) {
		return "", InvalidField(field, "%s is not valid UTF-8", field)
	}
	if strings.ContainsRune(s, 0) {
		return "", InvalidField(field, "%s must not contain NUL bytes", field)
	}
	s = strings.TrimSpace(s)
	if n := utf8.RuneCountInString(s); n > max {
		return "", InvalidField(field, "%s is too long: %d characters, at most %d", field, n, max)
	}
	return s, nil
}

// CleanTexts is CleanText for each string of a list; field names the list
// in errors (e.g. "filter.regions").
func CleanTexts(field string, ss []string, max int) ([]string, error) {
	if ss == nil {
		return nil, nil
	}
	out := make([]string, len(ss))
	for i, s := range ss {
		var err error
		if out[i], err = CleanText(field, s, max); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// RequiredText is CleanText for a field that may not be blank.
func RequiredText(field, s string, max int) (string, error) {
	s, err := CleanText(field, s, max)
	if err == nil && s == "" {
		return "", InvalidField(field, "%s must not be blank", field)
	}
	return s, err
}

// NormalizeSIREN removes spaces from a SIREN and checks it is nine digits
// with a valid Luhn checksum. An empty string stays empty.
func NormalizeSIREN(field, s string) (string, error) {
	s, err := CleanText(field, s, 20)
	if err != nil || s == "" {
		return s, err
	}
	s = strings.ReplaceAll(s, " ", "")
	if len(s) != 9 || strings.Trim(s, "0123456789") != "" {
		return "", InvalidField(field, "%s must be a SIREN of 9 digits", field)
	}
	if !luhnValid(s) {
		return "", InvalidField(field, "%s %s fails the SIREN checksum", field, s)
	}
	return s, nil
}

// luhnValid reports whether the digit string passes the Luhn checksum.
func luhnValid(digits string) bool {
	sum := 0
	for i := range len(digits) {
		d := int(digits[len(digits)-1-i] - '0')
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// NormalizeCountry upper-cases an ISO 3166-1 alpha-2 code and checks it exists.
func NormalizeCountry(field, s string) (string, error) {
	s, err := CleanText(field, s, 10)
	if err != nil || s == "" {
		return s, err
	}
	s = strings.ToUpper(s)
	if !IsCountryCode(s) {
		return "", InvalidField(field, "%s must be an ISO 3166-1 alpha-2 country code, got %q", field, s)
	}
	return s, nil
}

// NormalizeWebsite checks s is an absolute http or https URL.
func NormalizeWebsite(field, s string) (string, error) {
	s, err := CleanText(field, s, 500)
	if err != nil || s == "" {
		return s, err
	}
	u, perr := url.Parse(s)
	if perr != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", InvalidField(field, "%s must be an http or https URL", field)
	}
	return s, nil
}

// ValidateHeadcount checks a headcount is within sensible bounds.
func ValidateHeadcount(field string, n int) error {
	if n < 0 || n > maxHeadcount {
		return InvalidField(field, "%s must be between 0 and %d", field, maxHeadcount)
	}
	return nil
}

// ValidateLocation checks latitude and longitude ranges.
func ValidateLocation(field string, l Location) error {
	if l.Lat < -90 || l.Lat > 90 {
		return InvalidField(field+".lat", "latitude must be between -90 and 90")
	}
	if l.Lng < -180 || l.Lng > 180 {
		return InvalidField(field+".lng", "longitude must be between -180 and 180")
	}
	return nil
}

// ValidateJoinedOn checks a membership start date is not in the future and
// not before 1900.
func ValidateJoinedOn(field string, d, today time.Time) error {
	if d.After(today) {
		return InvalidField(field, "%s must not be in the future", field)
	}
	if d.Year() < 1900 {
		return InvalidField(field, "%s must not be before 1900", field)
	}
	return nil
}

// NormalizeAddress cleans an address, defaults the country to FR and, for a
// French address, derives department and region from the postal code when
// they are not given.
func NormalizeAddress(field string, a Address) (Address, error) {
	var err error
	clean := func(name string, s *string, max int) {
		if err == nil {
			*s, err = CleanText(field+"."+name, *s, max)
		}
	}
	clean("city", &a.City, maxShortTextLen)
	clean("postalCode", &a.PostalCode, 20)
	clean("department", &a.Department, 10)
	clean("region", &a.Region, maxShortTextLen)
	if err != nil {
		return a, err
	}
	if a.Country, err = NormalizeCountry(field+".country", a.Country); err != nil {
		return a, err
	}
	if a.Country == "" {
		a.Country = "FR"
	}
	if a.Country != "FR" {
		return a, nil
	}
	if a.Department == "" && a.PostalCode != "" {
		a.Department = DepartmentOfPostalCode(a.PostalCode)
		if a.Department == "" {
			return a, InvalidField(field+".postalCode", "%q is not a French postal code", a.PostalCode)
		}
	}
	if a.Department != "" {
		a.Department = strings.ToUpper(a.Department)
		region, ok := RegionOfDepartment(a.Department)
		if !ok {
			return a, InvalidField(field+".department", "%q is not a French department code", a.Department)
		}
		if a.Region == "" {
			a.Region = region
		}
	}
	return a, nil
}

// ValidateMemberInput cleans and checks the fields of a new member.
func ValidateMemberInput(in MemberInput, today time.Time) (MemberInput, error) {
	var err error
	if in.Name, err = RequiredText("name", in.Name, maxNameLen); err != nil {
		return in, err
	}
	if !in.Kind.Valid() {
		return in, InvalidField("kind", "unknown member kind %q", in.Kind)
	}
	if in.Headcount != nil {
		if err = ValidateHeadcount("headcount", *in.Headcount); err != nil {
			return in, err
		}
	}
	if in.LegalID, err = NormalizeSIREN("legalId", in.LegalID); err != nil {
		return in, err
	}
	if in.ForeignParentCountry, err = NormalizeCountry("foreignParentCountry", in.ForeignParentCountry); err != nil {
		return in, err
	}
	if in.Address != nil {
		a, err := NormalizeAddress("address", *in.Address)
		if err != nil {
			return in, err
		}
		in.Address = &a
	}
	if in.Location != nil {
		if err = ValidateLocation("location", *in.Location); err != nil {
			return in, err
		}
	}
	if in.Website, err = NormalizeWebsite("website", in.Website); err != nil {
		return in, err
	}
	if in.Description, err = CleanText("description", in.Description, maxDescriptionLen); err != nil {
		return in, err
	}
	if in.JoinedOn != nil {
		if err = ValidateJoinedOn("joinedOn", *in.JoinedOn, today); err != nil {
			return in, err
		}
	}
	return in, nil
}

// ApplyMemberPatch validates patch and applies it to m, returning the names
// of the fields that changed. Trade ids are validated by the store.
func ApplyMemberPatch(m *Member, patch MemberPatch, today time.Time) ([]string, error) {
	var changed []string
	mark := func(name string) { changed = append(changed, name) }
	if p := patch.Name; p.Set {
		if p.Value == nil {
			return nil, InvalidField("name", "name must not be null")
		}
		v, err := RequiredText("name", *p.Value, maxNameLen)
		if err != nil {
			return nil, err
		}
		m.Name = v
		mark("name")
	}
	if p := patch.Kind; p.Set {
		if p.Value == nil || !p.Value.Valid() {
			return nil, InvalidField("kind", "kind must be a member kind")
		}
		m.Kind = *p.Value
		mark("kind")
	}
	if p := patch.Headcount; p.Set {
		if p.Value != nil {
			if err := ValidateHeadcount("headcount", *p.Value); err != nil {
				return nil, err
			}
		}
		m.Headcount = p.Value
		mark("headcount")
	}
	if err := patchText(patch.LegalID, "legalId", &m.LegalID, NormalizeSIREN, mark); err != nil {
		return nil, err
	}
	if err := patchText(patch.ForeignParentCountry, "foreignParentCountry", &m.ForeignParentCountry, NormalizeCountry, mark); err != nil {
		return nil, err
	}
	if err := patchText(patch.Website, "website", &m.Website, NormalizeWebsite, mark); err != nil {
		return nil, err
	}
	description := func(field, s string) (string, error) { return CleanText(field, s, maxDescriptionLen) }
	if err := patchText(patch.Description, "description", &m.Description, description, mark); err != nil {
		return nil, err
	}
	if p := patch.Address; p.Set {
		a := Address{}
		if p.Value != nil {
			var err error
			if a, err = NormalizeAddress("address", *p.Value); err != nil {
				return nil, err
			}
		}
		m.Address = a
		mark("address")
	}
	if p := patch.Location; p.Set {
		if p.Value != nil {
			if err := ValidateLocation("location", *p.Value); err != nil {
				return nil, err
			}
		}
		m.Location = p.Value
		mark("location")
	}
	if p := patch.JoinedOn; p.Set {
		if p.Value == nil {
			return nil, InvalidField("joinedOn", "joinedOn must not be null")
		}
		if err := ValidateJoinedOn("joinedOn", *p.Value, today); err != nil {
			return nil, err
		}
		if m.LeftOn != nil && p.Value.After(*m.LeftOn) {
			return nil, InvalidField("joinedOn", "joinedOn must not be after leftOn")
		}
		m.JoinedOn = *p.Value
		mark("joinedOn")
	}
	if patch.TradeIDs.Set {
		if patch.TradeIDs.Value == nil {
			return nil, InvalidField("tradeIds", "tradeIds must not be null")
		}
		mark("tradeIds")
	}
	return changed, nil
}

// patchText applies an optional text field through its normaliser; null clears it.
func patchText(p Optional[string], field string, dst *string, normalize func(string, string) (string, error), mark func(string)) error {
	if !p.Set {
		return nil
	}
	v := ""
	if p.Value != nil {
		var err error
		if v, err = normalize(field, *p.Value); err != nil {
			return err
		}
	}
	*dst = v
	mark(field)
	return nil
}
