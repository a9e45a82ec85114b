package domain

import (
	"context"
	"time"
)

// Path is a shortest path between two members over CONFIRMED links.
type Path struct {
	Members []int64 // from the first member to the last, both included
	Links   []int64 // Links[i] joins Members[i] and Members[i+1]
}

// Hops returns the number of links of the path.
func (p Path) Hops() int { return len(p.Links) }

// Subgraph is the ego network of a member: the members near it and the
// edges between them.
type Subgraph struct {
	Nodes     []int64    // the member first, then by distance, then by id
	Edges     [][2]int64 // every edge between two nodes, the lower id first
	Truncated bool       // whether maxNodes left out members within the radius
}

// Community is a Louvain community as its viewer may read it.
type Community struct {
	ID   int // 0 for the largest, then by decreasing size
	Size int
	// Members are the community's members, by id; nil when withheld.
	Members []int64
	Redaction
}

// Measures are the centrality measures of one member, with NetworkX 2.8's
// definitions.
type Measures struct {
	Degree           int
	DegreeCentrality float64
	PageRank         float64
	Betweenness      float64
	Closeness        float64
	Clustering       float64
}

// Centrality is a member's place in the network graph.
type Centrality struct {
	Measures
	// Community is nil for a member outside the graph (LAPSED), whose
	// measures are zeros.
	Community *Community
}

// ScoredMember is a member with the score of a ranking.
type ScoredMember struct {
	MemberID int64
	Score    float64
}

// CentralityMeasure is a measure members can be ranked by.
type CentralityMeasure string

// Centrality measures.
const (
	MeasureDegree      CentralityMeasure = "DEGREE" // scored by the degree centrality
	MeasurePageRank    CentralityMeasure = "PAGE_RANK"
	MeasureBetweenness CentralityMeasure = "BETWEENNESS"
	MeasureCloseness   CentralityMeasure = "CLOSENESS"
)

// NetworkGraph is the whole network graph of one snapshot with the
// measures of each node, for drawing it.
type NetworkGraph struct {
	AsOf time.Time
	// Nodes are the ACTIVE members, isolated ones included, by member id.
	Nodes []NetworkNode
	// Edges join two nodes (indexes in Nodes, From < To), once each, by
	// From then To.
	Edges []NetworkEdge
	// PathMeasures says whether the nodes' betweenness is computed: it is
	// 0 and no node is a broker until it is.
	PathMeasures bool
}

// NetworkNode is a node of a NetworkGraph: a member and its measures.
type NetworkNode struct {
	MemberID    int64
	Degree      int
	PageRank    float64
	Community   int     // the Community.ID of the member's community
	Betweenness float64 // normalized; 0 until NetworkGraph.PathMeasures
	// Broker: among the first GraphBrokers(n) members of Network.Brokers.
	Broker bool
	// Articulation: a cut vertex (Network.ArticulationMembers).
	Articulation bool
}

// NetworkEdge is an edge of a NetworkGraph.
type NetworkEdge struct {
	From, To int // indexes in NetworkGraph.Nodes, From < To
	Links    int // the number of CONFIRMED links joining the two members
}

// Recommendations are the partners recommended to a member, best first,
// with the candidate members read to rank them: every recommended member
// is among them.
type Recommendations struct {
	Partners   []Recommendation
	Candidates []*Member
}

