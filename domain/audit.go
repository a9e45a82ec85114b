package domain

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// AuditInfo is what the GraphQL layer knows of a mutation before any
// service runs: its name and the request it belongs to.
type AuditInfo struct {
	Mutation  string
	RequestID string
}

type auditKey struct{}

// WithAudit returns a context carrying the name of the mutation being
// executed and the id of its request, recorded by the audit trail.
func WithAudit(ctx context.Context, mutation, requestID string) context.Context {
	return context.WithValue(ctx, auditKey{}, AuditInfo{Mutation: mutation, RequestID: requestID})
}

// AuditFrom returns the audit information of ctx, zero when none was set.
func AuditFrom(ctx context.Context) AuditInfo {
	info, _ := ctx.Value(auditKey{}).(AuditInfo)
	return info
}

// Ref names one object: its node type (as in global ids) and database id.
type Ref struct {
	Type string
	ID   int64
}

// Object types named by the audit trail, the same as the node types of
// global ids.
const (
	RefMember       = "Member"
	RefContact      = "Contact"
	RefTrade        = "Trade"
	RefBusinessLink = "BusinessLink"
	RefQuestion     = "Question"
	RefWorkingGroup = "WorkingGroup"
	RefMeeting      = "Meeting"
	RefActionPlan   = "ActionPlan"
	RefTouchpoint   = "Touchpoint"
	RefTraining     = "Training"
	RefTradeShow    = "TradeShow"
	RefExhibitor    = "Exhibitor"
	RefLead         = "Lead"
)

// RefPurchasingCampaign names a purchasing campaign in the audit trail.
const RefPurchasingCampaign = "PurchasingCampaign"

// String returns "Type:id".
func (r Ref) String() string { return r.Type + ":" + strconv.FormatInt(r.ID, 10) }

// ParseRef reads "Type:id".
func ParseRef(s string) (Ref, error) {
	typ, num, ok := strings.Cut(s, ":")
	id, err := strconv.ParseInt(num, 10, 64)
	if !ok || typ == "" || err != nil {
		return Ref{}, fmt.Errorf("malformed reference %q", s)
	}
	return Ref{Type: typ, ID: id}, nil
}

// Change is the before and after value of one field changed by a mutation;
// a creation has no before, a deletion no after. Erased is set once the
// values were removed by the erasure of the person they described.
type Change struct {
	Before any  `json:"before"`
	After  any  `json:"after"`
	Erased bool `json:"erased,omitempty"`
}

// AuditEntry is one row of the audit trail: who (Role, MemberID, Subject),
// what (Mutation, Targets, Changes), when (At) and in which request.
type AuditEntry struct {
	ID        int64
	At        time.Time
	Role      Role
	MemberID  *int64
	Subject   string
	RequestID string
	Mutation  string
	// Targets are the objects concerned, the main one first.
	Targets []Ref
	// Changes are keyed by field name.
	Changes map[string]Change
}

// Target returns the main object of the entry.
func (e *AuditEntry) Target() Ref {
	if len(e.Targets) == 0 {
		return Ref{}
	}
	return e.Targets[0]
}

// AuditFilter narrows the audit trail. Every set criterion must match;
// within one, any value does.
type AuditFilter struct {
	Mutations []string
	// MemberIDs are the members who made the changes.
	MemberIDs []int64
	// Targets are objects concerned by the changes.
	Targets []Ref
	From    *time.Time // inclusive
	To      *time.Time // exclusive
}

// ContactData is everything grappe holds about a contact (a person): the
// contact record, the member it belongs to, and the audit entries that
// mention it.
type ContactData struct {
	ContactID int64
	// Contact is the contact's record; nil once removed or erased.
	Contact      *Contact
	CreatedAt    time.Time
	Member       *Member
	AuditEntries []*AuditEntry
	// Touchpoints names the touchpoints in which the contact was spoken to.
	Touchpoints []*Touchpoint
	ExportedAt  time.Time
}

// Erasure reports an erased contact.
type Erasure struct {
	ContactID int64
	MemberID  int64
	// AuditEntriesScrubbed counts the audit entries whose values were erased.
	AuditEntriesScrubbed int
	// TouchpointsScrubbed counts the touchpoints whose summary was erased.
	TouchpointsScrubbed int
}

// AuditService reads the audit trail and serves the rights of the people
// whose data grappe holds. Staff only.
type AuditService interface {
	// AuditLog returns one page of the audit trail, newest first. Returns
	// FORBIDDEN unless the viewer is staff, BAD_USER_INPUT for a malformed
	// or foreign cursor.
	AuditLog(ctx context.Context, filter AuditFilter, page PageRequest) (*Page[*AuditEntry], error)
	// CountAuditLog returns how many entries match filter (staff only).
	CountAuditLog(ctx context.Context, filter AuditFilter) (int, error)
	// ContactData exports everything held about a contact. Returns
	// FORBIDDEN unless the viewer is staff, NOT_FOUND for an unknown or
	// erased contact.
	ContactData(ctx context.Context, contactID int64) (*ContactData, error)
	// EraseContact deletes a contact and erases its personal fields from
	// the audit trail, leaving an anonymous record of the erasure. Returns
	// FORBIDDEN unless the viewer is staff, NOT_FOUND for an unknown or
	// already erased contact.
	EraseContact(ctx context.Context, contactID int64) (*Erasure, error)
}

// ContactPersonalFields are the fields of a contact that describe a person:
// an erasure removes their values everywhere.
var ContactPersonalFields = []string{"name", "role", "email", "phone"}

// CanReadAudit returns FORBIDDEN unless v is staff.
func CanReadAudit(v Viewer) error {
	if v.Role != RoleStaff {
		return Errorf(CodeForbidden, "only staff can read the audit trail")
	}
	return nil
}

// CanManagePersonalData returns FORBIDDEN unless v is staff.
func CanManagePersonalData(v Viewer) error {
	if v.Role != RoleStaff {
		return Errorf(CodeForbidden, "only staff can export or erase personal data")
	}
	return nil
}
