package postgres_test

import (
	"context"
	"math"
	"os"
	"testing"
	"time"

	"grappe/domain"
	"grappe/postgres"
	"grappe/postgres/pgtest"
)

// The dashboard tests read the hand-built cluster of testdata/dashboard.sql;
// every expected number below was counted by hand from that file.

// dashboardDB returns a database holding testdata/dashboard.sql, its clock
// at 2026-06-15T10:00Z in Europe/Paris.
func dashboardDB(t *testing.T) *postgres.DB {
	t.Helper()
	db := pgtest.NewDB(t)
	fixture, err := os.ReadFile("testdata/dashboard.sql")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Bun().ExecContext(context.Background(), string(fixture)); err != nil {
		t.Fatalf("load fixture: %v", err)
	}
	db.Now = func() time.Time { return time.Date(2026, 6, 15, 10, 0, 0, 0, time.UTC) }
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	db.Location = paris
	return db
}

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func dayp(s string) *time.Time { d := day(s); return &d }

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// category is a breakdown entry written as key, count and share.
type category struct {
	key   string // "" for not recorded
	count int
	share float64
}

func checkCategories[K ~string](t *testing.T, name string, got []domain.CategoryCount[K], want []category) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d entries, want %d: %+v", name, len(got), len(want), got)
	}
	for i, w := range want {
		key := ""
		if got[i].Key != nil {
			key = string(*got[i].Key)
		}
		if key != w.key || got[i].Count != w.count || !near(got[i].Share, w.share) {
			t.Errorf("%s[%d] = %q %d %.4f, want %q %d %.4f", name, i, key, got[i].Count, got[i].Share, w.key, w.count, w.share)
		}
	}
}

func TestDashboardMembers(t *testing.T) {
	t.Parallel()
	svc := dashboardDB(t).Dashboards()
	all := domain.DashboardFilter{}

	// ACTIVE: Alpha, Bravo, Charlie, Echo, Golf, Hotel, India.
	if n, err := svc.MemberCount(analyst, all); err != nil || n != 7 {
		t.Errorf("memberCount = %d, %v; want 7", n, err)
	}
	sizes, err := svc.BySizeClass(analyst, all)
	if err != nil {
		t.Fatal(err)
	}
	checkCategories(t, "bySizeClass", sizes, []category{
		{"MICRO", 3, 3.0 / 7}, {"SMALL", 2, 2.0 / 7}, {"MEDIUM", 1, 1.0 / 7}, {"LARGE", 0, 0}, {"", 1, 1.0 / 7},
	})
	kinds, err := svc.ByKind(analyst, all)
	if err != nil {
		t.Fatal(err)
	}
	checkCategories(t, "byKind", kinds, []category{
		{"COMPANY", 5, 5.0 / 7}, {"LABORATORY", 1, 1.0 / 7}, {"INSTITUTION", 0, 0}, {"MEDIA_PARTNER", 1, 1.0 / 7},
	})
	regions, err := svc.ByRegion(analyst, all)
	if err != nil {
		t.Fatal(err)
	}
	checkCategories(t, "byRegion", regions, []category{
		{"Île-de-France", 4, 4.0 / 7}, {"Bretagne", 2, 2.0 / 7}, {"Occitanie", 1, 1.0 / 7},
	})

	// With sub-trades, MEAS holds Alpha, Bravo, India (MEAS.DIM), Charlie
	// (MEAS.TEMP) and Echo (MEAS itself); Bravo counts under MEAS.DIM and SOFT.
	trades, err := svc.ByTrade(analyst, all, true)
	if err != nil {
		t.Fatal(err)
	}
	wantTrades := []domain.TradeCount{{TradeID: 1, Count: 5, Share: 5.0 / 7}, {TradeID: 2, Count: 3, Share: 3.0 / 7}, {TradeID: 4, Count: 3, Share: 3.0 / 7}, {TradeID: 3, Count: 1, Share: 1.0 / 7}}
	checkTrades(t, "byTrade", trades, wantTrades)
	direct, err := svc.ByTrade(analyst, all, false)
	if err != nil {
		t.Fatal(err)
	}
	checkTrades(t, "byTrade direct", direct, []domain.TradeCount{{TradeID: 2, Count: 3, Share: 3.0 / 7}, {TradeID: 4, Count: 3, Share: 3.0 / 7}, {TradeID: 1, Count: 1, Share: 1.0 / 7}, {TradeID: 3, Count: 1, Share: 1.0 / 7}})
}