// Network is the network graph as a whole, as of one snapshot: every
// method answers from the same one. Measures follow NetworkX 2.8's
// definitions. Betweenness, closeness, the average shortest path and the
// diameter (the path measures) of a graph above the exact limit are
// estimated from sampled pivots in the background; until they are, the
// methods reading them return UNAVAILABLE.
type Network interface {
	// AsOf returns when the graph was built.
	AsOf() time.Time
	// MemberCount returns the number of ACTIVE members (nodes).
	MemberCount() int
	// LinkCount returns the number of linked pairs of members (edges).
	LinkCount() int
	// Density returns the edges over the possible edges.
	Density() float64
	// ComponentCount returns the number of connected components.
	ComponentCount() int
	// LargestComponentSize returns the size of the largest component.
	LargestComponentSize() int
	// AverageDegree returns the average number of partners per member.
	AverageDegree() float64
	// AverageClustering returns the mean local clustering.
	AverageClustering() float64
	// AverageShortestPath returns the mean shortest-path length within the
	// largest component. Returns UNAVAILABLE while it is estimated.
	AverageShortestPath() (float64, error)
	// Diameter returns the longest shortest path within the largest
	// component. Returns UNAVAILABLE while it is estimated.
	Diameter() (int, error)
	// Estimated reports whether the path measures are estimated.
	Estimated() bool
	// SampleSize returns the number of pivots of the estimates, and false
	// when the path measures are exact.
	SampleSize() (int, bool)
	// PathMeasuresAt returns when the path measures were computed, and
	// false until they are.
	PathMeasuresAt() (time.Time, bool)
	// Modularity returns the modularity of the Louvain communities.
	Modularity() float64
	// Communities returns the Louvain communities, largest first.
	Communities() []Community
	// Brokers returns the first members by betweenness, highest first,
	// those with none left out; first defaults to DefaultRanked. Returns
	// BAD_USER_INPUT for first outside 1–MaxRanked, UNAVAILABLE while
	// betweenness is estimated.
	Brokers(first *int) ([]ScoredMember, error)
	// Central returns the first members by measure by, highest first,
	// ties by id; first defaults to DefaultRanked. Returns BAD_USER_INPUT
	// for an unknown measure or first outside 1–MaxRanked, UNAVAILABLE
	// while betweenness or closeness (when by reads them) is estimated.
	Central(by CentralityMeasure, first *int) ([]ScoredMember, error)
	// ArticulationMembers returns the members whose departure would split
	// a component.
	ArticulationMembers() []int64
	// IsolatedMembers returns the ACTIVE members without a CONFIRMED link.
	IsolatedMembers() []int64
	// Graph returns the whole graph with each node's measures. It never
	// computes the path measures: until they are, betweenness is unknown
	// and no node is a broker.
	Graph() NetworkGraph
}

// NetworkService answers the questions of the network graph (SPEC §2) for
// the viewer of a context, under the read policy of SPEC §4: it checks who
// may ask, applies the schema's default to an argument left out (nil),
// checks the ranges of the arguments, and withholds what the viewer may
// not read. The network graph has the ACTIVE members as nodes and one edge
// per pair of members with a CONFIRMED link. A method whose graph is not
// built yet returns an internal error.
type NetworkService interface {
	// CanAskPaths returns FORBIDDEN when the viewer may ask for no path at
	// all (below MEMBER): the API asks it before it reads Path's
	// arguments.
	CanAskPaths(ctx context.Context) error

	// Path returns a shortest path of at most maxHops links (default
	// DefaultPathHops) from member from to member to, nil when there is
	// none or when either member is not ACTIVE. Returns FORBIDDEN unless
	// the viewer is the MEMBER from, an analyst or staff; BAD_USER_INPUT
	// on maxHops outside 1–MaxPathHops.
	Path(ctx context.Context, from, to int64, maxHops *int) (*Path, error)

	// Neighborhood returns the members within radius hops (default
	// DefaultNeighborhoodHops) of member id and the edges between them, at
	// most maxNodes (default DefaultNeighborhoodSize), the closest first.
	// A member outside the graph (LAPSED) has only itself. Returns
	// FORBIDDEN unless the viewer is a member or above; BAD_USER_INPUT on
	// radius outside 1–MaxNeighborhoodHops or maxNodes outside
	// 1–MaxNeighborhoodSize.
	Neighborhood(ctx context.Context, id int64, radius, maxNodes *int) (*Subgraph, error)

	// Centrality returns the measures of member id as of the latest
	// measured graph, with its community, whose members only analysts and
	// staff may read. Returns FORBIDDEN unless the viewer is the member
	// itself, an analyst or staff; UNAVAILABLE while the path measures are
	// estimated.
	Centrality(ctx context.Context, id int64) (*Centrality, error)

	// Network returns the latest measured graph as a whole. Returns
	// FORBIDDEN unless the viewer is an analyst or staff.
	Network(ctx context.Context) (Network, error)

	// RecommendedPartners ranks the partners to recommend to member m
	// (see Recommend), at most first (default DefaultRecommendations): the
	// common partners come from the live graph, the rest from
	// RecommendService's three statements whatever first and the number
	// of candidates. A LAPSED member has none. Returns FORBIDDEN unless
	// the viewer is the member itself, an analyst or staff;
	// BAD_USER_INPUT on first outside 1–MaxRecommendations.
	RecommendedPartners(ctx context.Context, m *Member, first *int) (*Recommendations, error)
}
