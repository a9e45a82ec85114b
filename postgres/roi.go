package postgres

import (
	"context"
	"slices"

	"github.com/uptrace/bun/dialect/pgdialect"

	"grappe/domain"
)

// returnCTEs computes, for the members of CTE ids, what they gave and got
// back over the 12 months up to ?0 (?1 is the period's start): CTE
// returns. Savings are those of Member.purchasing: EUR campaigns ORDERED
// in the period. The sessions a member gave time to are the meetings and the
// trainings held in the period that it attended. The action plans a member
// received are read from a running count per day, by index, so that their
// cost grows with the members, not with members times days.
const returnCTEs = `
sessions (kind, id, minutes) AS (
    SELECT 'm', id, duration_minutes FROM meetings WHERE status = 'HELD' AND starts_at > ?1 AND starts_at <= ?0
  UNION ALL
    SELECT 't', id, duration_minutes FROM trainings WHERE status = 'HELD' AND starts_at > ?1 AND starts_at <= ?0
),
present (kind, id, member_id) AS (
    SELECT 'm', meeting_id, member_id FROM meeting_attendees
    WHERE meeting_id IN (SELECT id FROM sessions WHERE kind = 'm')
  UNION ALL
    SELECT 't', training_id, member_id FROM training_registrations
    WHERE attended AND training_id IN (SELECT id FROM sessions WHERE kind = 't')
),
given AS (
    SELECT p.member_id, sum(s.minutes) AS minutes, count(*) FILTER (WHERE s.kind = 't') AS trainings
    FROM present AS p JOIN sessions AS s ON s.kind = p.kind AND s.id = p.id
    WHERE p.member_id IN (SELECT id FROM ids)
    GROUP BY p.member_id
),
met AS (
    SELECT p.member_id, count(DISTINCT o.member_id) AS n
    FROM present AS p JOIN present AS o ON o.kind = p.kind AND o.id = p.id AND o.member_id <> p.member_id
    WHERE p.member_id IN (SELECT id FROM ids)
    GROUP BY p.member_id
),
cluster_links AS (
    SELECT p.member_id, count(*) AS n
    FROM business_links AS l CROSS JOIN LATERAL (VALUES (l.from_id), (l.to_id)) AS p (member_id)
    WHERE l.status = 'CONFIRMED' AND l.origin IN ('WORKING_GROUP', 'TRADE_SHOW', 'INTRODUCTION')
      AND l.confirmed_at > ?1 AND l.confirmed_at <= ?0 AND p.member_id IN (SELECT id FROM ids)
    GROUP BY p.member_id
),
plan_days AS (
    SELECT published_at::date AS day, count(*) AS n FROM action_plans
    WHERE published_at > ?1 AND published_at <= ?0 GROUP BY 1
),
plan_counts AS (
    -- running[i]: plans published from the period's start to its day i
    -- (day 1 is the eve of the period), looked up by index below.
    SELECT array_agg(n ORDER BY d) AS running FROM (
        SELECT d, sum(coalesce(p.n, 0)) OVER (ORDER BY d) AS n
        FROM generate_series((?1)::date - 1, (?0)::date, interval '1 day') AS d
        LEFT JOIN plan_days AS p ON p.day = d::date) AS c
),
plans AS (
    SELECT m.id AS member_id,
        coalesce(pc.running[least((?0)::date, m.left_on) - (?1)::date + 2], 0)
        - coalesce(pc.running[greatest((?1)::date, m.joined_on) - (?1)::date + 1], 0) AS n
    FROM members AS m CROSS JOIN plan_counts AS pc
    WHERE m.id IN (SELECT id FROM ids)
),
savings AS (
    SELECT cc.member_id, least(sum(cc.quantity * (pc.list_price - pc.negotiated_price)), 2147483647)::bigint AS cents
    FROM campaign_commitments AS cc JOIN purchasing_campaigns AS pc ON pc.id = cc.campaign_id
    WHERE pc.status = 'ORDERED' AND pc.currency = 'EUR' AND pc.closed_at > ?1 AND pc.closed_at <= ?0
      AND cc.member_id IN (SELECT id FROM ids)
    GROUP BY cc.member_id
),
returns AS (
    SELECT i.id AS member_id, coalesce(g.minutes, 0) AS minutes, coalesce(cl.n, 0) AS links,
        greatest(coalesce(p.n, 0), 0) AS plans, coalesce(g.trainings, 0) AS trainings, coalesce(mt.n, 0) AS met,
        coalesce(sv.cents, 0) AS savings
    FROM ids AS i
    LEFT JOIN given AS g ON g.member_id = i.id
    LEFT JOIN met AS mt ON mt.member_id = i.id
    LEFT JOIN cluster_links AS cl ON cl.member_id = i.id
    LEFT JOIN plans AS p ON p.member_id = i.id
    LEFT JOIN savings AS sv ON sv.member_id = i.id
)`

