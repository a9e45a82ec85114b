package graph

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"grappe/domain"
	"grappe/globalid"
	"grappe/graph/model"
)

// relations are the relation and connection fields of the schema, read in
// batches (see relation), built once per resolver. fields indexes them by
// "Type.field" for the look-ahead.
type relations struct {
	r      *Resolver
	fields map[string]starter

	// By id, for root fields, nodes and lists of ids; nodes by global id type.
	member   *relation[any, memberArgs, *domain.Member]
	link     *relation[any, struct{}, *domain.BusinessLink]
	question *relation[any, struct{}, *domain.Question]
	group    *relation[any, struct{}, *domain.WorkingGroup]
	meeting  *relation[any, struct{}, *domain.Meeting]
	plan     *relation[any, struct{}, *domain.ActionPlan]
	tp       *relation[any, struct{}, *domain.Touchpoint]
	training *relation[any, struct{}, *domain.Training]
	show     *relation[any, struct{}, *domain.TradeShow]
	exhib    *relation[any, struct{}, *domain.Exhibitor]
	lead     *relation[any, struct{}, *domain.Lead]
	campaign *relation[any, struct{}, *domain.PurchasingCampaign]
	nodes    map[string]noder

	// What hangs off a member.
	memberTrades *relation[*domain.Member, struct{}, []*domain.Trade]
	contacts     *relation[*domain.Member, struct{}, []*domain.Contact]
	engagement   *relation[*domain.Member, struct{}, *domain.Engagement]
	memberGroups *relation[*domain.Member, pageArgs, *model.WorkingGroupConnection]
	memberLinks  *relation[*domain.Member, linkArgs, *model.MemberBusinessLinkConnection]
	partners     *relation[*domain.Member, pageArgs, *model.MemberConnection]
	touchpoints  *relation[*domain.Member, pageArgs, *model.TouchpointConnection]
	lastTouch    *relation[*domain.Member, struct{}, time.Time]

	// Touchpoints.
	touchMember  *relation[*domain.Touchpoint, memberArgs, *domain.Member]
	touchContact *relation[*domain.Touchpoint, struct{}, *domain.Contact]
	callMember   *relation[*domain.CallListEntry, memberArgs, *domain.Member]
	roi          *relation[*domain.Engagement, struct{}, *domain.EngagementReturn]
	givingMember *relation[*domain.GivingMember, memberArgs, *domain.Member]

	// Trade shows, their exhibitors and leads.
	showExhibitors  *relation[*domain.TradeShow, pageArgs, *model.ExhibitorConnection]
	showLeads       *relation[*domain.TradeShow, pageArgs, *model.LeadConnection]
	exhibitorShow   *relation[*domain.Exhibitor, struct{}, *domain.TradeShow]
	exhibitorMember *relation[*domain.Exhibitor, memberArgs, *domain.Member]
	exhibitorTrades *relation[*domain.Exhibitor, struct{}, []*domain.Trade]
	leadShow        *relation[*domain.Lead, struct{}, *domain.TradeShow]
	leadExhibitor   *relation[*domain.Lead, struct{}, *domain.Exhibitor]
	leadVisitor     *relation[*domain.Lead, memberArgs, *domain.Member]
	leadLink        *relation[*domain.Lead, struct{}, *domain.BusinessLink]

	// Purchasing campaigns.
	purchasing       *relation[*domain.Member, struct{}, *domain.MemberPurchasing]
	campaignGroup    *relation[*domain.PurchasingCampaign, struct{}, *domain.WorkingGroup]
	commitments      *relation[*domain.PurchasingCampaign, pageArgs, *model.CampaignCommitmentConnection]
	commitmentMember *relation[*domain.CampaignCommitment, memberArgs, *domain.Member]

	// Links and trades.
	counterpart                  *relation[*model.MemberBusinessLinkEdge, memberArgs, *domain.Member]
	linkFrom, linkTo, declaredBy *relation[*domain.BusinessLink, memberArgs, *domain.Member]
	tradeMembers                 *relation[*domain.Trade, pageArgs, *model.MemberConnection]

	// Questions, groups, meetings and plans.
	raisedBy      *relation[*domain.Question, memberArgs, *domain.Member]
	supporters    *relation[*domain.Question, struct{}, []*domain.Member]
	supporterIDs  *relation[*domain.Question, struct{}, []int64]
	questionGroup *relation[*domain.Question, struct{}, *domain.WorkingGroup]
	groupQuestion *relation[*domain.WorkingGroup, struct{}, *domain.Question]
	participants  *relation[*domain.WorkingGroup, struct{}, []domain.Participant]
	meetings      *relation[*domain.WorkingGroup, pageArgs, *model.MeetingConnection]
	groupPlan     *relation[*domain.WorkingGroup, struct{}, *domain.ActionPlan]
	participant   *relation[*domain.Participant, memberArgs, *domain.Member]
	meetingGroup  *relation[*domain.Meeting, struct{}, *domain.WorkingGroup]
	attendees     *relation[*domain.Meeting, memberArgs, *domain.Member]
	planGroup     *relation[*domain.ActionPlan, struct{}, *domain.WorkingGroup]
	owner         *relation[*domain.ActionItem, memberArgs, *domain.Member]

	// Trainings.
	registrations     *relation[*domain.Training, pageArgs, *model.MemberConnection]
	trainingAttendees *relation[*domain.Training, memberArgs, *domain.Member]

	// Members named by the objects of other areas.
	viewerMember *relation[*model.Viewer, memberArgs, *domain.Member]
	recommended  *relation[*model.PartnerRecommendation, memberArgs, *domain.Member]
	atRisk       *relation[*domain.AtRiskMember, memberArgs, *domain.Member]
	scored       *relation[*model.ScoredMember, memberArgs, *domain.Member]
	graphMember  *relation[*model.NetworkNode, memberArgs, *domain.Member]
	auditMember  *relation[*domain.AuditEntry, memberArgs, *domain.Member]

	// groupsPage makes the connection of a page of a member's groups.
	groupsPage func(id int64, p *domain.Page[*domain.WorkingGroup]) *model.WorkingGroupConnection
}

