package postgres

import (
	"context"
	"slices"
	"sync"
	"time"
)

// The member filter's trades include their sub-trades. Expanding them in a
// recursive query inside the members statement costs PostgreSQL a plan of
// the recursion on every request, and hides from the planner how many
// trades match; the taxonomy is a few dozen rows, so the server keeps it
// and writes the expanded trade ids into the statement instead.

// tradeTreeTTL bounds how long a change made to the taxonomy outside this
// process (a migration, SQL by hand) may go unseen by the member filter.
// Trades created through this process are seen at once, and an unknown
// trade id reloads the taxonomy.
const tradeTreeTTL = time.Minute

// tradeTree is the taxonomy as the member filter needs it: the children of
// each trade.
type tradeTree struct {
	mu       sync.Mutex
	children map[int64][]int64 // every trade has an entry
	loadedAt time.Time         // zero: to load
}

// tradesChanged makes the next filter reload the taxonomy.
func (db *DB) tradesChanged() {
	db.trades.mu.Lock()
	db.trades.loadedAt = time.Time{}
	db.trades.mu.Unlock()
}

// tradeSubtrees returns ids and all their sub-trades, sorted, without
// duplicates; ids that are not trades add nothing.
func (db *DB) tradeSubtrees(ctx context.Context, ids []int64) ([]int64, error) {
	t := &db.trades
	t.mu.Lock()
	defer t.mu.Unlock()
	stale := t.loadedAt.IsZero() || time.Since(t.loadedAt) > tradeTreeTTL
	for _, id := range ids {
		if _, ok := t.children[id]; !ok {
			stale = true
		}
	}
	if stale {
		var rows []struct {
			ID       int64  `bun:"id"`
			ParentID *int64 `bun:"parent_id"`
		}
		if err := db.bun.NewRaw("SELECT id, parent_id FROM trades").Scan(ctx, &rows); err != nil {
			return nil, mapError(err, "trades")
		}
		t.children = make(map[int64][]int64, len(rows))
		for _, r := range rows {
			if _, ok := t.children[r.ID]; !ok {
				t.children[r.ID] = nil
			}
			if r.ParentID != nil {
				t.children[*r.ParentID] = append(t.children[*r.ParentID], r.ID)
			}
		}
		t.loadedAt = time.Now()
	}
	out := []int64{}
	seen := map[int64]bool{}
	queue := slices.Clone(ids)
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		kids, ok := t.children[id]
		if !ok || seen[id] {
			continue
		}
		seen[id] = true
		out = append(out, id)
		queue = append(queue, kids...)
	}
	slices.Sort(out)
	return out, nil
}
