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
	op := graphql.GetOperationContext(ctx)
	for _, edges := range graphql.CollectFields(op, fc.Field.Selections, nil) {
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