// rels returns the resolver's relations, built on first use.
func (r *Resolver) rels() *relations {
	r.relsOnce.Do(func() { r.relations = newRelations(r) })
	return r.relations
}

func newRelations(r *Resolver) *relations {
	s := &relations{r: r}
	g := r.Groups
	s.member = members[any](s, "Member", nil, true)
	s.link = byIDs[any]("BusinessLink", nil, r.Links.LinksByIDs)
	s.link.typ = "BusinessLink"
	s.question = questions[any]("Question", nil, g.QuestionsByIDs)
	s.group = groups[any]("WorkingGroup", nil, g.GroupsByIDs)
	s.meeting = byIDs[any]("Meeting", nil, g.MeetingsByIDs)
	s.meeting.typ = "Meeting"
	s.plan = byIDs[any]("ActionPlan", nil, g.ActionPlansByIDs)
	s.plan.typ = "ActionPlan"
	tp := r.Touchpoints
	s.tp = byIDs[any]("Touchpoint", nil, tp.TouchpointsByIDs)
	s.tp.typ = "Touchpoint"
	// The training service is looked up when a request reads trainings:
	// a resolver may be built without it.
	s.training = byIDs[any]("Training", nil, func(ctx context.Context, ids []int64) (map[int64]*domain.Training, error) {
		return r.Trainings.TrainingsByIDs(ctx, ids)
	})
	s.training.typ, s.training.ownID = "Training", true
	ts := r.TradeShows
	s.show = owned[any]("TradeShow", "TradeShow", nil, ts.TradeShowsByIDs)
	s.exhib = owned[any]("Exhibitor", "Exhibitor", nil, ts.ExhibitorsByIDs)
	s.lead = owned[any]("Lead", "Lead", nil, ts.LeadsByIDs)
	pc := r.Purchasing
	s.campaign = byIDs[any]("PurchasingCampaign", nil, pc.CampaignsByIDs)
	s.campaign.typ = "PurchasingCampaign"

	s.nodes = map[string]noder{
		globalid.TypeMember: s.member, globalid.TypeBusinessLink: s.link, globalid.TypeQuestion: s.question,
		globalid.TypeWorkingGroup: s.group, globalid.TypeMeeting: s.meeting, globalid.TypeActionPlan: s.plan,
		globalid.TypeTouchpoint: s.tp,
		globalid.TypeTraining:   s.training,
		globalid.TypeTradeShow:  s.show, globalid.TypeExhibitor: s.exhib,
		globalid.TypeLead:               s.lead,
		globalid.TypePurchasingCampaign: s.campaign,
	}

	memberID := one(func(m *domain.Member) int64 { return m.ID })
	s.memberTrades = lists("Member.trades", memberID, r.Trades.TradesOfMembers)
	s.contacts = lists("Member.contacts", memberID, r.MemberDetails.ContactsOfMembers)
	s.engagement = byIDs("Member.engagement", memberID, r.MemberDetails.Engagements)
	var groupsPage func(int64, pageArgs, *domain.Page[*domain.WorkingGroup]) *model.WorkingGroupConnection
	s.memberGroups, groupsPage = paged("Member.groups", memberID, g.GroupsOfMembers, g.CountGroupsOfMembers)
	s.groupsPage = func(id int64, p *domain.Page[*domain.WorkingGroup]) *model.WorkingGroupConnection {
		return groupsPage(id, pageArgs{}, p)
	}
	s.partners, _ = paged("Member.partners", memberID, r.Links.MembersPartners, r.Links.CountMembersPartners)
	s.memberLinks = s.newMemberLinks(memberID)
	s.touchpoints, _ = paged("Member.touchpoints", memberID, tp.TouchpointsOfMembers, tp.CountTouchpointsOfMembers)
	s.lastTouch = byIDs("Member.lastTouchpointAt", memberID, tp.LastTouchpoints)
	s.touchMember = members(s, "Touchpoint.member", one(func(t *domain.Touchpoint) int64 { return t.MemberID }), true)
	s.roi = byIDs("Engagement.roi", one(func(e *domain.Engagement) int64 { return e.MemberID }), r.MemberDetails.Returns)
	s.givingMember = members(s, "GivingMember.member", one(func(m *domain.GivingMember) int64 { return m.MemberID }), true)
	s.callMember = members(s, "CallListEntry.member", one(func(e *domain.CallListEntry) int64 { return e.MemberID }), true)
	s.touchContact = byIDs("Touchpoint.contact", maybe(func(t *domain.Touchpoint) *int64 { return t.ContactID }), tp.ContactsByIDs)
	s.purchasing = byIDs("Member.purchasing", memberID, pc.PurchasingOfMembers)
	campaignID := one(func(c *domain.PurchasingCampaign) int64 { return c.ID })
	s.campaignGroup = groups("PurchasingCampaign.group", maybe(func(c *domain.PurchasingCampaign) *int64 { return c.GroupID }), g.GroupsByIDs)
	s.commitments, _ = paged("PurchasingCampaign.commitments", campaignID, pc.CommitmentsOfCampaigns, pc.CountCommitmentsOfCampaigns)
	s.commitmentMember = members(s, "CampaignCommitment.member", one(func(c *domain.CampaignCommitment) int64 { return c.MemberID }), true)
	s.counterpart = members(s, "MemberBusinessLinkEdge.counterpart", one(func(e *model.MemberBusinessLinkEdge) int64 {
		return e.Node.Counterpart(e.MemberID)
	}), true)
	s.tradeMembers, _ = paged("Trade.members", one(func(t *domain.Trade) int64 { return t.ID }), r.Members.MembersOfTrades, r.Members.CountMembersOfTrades)

	s.linkFrom = members(s, "BusinessLink.from", one(func(l *domain.BusinessLink) int64 { return l.FromID }), true)
	s.linkTo = members(s, "BusinessLink.to", one(func(l *domain.BusinessLink) int64 { return l.ToID }), true)
	s.declaredBy = members(s, "BusinessLink.declaredBy", one(func(l *domain.BusinessLink) int64 { return l.DeclaredBy }), true)
	// A link's parties are read together: the three fields start in the
	// same look-ahead pass, so one loader makes them one statement.
	s.linkFrom.share, s.linkTo.share, s.declaredBy.share = "BusinessLink.parties", "BusinessLink.parties", "BusinessLink.parties"

	showID := one(func(t *domain.TradeShow) int64 { return t.ID })
	s.showExhibitors, _ = paged("TradeShow.exhibitors", showID, ts.ExhibitorsOfShows, ts.CountExhibitorsOfShows)
	s.showLeads, _ = paged("TradeShow.leads", showID, ts.LeadsOfShows, ts.CountLeadsOfShows)
	s.exhibitorShow = owned("Exhibitor.tradeShow", "TradeShow", one(func(e *domain.Exhibitor) int64 { return e.TradeShowID }), ts.TradeShowsByIDs)
	s.exhibitorMember = members(s, "Exhibitor.member", maybe(func(e *domain.Exhibitor) *int64 { return e.MemberID }), true)
	s.exhibitorTrades = lists("Exhibitor.trades", one(func(e *domain.Exhibitor) int64 { return e.ID }), ts.TradesOfExhibitors)
	s.leadShow = owned("Lead.tradeShow", "TradeShow", one(func(l *domain.Lead) int64 { return l.TradeShowID }), ts.TradeShowsByIDs)
	s.leadExhibitor = owned("Lead.exhibitor", "Exhibitor", one(func(l *domain.Lead) int64 { return l.ExhibitorID }), ts.ExhibitorsByIDs)
	s.leadVisitor = members(s, "Lead.visitorMember", maybe(func(l *domain.Lead) *int64 { return l.VisitorMemberID }), true)
	s.leadLink = owned("Lead.convertedLink", "BusinessLink", maybe(func(l *domain.Lead) *int64 { return l.ConvertedLinkID }), r.Links.LinksByIDs)

	questionID := one(func(q *domain.Question) int64 { return q.ID })
	s.raisedBy = members(s, "Question.raisedBy", one(func(q *domain.Question) int64 { return q.RaisedBy }), true)
	s.supporters = lists("Question.supporters", questionID, g.SupportersOf)
	s.supporterIDs = lists("Question.viewerHasSupported", questionID, g.SupporterIDs)
	s.supporterIDs.args = func(ctx context.Context, _ *graphql.FieldContext) (struct{}, error) {
		if domain.ViewerFrom(ctx).Role != domain.RoleMember {
			return struct{}{}, errNotAsked // the resolver answers false
		}
		return struct{}{}, nil
	}
	s.questionGroup = groups("Question.group", maybe(func(q *domain.Question) *int64 { return q.GroupID }), g.GroupsByIDs)

	groupID := one(func(w *domain.WorkingGroup) int64 { return w.ID })
	s.groupQuestion = questions("WorkingGroup.question", one(func(w *domain.WorkingGroup) int64 { return w.QuestionID }), g.QuestionsByIDs)
	s.participants = lists("WorkingGroup.participants", groupID, g.Participants)
	s.meetings, _ = paged("WorkingGroup.meetings", groupID, g.MeetingsOfGroups, g.CountMeetingsOfGroups)
	s.groupPlan = byIDs("WorkingGroup.actionPlan", groupID, g.ActionPlansByGroup)
	s.participant = members(s, "Participant.member", one(func(p *domain.Participant) int64 { return p.MemberID }), true)
	s.meetingGroup = groups("Meeting.group", one(func(m *domain.Meeting) int64 { return m.GroupID }), g.GroupsByIDs)
	s.attendees = members(s, "Meeting.attendees", func(m *domain.Meeting) []int64 { return m.AttendeeIDs }, true)
	s.planGroup = groups("ActionPlan.group", one(func(p *domain.ActionPlan) int64 { return p.GroupID }), g.GroupsByIDs)
	s.owner = members(s, "ActionItem.owner", maybe(func(i *domain.ActionItem) *int64 { return i.OwnerID }), true)

	trainingID := one(func(t *domain.Training) int64 { return t.ID })
	s.registrations, _ = paged("Training.registrations", trainingID,
		func(ctx context.Context, ids []int64, p domain.PageRequest) (map[int64]*domain.Page[*domain.Member], error) {
			return r.Trainings.RegistrationsOfTrainings(ctx, ids, p)
		},
		func(ctx context.Context, ids []int64) (map[int64]int, error) {
			return r.Trainings.CountRegistrationsOfTrainings(ctx, ids)
		})
	s.trainingAttendees = members(s, "Training.attendees", func(t *domain.Training) []int64 { return t.AttendeeIDs }, true)

	s.viewerMember = members(s, "Viewer.member", func(v *model.Viewer) []int64 {
		if v.Role != domain.RoleMember || v.MemberID == 0 {
			return nil
		}
		return []int64{v.MemberID}
	}, true)
	s.recommended = members(s, "PartnerRecommendation.member", one(func(p *model.PartnerRecommendation) int64 { return p.MemberID }), false)
	s.atRisk = members(s, "AtRiskMember.member", one(func(m *domain.AtRiskMember) int64 { return m.MemberID }), true)
	s.scored = members(s, "ScoredMember.member", one(func(m *model.ScoredMember) int64 { return m.MemberID }), true)
	s.graphMember = members(s, "NetworkNode.member", one(func(n *model.NetworkNode) int64 { return n.MemberID }), true)
	s.auditMember = members(s, "AuditEntry.member", maybe(func(e *domain.AuditEntry) *int64 { return e.MemberID }), true)

	// The relations keyed by their parent's own id start with the parent's
	// fetch when the parent is known by id (see Loaders.aheadOfIDs).
	s.memberTrades.ofParentID, s.contacts.ofParentID, s.engagement.ofParentID = true, true, true
	s.memberGroups.ofParentID, s.partners.ofParentID, s.memberLinks.ofParentID = true, true, true
	s.touchpoints.ofParentID, s.lastTouch.ofParentID = true, true
	s.showExhibitors.ofParentID, s.showLeads.ofParentID, s.exhibitorTrades.ofParentID = true, true, true
	s.purchasing.ofParentID, s.commitments.ofParentID = true, true
	s.supporters.ofParentID, s.supporterIDs.ofParentID = true, true
	s.participants.ofParentID, s.meetings.ofParentID, s.groupPlan.ofParentID = true, true, true
	s.registrations.ofParentID = true

	s.fields = map[string]starter{}
	for _, f := range []interface {
		starter
		field() string
	}{
		s.memberTrades, s.contacts, s.engagement, s.memberGroups, s.memberLinks, s.partners, s.counterpart, s.tradeMembers,
		s.linkFrom, s.linkTo, s.declaredBy,
		s.raisedBy, s.supporters, s.supporterIDs, s.questionGroup,
		s.groupQuestion, s.participants, s.meetings, s.groupPlan, s.participant,
		s.meetingGroup, s.attendees, s.planGroup, s.owner,
		s.registrations, s.trainingAttendees,
		s.viewerMember, s.recommended, s.atRisk, s.scored, s.graphMember, s.auditMember,
		s.touchpoints, s.lastTouch, s.touchMember, s.touchContact, s.callMember, s.roi, s.givingMember,
		s.showExhibitors, s.showLeads, s.exhibitorShow, s.exhibitorMember, s.exhibitorTrades,
		s.leadShow, s.leadExhibitor, s.leadVisitor, s.leadLink,
		s.purchasing, s.campaignGroup, s.commitments, s.commitmentMember,
	} {
		s.fields[f.field()] = f
	}
	return s
}

