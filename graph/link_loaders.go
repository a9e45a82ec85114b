package graph

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vikstrous/dataloadgen"

	"grappe/domain"
	"grappe/globalid"
	"grappe/graph/model"
)

// linkLoaders batch the business link lookups of one request. The
// connections nested in a member (businessLinks, partners and their
// totalCount) are keyed by member and the field's arguments; a batch runs
// one statement per distinct set of arguments, whatever the number of
// members.
type linkLoaders struct {
	b domain.LinkService

	byID          *dataloadgen.Loader[int64, *domain.BusinessLink]
	memberLinks   *dataloadgen.Loader[argKey[linkArgs], *domain.Page[*domain.BusinessLink]]
	memberCounts  *dataloadgen.Loader[argKey[linkArgs], int]
	partners      *dataloadgen.Loader[argKey[pageArgs], *domain.Page[*domain.Member]]
	partnerCounts *dataloadgen.Loader[argKey[struct{}], int]

	// brief holds the brief counterparts read with the links of a
	// businessLinks field whose edges show only what a brief member has
	// (domain.BriefLacks), by that field of the query: they serve its
	// counterpart fields alone, never another field asking for the same
	// member.
	briefMu     sync.Mutex
	brief       map[briefKey]*domain.Member
	briefFields map[*ast.Field]bool
}

// briefKey is a counterpart read for one businessLinks field of the query.
type briefKey struct {
	field *ast.Field
	id    int64
}

// keepBrief keeps the brief counterparts read for field.
func (l *linkLoaders) keepBrief(field *ast.Field, members map[int64]*domain.Member) {
	l.briefMu.Lock()
	defer l.briefMu.Unlock()
	if l.brief == nil {
		l.brief = make(map[briefKey]*domain.Member, len(members))
		l.briefFields = map[*ast.Field]bool{}
	}
	l.briefFields[field] = true
	for id, m := range members {
		l.brief[briefKey{field, id}] = m
	}
}

// keptBrief reports whether the counterparts of field were kept brief.
func (l *linkLoaders) keptBrief(field *ast.Field) bool {
	l.briefMu.Lock()
	defer l.briefMu.Unlock()
	return l.briefFields[field]
}

// briefCounterpart returns the brief counterpart id read for the
// businessLinks field enclosing the field being resolved, if any.
func (l *linkLoaders) briefCounterpart(ctx context.Context, id int64) (*domain.Member, bool) {
	l.briefMu.Lock()
	defer l.briefMu.Unlock()
	if l.brief == nil {
		return nil, false
	}
	for fc := graphql.GetFieldContext(ctx); fc != nil; fc = fc.Parent {
		if fc.Field.Field != nil && fc.Field.Name == "businessLinks" {
			m, ok := l.brief[briefKey{fc.Field.Field, id}]
			return m, ok
		}
	}
	return nil, false
}

// newLinkLoaders returns fresh link loaders.
func newLinkLoaders(r *Resolver) *linkLoaders {
	b := r.Links
	opt := dataloadgen.WithWait(loaderWait)
	return &linkLoaders{
		b:    b,
		byID: dataloadgen.NewMappedLoader(r.Links.LinksByIDs, opt),
		memberLinks: dataloadgen.NewLoader(func(ctx context.Context, keys []argKey[linkArgs]) ([]*domain.Page[*domain.BusinessLink], []error) {
			return batchByArgs(keys, func(a linkArgs, ids []int64) (map[int64]*domain.Page[*domain.BusinessLink], error) {
				return b.MembersLinks(ctx, ids, a.Direction, a.filter(), a.Page.request())
			})
		}, opt),
		memberCounts: dataloadgen.NewLoader(func(ctx context.Context, keys []argKey[linkArgs]) ([]int, []error) {
			return batchByArgs(keys, func(a linkArgs, ids []int64) (map[int64]int, error) {
				return b.CountMembersLinks(ctx, ids, a.Direction, a.filter())
			})
		}, opt),
		partners: dataloadgen.NewLoader(func(ctx context.Context, keys []argKey[pageArgs]) ([]*domain.Page[*domain.Member], []error) {
			return batchByArgs(keys, func(a pageArgs, ids []int64) (map[int64]*domain.Page[*domain.Member], error) {
				return b.MembersPartners(ctx, ids, a.request())
			})
		}, opt),
		partnerCounts: dataloadgen.NewLoader(func(ctx context.Context, keys []argKey[struct{}]) ([]int, []error) {
			return batchByArgs(keys, func(_ struct{}, ids []int64) (map[int64]int, error) {
				return b.CountMembersPartners(ctx, ids)
			})
		}, opt),
	}
}

