package graph

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vikstrous/dataloadgen"

	"grappe/domain"
)

// A relation is a field of a parent type read in batches: the key of a
// parent (its id, or a foreign id it holds) and the field's arguments make
// a loader key, and the keys with the same arguments share one fetch. With
// the look-ahead (Loaders.ahead) a relation costs one statement per level
// of a query, whatever the number of parents and however the executor
// schedules them.
type relation[P any, A comparable, V any] struct {
	// name is the field, as "Type.field".
	name string
	// typ is the GraphQL type of the values when the field's type does not
	// say it (a field of interface type); "" otherwise.
	typ string
	// keys returns the keys of a parent; none when the field is empty.
	keys func(P) []int64
	// args reads the field's arguments (and, for a fetch that reads more
	// with its values, what its selection asks) into a comparable key.
	args func(context.Context, *graphql.FieldContext) (A, error)
	// fetch reads the values of keys ids with arguments a.
	fetch func(ctx context.Context, ids []int64, a A) (map[int64]V, error)
	// empty, when set, gives the value of a key that fetch left out.
	empty func(id int64, a A) V
	// ownID: the values are keyed by their own ids (a member by id), so
	// the look-ahead can start the relations keyed by a value's id as soon
	// as its key is known, alongside its fetch (see aheadOfIDs); along
	// names the fields of the values that the fetch reads with them for
	// arguments a, which it does not start.
	ownID bool
	along func(a A) []string
	// ofParentID: the relation's keys are its parent's own id (a member's
	// trades), so that it can start from ids alone.
	ofParentID bool
	// share, when set, names the loader of the relations that read the
	// same values the same way (same fetch, empty and typ): a request has
	// one loader per share, so that the fields of one level reading, say,
	// members by id are one statement together.
	share shareKey
	// count, when set, is the relation of the connection's totalCount,
	// started with the page when the selection asks for it; countArgs
	// turns the page's arguments into its arguments.
	count     *relation[P, A, int]
	countArgs func(A) A
}

// shareKey names a loader shared by relations (relation.share).
type shareKey string

// key is a loader key: a parent's key and the arguments of the field.
type key[A comparable] struct {
	ID   int64
	Args A
}

// argsOf returns the arguments of the field of fc, read once per field of
// the operation: the resolvers of that field for every parent share them
// (the same field of the document, with the same variables).
func (r *relation[P, A, V]) argsOf(ctx context.Context, fc *graphql.FieldContext) (A, error) {
	l, ok := ctx.Value(loadersKey{}).(*Loaders)
	if !ok || fc == nil || fc.Field.Field == nil {
		return r.args(ctx, fc)
	}
	k := argsKey{r, fc.Field.Field}
	if v, ok := l.args.Load(k); ok {
		e := v.(readArgs[A])
		return e.a, e.err
	}
	a, err := r.args(ctx, fc)
	l.args.Store(k, readArgs[A]{a, err})
	return a, err
}

// argsKey names the arguments of a relation's field in an operation.
type argsKey struct {
	rel   any
	field *ast.Field
}

// readArgs holds the arguments read for an argsKey.
type readArgs[A any] struct {
	a   A
	err error
}

// one is the keys function of a relation keyed by a single id.
func one[P any](id func(P) int64) func(P) []int64 {
	return func(p P) []int64 { return []int64{id(p)} }
}

// maybe is the keys function of a relation keyed by an id a parent may
// not have.
func maybe[P any](id func(P) *int64) func(P) []int64 {
	return func(p P) []int64 {
		if i := id(p); i != nil {
			return []int64{*i}
		}
		return nil
	}
}

// noArgs is the args function of a field without arguments.
func noArgs(context.Context, *graphql.FieldContext) (struct{}, error) { return struct{}{}, nil }

