package domain

import (
	"context"
	"time"
)

// DashboardFilter narrows the members a dashboard counts. Empty lists
// mean no restriction; trade ids include their sub-trades.
type DashboardFilter struct {
	Regions     []string
	Kinds       []MemberKind
	TradeIDs    []int64
	SizeClasses []SizeClass
}

// Empty reports whether the filter restricts nothing.
func (f DashboardFilter) Empty() bool {
	return len(f.Regions) == 0 && len(f.Kinds) == 0 && len(f.TradeIDs) == 0 && len(f.SizeClasses) == 0
}

// Interval is the length of the periods of a time series.
type Interval string

// The intervals of a time series.
const (
	IntervalYear    Interval = "YEAR"
	IntervalQuarter Interval = "QUARTER"
	IntervalMonth   Interval = "MONTH"
)

// Bounds of the dashboard's arguments.
const (
	MaxSeriesPeriods  = 2000 // periods of one time series
	MinDashboardYear  = 1900
	MaxDashboardYear  = 9999
	DefaultAtRisk     = 10
	MaxAtRisk         = 100
	EngagementBuckets = 10 // score buckets of 10 points; the last holds 90 to 100
)

// PeriodStart returns the first day of the period of interval holding day.
func (i Interval) PeriodStart(day time.Time) time.Time {
	y, m, _ := day.Date()
	switch i {
	case IntervalYear:
		m = time.January
	case IntervalQuarter:
		m = (m-1)/3*3 + 1
	}
	return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
}

// Next returns the first day of the period after the one starting at start.
func (i Interval) Next(start time.Time) time.Time {
	switch i {
	case IntervalYear:
		return start.AddDate(1, 0, 0)
	case IntervalQuarter:
		return start.AddDate(0, 3, 0)
	}
	return start.AddDate(0, 1, 0)
}

// Periods counts the periods of interval from the one holding from to the
// one holding to, both included.
func (i Interval) Periods(from, to time.Time) int {
	a, b := i.PeriodStart(from), i.PeriodStart(to)
	months := (b.Year()-a.Year())*12 + int(b.Month()-a.Month())
	switch i {
	case IntervalYear:
		return months/12 + 1
	case IntervalQuarter:
		return months/3 + 1
	}
	return months + 1
}

// SeriesRange is the span of a time series: nil From means from the first
// recorded event, nil To means today.
type SeriesRange struct {
	Interval Interval
	From     *time.Time
	To       *time.Time
}

// ValidateSeriesRange checks a time series' span: from not after to, and
// at most MaxSeriesPeriods periods when both are known.
func ValidateSeriesRange(r SeriesRange, today time.Time) error {
	switch r.Interval {
	case IntervalYear, IntervalQuarter, IntervalMonth:
	default:
		return InvalidField("interval", "unknown interval %q", r.Interval)
	}
	to := today
	if r.To != nil {
		to = *r.To
	}
	if r.From == nil {
		return nil
	}
	if r.From.After(to) {
		return InvalidField("from", "from (%s) is after to (%s)", r.From.Format(time.DateOnly), to.Format(time.DateOnly))
	}
	if n := r.Interval.Periods(*r.From, to); n > MaxSeriesPeriods {
		return InvalidField("from", "the series would have %d periods; at most %d", n, MaxSeriesPeriods)
	}
	return nil
}

// CanSeeDashboard checks that v may read dashboards: analysts and staff.
func CanSeeDashboard(v Viewer) error {
	if !v.Role.AtLeast(RoleAnalyst) {
		return Errorf(CodeForbidden, "dashboard is visible to analysts and staff only")
	}
	return nil
}

// CategoryCount is how many members fall in one category, and their share
// of the members counted. A nil Key is "not recorded".
type CategoryCount[K any] struct {
	Key   *K
	Count int
	Share float64
}

// TradeCount is how many members practise a trade.
type TradeCount struct {
	TradeID int64
	Count   int
	Share   float64
}

// GrowthPeriod is one period of the membership's growth.
type GrowthPeriod struct {
	Period time.Time // first day of the period
	Joined int
	Left   int
	Total  int // members at the end of the period
}

// Retention is how many members active on 1 January were still active on
// 31 December.
type Retention struct {
	Year          int
	ActiveAtStart int
	Retained      int
}

// Share is Retained over ActiveAtStart; nil when nobody was active on 1 January.
func (r Retention) Share() *float64 {
	if r.ActiveAtStart == 0 {
		return nil
	}
	s := float64(r.Retained) / float64(r.ActiveAtStart)
	return &s
}

// LinkCounts counts business links by status.
type LinkCounts struct {
	Total, Confirmed, Pending, Declined, Ended int
}

// LinkStats is the business between members: counts by status, kind and origin.
type LinkStats struct {
	LinkCounts
	ByKind   []LinkKindCount
	ByOrigin []LinkOriginCount
}

// LinkKindCount counts the links of one kind.
type LinkKindCount struct {
	Kind LinkKind
	LinkCounts
}

// LinkOriginCount counts the links of one origin.
type LinkOriginCount struct {
	Origin LinkOrigin
	LinkCounts
}

