package domain

import "strings"

// CanWriteAsMember returns FORBIDDEN unless v is staff or the member
// memberID itself (an ACTIVE member: the store checks the status).
func CanWriteAsMember(v Viewer, memberID int64) error {
	if v.Role == RoleStaff || v.IsMember(memberID) {
		return nil
	}
	return Errorf(CodeForbidden, "only staff or the member itself can do this")
}

// CanEndMembership returns FORBIDDEN unless v is staff.
func CanEndMembership(v Viewer) error {
	if v.Role != RoleStaff {
		return Errorf(CodeForbidden, "only staff can end a membership")
	}
	return nil
}

// CanEditTaxonomy returns FORBIDDEN unless v is staff.
func CanEditTaxonomy(v Viewer) error {
	if v.Role != RoleStaff {
		return Errorf(CodeForbidden, "only staff can change the trade taxonomy")
	}
	return nil
}

// CanSeeEngagement reports whether v may see the engagement of member id:
// the member itself, analysts and staff.
func CanSeeEngagement(v Viewer, memberID int64) bool {
	return v.Role.AtLeast(RoleAnalyst) || v.IsMember(memberID)
}

// ValidateContact cleans a new contact.
func ValidateContact(in ContactInput) (ContactInput, error) {
	var err error
	if in.Name, err = RequiredText("name", in.Name, maxShortTextLen); err != nil {
		return in, err
	}
	if in.Role, err = CleanText("role", in.Role, maxShortTextLen); err != nil {
		return in, err
	}
	if in.Email, err = CleanText("email", in.Email, 254); err != nil {
		return in, err
	}
	if in.Email != "" && !looksLikeEmail(in.Email) {
		return in, InvalidField("email", "email is not an e-mail address")
	}
	if in.Phone, err = CleanText("phone", in.Phone, 40); err != nil {
		return in, err
	}
	if in.Phone != "" && strings.Trim(in.Phone, "+0123456789 .-()") != "" {
		return in, InvalidField("phone", "phone may hold only digits, spaces, + . - ( )")
	}
	return in, nil
}

// looksLikeEmail is a light syntax check: one @ with text on both sides and
// a dot in the domain.
func looksLikeEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	return ok && local != "" && strings.Contains(domain, ".") && !strings.ContainsAny(s, " <>,;") && !strings.Contains(domain, "@")
}

// ValidateTradeInput cleans a new trade.
func ValidateTradeInput(in TradeInput) (TradeInput, error) {
	var err error
	if in.Code, err = RequiredText("code", in.Code, 64); err != nil {
		return in, err
	}
	in.Code = strings.ToUpper(in.Code)
	for i, c := range in.Code {
		ok := c >= 'A' && c <= 'Z' || i > 0 && (c >= '0' && c <= '9' || c == '_' || c == '.')
		if !ok {
			return in, InvalidField("code", "code must start with a capital and hold only capitals, digits, dots and underscores")
		}
	}
	if in.NameEN, err = RequiredText("nameEn", in.NameEN, maxShortTextLen); err != nil {
		return in, err
	}
	if in.NameFR, err = RequiredText("nameFr", in.NameFR, maxShortTextLen); err != nil {
		return in, err
	}
	return in, nil
}