// field returns the "Type.field" the relation serves.
func (r *relation[P, A, V]) field() string { return r.name }

// errNotAsked is the args error of a field whose resolver answers without
// reading anything.
var errNotAsked = errors.New("not read ahead")

// byIDs is the relation of a field holding one object by key.
func byIDs[P any, V any](name string, keys func(P) []int64, fetch func(context.Context, []int64) (map[int64]V, error)) *relation[P, struct{}, V] {
	return &relation[P, struct{}, V]{name: name, keys: keys, args: noArgs,
		fetch: func(ctx context.Context, ids []int64, _ struct{}) (map[int64]V, error) { return fetch(ctx, ids) }}
}

// lists is the relation of a list field: a key without a list has an empty one.
func lists[P any, T any](name string, keys func(P) []int64, fetch func(context.Context, []int64) (map[int64][]T, error)) *relation[P, struct{}, []T] {
	r := byIDs(name, keys, fetch)
	r.empty = func(int64, struct{}) []T { return []T{} }
	return r
}

// paged is the relation of a connection of nodes N with first/after
// arguments, its totalCount read by count; it also returns how it makes a
// key's connection from a page.
func paged[P any, N any](name string, keys func(P) []int64,
	fetch func(context.Context, []int64, domain.PageRequest) (map[int64]*domain.Page[N], error),
	count func(context.Context, []int64) (map[int64]int, error),
) (*relation[P, pageArgs, *model.Connection[*model.Edge[N]]], func(int64, pageArgs, *domain.Page[N]) *model.Connection[*model.Edge[N]]) {
	counts := &relation[P, pageArgs, int]{name: name + ".totalCount",
		fetch: func(ctx context.Context, ids []int64, _ pageArgs) (map[int64]int, error) { return count(ctx, ids) }}
	conn := func(id int64, _ pageArgs, p *domain.Page[N]) *model.Connection[*model.Edge[N]] {
		return model.NewConnection(orEmpty(p), func(ctx context.Context) (int, error) { return counts.load(ctx, id, pageArgs{}) })
	}
	return &relation[P, pageArgs, *model.Connection[*model.Edge[N]]]{
		name: name, keys: keys, args: pageArgsOf, count: counts, countArgs: func(pageArgs) pageArgs { return pageArgs{} },
		fetch: func(ctx context.Context, ids []int64, a pageArgs) (map[int64]*model.Connection[*model.Edge[N]], error) {
			pages, err := fetch(ctx, ids, a.request())
			if err != nil {
				return nil, err
			}
			out := make(map[int64]*model.Connection[*model.Edge[N]], len(ids))
			for _, id := range ids {
				out[id] = conn(id, a, pages[id])
			}
			return out, nil
		},
	}, conn
}

