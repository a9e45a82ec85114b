package graph

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/vikstrous/dataloadgen"

	"grappe/domain"
)

// loaderWait is how long a loader collects keys before fetching a batch.
const loaderWait = time.Millisecond

// Loaders batch and cache the lookups of one request, so that a page of N
// members costs one statement per relationship, not N.
type Loaders struct {
	MemberByID     *dataloadgen.Loader[int64, *domain.Member]
	TradesByMember *dataloadgen.Loader[int64, []*domain.Trade]

	links  *linkLoaders
	groups *groupLoaders

	treeOnce sync.Once
	tree     *tradeTree
	treeErr  error
	tradeSvc domain.TradeService
}

// NewLoaders returns fresh loaders over the resolver's services.
func NewLoaders(r *Resolver) *Loaders {
	opt := dataloadgen.WithWait(loaderWait)
	return &Loaders{
		MemberByID:     dataloadgen.NewMappedLoader(r.Members.MembersByIDs, opt),
		TradesByMember: dataloadgen.NewMappedLoader(r.Trades.TradesOfMembers, opt),
		tradeSvc:       r.Trades,
		links:          newLinkLoaders(r),
		groups:         newGroupLoaders(r),
	}
}

type loadersKey struct{}

// Middleware puts fresh loaders in each request's context.
func (r *Resolver) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		ctx := context.WithValue(req.Context(), loadersKey{}, NewLoaders(r))
		next.ServeHTTP(w, req.WithContext(ctx))
	})
}

// loaders returns the request's loaders, or fresh ones outside HTTP.
func (r *Resolver) loaders(ctx context.Context) *Loaders {
	if l, ok := ctx.Value(loadersKey{}).(*Loaders); ok {
		return l
	}
	return NewLoaders(r)
}

// member loads a member the viewer may see, or nil.
func (l *Loaders) member(ctx context.Context, id int64) (*domain.Member, error) {
	m, err := l.MemberByID.Load(ctx, id)
	if errors.Is(err, dataloadgen.ErrNotFound) {
		return nil, nil
	}
	if err != nil || !domain.CanSeeMember(domain.ViewerFrom(ctx), m) {
		return nil, err
	}
	return m, nil
}

// trades loads the trades of a member.
func (l *Loaders) trades(ctx context.Context, memberID int64) ([]*domain.Trade, error) {
	ts, err := l.TradesByMember.Load(ctx, memberID)
	if errors.Is(err, dataloadgen.ErrNotFound) {
		return []*domain.Trade{}, nil
	}
	return ts, err
}

// tradeTree returns the whole taxonomy, read once per request.
func (l *Loaders) tradeTree(ctx context.Context) (*tradeTree, error) {
	l.treeOnce.Do(func() {
		var all []*domain.Trade
		all, l.treeErr = l.tradeSvc.Trades(ctx)
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
