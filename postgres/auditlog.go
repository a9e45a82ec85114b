package postgres

import (
	"context"
	"database/sql"
	"errors"
	"slices"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"grappe/domain"
)

// AuditService implements domain.AuditService.
type AuditService struct{ db *DB }

// Audit returns the audit trail service of db.
func (db *DB) Audit() *AuditService { return &AuditService{db: db} }

var _ domain.AuditService = (*AuditService)(nil)

// auditKeyset sorts the audit trail newest first.
var auditKeyset = keyset{Name: "audit:at:DESC", Expr: "al.at", IDColumn: "al.id", Desc: true, Check: checkTime}

// maxAuditFilterValues bounds each list of an audit filter.
const maxAuditFilterValues = 100

// AuditLog returns one page of the audit trail, newest first. Returns
// FORBIDDEN unless the viewer is staff, BAD_USER_INPUT for a malformed or
// foreign cursor or a filter list longer than 100.
func (s *AuditService) AuditLog(ctx context.Context, filter domain.AuditFilter, page domain.PageRequest) (*domain.Page[*domain.AuditEntry], error) {
	if err := domain.CanReadAudit(domain.ViewerFrom(ctx)); err != nil {
		return nil, err
	}
	filter, err := cleanAuditFilter(filter)
	if err != nil {
		return nil, err
	}
	plan, err := s.db.planPage(ctx, auditKeyset, page)
	if err != nil {
		return nil, err
	}
	var rows []*auditRow
	if err := plan.apply(s.db.bun.NewSelect().Model(&rows).Apply(auditFilter(filter))).Scan(ctx); err != nil {
		return nil, mapError(err, "audit log")
	}
	p := finish(plan, rows, func(r *auditRow) (any, int64) { return timeCursor(r.At), r.ID })
	return convertPage(p, (*auditRow).toEntry), nil
}

// CountAuditLog returns how many entries match filter. Returns FORBIDDEN
// unless the viewer is staff.
func (s *AuditService) CountAuditLog(ctx context.Context, filter domain.AuditFilter) (int, error) {
	if err := domain.CanReadAudit(domain.ViewerFrom(ctx)); err != nil {
		return 0, err
	}
	filter, err := cleanAuditFilter(filter)
	if err != nil {
		return 0, err
	}
	n, err := s.db.bun.NewSelect().Model((*auditRow)(nil)).Apply(auditFilter(filter)).Count(ctx)
	return int(n), mapError(err, "audit log")
}

// cleanAuditFilter bounds the lists of an audit filter and cleans its
// mutation names (no NUL bytes, valid UTF-8).
func cleanAuditFilter(f domain.AuditFilter) (domain.AuditFilter, error) {
	var err error
	if f.Mutations, err = domain.CleanTexts("filter.mutations", f.Mutations, maxMutationName); err != nil {
		return f, err
	}
	for _, l := range []struct {
		field string
		n     int
	}{{"filter.mutations", len(f.Mutations)}, {"filter.memberIds", len(f.MemberIDs)}, {"filter.targetIds", len(f.Targets)}} {
		if l.n > maxAuditFilterValues {
			return f, domain.InvalidField(l.field, "%s holds at most %d values", l.field, maxAuditFilterValues)
		}
	}
	if f.From != nil && f.To != nil && f.To.Before(*f.From) {
		return f, domain.InvalidField("filter.to", "filter.to must not be before filter.from")
	}
	return f, nil
}

// maxMutationName is the longest mutation name a filter may hold.
const maxMutationName = 100

// auditFilter returns the WHERE clauses of an audit filter.
func auditFilter(f domain.AuditFilter) func(*bun.SelectQuery) *bun.SelectQuery {
	return func(q *bun.SelectQuery) *bun.SelectQuery {
		if len(f.Mutations) > 0 {
			q = q.Where("al.mutation IN (?)", bun.List(f.Mutations))
		}
		if len(f.MemberIDs) > 0 {
			q = q.Where("al.member_id IN (?)", bun.List(f.MemberIDs))
		}
		if len(f.Targets) > 0 {
			q = q.Where("al.targets && ?::text[]", pgdialect.Array(refStrings(f.Targets)))
		}
		if f.From != nil {
			q = q.Where("al.at >= ?", *f.From)
		}
		if f.To != nil {
			q = q.Where("al.at < ?", *f.To)
		}
		return q
	}
}

// refStrings returns references as stored in audit_log.targets.
func refStrings(refs []domain.Ref) []string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = r.String()
	}
	return out
}

// entriesAbout returns every audit entry concerning ref, oldest first.
func entriesAbout(ctx context.Context, db bun.IDB, r domain.Ref) ([]*domain.AuditEntry, error) {
	var rows []*auditRow
	err := db.NewSelect().Model(&rows).Where("al.targets @> ?::text[]", pgdialect.Array([]string{r.String()})).
		Order("al.at", "al.id").Scan(ctx)
	if err != nil {
		return nil, mapError(err, "audit log")
	}
	out := make([]*domain.AuditEntry, len(rows))
	for i, row := range rows {
		out[i] = row.toEntry()
	}
	return out, nil
}

