package postgres

import (
	"context"
	"slices"
	"time"

	"github.com/uptrace/bun/dialect/pgdialect"

	"grappe/domain"
)

// engagementCTEs computes the engagement of the members listed by a CTE
// named ids (with an id column) that the caller writes first. Activities
// are meetings attended (held), groups joined, questions raised or
// supported, links declared or confirmed (confirmed_by); each source is
// aggregated per member before the join. The CTE scored has, per member:
// the counts of the last 12 months, the last activity ever, the score
// (SQL function grappe_engagement_score) and at_risk.
//
// Every source has an index on (member, time). With few ids (a page of
// members) each is probed per member; with many (a dashboard) each is
// read whole, by index-only scans where the visibility map allows, and
// joined by hash: far cheaper than one probe per member.
//
// Its arguments come first: ?0 now, ?1 a year before now, ?2 the at-risk
// cutoff (AtRiskAfter months before now), ?3 the cutoff's day in the
// cluster's time zone (a member who joined on or after it is not at risk
// yet). Callers number theirs from ?4.
func engagementCTEs(few bool) string {
	in := func(column string) string {
		if !few {
			return ""
		}
		return " AND " + column + " IN (SELECT id FROM ids)"
	}
	return `
acts (member_id, meetings, groups, questions, links, last_at) AS (
    SELECT ma.member_id, count(*) FILTER (WHERE mt.starts_at > ?1), 0, 0, 0, max(mt.starts_at)
    FROM meeting_attendees AS ma JOIN meetings AS mt ON mt.id = ma.meeting_id
    WHERE mt.status = 'HELD' AND mt.starts_at <= ?0` + in("ma.member_id") + `
    GROUP BY ma.member_id
  UNION ALL
    SELECT member_id, 0, count(*) FILTER (WHERE joined_at > ?1), 0, 0, max(joined_at)
    FROM group_participants
    WHERE joined_at <= ?0` + in("member_id") + `
    GROUP BY member_id
  UNION ALL
    SELECT member_id, 0, 0, count(*) FILTER (WHERE supported_at > ?1), 0, max(supported_at)
    FROM question_supports
    WHERE supported_at <= ?0` + in("member_id") + `
    GROUP BY member_id
  UNION ALL
    SELECT declared_by, 0, 0, 0, count(*) FILTER (WHERE created_at > ?1), max(created_at)
    FROM business_links
    WHERE created_at <= ?0` + in("declared_by") + `
    GROUP BY declared_by
  UNION ALL
    SELECT confirmed_by, 0, 0, 0, count(*) FILTER (WHERE confirmed_at > ?1), max(confirmed_at)
    FROM business_links
    WHERE confirmed_by IS NOT NULL AND confirmed_at <= ?0` + in("confirmed_by") + `
    GROUP BY confirmed_by
),
per AS MATERIALIZED (
    SELECT member_id, sum(meetings) AS meetings, sum(groups) AS groups, sum(questions) AS questions,
        sum(links) AS links, max(last_at) AS last_at
    FROM acts GROUP BY member_id
),
activity AS (
    SELECT m.id AS member_id, m.status, m.joined_on,
        coalesce(p.meetings, 0)::bigint AS meetings,
        coalesce(p.groups, 0)::bigint AS groups,
        coalesce(p.questions, 0)::bigint AS questions,
        coalesce(p.links, 0)::bigint AS links,
        p.last_at
    FROM members AS m LEFT JOIN per AS p ON p.member_id = m.id
    WHERE m.id IN (SELECT id FROM ids)
),
scored AS (
    SELECT activity.*,
        grappe_engagement_score(meetings, groups, questions, links) AS score,
        status = 'ACTIVE' AND (last_at IS NULL OR last_at < ?2) AND joined_on < ?3::date AS at_risk
    FROM activity
)`
}

// engagementArgs returns the first four arguments of engagementCTEs.
func (db *DB) engagementArgs() []any {
	now := db.Now()
	cutoff := now.AddDate(0, -domain.AtRiskAfter, 0)
	return []any{now, now.AddDate(-1, 0, 0), cutoff, cutoff.In(db.Location).Format(time.DateOnly)}
}

// engagementRow is one member's engagement.
type engagementRow struct {
	MemberID  int64      `bun:"member_id"`
	Meetings  int        `bun:"meetings"`
	Groups    int        `bun:"groups"`
	Questions int        `bun:"questions"`
	Links     int        `bun:"links"`
	LastAt    *time.Time `bun:"last_at"`
	Score     int        `bun:"score"`
	AtRisk    bool       `bun:"at_risk"`
}

// Engagements returns the engagement of each member as of now (SPEC §3),
// in one statement; only of the members whose engagement the viewer may
// see (domain.CanSeeEngagement).
func (s *MemberDetailService) Engagements(ctx context.Context, memberIDs []int64) (map[int64]*domain.Engagement, error) {
	v := domain.ViewerFrom(ctx)
	memberIDs = slices.DeleteFunc(slices.Clone(memberIDs), func(id int64) bool { return !domain.CanSeeEngagement(v, id) })
	if len(memberIDs) == 0 {
		return map[int64]*domain.Engagement{}, nil
	}
	var rows []engagementRow
	q := `WITH ids AS (SELECT unnest(?4::bigint[]) AS id),` + engagementCTEs(true) + `
SELECT member_id, meetings, groups, questions, links, last_at, score, at_risk FROM scored`
	args := append(s.db.engagementArgs(), pgdialect.Array(memberIDs))
	if err := s.db.bun.NewRaw(q, args...).Scan(ctx, &rows); err != nil {
		return nil, mapError(err, "engagement")
	}
	out := make(map[int64]*domain.Engagement, len(rows))
	for _, r := range rows {
		out[r.MemberID] = &domain.Engagement{
			MemberID:                 r.MemberID,
			Score:                    r.Score,
			MeetingsAttended:         r.Meetings,
			GroupsJoined:             r.Groups,
			QuestionsSupported:       r.Questions,
			LinksDeclaredOrConfirmed: r.Links,
			LastActivityAt:           r.LastAt,
			AtRisk:                   r.AtRisk,
		}
	}
	return out, nil
}
