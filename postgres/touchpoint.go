package postgres

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"grappe/domain"
)

// touchpointRow is a row of the touchpoints table.
type touchpointRow struct {
	bun.BaseModel `bun:"table:touchpoints,alias:tp"`

	ID         int64      `bun:"id,pk,autoincrement"`
	MemberID   int64      `bun:"member_id"`
	ContactID  *int64     `bun:"contact_id"`
	BySubject  string     `bun:"by_subject"`
	Channel    string     `bun:"channel"`
	At         time.Time  `bun:"at"`
	Summary    string     `bun:"summary"`
	FollowUpOn *time.Time `bun:"follow_up_on,type:date"`
	Done       bool       `bun:"done"`
}

func (r *touchpointRow) toTouchpoint() *domain.Touchpoint {
	return &domain.Touchpoint{ID: r.ID, MemberID: r.MemberID, ContactID: r.ContactID, By: r.BySubject,
		Channel: domain.TouchpointChannel(r.Channel), At: r.At.UTC(), Summary: r.Summary, FollowUpOn: r.FollowUpOn, Done: r.Done}
}

// touchpointFields is the audited snapshot of a touchpoint.
func touchpointFields(r *touchpointRow) map[string]any {
	var followUp any
	if r.FollowUpOn != nil {
		followUp = r.FollowUpOn.Format(time.DateOnly)
	}
	return map[string]any{"channel": r.Channel, "at": r.At.UTC().Format(time.RFC3339), "summary": r.Summary,
		"followUpOn": followUp, "done": r.Done, "contact": r.ContactID}
}

// TouchpointService implements domain.TouchpointService.
type TouchpointService struct{ db *DB }

// Touchpoints returns the touchpoint service of db.
func (db *DB) Touchpoints() *TouchpointService { return &TouchpointService{db: db} }

var _ domain.TouchpointService = (*TouchpointService)(nil)

// touchpointKeyset orders a member's touchpoints, the latest first.
var touchpointKeyset = keyset{Name: "touchpoints:at:DESC", Expr: "tp.at", IDColumn: "tp.id", Desc: true, Check: checkTime}

func touchpointKey(r *touchpointRow) (any, int64) { return timeCursor(r.At), r.ID }

// TouchpointsByIDs returns the touchpoints among ids, by id; none to a
// viewer who may not read touchpoints (as if they did not exist).
func (s *TouchpointService) TouchpointsByIDs(ctx context.Context, ids []int64) (map[int64]*domain.Touchpoint, error) {
	if domain.CanReadTouchpoints(domain.ViewerFrom(ctx)) != nil {
		return map[int64]*domain.Touchpoint{}, nil
	}
	var rows []*touchpointRow
	if err := s.db.selectByIDs(ctx, s.db.bun.NewSelect().Model((*touchpointRow)(nil)).Where("tp.id = ANY(?)", idsParam), ids, &rows); err != nil {
		return nil, mapError(err, "touchpoints")
	}
	out := make(map[int64]*domain.Touchpoint, len(rows))
	for _, r := range rows {
		out[r.ID] = r.toTouchpoint()
	}
	return out, nil
}

// TouchpointsOfMembers returns one page of each member's touchpoints, the
// latest first, in one statement: a LATERAL page per member.
func (s *TouchpointService) TouchpointsOfMembers(ctx context.Context, memberIDs []int64, page domain.PageRequest) (map[int64]*domain.Page[*domain.Touchpoint], error) {
	if err := domain.CanReadTouchpoints(domain.ViewerFrom(ctx)); err != nil {
		return nil, err
	}
	plan, err := s.db.planPage(ctx, touchpointKeyset, page)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]*domain.Page[*domain.Touchpoint], len(memberIDs))
	if len(memberIDs) == 0 {
		return out, nil
	}
	inner := plan.apply(s.db.bun.NewSelect().Model((*touchpointRow)(nil)).Where("tp.member_id = p.parent_id"))
	var rows []struct {
		ParentID int64 `bun:"parent_id"`
		touchpointRow
	}
	q := s.db.bun.NewSelect().TableExpr("unnest(?) AS p(parent_id)", idsParam).
		ColumnExpr("p.parent_id, tp.*").Join("CROSS JOIN LATERAL (?) AS tp", inner).
		OrderExpr("p.parent_id").OrderExpr(lateralOrder(plan))
	if err := s.db.selectByIDs(ctx, q, memberIDs, &rows); err != nil {
		return nil, mapError(err, "touchpoints")
	}
	byParent := make(map[int64][]*touchpointRow, len(memberIDs))
	for i := range rows {
		byParent[rows[i].ParentID] = append(byParent[rows[i].ParentID], &rows[i].touchpointRow)
	}
	for _, id := range memberIDs {
		out[id] = convertPage(finish(plan, byParent[id], touchpointKey), (*touchpointRow).toTouchpoint)
	}
	return out, nil
}

// CountTouchpointsOfMembers counts each member's touchpoints.
func (s *TouchpointService) CountTouchpointsOfMembers(ctx context.Context, memberIDs []int64) (map[int64]int, error) {
	if err := domain.CanReadTouchpoints(domain.ViewerFrom(ctx)); err != nil {
		return nil, err
	}
	var rows []struct {
		MemberID int64 `bun:"member_id"`
		N        int   `bun:"n"`
	}
	err := s.db.selectByIDs(ctx, s.db.bun.NewSelect().Model((*touchpointRow)(nil)).ColumnExpr("tp.member_id, count(*) AS n").
		Where("tp.member_id = ANY(?)", idsParam).GroupExpr("tp.member_id"), memberIDs, &rows)
	if err != nil {
		return nil, mapError(err, "touchpoints")
	}
	out := make(map[int64]int, len(memberIDs))
	for _, id := range memberIDs {
		out[id] = 0
	}
	for _, r := range rows {
		out[r.MemberID] = r.N
	}
	return out, nil
}

