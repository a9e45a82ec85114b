package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"grappe/domain"
)

// planRow is a row of the action_plans table.
type planRow struct {
	bun.BaseModel `bun:"table:action_plans,alias:ap"`

	ID            int64           `bun:"id,pk,autoincrement"`
	GroupID       int64           `bun:"group_id"`
	Summary       string          `bun:"summary"`
	Items         []actionItemRow `bun:"items,type:jsonb"`
	PublishedAt   time.Time       `bun:"published_at"`
	DistributedTo int             `bun:"distributed_to"`
}

// actionItemRow is one action as stored in a plan's items.
type actionItemRow struct {
	Title   string `json:"title"`
	OwnerID *int64 `json:"ownerId,omitempty"`
	DueOn   string `json:"dueOn,omitempty"` // YYYY-MM-DD
	Done    bool   `json:"done"`
}

// toPlan converts a row into a domain plan.
func (r *planRow) toPlan() *domain.ActionPlan {
	p := &domain.ActionPlan{
		ID: r.ID, GroupID: r.GroupID, Summary: r.Summary, Items: make([]domain.ActionItem, len(r.Items)),
		PublishedAt: r.PublishedAt.UTC(), DistributedTo: r.DistributedTo,
	}
	for i, it := range r.Items {
		item := domain.ActionItem{Title: it.Title, OwnerID: it.OwnerID, Done: it.Done}
		if d, err := time.Parse(time.DateOnly, it.DueOn); err == nil {
			item.DueOn = &d
		}
		p.Items[i] = item
	}
	return p
}

// fromActionItems converts domain actions into stored ones.
func fromActionItems(items []domain.ActionItem) []actionItemRow {
	out := make([]actionItemRow, len(items))
	for i, it := range items {
		out[i] = actionItemRow{Title: it.Title, OwnerID: it.OwnerID, Done: it.Done}
		if it.DueOn != nil {
			out[i].DueOn = it.DueOn.Format(time.DateOnly)
		}
	}
	return out
}

// planKeyset sorts plans newest first.
var planKeyset = keyset{Name: "action_plans:published_at:DESC", Expr: "ap.published_at", IDColumn: "ap.id", Desc: true, Check: checkTime}

// ActionPlansByIDs returns the plans among ids, by id; none to a viewer
// who may not read plans (as if they did not exist).
func (s *GroupService) ActionPlansByIDs(ctx context.Context, ids []int64) (map[int64]*domain.ActionPlan, error) {
	if domain.CanReadGroups(domain.ViewerFrom(ctx)) != nil {
		return map[int64]*domain.ActionPlan{}, nil
	}
	return s.plansWhere(ctx, "ap.id", ids)
}

// ActionPlansByGroup returns the plan of each group that has one, by group
// id. Returns FORBIDDEN unless the viewer is a member or above.
func (s *GroupService) ActionPlansByGroup(ctx context.Context, groupIDs []int64) (map[int64]*domain.ActionPlan, error) {
	return s.plansWhere(ctx, "ap.group_id", groupIDs)
}

