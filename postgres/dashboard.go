package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"grappe/domain"
)

// DashboardService computes the dashboard: each method is one aggregating
// statement, so nothing is counted in Go.
type DashboardService struct{ db *DB }

// Dashboards returns the dashboard service.
func (db *DB) Dashboards() *DashboardService { return &DashboardService{db: db} }

var _ domain.DashboardService = (*DashboardService)(nil)

// members selects the members matching the filter's criteria (the
// member filter's clauses; f's trades expanded by open): only ACTIVE ones when
// activeOnly, else whatever their status. It selects columns, m.id when
// none is given.
func (s *DashboardService) members(f domain.DashboardFilter, activeOnly bool, columns ...string) *bun.SelectQuery {
	mf := domain.MemberFilter{Kinds: f.Kinds, SizeClasses: f.SizeClasses, Regions: f.Regions, TradeIDs: f.TradeIDs}
	if !activeOnly {
		mf.Statuses = []domain.MemberStatus{domain.StatusActive, domain.StatusLapsed}
	}
	if len(columns) == 0 {
		columns = []string{"m.id"}
	}
	var subtrees []int64
	if len(f.TradeIDs) > 0 {
		subtrees = f.TradeIDs // expanded by open
	}
	q := s.db.bun.NewSelect().Model((*memberRow)(nil)).Apply(memberFilter(mf, subtrees))
	for _, c := range columns {
		q = q.ColumnExpr(c)
	}
	return q
}

// allowed checks the viewer may read dashboards.
func allowed(ctx context.Context) error { return domain.CanSeeDashboard(domain.ViewerFrom(ctx)) }

// open checks that the viewer may read dashboards and returns f with its
// trades expanded to their sub-trades from the kept taxonomy (a trade
// matching nothing stands as id 0), as members expects them.
func (s *DashboardService) open(ctx context.Context, f domain.DashboardFilter) (domain.DashboardFilter, error) {
	if err := allowed(ctx); err != nil {
		return f, err
	}
	if len(f.TradeIDs) == 0 {
		return f, nil
	}
	sub, err := s.db.tradeSubtrees(ctx, f.TradeIDs)
	if err != nil {
		return f, err
	}
	if len(sub) == 0 {
		sub = []int64{0}
	}
	f.TradeIDs = sub
	return f, nil
}

// Open implements domain.DashboardService: it checks the viewer may read
// dashboards.
func (s *DashboardService) Open(ctx context.Context) error { return allowed(ctx) }

// memberCount counts the ACTIVE members matching f.
func (s *DashboardService) memberCount(ctx context.Context, f domain.DashboardFilter) (int, error) {
	f, err := s.open(ctx, f)
	if err != nil {
		return 0, err
	}
	var n int
	err = s.db.bun.NewRaw(`SELECT count(*) FROM (?) AS m`, s.members(f, true)).Scan(ctx, &n)
	return n, mapError(err, "dashboard")
}

// categoryRow is one category of a breakdown; Key is null for "not recorded".
type categoryRow struct {
	Key   *string `bun:"key"`
	Count int     `bun:"count"`
	Share float64 `bun:"share"`
}

// countBy counts the ACTIVE members matching f by column. With keys, every
// key is listed in their order (zero when absent) and a null key follows
// when some members have none; without, keys come largest first.
func (s *DashboardService) countBy(ctx context.Context, f domain.DashboardFilter, column string, keys []string) ([]categoryRow, error) {
	f, err := s.open(ctx, f)
	if err != nil {
		return nil, err
	}
	var q *bun.RawQuery
	if keys != nil {
		q = s.db.bun.NewRaw(`
WITH c AS (SELECT key, count(*) AS n FROM (?) AS m GROUP BY key),
t AS (SELECT coalesce(sum(n), 0) AS total FROM c)
SELECT coalesce(k.key, c.key) AS key, coalesce(c.n, 0) AS count,
    CASE WHEN t.total = 0 THEN 0 ELSE coalesce(c.n, 0)::float8 / t.total END AS share
FROM unnest(?::text[]) WITH ORDINALITY AS k(key, ord)
    FULL JOIN c ON c.key = k.key
    CROSS JOIN t
WHERE k.key IS NOT NULL OR c.key IS NULL
ORDER BY k.ord NULLS LAST`,
			s.members(f, true, column+" AS key"), pgdialect.Array(keys))
	} else {
		q = s.db.bun.NewRaw(`
SELECT key, count(*) AS count, count(*)::float8 / sum(count(*)) OVER () AS share
FROM (?) AS m
GROUP BY key
ORDER BY count DESC, key NULLS LAST`,
			s.members(f, true, column+" AS key"))
	}
	var rows []categoryRow
	if err := q.Scan(ctx, &rows); err != nil {
		return nil, mapError(err, "dashboard")
	}
	return rows, nil
}