// LastTouchpoints returns the time of each member's latest touchpoint.
func (s *TouchpointService) LastTouchpoints(ctx context.Context, memberIDs []int64) (map[int64]time.Time, error) {
	if err := domain.CanReadTouchpoints(domain.ViewerFrom(ctx)); err != nil {
		return nil, err
	}
	var rows []struct {
		MemberID int64     `bun:"member_id"`
		At       time.Time `bun:"at"`
	}
	err := s.db.selectByIDs(ctx, s.db.bun.NewSelect().Model((*touchpointRow)(nil)).ColumnExpr("tp.member_id, max(tp.at) AS at").
		Where("tp.member_id = ANY(?)", idsParam).GroupExpr("tp.member_id"), memberIDs, &rows)
	if err != nil {
		return nil, mapError(err, "touchpoints")
	}
	out := make(map[int64]time.Time, len(rows))
	for _, r := range rows {
		out[r.MemberID] = r.At.UTC()
	}
	return out, nil
}

// ContactsByIDs returns the contacts among ids still on record, by id.
func (s *TouchpointService) ContactsByIDs(ctx context.Context, ids []int64) (map[int64]*domain.Contact, error) {
	if err := domain.CanReadTouchpoints(domain.ViewerFrom(ctx)); err != nil {
		return nil, err
	}
	var rows []*contactRow
	if err := s.db.selectByIDs(ctx, s.db.bun.NewSelect().Model((*contactRow)(nil)).Where("c.id = ANY(?)", idsParam), ids, &rows); err != nil {
		return nil, mapError(err, "contacts")
	}
	out := make(map[int64]*domain.Contact, len(rows))
	for _, r := range rows {
		out[r.ID] = r.toContact()
	}
	return out, nil
}

// LogTouchpoint records a touchpoint by the staff viewer.
func (s *TouchpointService) LogTouchpoint(ctx context.Context, in domain.TouchpointInput) (*domain.Touchpoint, error) {
	v := domain.ViewerFrom(ctx)
	if err := domain.CanLogTouchpoints(v); err != nil {
		return nil, err
	}
	in, err := domain.ValidateTouchpoint(in, time.Now())
	if err != nil {
		return nil, err
	}
	by := v.Subject
	if by == "" {
		by = "staff"
	}
	row := &touchpointRow{MemberID: in.MemberID, ContactID: in.ContactID, BySubject: by, Channel: string(in.Channel),
		Summary: in.Summary, FollowUpOn: in.FollowUpOn}
	if in.At != nil {
		row.At = *in.At
	} else {
		row.At = time.Now()
	}
	err = s.db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		exists, err := tx.NewSelect().Table("members").Where("id = ?", in.MemberID).For("KEY SHARE").Exists(ctx)
		if err != nil {
			return mapError(err, "member")
		}
		if !exists {
			return &domain.Error{Code: domain.CodeNotFound, Message: "member not found", Field: "memberId"}
		}
		if in.ContactID != nil {
			ok, err := tx.NewSelect().Model((*contactRow)(nil)).Where("c.id = ? AND c.member_id = ?", *in.ContactID, in.MemberID).Exists(ctx)
			if err != nil {
				return mapError(err, "contact")
			}
			if !ok {
				return domain.InvalidField("contactId", "no such contact of this member")
			}
		}
		if _, err := tx.NewInsert().Model(row).Returning("id, at").Exec(ctx); err != nil {
			return mapError(err, "touchpoint")
		}
		targets := []domain.Ref{auditRef(domain.RefTouchpoint, row.ID), auditRef(domain.RefMember, row.MemberID)}
		if row.ContactID != nil {
			targets = append(targets, auditRef(domain.RefContact, *row.ContactID))
		}
		return audit(ctx, tx, auditEntry{Mutation: "logTouchpoint", Targets: targets, Changes: auditCreated(touchpointFields(row))})
	})
	if err != nil {
		return nil, err
	}
	return row.toTouchpoint(), nil
}

// CompleteFollowUp marks a touchpoint's follow-up done.
func (s *TouchpointService) CompleteFollowUp(ctx context.Context, id int64) (*domain.Touchpoint, error) {
	if err := domain.CanLogTouchpoints(domain.ViewerFrom(ctx)); err != nil {
		return nil, err
	}
	var row touchpointRow
	err := s.db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := tx.NewSelect().Model(&row).Where("tp.id = ?", id).For("UPDATE").Scan(ctx); err != nil {
			return mapError(err, "touchpoint")
		}
		switch {
		case row.FollowUpOn == nil:
			return domain.Errorf(domain.CodeConflict, "this touchpoint has no follow-up")
		case row.Done:
			return domain.Errorf(domain.CodeConflict, "this follow-up was done already")
		}
		before := touchpointFields(&row)
		row.Done = true
		if _, err := tx.NewUpdate().Model(&row).Column("done").WherePK().Exec(ctx); err != nil {
			return mapError(err, "touchpoint")
		}
		targets := []domain.Ref{auditRef(domain.RefTouchpoint, row.ID), auditRef(domain.RefMember, row.MemberID)}
		return audit(ctx, tx, auditEntry{Mutation: "completeFollowUp", Targets: targets, Changes: auditDiff(before, touchpointFields(&row))})
	})
	if err != nil {
		return nil, err
	}
	return row.toTouchpoint(), nil
}
