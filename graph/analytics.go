package graph

import (
	"context"
	"errors"

	"github.com/vikstrous/dataloadgen"

	"grappe/domain"
	"grappe/graph/model"
	"grappe/network"
)

// NetworkGraph gives the snapshots of the network graph.
type NetworkGraph interface {
	// Snapshot returns the current snapshot, nil until the first is built.
	Snapshot() *network.Snapshot
	// Measured returns the latest snapshot whose measures are computed.
	Measured() *network.Snapshot
}

// snapshot returns the current network graph, for paths and
// neighbourhoods.
func (r *Resolver) snapshot() (*network.Snapshot, error) {
	if r.Graph == nil {
		return nil, errors.New("no network graph configured")
	}
	return nonNil(r.Graph.Snapshot())
}

// measured returns the latest network graph with its measures computed.
func (r *Resolver) measured() (*network.Snapshot, error) {
	if r.Graph == nil {
		return nil, errors.New("no network graph configured")
	}
	return nonNil(r.Graph.Measured())
}

// nonNil checks a snapshot is built.
func nonNil(s *network.Snapshot) (*network.Snapshot, error) {
	if s == nil {
		return nil, errors.New("the network graph is not built yet")
	}
	return s, nil
}

// membersOf loads members in order through the member loader: one
// statement for all of them. Members the viewer may not see, or that no
// longer exist, are left out.
func (r *Resolver) membersOf(ctx context.Context, ids []int64) ([]*domain.Member, error) {
	ms, err := r.loaders(ctx).MemberByID.LoadAll(ctx, ids)
	var errs dataloadgen.ErrorSlice
	if err != nil && !errors.As(err, &errs) {
		return nil, err
	}
	v := domain.ViewerFrom(ctx)
	out := make([]*domain.Member, 0, len(ids))
	for i, m := range ms {
		if errs != nil && errs[i] != nil {
			if errors.Is(errs[i], dataloadgen.ErrNotFound) {
				continue
			}
			return nil, errs[i]
		}
		if m != nil && domain.CanSeeMember(v, m) {
			out = append(out, m)
		}
	}
	return out, nil
}

// linksOf loads links in order through the link loader.
func (r *Resolver) linksOf(ctx context.Context, ids []int64) ([]*domain.BusinessLink, error) {
	out := make([]*domain.BusinessLink, 0, len(ids))
	thunks := make([]func() (*domain.BusinessLink, error), len(ids))
	loader := r.loaders(ctx).links.byID
	for i, id := range ids {
		thunks[i] = loader.LoadThunk(ctx, id)
	}
	for _, thunk := range thunks {
		l, err := thunk()
		if errors.Is(err, dataloadgen.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, nil
}

// scored maps ranked members.
func scored(xs []network.Scored) []*model.ScoredMember {
	out := make([]*model.ScoredMember, len(xs))
	for i, x := range xs {
		out[i] = &model.ScoredMember{MemberID: x.Member, Score: x.Score}
	}
	return out
}

// measureOf maps a centrality measure.
func measureOf(m model.CentralityMeasure) network.Measure {
	switch m {
	case model.CentralityMeasurePageRank:
		return network.PageRank
	case model.CentralityMeasureBetweenness:
		return network.Betweenness
	case model.CentralityMeasureCloseness:
		return network.Closeness
	}
	return network.Degree
}

// intOr returns *p, or def when p is nil.
func intOr(p *int, def int) int {
	if p == nil {
		return def
	}
	return *p
}

// requirePathMeasures refuses the all-pairs measures (betweenness,
// closeness, average shortest path, diameter) while they are not computed:
// up to network.ExactLimit members they are exact and computed on first
// use; above it they are estimated from sampled pivots in the background,
// and a request never computes them (it would hold the request for
// seconds, and all-pairs would take hours), so it answers UNAVAILABLE until
// the estimates are there.
func requirePathMeasures(s *network.Snapshot, what string) error {
	if s.PathMeasuresReady() {
		return nil
	}
	return domain.Errorf(domain.CodeUnavailable, "%s of a network above %d members is estimated in the background from %d sampled pivots; this network has %d and its estimates are not computed yet",
		what, network.ExactLimit, network.SampleSize, s.NodeCount())
}
