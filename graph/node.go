package graph

import (
	"context"
	"fmt"

	"grappe/domain"
	"grappe/globalid"
	"grappe/graph/model"
)

// maxNodes bounds the ids of one nodes() call.
const maxNodes = domain.MaxPageSize

// node fetches the object of a global id, or nil when there is none.
func (r *Resolver) node(ctx context.Context, field, gid string) (model.Node, error) {
	typ, id, err := globalid.Decode(field, gid)
	if err != nil {
		return nil, err
	}
	return r.nodeThunks(ctx, typ, []int64{id})[0]()
}

// nodes fetches several objects; each type is one batch.
func (r *Resolver) nodes(ctx context.Context, gids []string) ([]model.Node, error) {
	if len(gids) > maxNodes {
		return nil, domain.InvalidField("ids", "at most %d ids, got %d", maxNodes, len(gids))
	}
	var types []string
	ids := map[string][]int64{}
	at := map[string][]int{}
	for i, gid := range gids {
		typ, id, err := globalid.Decode(fmt.Sprintf("ids[%d]", i), gid)
		if err != nil {
			return nil, err
		}
		if _, ok := ids[typ]; !ok {
			types = append(types, typ)
		}
		ids[typ] = append(ids[typ], id)
		at[typ] = append(at[typ], i)
	}
	// Start every load before waiting, so that each type shares one batch.
	thunks := make([]func() (model.Node, error), len(gids))
	for _, typ := range types {
		for j, thunk := range r.nodeThunks(ctx, typ, ids[typ]) {
			thunks[at[typ][j]] = thunk
		}
	}
	out := make([]model.Node, len(gids))
	for i, thunk := range thunks {
		n, err := thunk()
		if err != nil {
			return nil, err
		}
		out[i] = n
	}
	return out, nil
}

// nodeThunks starts loading the objects of type typ and ids, and returns
// the functions that wait for them: nil when there is none or the viewer
// may not read it.
func (r *Resolver) nodeThunks(ctx context.Context, typ string, ids []int64) []func() (model.Node, error) {
	if n := r.rels().nodes[typ]; n != nil {
		return n.nodes(ctx, ids)
	}
	out := make([]func() (model.Node, error), len(ids))
	for i, id := range ids {
		out[i] = func() (model.Node, error) {
			if typ != globalid.TypeTrade {
				return nil, nil
			}
			tree, err := r.loaders(ctx).tradeTree(ctx)
			if err != nil || tree.byID[id] == nil {
				return nil, err
			}
			return tree.byID[id], nil
		}
	}
	return out
}

// A noder loads nodes of one type by id.
type noder interface {
	nodes(ctx context.Context, ids []int64) []func() (model.Node, error)
}

// nodes starts loading the values of keys ids as nodes, and returns the
// functions that wait for them: nil, not a nil pointer, when there is none.
func (r *relation[P, A, V]) nodes(ctx context.Context, ids []int64) []func() (model.Node, error) {
	thunks := r.thunks(ctx, ids)
	out := make([]func() (model.Node, error), len(ids))
	for i, thunk := range thunks {
		out[i] = func() (model.Node, error) {
			v, err := thunk()
			if err != nil || isZero(v) {
				return nil, err
			}
			return v, nil
		}
	}
	return out
}