func checkTrades(t *testing.T, name string, got, want []domain.TradeCount) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %+v, want %+v", name, got, want)
	}
	for i := range want {
		if got[i].TradeID != want[i].TradeID || got[i].Count != want[i].Count || !near(got[i].Share, want[i].Share) {
			t.Errorf("%s[%d] = %+v, want %+v", name, i, got[i], want[i])
		}
	}
}

// growth writes a series as period, joined, left, total.
type growth struct {
	period              string
	joined, left, total int
}

func checkGrowth(t *testing.T, name string, got []domain.GrowthPeriod, want []growth) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d periods, want %d: %+v", name, len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.Period.Format(time.DateOnly) != w.period || g.Joined != w.joined || g.Left != w.left || g.Total != w.total {
			t.Errorf("%s[%d] = %s %d %d %d, want %+v", name, i, g.Period.Format(time.DateOnly), g.Joined, g.Left, g.Total, w)
		}
	}
}

func TestDashboardGrowthAndRetention(t *testing.T) {
	t.Parallel()
	svc := dashboardDB(t).Dashboards()
	all := domain.DashboardFilter{}

	// From the earliest join (Hotel, 2019) to today; 2025 has no change.
	years, err := svc.Growth(analyst, all, domain.SeriesRange{Interval: domain.IntervalYear})
	if err != nil {
		t.Fatal(err)
	}
	checkGrowth(t, "years", years, []growth{
		{"2019-01-01", 1, 0, 1}, {"2020-01-01", 2, 0, 3}, {"2021-01-01", 2, 1, 4}, {"2022-01-01", 2, 0, 6},
		{"2023-01-01", 0, 1, 5}, {"2024-01-01", 1, 0, 6}, {"2025-01-01", 0, 0, 6}, {"2026-01-01", 1, 0, 7},
	})
	// Delta joined in Q1 2021 and left in Q4; three members were there before.
	quarters, err := svc.Growth(analyst, all, domain.SeriesRange{Interval: domain.IntervalQuarter, From: dayp("2021-01-01"), To: dayp("2021-12-31")})
	if err != nil {
		t.Fatal(err)
	}
	checkGrowth(t, "quarters", quarters, []growth{
		{"2021-01-01", 2, 0, 5}, {"2021-04-01", 0, 0, 5}, {"2021-07-01", 0, 0, 5}, {"2021-10-01", 0, 1, 4},
	})
	// Bounds inside a period start at the period's first day.
	months, err := svc.Growth(analyst, all, domain.SeriesRange{Interval: domain.IntervalMonth, From: dayp("2023-05-10"), To: dayp("2023-07-01")})
	if err != nil {
		t.Fatal(err)
	}
	checkGrowth(t, "months", months, []growth{{"2023-05-01", 0, 0, 6}, {"2023-06-01", 0, 1, 5}, {"2023-07-01", 0, 0, 5}})

	// Occitanie: Charlie, and Delta who joined and left in 2021.
	occitanie := domain.DashboardFilter{Regions: []string{"Occitanie"}}
	occ, err := svc.Growth(analyst, occitanie, domain.SeriesRange{Interval: domain.IntervalYear})
	if err != nil {
		t.Fatal(err)
	}
	checkGrowth(t, "occitanie", occ, []growth{
		{"2021-01-01", 2, 1, 1}, {"2022-01-01", 0, 0, 1}, {"2023-01-01", 0, 0, 1}, {"2024-01-01", 0, 0, 1},
		{"2025-01-01", 0, 0, 1}, {"2026-01-01", 0, 0, 1},
	})

	for _, c := range []struct {
		year, atStart, retained int
		share                   *float64
	}{
		{2023, 6, 5, ptr(5.0 / 6)}, // Foxtrot left on 30 June
		{2021, 4, 4, ptr(1.0)},     // Charlie joined on 1 January; Delta joined later and is not counted
		{2018, 0, 0, nil},
	} {
		r, err := svc.Retention(analyst, all, c.year)
		if err != nil {
			t.Fatal(err)
		}
		share := r.Share()
		if r.ActiveAtStart != c.atStart || r.Retained != c.retained || (share == nil) != (c.share == nil) || (share != nil && !near(*share, *c.share)) {
			t.Errorf("retention %d = %+v share %v, want %d %d %v", c.year, r, share, c.atStart, c.retained, c.share)
		}
	}
}