// categories converts breakdown rows into counts keyed by K.
func categories[K ~string](rows []categoryRow) []domain.CategoryCount[K] {
	out := make([]domain.CategoryCount[K], len(rows))
	for i, r := range rows {
		out[i] = domain.CategoryCount[K]{Count: r.Count, Share: r.Share}
		if r.Key != nil {
			k := K(*r.Key)
			out[i].Key = &k
		}
	}
	return out
}

// texts converts enum values to their text.
func texts[K ~string](values []K) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}

// bySizeClass counts the ACTIVE members matching f by size class.
func (s *DashboardService) bySizeClass(ctx context.Context, f domain.DashboardFilter) ([]domain.CategoryCount[domain.SizeClass], error) {
	rows, err := s.countBy(ctx, f, "m.size_class", texts(domain.AllSizeClasses))
	return categories[domain.SizeClass](rows), err
}

// byKind counts the ACTIVE members matching f by kind.
func (s *DashboardService) byKind(ctx context.Context, f domain.DashboardFilter) ([]domain.CategoryCount[domain.MemberKind], error) {
	rows, err := s.countBy(ctx, f, "m.kind", texts(domain.AllMemberKinds))
	return categories[domain.MemberKind](rows), err
}

// byRegion counts the ACTIVE members matching f by region.
func (s *DashboardService) byRegion(ctx context.Context, f domain.DashboardFilter) ([]domain.CategoryCount[string], error) {
	rows, err := s.countBy(ctx, f, "m.region", nil)
	return categories[string](rows), err
}

// byTrade counts the ACTIVE members matching f by trade, every trade
// listed. With subTrades, a member counts once under each of its trades
// and each of their ancestors.
func (s *DashboardService) byTrade(ctx context.Context, f domain.DashboardFilter, subTrades bool) ([]domain.TradeCount, error) {
	f, err := s.open(ctx, f)
	if err != nil {
		return nil, err
	}
	var rows []struct {
		TradeID int64   `bun:"trade_id"`
		Count   int     `bun:"count"`
		Share   float64 `bun:"share"`
	}
	err = s.db.bun.NewRaw(`
WITH RECURSIVE m AS (?),
anc (trade_id, ancestor) AS (
    SELECT id, id FROM trades
  UNION ALL
    SELECT anc.trade_id, t.parent_id FROM anc JOIN trades AS t ON t.id = anc.ancestor
    WHERE ? AND t.parent_id IS NOT NULL
),
c AS (
    SELECT anc.ancestor AS trade_id, count(DISTINCT mt.member_id) AS n
    FROM member_trades AS mt
        JOIN m ON m.id = mt.member_id
        JOIN anc ON anc.trade_id = mt.trade_id
    GROUP BY anc.ancestor
),
total AS (SELECT count(*) AS n FROM m)
SELECT t.id AS trade_id, coalesce(c.n, 0) AS count,
    CASE WHEN total.n = 0 THEN 0 ELSE coalesce(c.n, 0)::float8 / total.n END AS share
FROM trades AS t LEFT JOIN c ON c.trade_id = t.id CROSS JOIN total
ORDER BY count DESC, t.code`, s.members(f, true), subTrades).Scan(ctx, &rows)
	if err != nil {
		return nil, mapError(err, "dashboard")
	}
	out := make([]domain.TradeCount, len(rows))
	for i, r := range rows {
		out[i] = domain.TradeCount{TradeID: r.TradeID, Count: r.Count, Share: r.Share}
	}
	return out, nil
}