// counterpart loads the counterpart id of a link edge the viewer may see,
// or nil: the brief one read with the links when there is one.
func (l *Loaders) counterpart(ctx context.Context, id int64) (*domain.Member, error) {
	if m, ok := l.links.briefCounterpart(ctx, id); ok {
		return m, nil
	}
	return l.member(ctx, id)
}

// link loads a link the viewer may see, or nil.
func (l *linkLoaders) link(ctx context.Context, id int64) (*domain.BusinessLink, error) {
	link, err := l.byID.Load(ctx, id)
	if errors.Is(err, dataloadgen.ErrNotFound) {
		return nil, nil
	}
	return link, err
}

// argKey is a loader key: a member and the arguments of the field read
// for it.
type argKey[A comparable] struct {
	MemberID int64
	Args     A
}

// batchByArgs groups keys by arguments and fetches each group of members
// at once; an error fails only the keys of its group.
func batchByArgs[A comparable, V any](keys []argKey[A], fetch func(args A, ids []int64) (map[int64]V, error)) ([]V, []error) {
	values, errs := make([]V, len(keys)), make([]error, len(keys))
	groups := map[A][]int{}
	var order []A
	for i, k := range keys {
		if _, ok := groups[k.Args]; !ok {
			order = append(order, k.Args)
		}
		groups[k.Args] = append(groups[k.Args], i)
	}
	for _, args := range order {
		idx := groups[args]
		ids := make([]int64, len(idx))
		for j, i := range idx {
			ids[j] = keys[i].MemberID
		}
		got, err := fetch(args, ids)
		for _, i := range idx {
			if err != nil {
				errs[i] = err
			} else {
				values[i] = got[keys[i].MemberID]
			}
		}
	}
	return values, errs
}

// pageArgs are the first/after arguments of a connection, in comparable form.
type pageArgs struct {
	First    int
	HasFirst bool
	After    string
}

func newPageArgs(first *int, after *string) pageArgs {
	a := pageArgs{After: deref(after)}
	if first != nil {
		a.First, a.HasFirst = *first, true
	}
	return a
}

func (a pageArgs) request() domain.PageRequest {
	p := domain.PageRequest{After: a.After}
	if a.HasFirst {
		first := a.First
		p.First = &first
	}
	return p
}

// linkArgs are the arguments of Member.businessLinks, in comparable form;
// kinds and statuses are joined with commas.
type linkArgs struct {
	Page      pageArgs
	Direction domain.LinkDirection
	Kinds     string
	Statuses  string
}

func newLinkArgs(first *int, after *string, direction *domain.LinkDirection, kinds []domain.LinkKind, statuses []domain.LinkStatus) linkArgs {
	a := linkArgs{Page: newPageArgs(first, after), Direction: domain.DirectionAny, Kinds: join(kinds), Statuses: join(statuses)}
	if direction != nil {
		a.Direction = *direction
	}
	return a
}

// counting returns the arguments without the page, the key of a count.
func (a linkArgs) counting() linkArgs {
	a.Page = pageArgs{}
	return a
}

func (a linkArgs) filter() domain.LinkFilter {
	return domain.LinkFilter{Kinds: split[domain.LinkKind](a.Kinds), Statuses: split[domain.LinkStatus](a.Statuses)}
}

func join[T ~string](vs []T) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = string(v)
	}
	return strings.Join(s, ",")
}

func split[T ~string](s string) []T {
	if s == "" {
		return nil
	}
	parts := strings.Split(s, ",")
	out := make([]T, len(parts))
	for i, p := range parts {
		out[i] = T(p)
	}
	return out
}

