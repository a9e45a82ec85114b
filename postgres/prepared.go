package postgres

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"sync"

	"github.com/uptrace/bun"
)

// bun writes every value into the text of its statements, so PostgreSQL
// parses and plans each one afresh: for the small lookups that serve a
// request's relationships (a member's contacts, trades, links, groups)
// planning costs more than running. The statements of those lookups are
// therefore written with $n parameters and run as prepared statements:
// database/sql prepares each text once per connection (pgdriver's extended
// protocol) and PostgreSQL keeps its plan.
//
// PostgreSQL would still plan each run of a prepared statement afresh when
// it estimates its generic plan dearer than the plans made for the values
// at hand, which it does for an id array of unknown length: connections
// therefore set plan_cache_mode to force_generic_plan (Open). It affects
// these lookups alone, bun's statements being planned for their values
// anyway; each looks rows up by id through an index whatever the ids.

// maxPrepared bounds the statement texts prepared on each connection. The
// texts are few by construction (values are parameters); the bound only
// keeps a pathological mix of filters from growing the cache without end:
// past it, new texts run unprepared.
const maxPrepared = 256

// idsParam is the first parameter of a prepared lookup: the ids it looks
// up, as a bigint array (see idArray).
var idsParam = bun.Safe("$1::bigint[]")

// statementCache holds the prepared statements of one connection pool, by
// text. A text is prepared on its second use, so that a one-off statement
// costs no extra round trip.
type statementCache struct {
	mu    sync.Mutex
	seen  map[string]bool
	stmts map[string]*sql.Stmt
}

func newStatementCache() *statementCache {
	return &statementCache{seen: map[string]bool{}, stmts: map[string]*sql.Stmt{}}
}

// get returns the prepared statement of query, preparing it on sqldb if
// it was seen before, or nil when query should run unprepared.
func (c *statementCache) get(ctx context.Context, sqldb *sql.DB, query string) (*sql.Stmt, error) {
	c.mu.Lock()
	stmt, ok := c.stmts[query]
	if ok || len(c.stmts) >= maxPrepared {
		c.mu.Unlock()
		return stmt, nil
	}
	if !c.seen[query] {
		if len(c.seen) >= 4*maxPrepared {
			clear(c.seen) // texts seen once (with a cursor, say) are forgotten
		}
		c.seen[query] = true
		c.mu.Unlock()
		return nil, nil
	}
	c.mu.Unlock()
	stmt, err := sqldb.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if prev, ok := c.stmts[query]; ok {
		_ = stmt.Close() // prepared meanwhile by another request
		return prev, nil
	}
	c.stmts[query] = stmt
	return stmt, nil
}

// close closes every prepared statement.
func (c *statementCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, stmt := range c.stmts {
		_ = stmt.Close()
		delete(c.stmts, q)
	}
}

// selectPrepared runs query, a statement with $n parameters whose text
// does not depend on the values, with args, and scans its rows into dest
// as bun's Scan does. It counts as a statement and waits for a connection
// as bun's statements do. Errors are unmapped.
func (db *DB) selectPrepared(ctx context.Context, query string, dest any, args ...any) error {
	ctx = db.beforeStatement(ctx, query, args)
	stmt, err := db.stmts.get(ctx, db.bun.DB, query)
	if err != nil {
		return err
	}
	var rows *sql.Rows
	if stmt != nil {
		rows, err = stmt.QueryContext(ctx, args...)
	} else {
		// pgdriver writes the values into the text: the simple protocol.
		rows, err = db.bun.DB.QueryContext(ctx, query, args...)
	}
	if err != nil {
		return err
	}
	return db.bun.ScanRows(ctx, rows, dest)
}

// selectByIDs runs q, a query whose only parameter is idsParam, for ids.
func (db *DB) selectByIDs(ctx context.Context, q *bun.SelectQuery, ids []int64, dest any) error {
	return db.selectPrepared(ctx, q.String(), dest, idArray(ids))
}

// idArray returns ids as the text of a PostgreSQL bigint array, the form
// in which pgdriver sends a parameter.
func idArray(ids []int64) string {
	var b strings.Builder
	b.Grow(2 + 8*len(ids))
	b.WriteByte('{')
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(id, 10))
	}
	b.WriteByte('}')
	return b.String()
}
