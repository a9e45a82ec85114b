package postgres

import (
	"context"
	"encoding/json"
	"strconv"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"grappe/domain"
)

// A dashboard on a large network takes seconds of database time, and a
// team opening it together, or a wall screen refreshing it, asks for the
// same figures again and again. Each block of a dashboard is therefore
// kept for Options.DashboardCache, keyed by its arguments; requests for a
// block being computed wait for that computation instead of starting
// their own. A block is computed afresh after any write committed through
// this connection pool (every mutation), so what a user changes shows at
// once; a change made outside it (another process) shows within the TTL.

// maxDashboardEntries bounds the blocks kept: past it, the expired ones are
// dropped, then all of them.
const maxDashboardEntries = 512

// dashboardCache keeps recent dashboard blocks.
type dashboardCache struct {
	ttl     time.Duration
	mu      sync.Mutex
	entries map[string]dashboardEntry
	flight  singleflight.Group
}

// dashboardEntry is one kept block: its value, the write generation it
// was computed at, and when.
type dashboardEntry struct {
	value any
	gen   int64
	at    time.Time
}

func newDashboardCache(ttl time.Duration) *dashboardCache {
	if ttl <= 0 {
		return nil
	}
	return &dashboardCache{ttl: ttl, entries: map[string]dashboardEntry{}}
}

// get returns the block of key if it was computed at generation gen less
// than the TTL ago.
func (c *dashboardCache) get(key string, gen int64) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || e.gen != gen || time.Since(e.at) > c.ttl {
		return nil, false
	}
	return e.value, true
}

// put keeps a block computed at generation gen.
func (c *dashboardCache) put(key string, value any, gen int64, at time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= maxDashboardEntries {
		for k, e := range c.entries {
			if time.Since(e.at) > c.ttl {
				delete(c.entries, k)
			}
		}
		if len(c.entries) >= maxDashboardEntries {
			clear(c.entries)
		}
	}
	c.entries[key] = dashboardEntry{value: value, gen: gen, at: at}
}

// cachedBlock returns the block name(args), computed by compute or kept.
// The viewer's right to see dashboards is checked first, whatever is kept.
// Kept values are shared between requests: callers must not change them.
func cachedBlock[T any](ctx context.Context, s *DashboardService, name string, args []any, compute func(context.Context) (T, error)) (T, error) {
	var zero T
	c := s.db.dashboards
	if c == nil {
		return compute(ctx)
	}
	if err := allowed(ctx); err != nil {
		return zero, err
	}
	b, err := json.Marshal(args)
	if err != nil {
		return zero, err
	}
	key := name + string(b)
	gen := s.db.writes.Load()
	if v, ok := c.get(key, gen); ok {
		return v.(T), nil
	}
	// The computation serves every request waiting for it, so it does not
	// end when the request that started it is cancelled, only at its
	// deadline.
	ch := c.flight.DoChan(key+"@"+strconv.FormatInt(gen, 10), func() (any, error) {
		start := time.Now()
		cctx := context.WithoutCancel(ctx)
		if deadline, ok := ctx.Deadline(); ok {
			var cancel context.CancelFunc
			cctx, cancel = context.WithDeadline(cctx, deadline)
			defer cancel()
		}
		v, err := compute(cctx)
		if err == nil && s.db.writes.Load() == gen {
			c.put(key, v, gen, start)
		}
		return v, err
	})
	select {
	case <-ctx.Done():
		return zero, ctx.Err()
	case r := <-ch:
		if r.Err != nil {
			return zero, r.Err
		}
		return r.Val.(T), nil
	}
}

// MemberCount counts the ACTIVE members matching the filter.
func (s *DashboardService) MemberCount(ctx context.Context, f domain.DashboardFilter) (int, error) {
	return cachedBlock(ctx, s, "memberCount", []any{f}, func(ctx context.Context) (int, error) { return s.memberCount(ctx, f) })
}

