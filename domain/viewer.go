package domain

import (
	"context"
	"time"
)

// Role is what a caller may see and do (SPEC §4).
type Role string

// Roles, from least to most privileged.
const (
	RolePublic  Role = "PUBLIC"
	RoleMember  Role = "MEMBER"
	RoleAnalyst Role = "ANALYST"
	RoleStaff   Role = "STAFF"
)

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool {
	switch r {
	case RolePublic, RoleMember, RoleAnalyst, RoleStaff:
		return true
	}
	return false
}

// rank orders roles for AtLeast.
func (r Role) rank() int {
	switch r {
	case RoleMember:
		return 1
	case RoleAnalyst:
		return 2
	case RoleStaff:
		return 3
	}
	return 0
}

// AtLeast reports whether r is min or a more privileged role.
func (r Role) AtLeast(min Role) bool { return r.rank() >= min.rank() }

// Viewer is the authenticated caller of a request.
type Viewer struct {
	Role Role
	// MemberID is the member a MEMBER token speaks for; 0 for other roles.
	MemberID int64
	// Subject is the token's subject, used for logs and rate limits.
	Subject string
	// Expires is the token's expiry (its exp claim); zero without a token.
	// A connection that outlives a request, such as a subscription's,
	// ends then.
	Expires time.Time
}

// Anonymous is the viewer of a request without a token.
var Anonymous = Viewer{Role: RolePublic}

type viewerKey struct{}

// WithViewer returns a context carrying v.
func WithViewer(ctx context.Context, v Viewer) context.Context {
	return context.WithValue(ctx, viewerKey{}, v)
}

// ViewerFrom returns the viewer of ctx, or Anonymous when none was set.
func ViewerFrom(ctx context.Context) Viewer {
	if v, ok := ctx.Value(viewerKey{}).(Viewer); ok {
		return v
	}
	return Anonymous
}

// IsMember reports whether v is the MEMBER speaking for member id.
func (v Viewer) IsMember(id int64) bool { return v.Role == RoleMember && v.MemberID == id }
