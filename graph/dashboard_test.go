package graph_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"grappe/demo"
	"grappe/domain"
	"grappe/globalid"
)

// withDashboardFixture loads the hand-built cluster of the postgres
// package's dashboard tests (counted by hand there) and sets the clock to
// 2026-06-15T10:00Z in Europe/Paris.
func withDashboardFixture(t *testing.T, a *api) {
	t.Helper()
	fixture, err := os.ReadFile("../postgres/testdata/dashboard.sql")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.db.Bun().ExecContext(context.Background(), string(fixture)); err != nil {
		t.Fatal(err)
	}
	a.db.Now = func() time.Time { return time.Date(2026, 6, 15, 10, 0, 0, 0, time.UTC) }
	if a.db.Location, err = time.LoadLocation("Europe/Paris"); err != nil {
		t.Fatal(err)
	}
}

const fullDashboard = `query($filter: DashboardFilter) {
  dashboard(filter: $filter) {
    memberCount
    bySizeClass { sizeClass count share }
    byKind { kind count share }
    byTrade { trade { code } count share }
    byRegion { region count share }
    growth(interval: YEAR) { period joined left total }
    retention(year: 2023)
    retentionDetail(year: 2023) { year activeAtStart retained share }
    links {
      total confirmed pending declined ended
      byKind { kind total confirmed pending declined ended }
      byOrigin { origin total confirmed }
      created(interval: MONTH, from: "2026-01-01", to: "2026-04-30") { period count }
    }
    groups {
      active closed byTheme { theme count active } meetingsHeld meetingsWithOutcomeShare
      averageAttendance actionPlansPublished medianDaysToActionPlan
    }
    engagement {
      distribution { from to count } averageScore atRiskCount
      atRisk(first: 5) { member { name } lastActivityAt inactiveSince inactiveDays }
    }
  }
}`

type dashboardData struct {
	Dashboard struct {
		MemberCount int
		BySizeClass []struct {
			SizeClass *string
			Count     int
			Share     float64
		}
		ByKind []struct {
			Kind  string
			Count int
		}
		ByTrade []struct {
			Trade struct{ Code string }
			Count int
			Share float64
		}
		ByRegion []struct {
			Region *string
			Count  int
		}
		Growth []struct {
			Period              string
			Joined, Left, Total int
		}
		Retention       *float64
		RetentionDetail struct {
			Year, ActiveAtStart, Retained int
			Share                         *float64
		}
		Links struct {
			Total, Confirmed, Pending, Declined, Ended int
			ByKind                                     []struct {
				Kind                                       string
				Total, Confirmed, Pending, Declined, Ended int
			}
			ByOrigin []struct {
				Origin           string
				Total, Confirmed int
			}
			Created []struct {
				Period string
				Count  int
			}
		}
		Groups struct {
			Active, Closed int
			ByTheme        []struct {
				Theme         string
				Count, Active int
			}
			MeetingsHeld             int
			MeetingsWithOutcomeShare *float64
			AverageAttendance        *float64
			ActionPlansPublished     int
			MedianDaysToActionPlan   *float64
		}
		Engagement struct {
			Distribution []struct{ From, To, Count int }
			AverageScore *float64
			AtRiskCount  int
			AtRisk       []struct {
				Member         struct{ Name string }
				LastActivityAt *string
				InactiveSince  string
				InactiveDays   int
			}
		}
	}
}

func approx(p *float64, want float64) bool { return p != nil && math.Abs(*p-want) < 1e-9 }

