package main

import "strconv"

// PostGraphile's documents for the shapes it can express (shapes.go), with
// the rows, order and page sizes of grappe's. The views of setup.sql give
// it grappe's orders where no indexed column does:
//
//   - grappe_peer.trade_tree: the taxonomy roots first, then by code;
//   - grappe_peer.complements: a trade's complements from either side;
//   - grappe_peer.trade_members: a trade's ACTIVE members, sub-trades
//     included (two levels, as grappe's taxonomy: see the directory);
//   - grappe_peer.member_partners: a member's distinct confirmed partners;
//   - grappe_peer.participants: a group's current participants, lead first,
//     then by joining time and time of support;
//   - grappe_peer.supporters: a question's supporters, raiser first, then by
//     time of support.
//
// Grappe lists meeting attendees by member id, working groups and questions
// newest first, meetings soonest first: PostGraphile's own orderBy does.
// Each document selects its fields in the order of grappe's, so that the
// equivalence test compares the two answers value by value. The shapes
// without a document here say why in shapes.go.
const (
	pgTradeTreeQuery = `query TradeTree {
  allTradeTrees(orderBy: [DEPTH_ASC, CODE_ASC]) {
    nodes {
      code
      tradeByRowId {
        nameEn
        tradeByParentId { code }
        tradesByParentId(orderBy: [CODE_ASC]) { nodes { code } }
        complementsByTradeId(orderBy: [OTHER_ID_ASC, KIND_ASC]) { nodes { kind tradeByOtherId { code } } }
      }
    }
  }
}`
	pgTradeMembersQuery = `query TradeMembers {
  allTradeTrees(orderBy: [DEPTH_ASC, CODE_ASC]) {
    nodes {
      code
      tradeByRowId {
        tradeMembersByTradeId(first: 10, orderBy: [NAME_ASC, MEMBER_ID_ASC]) {
          nodes { memberByMemberId { name memberTradesByMemberId { nodes { tradeByTradeId { code } } } } }
        }
      }
    }
  }
}`
	pgMemberLinksQuery = `query MemberLinks($id: BigInt!) {
  memberByRowId(rowId: $id) {
    name
    memberLinksByOwnerId(first: 20, orderBy: [CREATED_AT_DESC, ROW_ID_DESC]) {
      nodes {
        memberByCounterpartId { name memberTradesByMemberId { nodes { tradeByTradeId { code } } } }
        kind status since
        memberByFromId { name }
        memberByToId { name }
        memberByDeclaredBy { name }
      }
    }
  }
}`
	pgMemberPartnersQuery = `query MemberPartners($id: BigInt!) {
  memberByRowId(rowId: $id) {
    name
    memberPartnersByMemberId(first: 20, orderBy: [PARTNER_NAME_ASC, PARTNER_ID_ASC]) {
      nodes {
        memberByPartnerId {
          name
          memberTradesByMemberId { nodes { tradeByTradeId { code } } }
          memberPartnersByMemberId(first: 5, orderBy: [PARTNER_NAME_ASC, PARTNER_ID_ASC]) { nodes { partnerName } }
        }
      }
    }
  }
}`
	pgMemberGroupsQuery = `query MemberGroups($id: BigInt!) {
  memberByRowId(rowId: $id) {
    name
    currentParticipationsByMemberId(first: 10, orderBy: [FORMED_AT_DESC, GROUP_ID_DESC]) {
      nodes {
        workingGroupByGroupId {
          name status
          questionByQuestionId { text memberByRaisedBy { name } }
          participantsByGroupId(orderBy: [IS_LEAD_DESC, JOINED_AT_ASC, SUPPORTED_AT_ASC, MEMBER_ID_ASC]) {
            nodes { role memberByMemberId { name } }
          }
          meetingsByGroupId(first: 5, orderBy: [STARTS_AT_ASC, ROW_ID_ASC]) { nodes { title startsAt } }
          actionPlanByGroupId { summary }
        }
      }
    }
  }
}`
	pgGroupParticipantsQuery = `query GroupParticipants {
  allWorkingGroups(first: 20, orderBy: [FORMED_AT_DESC, ROW_ID_DESC]) {
    nodes {
      name theme status
      participantsByGroupId(orderBy: [IS_LEAD_DESC, JOINED_AT_ASC, SUPPORTED_AT_ASC, MEMBER_ID_ASC]) {
        nodes {
          role joinedAt
          memberByMemberId {
            name
            memberLinksByOwnerId(first: 5, orderBy: [CREATED_AT_DESC, ROW_ID_DESC]) { nodes { memberByCounterpartId { name } kind } }
          }
        }
      }
    }
  }
}`
	pgGroupMeetingsQuery = `query GroupMeetings {
  allWorkingGroups(first: 20, orderBy: [FORMED_AT_DESC, ROW_ID_DESC]) {
    nodes {
      name
      meetingsByGroupId(first: 10, orderBy: [STARTS_AT_ASC, ROW_ID_ASC]) {
        nodes {
          title startsAt status
          workingGroupByGroupId { name }
          meetingAttendeesByMeetingId(orderBy: [MEMBER_ID_ASC]) { nodes { memberByMemberId { name } } }
        }
      }
      actionPlanByGroupId { summary }
    }
  }
}`
	pgQuestionSupportersQuery = `query QuestionSupporters {
  allQuestions(first: 20, orderBy: [RAISED_AT_DESC, ROW_ID_DESC]) {
    nodes {
      text theme status
      memberByRaisedBy { name }
      supportersByQuestionId(orderBy: [IS_RAISER_DESC, SUPPORTED_AT_ASC, MEMBER_ID_ASC]) {
        nodes { memberByMemberId { name memberTradesByMemberId { nodes { tradeByTradeId { code } } } } }
      }
      workingGroupByQuestionId {
        name
        participantsByGroupId(orderBy: [IS_LEAD_DESC, JOINED_AT_ASC, SUPPORTED_AT_ASC, MEMBER_ID_ASC]) {
          nodes { role memberByMemberId { name } }
        }
      }
    }
  }
}`
	pgLinkPartiesQuery = `query LinkParties {
  allBusinessLinks(first: 20, orderBy: [CREATED_AT_DESC, ROW_ID_DESC]) {
    nodes {
      kind status since
      memberByFromId { name memberTradesByMemberId { nodes { tradeByTradeId { code } } } }
      memberByToId { name memberTradesByMemberId { nodes { tradeByTradeId { code } } } }
      memberByDeclaredBy { name }
    }
  }
}`
	pgMeetingAttendeesQuery = `query MeetingAttendees($id: BigInt!) {
  meetingByRowId(rowId: $id) {
    title status
    workingGroupByGroupId { name questionByQuestionId { text } }
    meetingAttendeesByMeetingId(orderBy: [MEMBER_ID_ASC]) {
      nodes {
        memberByMemberId {
          name
          currentParticipationsByMemberId(first: 5, orderBy: [FORMED_AT_DESC, GROUP_ID_DESC]) {
            nodes { workingGroupByGroupId { name } }
          }
        }
      }
    }
  }
}`
)

