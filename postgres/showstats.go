package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"grappe/domain"
)

// TradeShowStats counts the exhibitors, visitors, leads and links born at
// the show held in year; nil when there was none.
func (s *DashboardService) TradeShowStats(ctx context.Context, year int) (*domain.TradeShowStats, error) {
	return cachedBlock(ctx, s, "tradeShow", []any{year}, func(ctx context.Context) (*domain.TradeShowStats, error) {
		return s.tradeShowStats(ctx, year)
	})
}

// tradeShowStatsSQL reads a year's show and its figures in one statement.
// The links born at a show are those of origin TRADE_SHOW that leads of
// the show became (leads.converted_link_id), created on or after its
// first day in the cluster's time zone (?1).
const tradeShowStatsSQL = `
WITH s AS (SELECT * FROM trade_shows WHERE year = ?0),
born AS (
    SELECT l.kind, l.status FROM s
        JOIN leads AS ld ON ld.trade_show_id = s.id
        JOIN business_links AS l ON l.id = ld.converted_link_id
    WHERE l.origin = 'TRADE_SHOW' AND l.created_at >= (s.starts_on::timestamp AT TIME ZONE ?1)
),
by_kind AS (
    SELECT kind, count(*) AS total,
        count(*) FILTER (WHERE status = 'CONFIRMED') AS confirmed,
        count(*) FILTER (WHERE status = 'PENDING') AS pending,
        count(*) FILTER (WHERE status = 'DECLINED') AS declined,
        count(*) FILTER (WHERE status = 'ENDED') AS ended
    FROM born GROUP BY kind
)
SELECT s.id, s.edition, s.year, s.city, s.venue, s.starts_on, s.ends_on, s.visitor_count,
    e.total AS exhibitors, e.members AS member_exhibitors, ld.total AS leads, ld.converted AS leads_converted,
    (SELECT coalesce(json_agg(by_kind), '[]') FROM by_kind) AS by_kind
FROM s
    CROSS JOIN LATERAL (SELECT count(*) AS total, count(member_id) AS members FROM exhibitors WHERE trade_show_id = s.id) AS e
    CROSS JOIN LATERAL (SELECT count(*) AS total, count(converted_link_id) AS converted FROM leads WHERE trade_show_id = s.id) AS ld`

// tradeShowStats computes TradeShowStats.
func (s *DashboardService) tradeShowStats(ctx context.Context, year int) (*domain.TradeShowStats, error) {
	if err := allowed(ctx); err != nil {
		return nil, err
	}
	if err := domain.ValidateRange("year", year, domain.MinDashboardYear, domain.MaxDashboardYear); err != nil {
		return nil, err
	}
	var row struct {
		ID               int64     `bun:"id"`
		Edition          int       `bun:"edition"`
		Year             int       `bun:"year"`
		City             string    `bun:"city"`
		Venue            string    `bun:"venue"`
		StartsOn         time.Time `bun:"starts_on"`
		EndsOn           time.Time `bun:"ends_on"`
		VisitorCount     int       `bun:"visitor_count"`
		Exhibitors       int       `bun:"exhibitors"`
		MemberExhibitors int       `bun:"member_exhibitors"`
		Leads            int       `bun:"leads"`
		LeadsConverted   int       `bun:"leads_converted"`
		ByKind           []byte    `bun:"by_kind"`
	}
	err := s.db.bun.NewRaw(tradeShowStatsSQL, year, s.db.Location.String()).Scan(ctx, &row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, mapError(err, "dashboard")
	}
	var kinds []struct {
		Kind                                       string
		Total, Confirmed, Pending, Declined, Ended int
	}
	if err := json.Unmarshal(row.ByKind, &kinds); err != nil {
		return nil, fmt.Errorf("dashboard: links by kind: %w", err)
	}
	out := &domain.TradeShowStats{
		Show: &domain.TradeShow{ID: row.ID, Edition: row.Edition, Year: row.Year, City: row.City, Venue: row.Venue,
			StartsOn: row.StartsOn.UTC(), EndsOn: row.EndsOn.UTC(), VisitorCount: row.VisitorCount},
		Exhibitors: row.Exhibitors, MemberExhibitors: row.MemberExhibitors, OtherExhibitors: row.Exhibitors - row.MemberExhibitors,
		Visitors: row.VisitorCount, Leads: row.Leads, LeadsConverted: row.LeadsConverted,
	}
	if row.Exhibitors > 0 {
		share := float64(row.MemberExhibitors) / float64(row.Exhibitors)
		out.MemberExhibitorShare = &share
	}
	byKind := map[string]domain.LinkCounts{}
	for _, k := range kinds {
		byKind[k.Kind] = domain.LinkCounts{Total: k.Total, Confirmed: k.Confirmed, Pending: k.Pending, Declined: k.Declined, Ended: k.Ended}
		out.ConfirmedLinks += k.Confirmed
	}
	for _, k := range domain.AllLinkKinds {
		out.LinksByKind = append(out.LinksByKind, domain.LinkKindCount{Kind: k, LinkCounts: byKind[string(k)]})
	}
	return out, nil
}