// orEmpty returns p, or an empty page for nil.
func orEmpty[N any](p *domain.Page[N]) *domain.Page[N] {
	if p == nil {
		return &domain.Page[N]{}
	}
	return p
}

// members is the relation of a field holding members by key; brief says
// whether a brief member (domain.BriefLacks) may serve it, when its
// selection asks for none of the fields a brief member lacks (not for a
// relation primed with whole members).
func members[P any](s *relations, name string, keys func(P) []int64, brief bool) *relation[P, memberArgs, *domain.Member] {
	return &relation[P, memberArgs, *domain.Member]{name: name, typ: "Member", keys: keys, args: memberArgsOf(brief), fetch: s.readMembers,
		ownID: true, along: memberArgs.along}
}

// groups is the relation of a field holding a working group by id.
func groups[P any](name string, keys func(P) []int64, fetch func(context.Context, []int64) (map[int64]*domain.WorkingGroup, error)) *relation[P, struct{}, *domain.WorkingGroup] {
	r := byIDs(name, keys, fetch)
	r.typ, r.ownID = "WorkingGroup", true
	return r
}

// owned is the relation of a field holding an object of GraphQL type typ
// by its own id, so that the look-ahead starts the relations keyed by its
// id alongside its fetch.
func owned[P any, V any](name, typ string, keys func(P) []int64, fetch func(context.Context, []int64) (map[int64]V, error)) *relation[P, struct{}, V] {
	r := byIDs(name, keys, fetch)
	r.typ, r.ownID = typ, true
	return r
}

