package domain

// CanSeeRecommendations checks that v may see the partners recommended to
// member id: the member itself, analysts and staff.
func CanSeeRecommendations(v Viewer, id int64) error {
	if v.Role.AtLeast(RoleAnalyst) || v.IsMember(id) {
		return nil
	}
	return Errorf(CodeForbidden, "recommendedPartners is visible to the member itself, analysts and staff only")
}