// get loads the value of the field being resolved for parent p: the zero
// value when p has no key.
func (r *relation[P, A, V]) get(ctx context.Context, p P) (V, error) {
	var zero V
	ids := r.keys(p)
	if len(ids) == 0 {
		return zero, nil
	}
	r.startSiblings(ctx, ids)
	return r.byKey(ctx, ids[0])
}

// all loads the values of the field being resolved for parent p, in the
// order of its keys, leaving out zero values (what storage left out).
func (r *relation[P, A, V]) all(ctx context.Context, p P) ([]V, error) {
	fc := graphql.GetFieldContext(ctx)
	a, err := r.argsOf(ctx, fc)
	if err != nil {
		return nil, err
	}
	b := batchOf(loadersFrom(ctx), r)
	ids := r.keys(p)
	r.startSiblings(ctx, ids)
	keys := make([]key[A], len(ids))
	for i, id := range ids {
		keys[i] = key[A]{id, a}
	}
	b.want(ctx, fc, keys, false, nil)
	vs, err := b.loadAll(ctx, keys)
	if err != nil {
		return nil, err
	}
	out := make([]V, 0, len(vs))
	for _, v := range vs {
		if !isZero(v) {
			out = append(out, v)
		}
	}
	return out, nil
}

// byKey loads the value of key id for the field being resolved.
func (r *relation[P, A, V]) byKey(ctx context.Context, id int64) (V, error) {
	return r.thunk(ctx, id)()
}

// thunk starts loading the value of key id for the field being resolved,
// and returns a function that waits for it.
func (r *relation[P, A, V]) thunk(ctx context.Context, id int64) func() (V, error) {
	return r.thunks(ctx, []int64{id})[0]
}

// thunks starts loading the values of keys ids for the field being
// resolved, and returns the functions that wait for them. The keys that no
// look-ahead started start the relations their selection asks together.
func (r *relation[P, A, V]) thunks(ctx context.Context, ids []int64) []func() (V, error) {
	out := make([]func() (V, error), len(ids))
	fc := graphql.GetFieldContext(ctx)
	a, err := r.argsOf(ctx, fc)
	if err != nil {
		for i := range out {
			out[i] = func() (V, error) { var zero V; return zero, err }
		}
		return out
	}
	l := loadersFrom(ctx)
	b := batchOf(l, r)
	keys := make([]key[A], len(ids))
	for i, id := range ids {
		keys[i] = key[A]{id, a}
	}
	b.want(ctx, fc, keys, false, nil)
	var fresh []int64 // else the look-ahead that started a key started its relations
	for i, k := range keys {
		if !b.started(k) {
			fresh = append(fresh, k.ID)
		}
		out[i] = b.get(ctx, k)
	}
	if len(fresh) > 0 {
		p := &pass{}
		r.aheadOfKeys(ctx, l, fc, a, fresh, p)
		p.flush(ctx)
	}
	return out
}

// startSiblings starts, when no look-ahead started them, the keys ids of
// the field being resolved together with those of the same field of the
// parent's siblings: the objects at the same place in the other elements
// of the nearest list above (siblings). The elements of a list are
// resolved one after the other, so a relation that no look-ahead reached
// (below a fragment on a concrete type of an interface list, say) is still
// read in one statement for the whole list rather than one per element.
func (r *relation[P, A, V]) startSiblings(ctx context.Context, ids []int64) {
	fc := graphql.GetFieldContext(ctx)
	a, err := r.argsOf(ctx, fc)
	if err != nil {
		return // the resolver reports it
	}
	l := loadersFrom(ctx)
	b := batchOf(l, r)
	for _, id := range ids {
		if b.started(key[A]{id, a}) {
			return // the look-ahead reached this field
		}
	}
	parents := notWithheld(siblings(fc), fc.Field.Name)
	if len(parents) == 0 {
		return
	}
	p := &pass{}
	r.start(ctx, l, fc, parents, p)
	p.flush(ctx)
}

