package main

import (
	"grappe/domain"
	"grappe/globalid"
)

// shapeOrder lists the shapes: one scenario per list and relation field a
// client can ask for (issue "One read path: every query shape fast by
// construction"). Each connection and object relation of the schema is
// asked for at least once, two levels deep where the schema nests; the
// workload's scenarios cover the rest (members, member, contacts, trades of
// a member, Member.businessLinks with counterparts, Member.groups, path's
// members, the dashboard's trades and members at risk). Reads use an
// ANALYST token, as the workload's; viewer-pending a MEMBER token, audit-log
// a STAFF one.
var shapeOrder = []string{
	"trade-tree", "trade-members", "member-links", "member-partners", "member-groups",
	"group-participants", "group-meetings", "question-supporters", "link-parties",
	"meeting-attendees", "plan-owners", "viewer-pending", "network-central", "network-members",
	"neighborhood", "recommendations", "engagement", "node", "nodes", "path-links", "audit-log",
}

// The shapes' documents. A comment says when PostGraphile has no document
// for one (see peer_postgraphile_shapes.go for those it has).
var shapes = map[string]scenario{
	// Query.trades, Trade.parent, Trade.children, Trade.complements → trade.
	"trade-tree": {
		Query: `query TradeTree {
  trades {
    code name
    parent { code }
    children { code }
    complements { kind trade { code } }
  }
}`,
	},
	// Query.trades → Trade.members (sub-trades included) → Member.trades.
	"trade-members": {
		Query: `query TradeMembers {
  trades {
    code
    members(first: 10) { edges { node { name trades { code } } } }
  }
}`,
	},
	// Member.businessLinks → edge counterpart (→ trades), BusinessLink.from,
	// to, declaredBy.
	"member-links": {
		Query: `query MemberLinks($id: ID!) {
  member(id: $id) {
    name
    businessLinks(first: 20) {
      edges {
        counterpart { name trades { code } }
        node { kind status since from { name } to { name } declaredBy { name } }
      }
    }
  }
}`,
		Vars: memberVars,
	},
	// Member.partners → Member.partners.
	"member-partners": {
		Query: `query MemberPartners($id: ID!) {
  member(id: $id) {
    name
    partners(first: 20) {
      edges { node { name trades { code } partners(first: 5) { edges { node { name } } } } }
    }
  }
}`,
		Vars: memberVars,
	},
	// Member.groups → WorkingGroup.question (→ raisedBy), participants
	// (→ member), meetings, actionPlan.
	"member-groups": {
		Query: `query MemberGroups($id: ID!) {
  member(id: $id) {
    name
    groups(first: 10) {
      edges { node {
        name status
        question { text raisedBy { name } }
        participants { role member { name } }
        meetings(first: 5) { edges { node { title startsAt } } }
        actionPlan { summary }
      } }
    }
  }
}`,
		Vars: memberVars,
	},
	// Query.groups → participants → member → businessLinks → counterpart.
	"group-participants": {
		Query: `query GroupParticipants {
  groups(first: 20) {
    edges { node {
      name theme status
      participants {
        role joinedAt
        member { name businessLinks(first: 5) { edges { counterpart { name } node { kind } } } }
      }
    } }
  }
}`,
	},
	// Query.groups → meetings → Meeting.group, attendees; actionPlan.
	"group-meetings": {
		Query: `query GroupMeetings {
  groups(first: 20) {
    edges { node {
      name
      meetings(first: 10) { edges { node { title startsAt status group { name } attendees { name } } } }
      actionPlan { summary }
    } }
  }
}`,
	},
	// Query.questions → raisedBy, supporters (→ trades), group → participants.
	"question-supporters": {
		Query: `query QuestionSupporters {
  questions(first: 20) {
    edges { node {
      text theme status
      raisedBy { name }
      supporters { name trades { code } }
      group { name participants { role member { name } } }
    } }
  }
}`,
	},
	// Query.businessLinks → from, to (→ trades), declaredBy.
	"link-parties": {
		Query: `query LinkParties {
  businessLinks(first: 20) {
    edges { node {
      kind status since
      from { name trades { code } }
      to { name trades { code } }
      declaredBy { name }
    } }
  }
}`,
	},
	// A meeting (node) → group → question; attendees → their groups.
	"meeting-attendees": {
		Query: `query MeetingAttendees($id: ID!) {
  node(id: $id) {
    ... on Meeting {
      title status
      group { name question { text } }
      attendees { name groups(first: 5) { edges { node { name } } } }
    }
  }
}`,
		Vars: func(s Sample) map[string]any {
			return map[string]any{"id": globalid.Encode(globalid.TypeMeeting, s.MeetingID)}
		},
	},
	// Query.actionPlans → group (→ question), items → owner (→ trades).
	// Grappe only: the owners are ids inside the items' JSON column, which
	// PostGraphile cannot follow.
	"plan-owners": {
		Query: `query PlanOwners {
  actionPlans(first: 20) {
    edges { node {
      summary publishedAt distributedTo
      group { name question { text } }
      items { title done dueOn owner { name trades { code } } }
    } }
  }
}`,
	},
	// Viewer.member, pendingConfirmations (→ parties), upcomingMeetings
	// (→ group → participants), as a member some links await. Grappe only:
	// the viewer is the token's member, and PostGraphile serves here
	// without authentication.
	"viewer-pending": {
		Role: domain.RoleMember,
		Query: `query ViewerPending {
  viewer {
    role
    member { name }
    pendingConfirmations(first: 20) {
      edges { node { kind since from { name } to { name } declaredBy { name } } }
    }
    upcomingMeetings(first: 10) { title startsAt group { name participants { member { name } } } }
  }
}`,
		Viewer: func(s Sample) int64 { return s.PendingID },
	},
	// Network.central and brokers → member (→ trades). Grappe only, as every
	// analytics shape: PostGraphile serves tables, not graph measures.
	"network-central": {
		Query: `query NetworkCentral {
  network {
    asOf memberCount
    central(by: PAGE_RANK, first: 20) { score member { name trades { code } } }
    brokers(first: 20) { score member { name } }
  }
}`,
	},
	// Network.communities → members, articulationMembers, isolatedMembers:
	// every ACTIVE member of the graph, once per community. Grappe only.
	"network-members": {
		Query: `query NetworkMembers {
  network {
    communities { id size members { name } }
    articulationMembers { name }
    isolatedMembers { name }
  }
}`,
	},
	// Member.neighborhood → nodes (→ trades), edges → from, to. Grappe only.
	"neighborhood": {
		Query: `query Neighborhood($id: ID!) {
  member(id: $id) {
    name
    neighborhood(radius: 2, maxNodes: 100) {
      truncated
      nodes { name trades { code } }
      edges { from { name } to { name } }
    }
  }
}`,
		Vars: memberVars,
	},
	// Member.recommendedPartners → member (→ trades), reasons. Grappe only.
	"recommendations": {
		Query: `query Recommendations($id: ID!) {
  member(id: $id) {
    name
    recommendedPartners(first: 10) {
      score
      member { name trades { code } address { region } }
      reasons { kind detail }
    }
  }
}`,
		Vars: memberVars,
	},
	// Member.engagement, centrality → community. Grappe only.
	"engagement": {
		Query: `query Engagement($id: ID!) {
  member(id: $id) {
    name
    engagement { score meetingsAttended groupsJoined questionsSupported linksDeclaredOrConfirmed lastActivityAt atRisk }
    centrality { degree degreeCentrality pageRank betweenness closeness clustering community { id size } }
  }
}`,
		Vars: memberVars,
	},
	// Query.node of any type, with one relation of each. Grappe only: global
	// ids are grappe's.
	"node": {
		Query: `query Node($id: ID!) {
  node(id: $id) { ...AnyNode }
}
` + anyNode,
		Vars: func(s Sample) map[string]any {
			if len(s.Objects) == 0 {
				return map[string]any{"id": memberID(s.MemberID)}
			}
			return map[string]any{"id": objectID(s.Objects[0])}
		},
	},
	// Query.nodes of mixed types. Grappe only.
	"nodes": {
		Query: `query Nodes($ids: [ID!]!) {
  nodes(ids: $ids) { ...AnyNode }
}
` + anyNode,
		Vars: func(s Sample) map[string]any {
			ids := make([]string, len(s.Objects))
			for i, o := range s.Objects {
				ids[i] = objectID(o)
			}
			return map[string]any{"ids": ids}
		},
	},
	// MemberPath.members (→ trades) and links → from, to, declaredBy.
	// Grappe only.
	"path-links": {
		Query: `query PathLinks($from: ID!, $to: ID!) {
  path(from: $from, to: $to) {
    hops
    members { name trades { code } }
    links { kind since from { name } to { name } declaredBy { name } }
  }
}`,
		Vars: func(s Sample) map[string]any {
			return map[string]any{"from": memberID(s.MemberID), "to": memberID(s.OtherID)}
		},
	},
	// Query.auditLog → member, changes; exportContactData → contact, member,
	// auditEntries → member. STAFF only. Grappe only. A seeded dataset has
	// no audit entries: the write scenario adds some.
	"audit-log": {
		Role: domain.RoleStaff,
		Query: `query AuditLog($contact: ID!) {
  auditLog(first: 20) {
    edges { node { at mutation targetType targetIds member { name } changes { field } } }
  }
  exportContactData(contactId: $contact) {
    contact { name } member { name }
    auditEntries { mutation member { name } }
  }
}`,
		Vars: func(s Sample) map[string]any {
			return map[string]any{"contact": globalid.Encode(globalid.TypeContact, s.ContactID)}
		},
	},
}

// anyNode selects every node type's own field and one relation of it.
const anyNode = `fragment AnyNode on Node {
  id
  ... on Member { name trades { code } }
  ... on Trade { code parent { code } }
  ... on BusinessLink { kind from { name } to { name } }
  ... on Question { text raisedBy { name } }
  ... on WorkingGroup { name question { text } }
  ... on Meeting { title group { name } }
  ... on ActionPlan { summary group { name } }
}`

func memberVars(s Sample) map[string]any { return map[string]any{"id": memberID(s.MemberID)} }

func objectID(o Object) string { return globalid.Encode(o.Type, o.ID) }

func noVars(Sample) map[string]any { return nil }

func init() {
	for _, name := range shapeOrder {
		sc := shapes[name]
		sc.Name = name
		if sc.Role == "" {
			sc.Role = domain.RoleAnalyst
		}
		if sc.Vars == nil {
			sc.Vars = noVars
		}
		scenarios[name] = sc
	}
}