// PeriodCount is a count for one period of a time series.
type PeriodCount struct {
	Period time.Time
	Count  int
}

// GroupStats is whether working groups deliver.
type GroupStats struct {
	Active, Closed         int
	ByTheme                []ThemeCount
	MeetingsHeld           int
	MeetingsWithOutcome    int
	AverageAttendance      *float64
	ActionPlansPublished   int
	MedianDaysToActionPlan *float64
}

// MeetingsWithOutcomeShare is the share of held meetings whose outcome is
// recorded; nil when no meeting was held.
func (g GroupStats) MeetingsWithOutcomeShare() *float64 {
	if g.MeetingsHeld == 0 {
		return nil
	}
	s := float64(g.MeetingsWithOutcome) / float64(g.MeetingsHeld)
	return &s
}

// ThemeCount counts the working groups of one theme.
type ThemeCount struct {
	Theme  Theme
	Count  int
	Active int
}

// EngagementStats summarises the members' engagement scores.
type EngagementStats struct {
	Members      int
	Distribution []ScoreBucket
	AtRiskCount  int
	AverageScore *float64
	// AtRisk lists the first members at risk, longest inactive first, as
	// many as asked for.
	AtRisk []AtRiskMember
}

// ScoreBucket counts the members whose score lies in [From, To].
type ScoreBucket struct {
	From, To int
	Count    int
}

// AtRiskMember is an ACTIVE member without activity for AtRiskAfter months.
type AtRiskMember struct {
	MemberID       int64
	LastActivityAt *time.Time
	InactiveSince  time.Time // the last activity's day, or the joining day
	InactiveDays   int
}

// DashboardService computes the animation team's figures, each block by
// one aggregation in the database. Every method returns FORBIDDEN unless
// the viewer is an analyst or staff.
type DashboardService interface {
	// Open checks that the viewer may read dashboards before any block is
	// asked for. Returns FORBIDDEN unless the viewer is an analyst or
	// staff (every block checks it too).
	Open(ctx context.Context) error
	// MemberCount counts the ACTIVE members matching the filter.
	MemberCount(ctx context.Context, f DashboardFilter) (int, error)
	// BySizeClass counts them by size class, every class listed.
	BySizeClass(ctx context.Context, f DashboardFilter) ([]CategoryCount[SizeClass], error)
	// ByKind counts them by kind, every kind listed.
	ByKind(ctx context.Context, f DashboardFilter) ([]CategoryCount[MemberKind], error)
	// ByRegion counts them by region, largest first.
	ByRegion(ctx context.Context, f DashboardFilter) ([]CategoryCount[string], error)
	// ByTrade counts them by trade, every trade listed, largest first; with
	// subTrades a member counts under its trades' ancestors too.
	ByTrade(ctx context.Context, f DashboardFilter, subTrades bool) ([]TradeCount, error)
	// Growth is the series of joins, departures and running totals.
	Growth(ctx context.Context, f DashboardFilter, r SeriesRange) ([]GrowthPeriod, error)
	// Retention is the retention of the given year.
	Retention(ctx context.Context, f DashboardFilter, year int) (*Retention, error)
	// LinkStats counts the business links involving a matching member.
	LinkStats(ctx context.Context, f DashboardFilter) (*LinkStats, error)
	// LinksCreated is the series of links declared per period.
	LinksCreated(ctx context.Context, f DashboardFilter, r SeriesRange) ([]PeriodCount, error)
	// GroupStats summarises the working groups with a matching participant.
	GroupStats(ctx context.Context, f DashboardFilter) (*GroupStats, error)
	// EngagementStats summarises the matching ACTIVE members' engagement
	// and lists the first atRisk of them at risk (0 to MaxAtRisk), in one
	// statement.
	EngagementStats(ctx context.Context, f DashboardFilter, atRisk int) (*EngagementStats, error)
	// ReturnStats is the return on the matching ACTIVE members' time.
	ReturnStats(ctx context.Context, f DashboardFilter) (*ReturnStats, error)
	// TradeShowStats counts the exhibitors, visitors, leads and links born
	// at the show of year (MinDashboardYear to MaxDashboardYear), in one
	// statement; nil when no show was held that year.
	TradeShowStats(ctx context.Context, year int) (*TradeShowStats, error)
}

// The values of the enums a dashboard lists in full, in schema order.
var (
	AllSizeClasses = []SizeClass{SizeMicro, SizeSmall, SizeMedium, SizeLarge}
	AllMemberKinds = []MemberKind{KindCompany, KindLaboratory, KindInstitution, KindMediaPartner}
	AllLinkKinds   = []LinkKind{LinkSupply, LinkSubcontracting, LinkDistribution, LinkPartnership, LinkJointBid, LinkReferral}
	AllLinkOrigins = []LinkOrigin{OriginWorkingGroup, OriginTradeShow, OriginIntroduction, OriginPreExisting, OriginOther}
	AllThemes      = []Theme{ThemePurchasing, ThemeSmallBusinessSupport, ThemeCommunication, ThemeOther}
)