// TestDashboardInOneQuery reads every block at once, checks figures
// counted by hand, and counts one statement per block selected.
func TestDashboardInOneQuery(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	withDashboardFixture(t, a)
	analyst := token(t, domain.RoleAnalyst, "")

	var out dashboardData
	a.ok(analyst, fullDashboard, nil, &out)
	d := out.Dashboard
	if d.MemberCount != 7 {
		t.Errorf("memberCount = %d, want 7", d.MemberCount)
	}
	if len(d.BySizeClass) != 5 || *d.BySizeClass[0].SizeClass != "MICRO" || d.BySizeClass[0].Count != 3 || d.BySizeClass[4].SizeClass != nil || d.BySizeClass[4].Count != 1 {
		t.Errorf("bySizeClass = %+v", d.BySizeClass)
	}
	if len(d.ByKind) != 4 || d.ByKind[0].Kind != "COMPANY" || d.ByKind[0].Count != 5 || d.ByKind[2].Count != 0 {
		t.Errorf("byKind = %+v", d.ByKind)
	}
	if len(d.ByTrade) != 4 || d.ByTrade[0].Trade.Code != "MEAS" || d.ByTrade[0].Count != 5 || d.ByTrade[3].Trade.Code != "MEAS.TEMP" {
		t.Errorf("byTrade = %+v", d.ByTrade)
	}
	if len(d.ByRegion) != 3 || *d.ByRegion[0].Region != "Île-de-France" || d.ByRegion[0].Count != 4 {
		t.Errorf("byRegion = %+v", d.ByRegion)
	}
	if len(d.Growth) != 8 || d.Growth[0].Period != "2019-01-01" || d.Growth[6].Joined != 0 || d.Growth[6].Left != 0 || d.Growth[6].Total != 6 || d.Growth[7].Total != 7 {
		t.Errorf("growth = %+v", d.Growth)
	}
	if !approx(d.Retention, 5.0/6) || d.RetentionDetail.ActiveAtStart != 6 || d.RetentionDetail.Retained != 5 || d.RetentionDetail.Year != 2023 {
		t.Errorf("retention = %v, %+v", d.Retention, d.RetentionDetail)
	}
	l := d.Links
	if l.Total != 6 || l.Confirmed != 3 || l.Pending != 1 || l.Declined != 1 || l.Ended != 1 || len(l.ByKind) != 6 || l.ByKind[0].Kind != "SUPPLY" || l.ByKind[0].Total != 2 || l.ByKind[0].Ended != 1 ||
		len(l.ByOrigin) != 5 || l.ByOrigin[4].Origin != "OTHER" || l.ByOrigin[4].Total != 2 {
		t.Errorf("links = %+v", l)
	}
	if len(l.Created) != 4 || l.Created[0].Period != "2026-01-01" || l.Created[0].Count != 1 || l.Created[2].Count != 0 || l.Created[3].Count != 1 {
		t.Errorf("links created = %+v", l.Created)
	}
	g := d.Groups
	if g.Active != 1 || g.Closed != 2 || g.MeetingsHeld != 5 || !approx(g.MeetingsWithOutcomeShare, 0.8) || !approx(g.AverageAttendance, 1.75) ||
		g.ActionPlansPublished != 2 || !approx(g.MedianDaysToActionPlan, 81) || len(g.ByTheme) != 4 || g.ByTheme[0].Theme != "PURCHASING" || g.ByTheme[0].Active != 1 {
		t.Errorf("groups = %+v", g)
	}
	e := d.Engagement
	if len(e.Distribution) != 10 || e.Distribution[0].Count != 2 || e.Distribution[9].To != 100 || !approx(e.AverageScore, 180.0/7) || e.AtRiskCount != 2 {
		t.Errorf("engagement = %+v", e)
	}
	if len(e.AtRisk) != 2 || e.AtRisk[0].Member.Name != "Hotel" || e.AtRisk[0].LastActivityAt != nil || e.AtRisk[0].InactiveSince != "2019-05-01" || e.AtRisk[0].InactiveDays != 2602 ||
		e.AtRisk[1].Member.Name != "Echo" || e.AtRisk[1].LastActivityAt == nil || *e.AtRisk[1].LastActivityAt != "2025-10-01T09:00:00Z" || e.AtRisk[1].InactiveDays != 257 {
		t.Errorf("atRisk = %+v", e.AtRisk)
	}

	// Aliased atRisk lists share the engagement block's statement.
	var aliased struct {
		Dashboard struct {
			Engagement struct {
				A, B []struct{ Member struct{ Name string } }
			}
		}
	}
	a.ok(analyst, `{ dashboard { engagement { a: atRisk(first: 1) { member { name } } b: atRisk(first: 3) { member { name } } } } }`, nil, &aliased)
	if e := aliased.Dashboard.Engagement; len(e.A) != 1 || len(e.B) != 2 || e.A[0].Member.Name != "Hotel" || e.B[1].Member.Name != "Echo" {
		t.Errorf("aliased atRisk = %+v", e)
	}

	// One statement per block selected: 12 blocks (engagement lists its
	// members at risk in the same statement), plus the taxonomy for
	// byTrade's trades and the members of atRisk.
	if n := countStatementsWith(t, a, analyst, fullDashboard, nil); n != 14 {
		t.Errorf("full dashboard: %d statements, want 14", n)
	}
	for query, want := range map[string]int64{
		`{ dashboard { memberCount } }`:                                                              1,
		`{ dashboard { __typename } }`:                                                               0,
		`{ dashboard { links { created(interval: YEAR) { count } } } }`:                              1,
		`{ dashboard { links { total byKind { kind total } } } }`:                                    1,
		`{ dashboard { engagement { atRisk { inactiveDays } } } }`:                                   1,
		`{ dashboard { engagement { atRiskCount distribution { count } } } }`:                        1,
		`{ dashboard { byTrade { count } groups { active meetingsHeld } } }`:                         2,
		`{ dashboard { a: growth(interval: YEAR) { total } b: growth(interval: MONTH) { total } } }`: 2,
	} {
		if n := countStatementsWith(t, a, analyst, query, nil); n != want {
			t.Errorf("%s: %d statements, want %d", query, n, want)
		}
	}
}

