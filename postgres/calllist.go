package postgres

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"grappe/domain"
)

// callListKeyset ranks the call list by a text key: the complement of the
// reasons' bits (the first reason the highest bit), then the last
// touchpoint's time (never: first); ties by member id.
var callListKeyset = keyset{Name: "call_list:rank:ASC", Expr: "cl.rank_key", IDColumn: "cl.member_id", Check: checkString}

// callListRow is a member on the call list.
type callListRow struct {
	MemberID       int64      `bun:"member_id"`
	LastAt         *time.Time `bun:"last_at"`
	FollowUpDue    bool       `bun:"follow_up_due"`
	AtRisk         bool       `bun:"at_risk"`
	AfterTraining  bool       `bun:"after_training"`
	NeverContacted bool       `bun:"never_contacted"`
	Quiet          bool       `bun:"quiet"`
	RankKey        string     `bun:"rank_key"`
}

func (r *callListRow) toEntry() *domain.CallListEntry {
	e := &domain.CallListEntry{MemberID: r.MemberID}
	if r.LastAt != nil {
		at := r.LastAt.UTC()
		e.LastTouchpointAt = &at
	}
	for i, on := range []bool{r.FollowUpDue, r.AtRisk, r.AfterTraining, r.NeverContacted, r.Quiet} {
		if on {
			e.Reasons = append(e.Reasons, domain.CallReasons[i])
		}
	}
	return e
}

func callListKey(r *callListRow) (any, int64) { return r.RankKey, r.MemberID }

// callList is the statement of the whole call list, over the engagement
// of every ACTIVE member (engagementCTEs) and their touchpoints.
func (s *TouchpointService) callList() *bun.RawQuery {
	db := s.db
	now := db.Now()
	today := db.today()
	args := append(db.engagementArgs(),
		db.bun.NewSelect().Table("members").Column("id").Where("status = 'ACTIVE'"),
		today.Format(time.DateOnly),
		today.AddDate(0, 0, -domain.NeverContactedDays).Format(time.DateOnly),
		now.AddDate(0, 0, -domain.QuietDays),
		today.AddDate(0, 0, -domain.QuietDays).Format(time.DateOnly),
	)
	return db.bun.NewRaw(`WITH ids AS (?4),`+engagementCTEs(false)+`,
touch AS (
    SELECT member_id, max(at) AS last_at,
        bool_or(NOT done AND follow_up_on <= ?5::date) AS due
    FROM touchpoints GROUP BY member_id
),
flagged AS (
    SELECT s.member_id, t.last_at,
        coalesce(t.due, false) AS follow_up_due,
        s.at_risk,
        false AS after_training,
        t.last_at IS NULL AND s.joined_on < ?6::date AS never_contacted,
        (t.last_at IS NULL OR t.last_at < ?7) AND s.joined_on < ?8::date AS quiet
    FROM scored AS s LEFT JOIN touch AS t ON t.member_id = s.member_id
)
SELECT flagged.*,
    lpad((31 - (16 * follow_up_due::int + 8 * at_risk::int + 4 * after_training::int
        + 2 * never_contacted::int + quiet::int))::text, 2, '0')
    || '|' || coalesce(to_char(last_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), '0') AS rank_key
FROM flagged
WHERE follow_up_due OR at_risk OR after_training OR never_contacted OR quiet`, args...)
}

// CallList returns one page of the call list.
func (s *TouchpointService) CallList(ctx context.Context, page domain.PageRequest) (*domain.Page[*domain.CallListEntry], error) {
	if err := domain.CanReadTouchpoints(domain.ViewerFrom(ctx)); err != nil {
		return nil, err
	}
	plan, err := s.db.planPage(ctx, callListKeyset, page)
	if err != nil {
		return nil, err
	}
	var rows []*callListRow
	q := plan.apply(s.db.bun.NewSelect().TableExpr("(?) AS cl", s.callList()).ColumnExpr("cl.*"))
	if err := q.Scan(ctx, &rows); err != nil {
		return nil, mapError(err, "call list")
	}
	return convertPage(finish(plan, rows, callListKey), (*callListRow).toEntry), nil
}

// CountCallList counts the members on the call list.
func (s *TouchpointService) CountCallList(ctx context.Context) (int, error) {
	if err := domain.CanReadTouchpoints(domain.ViewerFrom(ctx)); err != nil {
		return 0, err
	}
	n, err := s.db.bun.NewSelect().TableExpr("(?) AS cl", s.callList()).Count(ctx)
	return int(n), mapError(err, "call list")
}
