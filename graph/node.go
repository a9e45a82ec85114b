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
	l := r.loaders(ctx)
	switch typ {
	case globalid.TypeMember:
		m, err := l.member(ctx, id)
		if m == nil {
			return nil, err
		}
		return m, nil
	case globalid.TypeBusinessLink:
		link, err := l.links.link(ctx, id)
		if link == nil {
			return nil, err
		}
		return link, nil
	case globalid.TypeTrade:
		tree, err := l.tradeTree(ctx)
		if err != nil {
			return nil, err
		}
		if t := tree.byID[id]; t != nil {
			return t, nil
		}
	case globalid.TypeQuestion, globalid.TypeWorkingGroup, globalid.TypeMeeting, globalid.TypeActionPlan:
		return l.groups.node(ctx, typ, id)
	}
	return nil, nil
}

// nodes fetches several objects; members are batched by the loader.
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
	l := r.loaders(ctx)
	for _, gid := range gids {
		if typ, id, _ := globalid.Decode("ids", gid); typ == globalid.TypeMember {
			l.MemberByID.LoadThunk(ctx, id)
		} else {
			l.groups.startNode(ctx, typ, id)
		}
	}
	out := make([]model.Node, len(gids))
	for i, gid := range gids {
		n, err := r.node(ctx, fmt.Sprintf("ids[%d]", i), gid)
		if err != nil {
			return nil, err
		}
		out[i] = n
	}
	return out, nil
}
