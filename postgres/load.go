package postgres

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"grappe/demo"
)

// demoLockKey serialises demo loads across processes ("demo" in ASCII).
const demoLockKey = 0x64656d6f

// loadBatch is the number of rows per multi-row INSERT.
const loadBatch = 2000

// LoadDemoIfEmpty loads the dataset when the database holds no member and
// no trade, and reports whether it did. Concurrent callers load it once.
func (db *DB) LoadDemoIfEmpty(ctx context.Context, ds *demo.Dataset) (bool, error) {
	loaded := false
	err := db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(?)", demoLockKey); err != nil {
			return fmt.Errorf("take demo lock: %w", err)
		}
		var empty bool
		err := tx.NewRaw("SELECT NOT EXISTS (SELECT 1 FROM members) AND NOT EXISTS (SELECT 1 FROM trades)").Scan(ctx, &empty)
		if err != nil || !empty {
			return err
		}
		loaded = true
		return loadDataset(ctx, tx, ds)
	})
	return loaded, err
}

// ReplaceWithDemo empties the database's data and loads the dataset, in one
// transaction.
func (db *DB) ReplaceWithDemo(ctx context.Context, ds *demo.Dataset) error {
	return db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(?)", demoLockKey); err != nil {
			return fmt.Errorf("take demo lock: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "TRUNCATE member_trades, members, trades RESTART IDENTITY CASCADE"); err != nil {
			return fmt.Errorf("empty database: %w", err)
		}
		return loadDataset(ctx, tx, ds)
	})
}

// loadDataset inserts a dataset whose ids are already assigned, then moves
// the identity sequences past them.
func loadDataset(ctx context.Context, tx bun.Tx, ds *demo.Dataset) error {
	trades := make([]*tradeRow, len(ds.Trades))
	for i := range ds.Trades {
		trades[i] = fromTrade(&ds.Trades[i])
	}
	members := make([]*memberRow, len(ds.Members))
	var links []memberTradeRow
	for i := range ds.Members {
		m := &ds.Members[i]
		members[i] = fromMember(&m.Member)
		for _, t := range m.TradeIDs {
			links = append(links, memberTradeRow{MemberID: m.ID, TradeID: t})
		}
	}
	if err := insertBatches(ctx, tx, trades); err != nil {
		return fmt.Errorf("load trades: %w", err)
	}
	if err := insertBatches(ctx, tx, members); err != nil {
		return fmt.Errorf("load members: %w", err)
	}
	if err := insertBatches(ctx, tx, links); err != nil {
		return fmt.Errorf("load member trades: %w", err)
	}
	for _, table := range []string{"trades", "members"} {
		_, err := tx.ExecContext(ctx, fmt.Sprintf(
			"SELECT setval(pg_get_serial_sequence('%[1]s', 'id'), coalesce((SELECT max(id) FROM %[1]s), 0) + 1, false)", table))
		if err != nil {
			return fmt.Errorf("reset %s ids: %w", table, err)
		}
	}
	return nil
}

// insertBatches inserts rows in multi-row INSERTs of loadBatch rows.
func insertBatches[T any](ctx context.Context, tx bun.Tx, rows []T) error {
	for start := 0; start < len(rows); start += loadBatch {
		batch := rows[start:min(start+loadBatch, len(rows))]
		if _, err := tx.NewInsert().Model(&batch).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}
