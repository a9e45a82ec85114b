package model

import (
	"context"

	"grappe/domain"
)

// Dashboard is the root of a dashboard: each of its fields computes one
// block for the filter.
type Dashboard struct {
	Filter domain.DashboardFilter
	// Blocks bounds how many of this dashboard's statements run at once.
	Blocks *BlockLimit
}

// LinkStats is the dashboard's link block. The counts are loaded only when
// one of them is selected (nil otherwise); created is computed on demand.
type LinkStats struct {
	*domain.LinkStats
	Filter domain.DashboardFilter
	Blocks *BlockLimit
}

// EngagementStats is the dashboard's engagement block, with as many
// members at risk as its atRisk selections ask for.
type EngagementStats struct {
	*domain.EngagementStats
	// Returns reads the return on the members' time, once.
	Returns func() (*domain.ReturnStats, error)
}

// BlockLimit lets a few of one request's block statements run at once.
// The executor resolves a dashboard's blocks concurrently; unbounded, one
// dashboard would take a dozen pooled connections, and a few dashboards
// at once would starve every other request of the pool.
type BlockLimit struct{ slots chan struct{} }

// NewBlockLimit allows n statements at once.
func NewBlockLimit(n int) *BlockLimit { return &BlockLimit{slots: make(chan struct{}, n)} }

// Run runs f once a slot is free, or fails when ctx ends first.
func (l *BlockLimit) Run(ctx context.Context, f func() error) error {
	select {
	case l.slots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-l.slots }()
	return f()
}
