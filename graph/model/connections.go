package model

import (
	"context"

	"grappe/domain"
)

// Counter computes a connection's totalCount, only when it is selected.
type Counter func(ctx context.Context) (int, error)

// Connection is a page of edges E, the Relay connection of every list of
// the schema.
type Connection[E any] struct {
	Edges    []E
	PageInfo *PageInfo
	count    Counter
}

// TotalCount returns the number of items in the whole list, counted only
// when the field is selected.
func (c *Connection[E]) TotalCount(ctx context.Context) (int, error) {
	return c.count(ctx)
}

// Edge is a node N in a page, with its cursor.
type Edge[N any] struct {
	Node   N
	cursor func(i int) string // the page's
	index  int
}

// Cursor returns the edge's cursor, made when the field is selected.
func (e *Edge[N]) Cursor() string { return e.cursor(e.index) }

// NewConnection wraps a page of nodes.
func NewConnection[N any](p *domain.Page[N], count Counter) *Connection[*Edge[N]] {
	return newConnection(p, count, func(e Edge[N]) *Edge[N] { return &e })
}

// newConnection wraps a page of nodes, making each edge with edge.
func newConnection[N, E any](p *domain.Page[N], count Counter, edge func(Edge[N]) E) *Connection[E] {
	c := &Connection[E]{Edges: make([]E, len(p.Items)), PageInfo: NewPageInfo(p), count: count}
	for i, n := range p.Items {
		c.Edges[i] = edge(Edge[N]{Node: n, cursor: p.Cursor, index: i})
	}
	return c
}

// The connections and edges of the schema.
type (
	MemberConnection       = Connection[*MemberEdge]
	MemberEdge             = Edge[*domain.Member]
	BusinessLinkConnection = Connection[*BusinessLinkEdge]
	BusinessLinkEdge       = Edge[*domain.BusinessLink]
	QuestionConnection     = Connection[*QuestionEdge]
	QuestionEdge           = Edge[*domain.Question]
	WorkingGroupConnection = Connection[*WorkingGroupEdge]
	WorkingGroupEdge       = Edge[*domain.WorkingGroup]
	MeetingConnection      = Connection[*MeetingEdge]
	MeetingEdge            = Edge[*domain.Meeting]
	ActionPlanConnection   = Connection[*ActionPlanEdge]
	ActionPlanEdge         = Edge[*domain.ActionPlan]
	AuditEntryConnection   = Connection[*AuditEntryEdge]
	AuditEntryEdge         = Edge[*domain.AuditEntry]
	TouchpointConnection   = Connection[*TouchpointEdge]
	TouchpointEdge         = Edge[*domain.Touchpoint]
	CallListConnection     = Connection[*CallListEdge]
	CallListEdge           = Edge[*domain.CallListEntry]
	TrainingConnection     = Connection[*TrainingEdge]
	TrainingEdge           = Edge[*domain.Training]
	TradeShowConnection    = Connection[*TradeShowEdge]
	TradeShowEdge          = Edge[*domain.TradeShow]
	ExhibitorConnection    = Connection[*ExhibitorEdge]
	ExhibitorEdge          = Edge[*domain.Exhibitor]
	LeadConnection         = Connection[*LeadEdge]
	LeadEdge               = Edge[*domain.Lead]

	PurchasingCampaignConnection = Connection[*PurchasingCampaignEdge]
	PurchasingCampaignEdge       = Edge[*domain.PurchasingCampaign]
	CampaignCommitmentConnection = Connection[*CampaignCommitmentEdge]
	CampaignCommitmentEdge       = Edge[*domain.CampaignCommitment]

	MemberBusinessLinkConnection = Connection[*MemberBusinessLinkEdge]
)

// MemberBusinessLinkEdge is one of a member's links; MemberID is that
// member, so that the counterpart is the other party.
type MemberBusinessLinkEdge struct {
	Node     *domain.BusinessLink
	MemberID int64
	cursor   func(i int) string // the page's
	index    int
}

// Cursor returns the edge's cursor, made when the field is selected.
func (e *MemberBusinessLinkEdge) Cursor() string { return e.cursor(e.index) }

// NewMemberBusinessLinkConnection wraps a page of member memberID's links.
func NewMemberBusinessLinkConnection(memberID int64, p *domain.Page[*domain.BusinessLink], count Counter) *MemberBusinessLinkConnection {
	return newConnection(p, count, func(e Edge[*domain.BusinessLink]) *MemberBusinessLinkEdge {
		return &MemberBusinessLinkEdge{Node: e.Node, MemberID: memberID, cursor: e.cursor, index: e.index}
	})
}
