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
	s := r.rels()
	switch typ {
	case globalid.TypeMember:
		return nodeOf(s.member.thunk(ctx, id))
	case globalid.TypeBusinessLink:
		return nodeOf(s.link.thunk(ctx, id))
	case globalid.TypeQuestion:
		return nodeOf(s.question.thunk(ctx, id))
	case globalid.TypeWorkingGroup:
		return nodeOf(s.group.thunk(ctx, id))
	case globalid.TypeMeeting:
		return nodeOf(s.meeting.thunk(ctx, id))
	case globalid.TypeActionPlan:
		return nodeOf(s.plan.thunk(ctx, id))
	case globalid.TypeTrade:
		return func() (model.Node, error) {
			tree, err := r.loaders(ctx).tradeTree(ctx)
			if err != nil {
				return nil, err
			}
			if t := tree.byID[id]; t != nil {
				return t, nil
			}
			return nil, nil
		}
	}
	return func() (model.Node, error) { return nil, nil }
}

// nodeOf turns the thunk of an object into the thunk of a node: nil, not
// a nil pointer, when there is none.
func nodeOf[V any](thunk func() (V, error)) func() (model.Node, error) {
	return func() (model.Node, error) {
		v, err := thunk()
		if err != nil || isZero(v) {
			return nil, err
		}
		return v, nil
	}
}
