package model

import (
	"context"

	"grappe/domain"
)

// Counter computes a connection's totalCount, only when it is selected.
type Counter func(ctx context.Context) (int, error)

// MemberConnection is a page of members.
type MemberConnection struct {
	Edges    []*MemberEdge
	PageInfo *PageInfo
	Count    Counter
}

// MemberEdge is a member in a page, with its cursor.
type MemberEdge struct {
	Cursor string
	Node   *domain.Member
}

// NewMemberConnection wraps a page of members.
func NewMemberConnection(p *domain.Page[*domain.Member], count Counter) *MemberConnection {
	c := &MemberConnection{Edges: make([]*MemberEdge, len(p.Items)), PageInfo: NewPageInfo(p), Count: count}
	for i, n := range p.Items {
		c.Edges[i] = &MemberEdge{Cursor: p.Cursors[i], Node: n}
	}
	return c
}

// BusinessLinkConnection is a page of business links.
type BusinessLinkConnection struct {
	Edges    []*BusinessLinkEdge
	PageInfo *PageInfo
	Count    Counter
}

// BusinessLinkEdge is a link in a page.
type BusinessLinkEdge struct {
	Cursor string
	Node   *domain.BusinessLink
}

// NewBusinessLinkConnection wraps a page of links.
func NewBusinessLinkConnection(p *domain.Page[*domain.BusinessLink], count Counter) *BusinessLinkConnection {
	c := &BusinessLinkConnection{Edges: make([]*BusinessLinkEdge, len(p.Items)), PageInfo: NewPageInfo(p), Count: count}
	for i, n := range p.Items {
		c.Edges[i] = &BusinessLinkEdge{Cursor: p.Cursors[i], Node: n}
	}
	return c
}

// MemberBusinessLinkConnection is a page of one member's links.
type MemberBusinessLinkConnection struct {
	Edges    []*MemberBusinessLinkEdge
	PageInfo *PageInfo
	Count    Counter
}

// MemberBusinessLinkEdge is one of a member's links; MemberID is that
// member, so that the counterpart is the other party.
type MemberBusinessLinkEdge struct {
	Cursor   string
	Node     *domain.BusinessLink
	MemberID int64
}

// NewMemberBusinessLinkConnection wraps a page of member memberID's links.
func NewMemberBusinessLinkConnection(memberID int64, p *domain.Page[*domain.BusinessLink], count Counter) *MemberBusinessLinkConnection {
	c := &MemberBusinessLinkConnection{Edges: make([]*MemberBusinessLinkEdge, len(p.Items)), PageInfo: NewPageInfo(p), Count: count}
	for i, n := range p.Items {
		c.Edges[i] = &MemberBusinessLinkEdge{Cursor: p.Cursors[i], Node: n, MemberID: memberID}
	}
	return c
}

// QuestionConnection is a page of questions.
type QuestionConnection struct {
	Edges    []*QuestionEdge
	PageInfo *PageInfo
	Count    Counter
}

// QuestionEdge is a question in a page.
type QuestionEdge struct {
	Cursor string
	Node   *domain.Question
}

// NewQuestionConnection wraps a page of questions.
func NewQuestionConnection(p *domain.Page[*domain.Question], count Counter) *QuestionConnection {
	c := &QuestionConnection{Edges: make([]*QuestionEdge, len(p.Items)), PageInfo: NewPageInfo(p), Count: count}
	for i, n := range p.Items {
		c.Edges[i] = &QuestionEdge{Cursor: p.Cursors[i], Node: n}
	}
	return c
}

// WorkingGroupConnection is a page of working groups.
type WorkingGroupConnection struct {
	Edges    []*WorkingGroupEdge
	PageInfo *PageInfo
	Count    Counter
}

// WorkingGroupEdge is a group in a page.
type WorkingGroupEdge struct {
	Cursor string
	Node   *domain.WorkingGroup
}

// NewWorkingGroupConnection wraps a page of groups.
func NewWorkingGroupConnection(p *domain.Page[*domain.WorkingGroup], count Counter) *WorkingGroupConnection {
	c := &WorkingGroupConnection{Edges: make([]*WorkingGroupEdge, len(p.Items)), PageInfo: NewPageInfo(p), Count: count}
	for i, n := range p.Items {
		c.Edges[i] = &WorkingGroupEdge{Cursor: p.Cursors[i], Node: n}
	}
	return c
}

// MeetingConnection is a page of meetings.
type MeetingConnection struct {
	Edges    []*MeetingEdge
	PageInfo *PageInfo
	Count    Counter
}

// MeetingEdge is a meeting in a page.
type MeetingEdge struct {
	Cursor string
	Node   *domain.Meeting
}

// NewMeetingConnection wraps a page of meetings.
func NewMeetingConnection(p *domain.Page[*domain.Meeting], count Counter) *MeetingConnection {
	c := &MeetingConnection{Edges: make([]*MeetingEdge, len(p.Items)), PageInfo: NewPageInfo(p), Count: count}
	for i, n := range p.Items {
		c.Edges[i] = &MeetingEdge{Cursor: p.Cursors[i], Node: n}
	}
	return c
}

// ActionPlanConnection is a page of action plans.
type ActionPlanConnection struct {
	Edges    []*ActionPlanEdge
	PageInfo *PageInfo
	Count    Counter
}

// ActionPlanEdge is a plan in a page.
type ActionPlanEdge struct {
	Cursor string
	Node   *domain.ActionPlan
}

// NewActionPlanConnection wraps a page of plans.
func NewActionPlanConnection(p *domain.Page[*domain.ActionPlan], count Counter) *ActionPlanConnection {
	c := &ActionPlanConnection{Edges: make([]*ActionPlanEdge, len(p.Items)), PageInfo: NewPageInfo(p), Count: count}
	for i, n := range p.Items {
		c.Edges[i] = &ActionPlanEdge{Cursor: p.Cursors[i], Node: n}
	}
	return c
}

// AuditEntryConnection is a page of the audit trail.
type AuditEntryConnection struct {
	Edges    []*AuditEntryEdge
	PageInfo *PageInfo
	Count    Counter
}

// AuditEntryEdge is an audit entry in a page.
type AuditEntryEdge struct {
	Cursor string
	Node   *domain.AuditEntry
}

// NewAuditEntryConnection wraps a page of audit entries.
func NewAuditEntryConnection(p *domain.Page[*domain.AuditEntry], count Counter) *AuditEntryConnection {
	c := &AuditEntryConnection{Edges: make([]*AuditEntryEdge, len(p.Items)), PageInfo: NewPageInfo(p), Count: count}
	for i, n := range p.Items {
		c.Edges[i] = &AuditEntryEdge{Cursor: p.Cursors[i], Node: n}
	}
	return c
}