// ownedLink is a link listed for member owner (0 outside a member).
type ownedLink struct {
	owner int64
	link  *domain.BusinessLink
}

// partySelection says which members the edges of a link connection show,
// whether any of their trades, and whether a counterpart shows a field a
// brief member lacks (domain.BriefLacks).
type partySelection struct {
	counterpart, from, to, declaredBy, trades, wholeCounterpart bool
}

// selectedParties reads a link connection's selection set.
func selectedParties(op *graphql.OperationContext, conn ast.SelectionSet) partySelection {
	var p partySelection
	for _, edges := range graphql.CollectFields(op, conn, nil) {
		if edges.Name != "edges" {
			continue
		}
		for _, f := range graphql.CollectFields(op, edges.Selections, nil) {
			switch f.Name {
			case "counterpart":
				p.counterpart = true
				p.trades = p.trades || hasField(op, f.Selections, "trades")
				for _, mf := range graphql.CollectFields(op, f.Selections, []string{"Member", "Node"}) {
					p.wholeCounterpart = p.wholeCounterpart || slices.Contains(domain.BriefLacks, mf.Name)
				}
			case "node":
				for _, nf := range graphql.CollectFields(op, f.Selections, nil) {
					switch nf.Name {
					case "from":
						p.from = true
					case "to":
						p.to = true
					case "declaredBy":
						p.declaredBy = true
					default:
						continue
					}
					p.trades = p.trades || hasField(op, nf.Selections, "trades")
				}
			}
		}
	}
	return p
}

func (p partySelection) any() bool { return p.counterpart || p.from || p.to || p.declaredBy }