// questions is the relation of a field holding a question by id.
func questions[P any](name string, keys func(P) []int64, fetch func(context.Context, []int64) (map[int64]*domain.Question, error)) *relation[P, struct{}, *domain.Question] {
	r := byIDs(name, keys, fetch)
	r.typ, r.ownID = "Question", true
	return r
}

// memberArgs say what a member field's selection asks that is read with
// the members: their contacts, trades and first page of groups; Brief when
// a brief member serves it.
type memberArgs struct {
	Contacts, Trades bool
	Groups           pageArgs
	HasGroups        bool
	Brief            bool
}

// along names the fields of Member that the members' fetch reads with
// them for a.
func (a memberArgs) along() []string {
	var out []string
	if a.Contacts {
		out = append(out, "contacts")
	}
	if a.Trades {
		out = append(out, "trades")
	}
	if a.HasGroups {
		out = append(out, "groups")
	}
	return out
}

// details reports whether the members are read with more than themselves.
func (a memberArgs) details() bool { return a.Contacts || a.Trades || a.HasGroups }

// memberArgsOf reads the selection of a member field.
func memberArgsOf(brief bool) func(context.Context, *graphql.FieldContext) (memberArgs, error) {
	return func(ctx context.Context, fc *graphql.FieldContext) (memberArgs, error) {
		var a memberArgs
		if fc == nil {
			return a, nil
		}
		var groups []graphql.CollectedField
		whole := false
		for _, f := range graphql.CollectFields(graphql.GetOperationContext(ctx), fc.Field.Selections, []string{"Member", "Node"}) {
			switch f.Name {
			case "contacts":
				a.Contacts = true
			case "trades":
				a.Trades = true
			case "groups":
				groups = append(groups, f)
			}
			whole = whole || slices.Contains(domain.BriefLacks, f.Name)
		}
		if len(groups) == 1 && fc.Child != nil { // a first page comes with the member
			if gfc, err := fc.Child(ctx, groups[0]); err == nil {
				if p, err := pageArgsOf(ctx, gfc); err == nil && p.After == "" {
					a.Groups, a.HasGroups = p, true
				}
			}
		}
		a.Brief = brief && !whole
		return a, nil
	}
}

