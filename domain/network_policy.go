package domain

// Bounds of the network graph queries.
const (
	MaxPathHops         = 50
	MaxNeighborhoodSize = 1000
	MaxNeighborhoodHops = 3
	MaxRanked           = 100
)

// Defaults of the network graph queries: the schema's, applied by the
// NetworkService to an argument left out.
const (
	DefaultPathHops         = 6
	DefaultNeighborhoodHops = 1
	DefaultNeighborhoodSize = 200
	DefaultRanked           = 10
)

// GraphBrokers is the number of brokers Network.graph marks among n
// members: the first of Network.brokers, one member in a hundred, at least
// DefaultRanked and at most MaxRanked (fewer when fewer members have a
// betweenness above 0).
func GraphBrokers(n int) int {
	return min(MaxRanked, max(DefaultRanked, (n+99)/100))
}

// CanFindPath checks that v may ask for a path starting from member from:
// a MEMBER only from itself, analysts and staff from anyone.
func CanFindPath(v Viewer, from int64) error {
	switch {
	case v.Role.AtLeast(RoleAnalyst):
		return nil
	case v.Role == RoleMember && v.MemberID == from:
		return nil
	case v.Role == RoleMember:
		return Errorf(CodeForbidden, "a member may ask only for paths from itself")
	}
	return Errorf(CodeForbidden, "path is visible to members and above only")
}

// CanSeeNeighborhood checks that v may see members' neighbourhoods:
// members and above.
func CanSeeNeighborhood(v Viewer) error {
	if !v.Role.AtLeast(RoleMember) {
		return Errorf(CodeForbidden, "neighborhood is visible to members and above only")
	}
	return nil
}

// CanSeeCentrality checks that v may see the centrality of member id: the
// member itself, analysts and staff.
func CanSeeCentrality(v Viewer, id int64) error {
	if v.Role.AtLeast(RoleAnalyst) || v.IsMember(id) {
		return nil
	}
	return Errorf(CodeForbidden, "centrality is visible to the member itself, analysts and staff only")
}

// CanSeeNetwork checks that v may see the network as a whole: analysts and
// staff.
func CanSeeNetwork(v Viewer) error {
	if !v.Role.AtLeast(RoleAnalyst) {
		return Errorf(CodeForbidden, "network is visible to analysts and staff only")
	}
	return nil
}

// ValidateRange checks that an integer argument lies within [lo, hi].
func ValidateRange(field string, n, lo, hi int) error {
	if n < lo || n > hi {
		return InvalidField(field, "%s must be between %d and %d", field, lo, hi)
	}
	return nil
}
