package model

import "grappe/domain"

// Dashboard is the root of a dashboard: each of its fields computes one
// block for the filter.
type Dashboard struct {
	Filter domain.DashboardFilter
}

// LinkStats is the dashboard's link block. The counts are loaded only when
// one of them is selected (nil otherwise); created is computed on demand.
type LinkStats struct {
	*domain.LinkStats
	Filter domain.DashboardFilter
}

// EngagementStats is the dashboard's engagement block, with as many
// members at risk as its atRisk selections ask for.
type EngagementStats struct {
	*domain.EngagementStats
}
