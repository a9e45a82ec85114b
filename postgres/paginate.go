package postgres

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/uptrace/bun"

	"grappe/domain"
)

// keyset describes how a list is sorted for keyset pagination: a sort
// expression, its direction, and how to read and check a cursor value.
type keyset struct {
	// Name identifies the list and order inside cursors.
	Name string
	// Expr is the SQL sort expression, with ExprArgs for its placeholders
	// (never format user text into Expr: bun would read placeholders in
	// it); ties are broken by IDColumn.
	Expr     string
	ExprArgs []any
	IDColumn string
	Desc     bool
	// Check converts a decoded JSON cursor value into a query argument, or
	// reports false when it has the wrong type.
	Check func(v any) (any, bool)
}

// pagePlan is a validated page request ready to apply to a query.
type pagePlan struct {
	keys     keyset
	limit    int
	backward bool
	after    *keysetCursor
	before   *keysetCursor
	// sealer seals the page's cursors, made for a viewer of role.
	sealer *cursorSealer
	role   domain.Role
}

// planPage validates a page request against a keyset, for the viewer of
// ctx: its cursors must have been made for the same list, order and viewer
// role.
func (db *DB) planPage(ctx context.Context, keys keyset, page domain.PageRequest) (*pagePlan, error) {
	sealer, err := db.cursors(ctx)
	if err != nil {
		return nil, err
	}
	return newPagePlan(sealer, domain.ViewerFrom(ctx).Role, keys, page)
}

// newPagePlan validates a page request against a keyset, with the cursors
// of sealer made for a viewer of role.
func newPagePlan(sealer *cursorSealer, role domain.Role, keys keyset, page domain.PageRequest) (*pagePlan, error) {
	limit, err := page.Limit()
	if err != nil {
		return nil, err
	}
	p := &pagePlan{keys: keys, limit: limit, backward: page.Backward(), sealer: sealer, role: role}
	if page.After != "" {
		if p.after, err = p.cursor("after", page.After); err != nil {
			return nil, err
		}
	}
	if page.Before != "" {
		if p.before, err = p.cursor("before", page.Before); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func (p *pagePlan) cursor(field, s string) (*keysetCursor, error) {
	c, err := p.sealer.decode(field, s, p.keys.Name, p.role)
	if err != nil {
		return nil, err
	}
	v, ok := p.keys.Check(c.Value)
	if !ok {
		return nil, domain.InvalidField(field, "%s is not a valid cursor", field)
	}
	c.Value = v
	return c, nil
}

// apply adds the keyset bounds, order and limit (one extra row, to know
// whether there is more) to q.
func (p *pagePlan) apply(q *bun.SelectQuery) *bun.SelectQuery {
	greater, less := ">", "<"
	if p.keys.Desc {
		greater, less = less, greater
	}
	bound := func(op string, c *keysetCursor) *bun.SelectQuery {
		args := append(append([]any{}, p.keys.ExprArgs...), c.Value, c.ID)
		return q.Where(fmt.Sprintf("(%s, %s) %s (?, ?)", p.keys.Expr, p.keys.IDColumn, op), args...)
	}
	if p.after != nil {
		q = bound(greater, p.after)
	}
	if p.before != nil {
		q = bound(less, p.before)
	}
	return p.orderLimit(q)
}

// orderLimit orders q by the plan's keys in the direction it reads and
// limits it to the page size plus one (to tell whether there is more).
func (p *pagePlan) orderLimit(q *bun.SelectQuery) *bun.SelectQuery {
	dir := "ASC"
	if p.keys.Desc != p.backward {
		dir = "DESC"
	}
	return q.OrderExpr(fmt.Sprintf("%s %s, %s %s", p.keys.Expr, dir, p.keys.IDColumn, dir), p.keys.ExprArgs...).Limit(int64(p.limit + 1))
}

// finish trims the extra row, restores the order of a backward page and
// builds the page with a cursor per item.
func finish[T any](p *pagePlan, items []T, key func(T) (any, int64)) *domain.Page[T] {
	more := len(items) > p.limit
	if more {
		items = items[:p.limit]
	}
	if p.backward {
		for i, j := 0, len(items)-1; i < j; i, j = i+1, j-1 {
			items[i], items[j] = items[j], items[i]
		}
	}
	page := &domain.Page[T]{Items: items}
	// Sealing draws a nonce: each cursor is sealed once, so that a page's
	// endCursor is its last edge's cursor.
	var mu sync.Mutex
	cursors := make([]string, len(items))
	page.Cursor = func(i int) string {
		mu.Lock()
		defer mu.Unlock()
		if cursors[i] == "" {
			v, id := key(items[i])
			cursors[i] = p.sealer.encode(p.keys.Name, p.role, v, id)
		}
		return cursors[i]
	}
	if p.backward {
		page.HasPreviousPage, page.HasNextPage = more, p.before != nil
	} else {
		page.HasNextPage, page.HasPreviousPage = more, p.after != nil
	}
	return page
}

// timeCursor is the cursor value of a timestamp.
func timeCursor(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// checkTime validates a timestamp cursor value.
func checkTime(v any) (any, bool) {
	s, ok := v.(string)
	if !ok {
		return nil, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if y := t.UTC().Year(); err != nil || y < 1 || y > 9999 { // as the Time scalar accepts
		return nil, false
	}
	return t, true
}