// readMembers reads members ids with what a asks, in one statement, and
// records the details read with them in their relations.
func (s *relations) readMembers(ctx context.Context, ids []int64, a memberArgs) (map[int64]*domain.Member, error) {
	if !a.details() {
		return s.r.Members.MembersByIDs(ctx, ids, a.Brief)
	}
	parts := domain.ProfileParts{Contacts: a.Contacts, Trades: a.Trades, Brief: a.Brief}
	if a.HasGroups {
		req := a.Groups.request()
		parts.Groups = &req
	}
	ds, err := s.r.MemberDetails.MembersWithDetails(ctx, ids, parts)
	if err != nil {
		return nil, err
	}
	l := loadersFrom(ctx)
	out := make(map[int64]*domain.Member, len(ds))
	for id, d := range ds {
		out[id] = d.Member
		if a.Contacts {
			s.contacts.prime(l, id, struct{}{}, append([]*domain.Contact{}, d.Contacts...))
		}
		if a.Trades {
			s.memberTrades.prime(l, id, struct{}{}, append([]*domain.Trade{}, d.Trades...))
		}
		if d.Groups != nil {
			s.memberGroups.prime(l, id, a.Groups, s.groupsPage(id, d.Groups))
		}
	}
	return out, nil
}

// pageArgs are the first/after arguments of a connection, in comparable form.
type pageArgs struct {
	First    int
	HasFirst bool
	After    string
}