// seriesUnits are the date_trunc unit and generate_series step of each interval.
var seriesUnits = map[domain.Interval][2]string{
	domain.IntervalYear:    {"year", "1 year"},
	domain.IntervalQuarter: {"quarter", "3 months"},
	domain.IntervalMonth:   {"month", "1 month"},
}

// seriesBounds validates a series range and returns its arguments: unit,
// step, from (nil for the first event) and to (today when nil).
func (s *DashboardService) seriesBounds(r domain.SeriesRange) (unit, step string, from, to any, err error) {
	today := s.db.today()
	if err = domain.ValidateSeriesRange(r, today); err != nil {
		return
	}
	u := seriesUnits[r.Interval]
	to = today.Format(time.DateOnly)
	if r.To != nil {
		to = r.To.Format(time.DateOnly)
	}
	if r.From != nil {
		from = r.From.Format(time.DateOnly)
	}
	return u[0], u[1], from, to, nil
}

// seriesSQL turns per-period events into a series with every period from
// the first to the last: ?0 unit, ?1 step, ?2 from (null: the first
// event), ?3 to. The caller's CTE ev (period date, a bigint, b bigint)
// holds the events, period already truncated, and is read once: the
// events are summed per period first (per), and everything else reads
// those sums. The series has, per period, the sums of a and b and the
// running total of a − b including the events before the first period.
const seriesSQL = `,
per AS (SELECT period, sum(a) AS a, sum(b) AS b FROM ev GROUP BY period),
lo AS (SELECT date_trunc(?0, coalesce(?2::date, (SELECT min(period) FROM per), ?3::date)::timestamp)::date AS d),
hi AS (SELECT date_trunc(?0, ?3::date::timestamp)::date AS d),
base AS (SELECT coalesce(sum(per.a - per.b), 0) AS n FROM per, lo WHERE per.period < lo.d),
s AS (SELECT g::date AS period FROM lo, hi, generate_series(lo.d, hi.d, ?1::interval) AS g)
SELECT s.period, coalesce(per.a, 0) AS a, coalesce(per.b, 0) AS b,
    (SELECT n FROM base) + sum(coalesce(per.a, 0) - coalesce(per.b, 0)) OVER (ORDER BY s.period) AS total
FROM s LEFT JOIN per ON per.period = s.period
ORDER BY s.period`

// seriesRow is one period of a series.
type seriesRow struct {
	Period time.Time `bun:"period,type:date"`
	A      int       `bun:"a"`
	B      int       `bun:"b"`
	Total  int       `bun:"total"`
}

// growth is the series of joins and departures of the members matching
// f's criteria, whatever their status now, with the running total.
func (s *DashboardService) growth(ctx context.Context, f domain.DashboardFilter, r domain.SeriesRange) ([]domain.GrowthPeriod, error) {
	f, err := s.open(ctx, f)
	if err != nil {
		return nil, err
	}
	unit, step, from, to, err := s.seriesBounds(r)
	if err != nil {
		return nil, err
	}
	var rows []seriesRow
	err = s.db.bun.NewRaw(`
WITH m AS (?4),
ev (period, a, b) AS (
    SELECT date_trunc(?0, joined_on::timestamp)::date, 1::bigint, 0::bigint FROM m
  UNION ALL
    SELECT date_trunc(?0, left_on::timestamp)::date, 0, 1 FROM m WHERE left_on IS NOT NULL
)`+seriesSQL, unit, step, from, to, s.members(f, false, "m.joined_on", "m.left_on")).Scan(ctx, &rows)
	if err != nil {
		return nil, mapError(err, "dashboard")
	}
	out := make([]domain.GrowthPeriod, len(rows))
	for i, r := range rows {
		out[i] = domain.GrowthPeriod{Period: r.Period, Joined: r.A, Left: r.B, Total: r.Total}
	}
	return out, nil
}

