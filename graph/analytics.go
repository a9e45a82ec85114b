package graph

import (
	"context"

	"grappe/domain"
	"grappe/globalid"
	"grappe/graph/model"
)

// membersOf loads members in order, in one statement for all of them.
// Members that do not exist, or that the viewer may not see (storage
// leaves them out), are left out.
func (r *Resolver) membersOf(ctx context.Context, ids []int64) ([]*domain.Member, error) {
	return loadIDs(ctx, r.rels().member, ids, memberArgs{})
}

// linksOf loads links in order, leaving out those the viewer may not see.
func (r *Resolver) linksOf(ctx context.Context, ids []int64) ([]*domain.BusinessLink, error) {
	return loadIDs(ctx, r.rels().link, ids, struct{}{})
}

// loadIDs loads the values of ids through rel, in order, leaving out the
// keys storage left out.
func loadIDs[A comparable, V any](ctx context.Context, rel *relation[any, A, V], ids []int64, a A) ([]V, error) {
	thunks := make([]func() (V, error), len(ids))
	b := batchOf(loadersFrom(ctx), rel)
	for i, id := range ids { // the loader gathers the lists of one level
		thunks[i] = b.get(ctx, key[A]{id, a})
	}
	out := make([]V, 0, len(ids))
	for _, thunk := range thunks {
		v, err := thunk()
		if err != nil {
			return nil, err
		}
		if !isZero(v) {
			out = append(out, v)
		}
	}
	return out, nil
}

// scored maps ranked members.
func scored(xs []domain.ScoredMember) []*model.ScoredMember {
	out := make([]*model.ScoredMember, len(xs))
	for i, x := range xs {
		out[i] = &model.ScoredMember{MemberID: x.MemberID, Score: x.Score}
	}
	return out
}

// community maps a community.
func community(c *domain.Community) *model.Community {
	return &model.Community{ID: c.ID, Size: c.Size, MemberIDs: c.Members, Redaction: c.Redaction}
}

// networkGraph maps the whole graph: the nodes and edges in two slabs, and
// each member's global id encoded once for its edges.
func networkGraph(g domain.NetworkGraph) *model.NetworkGraph {
	out := &model.NetworkGraph{AsOf: g.AsOf, Nodes: make([]*model.NetworkNode, len(g.Nodes)), Edges: make([]*model.NetworkEdge, len(g.Edges))}
	nodes := make([]model.NetworkNode, len(g.Nodes))
	communities := make([]int, len(g.Nodes))
	betweenness := make([]float64, len(g.Nodes))
	ids := make([]string, len(g.Nodes))
	for i, n := range g.Nodes {
		communities[i], betweenness[i] = n.Community, n.Betweenness
		nodes[i] = model.NetworkNode{MemberID: n.MemberID, Degree: n.Degree, PageRank: n.PageRank, Community: &communities[i],
			Broker: n.Broker, Articulation: n.Articulation}
		if g.PathMeasures {
			nodes[i].Betweenness = &betweenness[i]
		}
		ids[i] = globalid.Encode(globalid.TypeMember, n.MemberID)
		out.Nodes[i] = &nodes[i]
	}
	edges := make([]model.NetworkEdge, len(g.Edges))
	for i, e := range g.Edges {
		edges[i] = model.NetworkEdge{From: ids[e.From], To: ids[e.To], Links: e.Links}
		out.Edges[i] = &edges[i]
	}
	return out
}

// intOr returns *p, or def when p is nil.
func intOr(p *int, def int) int {
	if p == nil {
		return def
	}
	return *p
}
