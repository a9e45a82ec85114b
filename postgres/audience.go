package postgres

import (
	"context"

	"github.com/uptrace/bun/dialect/pgdialect"
)

// This file tells whom announced changes concern, so that events reach
// the subscriptions they are about (graph.Events). Its answers route
// events and are never shown: each subscriber then reads the object with
// its own visibility.

// LinkParties returns the two members of each link of ids.
func (db *DB) LinkParties(ctx context.Context, ids []int64) (map[int64][]int64, error) {
	return db.audience(ctx, `SELECT id, from_id FROM business_links WHERE id = ANY(?0::bigint[])
		UNION ALL SELECT id, to_id FROM business_links WHERE id = ANY(?0::bigint[])`, ids)
}

// MeetingMembers returns, for each meeting of ids, the members taking part
// in its group (not those who left).
func (db *DB) MeetingMembers(ctx context.Context, ids []int64) (map[int64][]int64, error) {
	return db.audience(ctx, `SELECT m.id, p.member_id FROM meetings m
		JOIN group_participants p ON p.group_id = m.group_id AND p.left_at IS NULL
		WHERE m.id = ANY(?0::bigint[])`, ids)
}

// GroupQuestionMembers returns, for each working group of ids, the members
// who raised or supported the question it was formed from.
func (db *DB) GroupQuestionMembers(ctx context.Context, ids []int64) (map[int64][]int64, error) {
	return db.audience(ctx, `SELECT g.id, q.raised_by FROM working_groups g JOIN questions q ON q.id = g.question_id
		WHERE g.id = ANY(?0::bigint[])
		UNION SELECT g.id, s.member_id FROM working_groups g JOIN question_supports s ON s.question_id = g.question_id
		WHERE g.id = ANY(?0::bigint[])`, ids)
}

// audience runs a query of (object id, member id) rows over ids.
func (db *DB) audience(ctx context.Context, query string, ids []int64) (map[int64][]int64, error) {
	out := make(map[int64][]int64, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := db.bun.QueryContext(ctx, query, pgdialect.Array(ids))
	if err != nil {
		return nil, mapError(err, "event audience")
	}
	defer rows.Close()
	for rows.Next() {
		var id, member int64
		if err := rows.Scan(&id, &member); err != nil {
			return nil, mapError(err, "event audience")
		}
		out[id] = append(out[id], member)
	}
	return out, mapError(rows.Err(), "event audience")
}