// ids returns the members of links that the selection shows.
func (p partySelection) ids(links []ownedLink) []int64 {
	var ids []int64
	for _, ol := range links {
		l := ol.link
		if p.counterpart && ol.owner != 0 {
			ids = append(ids, l.Counterpart(ol.owner))
		}
		if p.from {
			ids = append(ids, l.FromID)
		}
		if p.to {
			ids = append(ids, l.ToID)
		}
		if p.declaredBy {
			ids = append(ids, l.DeclaredBy)
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// primeParties starts one batch for the members (and their trades) that
// the edges of links will show, so that they share one statement however
// the executor schedules the edges. Keys already loaded cost nothing.
func (r *Resolver) primeParties(ctx context.Context, p partySelection, links []ownedLink) {
	ids := p.ids(links)
	if len(ids) == 0 {
		return
	}
	l := r.loaders(ctx)
	l.MemberByID.LoadAllThunk(ctx, ids)
	if p.trades {
		l.TradesByMember.LoadAllThunk(ctx, ids)
	}
}

// primeLinkPage primes the members shown by the page of the link
// connection being resolved; owner is the member whose links they are, or 0.
func (r *Resolver) primeLinkPage(ctx context.Context, owner int64, page *domain.Page[*domain.BusinessLink]) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || len(page.Items) == 0 {
		return
	}
	p := selectedParties(graphql.GetOperationContext(ctx), fc.Field.Selections)
	if !p.any() || r.loaders(ctx).links.keptBrief(fc.Field.Field) {
		return
	}
	links := make([]ownedLink, len(page.Items))
	for i, l := range page.Items {
		links[i] = ownedLink{owner: owner, link: l}
	}
	r.primeParties(ctx, p, links)
}

// prefetchMemberLinks reads, before the members of a page are resolved,
// what their businessLinks and partners fields will need, as far as the
// member connection being resolved selects them under edges.node: one
// statement per field, per selected totalCount and per member relationship
// shown in their edges, whatever the page size. It reads them directly
// and primes the loaders, so that the count does not depend on how the
// executor schedules the members; each member's resolver then finds its
// page in the cache.
func (r *Resolver) prefetchMemberLinks(ctx context.Context, ids []int64) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Child == nil || len(ids) == 0 || domain.WithheldFromAllMembers(domain.ViewerFrom(ctx), "businessLinks") {
		return
	}
	op := graphql.GetOperationContext(ctx)
	var wg sync.WaitGroup
	for _, edges := range graphql.CollectFields(op, fc.Field.Selections, nil) {
		if edges.Name != "edges" {
			continue
		}
		efc, err := fc.Child(ctx, edges)
		if err != nil || efc.Child == nil {
			continue
		}
		for _, node := range graphql.CollectFields(op, edges.Selections, nil) {
			if node.Name != "node" {
				continue
			}
			nfc, err := efc.Child(ctx, node)
			if err != nil || nfc.Child == nil {
				continue
			}
			for _, f := range graphql.CollectFields(op, node.Selections, nil) {
				if f.Name != "businessLinks" && f.Name != "partners" {
					continue
				}
				// The child field context parses the arguments exactly as the
				// field's resolver will receive them, so the keys match.
				cfc, err := nfc.Child(ctx, f)
				if err != nil {
					continue
				}
				if f.Name == "businessLinks" {
					r.prefetchBusinessLinks(ctx, &wg, op, f, cfc.Args, ids)
				} else {
					r.prefetchPartners(ctx, &wg, op, f, cfc.Args, ids)
				}
			}
		}
	}
	wg.Wait()
}

// prefetchBusinessLinks reads one businessLinks field for ids, in wg.
func (r *Resolver) prefetchBusinessLinks(ctx context.Context, wg *sync.WaitGroup, op *graphql.OperationContext, f graphql.CollectedField, args map[string]any, ids []int64) {
	first, _ := args["first"].(*int)
	after, _ := args["after"].(*string)
	direction, _ := args["direction"].(*domain.LinkDirection)
	kinds, _ := args["kinds"].([]domain.LinkKind)
	statuses, _ := args["statuses"].([]domain.LinkStatus)
	a := newLinkArgs(first, after, direction, kinds, statuses)
	links := r.loaders(ctx).links
	parties := selectedParties(op, f.Selections)
	// The counterparts, the party most shown, come with the links; brief
	// ones when the query shows no more of them.
	withCounterparts := parties.counterpart && !parties.from && !parties.to && !parties.declaredBy
	brief := withCounterparts && !parties.wholeCounterpart
	goSafe(wg, func() {
		var pages map[int64]*domain.Page[*domain.BusinessLink]
		var counterparts map[int64]*domain.Member
		var err error
		if withCounterparts {
			pages, counterparts, err = links.b.MembersLinksWithCounterparts(ctx, ids, a.Direction, a.filter(), a.Page.request(), brief)
		} else {
			pages, err = links.b.MembersLinks(ctx, ids, a.Direction, a.filter(), a.Page.request())
		}
		if err != nil {
			return // each member's resolver reports its own error
		}
		var owned []ownedLink
		for _, id := range ids {
			if pages[id] == nil {
				continue
			}
			links.memberLinks.Prime(argKey[linkArgs]{MemberID: id, Args: a}, pages[id])
			for _, l := range pages[id].Items {
				owned = append(owned, ownedLink{owner: id, link: l})
			}
		}
		switch {
		case brief:
			links.keepBrief(f.Field, counterparts)
			if parties.trades {
				r.readTrades(ctx, parties.ids(owned))
			}
		case withCounterparts:
			l := r.loaders(ctx)
			for id, m := range counterparts {
				l.MemberByID.Prime(id, m)
			}
			if parties.trades {
				r.readTrades(ctx, parties.ids(owned))
			}
		case parties.any():
			r.readMembers(ctx, parties.ids(owned), parties.trades)
		}
	})
	if hasField(op, f.Selections, "totalCount") {
		goSafe(wg, func() {
			counts, err := links.b.CountMembersLinks(ctx, ids, a.Direction, a.filter())
			if err != nil {
				return
			}
			for _, id := range ids {
				links.memberCounts.Prime(argKey[linkArgs]{MemberID: id, Args: a.counting()}, counts[id])
			}
		})
	}
}

// prefetchPartners reads one partners field for ids, in wg.
func (r *Resolver) prefetchPartners(ctx context.Context, wg *sync.WaitGroup, op *graphql.OperationContext, f graphql.CollectedField, args map[string]any, ids []int64) {
	first, _ := args["first"].(*int)
	after, _ := args["after"].(*string)
	a := newPageArgs(first, after)
	links := r.loaders(ctx).links
	goSafe(wg, func() {
		pages, err := links.b.MembersPartners(ctx, ids, a.request())
		if err != nil {
			return
		}
		var partnerIDs []int64
		for _, id := range ids {
			if pages[id] == nil {
				continue
			}
			links.partners.Prime(argKey[pageArgs]{MemberID: id, Args: a}, pages[id])
			for _, m := range pages[id].Items {
				partnerIDs = append(partnerIDs, m.ID)
			}
		}
		if selectsEdgeNodeField(op, f.Selections, "trades") {
			slices.Sort(partnerIDs)
			r.readTrades(ctx, slices.Compact(partnerIDs))
		}
	})
	if hasField(op, f.Selections, "totalCount") {
		goSafe(wg, func() {
			counts, err := links.b.CountMembersPartners(ctx, ids)
			if err != nil {
				return
			}
			for _, id := range ids {
				links.partnerCounts.Prime(argKey[struct{}]{MemberID: id}, counts[id])
			}
		})
	}
}

// readMembers reads members ids (and their trades) in one statement each
// and primes the request's loaders with them.
func (r *Resolver) readMembers(ctx context.Context, ids []int64, trades bool) {
	if len(ids) == 0 {
		return
	}
	var wg sync.WaitGroup
	goSafe(&wg, func() {
		ms, err := r.Members.MembersByIDs(ctx, ids)
		if err != nil {
			return
		}
		l := r.loaders(ctx)
		for id, m := range ms {
			l.MemberByID.Prime(id, m)
		}
	})
	if trades {
		goSafe(&wg, func() { r.readTrades(ctx, ids) })
	}
	wg.Wait()
}

// readTrades reads the trades of members ids in one statement and primes
// the request's loader with them.
func (r *Resolver) readTrades(ctx context.Context, ids []int64) {
	if len(ids) == 0 {
		return
	}
	ts, err := r.Trades.TradesOfMembers(ctx, ids)
	if err != nil {
		return
	}
	l := r.loaders(ctx)
	for _, id := range ids {
		if ts[id] == nil {
			ts[id] = []*domain.Trade{}
		}
		l.TradesByMember.Prime(id, ts[id])
	}
}

// goSafe runs f in wg. A panic in f only loses the prefetch: the resolvers
// then load what they need themselves and report the failure.
func goSafe(wg *sync.WaitGroup, f func()) {
	wg.Go(func() {
		defer func() { _ = recover() }()
		f()
	})
}

// linkFilter converts the GraphQL link filter.
func linkFilter(f *model.BusinessLinkFilter) (domain.LinkFilter, error) {
	if f == nil {
		return domain.LinkFilter{}, nil
	}
	memberIDs, err := decodeIDs("filter.memberIds", globalid.TypeMember, f.MemberIds)
	if err != nil {
		return domain.LinkFilter{}, err
	}
	return domain.LinkFilter{
		MemberIDs: memberIDs, Kinds: f.Kinds, Statuses: f.Statuses, Origins: f.Origins,
		SinceAfter: f.SinceAfter, SinceBefore: f.SinceBefore,
	}, nil
}

// linkInput converts declareBusinessLink's input.
func linkInput(in model.DeclareBusinessLinkInput) (domain.LinkInput, error) {
	from, err := globalid.DecodeAs("fromId", globalid.TypeMember, in.FromID)
	if err != nil {
		return domain.LinkInput{}, err
	}
	to, err := globalid.DecodeAs("toId", globalid.TypeMember, in.ToID)
	if err != nil {
		return domain.LinkInput{}, err
	}
	out := domain.LinkInput{FromID: from, ToID: to, Kind: in.Kind, Since: in.Since, Note: deref(in.Note)}
	if in.VolumeBand != nil {
		out.VolumeBand = *in.VolumeBand
	}
	if in.Origin != nil {
		out.Origin = *in.Origin
	}
	return out, nil
}
