package model

import (
	"time"

	"grappe/domain"
)

// MemberPath is a shortest path; its members and links are loaded only
// when selected.
type MemberPath struct {
	Hops      int
	MemberIDs []int64
	LinkIDs   []int64
}

// Subgraph is an ego network; its members are loaded only when selected.
type Subgraph struct {
	NodeIDs   []int64
	Edges     []*SubgraphEdge
	Truncated bool
}

// SubgraphEdge is an edge of a subgraph.
type SubgraphEdge struct {
	FromID, ToID int64
}

// Community is a Louvain community; its members are loaded only when
// selected.
type Community struct {
	ID        int
	Size      int
	MemberIDs []int64
	// Redaction withholds the members from viewers below analysts.
	domain.Redaction
}

// ScoredMember is a member with a score.
type ScoredMember struct {
	MemberID int64
	Score    float64
}

// Network is the network graph of one snapshot; every field reads it.
type Network struct {
	Graph domain.Network
}

// NetworkGraph is the whole network graph, for drawing it.
type NetworkGraph struct {
	AsOf  time.Time
	Nodes []*NetworkNode
	Edges []*NetworkEdge
}

// NetworkNode is a node of the network graph; its member is loaded only
// when selected.
type NetworkNode struct {
	MemberID     int64
	Degree       int
	PageRank     float64
	Community    *int
	Betweenness  *float64 // nil until the path measures are computed
	Broker       bool
	Articulation bool
}

// NetworkEdge is an edge of the network graph, its ends by global id.
type NetworkEdge struct {
	From, To string
	Links    int
}