func TestDashboardFilterThroughAPI(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	withDashboardFixture(t, a)
	staff := token(t, domain.RoleStaff, "")
	for name, c := range map[string]struct {
		filter map[string]any
		count  int
	}{
		"trade and its sub-trades": {map[string]any{"tradeIds": []string{globalid.Encode(globalid.TypeTrade, 1)}}, 5},
		"region and size":          {map[string]any{"regions": []string{"Île-de-France"}, "sizeClasses": []string{"MICRO"}}, 3},
		"kinds":                    {map[string]any{"kinds": []string{"LABORATORY", "MEDIA_PARTNER"}}, 2},
		"empty lists":              {map[string]any{"regions": []string{}, "kinds": nil}, 7},
		"nobody":                   {map[string]any{"regions": []string{"Corse"}}, 0},
	} {
		var out dashboardData
		a.ok(staff, fullDashboard, map[string]any{"filter": c.filter}, &out)
		if out.Dashboard.MemberCount != c.count {
			t.Errorf("%s: memberCount = %d, want %d", name, out.Dashboard.MemberCount, c.count)
		}
	}
	var nobody dashboardData
	a.ok(staff, fullDashboard, map[string]any{"filter": map[string]any{"regions": []string{"Corse"}}}, &nobody)
	d := nobody.Dashboard
	if d.BySizeClass[0].Share != 0 || d.Retention != nil || d.Links.Total != 0 || d.Groups.MedianDaysToActionPlan != nil ||
		d.Engagement.AverageScore != nil || len(d.Engagement.AtRisk) != 0 || len(d.Growth) != 1 || d.Growth[0].Total != 0 {
		t.Errorf("empty dashboard = %+v", d)
	}
}

func TestDashboardBadInput(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	withDashboardFixture(t, a)
	analyst := token(t, domain.RoleAnalyst, "")
	for _, c := range []struct {
		name, query string
		vars        map[string]any
		field       string
	}{
		{"member id as trade", `query($f: DashboardFilter) { dashboard(filter: $f) { memberCount } }`,
			map[string]any{"f": map[string]any{"tradeIds": []string{globalid.Encode(globalid.TypeMember, 1)}}}, "filter.tradeIds"},
		{"malformed trade id", `query($f: DashboardFilter) { dashboard(filter: $f) { memberCount } }`,
			map[string]any{"f": map[string]any{"tradeIds": []string{"not an id"}}}, "filter.tradeIds"},
		{"from after to", `{ dashboard { growth(interval: YEAR, from: "2025-01-01", to: "2020-01-01") { total } } }`, nil, "from"},
		{"too many periods", `{ dashboard { links { created(interval: MONTH, from: "1900-01-01", to: "2100-01-01") { count } } } }`, nil, "from"},
		{"year", `{ dashboard { retention(year: -3) } }`, nil, "year"},
		{"atRisk first", `{ dashboard { engagement { atRisk(first: 1000) { inactiveDays } } } }`, nil, "first"},
	} {
		resp := a.do(analyst, c.query, c.vars)
		if resp.Status >= 500 || resp.code() != domain.CodeBadUserInput || resp.Errors[0].Extensions["field"] != c.field {
			t.Errorf("%s: status %d, errors %+v; want BAD_USER_INPUT on %s", c.name, resp.Status, resp.Errors, c.field)
		}
	}
	// Not a date, not an interval: refused before anything runs.
	for _, q := range []string{
		`{ dashboard { growth(interval: WEEK) { total } } }`,
		`{ dashboard { growth(interval: YEAR, from: "2025-13-45") { total } } }`,
	} {
		if resp := a.do(analyst, q, nil); resp.Status >= 500 || len(resp.Errors) == 0 || resp.Data != nil && string(resp.Data) != "null" && !isNullAt(resp.Data, "dashboard") {
			t.Errorf("%s: status %d, %s %+v", q, resp.Status, resp.Data, resp.Errors)
		}
	}
}

