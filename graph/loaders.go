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
	MemberByID          *dataloadgen.Loader[int64, *domain.Member]
	TradesByMember      *dataloadgen.Loader[int64, []*domain.Trade]
	ContactsByMember    *dataloadgen.Loader[int64, []*domain.Contact]
	EngagementByMember  *dataloadgen.Loader[int64, *domain.Engagement]
	MembersByTrade      *dataloadgen.Loader[tradePageKey, *domain.Page[*domain.Member]]
	MemberCountsByTrade *dataloadgen.Loader[int64, int]

	links  *linkLoaders
	groups *groupLoaders

	complementsOnce sync.Once
	complementsAll  map[int64][]*domain.TradeComplement
	complementsErr  error
	tradeWrites     domain.TradeWriteService

	treeOnce sync.Once
	tree     *tradeTree
	treeErr  error
	tradeSvc domain.TradeService
}

// NewLoaders returns fresh loaders over the resolver's services.
func NewLoaders(r *Resolver) *Loaders {
	opt := dataloadgen.WithWait(loaderWait)
	return &Loaders{
		MemberByID:          dataloadgen.NewMappedLoader(r.Members.MembersByIDs, opt),
		TradesByMember:      dataloadgen.NewMappedLoader(r.Trades.TradesOfMembers, opt),
		ContactsByMember:    dataloadgen.NewMappedLoader(r.MemberDetails.ContactsOfMembers, opt),
		EngagementByMember:  dataloadgen.NewMappedLoader(r.MemberDetails.Engagements, opt),
		MembersByTrade:      dataloadgen.NewMappedLoader(pagedByKey(r.Members.MembersOfTrades), opt),
		MemberCountsByTrade: dataloadgen.NewMappedLoader(r.Members.CountMembersOfTrades, opt),
		tradeSvc:            r.Trades,
		tradeWrites:         r.TradeWrites,
		links:               newLinkLoaders(r),
		groups:              newGroupLoaders(r),
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

// member loads a member the viewer may see, or nil (storage leaves out
// the others).
func (l *Loaders) member(ctx context.Context, id int64) (*domain.Member, error) {
	m, err := l.MemberByID.Load(ctx, id)
	if errors.Is(err, dataloadgen.ErrNotFound) {
		return nil, nil
	}
	return m, err
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

// tradePageKey asks for one page of a trade's members; First is already
// resolved to the page size.
type tradePageKey struct {
	TradeID int64
	First   int
	After   string
}

// pagedByKey adapts a service that pages many parents at once with the same
// arguments to a loader over (parent, arguments) keys: one statement per
// distinct arguments, usually one per request.
func pagedByKey[T any](fetch func(context.Context, []int64, domain.PageRequest) (map[int64]*domain.Page[T], error)) func(context.Context, []tradePageKey) (map[tradePageKey]*domain.Page[T], error) {
	type args struct {
		first int
		after string
	}
	return func(ctx context.Context, keys []tradePageKey) (map[tradePageKey]*domain.Page[T], error) {
		groups := map[args][]int64{}
		for _, k := range keys {
			a := args{k.First, k.After}
			groups[a] = append(groups[a], k.TradeID)
		}
		out := make(map[tradePageKey]*domain.Page[T], len(keys))
		for a, ids := range groups {
			first := a.first
			pages, err := fetch(ctx, ids, domain.PageRequest{First: &first, After: a.after})
			if err != nil {
				return nil, err
			}
			for id, p := range pages {
				out[tradePageKey{TradeID: id, First: a.first, After: a.after}] = p
			}
		}
		return out, nil
	}
}

// contacts loads the contacts of a member.
func (l *Loaders) contacts(ctx context.Context, memberID int64) ([]*domain.Contact, error) {
	cs, err := l.ContactsByMember.Load(ctx, memberID)
	if errors.Is(err, dataloadgen.ErrNotFound) {
		return []*domain.Contact{}, nil
	}
	return cs, err
}

// complements returns the complements of a trade; all of them are read
// once per request, whatever the number of trades asked about.
func (l *Loaders) complements(ctx context.Context, tradeID int64) ([]*domain.TradeComplement, error) {
	l.complementsOnce.Do(func() { l.complementsAll, l.complementsErr = l.tradeWrites.Complements(ctx) })
	if l.complementsErr != nil {
		return nil, l.complementsErr
	}
	if cs := l.complementsAll[tradeID]; cs != nil {
		return cs, nil
	}
	return []*domain.TradeComplement{}, nil
}