// pageArgsOf reads and checks the first/after arguments of a connection field.
func pageArgsOf(_ context.Context, fc *graphql.FieldContext) (pageArgs, error) {
	first, _ := fc.Args["first"].(*int)
	after, _ := fc.Args["after"].(*string)
	a := pageArgs{After: deref(after)}
	if first != nil {
		a.First, a.HasFirst = *first, true
	}
	_, err := a.request().Limit()
	return a, err
}

func (a pageArgs) request() domain.PageRequest {
	p := domain.PageRequest{After: a.After}
	if a.HasFirst {
		first := a.First
		p.First = &first
	}
	return p
}

// linkArgs are the arguments of Member.businessLinks, in comparable form
// (kinds and statuses joined with commas), and how the counterparts its
// edges show are read with the links.
type linkArgs struct {
	Page         pageArgs
	Direction    domain.LinkDirection
	Kinds        string
	Statuses     string
	Counterparts counterparts
}

// counterparts says how the counterparts of links are read with them.
type counterparts int

const (
	noCounterparts    counterparts = iota // not with the links
	briefCounterparts                     // brief members (domain.BriefLacks)
	wholeCounterparts
)

func (a linkArgs) filter() domain.LinkFilter {
	return domain.LinkFilter{Kinds: split[domain.LinkKind](a.Kinds), Statuses: split[domain.LinkStatus](a.Statuses)}
}