// TestDemoDashboard checks the demo network shows the seed's figures: 182
// members, about 54% micro and 38% small companies, growth from 5 founders
// in 2002.
func TestDemoDashboard(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	today := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := a.db.LoadDemoIfEmpty(context.Background(), demo.Generate(demo.Options{Seed: 1, Today: today})); err != nil {
		t.Fatal(err)
	}
	a.db.Now = func() time.Time { return today }
	var out dashboardData
	a.ok(token(t, domain.RoleAnalyst, ""), fullDashboard, nil, &out)
	d := out.Dashboard
	if d.MemberCount != 182 {
		t.Errorf("memberCount = %d, want 182", d.MemberCount)
	}
	share := map[string]float64{}
	for _, s := range d.BySizeClass {
		if s.SizeClass != nil {
			share[*s.SizeClass] = s.Share
		}
	}
	if math.Abs(share["MICRO"]-0.54) > 0.03 || math.Abs(share["SMALL"]-0.38) > 0.03 {
		t.Errorf("size shares = %v, want about 54%% micro and 38%% small", share)
	}
	if len(d.Growth) == 0 || d.Growth[0].Period != "2002-01-01" || d.Growth[0].Joined != 5 || d.Growth[0].Total != 5 {
		t.Errorf("growth starts %+v, want 5 founders in 2002", d.Growth[:min(1, len(d.Growth))])
	}
	last := d.Growth[len(d.Growth)-1]
	if last.Period != "2026-01-01" || last.Total != 182 {
		t.Errorf("growth ends %+v, want 182 in 2026", last)
	}
	raw, _ := json.Marshal(d.Growth)
	t.Logf("demo growth: %s", raw)
	t.Logf("demo: sizes %v, links %d (%d confirmed), groups %d active %d closed, %d at risk",
		share, d.Links.Total, d.Links.Confirmed, d.Groups.Active, d.Groups.Closed, d.Engagement.AtRiskCount)
}

// TestDashboardComplexity: the full dashboard passes the default limit, an
// alias bomb of engagement blocks does not, and runs no statement.
func TestDashboardComplexity(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	analyst := token(t, domain.RoleAnalyst, "")
	a.ok(analyst, fullDashboard, nil, nil)
	q := "{ dashboard {"
	for i := range 40 {
		q += fmt.Sprintf(" e%d: engagement { atRiskCount }", i)
	}
	q += " } }"
	if resp := a.do(analyst, q, nil); resp.code() != "QUERY_TOO_COMPLEX" {
		t.Errorf("40 engagement blocks: %d %+v", resp.Status, resp.Errors)
	}
}

// inFlight is a bun query hook recording the most statements running at
// once.
type inFlight struct{ now, most atomic.Int64 }

func (h *inFlight) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	n := h.now.Add(1)
	for m := h.most.Load(); n > m && !h.most.CompareAndSwap(m, n); m = h.most.Load() {
	}
	return ctx
}

func (h *inFlight) AfterQuery(context.Context, *bun.QueryEvent) { h.now.Add(-1) }

// TestDashboardBoundsItsConnections: the executor resolves a dashboard's
// blocks concurrently, but one dashboard runs at most two block statements
// at once (plus the two batched lookups of trades and members), so that a
// few dashboards do not take the whole pool.
func TestDashboardBoundsItsConnections(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	withDashboardFixture(t, a)
	hook := &inFlight{}
	a.db.Bun().AddQueryHook(hook)
	analyst := token(t, domain.RoleAnalyst, "")
	for range 5 {
		a.ok(analyst, fullDashboard, nil, nil)
	}
	if most := hook.most.Load(); most > 4 {
		t.Errorf("%d statements at once for one dashboard, want at most 4", most)
	}
	// Concurrent dashboards: at most four each.
	hook.most.Store(0)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() { a.ok(analyst, fullDashboard, nil, nil) })
	}
	wg.Wait()
	if most := hook.most.Load(); most > 16 {
		t.Errorf("%d statements at once for 4 dashboards, want at most 16", most)
	}
}