// siblings returns the objects holding the field of fc in every element of
// the nearest list above it, found again from the list's value along the
// fields without resolver between the list and the field's parent (an
// edge's node); none when one of those fields has a resolver.
func siblings(fc *graphql.FieldContext) []any {
	var path []string
	for c := fc.Parent; c != nil; c = c.Parent {
		if c.Index != nil {
			if c.Parent == nil {
				return nil
			}
			objs := objects(c.Parent.Result)
			for i := len(path) - 1; i >= 0; i-- {
				objs = fieldValues(objs, path[i])
			}
			return objs
		}
		if c.Field.Field == nil || c.IsResolver || c.IsMethod {
			return nil
		}
		path = append(path, c.Field.Name)
	}
	return nil
}

// aheadOfKeys starts early, for the values of keys ids about to be
// fetched, the relations keyed by their ids (ownID).
func (r *relation[P, A, V]) aheadOfKeys(ctx context.Context, l *Loaders, fc *graphql.FieldContext, a A, ids []int64, p *pass) {
	if !r.ownID {
		return
	}
	var skip []string
	if r.along != nil {
		skip = r.along(a)
	}
	l.aheadOfIDs(ctx, fc, r.typ, ids, skip, p)
}

// load loads the value of key id with arguments a, outside a field of the
// relation (a connection's count, a list read by ids).
func (r *relation[P, A, V]) load(ctx context.Context, id int64, a A) (V, error) {
	return batchOf(loadersFrom(ctx), r).get(ctx, key[A]{id, a})()
}

// prime records the value of a key read by another fetch.
func (r *relation[P, A, V]) prime(l *Loaders, id int64, a A, v V) {
	b := batchOf(l, r)
	k := key[A]{id, a}
	b.mu.Lock()
	b.values[k] = v
	b.mu.Unlock()
	b.loader.Prime(k, v)
}

// start starts the batch of the field of fc for parents, and of its count
// when the selection asks for it.
func (r *relation[P, A, V]) start(ctx context.Context, l *Loaders, fc *graphql.FieldContext, parents []any, p *pass) {
	a, err := r.argsOf(ctx, fc)
	if err != nil {
		return // the resolver reports it
	}
	var ids []int64
	for _, p := range parents {
		if p, ok := p.(P); ok {
			ids = append(ids, r.keys(p)...)
		}
	}
	r.startKeys(ctx, l, fc, a, ids, p)
}

// startIDs starts the batch of the field of fc for the parents of ids,
// known by their ids alone, when the relation is keyed by its parent's id.
func (r *relation[P, A, V]) startIDs(ctx context.Context, l *Loaders, fc *graphql.FieldContext, ids []int64, p *pass) {
	if !r.ofParentID {
		return
	}
	a, err := r.argsOf(ctx, fc)
	if err != nil {
		return
	}
	r.startKeys(ctx, l, fc, a, ids, p)
}

// startKeys starts the batch of keys ids with arguments a, the early
// look-ahead of their values, and the count when the selection asks it.
func (r *relation[P, A, V]) startKeys(ctx context.Context, l *Loaders, fc *graphql.FieldContext, a A, ids []int64, p *pass) {
	if len(ids) == 0 {
		return
	}
	keys := make([]key[A], len(ids))
	for i, id := range ids {
		keys[i] = key[A]{id, a}
	}
	b := batchOf(l, r)
	b.want(ctx, fc, keys, true, p)
	b.queue(keys, p)
	r.aheadOfKeys(ctx, l, fc, a, ids, p)
	if r.count != nil && selects(ctx, fc, "totalCount") {
		ca := r.countArgs(a)
		counts := make([]key[A], len(keys))
		for i, k := range keys {
			counts[i] = key[A]{k.ID, ca}
		}
		batchOf(l, r.count).queue(counts, p)
	}
}

