package domain

// This file holds the write permissions of SPEC §4 in one place; the
// services call them before changing anything. The read policy is in
// visibility.go.

// CanCreateMember returns FORBIDDEN unless v is staff.
func CanCreateMember(v Viewer) error {
	if v.Role != RoleStaff {
		return Errorf(CodeForbidden, "only staff can create members")
	}
	return nil
}

// CanUpdateMember returns FORBIDDEN unless v is staff or the member itself.
// The store also refuses a LAPSED member writing as itself.
func CanUpdateMember(v Viewer, memberID int64) error {
	if v.Role == RoleStaff || v.IsMember(memberID) {
		return nil
	}
	return Errorf(CodeForbidden, "only staff or the member itself can update a member")
}