// retention counts the members matching f's criteria who were active on
// 1 January of year and those of them still active on 31 December. A
// member is active on a day from its joining day until the day before it
// left.
func (s *DashboardService) retention(ctx context.Context, f domain.DashboardFilter, year int) (*domain.Retention, error) {
	f, err := s.open(ctx, f)
	if err != nil {
		return nil, err
	}
	if err := domain.ValidateRange("year", year, domain.MinDashboardYear, domain.MaxDashboardYear); err != nil {
		return nil, err
	}
	start := time.Date(year, time.January, 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	end := time.Date(year, time.December, 31, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	out := &domain.Retention{Year: year}
	err = s.db.bun.NewRaw(`
SELECT count(*) FILTER (WHERE left_on IS NULL OR left_on > ?0::date) AS active_at_start,
       count(*) FILTER (WHERE left_on IS NULL OR left_on > ?1::date) AS retained
FROM members WHERE id IN (?2) AND joined_on <= ?0::date`,
		start, end, s.members(f, false)).Scan(ctx, &out.ActiveAtStart, &out.Retained)
	if err != nil {
		return nil, mapError(err, "dashboard")
	}
	return out, nil
}

// linkScope restricts business_links (alias l) to those with a party
// matching f's criteria, the members being argument ?arg; no restriction
// without a filter.
func (s *DashboardService) linkScope(f domain.DashboardFilter, arg int) (string, []any) {
	if f.Empty() {
		return "TRUE", nil
	}
	return fmt.Sprintf("(l.from_id IN (?%[1]d) OR l.to_id IN (?%[1]d))", arg), []any{s.members(f, false)}
}

// linkCountRow is one grouping of the link counts.
type linkCountRow struct {
	Kind      *string `bun:"kind"`
	Origin    *string `bun:"origin"`
	Grouping  int     `bun:"grouping"`
	Total     int     `bun:"total"`
	Confirmed int     `bun:"confirmed"`
	Pending   int     `bun:"pending"`
	Declined  int     `bun:"declined"`
	Ended     int     `bun:"ended"`
}

func (r linkCountRow) counts() domain.LinkCounts {
	return domain.LinkCounts{Total: r.Total, Confirmed: r.Confirmed, Pending: r.Pending, Declined: r.Declined, Ended: r.Ended}
}

// linkStats counts the business links with a party matching f's criteria,
// in all and by kind and origin (GROUPING SETS: one scan).
func (s *DashboardService) linkStats(ctx context.Context, f domain.DashboardFilter) (*domain.LinkStats, error) {
	f, err := s.open(ctx, f)
	if err != nil {
		return nil, err
	}
	scope, args := s.linkScope(f, 0)
	var rows []linkCountRow
	err = s.db.bun.NewRaw(`
SELECT l.kind, l.origin, GROUPING(l.kind, l.origin) AS grouping,
    count(*) AS total,
    count(*) FILTER (WHERE l.status = 'CONFIRMED') AS confirmed,
    count(*) FILTER (WHERE l.status = 'PENDING') AS pending,
    count(*) FILTER (WHERE l.status = 'DECLINED') AS declined,
    count(*) FILTER (WHERE l.status = 'ENDED') AS ended
FROM business_links AS l
WHERE `+scope+`
GROUP BY GROUPING SETS ((), (l.kind), (l.origin))`, args...).Scan(ctx, &rows)
	if err != nil {
		return nil, mapError(err, "dashboard")
	}
	byKind := map[string]domain.LinkCounts{}
	byOrigin := map[string]domain.LinkCounts{}
	out := &domain.LinkStats{}
	for _, r := range rows {
		switch r.Grouping {
		case 3: // neither kind nor origin: the totals
			out.LinkCounts = r.counts()
		case 1: // grouped by kind
			byKind[*r.Kind] = r.counts()
		case 2: // grouped by origin
			byOrigin[*r.Origin] = r.counts()
		}
	}
	for _, k := range domain.AllLinkKinds {
		out.ByKind = append(out.ByKind, domain.LinkKindCount{Kind: k, LinkCounts: byKind[string(k)]})
	}
	for _, o := range domain.AllLinkOrigins {
		out.ByOrigin = append(out.ByOrigin, domain.LinkOriginCount{Origin: o, LinkCounts: byOrigin[string(o)]})
	}
	return out, nil
}

// linksCreated is the series of business links declared per period (their
// creation day in the cluster's time zone), for links with a party
// matching f's criteria.
func (s *DashboardService) linksCreated(ctx context.Context, f domain.DashboardFilter, r domain.SeriesRange) ([]domain.PeriodCount, error) {
	f, err := s.open(ctx, f)
	if err != nil {
		return nil, err
	}
	unit, step, from, to, err := s.seriesBounds(r)
	if err != nil {
		return nil, err
	}
	scope, scopeArgs := s.linkScope(f, 5)
	args := append([]any{unit, step, from, to, s.db.Location.String()}, scopeArgs...)
	var rows []seriesRow
	err = s.db.bun.NewRaw(`
WITH ev (period, a, b) AS (
    SELECT date_trunc(?0, (l.created_at AT TIME ZONE ?4)::date::timestamp)::date, 1::bigint, 0::bigint
    FROM business_links AS l WHERE `+scope+`
)`+seriesSQL, args...).Scan(ctx, &rows)
	if err != nil {
		return nil, mapError(err, "dashboard")
	}
	out := make([]domain.PeriodCount, len(rows))
	for i, r := range rows {
		out[i] = domain.PeriodCount{Period: r.Period, Count: r.A}
	}
	return out, nil
}

// groupStats summarises the working groups with at least one participant,
// present or past, matching f's criteria.
func (s *DashboardService) groupStats(ctx context.Context, f domain.DashboardFilter) (*domain.GroupStats, error) {
	f, err := s.open(ctx, f)
	if err != nil {
		return nil, err
	}
	scope, args := "TRUE", []any{}
	if !f.Empty() {
		scope = "EXISTS (SELECT 1 FROM group_participants AS gp WHERE gp.group_id = wg.id AND gp.member_id IN (?2))"
		args = []any{s.members(f, false)}
	}
	args = append([]any{s.db.Now(), s.db.Location.String()}, args...)
	var row struct {
		Active               int      `bun:"active"`
		Closed               int      `bun:"closed"`
		ByTheme              []byte   `bun:"by_theme"`
		MeetingsHeld         int      `bun:"meetings_held"`
		MeetingsWithOutcome  int      `bun:"meetings_with_outcome"`
		AverageAttendance    *float64 `bun:"average_attendance"`
		ActionPlansPublished int      `bun:"action_plans"`
		MedianDays           *float64 `bun:"median_days"`
	}
	err = s.db.bun.NewRaw(`
WITH g AS (
    SELECT wg.id, wg.theme, wg.status, wg.formed_at FROM working_groups AS wg WHERE `+scope+`
),
held AS (
    SELECT mt.status, (SELECT count(*) FROM meeting_attendees AS a WHERE a.meeting_id = mt.id) AS attendees
    FROM meetings AS mt
    WHERE mt.group_id IN (SELECT id FROM g) AND mt.status <> 'CANCELLED' AND mt.starts_at <= ?0
),
plans AS (
    SELECT (ap.published_at AT TIME ZONE ?1)::date - (g.formed_at AT TIME ZONE ?1)::date AS days
    FROM action_plans AS ap JOIN g ON g.id = ap.group_id
)
SELECT
    (SELECT count(*) FROM g WHERE status = 'ACTIVE') AS active,
    (SELECT count(*) FROM g WHERE status = 'CLOSED') AS closed,
    (SELECT coalesce(json_object_agg(theme, json_build_array(n, active)), '{}')
       FROM (SELECT theme, count(*) AS n, count(*) FILTER (WHERE status = 'ACTIVE') AS active
             FROM g GROUP BY theme) AS t) AS by_theme,
    (SELECT count(*) FROM held) AS meetings_held,
    (SELECT count(*) FROM held WHERE status = 'HELD') AS meetings_with_outcome,
    (SELECT avg(attendees)::float8 FROM held WHERE status = 'HELD') AS average_attendance,
    (SELECT count(*) FROM plans) AS action_plans,
    (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY days) FROM plans) AS median_days`,
		args...).Scan(ctx, &row)
	if err != nil {
		return nil, mapError(err, "dashboard")
	}
	var themes map[string][2]int
	if err := json.Unmarshal(row.ByTheme, &themes); err != nil {
		return nil, mapError(err, "dashboard")
	}
	out := &domain.GroupStats{
		Active: row.Active, Closed: row.Closed,
		MeetingsHeld: row.MeetingsHeld, MeetingsWithOutcome: row.MeetingsWithOutcome,
		AverageAttendance: row.AverageAttendance, ActionPlansPublished: row.ActionPlansPublished,
		MedianDaysToActionPlan: row.MedianDays,
	}
	for _, t := range domain.AllThemes {
		c := themes[string(t)]
		out.ByTheme = append(out.ByTheme, domain.ThemeCount{Theme: t, Count: c[0], Active: c[1]})
	}
	return out, nil
}

// engagementOf starts a statement over the engagement of the ACTIVE
// members matching f (CTE scored, see engagementCTEs); more arguments
// follow from ?5.
func (s *DashboardService) engagementOf(f domain.DashboardFilter, tail string, args ...any) *bun.RawQuery {
	all := append(s.db.engagementArgs(), s.members(f, true))
	return s.db.bun.NewRaw(`WITH ids AS (?4),`+engagementCTEs(false)+tail, append(all, args...)...)
}

// engagementStats counts the ACTIVE members matching f per score bucket of
// 10 (the last holds 90 to 100), those at risk and the average score, and
// lists the first atRisk members at risk, the longest inactive first (then
// by id): one statement, the per-member engagement computed once.
func (s *DashboardService) engagementStats(ctx context.Context, f domain.DashboardFilter, atRisk int) (*domain.EngagementStats, error) {
	f, err := s.open(ctx, f)
	if err != nil {
		return nil, err
	}
	if err := domain.ValidateRange("first", atRisk, 0, domain.MaxAtRisk); err != nil {
		return nil, err
	}
	var row struct {
		Buckets []int    `bun:"buckets,array"`
		Members int      `bun:"members"`
		AtRisk  int      `bun:"at_risk"`
		Average *float64 `bun:"average"`
		List    []byte   `bun:"list"`
	}
	err = s.engagementOf(f, `
SELECT
    (SELECT array_agg(n ORDER BY b) FROM (
        SELECT b, count(scored.member_id) AS n
        FROM generate_series(0, ?5 - 1) AS b LEFT JOIN scored ON least(scored.score / 10, ?5 - 1) = b
        GROUP BY b) AS d) AS buckets,
    (SELECT count(*) FROM scored) AS members,
    (SELECT count(*) FROM scored WHERE at_risk) AS at_risk,
    (SELECT avg(score)::float8 FROM scored) AS average,
    (SELECT coalesce(json_agg(r ORDER BY r.inactive_since, r.member_id), '[]') FROM (
        SELECT member_id, last_at, coalesce((last_at AT TIME ZONE ?6)::date, joined_on) AS inactive_since
        FROM scored WHERE at_risk
        ORDER BY inactive_since, member_id
        LIMIT ?7) AS r) AS list`,
		domain.EngagementBuckets, s.db.Location.String(), atRisk).Scan(ctx, &row)
	if err != nil {
		return nil, mapError(err, "dashboard")
	}
	out := &domain.EngagementStats{Members: row.Members, AtRiskCount: row.AtRisk, AverageScore: row.Average}
	for i, n := range row.Buckets {
		to := i*10 + 9
		if i == domain.EngagementBuckets-1 {
			to = 100
		}
		out.Distribution = append(out.Distribution, domain.ScoreBucket{From: i * 10, To: to, Count: n})
	}
	var list []struct {
		MemberID      int64      `json:"member_id"`
		LastAt        *time.Time `json:"last_at"`
		InactiveSince string     `json:"inactive_since"`
	}
	if err := json.Unmarshal(row.List, &list); err != nil {
		return nil, mapError(err, "dashboard")
	}
	today := s.db.today()
	for _, r := range list {
		since, err := time.Parse(time.DateOnly, r.InactiveSince)
		if err != nil {
			return nil, mapError(err, "dashboard")
		}
		if r.LastAt != nil {
			utc := r.LastAt.UTC()
			r.LastAt = &utc
		}
		out.AtRisk = append(out.AtRisk, domain.AtRiskMember{
			MemberID: r.MemberID, LastActivityAt: r.LastAt, InactiveSince: since,
			InactiveDays: int(today.Sub(since).Hours() / 24),
		})
	}
	return out, nil
}