// plansWhere returns the plans whose column is among ids, keyed by it.
func (s *GroupService) plansWhere(ctx context.Context, column string, ids []int64) (map[int64]*domain.ActionPlan, error) {
	if err := domain.CanReadGroups(domain.ViewerFrom(ctx)); err != nil {
		return nil, err
	}
	out := make(map[int64]*domain.ActionPlan, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []*planRow
	if err := s.db.selectByIDs(ctx, s.db.bun.NewSelect().Model((*planRow)(nil)).Where(column+" = ANY(?)", idsParam), ids, &rows); err != nil {
		return nil, mapError(err, "action plans")
	}
	for _, r := range rows {
		key := r.ID
		if column == "ap.group_id" {
			key = r.GroupID
		}
		out[key] = r.toPlan()
	}
	return out, nil
}

// ActionPlans returns one page of published plans, newest first: the feed
// every member receives. Returns FORBIDDEN unless the viewer is a member or
// above, BAD_USER_INPUT for a bad page request.
func (s *GroupService) ActionPlans(ctx context.Context, page domain.PageRequest) (*domain.Page[*domain.ActionPlan], error) {
	if err := domain.CanReadGroups(domain.ViewerFrom(ctx)); err != nil {
		return nil, err
	}
	plan, err := s.db.planPage(ctx, planKeyset, page)
	if err != nil {
		return nil, err
	}
	var rows []*planRow
	if err := plan.apply(s.db.bun.NewSelect().Model(&rows)).Scan(ctx); err != nil {
		return nil, mapError(err, "action plans")
	}
	p := finish(plan, rows, func(r *planRow) (any, int64) { return timeCursor(r.PublishedAt), r.ID })
	return convertPage(p, (*planRow).toPlan), nil
}

// CountActionPlans counts the published plans.
func (s *GroupService) CountActionPlans(ctx context.Context) (int, error) {
	if err := domain.CanReadGroups(domain.ViewerFrom(ctx)); err != nil {
		return 0, err
	}
	n, err := s.db.bun.NewSelect().Model((*planRow)(nil)).Count(ctx)
	return int(n), mapError(err, "action plans")
}

// PublishActionPlan publishes the action plan of an ACTIVE group and
// distributes it to every ACTIVE member: DistributedTo is their number at
// publication. Owners must be ACTIVE members. Returns FORBIDDEN unless the
// viewer is staff or the group's ACTIVE lead, NOT_FOUND for an unknown
// group, BAD_USER_INPUT naming the field of invalid input or of an unknown
// owner (items[i].ownerId), CONFLICT for a CLOSED group or one that already
// published its plan.
func (s *GroupService) PublishActionPlan(ctx context.Context, in domain.ActionPlanInput) (*domain.ActionPlan, error) {
	v := domain.ViewerFrom(ctx)
	if err := domain.CanWriteGroups(v); err != nil {
		return nil, err
	}
	var out *domain.ActionPlan
	err := s.db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		g, err := s.lockLedGroup(ctx, tx, v, in.GroupID)
		if err != nil {
			return err
		}
		if in, err = domain.ValidateActionPlanInput(in); err != nil {
			return err
		}
		if err := domain.CanChangeGroup(g); err != nil {
			return err
		}
		published, err := tx.NewSelect().Model((*planRow)(nil)).Where("ap.group_id = ?", g.ID).Exists(ctx)
		if err != nil {
			return mapError(err, "action plan")
		}
		if published {
			return domain.Errorf(domain.CodeConflict, "the group has already published its action plan")
		}
		if err := checkOwners(ctx, tx, in.Items); err != nil {
			return err
		}
		active, err := tx.NewSelect().Model((*memberRow)(nil)).Where("m.status = ?", domain.StatusActive).Count(ctx)
		if err != nil {
			return mapError(err, "members")
		}
		row := &planRow{GroupID: g.ID, Summary: in.Summary, Items: fromActionItems(in.Items), PublishedAt: s.now(), DistributedTo: int(active)}
		if _, err := tx.NewInsert().Model(row).Returning("id").Exec(ctx); err != nil {
			return mapError(err, "action plan")
		}
		out = row.toPlan()
		return audit(ctx, tx, auditEntry{
			Mutation: "publishActionPlan",
			Targets:  []domain.Ref{auditRef(domain.RefActionPlan, out.ID), auditRef(domain.RefWorkingGroup, g.ID)},
			Changes: auditCreated(map[string]any{
				"summary": out.Summary, "items": out.Items, "distributedTo": out.DistributedTo,
				"publishedAt": snapTime(&out.PublishedAt),
			}),
		})
	})
	return out, err
}

// checkOwners returns BAD_USER_INPUT on items[i].ownerId for the first
// action whose owner is not an ACTIVE member.
func checkOwners(ctx context.Context, tx bun.Tx, items []domain.ActionItem) error {
	var ids []int64
	for _, it := range items {
		if it.OwnerID != nil {
			ids = append(ids, *it.OwnerID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var found []int64
	if err := tx.NewSelect().Model((*memberRow)(nil)).Column("id").
		Where("m.id IN (?) AND m.status = ?", bun.List(ids), domain.StatusActive).Scan(ctx, &found); err != nil {
		return mapError(err, "members")
	}
	active := make(map[int64]bool, len(found))
	for _, id := range found {
		active[id] = true
	}
	for i, it := range items {
		if it.OwnerID != nil && !active[*it.OwnerID] {
			field := fmt.Sprintf("items[%d].ownerId", i)
			return domain.InvalidField(field, "%s is not an active member", field)
		}
	}
	return nil
}
