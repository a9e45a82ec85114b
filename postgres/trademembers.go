package postgres

import (
	"context"

	"github.com/uptrace/bun/dialect/pgdialect"

	"grappe/domain"
)

// tradeSubtreeCTE maps each of the given trades (?0) to itself and all its
// sub-trades, as sub(root, id).
const tradeSubtreeCTE = `WITH RECURSIVE sub(root, id) AS (
    SELECT id, id FROM trades WHERE id = ANY(?0::bigint[])
    UNION SELECT sub.root, t.id FROM trades AS t JOIN sub ON t.parent_id = sub.id)`

// tradeMemberRow is a member listed under one trade.
type tradeMemberRow struct {
	Root int64 `bun:"root"`
	memberRow
}

// MembersOfTrades returns, for each trade, one page of the ACTIVE members
// having it or one of its sub-trades, by name: one statement for all trades.
func (s *MemberService) MembersOfTrades(ctx context.Context, tradeIDs []int64, page domain.PageRequest) (map[int64]*domain.Page[*domain.Member], error) {
	keys := s.memberKeyset(domain.DefaultMemberOrder, "")
	keys.Name = "trade_" + keys.Name // a cursor of the members list is refused here
	plan, err := s.db.planPage(ctx, keys, page)
	if err != nil {
		return nil, err
	}
	inner := s.db.bun.NewSelect().Model((*memberRow)(nil)).ColumnExpr("?TableColumns").
		Where("m.status = ?", domain.StatusActive).
		Where("EXISTS (SELECT 1 FROM member_trades AS mt JOIN sub ON sub.id = mt.trade_id AND sub.root = r.root WHERE mt.member_id = m.id)")
	var rows []tradeMemberRow
	err = s.db.bun.NewRaw(tradeSubtreeCTE+` SELECT r.root, m.* FROM unnest(?0::bigint[]) AS r(root) CROSS JOIN LATERAL (?1) AS m`,
		pgdialect.Array(tradeIDs), plan.apply(inner)).Scan(ctx, &rows)
	if err != nil {
		return nil, mapError(err, "trade members")
	}
	byTrade := make(map[int64][]*memberRow, len(tradeIDs))
	for i := range rows {
		byTrade[rows[i].Root] = append(byTrade[rows[i].Root], &rows[i].memberRow)
	}
	out := make(map[int64]*domain.Page[*domain.Member], len(tradeIDs))
	for _, id := range tradeIDs {
		p := finish(plan, byTrade[id], func(r *memberRow) (any, int64) { return memberSortValue(domain.DefaultMemberOrder, r), r.ID })
		out[id] = toMemberPage(domain.ViewerFrom(ctx), p)
	}
	return out, nil
}

// CountMembersOfTrades returns how many ACTIVE members each trade has,
// sub-trades included, in one statement.
func (s *MemberService) CountMembersOfTrades(ctx context.Context, tradeIDs []int64) (map[int64]int, error) {
	var rows []struct {
		Root  int64 `bun:"root"`
		Count int   `bun:"count"`
	}
	err := s.db.bun.NewRaw(tradeSubtreeCTE+`
		SELECT sub.root, count(DISTINCT m.id) AS count
		FROM sub JOIN member_trades AS mt ON mt.trade_id = sub.id JOIN members AS m ON m.id = mt.member_id
		WHERE m.status = ?1 GROUP BY sub.root`, pgdialect.Array(tradeIDs), domain.StatusActive).Scan(ctx, &rows)
	if err != nil {
		return nil, mapError(err, "trade member counts")
	}
	out := make(map[int64]int, len(tradeIDs))
	for _, id := range tradeIDs {
		out[id] = 0
	}
	for _, r := range rows {
		out[r.Root] = r.Count
	}
	return out, nil
}

// toMemberPage converts a page of rows into the page of domain members v
// may read. The page's query is limited to v's scope (memberScope); a
// row outside it would be left out here.
func toMemberPage(v domain.Viewer, p *domain.Page[*memberRow]) *domain.Page[*domain.Member] {
	out := &domain.Page[*domain.Member]{
		Items: make([]*domain.Member, 0, len(p.Items)), Cursors: make([]string, 0, len(p.Items)),
		HasNextPage: p.HasNextPage, HasPreviousPage: p.HasPreviousPage,
	}
	for i, r := range p.Items {
		if m := r.read(v); m != nil {
			out.Items = append(out.Items, m)
			out.Cursors = append(out.Cursors, p.Cursors[i])
		}
	}
	return out
}