// newMemberLinks is the relation of Member.businessLinks. When the edges
// show counterparts and nothing read with members, the counterparts come
// with the links, in the same statement.
func (s *relations) newMemberLinks(keys func(*domain.Member) []int64) *relation[*domain.Member, linkArgs, *model.MemberBusinessLinkConnection] {
	links := s.r.Links
	counts := &relation[*domain.Member, linkArgs, int]{name: "Member.businessLinks.totalCount",
		fetch: func(ctx context.Context, ids []int64, a linkArgs) (map[int64]int, error) {
			return links.CountMembersLinks(ctx, ids, a.Direction, a.filter())
		}}
	countArgs := func(a linkArgs) linkArgs {
		a.Page, a.Counterparts = pageArgs{}, noCounterparts
		return a
	}
	args := func(ctx context.Context, fc *graphql.FieldContext) (linkArgs, error) {
		page, err := pageArgsOf(ctx, fc)
		a := linkArgs{Page: page, Direction: domain.DirectionAny}
		if d, _ := fc.Args["direction"].(*domain.LinkDirection); d != nil {
			a.Direction = *d
		}
		kinds, _ := fc.Args["kinds"].([]domain.LinkKind)
		statuses, _ := fc.Args["statuses"].([]domain.LinkStatus)
		a.Kinds, a.Statuses = join(kinds), join(statuses)
		a.Counterparts = s.counterpartsOf(ctx, fc)
		return a, err
	}
	fetch := func(ctx context.Context, ids []int64, a linkArgs) (map[int64]*model.MemberBusinessLinkConnection, error) {
		var pages map[int64]*domain.Page[*domain.BusinessLink]
		var err error
		if a.Counterparts == noCounterparts {
			pages, err = links.MembersLinks(ctx, ids, a.Direction, a.filter(), a.Page.request())
		} else {
			var cps map[int64]*domain.Member
			pages, cps, err = links.MembersLinksWithCounterparts(ctx, ids, a.Direction, a.filter(), a.Page.request(), a.Counterparts == briefCounterparts)
			l := loadersFrom(ctx)
			for id, p := range pages {
				for _, link := range p.Items {
					c := link.Counterpart(id)
					if m := cps[c]; m != nil {
						s.counterpart.prime(l, c, memberArgs{Brief: true}, m)
						if a.Counterparts == wholeCounterparts {
							s.counterpart.prime(l, c, memberArgs{}, m)
						}
					}
				}
			}
		}
		if err != nil {
			return nil, err
		}
		out := make(map[int64]*model.MemberBusinessLinkConnection, len(ids))
		for _, id := range ids {
			count := func(ctx context.Context) (int, error) { return counts.load(ctx, id, countArgs(a)) }
			out[id] = model.NewMemberBusinessLinkConnection(id, orEmpty(pages[id]), count)
		}
		return out, nil
	}
	return &relation[*domain.Member, linkArgs, *model.MemberBusinessLinkConnection]{
		name: "Member.businessLinks", keys: keys, args: args, fetch: fetch, count: counts, countArgs: countArgs,
	}
}

// counterpartsOf says how the counterparts the businessLinks field of fc
// shows may come with the links: when every counterpart field asks for
// nothing read with members, brief ones when all of them may be brief.
func (s *relations) counterpartsOf(ctx context.Context, fc *graphql.FieldContext) counterparts {
	if fc.Child == nil {
		return noCounterparts
	}
	op := graphql.GetOperationContext(ctx)
	found, brief := false, true
	for _, edges := range graphql.CollectFields(op, fc.Field.Selections, nil) {
		if edges.Name != "edges" {
			continue
		}
		efc, err := fc.Child(ctx, edges)
		if err != nil || efc.Child == nil {
			continue
		}
		for _, f := range graphql.CollectFields(op, edges.Selections, nil) {
			if f.Name != "counterpart" {
				continue
			}
			cfc, err := efc.Child(ctx, f)
			if err != nil {
				continue
			}
			a, _ := s.counterpart.args(ctx, cfc)
			if a.details() {
				return noCounterparts
			}
			found, brief = true, brief && a.Brief
		}
	}
	switch {
	case !found:
		return noCounterparts
	case brief:
		return briefCounterparts
	}
	return wholeCounterparts
}

func join[T ~string](vs []T) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = string(v)
	}
	return strings.Join(s, ",")
}

func split[T ~string](s string) []T {
	if s == "" {
		return nil
	}
	parts := strings.Split(s, ",")
	out := make([]T, len(parts))
	for i, p := range parts {
		out[i] = T(p)
	}
	return out
}
