package postgres

import (
	"context"
	"reflect"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"grappe/domain"
)

// auditRow is a row of the audit_log table.
type auditRow struct {
	bun.BaseModel `bun:"table:audit_log,alias:al"`

	ID         int64                    `bun:"id,pk,autoincrement"`
	At         time.Time                `bun:"at,nullzero,notnull,default:current_timestamp"`
	Role       string                   `bun:"role"`
	MemberID   *int64                   `bun:"member_id"`
	Subject    string                   `bun:"subject,nullzero"`
	RequestID  string                   `bun:"request_id,nullzero"`
	Mutation   string                   `bun:"mutation"`
	TargetType string                   `bun:"target_type"`
	TargetID   int64                    `bun:"target_id"`
	Targets    []string                 `bun:"targets,array"`
	Changes    map[string]domain.Change `bun:"changes,type:jsonb"`
}

// toEntry converts a row into a domain audit entry.
func (r *auditRow) toEntry() *domain.AuditEntry {
	e := &domain.AuditEntry{
		ID: r.ID, At: r.At.UTC(), Role: domain.Role(r.Role), MemberID: r.MemberID, Subject: r.Subject,
		RequestID: r.RequestID, Mutation: r.Mutation, Changes: r.Changes,
	}
	for _, s := range r.Targets {
		if ref, err := domain.ParseRef(s); err == nil {
			e.Targets = append(e.Targets, ref)
		}
	}
	if e.Changes == nil {
		e.Changes = map[string]domain.Change{}
	}
	return e
}

// auditEntry is what a mutation records of itself in the audit trail.
type auditEntry struct {
	// Mutation names the mutation when the context does not (a call from
	// outside the GraphQL layer); it is the GraphQL mutation's name.
	Mutation string
	// Targets are the objects concerned, the main one first.
	Targets []domain.Ref
	// Changes are the fields that changed, by name.
	Changes map[string]domain.Change
}

// audit records e in the audit trail inside tx, the transaction of the
// change it describes: it commits or rolls back with it. Who and which
// request come from the context (domain.ViewerFrom, domain.AuditFrom).
func audit(ctx context.Context, tx bun.IDB, e auditEntry) error {
	v := domain.ViewerFrom(ctx)
	info := domain.AuditFrom(ctx)
	row := &auditRow{
		Role: string(v.Role), Subject: cleanAuditText(v.Subject), RequestID: cleanAuditText(info.RequestID),
		Mutation: e.Mutation, Changes: e.Changes,
	}
	if info.Mutation != "" {
		row.Mutation = cleanAuditText(info.Mutation)
	}
	if v.Role == domain.RoleMember {
		id := v.MemberID
		row.MemberID = &id
	}
	if len(e.Targets) > 0 {
		row.TargetType, row.TargetID = e.Targets[0].Type, e.Targets[0].ID
	}
	row.Targets = make([]string, 0, len(e.Targets))
	seen := map[domain.Ref]bool{}
	for _, t := range e.Targets {
		if t.ID != 0 && !seen[t] {
			seen[t] = true
			row.Targets = append(row.Targets, t.String())
		}
	}
	if row.Changes == nil {
		row.Changes = map[string]domain.Change{}
	}
	_, err := tx.NewInsert().Model(row).ExcludeColumn("id", "at").Exec(ctx)
	return mapError(err, "audit entry")
}

// cleanAuditText keeps a text of the request (a client-chosen request id,
// a token subject) storable: valid UTF-8 without NUL, at most 200 bytes.
func cleanAuditText(s string) string {
	s = strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
	if len(s) <= 200 {
		return s
	}
	s = s[:200]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

// auditDiff returns the fields whose values differ between two snapshots.
func auditDiff(before, after map[string]any) map[string]domain.Change {
	out := map[string]domain.Change{}
	for k, b := range before {
		if a := after[k]; !reflect.DeepEqual(a, b) {
			out[k] = domain.Change{Before: b, After: a}
		}
	}
	for k, a := range after {
		if _, ok := before[k]; !ok && a != nil {
			out[k] = domain.Change{After: a}
		}
	}
	return out
}

// auditCreated returns the changes of a creation: every set field of its snapshot.
func auditCreated(after map[string]any) map[string]domain.Change { return auditDiff(nil, after) }

// auditDeleted returns the changes of a deletion: every set field of its snapshot.
func auditDeleted(before map[string]any) map[string]domain.Change {
	out := map[string]domain.Change{}
	for k, b := range before {
		if b != nil {
			out[k] = domain.Change{Before: b}
		}
	}
	return out
}

// auditRef returns the reference of an object.
func auditRef(typ string, id int64) domain.Ref { return domain.Ref{Type: typ, ID: id} }

// snapText returns a text value of a snapshot: null when empty.
func snapText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// snapOpt returns an optional value of a snapshot: null when unset.
func snapOpt[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// snapDay returns a date value of a snapshot, as YYYY-MM-DD.
func snapDay(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.Format(time.DateOnly)
}

// snapTime returns a time value of a snapshot, in RFC 3339.
func snapTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// memberFields is the audited snapshot of a member, by GraphQL field name.
func memberFields(m *domain.Member) map[string]any {
	f := map[string]any{
		"name": m.Name, "kind": string(m.Kind), "headcount": snapOpt(m.Headcount), "legalId": snapText(m.LegalID),
		"foreignParentCountry": snapText(m.ForeignParentCountry), "website": snapText(m.Website),
		"description": snapText(m.Description), "joinedOn": snapDay(&m.JoinedOn), "leftOn": snapDay(m.LeftOn),
		"status": string(m.Status), "address": nil, "location": nil,
	}
	if a := m.Address; a != (domain.Address{}) {
		f["address"] = map[string]any{
			"city": snapText(a.City), "postalCode": snapText(a.PostalCode), "department": snapText(a.Department),
			"region": snapText(a.Region), "country": snapText(a.Country),
		}
	}
	if l := m.Location; l != nil {
		f["location"] = map[string]any{"lat": l.Lat, "lng": l.Lng}
	}
	return f
}

// contactFields is the audited snapshot of a contact: personal data, erased
// from the trail with the contact.
func contactFields(c *contactRow) map[string]any {
	return map[string]any{"name": c.Name, "role": snapText(c.Role), "email": snapText(c.Email), "phone": snapText(c.Phone)}
}

// linkFields is the audited snapshot of a business link.
func linkFields(l *domain.BusinessLink) map[string]any {
	return map[string]any{
		"kind": string(l.Kind), "status": string(l.Status), "since": snapDay(&l.Since), "until": snapDay(l.Until),
		"volumeBand": snapText(string(l.VolumeBand)), "origin": snapText(string(l.Origin)), "note": snapText(l.Note),
		"confirmedAt": snapTime(l.ConfirmedAt),
	}
}

// memberTradeIDs returns the trades of a member, in id order.
func memberTradeIDs(ctx context.Context, tx bun.IDB, memberID int64) ([]int64, error) {
	ids := []int64{}
	err := tx.NewSelect().Model((*memberTradeRow)(nil)).Column("trade_id").Where("mt.member_id = ?", memberID).
		Order("trade_id").Scan(ctx, &ids)
	return ids, mapError(err, "member trades")
}