func ptr[T any](v T) *T { return &v }

func TestDashboardLinks(t *testing.T) {
	t.Parallel()
	db := dashboardDB(t)
	svc := db.Dashboards()
	stats, err := svc.LinkStats(analyst, domain.DashboardFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if want := (domain.LinkCounts{Total: 6, Confirmed: 3, Pending: 1, Declined: 1, Ended: 1}); stats.LinkCounts != want {
		t.Errorf("links = %+v, want %+v", stats.LinkCounts, want)
	}
	wantKinds := map[domain.LinkKind]domain.LinkCounts{
		domain.LinkSupply:         {Total: 2, Confirmed: 1, Ended: 1},
		domain.LinkSubcontracting: {Total: 1, Pending: 1},
		domain.LinkDistribution:   {},
		domain.LinkPartnership:    {Total: 1, Confirmed: 1},
		domain.LinkJointBid:       {Total: 1, Confirmed: 1},
		domain.LinkReferral:       {Total: 1, Declined: 1},
	}
	if len(stats.ByKind) != 6 {
		t.Fatalf("byKind: %+v", stats.ByKind)
	}
	for _, k := range stats.ByKind {
		if k.LinkCounts != wantKinds[k.Kind] {
			t.Errorf("byKind %s = %+v, want %+v", k.Kind, k.LinkCounts, wantKinds[k.Kind])
		}
	}
	wantOrigins := map[domain.LinkOrigin]domain.LinkCounts{
		domain.OriginWorkingGroup: {Total: 1, Confirmed: 1},
		domain.OriginTradeShow:    {Total: 1, Confirmed: 1},
		domain.OriginIntroduction: {Total: 1, Declined: 1},
		domain.OriginPreExisting:  {Total: 1, Ended: 1},
		domain.OriginOther:        {Total: 2, Confirmed: 1, Pending: 1},
	}
	if len(stats.ByOrigin) != 5 {
		t.Fatalf("byOrigin: %+v", stats.ByOrigin)
	}
	for _, o := range stats.ByOrigin {
		if o.LinkCounts != wantOrigins[o.Origin] {
			t.Errorf("byOrigin %s = %+v, want %+v", o.Origin, o.LinkCounts, wantOrigins[o.Origin])
		}
	}

	// Occitanie (Charlie, Delta): the links with either as a party.
	occ, err := svc.LinkStats(analyst, domain.DashboardFilter{Regions: []string{"Occitanie"}})
	if err != nil {
		t.Fatal(err)
	}
	if want := (domain.LinkCounts{Total: 4, Confirmed: 2, Pending: 1, Ended: 1}); occ.LinkCounts != want {
		t.Errorf("occitanie links = %+v, want %+v", occ.LinkCounts, want)
	}

	// Link 5 was declared on 31 March in UTC, 1 April in Paris.
	months, err := svc.LinksCreated(analyst, domain.DashboardFilter{}, domain.SeriesRange{Interval: domain.IntervalMonth, From: dayp("2026-01-01"), To: dayp("2026-04-30")})
	if err != nil {
		t.Fatal(err)
	}
	checkCounts(t, "created in Paris", months, []int{1, 0, 0, 1})
	db.Location = time.UTC
	months, err = svc.LinksCreated(analyst, domain.DashboardFilter{}, domain.SeriesRange{Interval: domain.IntervalMonth, From: dayp("2026-01-01"), To: dayp("2026-04-30")})
	if err != nil {
		t.Fatal(err)
	}
	checkCounts(t, "created in UTC", months, []int{1, 0, 1, 0})
	years, err := svc.LinksCreated(analyst, domain.DashboardFilter{}, domain.SeriesRange{Interval: domain.IntervalYear})
	if err != nil {
		t.Fatal(err)
	}
	checkCounts(t, "created per year", years, []int{1, 1, 0, 0, 1, 3})
	if years[0].Period.Format(time.DateOnly) != "2021-01-01" {
		t.Errorf("first year %s, want 2021-01-01", years[0].Period)
	}
}

func checkCounts(t *testing.T, name string, got []domain.PeriodCount, want []int) {
	t.Helper()
	counts := make([]int, len(got))
	for i, p := range got {
		counts[i] = p.Count
	}
	if len(counts) != len(want) {
		t.Fatalf("%s = %v, want %v", name, counts, want)
	}
	for i := range want {
		if counts[i] != want[i] {
			t.Fatalf("%s = %v, want %v", name, counts, want)
		}
	}
}

func TestDashboardGroups(t *testing.T) {
	t.Parallel()
	svc := dashboardDB(t).Dashboards()
	for _, c := range []struct {
		name   string
		filter domain.DashboardFilter
		want   domain.GroupStats
		themes []domain.ThemeCount
		share  *float64
	}{
		{
			// Held: meetings 1, 2 (no outcome yet), 5, 6, 7; 3 is to come
			// and 4 was cancelled. Attendance 3, 2, 1, 1. Plans after 61 and
			// 101 days.
			name: "all",
			want: domain.GroupStats{Active: 1, Closed: 2, MeetingsHeld: 5, MeetingsWithOutcome: 4,
				AverageAttendance: ptr(1.75), ActionPlansPublished: 2, MedianDaysToActionPlan: ptr(81.0)},
			themes: []domain.ThemeCount{{Theme: domain.ThemePurchasing, Count: 1, Active: 1}, {Theme: domain.ThemeSmallBusinessSupport},
				{Theme: domain.ThemeCommunication, Count: 1}, {Theme: domain.ThemeOther, Count: 1}},
			share: ptr(0.8),
		},
		{
			// Charlie takes part in groups 2 and 3.
			name: "occitanie", filter: domain.DashboardFilter{Regions: []string{"Occitanie"}},
			want: domain.GroupStats{Active: 0, Closed: 2, MeetingsHeld: 3, MeetingsWithOutcome: 3,
				AverageAttendance: ptr(4.0 / 3), ActionPlansPublished: 1, MedianDaysToActionPlan: ptr(101.0)},
			themes: []domain.ThemeCount{{Theme: domain.ThemePurchasing}, {Theme: domain.ThemeSmallBusinessSupport},
				{Theme: domain.ThemeCommunication, Count: 1}, {Theme: domain.ThemeOther, Count: 1}},
			share: ptr(1.0),
		},
		{
			// Bravo left group 2 but took part in it: it counts.
			name: "île-de-france", filter: domain.DashboardFilter{Regions: []string{"Île-de-France"}},
			want: domain.GroupStats{Active: 1, Closed: 1, MeetingsHeld: 4, MeetingsWithOutcome: 3,
				AverageAttendance: ptr(2.0), ActionPlansPublished: 1, MedianDaysToActionPlan: ptr(61.0)},
			themes: []domain.ThemeCount{{Theme: domain.ThemePurchasing, Count: 1, Active: 1}, {Theme: domain.ThemeSmallBusinessSupport},
				{Theme: domain.ThemeCommunication, Count: 1}, {Theme: domain.ThemeOther}},
			share: ptr(0.75),
		},
		{
			name: "nobody", filter: domain.DashboardFilter{Regions: []string{"Corse"}},
			themes: []domain.ThemeCount{{Theme: domain.ThemePurchasing}, {Theme: domain.ThemeSmallBusinessSupport},
				{Theme: domain.ThemeCommunication}, {Theme: domain.ThemeOther}},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			g, err := svc.GroupStats(analyst, c.filter)
			if err != nil {
				t.Fatal(err)
			}
			if g.Active != c.want.Active || g.Closed != c.want.Closed || g.MeetingsHeld != c.want.MeetingsHeld ||
				g.MeetingsWithOutcome != c.want.MeetingsWithOutcome || g.ActionPlansPublished != c.want.ActionPlansPublished ||
				!nearp(g.AverageAttendance, c.want.AverageAttendance) || !nearp(g.MedianDaysToActionPlan, c.want.MedianDaysToActionPlan) ||
				!nearp(g.MeetingsWithOutcomeShare(), c.share) {
				t.Errorf("groups = %+v (attendance %v, median %v, share %v), want %+v", g, deref(g.AverageAttendance), deref(g.MedianDaysToActionPlan), deref(g.MeetingsWithOutcomeShare()), c.want)
			}
			if len(g.ByTheme) != len(c.themes) {
				t.Fatalf("byTheme = %+v", g.ByTheme)
			}
			for i := range c.themes {
				if g.ByTheme[i] != c.themes[i] {
					t.Errorf("byTheme[%d] = %+v, want %+v", i, g.ByTheme[i], c.themes[i])
				}
			}
		})
	}
}