// A starter is a relation seen by the look-ahead.
type starter interface {
	start(ctx context.Context, l *Loaders, fc *graphql.FieldContext, parents []any, p *pass)
	startIDs(ctx context.Context, l *Loaders, fc *graphql.FieldContext, ids []int64, p *pass)
}

// batch is a relation's loader in one request. Besides the values, it
// holds, for each key not fetched yet, the fields whose selection the
// look-ahead must start on its value once fetched.
type batch[A comparable, V any] struct {
	fetchFn func(ctx context.Context, ids []int64, a A) (map[int64]V, error)
	empty   func(id int64, a A) V
	typ     string
	l       *Loaders
	loader  *dataloadgen.Loader[key[A], V]

	mu     sync.Mutex
	values map[key[A]]V
	// failed are the keys whose read failed, with its error: those asking
	// for them again get the error rather than a read of their own (after
	// a timeout, one read per element of a list, each of the whole list).
	failed map[key[A]]error
	wants  map[key[A]][]*graphql.FieldContext
	// flights are the keys the look-ahead is reading (or has queued, in
	// pending, until its pass ends); asked those asked of the loader.
	flights map[key[A]]*flight[V]
	pending []key[A]
	asked   map[key[A]]bool
}

// batchOf returns the request's loader of relation r (of its share, when
// it has one), made on first use.
func batchOf[P any, A comparable, V any](l *Loaders, r *relation[P, A, V]) *batch[A, V] {
	var id any = r
	if r.share != "" {
		id = r.share
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if b, ok := l.batches[id]; ok {
		return b.(*batch[A, V])
	}
	b := &batch[A, V]{fetchFn: r.fetch, empty: r.empty, typ: r.typ, l: l, values: map[key[A]]V{}, failed: map[key[A]]error{},
		wants:   map[key[A]][]*graphql.FieldContext{},
		flights: map[key[A]]*flight[V]{}, asked: map[key[A]]bool{}}
	b.loader = dataloadgen.NewLoader(b.fetch, dataloadgen.WithWait(loaderWait))
	l.batches[id] = b
	return b
}

// want records that the selection of fc applies to the values of keys.
// With now, the look-ahead runs at once on the values already read (a
// parent reached again, or a value another fetch primed).
func (b *batch[A, V]) want(ctx context.Context, fc *graphql.FieldContext, keys []key[A], now bool, p *pass) {
	if fc == nil || fc.Child == nil {
		return
	}
	var known []any
	b.mu.Lock()
	for _, k := range keys {
		if v, ok := b.values[k]; ok {
			if now {
				known = append(known, objects(v)...)
			}
			continue
		}
		if !wanted(b.wants[k], fc) {
			b.wants[k] = append(b.wants[k], fc)
		}
	}
	b.mu.Unlock()
	if len(known) > 0 {
		b.l.ahead(ctx, fc, b.typ, known, p)
	}
}

// wanted reports whether fcs hold the query field of fc.
func wanted(fcs []*graphql.FieldContext, fc *graphql.FieldContext) bool {
	for _, w := range fcs {
		if w.Field.Field == fc.Field.Field {
			return true
		}
	}
	return false
}

// fetch reads a batch of keys, one fetch per distinct arguments, and runs
// the look-ahead on what it read before any resolver waiting on it runs.
func (b *batch[A, V]) fetch(ctx context.Context, keys []key[A]) ([]V, []error) {
	ctx = context.WithValue(ctx, loadersKey{}, b.l)
	values, errs := make([]V, len(keys)), make([]error, len(keys))
	groups := map[A][]int{}
	var order []A
	for i, k := range keys {
		if _, ok := groups[k.Args]; !ok {
			order = append(order, k.Args)
		}
		groups[k.Args] = append(groups[k.Args], i)
	}
	for _, a := range order {
		idx := groups[a]
		if err := ctx.Err(); err != nil {
			// The request is over (timed out, its client gone): every key
			// fails without a statement, rather than one statement per
			// resolver that still asks.
			for _, i := range idx {
				errs[i] = err
			}
			continue
		}
		ids := make([]int64, len(idx))
		for j, i := range idx {
			ids[j] = keys[i].ID
		}
		got, err := b.fetchFn(ctx, ids, a)
		for _, i := range idx {
			v, ok := got[keys[i].ID]
			if !ok && b.empty != nil {
				v = b.empty(keys[i].ID, a)
			}
			values[i], errs[i] = v, err
		}
	}
	type next struct {
		fc   *graphql.FieldContext
		objs []any
	}
	var ahead []*next
	byField := map[*ast.Field]*next{}
	b.mu.Lock()
	for i, k := range keys {
		fcs := b.wants[k]
		delete(b.wants, k)
		if errs[i] != nil {
			continue
		}
		for _, fc := range fcs {
			n := byField[fc.Field.Field]
			if n == nil {
				n = &next{fc: fc}
				byField[fc.Field.Field] = n
				ahead = append(ahead, n)
			}
			n.objs = append(n.objs, objects(values[i])...)
		}
	}
	b.mu.Unlock()
	// The relations below are queued before the values are shown to the
	// resolvers: none of these asks the loader for a child that the
	// look-ahead reads.
	p := &pass{}
	for _, n := range ahead {
		b.l.ahead(ctx, n.fc, b.typ, n.objs, p)
	}
	b.mu.Lock()
	for i, k := range keys {
		if errs[i] == nil {
			b.values[k] = values[i]
		} else {
			b.failed[k] = errs[i]
		}
	}
	b.mu.Unlock()
	p.flush(ctx)
	return values, errs
}

// clear forgets what the batch read.
func (b *batch[A, V]) clear() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.loader.ClearAll()
	clear(b.values)
	clear(b.failed)
	clear(b.wants)
	clear(b.asked) // flights in progress end by themselves
}

