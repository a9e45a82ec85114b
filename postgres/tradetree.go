package postgres

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"grappe/domain"
)

// The taxonomy is a few dozen rows that every member listing needs: the
// trades of the members shown, and the sub-trades of a trade filter. The
// server keeps it, so that a member's trades are read as (member, trade)
// pairs, and a trade filter is written into the members statement as the
// expanded list of trade ids instead of a recursive query that PostgreSQL
// would plan with every request, blind to how many trades match.

// tradeTreeTTL bounds how long a change made to the taxonomy outside this
// process (a migration, SQL by hand) may go unseen. Trades created through
// this process are seen at once, and an unknown trade id reloads the
// taxonomy.
const tradeTreeTTL = time.Minute

// tradeTree is the kept taxonomy.
type tradeTree struct {
	mu       sync.Mutex
	byID     map[int64]*domain.Trade
	children map[int64][]int64
	loadedAt time.Time // zero: to load
}

// tradesChanged makes the next use reload the taxonomy.
func (db *DB) tradesChanged() {
	db.trades.mu.Lock()
	db.trades.loadedAt = time.Time{}
	db.trades.mu.Unlock()
}

// taxonomy returns the kept taxonomy, read again when it is older than
// tradeTreeTTL, changed, or lacks one of ids. The caller holds t.mu.
func (db *DB) taxonomy(ctx context.Context, ids []int64) (*tradeTree, error) {
	t := &db.trades
	stale := t.loadedAt.IsZero() || time.Since(t.loadedAt) > tradeTreeTTL
	for _, id := range ids {
		if _, ok := t.byID[id]; !ok {
			stale = true
			break
		}
	}
	if !stale {
		return t, nil
	}
	var rows []tradeRow
	if err := db.bun.NewSelect().Model(&rows).Scan(ctx); err != nil {
		return nil, mapError(err, "trades")
	}
	t.byID = make(map[int64]*domain.Trade, len(rows))
	t.children = make(map[int64][]int64, len(rows))
	for i := range rows {
		tr := rows[i].toTrade()
		t.byID[tr.ID] = tr
		if tr.ParentID != nil {
			t.children[*tr.ParentID] = append(t.children[*tr.ParentID], tr.ID)
		}
	}
	t.loadedAt = time.Now()
	return t, nil
}

// tradesByID returns the trades ids, by id; ids that are not trades are
// left out. The trades are shared: callers must not change them.
func (db *DB) tradesByID(ctx context.Context, ids []int64) (map[int64]*domain.Trade, error) {
	db.trades.mu.Lock()
	defer db.trades.mu.Unlock()
	t, err := db.taxonomy(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]*domain.Trade, len(ids))
	for _, id := range ids {
		if tr, ok := t.byID[id]; ok {
			out[id] = tr
		}
	}
	return out, nil
}

// membersTrades turns the trade ids of each member into its trades, by
// code, from the kept taxonomy; ids that are not trades are left out.
func (db *DB) membersTrades(ctx context.Context, tradeIDs map[int64][]int64) (map[int64][]*domain.Trade, error) {
	var all []int64
	for _, ids := range tradeIDs {
		all = append(all, ids...)
	}
	slices.Sort(all)
	trades, err := db.tradesByID(ctx, slices.Compact(all))
	if err != nil {
		return nil, err
	}
	out := make(map[int64][]*domain.Trade, len(tradeIDs))
	for member, ids := range tradeIDs {
		ts := make([]*domain.Trade, 0, len(ids))
		for _, id := range ids {
			if t, ok := trades[id]; ok {
				ts = append(ts, t)
			}
		}
		slices.SortFunc(ts, byCode)
		out[member] = ts
	}
	return out, nil
}

// tradeSubtrees returns ids and all their sub-trades, sorted, without
// duplicates; ids that are not trades add nothing.
func (db *DB) tradeSubtrees(ctx context.Context, ids []int64) ([]int64, error) {
	db.trades.mu.Lock()
	defer db.trades.mu.Unlock()
	t, err := db.taxonomy(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := t.subtree(ids)
	slices.Sort(out)
	return out, nil
}

// tradeSubtreePairs returns, for each of roots, the root paired with itself
// and with each of its sub-trades, as two parallel lists; roots that are
// not trades add nothing.
func (db *DB) tradeSubtreePairs(ctx context.Context, roots []int64) (rootIDs, tradeIDs []int64, err error) {
	db.trades.mu.Lock()
	defer db.trades.mu.Unlock()
	t, err := db.taxonomy(ctx, roots)
	if err != nil {
		return nil, nil, err
	}
	for _, root := range roots {
		for _, id := range t.subtree([]int64{root}) {
			rootIDs, tradeIDs = append(rootIDs, root), append(tradeIDs, id)
		}
	}
	return rootIDs, tradeIDs, nil
}

// subtree returns ids and all their sub-trades, breadth first, without
// duplicates; ids that are not trades add nothing.
func (t *tradeTree) subtree(ids []int64) []int64 {
	out := []int64{}
	seen := map[int64]bool{}
	queue := slices.Clone(ids)
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		if _, ok := t.byID[id]; !ok || seen[id] {
			continue
		}
		seen[id] = true
		out = append(out, id)
		queue = append(queue, t.children[id]...)
	}
	return out
}

// byCode orders trades by code.
func byCode(a, b *domain.Trade) int { return strings.Compare(a.Code, b.Code) }
