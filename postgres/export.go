package postgres

import (
	"context"
	"strings"

	"grappe/domain"
)

// exportMembersSQL reads the attributes of every member, by id, with its
// trade codes. The correlated subquery keeps the plan a scan of the members'
// primary key, so rows stream out as soon as the first is found. Members
// of every status are read: the caller keeps those of its graph snapshot,
// which may be older or newer than the rows.
const exportMembersSQL = `SELECT m.id, m.name, m.kind, coalesce(m.size_class, ''), coalesce(m.region, ''),
	coalesce((SELECT string_agg(t.code, ';' ORDER BY t.code)
		FROM member_trades mt JOIN trades t ON t.id = mt.trade_id
		WHERE mt.member_id = m.id), '')
FROM members m
ORDER BY m.id`

// ExportMembers streams the attributes of every member, in ascending id
// order, to fn, in one statement: rows are read from the connection as fn
// consumes them, so nothing holds the whole result. An error from fn stops
// the iteration and is returned as is.
func (db *DB) ExportMembers(ctx context.Context, fn func(domain.MemberAttributes) error) error {
	rows, err := db.bun.QueryContext(ctx, exportMembersSQL)
	if err != nil {
		return mapError(err, "member")
	}
	defer rows.Close()
	for rows.Next() {
		var m domain.MemberAttributes
		var trades string
		if err := rows.Scan(&m.ID, &m.Name, &m.Kind, &m.SizeClass, &m.Region, &trades); err != nil {
			return mapError(err, "member")
		}
		if trades != "" {
			// Trade codes match ^[A-Z][A-Z0-9_.]*$: ';' never occurs in one.
			m.Trades = strings.Split(trades, ";")
		}
		if err := fn(m); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return mapError(err, "member")
	}
	return nil
}