// A flight is the read of a key that the look-ahead started, until done.
type flight[V any] struct {
	done chan struct{}
	v    V
	err  error
}

// get returns a function that waits for the value of k: read already,
// being read by the look-ahead, or else asked of the loader, which
// gathers the keys asked within its wait into one fetch.
func (b *batch[A, V]) get(ctx context.Context, k key[A]) func() (V, error) {
	b.mu.Lock()
	if v, ok := b.values[k]; ok {
		b.mu.Unlock()
		return func() (V, error) { return v, nil }
	}
	if err, ok := b.failed[k]; ok {
		b.mu.Unlock()
		return func() (V, error) { var zero V; return zero, err }
	}
	if f, ok := b.flights[k]; ok {
		b.mu.Unlock()
		return func() (V, error) { <-f.done; return f.v, f.err }
	}
	b.asked[k] = true
	b.mu.Unlock()
	return b.loader.LoadThunk(ctx, k)
}

// started reports whether k is read, being read or asked already.
func (b *batch[A, V]) started(k key[A]) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.startedLocked(k)
}

// startedLocked is started, b.mu held.
func (b *batch[A, V]) startedLocked(k key[A]) bool {
	_, read := b.values[k]
	_, failed := b.failed[k]
	_, flying := b.flights[k]
	return read || failed || flying || b.asked[k]
}

