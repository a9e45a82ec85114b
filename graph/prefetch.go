package graph

import (
	"context"
	"slices"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"grappe/domain"
)

// selectsNodeField reports whether the connection field being resolved
// selects edges.node.<name>. Connection resolvers use it to start a loader
// batch for the whole page at once, so a page costs one statement per
// relationship however the executor schedules the items.
func selectsNodeField(ctx context.Context, name string) bool {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil {
		return false
	}
	return selectsEdgeNodeField(graphql.GetOperationContext(ctx), fc.Field.Selections, name)
}

// hasField reports whether a selection set selects the field name.
func hasField(op *graphql.OperationContext, set ast.SelectionSet, name string) bool {
	return slices.ContainsFunc(graphql.CollectFields(op, set, nil), func(f graphql.CollectedField) bool {
		return f.Name == name
	})
}

// prefetchMembers starts the batched loads that a page of members will
// need, as far as the query selects them.
func (r *Resolver) prefetchMembers(ctx context.Context, members []*domain.Member) {
	if len(members) == 0 {
		return
	}
	ids := make([]int64, len(members))
	for i, m := range members {
		ids[i] = m.ID
	}
	if selectsNodeField(ctx, "trades") {
		r.loaders(ctx).TradesByMember.LoadAllThunk(ctx, ids)
	}
	r.prefetchMemberLinks(ctx, ids)
}

// prefetchTrades loads, for the whole taxonomy at once, what the query
// selects under each trade's members connection: the pages, their members'
// trades and the counts. Each is one batch, however the executor schedules
// the trades.
func (r *Resolver) prefetchTrades(ctx context.Context, trades []*domain.Trade) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Child == nil || len(trades) == 0 {
		return
	}
	op := graphql.GetOperationContext(ctx)
	l := r.loaders(ctx)
	ids := make([]int64, len(trades))
	for i, t := range trades {
		ids[i] = t.ID
	}
	for _, f := range graphql.CollectFields(op, fc.Field.Selections, nil) {
		if f.Name != "members" {
			continue
		}
		if hasField(op, f.Selections, "totalCount") {
			l.MemberCountsByTrade.LoadAllThunk(ctx, ids)
		}
		// The child field context parses the arguments as the resolver will.
		cfc, err := fc.Child(ctx, f)
		if err != nil {
			continue
		}
		first, _ := cfc.Args["first"].(*int)
		after, _ := cfc.Args["after"].(*string)
		n, err := domain.PageRequest{First: first}.Limit()
		if err != nil {
			continue // the resolver reports it
		}
		keys := make([]tradePageKey, len(ids))
		for i, id := range ids {
			keys[i] = tradePageKey{TradeID: id, First: n, After: deref(after)}
		}
		pages, err := l.MembersByTrade.LoadAll(ctx, keys)
		if err != nil || !selectsEdgeNodeField(op, f.Selections, "trades") {
			continue
		}
		var members []int64
		for _, p := range pages {
			for _, m := range p.Items {
				members = append(members, m.ID)
			}
		}
		l.TradesByMember.LoadAllThunk(ctx, members)
	}
}

// selectsEdgeNodeField reports whether a connection selection set selects
// edges.node.<name>.
func selectsEdgeNodeField(op *graphql.OperationContext, conn ast.SelectionSet, name string) bool {
	for _, edges := range graphql.CollectFields(op, conn, nil) {
		if edges.Name != "edges" {
			continue
		}
		for _, node := range graphql.CollectFields(op, edges.Selections, nil) {
			if node.Name == "node" && hasField(op, node.Selections, name) {
				return true
			}
		}
	}
	return false
}

