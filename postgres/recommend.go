package postgres

import (
	"context"

	"github.com/uptrace/bun/dialect/pgdialect"

	"grappe/domain"
)

// RecommendService implements domain.RecommendService: one statement per
// method, whatever the number of candidates.
type RecommendService struct{ db *DB }

// Recommendations returns the recommendation service of db.
func (db *DB) Recommendations() *RecommendService { return &RecommendService{db: db} }

var _ domain.RecommendService = (*RecommendService)(nil)

// complementMatchRow is one (member's trade, candidate's trade) pair of
// complementary trades.
type complementMatchRow struct {
	Candidate   int64  `bun:"candidate"`
	TradeID     int64  `bun:"trade_id"`
	TradeName   string `bun:"trade_name"`
	OtherID     int64  `bun:"other_id"`
	OtherName   string `bun:"other_name"`
	Kind        string `bun:"kind"`
	Description string `bun:"description"`
}

// ComplementMatches returns, in one statement, every pair of one of the
// member's trades and a trade of another ACTIVE member that complement
// each other (trade_complements stores each pair once, lower id first, so
// both directions are read).
func (s *RecommendService) ComplementMatches(ctx context.Context, memberID int64) ([]domain.ComplementMatch, error) {
	if err := domain.CanSeeRecommendations(domain.ViewerFrom(ctx), memberID); err != nil {
		return nil, err
	}
	var rows []complementMatchRow
	err := s.db.bun.NewRaw(`WITH mine AS (SELECT trade_id FROM member_trades WHERE member_id = ?0),
		pairs AS (
			SELECT tc.trade_low AS mine, tc.trade_high AS theirs, tc.kind, tc.description
			FROM trade_complements AS tc JOIN mine ON mine.trade_id = tc.trade_low
			UNION ALL
			SELECT tc.trade_high, tc.trade_low, tc.kind, tc.description
			FROM trade_complements AS tc JOIN mine ON mine.trade_id = tc.trade_high)
		SELECT mt.member_id AS candidate, p.mine AS trade_id, t1.name_en AS trade_name,
			p.theirs AS other_id, t2.name_en AS other_name, p.kind, coalesce(p.description, '') AS description
		FROM pairs AS p
		JOIN member_trades AS mt ON mt.trade_id = p.theirs
		JOIN members AS m ON m.id = mt.member_id AND m.status = ?1 AND m.id <> ?0
		JOIN trades AS t1 ON t1.id = p.mine
		JOIN trades AS t2 ON t2.id = p.theirs
		ORDER BY candidate, trade_id, other_id, p.kind`, memberID, domain.StatusActive).Scan(ctx, &rows)
	if err != nil {
		return nil, mapError(err, "complementary trades")
	}
	out := make([]domain.ComplementMatch, len(rows))
	for i, r := range rows {
		out[i] = domain.ComplementMatch{
			Candidate: r.Candidate, TradeID: r.TradeID, TradeName: r.TradeName,
			OtherTradeID: r.OtherID, OtherName: r.OtherName,
			Kind: domain.ComplementKind(r.Kind), Description: r.Description,
		}
	}
	return out, nil
}

// SharedGroups counts, in one statement, the working groups (open or
// closed) the member and each other ACTIVE member are both current
// participants of.
func (s *RecommendService) SharedGroups(ctx context.Context, memberID int64) (map[int64]int, error) {
	if err := domain.CanSeeRecommendations(domain.ViewerFrom(ctx), memberID); err != nil {
		return nil, err
	}
	var rows []struct {
		ID    int64 `bun:"id"`
		Count int   `bun:"count"`
	}
	err := s.db.bun.NewRaw(`SELECT o.member_id AS id, count(DISTINCT o.group_id) AS count
		FROM group_participants AS me
		JOIN group_participants AS o ON o.group_id = me.group_id AND o.member_id <> me.member_id AND o.left_at IS NULL
		JOIN members AS m ON m.id = o.member_id AND m.status = ?1
		WHERE me.member_id = ?0 AND me.left_at IS NULL
		GROUP BY o.member_id`, memberID, domain.StatusActive).Scan(ctx, &rows)
	if err != nil {
		return nil, mapError(err, "shared groups")
	}
	out := make(map[int64]int, len(rows))
	for _, r := range rows {
		out[r.ID] = r.Count
	}
	return out, nil
}

// RecommendationMembers returns, in one statement, the members among ids
// (whatever their status, as far as the viewer may see them) and the first limit ACTIVE members of region not
// in exclude, by name in byte order (Go's string order) then id.
func (s *RecommendService) RecommendationMembers(ctx context.Context, ids []int64, region string, exclude []int64, limit int) ([]*domain.Member, error) {
	if ids == nil {
		ids = []int64{}
	}
	if exclude == nil {
		exclude = []int64{}
	}
	var rows []memberRow
	q := s.db.bun.NewSelect().Model(&rows)
	if region != "" && limit > 0 {
		sameRegion := s.db.bun.NewSelect().Model((*memberRow)(nil)).Column("m.id").
			Where("m.region = ?", region).Where("m.status = ?", domain.StatusActive).
			Where("m.id <> ALL(?::bigint[])", pgdialect.Array(exclude)).
			OrderExpr(`m.name COLLATE "C", m.id`).Limit(int64(limit))
		q = q.Where("m.id = ANY(?::bigint[]) OR m.id IN (?)", pgdialect.Array(ids), sameRegion)
	} else {
		q = q.Where("m.id = ANY(?::bigint[])", pgdialect.Array(ids))
	}
	if err := q.Scan(ctx); err != nil {
		return nil, mapError(err, "members")
	}
	v := domain.ViewerFrom(ctx)
	out := make([]*domain.Member, 0, len(rows))
	for i := range rows {
		if m := rows[i].read(v); m != nil {
			out = append(out, m)
		}
	}
	return out, nil
}
