package postgres

import (
	"context"
	"reflect"
	"strings"
	"sync"

	"github.com/uptrace/bun/dialect/pgdialect"

	"grappe/domain"
)

// A trade lists its ACTIVE members and those of its sub-trades, by name.
// The sub-trades come from the kept taxonomy, and each (member, trade) row
// keeps its member's name and whether it is ACTIVE, indexed as
// member_trades_page_idx (trade, name, member) for the ACTIVE ones: a page
// is a range of that index per trade of the subtree, merged by name,
// without duplicates, and only the members shown are read, by primary key.

// tradeMembersSQL reads one page of members for each root trade: $1 and $2
// pair each root with itself and each of its sub-trades, $3 is the page
// size plus one; with a cursor, $4 and $5 are its name and id. The members
// are read one by one by primary key (LIMIT 1 keeps the planner from
// joining the whole table, which a generic plan's estimates invite).
func tradeMembersSQL(cursor bool) string {
	bound := ""
	if cursor {
		bound = " AND (mt.member_name, mt.member_id) > ($4::text, $5::bigint)"
	}
	return `WITH sub(root, id) AS (SELECT * FROM unnest($1::bigint[], $2::bigint[])),
picked AS (
	SELECT DISTINCT s.root, x.member_name, x.member_id
	FROM sub AS s CROSS JOIN LATERAL (
		SELECT mt.member_name, mt.member_id FROM member_trades AS mt
		WHERE mt.trade_id = s.id AND mt.member_active` + bound + `
		ORDER BY mt.member_name, mt.member_id LIMIT $3) AS x),
ranked AS (
	SELECT p.root, p.member_name, p.member_id,
		row_number() OVER (PARTITION BY p.root ORDER BY p.member_name, p.member_id) AS rn
	FROM picked AS p)
SELECT r.root, m.*
FROM ranked AS r CROSS JOIN LATERAL (
	SELECT ` + memberColumns() + ` FROM members AS m WHERE m.id = r.member_id LIMIT 1) AS m
WHERE r.rn <= $3
ORDER BY r.root, r.member_name, r.member_id`
}

// memberColumns lists the columns of memberRow, of members m.
var memberColumns = sync.OnceValue(func() string { return "m." + strings.Join(memberRowColumns(), ", m.") })

// memberRowColumns are the columns a memberRow reads (its scan-only ones
// aside), in its order.
var memberRowColumns = sync.OnceValue(func() []string {
	var cols []string
	for _, f := range pgdialect.New().Tables().Get(reflect.TypeFor[memberRow]()).Fields {
		if !f.Tag.HasOption("scanonly") {
			cols = append(cols, f.Name)
		}
	}
	return cols
})

// tradeMemberRow is a member listed under one trade.
type tradeMemberRow struct {
	Root int64 `bun:"root"`
	memberRow
}

// tradeMembersKeyset sorts a trade's members by name; its cursors are
// refused by the members list and the other way round.
var tradeMembersKeyset = keyset{Name: "trade_members:NAME:ASC", Expr: "mt.member_name", IDColumn: "mt.member_id", Check: checkString}

// MembersOfTrades returns, for each trade, one page of the ACTIVE members
// having it or one of its sub-trades, by name: one statement for all
// trades. Pages go forward only (first, after); BAD_USER_INPUT otherwise.
func (s *MemberService) MembersOfTrades(ctx context.Context, tradeIDs []int64, page domain.PageRequest) (map[int64]*domain.Page[*domain.Member], error) {
	if page.Backward() || page.Before != "" {
		return nil, domain.InvalidField("last", "the members of a trade are paged forward only: use first and after")
	}
	plan, err := s.db.planPage(ctx, tradeMembersKeyset, page)
	if err != nil {
		return nil, err
	}
	roots, trades, err := s.db.tradeSubtreePairs(ctx, tradeIDs)
	if err != nil {
		return nil, err
	}
	var rows []tradeMemberRow
	if len(roots) > 0 {
		args := []any{idArray(roots), idArray(trades), int64(plan.limit + 1)}
		if plan.after != nil {
			args = append(args, plan.after.Value, plan.after.ID)
		}
		if err := s.db.selectPrepared(ctx, tradeMembersSQL(plan.after != nil), &rows, args...); err != nil {
			return nil, mapError(err, "trade members")
		}
	}
	byTrade := make(map[int64][]*memberRow, len(tradeIDs))
	for i := range rows {
		byTrade[rows[i].Root] = append(byTrade[rows[i].Root], &rows[i].memberRow)
	}
	v := domain.ViewerFrom(ctx)
	out := make(map[int64]*domain.Page[*domain.Member], len(tradeIDs))
	for _, id := range tradeIDs {
		p := finish(plan, byTrade[id], func(r *memberRow) (any, int64) { return r.Name, r.ID })
		out[id] = toMemberPage(v, p)
	}
	return out, nil
}

// CountMembersOfTrades returns how many ACTIVE members each trade has,
// sub-trades included (each member once), in one statement: a count per
// trade over the trades' index, without duplicates to remove for a trade
// without sub-trades.
func (s *MemberService) CountMembersOfTrades(ctx context.Context, tradeIDs []int64) (map[int64]int, error) {
	roots, trades, err := s.db.tradeSubtreePairs(ctx, tradeIDs)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]int, len(tradeIDs))
	for _, id := range tradeIDs {
		out[id] = 0
	}
	if len(roots) == 0 {
		return out, nil
	}
	var rows []struct {
		Root  int64 `bun:"root"`
		Count int   `bun:"count"`
	}
	err = s.db.selectPrepared(ctx, `SELECT r.root, CASE WHEN cardinality(r.ids) = 1
	THEN (SELECT count(*) FROM member_trades AS mt WHERE mt.trade_id = r.ids[1] AND mt.member_active)
	ELSE (SELECT count(*) FROM (SELECT DISTINCT mt.member_id FROM member_trades AS mt
		WHERE mt.trade_id = ANY(r.ids) AND mt.member_active) AS d) END AS count
FROM (SELECT s.root, array_agg(s.id) AS ids FROM unnest($1::bigint[], $2::bigint[]) AS s(root, id) GROUP BY s.root) AS r`,
		&rows, idArray(roots), idArray(trades))
	if err != nil {
		return nil, mapError(err, "trade member counts")
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
	return domain.Keep(p, func(r *memberRow) *domain.Member { return r.read(v) })
}
