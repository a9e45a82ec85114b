package graph

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"grappe/domain"
	"grappe/globalid"
	"grappe/graph/generated"
	"grappe/graph/model"
)

// dashboardFilter converts the GraphQL dashboard filter.
func dashboardFilter(f *model.DashboardFilter) (domain.DashboardFilter, error) {
	if f == nil {
		return domain.DashboardFilter{}, nil
	}
	trades, err := decodeIDs("filter.tradeIds", globalid.TypeTrade, f.TradeIds)
	if err != nil {
		return domain.DashboardFilter{}, err
	}
	regions, err := domain.CleanTexts("filter.regions", f.Regions, 200)
	if err != nil {
		return domain.DashboardFilter{}, err
	}
	return domain.DashboardFilter{Regions: regions, Kinds: f.Kinds, TradeIDs: trades, SizeClasses: f.SizeClasses}, nil
}

// seriesRange builds a time series' span from its arguments.
func seriesRange(interval domain.Interval, from, to *time.Time) domain.SeriesRange {
	return domain.SeriesRange{Interval: interval, From: from, To: to}
}

// selectsOtherThan reports whether the field being resolved selects any
// field but the given ones (and __typename). Blocks use it to skip their
// statement when only their on-demand fields are selected.
func selectsOtherThan(ctx context.Context, names ...string) bool {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil {
		return true
	}
	for _, f := range graphql.CollectFields(graphql.GetOperationContext(ctx), fc.Field.Selections, nil) {
		if f.Name != "__typename" && !slices.Contains(names, f.Name) {
			return true
		}
	}
	return false
}

// pointers returns pointers to the elements of s.
func pointers[T any](s []T) []*T {
	out := make([]*T, len(s))
	for i := range s {
		out[i] = &s[i]
	}
	return out
}

// pointersOf passes a service's result through pointers.
func pointersOf[T any](s []T, err error) ([]*T, error) { return pointers(s), err }

// Costs of the dashboard's blocks: each is an aggregation over whole
// tables, and the engagement ones over every activity table. The full
// dashboard stays well under the default limit; a query that aliases the
// engagement blocks many times goes over it.
const (
	dashboardBlockCost      = 100
	dashboardEngagementCost = 500
	seriesPeriodsEstimate   = 30 // periods of a series whose span is not given
)

// setDashboardComplexity prices the dashboard's blocks.
func setDashboardComplexity(c *generated.ComplexityRoot) {
	block := func(child int) int { return dashboardBlockCost + child }
	d := &c.Dashboard
	d.MemberCount, d.BySizeClass, d.ByKind, d.ByRegion, d.Groups = block, block, block, block, block
	d.ByTrade = func(child int, _ *bool) int { return dashboardBlockCost + child }
	d.Retention = func(child int, _ int) int { return dashboardBlockCost + child }
	d.RetentionDetail = d.Retention
	d.Growth = func(child int, _ domain.Interval, _, _ *time.Time) int {
		return dashboardBlockCost + seriesPeriodsEstimate*child
	}
	d.Links = func(child int) int { return dashboardBlockCost + child }
	d.TradeShow = func(child int, _ int) int { return dashboardBlockCost + child }
	c.LinkStats.Created = d.Growth
	d.Engagement = func(child int) int { return dashboardEngagementCost + child }
	c.EngagementStats.AtRisk = func(child int, first *int) int {
		n := max(1, min(intOr(first, domain.DefaultAtRisk), domain.MaxAtRisk))
		return dashboardEngagementCost + n*child
	}
	c.EngagementStats.GivingWithoutReturn = func(child int, first *int) int {
		n := max(1, min(intOr(first, domain.DefaultAtRisk), domain.MaxAtRisk))
		return dashboardEngagementCost + n*child
	}
}

// atRiskWanted returns how many members at risk the engagement block being
// resolved must list: the largest valid first among its atRisk selections
// (aliases may ask for several), 0 when none is selected. An invalid first
// is refused by atRisk itself.
func atRiskWanted(ctx context.Context) int {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil {
		return 0
	}
	op := graphql.GetOperationContext(ctx)
	n := 0
	for _, f := range graphql.CollectFields(op, fc.Field.Selections, nil) {
		if f.Name != "atRisk" {
			continue
		}
		first := domain.DefaultAtRisk
		switch v := f.ArgumentMap(op.Variables)["first"].(type) {
		case int64:
			first = int(v)
		case int:
			first = v
		case json.Number:
			n, err := v.Int64()
			if err != nil {
				continue
			}
			first = int(n)
		}
		if first >= 1 && first <= domain.MaxAtRisk {
			n = max(n, first)
		}
	}
	return n
}

// dashboardStatementsAtOnce is how many of one dashboard's block
// statements run at once. Each aggregates whole tables and keeps a core
// busy: more at once would not finish sooner on a small server, and would
// hold connections other requests need.
const dashboardStatementsAtOnce = 2

// inBlock runs a block's service call within its dashboard's limit.
func inBlock[T any](ctx context.Context, l *model.BlockLimit, f func() (T, error)) (T, error) {
	var out T
	err := l.Run(ctx, func() error {
		var err error
		out, err = f()
		return err
	})
	return out, err
}