// loadAll waits for the values of keys, as get does.
func (b *batch[A, V]) loadAll(ctx context.Context, keys []key[A]) ([]V, error) {
	thunks := make([]func() (V, error), len(keys))
	for i, k := range keys {
		thunks[i] = b.get(ctx, k)
	}
	out := make([]V, len(keys))
	for i, t := range thunks {
		v, err := t()
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// queue adds the keys not read nor asked yet to those the look-ahead pass
// p reads when it ends.
func (b *batch[A, V]) queue(keys []key[A], p *pass) {
	b.mu.Lock()
	for _, k := range keys {
		if b.startedLocked(k) {
			continue
		}
		b.flights[k] = &flight[V]{done: make(chan struct{})}
		b.pending = append(b.pending, k)
	}
	queued := len(b.pending) > 0
	b.mu.Unlock()
	if queued {
		p.add(b)
	}
}

// flush starts reading the queued keys, at once: one fetch per arguments.
func (b *batch[A, V]) flush(ctx context.Context) {
	b.mu.Lock()
	keys := b.pending
	b.pending = nil
	b.mu.Unlock()
	if len(keys) > 0 {
		go b.fly(ctx, keys)
	}
}

// fly reads keys and hands the values to those waiting for them.
func (b *batch[A, V]) fly(ctx context.Context, keys []key[A]) {
	var values []V
	var errs []error
	func() {
		defer func() {
			if v := recover(); v != nil {
				values, errs = make([]V, len(keys)), make([]error, len(keys))
				for i := range errs {
					errs[i] = fmt.Errorf("panic during fetch: %v", v)
				}
			}
		}()
		values, errs = b.fetch(ctx, keys)
	}()
	b.mu.Lock()
	defer b.mu.Unlock()
	for i, k := range keys {
		if f := b.flights[k]; f != nil {
			delete(b.flights, k)
			f.v, f.err = values[i], errs[i]
			close(f.done)
		}
	}
}

// A pass is one run of the look-ahead: the keys it asks of every batch are
// read together when it ends (flush), each batch's in one fetch per
// arguments, without the loaders' wait. Siblings of one level (a link's
// from, to and declaredBy) so share a statement, and each level starts as
// soon as the one above is read.
type pass struct {
	batches []interface{ flush(context.Context) }
	seen    map[any]bool
}

// add records that b has keys queued for this pass.
func (p *pass) add(b interface{ flush(context.Context) }) {
	if p.seen == nil {
		p.seen = map[any]bool{}
	}
	if !p.seen[b] {
		p.seen[b] = true
		p.batches = append(p.batches, b)
	}
}

// flush starts the reads of the pass.
func (p *pass) flush(ctx context.Context) {
	for _, b := range p.batches {
		b.flush(ctx)
	}
}

// ahead is the look-ahead: for objs, the values of the field of fc (of
// GraphQL type typ, or the field's type when typ is ""), it starts the
// batch of every relation the field's selection asks of them, for all of
// them at once, and goes down the fields without resolver (a connection's
// edges, an edge's node, a plan's items…) to do the same below. Each
// relation's batch runs the look-ahead on its values in turn.
func (l *Loaders) ahead(ctx context.Context, fc *graphql.FieldContext, typ string, objs []any, p *pass) {
	if fc == nil || fc.Child == nil || len(objs) == 0 {
		return
	}
	if typ == "" {
		typ = fc.Field.Definition.Type.Name()
	}
	for _, f := range graphql.CollectFields(graphql.GetOperationContext(ctx), fc.Field.Selections, []string{typ, "Node"}) {
		rel := l.rels.fields[typ+"."+f.Name]
		if rel == nil && (len(f.Selections) == 0 || f.Name == "__typename") {
			continue
		}
		child, err := fc.Child(ctx, f)
		if err != nil {
			continue
		}
		switch {
		case rel != nil:
			if parents := notWithheld(objs, f.Name); len(parents) > 0 {
				rel.start(ctx, l, child, parents, p)
			}
		case !child.IsResolver && !child.IsMethod:
			l.ahead(ctx, child, "", fieldValues(objs, f.Name), p)
		}
	}
}

// aheadOfIDs is the early look-ahead: for the values of the field of fc
// (of GraphQL type typ) known so far by their ids alone, it starts the
// relations their selection asks that are keyed by a value's own id (but
// those in skip, which their fetch reads with them, and those the policy
// withholds from the viewer whatever the value), so that these run
// alongside the values' fetch instead of after it. Values that turn out
// not to exist, or not to be visible, cost their relations' reads, which
// storage filters for the viewer as any other; nothing of them is shown.
func (l *Loaders) aheadOfIDs(ctx context.Context, fc *graphql.FieldContext, typ string, ids []int64, skip []string, p *pass) {
	if fc == nil || fc.Child == nil || len(ids) == 0 {
		return
	}
	if typ == "" {
		typ = fc.Field.Definition.Type.Name()
	}
	v := domain.ViewerFrom(ctx)
	for _, f := range graphql.CollectFields(graphql.GetOperationContext(ctx), fc.Field.Selections, []string{typ, "Node"}) {
		rel := l.rels.fields[typ+"."+f.Name]
		if rel == nil || slices.Contains(skip, f.Name) || domain.WithheldFromAll(v, typ, f.Name) {
			continue
		}
		if child, err := fc.Child(ctx, f); err == nil {
			rel.startIDs(ctx, l, child, ids, p)
		}
	}
}

// lookAhead is the field middleware that runs the look-ahead on what every
// resolver returns, so that the relations its selection asks of the
// objects it returned (a page's members, a group's participants, a
// network's brokers) are read in one batch per relation before the
// objects are marshalled, one after the other. A relation's own values
// need none: its fetch looks ahead when it reads them (batch.fetch).
func lookAhead(ctx context.Context, next graphql.Resolver) (any, error) {
	res, err := next(ctx)
	fc := graphql.GetFieldContext(ctx)
	if err != nil || res == nil || !fc.IsResolver || len(fc.Field.Selections) == 0 {
		return res, err
	}
	l, ok := ctx.Value(loadersKey{}).(*Loaders)
	if !ok || l.rels.fields[fc.Object+"."+fc.Field.Name] != nil {
		return res, err
	}
	p := &pass{}
	l.ahead(ctx, fc, "", objects(res), p)
	p.flush(ctx)
	return res, err
}

// notWithheld leaves out of objs those whose field storage withheld from
// the viewer: their resolver does not run (see withheld in handler.go).
func notWithheld(objs []any, field string) []any {
	out := make([]any, 0, len(objs))
	for _, o := range objs {
		if w, ok := o.(interface{ Withheld(string) error }); ok && w.Withheld(field) != nil {
			continue
		}
		out = append(out, o)
	}
	return out
}

// selects reports whether the selection of fc asks for field name.
func selects(ctx context.Context, fc *graphql.FieldContext, name string) bool {
	for _, f := range graphql.CollectFields(graphql.GetOperationContext(ctx), fc.Field.Selections, nil) {
		if f.Name == name {
			return true
		}
	}
	return false
}

// fieldValues returns the objects held by the Go field that gqlgen binds to
// GraphQL field name (a field without resolver: the exported struct field
// of that name, case aside) in each of objs.
func fieldValues(objs []any, name string) []any {
	var out []any
	for _, o := range objs {
		v := reflect.Indirect(reflect.ValueOf(o))
		if v.Kind() != reflect.Struct {
			continue
		}
		f := v.FieldByNameFunc(func(n string) bool { return strings.EqualFold(n, name) })
		if f.IsValid() && f.CanInterface() {
			out = appendObjects(out, f)
		}
	}
	return out
}

// objects returns the objects of a value: the elements of a list, or the
// value itself; none for nil.
func objects(v any) []any { return appendObjects(nil, reflect.ValueOf(v)) }

func appendObjects(out []any, v reflect.Value) []any {
	switch v.Kind() {
	case reflect.Slice:
		for i := range v.Len() {
			out = appendObjects(out, v.Index(i))
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			out = append(out, v.Interface())
		}
	case reflect.Struct:
		if v.CanAddr() {
			out = append(out, v.Addr().Interface())
		}
	}
	return out
}

// isZero reports whether v is its type's zero value (a nil pointer).
func isZero[V any](v V) bool { return reflect.ValueOf(&v).Elem().IsZero() }
