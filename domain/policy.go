package domain

import "slices"

// This file holds the write permissions of SPEC §4 in one place; the
// services call them before changing anything. Read visibility of fields is
// declared in the GraphQL schema with the @visibleTo directive.

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

// CanSeeMember reports whether v may see member m at all: anonymous
// callers see ACTIVE members only.
func CanSeeMember(v Viewer, m *Member) bool {
	return v.Role != RolePublic || m.Status == StatusActive
}

// VisibleMemberFilter narrows f to the members v may list: anonymous
// callers list ACTIVE members only, so asking for LAPSED ones only gives
// an empty list.
func VisibleMemberFilter(v Viewer, f MemberFilter) MemberFilter {
	if v.Role != RolePublic || len(f.Statuses) == 0 {
		return f
	}
	if slices.Contains(f.Statuses, StatusActive) {
		f.Statuses = []MemberStatus{StatusActive}
	} else {
		f.Statuses = []MemberStatus{noStatus}
	}
	return f
}

// noStatus matches no member; it stands for an empty status filter.
const noStatus MemberStatus = "NONE"
