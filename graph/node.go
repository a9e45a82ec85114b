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
	return r.nodeThunk(ctx, typ, id)()
}

// nodes fetches several objects; each type is one batch.
func (r *Resolver) nodes(ctx context.Context, gids []string) ([]model.Node, error) {
	if len(gids) > maxNodes {
		return nil, domain.InvalidField("ids", "at most %d ids, got %d", maxNodes, len(gids))
	}
	for i, gid := range gids {
		if _, _, err := globalid.Decode(fmt.Sprintf("ids[%d]", i), gid); err != nil {
			return nil, err
		}
	}
	// Start every load before waiting, so that each type shares one batch.
	thunks := make([]func() (model.Node, error), len(gids))
	for i, gid := range gids {
		typ, id, _ := globalid.Decode("ids", gid)
		thunks[i] = r.nodeThunk(ctx, typ, id)
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

// nodeThunk starts loading the object of type typ and id, and returns a
// function that waits for it: nil when there is none or the viewer may not
// read it.
func (r *Resolver) nodeThunk(ctx context.Context, typ string, id int64) func() (model.Node, error) {
	if n := r.rels().nodes[typ]; n != nil {
		return n.node(ctx, id)
	}
	return func() (model.Node, error) {
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

// A noder loads nodes of one type by id.
type noder interface {
	node(ctx context.Context, id int64) func() (model.Node, error)
}

// node starts loading the value of key id as a node, and returns a function
// that waits for it: nil, not a nil pointer, when there is none.
func (r *relation[P, A, V]) node(ctx context.Context, id int64) func() (model.Node, error) {
	thunk := r.thunk(ctx, id)
	return func() (model.Node, error) {
		v, err := thunk()
		if err != nil || isZero(v) {
			return nil, err
		}
		return v, nil
	}
}
