package domain

import (
	"slices"
	"time"
)

// ChangeOp is what a committed statement did to the rows of a table.
type ChangeOp byte

// The operations a change announces.
const (
	ChangeInsert   ChangeOp = 'I'
	ChangeUpdate   ChangeOp = 'U'
	ChangeDelete   ChangeOp = 'D'
	ChangeTruncate ChangeOp = 'T'
)

// DataChange is a change the database announced once committed, whichever
// session made it: the table, the operation, the transaction, when its
// statement started, and the keys of the rows changed (the row's id, or
// for a table of pairs the first key: a participant's group, an attendee's
// meeting). IDs nil means any row of the table may have changed (too many
// to name, or the table emptied).
type DataChange struct {
	Table string
	Op    ChangeOp
	Xid   uint64    // the transaction (PostgreSQL's xid8); 0 when unknown
	At    time.Time // the statement's start, by the database's clock
	IDs   []int64
}

// Whole reports whether the change may concern any row of its table.
func (c DataChange) Whole() bool { return c.IDs == nil }

// DataChanges is a batch of changes handed over at once. A nil batch means
// that anything may have changed (the announcements of a while were lost).
type DataChanges []DataChange

// Unknown reports whether the batch stands for changes that were not
// announced (anything may have changed).
func (cs DataChanges) Unknown() bool { return cs == nil }

// Tables returns the tables the batch changed, each once, nil when the
// batch is Unknown.
func (cs DataChanges) Tables() []string {
	var tables []string
	for _, c := range cs {
		if !slices.Contains(tables, c.Table) {
			tables = append(tables, c.Table)
		}
	}
	return tables
}

// Touches reports whether the batch may have changed one of tables.
func (cs DataChanges) Touches(tables ...string) bool {
	return cs.Unknown() || slices.ContainsFunc(cs, func(c DataChange) bool { return slices.Contains(tables, c.Table) })
}

// IDs returns the keys the batch names for table and op (any op when op
// is 0), in order and each once, and whether they are all of them: false when a change
// of the table names no rows or the batch is Unknown.
func (cs DataChanges) IDs(table string, op ChangeOp) (ids []int64, known bool) {
	if cs.Unknown() {
		return nil, false
	}
	for _, c := range cs {
		if c.Table != table || (op != 0 && c.Op != op) {
			continue
		}
		if c.Whole() {
			return nil, false
		}
		ids = append(ids, c.IDs...)
	}
	slices.Sort(ids)
	return slices.Compact(ids), true
}
