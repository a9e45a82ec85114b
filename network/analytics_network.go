package network

import (
	"time"

	"grappe/domain"
)

// wholeNetwork is the domain.Network of a measured snapshot.
type wholeNetwork struct{ s *Snapshot }

var _ domain.Network = wholeNetwork{}

// The methods of wholeNetwork are domain.Network's: see there.

func (n wholeNetwork) AsOf() time.Time           { return n.s.AsOf }
func (n wholeNetwork) MemberCount() int          { return n.s.NodeCount() }
func (n wholeNetwork) LinkCount() int            { return n.s.EdgeCount() }
func (n wholeNetwork) Density() float64          { return n.s.Density() }
func (n wholeNetwork) ComponentCount() int       { return n.s.ComponentCount() }
func (n wholeNetwork) LargestComponentSize() int { return n.s.LargestComponentSize() }
func (n wholeNetwork) AverageDegree() float64    { return n.s.AverageDegree() }
func (n wholeNetwork) AverageClustering() float64 {
	return n.s.AverageClustering()
}
func (n wholeNetwork) Estimated() bool                   { return !n.s.Exact() }
func (n wholeNetwork) PathMeasuresAt() (time.Time, bool) { return n.s.PathMeasuresAt() }
func (n wholeNetwork) Modularity() float64               { return n.s.Modularity() }
func (n wholeNetwork) ArticulationMembers() []int64      { return n.s.ArticulationMembers() }
func (n wholeNetwork) IsolatedMembers() []int64          { return n.s.IsolatedMembers() }
func (n wholeNetwork) Graph() domain.NetworkGraph        { return n.s.Whole() }

func (n wholeNetwork) AverageShortestPath() (float64, error) {
	if err := RequirePathMeasures(n.s, "averageShortestPath"); err != nil {
		return 0, err
	}
	return n.s.AverageShortestPath(), nil
}

func (n wholeNetwork) Diameter() (int, error) {
	if err := RequirePathMeasures(n.s, "diameter"); err != nil {
		return 0, err
	}
	return n.s.Diameter(), nil
}

func (n wholeNetwork) SampleSize() (int, bool) {
	if n.s.Exact() {
		return 0, false
	}
	return n.s.SampleSize(), true
}

func (n wholeNetwork) Communities() []domain.Community {
	cs := n.s.Communities()
	out := make([]domain.Community, len(cs))
	for i, c := range cs {
		out[i] = domain.Community{ID: c.ID, Size: len(c.Members), Members: c.Members}
	}
	return out
}

func (n wholeNetwork) Brokers(first *int) ([]domain.ScoredMember, error) {
	k, err := argument("first", first, domain.DefaultRanked, 1, domain.MaxRanked)
	if err != nil {
		return nil, err
	}
	if err := RequirePathMeasures(n.s, "brokers"); err != nil {
		return nil, err
	}
	return scored(n.s.Brokers(k)), nil
}

func (n wholeNetwork) Central(by domain.CentralityMeasure, first *int) ([]domain.ScoredMember, error) {
	m, ok := measures[by]
	if !ok {
		return nil, domain.InvalidField("by", "unknown centrality measure %q", by)
	}
	k, err := argument("first", first, domain.DefaultRanked, 1, domain.MaxRanked)
	if err != nil {
		return nil, err
	}
	if m == Betweenness || m == Closeness {
		if err := RequirePathMeasures(n.s, "central by "+string(by)); err != nil {
			return nil, err
		}
	}
	return scored(n.s.Central(m, k)), nil
}

// measures maps the domain's centrality measures to the snapshot's.
var measures = map[domain.CentralityMeasure]Measure{
	domain.MeasureDegree:      Degree,
	domain.MeasurePageRank:    PageRank,
	domain.MeasureBetweenness: Betweenness,
	domain.MeasureCloseness:   Closeness,
}

// scored maps ranked members.
func scored(xs []Scored) []domain.ScoredMember {
	out := make([]domain.ScoredMember, len(xs))
	for i, x := range xs {
		out[i] = domain.ScoredMember{MemberID: x.Member, Score: x.Score}
	}
	return out
}
