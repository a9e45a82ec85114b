package graph

import (
	"context"
	"slices"

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
