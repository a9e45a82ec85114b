package postgres

import "context"

// MapError exposes mapError to the external tests.
var MapError = mapError

// SelectPrepared exposes selectPrepared to the external tests.
func (db *DB) SelectPrepared(ctx context.Context, query string, dest any, args ...any) error {
	return db.selectPrepared(ctx, query, dest, args...)
}

// PreparedCount returns how many statement texts db has prepared.
func (db *DB) PreparedCount() int {
	db.stmts.mu.Lock()
	defer db.stmts.mu.Unlock()
	return len(db.stmts.stmts)
}

// MaxPrepared exposes maxPrepared to the external tests.
const MaxPrepared = maxPrepared

// MemberIndexLoads returns how many times db has read the ids of all
// members.
func (db *DB) MemberIndexLoads() int64 { return db.members.loads.Load() }
