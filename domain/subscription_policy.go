package domain

// This file holds who may subscribe to what (the Subscription type).

// CanSubscribe returns UNAUTHENTICATED for a caller without a token:
// subscriptions are for the apps and dashboards of known users.
func CanSubscribe(v Viewer) error {
	if v.Subject == "" && v.Role == RolePublic {
		return Errorf(CodeUnauthenticated, "subscriptions need a token")
	}
	return nil
}

// Followed returns the member whose events a subscription of v follows,
// given the member asked for (0: none). A MEMBER follows itself, and
// asking for another member is FORBIDDEN; analysts and staff follow the
// member asked for, or everyone (0); a PUBLIC token follows no one
// (FORBIDDEN).
func Followed(v Viewer, asked int64) (int64, error) {
	if err := CanSubscribe(v); err != nil {
		return 0, err
	}
	switch {
	case v.Role.AtLeast(RoleAnalyst):
		return asked, nil
	case v.Role == RoleMember && (asked == 0 || asked == v.MemberID):
		return v.MemberID, nil
	case v.Role == RoleMember:
		return 0, &Error{Code: CodeForbidden, Message: "a member can follow only itself", Field: "memberId"}
	}
	return 0, Errorf(CodeForbidden, "only members, analysts and staff can follow a member's events")
}

// CanFollowNetwork returns FORBIDDEN unless v is an analyst or staff: the
// network graph's versions are theirs.
func CanFollowNetwork(v Viewer) error {
	if err := CanSubscribe(v); err != nil {
		return err
	}
	if !v.Role.AtLeast(RoleAnalyst) {
		return Errorf(CodeForbidden, "the network graph's versions are for analysts and staff")
	}
	return nil
}
