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

// EngagementStats is the dashboard's engagement block. The summary is
// loaded only when one of its fields is selected (nil otherwise); atRisk
// is computed on demand.
type EngagementStats struct {
	*domain.EngagementStats
	Filter domain.DashboardFilter
}