// returnRow is one member's row of CTE returns.
type returnRow struct {
	MemberID  int64 `bun:"member_id"`
	Minutes   int   `bun:"minutes"`
	Links     int   `bun:"links"`
	Plans     int   `bun:"plans"`
	Trainings int   `bun:"trainings"`
	Met       int   `bun:"met"`
	Savings   int   `bun:"savings"`
}

func (r *returnRow) toReturn() domain.EngagementReturn {
	return domain.EngagementReturn{MemberID: r.MemberID, HoursGiven: float64(r.Minutes) / 60, LinksFromCluster: r.Links,
		ActionPlansReceived: r.Plans, TrainingsAttended: r.Trainings, MembersMet: r.Met, PurchasingSavings: r.Savings}
}

// returnsOf reads the returns of the members ids selects.
func (db *DB) returnsOf(ctx context.Context, ids any) ([]returnRow, error) {
	now := db.Now()
	var rows []returnRow
	err := db.bun.NewRaw(`WITH ids AS (?2),`+returnCTEs+`
SELECT * FROM returns ORDER BY member_id`, now, now.AddDate(-1, 0, 0), ids).Scan(ctx, &rows)
	return rows, mapError(err, "engagement")
}

// Returns returns what each member gave and got back over the last 12
// months; none for members whose engagement the viewer may not see.
func (s *MemberDetailService) Returns(ctx context.Context, memberIDs []int64) (map[int64]*domain.EngagementReturn, error) {
	v := domain.ViewerFrom(ctx)
	memberIDs = slices.DeleteFunc(slices.Clone(memberIDs), func(id int64) bool { return !domain.CanSeeEngagement(v, id) })
	out := make(map[int64]*domain.EngagementReturn, len(memberIDs))
	if len(memberIDs) == 0 {
		return out, nil
	}
	rows, err := s.db.returnsOf(ctx, s.db.bun.NewRaw("SELECT unnest(?::bigint[]) AS id", pgdialect.Array(memberIDs)))
	if err != nil {
		return nil, err
	}
	for i := range rows {
		r := rows[i].toReturn()
		out[r.MemberID] = &r
	}
	return out, nil
}

// returnStats is the dashboard's view of the return on the time of the
// ACTIVE members matching f.
func (s *DashboardService) returnStats(ctx context.Context, f domain.DashboardFilter) (*domain.ReturnStats, error) {
	f, err := s.open(ctx, f)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.returnsOf(ctx, s.members(f, true))
	if err != nil {
		return nil, err
	}
	returns := make([]domain.EngagementReturn, len(rows))
	for i := range rows {
		returns[i] = rows[i].toReturn()
	}
	return domain.SummarizeReturns(returns), nil
}

// ReturnStats is the dashboard's view of the return on members' time.
func (s *DashboardService) ReturnStats(ctx context.Context, f domain.DashboardFilter) (*domain.ReturnStats, error) {
	return cachedBlock(ctx, s, "returnStats", []any{f}, func(ctx context.Context) (*domain.ReturnStats, error) {
		return s.returnStats(ctx, f)
	})
}
