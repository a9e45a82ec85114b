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

// Analytics answers the network questions of the API for the viewer of a
// context, under the read policy of SPEC §4: it checks who may ask, the
// ranges of the arguments, and withholds what the viewer may not read.
type Analytics struct{ Source Source }

// ViewedCommunity is a member's community as its viewer may read it.
type ViewedCommunity struct {
	ID   int
	Size int
	// Members are the community's members; nil when withheld.
	Members []int64
	domain.Redaction
}

// Centrality is a member's place in the network as its viewer may read it.
type Centrality struct {
	NodeMeasures
	// Community is nil for a member outside the graph (LAPSED).
	Community *ViewedCommunity
}

// Path returns a shortest path of at most maxHops links from member from
// to member to, and false when there is none. Returns FORBIDDEN unless the
// viewer may ask for paths from from (domain.CanFindPath), BAD_USER_INPUT
// for maxHops outside 1–domain.MaxPathHops.
func (a Analytics) Path(ctx context.Context, from, to int64, maxHops int) (Path, bool, error) {
	if err := domain.CanFindPath(domain.ViewerFrom(ctx), from); err != nil {
		return Path{}, false, err
	}
	if err := domain.ValidateRange("maxHops", maxHops, 1, domain.MaxPathHops); err != nil {
		return Path{}, false, err
	}
	snap, err := a.snapshot()
	if err != nil {
		return Path{}, false, err
	}
	p, ok := snap.ShortestPath(from, to, maxHops)
	return p, ok, nil
}

// CanAskPaths returns FORBIDDEN when the viewer may ask for no path at all,
// before its arguments are read.
func (a Analytics) CanAskPaths(ctx context.Context) error {
	v := domain.ViewerFrom(ctx)
	if !v.Role.AtLeast(domain.RoleMember) {
		return domain.CanFindPath(v, 0)
	}
	return nil
}

// Neighborhood returns the members within radius hops of member id (1 to
// domain.MaxNeighborhoodHops) and the edges between them, at most maxNodes
// (1 to domain.MaxNeighborhoodSize). A member outside the graph (LAPSED)
// has only itself. Returns FORBIDDEN unless the viewer is a member or above.
func (a Analytics) Neighborhood(ctx context.Context, id int64, radius, maxNodes int) (Subgraph, error) {
	if err := domain.CanSeeNeighborhood(domain.ViewerFrom(ctx)); err != nil {
		return Subgraph{}, err
	}
	if err := domain.ValidateRange("radius", radius, 1, domain.MaxNeighborhoodHops); err != nil {
		return Subgraph{}, err
	}
	if err := domain.ValidateRange("maxNodes", maxNodes, 1, domain.MaxNeighborhoodSize); err != nil {
		return Subgraph{}, err
	}
	snap, err := a.snapshot()
	if err != nil {
		return Subgraph{}, err
	}
	sub, ok := snap.Neighborhood(id, radius, maxNodes)
	if !ok {
		return Subgraph{Nodes: []int64{id}, Edges: [][2]int64{}}, nil
	}
	return sub, nil
}

// Centrality returns the measures of member id, as of the latest measured
// snapshot; the members of its community only to analysts and staff.
// Returns FORBIDDEN unless the viewer is the member itself, an analyst or
// staff; UNAVAILABLE while the measures of a large graph are estimated.
func (a Analytics) Centrality(ctx context.Context, id int64) (*Centrality, error) {
	v := domain.ViewerFrom(ctx)
	if err := domain.CanSeeCentrality(v, id); err != nil {
		return nil, err
	}
	snap, err := a.measured()
	if err != nil {
		return nil, err
	}
	if err := RequirePathMeasures(snap, "centrality"); err != nil {
		return nil, err
	}
	m, ok := snap.Node(id)
	if !ok {
		return &Centrality{}, nil
	}
	c := &ViewedCommunity{ID: m.Community, Size: len(m.CommunityMembers), Members: m.CommunityMembers, Redaction: domain.CommunityRedaction(v)}
	if c.Withholds("members") {
		c.Members = nil
	}
	m.CommunityMembers = nil
	return &Centrality{NodeMeasures: m, Community: c}, nil
}

// Network returns the latest measured snapshot, for the network as a
// whole. Returns FORBIDDEN unless the viewer is an analyst or staff.
func (a Analytics) Network(ctx context.Context) (*Snapshot, error) {
	if err := domain.CanSeeNetwork(domain.ViewerFrom(ctx)); err != nil {
		return nil, err
	}
	return a.measured()
}

// Live returns the current snapshot, for questions any member may ask of
// the live graph (recommendations).
func (a Analytics) Live() (*Snapshot, error) { return a.snapshot() }

func (a Analytics) snapshot() (*Snapshot, error) {
	if a.Source == nil {
		return nil, errors.New("no network graph configured")
	}
	return built(a.Source.Snapshot())
}

func (a Analytics) measured() (*Snapshot, error) {
	if a.Source == nil {
		return nil, errors.New("no network graph configured")
	}
	return built(a.Source.Measured())
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
