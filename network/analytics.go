package network

import (
	"context"
	"errors"

	"grappe/domain"
)

// Source gives the snapshots of the network graph (a Store).
type Source interface {
	// Snapshot returns the current snapshot, nil until the first is built.
	Snapshot() *Snapshot
	// Measured returns the latest snapshot whose measures are computed.
	Measured() *Snapshot
}

// Analytics is the domain.NetworkService over the snapshots of a Source
// and, for recommendations, the database's RecommendService: it answers
// the network questions of the API for the viewer of a context, under the
// read policy of SPEC §4.
type Analytics struct {
	Source      Source
	Recommender domain.RecommendService
}

var _ domain.NetworkService = Analytics{}

// CanAskPaths implements domain.NetworkService.
func (a Analytics) CanAskPaths(ctx context.Context) error {
	v := domain.ViewerFrom(ctx)
	if !v.Role.AtLeast(domain.RoleMember) {
		return domain.CanFindPath(v, 0)
	}
	return nil
}

// Path implements domain.NetworkService.
func (a Analytics) Path(ctx context.Context, from, to int64, maxHops *int) (*domain.Path, error) {
	if err := domain.CanFindPath(domain.ViewerFrom(ctx), from); err != nil {
		return nil, err
	}
	hops, err := argument("maxHops", maxHops, domain.DefaultPathHops, 1, domain.MaxPathHops)
	if err != nil {
		return nil, err
	}
	snap, err := a.snapshot()
	if err != nil {
		return nil, err
	}
	p, ok := snap.ShortestPath(from, to, hops)
	if !ok {
		return nil, nil
	}
	return &domain.Path{Members: p.Members, Links: p.Links}, nil
}

// Neighborhood implements domain.NetworkService.
func (a Analytics) Neighborhood(ctx context.Context, id int64, radius, maxNodes *int) (*domain.Subgraph, error) {
	if err := domain.CanSeeNeighborhood(domain.ViewerFrom(ctx)); err != nil {
		return nil, err
	}
	hops, err := argument("radius", radius, domain.DefaultNeighborhoodHops, 1, domain.MaxNeighborhoodHops)
	if err != nil {
		return nil, err
	}
	size, err := argument("maxNodes", maxNodes, domain.DefaultNeighborhoodSize, 1, domain.MaxNeighborhoodSize)
	if err != nil {
		return nil, err
	}
	snap, err := a.snapshot()
	if err != nil {
		return nil, err
	}
	sub, ok := snap.Neighborhood(id, hops, size)
	if !ok {
		return &domain.Subgraph{Nodes: []int64{id}, Edges: [][2]int64{}}, nil
	}
	return &domain.Subgraph{Nodes: sub.Nodes, Edges: sub.Edges, Truncated: sub.Truncated}, nil
}

// Centrality implements domain.NetworkService.
func (a Analytics) Centrality(ctx context.Context, id int64) (*domain.Centrality, error) {
	v := domain.ViewerFrom(ctx)
	if err := domain.CanSeeCentrality(v, id); err != nil {
		return nil, err
	}
	snap, err := a.measured(ctx)
	if err != nil {
		return nil, err
	}
	if err := RequirePathMeasures(snap, "centrality"); err != nil {
		return nil, err
	}
	m, ok := snap.Node(id)
	if !ok {
		return &domain.Centrality{}, nil
	}
	c := &domain.Community{ID: m.Community, Size: len(m.CommunityMembers), Members: m.CommunityMembers, Redaction: domain.CommunityRedaction(v)}
	if c.Withholds("members") {
		c.Members = nil
	}
	return &domain.Centrality{Measures: m.Measures, Community: c}, nil
}

// Network implements domain.NetworkService.
func (a Analytics) Network(ctx context.Context) (domain.Network, error) {
	if err := domain.CanSeeNetwork(domain.ViewerFrom(ctx)); err != nil {
		return nil, err
	}
	snap, err := a.measured(ctx)
	if err != nil {
		return nil, err
	}
	return wholeNetwork{snap}, nil
}

// argument returns *p, or def when p is nil, after checking that it lies
// within [lo, hi].
func argument(field string, p *int, def, lo, hi int) (int, error) {
	n := def
	if p != nil {
		n = *p
	}
	return n, domain.ValidateRange(field, n, lo, hi)
}

func (a Analytics) snapshot() (*Snapshot, error) {
	if a.Source == nil {
		return nil, errors.New("no network graph configured")
	}
	return built(a.Source.Snapshot())
}

// measured returns the latest measured snapshot, its measures computed
// (see Snapshot.AwaitMeasures).
func (a Analytics) measured(ctx context.Context) (*Snapshot, error) {
	if a.Source == nil {
		return nil, errors.New("no network graph configured")
	}
	snap, err := built(a.Source.Measured())
	if err != nil {
		return nil, err
	}
	if err := snap.AwaitMeasures(ctx); err != nil {
		return nil, err
	}
	return snap, nil
}

// built checks a snapshot is built.
func built(s *Snapshot) (*Snapshot, error) {
	if s == nil {
		return nil, errors.New("the network graph is not built yet")
	}
	return s, nil
}

// RequirePathMeasures refuses the all-pairs measures (betweenness,
// closeness, average shortest path, diameter) while they are not computed:
// up to ExactLimit members they are exact and computed on first use; above
// it they are estimated from sampled pivots in the background, and a
// request never computes them (it would hold the request for seconds, and
// all-pairs would take hours), so it answers UNAVAILABLE until the
// estimates are there.
func RequirePathMeasures(s *Snapshot, what string) error {
	if s.PathMeasuresReady() {
		return nil
	}
	return domain.Errorf(domain.CodeUnavailable, "%s of a network above %d members is estimated in the background from %d sampled pivots; this network has %d and its estimates are not computed yet",
		what, ExactLimit, SampleSize, s.NodeCount())
}
