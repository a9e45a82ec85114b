package graph

import (
	"context"
	"net/http"
	"sync"
	"time"

	"grappe/domain"
)

// loaderWait is how long a loader collects keys before fetching a batch:
// the batching of what the look-ahead does not start.
const loaderWait = time.Millisecond

// Loaders batch and cache the reads of one request: a loader per relation
// (made on first use), and the taxonomy and its complements, read once.
type Loaders struct {
	rels *relations

	mu      sync.Mutex
	batches map[any]interface{ clear() }
	args    sync.Map // argsKey → readArgs, see relation.argsOf

	treeOnce sync.Once
	tree     *tradeTree
	treeErr  error

	complementsOnce sync.Once
	complementsAll  map[int64][]*domain.TradeComplement
	complementsErr  error
}

// NewLoaders returns fresh loaders over the resolver's services.
func NewLoaders(r *Resolver) *Loaders {
	return &Loaders{rels: r.rels(), batches: map[any]interface{ clear() }{}}
}

type loadersKey struct{}

// Middleware puts fresh loaders in each request's context.
func (r *Resolver) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		ctx := context.WithValue(req.Context(), loadersKey{}, NewLoaders(r))
		next.ServeHTTP(w, req.WithContext(ctx))
	})
}

// loaders returns the request's loaders.
func (r *Resolver) loaders(ctx context.Context) *Loaders { return loadersFrom(ctx) }

// loadersFrom returns the loaders that Middleware put in ctx.
func loadersFrom(ctx context.Context) *Loaders {
	l, ok := ctx.Value(loadersKey{}).(*Loaders)
	if !ok {
		panic("graph: no loaders in the context: serve through Resolver.Middleware")
	}
	return l
}

// forget empties the caches, so that what a mutation returns, and what
// later mutations of the same request read, reflects its writes.
func (l *Loaders) forget() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, b := range l.batches {
		b.clear()
	}
}

// member loads a member the viewer may see, or nil (storage leaves out
// the others).
func (l *Loaders) member(ctx context.Context, id int64) (*domain.Member, error) {
	return l.rels.member.load(ctx, id, memberArgs{})
}

// startMembers starts loading members ids in one batch, for the member
// loads (Loaders.member, Resolver.membersOf) to come.
func (l *Loaders) startMembers(ctx context.Context, ids []int64) {
	keys := make([]key[memberArgs], len(ids))
	for i, id := range ids {
		keys[i] = key[memberArgs]{ID: id}
	}
	b := batchOf(l, l.rels.member)
	for _, k := range keys {
		b.get(ctx, k)
	}
}

// tradeTree returns the whole taxonomy, read once per request.
func (l *Loaders) tradeTree(ctx context.Context) (*tradeTree, error) {
	l.treeOnce.Do(func() {
		var all []*domain.Trade
		all, l.treeErr = l.rels.r.Trades.Trades(ctx)
		l.tree = newTradeTree(all)
	})
	return l.tree, l.treeErr
}

// tradeTree indexes the taxonomy by id and by parent.
type tradeTree struct {
	all      []*domain.Trade
	byID     map[int64]*domain.Trade
	children map[int64][]*domain.Trade
}

func newTradeTree(all []*domain.Trade) *tradeTree {
	t := &tradeTree{all: all, byID: make(map[int64]*domain.Trade, len(all)), children: map[int64][]*domain.Trade{}}
	for _, tr := range all {
		t.byID[tr.ID] = tr
		if tr.ParentID != nil {
			t.children[*tr.ParentID] = append(t.children[*tr.ParentID], tr)
		}
	}
	return t
}

// complements returns the complements of a trade; all of them are read
// once per request, whatever the number of trades asked about.
func (l *Loaders) complements(ctx context.Context, tradeID int64) ([]*domain.TradeComplement, error) {
	l.complementsOnce.Do(func() { l.complementsAll, l.complementsErr = l.rels.r.TradeWrites.Complements(ctx) })
	if l.complementsErr != nil {
		return nil, l.complementsErr
	}
	if cs := l.complementsAll[tradeID]; cs != nil {
		return cs, nil
	}
	return []*domain.TradeComplement{}, nil
}