// prefetchMember reads, for the member field of a query (one member by
// id), the member and the relationships its selection needs all at once,
// and primes the request's loaders with them: a member's profile costs the
// time of its slowest statement, not one loader wait per level. The member
// comes with its contacts, trades and first page of groups, and the links
// with their counterparts.
func (r *Resolver) prefetchMember(ctx context.Context, id int64) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Child == nil {
		return
	}
	op := graphql.GetOperationContext(ctx)
	ids := []int64{id}
	p := profileRead{parts: domain.ProfileParts{
		Contacts: hasField(op, fc.Field.Selections, "contacts"),
		Trades:   hasField(op, fc.Field.Selections, "trades"),
	}}
	var groups []graphql.CollectedField
	for _, f := range graphql.CollectFields(op, fc.Field.Selections, nil) {
		if f.Name == "groups" {
			groups = append(groups, f)
		}
	}
	if len(groups) == 1 { // a first page comes with the member
		if cfc, err := fc.Child(ctx, groups[0]); err == nil {
			first, _ := cfc.Args["first"].(*int)
			if after, _ := cfc.Args["after"].(*string); after == nil {
				p.groups = groups[0].Field
				p.groupsKey = newPageKey(id, first, nil)
				req := p.groupsKey.request()
				p.parts.Groups = &req
			}
		}
	}
	var wg sync.WaitGroup
	goSafe(&wg, func() { r.readProfiles(ctx, ids, p) })
	if !domain.WithheldFromAllMembers(domain.ViewerFrom(ctx), "businessLinks") {
		r.prefetchMemberRelations(ctx, &wg, fc, ids, p.groups)
	}
	wg.Wait()
}

// profileRead is what prefetchMember reads with the member: parts, and the
// groups field they serve with its loader key.
type profileRead struct {
	parts     domain.ProfileParts
	groups    *ast.Field
	groupsKey pageKey
}

// prefetchMemberRelations starts in wg the reads of the connections that
// fc, a field returning members ids, selects on them, but field read.
func (r *Resolver) prefetchMemberRelations(ctx context.Context, wg *sync.WaitGroup, fc *graphql.FieldContext, ids []int64, read *ast.Field) {
	op := graphql.GetOperationContext(ctx)
	for _, f := range graphql.CollectFields(op, fc.Field.Selections, nil) {
		if f.Name != "businessLinks" && f.Name != "partners" && f.Name != "groups" || f.Field == read {
			continue
		}
		// The child field context parses the arguments exactly as the
		// field's resolver will receive them, so the keys match.
		cfc, err := fc.Child(ctx, f)
		if err != nil {
			continue
		}
		switch f.Name {
		case "businessLinks":
			r.prefetchBusinessLinks(ctx, wg, op, f, cfc.Args, ids)
		case "partners":
			r.prefetchPartners(ctx, wg, op, f, cfc.Args, ids)
		default:
			first, _ := cfc.Args["first"].(*int)
			after, _ := cfc.Args["after"].(*string)
			goSafe(wg, func() { r.readGroups(ctx, ids, first, after) })
		}
	}
}

// readProfiles reads members ids with the parts p asks for, in one
// statement, and primes the request's loaders with them.
func (r *Resolver) readProfiles(ctx context.Context, ids []int64, p profileRead) {
	ds, err := r.MemberDetails.MembersWithDetails(ctx, ids, p.parts)
	if err != nil {
		return // the resolvers report it
	}
	l := r.loaders(ctx)
	for id, d := range ds {
		l.MemberByID.Prime(id, d.Member)
		if p.parts.Contacts {
			l.ContactsByMember.Prime(id, d.Contacts)
		}
		if p.parts.Trades {
			l.TradesByMember.Prime(id, d.Trades)
		}
		if d.Groups != nil {
			key := p.groupsKey
			key.ID = id
			l.groups.groupsOfMember.Prime(key, d.Groups)
		}
	}
}

// readGroups reads one page of the groups of members ids in one statement
// and primes the request's loader with them.
func (r *Resolver) readGroups(ctx context.Context, ids []int64, first *int, after *string) {
	l := r.loaders(ctx).groups
	req := newPageKey(0, first, after).request()
	pages, err := r.Groups.GroupsOfMembers(ctx, ids, req)
	if err != nil {
		return // the resolver reports it
	}
	for _, id := range ids {
		p := pages[id]
		if p == nil {
			p = &domain.Page[*domain.WorkingGroup]{}
		}
		l.groupsOfMember.Prime(newPageKey(id, first, after), p)
	}
}
