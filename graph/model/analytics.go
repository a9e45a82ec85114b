package model

import "grappe/domain"

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
