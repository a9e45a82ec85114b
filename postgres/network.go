package postgres

import (
	"context"
	"database/sql"

	"github.com/uptrace/bun"

	"grappe/network"
)

// NetworkGraph reads the network graph of SPEC §2 in one read-only
// snapshot transaction, in two statements: the ACTIVE member ids, and each
// pair of members with a CONFIRMED link with the lowest such link id and
// the number of such links. Pairs may name LAPSED members; network.Build
// drops them.
func (db *DB) NetworkGraph(ctx context.Context) (*network.Graph, error) {
	g := &network.Graph{}
	opts := &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	err := db.bun.RunInTx(ctx, opts, func(ctx context.Context, tx bun.Tx) error {
		// The transaction's first statement fixes what it sees.
		var seen string
		if err := tx.QueryRowContext(ctx, `SELECT pg_current_snapshot()::text`).Scan(&seen); err != nil {
			return mapError(err, "network graph")
		}
		var err error
		if g.Seen, err = network.ParseVisibility(seen); err != nil {
			return err
		}
		err = tx.NewSelect().Table("members").Column("id").
			Where("status = 'ACTIVE'").Order("id").Scan(ctx, &g.Members)
		if err != nil {
			return mapError(err, "member")
		}
		rows, err := tx.QueryContext(ctx, `SELECT least(from_id, to_id), greatest(from_id, to_id), min(id), count(*)
			FROM business_links WHERE status = 'CONFIRMED' GROUP BY 1, 2`)
		if err != nil {
			return mapError(err, "business link")
		}
		defer rows.Close()
		for rows.Next() {
			var p network.Pair
			if err := rows.Scan(&p.A, &p.B, &p.Link, &p.Links); err != nil {
				return mapError(err, "business link")
			}
			g.Pairs = append(g.Pairs, p)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return g, nil
}