// ContactData exports everything held about a contact: its record (gone
// once removed), its member, and every audit entry mentioning it. Returns
// FORBIDDEN unless the viewer is staff, NOT_FOUND (on contactId) when
// nothing at all is held about it.
func (s *AuditService) ContactData(ctx context.Context, contactID int64) (*domain.ContactData, error) {
	if err := domain.CanManagePersonalData(domain.ViewerFrom(ctx)); err != nil {
		return nil, err
	}
	out := &domain.ContactData{ContactID: contactID, ExportedAt: s.db.Now().UTC()}
	err := s.db.bun.RunInTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}, func(ctx context.Context, tx bun.Tx) error {
		memberID, err := s.contactRecord(ctx, tx, contactID, out)
		if err != nil {
			return err
		}
		if out.AuditEntries, err = entriesAbout(ctx, tx, domain.Ref{Type: domain.RefContact, ID: contactID}); err != nil {
			return err
		}
		var touchpoints []*touchpointRow
		if err := tx.NewSelect().Model(&touchpoints).Where("tp.contact_id = ?", contactID).Order("tp.at", "tp.id").Scan(ctx); err != nil {
			return mapError(err, "touchpoints")
		}
		for _, r := range touchpoints {
			out.Touchpoints = append(out.Touchpoints, r.toTouchpoint())
		}
		if memberID == 0 {
			memberID = memberOfEntries(out.AuditEntries)
		}
		if out.Contact == nil && len(out.AuditEntries) == 0 {
			return contactNotFound()
		}
		if memberID != 0 {
			var m memberRow
			err := tx.NewSelect().Model(&m).Where("m.id = ?", memberID).Scan(ctx)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return mapError(err, "member")
			}
			if err == nil {
				out.Member = m.read(domain.ViewerFrom(ctx))
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// contactRecord reads a contact into out, if it still exists, and returns
// its member id (0 when it does not).
func (s *AuditService) contactRecord(ctx context.Context, tx bun.Tx, id int64, out *domain.ContactData) (int64, error) {
	var row contactRow
	err := tx.NewSelect().Model(&row).Where("c.id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, mapError(err, "contact")
	}
	out.Contact, out.CreatedAt = row.toContact(), row.CreatedAt.UTC()
	return row.MemberID, nil
}

// memberOfEntries returns the member named by audit entries about a
// contact, 0 when none does.
func memberOfEntries(entries []*domain.AuditEntry) int64 {
	for _, e := range entries {
		for _, t := range e.Targets {
			if t.Type == domain.RefMember {
				return t.ID
			}
		}
	}
	return 0
}

// contactNotFound is the error of a contact nothing is held about.
func contactNotFound() error {
	return &domain.Error{Code: domain.CodeNotFound, Message: "contact not found", Field: "id"}
}

// scrubContactSQL replaces the values of a contact's personal fields in the
// audit entries that mention it by {"erased": true}, and returns the ids of
// the entries it changed.
const scrubContactSQL = `
UPDATE audit_log AS al SET changes = (
    SELECT jsonb_object_agg(e.key, CASE WHEN e.key = ANY (?0::text[])
        THEN '{"before": null, "after": null, "erased": true}'::jsonb ELSE e.value END)
    FROM jsonb_each(al.changes) AS e)
WHERE al.targets @> ?1::text[]
  AND EXISTS (SELECT 1 FROM jsonb_each(al.changes) AS e
              WHERE e.key = ANY (?0::text[]) AND e.value IS DISTINCT FROM '{"before": null, "after": null, "erased": true}'::jsonb)
RETURNING al.id`

// EraseContact deletes a contact (a person) and erases the values of its
// personal fields (name, role, email, phone) from every audit entry that
// mentions it, then records the erasure with no personal data. A contact
// already removed by removeContact can still be erased: its audit entries
// hold its data. Returns FORBIDDEN unless the viewer is staff, NOT_FOUND
// when nothing is held about the contact, CONFLICT when it was already
// erased.
func (s *AuditService) EraseContact(ctx context.Context, contactID int64) (*domain.Erasure, error) {
	if err := domain.CanManagePersonalData(domain.ViewerFrom(ctx)); err != nil {
		return nil, err
	}
	contact := domain.Ref{Type: domain.RefContact, ID: contactID}
	out := &domain.Erasure{ContactID: contactID}
	err := s.db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var removed []contactRow
		if _, err := tx.NewDelete().Model((*contactRow)(nil)).Where("id = ?", contactID).
			Returning("id, member_id").Exec(ctx, &removed); err != nil {
			return mapError(err, "contact")
		}
		// The touchpoints that name the contact keep their date and
		// channel; their summary, which may speak of the person, goes.
		res, err := tx.NewUpdate().Model((*touchpointRow)(nil)).Set("summary = ?", domain.ErasedSummary).
			Where("contact_id = ? AND summary <> ?", contactID, domain.ErasedSummary).Exec(ctx)
		if err != nil {
			return mapError(err, "touchpoints")
		}
		if n, err := res.RowsAffected(); err == nil {
			out.TouchpointsScrubbed = int(n)
		}
		var scrubbed []int64
		err = tx.NewRaw(scrubContactSQL, pgdialect.Array(append(slices.Clone(domain.ContactPersonalFields), "summary")),
			pgdialect.Array([]string{contact.String()})).Scan(ctx, &scrubbed)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return mapError(err, "audit log")
		}
		out.AuditEntriesScrubbed = len(scrubbed)
		if len(removed) > 0 {
			out.MemberID = removed[0].MemberID
		}
		if len(removed) == 0 && len(scrubbed) == 0 && out.TouchpointsScrubbed == 0 {
			entries, err := entriesAbout(ctx, tx, contact)
			if err != nil {
				return err
			}
			for _, e := range entries {
				if e.Mutation == "eraseContact" {
					return domain.Errorf(domain.CodeConflict, "this contact was already erased")
				}
			}
			return contactNotFound()
		}
		if out.MemberID == 0 {
			entries, err := entriesAbout(ctx, tx, contact)
			if err != nil {
				return err
			}
			out.MemberID = memberOfEntries(entries)
		}
		targets := []domain.Ref{contact}
		if out.MemberID != 0 {
			targets = append(targets, auditRef(domain.RefMember, out.MemberID))
		}
		return audit(ctx, tx, auditEntry{Mutation: "eraseContact", Targets: targets})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