func nearp(a, b *float64) bool { return (a == nil) == (b == nil) && (a == nil || near(*a, *b)) }

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestDashboardEngagement(t *testing.T) {
	t.Parallel()
	svc := dashboardDB(t).Dashboards()
	// Scores: Alpha 30, Bravo 50, Charlie 45, Echo 25, Golf 30, Hotel 0, India 0.
	e, err := svc.EngagementStats(analyst, domain.DashboardFilter{}, 10)
	if err != nil {
		t.Fatal(err)
	}
	wantBuckets := []int{2, 0, 1, 2, 1, 1, 0, 0, 0, 0}
	if len(e.Distribution) != 10 {
		t.Fatalf("distribution = %+v", e.Distribution)
	}
	for i, b := range e.Distribution {
		to := i*10 + 9
		if i == 9 {
			to = 100
		}
		if b.From != i*10 || b.To != to || b.Count != wantBuckets[i] {
			t.Errorf("bucket %d = %+v, want %d-%d: %d", i, b, i*10, to, wantBuckets[i])
		}
	}
	if e.Members != 7 || e.AtRiskCount != 2 || e.AverageScore == nil || !near(*e.AverageScore, 180.0/7) {
		t.Errorf("engagement = %+v (average %v), want 7 members, 2 at risk, average 180/7", e, deref(e.AverageScore))
	}

	// Hotel never did anything since joining in 2019; Echo's last activity
	// is the meeting of 1 October 2025. India joined too recently.
	risk := e.AtRisk
	if len(risk) != 2 {
		t.Fatalf("atRisk = %+v", risk)
	}
	if r := risk[0]; r.MemberID != 8 || r.LastActivityAt != nil || r.InactiveSince.Format(time.DateOnly) != "2019-05-01" || r.InactiveDays != 2602 {
		t.Errorf("atRisk[0] = %+v, want Hotel since 2019-05-01, 2602 days", r)
	}
	if r := risk[1]; r.MemberID != 5 || r.LastActivityAt == nil || !r.LastActivityAt.Equal(time.Date(2025, 10, 1, 9, 0, 0, 0, time.UTC)) ||
		r.InactiveSince.Format(time.DateOnly) != "2025-10-01" || r.InactiveDays != 257 {
		t.Errorf("atRisk[1] = %+v, want Echo since 2025-10-01, 257 days", r)
	}
	if one, err := svc.EngagementStats(analyst, domain.DashboardFilter{}, 1); err != nil || len(one.AtRisk) != 1 || one.AtRisk[0].MemberID != 8 || one.AtRiskCount != 2 {
		t.Errorf("atRisk(first: 1) = %+v, %v", one, err)
	}
	if none, err := svc.EngagementStats(analyst, domain.DashboardFilter{}, 0); err != nil || len(none.AtRisk) != 0 || none.AtRiskCount != 2 {
		t.Errorf("no atRisk list = %+v, %v", none, err)
	}

	occ, err := svc.EngagementStats(analyst, domain.DashboardFilter{Regions: []string{"Occitanie"}}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if occ.Members != 1 || occ.AtRiskCount != 0 || occ.Distribution[4].Count != 1 || !nearp(occ.AverageScore, ptr(45.0)) {
		t.Errorf("occitanie engagement = %+v", occ)
	}
}

func TestDashboardFilters(t *testing.T) {
	t.Parallel()
	svc := dashboardDB(t).Dashboards()
	for _, c := range []struct {
		name   string
		filter domain.DashboardFilter
		want   int
	}{
		{"trade with sub-trades", domain.DashboardFilter{TradeIDs: []int64{1}}, 5}, // Alpha, Bravo, Charlie, Echo, India
		{"sub-trade", domain.DashboardFilter{TradeIDs: []int64{2}}, 3},
		{"micro in Île-de-France", domain.DashboardFilter{SizeClasses: []domain.SizeClass{domain.SizeMicro}, Regions: []string{"Île-de-France"}}, 3},
		{"kind", domain.DashboardFilter{Kinds: []domain.MemberKind{domain.KindLaboratory, domain.KindMediaPartner}}, 2},
		{"only lapsed members", domain.DashboardFilter{Kinds: []domain.MemberKind{domain.KindInstitution}}, 0},
		{"nobody", domain.DashboardFilter{Regions: []string{"Corse"}}, 0},
	} {
		n, err := svc.MemberCount(analyst, c.filter)
		if err != nil || n != c.want {
			t.Errorf("%s: memberCount = %d, %v; want %d", c.name, n, err, c.want)
		}
	}

	// An empty result: zero counts, zero shares, no division by zero.
	nobody := domain.DashboardFilter{Regions: []string{"Corse"}}
	sizes, err := svc.BySizeClass(analyst, nobody)
	if err != nil {
		t.Fatal(err)
	}
	checkCategories(t, "nobody bySizeClass", sizes, []category{{"MICRO", 0, 0}, {"SMALL", 0, 0}, {"MEDIUM", 0, 0}, {"LARGE", 0, 0}})
	if regions, err := svc.ByRegion(analyst, nobody); err != nil || len(regions) != 0 {
		t.Errorf("nobody byRegion = %+v, %v", regions, err)
	}
	trades, err := svc.ByTrade(analyst, nobody, true)
	if err != nil || len(trades) != 4 || trades[0].Count != 0 || trades[0].Share != 0 {
		t.Errorf("nobody byTrade = %+v, %v", trades, err)
	}
	g, err := svc.Growth(analyst, nobody, domain.SeriesRange{Interval: domain.IntervalYear})
	if err != nil {
		t.Fatal(err)
	}
	checkGrowth(t, "nobody growth", g, []growth{{"2026-01-01", 0, 0, 0}})
	if l, err := svc.LinkStats(analyst, nobody); err != nil || l.Total != 0 || len(l.ByKind) != 6 {
		t.Errorf("nobody links = %+v, %v", l, err)
	}
	e, err := svc.EngagementStats(analyst, nobody, 10)
	if err != nil || e.Members != 0 || e.AverageScore != nil || len(e.Distribution) != 10 || e.Distribution[0].Count != 0 || len(e.AtRisk) != 0 {
		t.Errorf("nobody engagement = %+v, %v", e, err)
	}
	// Institutions: only Foxtrot, who left in 2023; growth still shows it.
	inst, err := svc.Growth(analyst, domain.DashboardFilter{Kinds: []domain.MemberKind{domain.KindInstitution}}, domain.SeriesRange{Interval: domain.IntervalYear, To: dayp("2024-03-01")})
	if err != nil {
		t.Fatal(err)
	}
	checkGrowth(t, "institutions", inst, []growth{{"2022-01-01", 1, 0, 1}, {"2023-01-01", 0, 1, 0}, {"2024-01-01", 0, 0, 0}})
}

func TestDashboardRefusals(t *testing.T) {
	t.Parallel()
	svc := dashboardDB(t).Dashboards()
	member := domain.WithViewer(context.Background(), domain.Viewer{Role: domain.RoleMember, MemberID: 1})
	for name, ctx := range map[string]context.Context{"member": member, "public": context.Background()} {
		if _, err := svc.MemberCount(ctx, domain.DashboardFilter{}); codeOf(err) != domain.CodeForbidden {
			t.Errorf("%s: memberCount error %v, want FORBIDDEN", name, err)
		}
		if _, err := svc.EngagementStats(ctx, domain.DashboardFilter{}, 10); codeOf(err) != domain.CodeForbidden {
			t.Errorf("%s: engagement error %v, want FORBIDDEN", name, err)
		}
	}
	for _, c := range []struct {
		name  string
		err   error
		field string
	}{
		{"from after to", second(svc.Growth(analyst, domain.DashboardFilter{}, domain.SeriesRange{Interval: domain.IntervalYear, From: dayp("2025-01-01"), To: dayp("2024-01-01")})), "from"},
		{"too many periods", second(svc.Growth(analyst, domain.DashboardFilter{}, domain.SeriesRange{Interval: domain.IntervalMonth, From: dayp("1800-01-01")})), "from"},
		{"unknown interval", second(svc.LinksCreated(analyst, domain.DashboardFilter{}, domain.SeriesRange{Interval: "WEEK"})), "interval"},
		{"year", second(svc.Retention(analyst, domain.DashboardFilter{}, 12)), "year"},
		{"first", second(svc.EngagementStats(analyst, domain.DashboardFilter{}, 101)), "first"},
		{"first negative", second(svc.EngagementStats(analyst, domain.DashboardFilter{}, -1)), "first"},
	} {
		var de *domain.Error
		if !errorAs(c.err, &de) || de.Code != domain.CodeBadUserInput || de.Field != c.field {
			t.Errorf("%s: %v, want BAD_USER_INPUT on %s", c.name, c.err, c.field)
		}
	}
}

func second[T any](_ T, err error) error { return err }

func codeOf(err error) string {
	var de *domain.Error
	if errorAs(err, &de) {
		return de.Code
	}
	return ""
}

// The score formula lives in SQL (grappe_engagement_score) for the
// dashboard's distribution; it must agree with the documented one.
func TestEngagementScoreFunctionMatchesFormula(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	var rows []struct {
		M, G, Q, L, Score int
	}
	err := db.Bun().NewRaw(`SELECT m, g, q, l, grappe_engagement_score(m, g, q, l) AS score
		FROM generate_series(0, 6) m, generate_series(0, 6) g, generate_series(0, 6) q, generate_series(0, 6) l`).Scan(context.Background(), &rows)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 7*7*7*7 {
		t.Fatalf("%d rows", len(rows))
	}
	for _, r := range rows {
		if want := domain.EngagementScore(r.M, r.G, r.Q, r.L); r.Score != want {
			t.Errorf("grappe_engagement_score(%d, %d, %d, %d) = %d, want %d", r.M, r.G, r.Q, r.L, r.Score, want)
		}
	}
}