// postgraphileShapes returns PostGraphile's documents for the shapes, by
// scenario name.
func postgraphileShapes() map[string]PeerScenario {
	member := func(s Sample) map[string]any { return map[string]any{"id": strconv.FormatInt(s.MemberID, 10)} }
	none := func(Sample) map[string]any { return nil }
	return map[string]PeerScenario{
		"trade-tree":          {Query: pgTradeTreeQuery, Vars: none},
		"trade-members":       {Query: pgTradeMembersQuery, Vars: none},
		"member-links":        {Query: pgMemberLinksQuery, Vars: member},
		"member-partners":     {Query: pgMemberPartnersQuery, Vars: member},
		"member-groups":       {Query: pgMemberGroupsQuery, Vars: member},
		"group-participants":  {Query: pgGroupParticipantsQuery, Vars: none},
		"group-meetings":      {Query: pgGroupMeetingsQuery, Vars: none},
		"question-supporters": {Query: pgQuestionSupportersQuery, Vars: none},
		"link-parties":        {Query: pgLinkPartiesQuery, Vars: none},
		"meeting-attendees": {Query: pgMeetingAttendeesQuery, Vars: func(s Sample) map[string]any {
			return map[string]any{"id": strconv.FormatInt(s.MeetingID, 10)}
		}},
	}
}