// BySizeClass counts them by size class, every class listed.
func (s *DashboardService) BySizeClass(ctx context.Context, f domain.DashboardFilter) ([]domain.CategoryCount[domain.SizeClass], error) {
	return cachedBlock(ctx, s, "bySizeClass", []any{f}, func(ctx context.Context) ([]domain.CategoryCount[domain.SizeClass], error) {
		return s.bySizeClass(ctx, f)
	})
}

// ByKind counts them by kind, every kind listed.
func (s *DashboardService) ByKind(ctx context.Context, f domain.DashboardFilter) ([]domain.CategoryCount[domain.MemberKind], error) {
	return cachedBlock(ctx, s, "byKind", []any{f}, func(ctx context.Context) ([]domain.CategoryCount[domain.MemberKind], error) {
		return s.byKind(ctx, f)
	})
}

// ByRegion counts them by region, largest first.
func (s *DashboardService) ByRegion(ctx context.Context, f domain.DashboardFilter) ([]domain.CategoryCount[string], error) {
	return cachedBlock(ctx, s, "byRegion", []any{f}, func(ctx context.Context) ([]domain.CategoryCount[string], error) {
		return s.byRegion(ctx, f)
	})
}

// ByTrade counts them by trade, every trade listed, largest first.
func (s *DashboardService) ByTrade(ctx context.Context, f domain.DashboardFilter, subTrades bool) ([]domain.TradeCount, error) {
	return cachedBlock(ctx, s, "byTrade", []any{f, subTrades}, func(ctx context.Context) ([]domain.TradeCount, error) {
		return s.byTrade(ctx, f, subTrades)
	})
}

// Growth is the series of joins, departures and running totals.
func (s *DashboardService) Growth(ctx context.Context, f domain.DashboardFilter, r domain.SeriesRange) ([]domain.GrowthPeriod, error) {
	return cachedBlock(ctx, s, "growth", []any{f, r}, func(ctx context.Context) ([]domain.GrowthPeriod, error) {
		return s.growth(ctx, f, r)
	})
}

// Retention is the retention of the given year.
func (s *DashboardService) Retention(ctx context.Context, f domain.DashboardFilter, year int) (*domain.Retention, error) {
	return cachedBlock(ctx, s, "retention", []any{f, year}, func(ctx context.Context) (*domain.Retention, error) {
		return s.retention(ctx, f, year)
	})
}

// LinkStats counts the business links involving a matching member.
func (s *DashboardService) LinkStats(ctx context.Context, f domain.DashboardFilter) (*domain.LinkStats, error) {
	return cachedBlock(ctx, s, "linkStats", []any{f}, func(ctx context.Context) (*domain.LinkStats, error) {
		return s.linkStats(ctx, f)
	})
}

// LinksCreated is the series of links declared per period.
func (s *DashboardService) LinksCreated(ctx context.Context, f domain.DashboardFilter, r domain.SeriesRange) ([]domain.PeriodCount, error) {
	return cachedBlock(ctx, s, "linksCreated", []any{f, r}, func(ctx context.Context) ([]domain.PeriodCount, error) {
		return s.linksCreated(ctx, f, r)
	})
}

// GroupStats summarises the working groups with a matching participant.
func (s *DashboardService) GroupStats(ctx context.Context, f domain.DashboardFilter) (*domain.GroupStats, error) {
	return cachedBlock(ctx, s, "groupStats", []any{f}, func(ctx context.Context) (*domain.GroupStats, error) {
		return s.groupStats(ctx, f)
	})
}

// EngagementStats summarises the matching members' engagement and lists
// the first atRisk of them at risk.
func (s *DashboardService) EngagementStats(ctx context.Context, f domain.DashboardFilter, atRisk int) (*domain.EngagementStats, error) {
	return cachedBlock(ctx, s, "engagementStats", []any{f, atRisk}, func(ctx context.Context) (*domain.EngagementStats, error) {
		return s.engagementStats(ctx, f, atRisk)
	})
}
