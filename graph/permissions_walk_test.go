package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2/ast"

	"grappe/demo"
	"grappe/domain"
	"grappe/globalid"
	"grappe/graph"
	"grappe/graph/generated"
)

// The permission walk builds, from the executable schema, every path from
// Query that reaches a Member, BusinessLink or Contact within walkHops
// relations, runs each as every viewer on the demo network, and judges every
// value and every error of the responses against SPEC §4 with the rule
// tables below. A field the tables do not know fails the test, so a field
// added later is judged as soon as a rule says how.
//
// Each path's document selects ids along the way and every scalar of the
// object it ends on; the scalars of the objects along the way are judged in
// the documents of the shorter paths, which ask for the same pages. A
// refused non-null field nulls its object: its error is judged from the
// object found in a shorter path's answer. A path under a relation the
// viewer may never read, whose refusal was judged clean, is not run again.
// Paths the viewer may read all along, and those starting at a nullable
// field (node, member, nodes' items, path), share documents; the others
// have one each.

// walkHops is how many relations a path follows below its Query field.
// Stepping through a connection (edges, node, an edge's fields) is free.
const walkHops = 3

// shallowRoots follow one relation only: the same objects are walked
// further through nodes(ids:).
var shallowRoots = map[string]bool{"node": true, "member": true}

// fieldRule says who may read a field of an object they can see.
type fieldRule int

const (
	// open: whoever sees the enclosing object (for Member: the directory).
	open fieldRule = iota + 1
	// membersOnly: MEMBER tokens (ACTIVE or LAPSED member), ANALYST, STAFF.
	membersOnly
	// selfOnly: a MEMBER token on its own member; ANALYST, STAFF.
	selfOnly
	// analystOnly: ANALYST and STAFF.
	analystOnly
	// staffOnly: STAFF.
	staffOnly
	// partiesOnly: a MEMBER token on a link it is a party to; ANALYST, STAFF.
	partiesOnly
	// pathFromSelf: Query.path, a MEMBER token only with from = itself;
	// ANALYST and STAFF from anyone.
	pathFromSelf
	// campaignRunners: a MEMBER token leading the campaign's group;
	// ANALYST, STAFF.
	campaignRunners
)

func (r fieldRule) String() string {
	return map[fieldRule]string{open: "open", membersOnly: "members-only", selfOnly: "self-only",
		analystOnly: "analyst-only", staffOnly: "staff-only", partiesOnly: "parties-only", pathFromSelf: "path-from-self"}[r]
}

// walkRules maps "Type.field" to its rule. "Type.*" covers the scalar and
// enum fields of a type that holds no data of its own (its visibility is
// that of the field leading to it); it is never used for Member, Address,
// BusinessLink and Contact, whose every field is listed, nor for a field of
// object type.
var walkRules = map[string]fieldRule{
	// Entry points.
	"Query.node": open, "Query.nodes": open, "Query.viewer": open, "Query.member": open,
	"Query.members": open, "Query.trades": open,
	"Query.businessLinks": membersOnly, "Query.questions": membersOnly, "Query.groups": membersOnly,
	"Query.actionPlans": membersOnly,
	"Query.trainings":   open,
	"Query.path":        pathFromSelf,
	"Query.network":     analystOnly, "Query.dashboard": analystOnly,
	// The audit trail and personal-data export are documented staff only.
	"Query.auditLog": staffOnly, "Query.exportContactData": staffOnly,

	// Member: the directory is open; the rest is for members, some for the
	// member itself.
	"Member.id": open, "Member.name": open, "Member.kind": open, "Member.status": open,
	"Member.sizeClass": open, "Member.trades": open, "Member.address": open,
	"Member.website": open, "Member.description": open,
	"Member.legalId": membersOnly, "Member.headcount": membersOnly, "Member.foreignParentCountry": membersOnly,
	"Member.location": membersOnly, "Member.distanceKm": membersOnly, "Member.joinedOn": membersOnly, "Member.leftOn": membersOnly,
	"Member.updatedAt": membersOnly, "Member.contacts": membersOnly, "Member.groups": membersOnly,
	"Member.businessLinks": membersOnly, "Member.partners": membersOnly, "Member.neighborhood": membersOnly,
	"Member.engagement": selfOnly, "Member.centrality": selfOnly, "Member.recommendedPartners": selfOnly,
	"Address.city": open, "Address.region": open,
	"Address.postalCode": membersOnly, "Address.department": membersOnly, "Address.country": membersOnly,
	"Location.*": open, "Engagement.*": open, "Engagement.roi": open, "EngagementReturn.*": open,
	"Contact.id": open, "Contact.name": open, "Contact.role": open, "Contact.email": open, "Contact.phone": open,

	// BusinessLink: the row decides, except the volume band.
	"BusinessLink.id": open, "BusinessLink.kind": open, "BusinessLink.status": open, "BusinessLink.since": open,
	"BusinessLink.until": open, "BusinessLink.origin": open, "BusinessLink.confirmedAt": open,
	"BusinessLink.note": open, "BusinessLink.from": open, "BusinessLink.to": open, "BusinessLink.declaredBy": open,
	"BusinessLink.volumeBand": partiesOnly,

	// Connections.
	"PageInfo.*":         open,
	"MemberConnection.*": open, "MemberConnection.edges": open, "MemberConnection.pageInfo": open,
	"MemberEdge.*": open, "MemberEdge.node": open,
	"BusinessLinkConnection.*": open, "BusinessLinkConnection.edges": open, "BusinessLinkConnection.pageInfo": open,
	"BusinessLinkEdge.*": open, "BusinessLinkEdge.node": open,
	"MemberBusinessLinkConnection.*": open, "MemberBusinessLinkConnection.edges": open,
	"MemberBusinessLinkConnection.pageInfo": open,
	"MemberBusinessLinkEdge.*":              open, "MemberBusinessLinkEdge.node": open, "MemberBusinessLinkEdge.counterpart": open,
	"QuestionConnection.*": open, "QuestionConnection.edges": open, "QuestionConnection.pageInfo": open,
	"QuestionEdge.*": open, "QuestionEdge.node": open,
	"WorkingGroupConnection.*": open, "WorkingGroupConnection.edges": open, "WorkingGroupConnection.pageInfo": open,
	"WorkingGroupEdge.*": open, "WorkingGroupEdge.node": open,
	"MeetingConnection.*": open, "MeetingConnection.edges": open, "MeetingConnection.pageInfo": open,
	"MeetingEdge.*": open, "MeetingEdge.node": open,
	"ActionPlanConnection.*": open, "ActionPlanConnection.edges": open, "ActionPlanConnection.pageInfo": open,
	"ActionPlanEdge.*": open, "ActionPlanEdge.node": open,
	"AuditEntryConnection.*": open, "AuditEntryConnection.edges": open, "AuditEntryConnection.pageInfo": open,
	"AuditEntryEdge.*": open, "AuditEntryEdge.node": open,

	// Viewer: about the caller itself.
	"Viewer.*": open, "Viewer.member": open, "Viewer.upcomingMeetings": open, "Viewer.pendingConfirmations": open,

	// Trades are public.
	"Trade.*": open, "Trade.parent": open, "Trade.children": open, "Trade.complements": open, "Trade.members": open,
	"TradeComplement.*": open, "TradeComplement.trade": open,

	// Groups and what hangs off them: their rows are for members.
	"Question.*": open, "Question.raisedBy": open, "Question.supporters": open, "Question.group": open,
	"WorkingGroup.*": open, "WorkingGroup.question": open, "WorkingGroup.participants": open,
	"WorkingGroup.meetings": open, "WorkingGroup.actionPlan": open,
	"Participant.*": open, "Participant.member": open,
	"Meeting.*": open, "Meeting.group": open, "Meeting.agenda": open, "Meeting.attendees": open,
	"AgendaItem.*": open,
	"ActionPlan.*": open, "ActionPlan.group": open, "ActionPlan.items": open,
	"ActionItem.*": open, "ActionItem.owner": open,

	// Trainings are for everyone; who registered and who attended, for
	// analysts and staff.
	"Training.*": open, "Training.registrations": analystOnly, "Training.attendees": analystOnly,
	"TrainingConnection.*": open, "TrainingConnection.edges": open, "TrainingConnection.pageInfo": open,
	"TrainingEdge.*": open, "TrainingEdge.node": open,

	// Analytics of one member (reached through self-only fields).
	"Centrality.*": open, "Centrality.community": open,
	"Community.*": open, "Community.members": analystOnly,
	"PartnerRecommendation.*": open, "PartnerRecommendation.member": open, "PartnerRecommendation.reasons": open,
	"RecommendationReason.*": open,
	"Subgraph.*":             open, "Subgraph.nodes": open, "Subgraph.edges": open,
	"SubgraphEdge.*": open, "SubgraphEdge.from": open, "SubgraphEdge.to": open,
	"MemberPath.*": open, "MemberPath.members": open, "MemberPath.links": open,

	// Network-wide analytics and the dashboard (reached through analyst-only fields).
	"Network.*": open, "Network.communities": open, "Network.brokers": open, "Network.central": open,
	"Network.articulationMembers": open, "Network.isolatedMembers": open, "Network.smallWorld": open,
	"Network.graph": open, "NetworkGraph.*": open, "NetworkGraph.nodes": open, "NetworkGraph.edges": open,
	"NetworkNode.*": open, "NetworkNode.member": open, "NetworkEdge.*": open,
	"SmallWorld.*": open, "ScoredMember.*": open, "ScoredMember.member": open,
	"Dashboard.*": open, "Dashboard.bySizeClass": open, "Dashboard.byKind": open, "Dashboard.byTrade": open,
	"Dashboard.byRegion": open, "Dashboard.growth": open, "Dashboard.retentionDetail": open,
	"Dashboard.links": open, "Dashboard.groups": open, "Dashboard.engagement": open,
	"SizeClassCount.*": open, "KindCount.*": open, "RegionCount.*": open, "GrowthPeriod.*": open,
	"Retention.*": open, "TradeCount.*": open, "TradeCount.trade": open,
	"LinkStats.*": open, "LinkStats.byKind": open, "LinkStats.byOrigin": open, "LinkStats.created": open,
	"LinkKindCount.*": open, "LinkOriginCount.*": open, "PeriodCount.*": open,
	"GroupStats.*": open, "GroupStats.byTheme": open, "ThemeCount.*": open,
	"EngagementStats.*": open, "EngagementStats.distribution": open, "EngagementStats.atRisk": open,
	"ScoreBucket.*": open, "AtRiskMember.*": open, "AtRiskMember.member": open,
	"EngagementStats.roiDistribution": open, "EngagementStats.givingWithoutReturn": open,
	"ReturnBucket.*": open, "GivingMember.*": open, "GivingMember.member": open,

	// The audit trail and exports (reached through staff-only fields).
	"AuditEntry.*": open, "AuditEntry.member": open, "AuditEntry.changes": open, "AuditChange.*": open,
	"ContactDataExport.*": open, "ContactDataExport.contact": open, "ContactDataExport.member": open,
	"ContactDataExport.auditEntries": open, "ContactDataExport.touchpoints": open,

	// The team's touchpoints: analysts and staff.
	"Member.touchpoints": analystOnly, "Member.lastTouchpointAt": analystOnly,
	"Touchpoint.*": open, "Touchpoint.member": open, "Touchpoint.contact": open,
	"TouchpointConnection.*": open, "TouchpointConnection.edges": open, "TouchpointConnection.pageInfo": open,
	"TouchpointEdge.*": open, "TouchpointEdge.node": open,
	"Query.callList": analystOnly, "CallListConnection.*": open, "CallListConnection.edges": open,
	"CallListConnection.pageInfo": open, "CallListEdge.*": open, "CallListEdge.node": open,
	"CallListEntry.*": open, "CallListEntry.member": open,

	// The trade show: shows and exhibitors are public; leads are read by
	// members (their own exhibitor's: a row rule), analysts and staff.
	"Query.tradeShows": open,
	"TradeShow.*":      open, "TradeShow.exhibitors": open, "TradeShow.leads": membersOnly,
	"Exhibitor.*": open, "Exhibitor.tradeShow": open, "Exhibitor.member": open, "Exhibitor.trades": open,
	"Lead.*": open, "Lead.tradeShow": open, "Lead.exhibitor": open, "Lead.visitorMember": open, "Lead.convertedLink": open,
	"TradeShowConnection.*": open, "TradeShowConnection.edges": open, "TradeShowConnection.pageInfo": open,
	"TradeShowEdge.*": open, "TradeShowEdge.node": open,
	"ExhibitorConnection.*": open, "ExhibitorConnection.edges": open, "ExhibitorConnection.pageInfo": open,
	"ExhibitorEdge.*": open, "ExhibitorEdge.node": open,
	"LeadConnection.*": open, "LeadConnection.edges": open, "LeadConnection.pageInfo": open,
	"LeadEdge.*": open, "LeadEdge.node": open,
	"Dashboard.tradeShow": open, "TradeShowStats.*": open, "TradeShowStats.show": open, "TradeShowStats.linksByKind": open,
	// Purchasing campaigns: members read them and their own commitment;
	// every commitment is for the campaign's runners, analysts and staff.
	"Query.purchasingCampaigns": membersOnly, "Member.purchasing": selfOnly, "MemberPurchasing.*": open,
	"PurchasingCampaign.*": open, "PurchasingCampaign.group": open, "PurchasingCampaign.viewerCommitment": open,
	"PurchasingCampaign.commitments": campaignRunners,
	"CampaignCommitment.*":           open, "CampaignCommitment.member": open,
	"PurchasingCampaignConnection.*": open, "PurchasingCampaignConnection.edges": open, "PurchasingCampaignConnection.pageInfo": open,
	"PurchasingCampaignEdge.*": open, "PurchasingCampaignEdge.node": open,
	"CampaignCommitmentConnection.*": open, "CampaignCommitmentConnection.edges": open, "CampaignCommitmentConnection.pageInfo": open,
	"CampaignCommitmentEdge.*": open, "CampaignCommitmentEdge.node": open,
}

// rowRule says which objects of a type a viewer may see at all: in a list
// they must not appear, by id they are null without an error.
type rowRule int

const (
	// anyRow: everyone.
	anyRow rowRule = iota + 1
	// activeForPublic: anonymous and PUBLIC see ACTIVE members only.
	activeForPublic
	// memberRows: MEMBER tokens, ANALYST, STAFF.
	memberRows
	// analystRows: ANALYST, STAFF.
	analystRows
	// linkRows: MEMBER tokens see CONFIRMED links and their own; ANALYST
	// and STAFF see all; anonymous and PUBLIC none.
	linkRows
	// leadRows: MEMBER tokens see the leads of their own exhibitors;
	// ANALYST and STAFF see all; anonymous and PUBLIC none.
	leadRows
	// campaignRows: MEMBER tokens see the campaigns but the DRAFTs of
	// groups they do not lead; ANALYST and STAFF see all; anonymous and
	// PUBLIC none.
	campaignRows
)

// walkRows gives the row rule of every Node type and of Contact.
var walkRows = map[string]rowRule{
	"Member": activeForPublic, "Trade": anyRow, "BusinessLink": linkRows, "Contact": memberRows,
	"Question": memberRows, "WorkingGroup": memberRows, "Meeting": memberRows, "ActionPlan": memberRows,
	"Touchpoint": analystRows, "Training": anyRow, "TradeShow": anyRow, "Exhibitor": anyRow, "Lead": leadRows,
	"PurchasingCampaign": campaignRows,
}

// judgedTypes hold data the walk looks for: paths go where they are.
var judgedTypes = []string{"Member", "BusinessLink", "Contact"}

// explicitTypes must list every field in walkRules.
var explicitTypes = []string{"Member", "Address", "BusinessLink", "Contact"}

// walkViewer is one of the callers the walk runs as.
type walkViewer struct {
	name   string
	token  string
	role   domain.Role // "" for no token
	member int64       // database id of the token's member, 0 for none
	hops   int         // when not 0, the viewer walks paths this deep only
}

func (v *walkViewer) isMember() bool { return v.role == domain.RoleMember }
func (v *walkViewer) atLeast(r domain.Role) bool {
	return v.role != "" && v.role.AtLeast(r)
}

// groundTruth is what the database says, read once.
type groundTruth struct {
	memberStatus map[int64]string
	links        map[int64]linkTruth
	// leadExhibitor is the member exhibiting of each lead.
	leadExhibitor map[int64]int64
	campaigns     map[int64]campaignTruth
}

// campaignTruth is a campaign's status and the member leading its group
// (0 for none).
type campaignTruth struct {
	status string
	lead   int64
}

type linkTruth struct {
	from, to int64
	status   string
}

// walkFixture holds the demo objects the walk asks for by id.
type walkFixture struct {
	nodes    []labelledID // every Node type, in nodes(ids:) order
	members  []labelledID // for member(id:)
	paths    []pathArgs
	contacts []labelledID
	tradeID  string
}

type labelledID struct {
	label, typ, id string
}

type pathArgs struct {
	label, from, to string
}

func TestPermissionWalk(t *testing.T) {
	t.Parallel()
	start := time.Now()
	a := newAPIWith(t, func(o *graph.HandlerOptions) { o.Limits = graph.Limits{} })
	today := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := a.db.LoadDemoIfEmpty(context.Background(), demo.Generate(demo.Options{Seed: 1, Today: today})); err != nil {
		t.Fatal(err)
	}
	a.syncNetwork()
	truth := readGroundTruth(t, a)
	fx, self, lapsed := pickWalkFixture(t, a, truth)
	readCampaignTruth(t, a, truth)
	viewers := []*walkViewer{
		{name: "anonymous"},
		{name: "PUBLIC", token: token(t, domain.RolePublic, ""), role: domain.RolePublic},
		{name: "MEMBER", token: token(t, domain.RoleMember, gid(self)), role: domain.RoleMember, member: self},
		{name: "LAPSED", token: token(t, domain.RoleMember, gid(lapsed)), role: domain.RoleMember, member: lapsed},
		{name: "ANALYST", token: token(t, domain.RoleAnalyst, ""), role: domain.RoleAnalyst},
		// Staff reads everything like an analyst, and what is staff only:
		// walked one relation deep, to keep the test short.
		{name: "STAFF", token: token(t, domain.RoleStaff, ""), role: domain.RoleStaff, hops: 1},
	}

	schema := generated.NewExecutableSchema(generated.Config{}).Schema()
	for key := range walkRules {
		typ, field, _ := strings.Cut(key, ".")
		d := schema.Types[typ]
		switch {
		case d == nil || field != "*" && d.Fields.ForName(field) == nil:
			t.Errorf("rule for %s, which the schema does not have", key)
		case field == "*" && slices.Contains(explicitTypes, typ):
			t.Errorf("rule %s: every field of %s needs its own rule", key, typ)
		}
	}
	for _, p := range schema.GetPossibleTypes(schema.Types["Node"]) {
		if _, ok := walkRows[p.Name]; !ok {
			t.Errorf("add a row rule for %s", p.Name)
		}
	}
	g := &walkGen{schema: schema, fx: fx, missing: map[string]bool{}}
	paths := g.generate()
	for _, m := range sortedKeys(g.missing) {
		t.Errorf("%s", m)
	}
	t.Logf("%d paths (setup %v)", len(paths), time.Since(start).Round(time.Millisecond))

	t.Run("viewers", func(t *testing.T) {
		for _, v := range viewers {
			t.Run(v.name, func(t *testing.T) {
				t.Parallel()
				w := &walkRun{a: a, v: v, truth: truth, rootVals: map[string]any{}, fails: map[string]*walkFailure{},
					failed: map[int]int{}, skipped: map[int]bool{}}
				w.walk(paths)
				w.report(t)
			})
		}
	})
	t.Logf("walk done in %v", time.Since(start).Round(time.Millisecond))
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func readGroundTruth(t *testing.T, a *api) *groundTruth {
	t.Helper()
	ctx := context.Background()
	gt := &groundTruth{memberStatus: map[int64]string{}, links: map[int64]linkTruth{}, leadExhibitor: map[int64]int64{},
		campaigns: map[int64]campaignTruth{}}
	var ms []struct {
		ID     int64
		Status string
	}
	if err := a.db.Bun().NewRaw("SELECT id, status FROM members").Scan(ctx, &ms); err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		gt.memberStatus[m.ID] = m.Status
	}
	var ls []struct {
		ID, FromID, ToID int64
		Status           string
	}
	if err := a.db.Bun().NewRaw("SELECT id, from_id, to_id, status FROM business_links").Scan(ctx, &ls); err != nil {
		t.Fatal(err)
	}
	for _, l := range ls {
		gt.links[l.ID] = linkTruth{from: l.FromID, to: l.ToID, status: l.Status}
	}
	var leads []struct{ ID, MemberID int64 }
	if err := a.db.Bun().NewRaw(`SELECT ld.id, e.member_id FROM leads ld JOIN exhibitors e ON e.id = ld.exhibitor_id`).Scan(ctx, &leads); err != nil {
		t.Fatal(err)
	}
	for _, l := range leads {
		gt.leadExhibitor[l.ID] = l.MemberID
	}
	return gt
}

// readCampaignTruth reads the campaigns, once the fixture added its own.
func readCampaignTruth(t *testing.T, a *api, gt *groundTruth) {
	t.Helper()
	var cs []struct {
		ID, Lead int64
		Status   string
	}
	if err := a.db.Bun().NewRaw(`SELECT pc.id, pc.status, coalesce((SELECT gp.member_id FROM group_participants gp
		WHERE gp.group_id = pc.group_id AND gp.role = 'LEAD' AND gp.left_at IS NULL), 0) AS lead FROM purchasing_campaigns pc`).
		Scan(context.Background(), &cs); err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		gt.campaigns[c.ID] = campaignTruth{status: c.Status, lead: c.Lead}
	}
}

// pickWalkFixture chooses the viewers' members and the ids the walk asks
// for: members ACTIVE and LAPSED, links of every status with and without
// the MEMBER viewer, and one object of every other Node type.
func pickWalkFixture(t *testing.T, a *api, gt *groundTruth) (*walkFixture, int64, int64) {
	t.Helper()
	ctx := context.Background()
	one := func(q string, args ...any) int64 {
		t.Helper()
		var id int64
		if err := a.db.Bun().NewRaw(q, args...).Scan(ctx, &id); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return id
	}
	self := one(`SELECT m.id FROM members m WHERE m.left_on IS NULL
		AND EXISTS (SELECT 1 FROM business_links l WHERE m.id IN (l.from_id, l.to_id) AND l.status = 'PENDING')
		AND EXISTS (SELECT 1 FROM business_links l WHERE m.id IN (l.from_id, l.to_id) AND l.status = 'CONFIRMED')
		AND EXISTS (SELECT 1 FROM group_participants p WHERE p.member_id = m.id)
		AND EXISTS (SELECT 1 FROM contacts c WHERE c.member_id = m.id)
		ORDER BY m.id LIMIT 1`)
	lapsed := one(`SELECT m.id FROM members m WHERE m.left_on IS NOT NULL
		ORDER BY (SELECT count(*) FROM business_links l WHERE m.id IN (l.from_id, l.to_id)) DESC, m.id LIMIT 1`)
	otherLapsed := one(`SELECT id FROM members WHERE left_on IS NOT NULL AND id <> ? ORDER BY id LIMIT 1`, lapsed)
	partner := one(`SELECT CASE WHEN from_id = ? THEN to_id ELSE from_id END FROM business_links
		WHERE ? IN (from_id, to_id) AND status = 'CONFIRMED' ORDER BY id LIMIT 1`, self, self)
	stranger := one(`SELECT m.id FROM members m WHERE m.left_on IS NULL AND m.id <> ?
		AND NOT EXISTS (SELECT 1 FROM business_links l WHERE (l.from_id, l.to_id) IN ((m.id, ?), (?, m.id)))
		AND EXISTS (SELECT 1 FROM contacts c WHERE c.member_id = m.id)
		AND EXISTS (SELECT 1 FROM business_links l WHERE m.id IN (l.from_id, l.to_id) AND l.status = 'CONFIRMED')
		ORDER BY m.id LIMIT 1`, self, self, self)
	notOurs := `NOT (? IN (from_id, to_id)) AND NOT (? IN (from_id, to_id))`
	link := func(status, cond string, args ...any) int64 {
		return one(`SELECT id FROM business_links WHERE status = '`+status+`' AND `+cond+` ORDER BY id LIMIT 1`, args...)
	}
	fx := &walkFixture{}
	add := func(label, typ string, id int64) {
		fx.nodes = append(fx.nodes, labelledID{label, typ, globalid.Encode(typ, id)})
	}
	add("self", "Member", self)
	add("lapsedSelf", "Member", lapsed)
	add("otherLapsed", "Member", otherLapsed)
	add("partner", "Member", partner)
	add("stranger", "Member", stranger)
	add("noMember", "Member", 99999999)
	for _, n := range fx.nodes {
		fx.members = append(fx.members, n)
	}
	add("trade", "Trade", one(`SELECT id FROM trades WHERE parent_id IS NOT NULL ORDER BY id LIMIT 1`))
	fx.tradeID = fx.nodes[len(fx.nodes)-1].id
	add("confirmedOther", "BusinessLink", link("CONFIRMED", notOurs, self, lapsed))
	add("pendingOther", "BusinessLink", link("PENDING", notOurs, self, lapsed))
	add("declinedOther", "BusinessLink", link("DECLINED", notOurs, self, lapsed))
	add("endedOther", "BusinessLink", link("ENDED", notOurs, self, lapsed))
	add("pendingOwn", "BusinessLink", link("PENDING", "? IN (from_id, to_id)", self))
	add("confirmedOwn", "BusinessLink", link("CONFIRMED", "? IN (from_id, to_id)", self))
	add("lapsedOwn", "BusinessLink", one(`SELECT id FROM business_links WHERE ? IN (from_id, to_id)
		ORDER BY status = 'CONFIRMED', id LIMIT 1`, lapsed))
	add("question", "Question", one(`SELECT min(id) FROM questions`))
	add("groupOwn", "WorkingGroup", one(`SELECT min(group_id) FROM group_participants WHERE member_id = ?`, self))
	add("groupOther", "WorkingGroup", one(`SELECT min(id) FROM working_groups g
		WHERE NOT EXISTS (SELECT 1 FROM group_participants p WHERE p.group_id = g.id AND p.member_id = ?)`, self))
	add("meeting", "Meeting", one(`SELECT min(id) FROM meetings`))
	add("actionPlan", "ActionPlan", one(`SELECT min(id) FROM action_plans`))
	add("campaign", "PurchasingCampaign", one(`SELECT min(campaign_id) FROM campaign_commitments c
		JOIN purchasing_campaigns p ON p.id = c.campaign_id WHERE p.status = 'ORDERED'`))
	add("openCampaign", "PurchasingCampaign", one(`SELECT min(id) FROM purchasing_campaigns WHERE status = 'OPEN'`))
	add("draftCampaign", "PurchasingCampaign", one(`SELECT min(id) FROM purchasing_campaigns WHERE status = 'DRAFT'`))
	// A campaign of a group self leads (when it leads one): its
	// commitments are self's to read.
	add("ownCampaign", "PurchasingCampaign", one(`INSERT INTO purchasing_campaigns (title, supplier, unit, list_price, negotiated_price,
			opens_at, closes_at, closed_at, status, group_id)
		VALUES ('Étalons', 'Air Mesure', 'bouteille', 12000, 9500, now() - interval '40 days', now() - interval '10 days',
			now() - interval '10 days', 'CLOSED', (SELECT g.id FROM working_groups g JOIN group_participants gp ON gp.group_id = g.id
			WHERE gp.member_id = ? AND gp.role = 'LEAD' AND gp.left_at IS NULL ORDER BY g.theme = 'PURCHASING' DESC, g.id LIMIT 1))
		RETURNING id`, self))
	a.exec(`INSERT INTO campaign_commitments (campaign_id, member_id, quantity)
		SELECT max(id), ?, 3 FROM purchasing_campaigns UNION ALL SELECT max(id), ?, 5 FROM purchasing_campaigns`, self, partner)
	add("touchpoint", "Touchpoint", one(`INSERT INTO touchpoints (member_id, contact_id, by_subject, channel, summary, follow_up_on)
		SELECT ?, min(id), 'staff', 'CALL', 'Called after the fair', current_date FROM contacts WHERE member_id = ? RETURNING id`, self, self))
	add("training", "Training", one(`SELECT min(id) FROM trainings WHERE status = 'HELD'`))
	// The trade show: the latest, a member exhibitor and one that is not,
	// a lead of the MEMBER viewer's own exhibitor (recorded here when the
	// demo has none) and one of another's.
	show := one(`SELECT id FROM trade_shows ORDER BY year DESC LIMIT 1`)
	add("tradeShow", "TradeShow", show)
	add("exhibitorMember", "Exhibitor", one(`SELECT min(id) FROM exhibitors WHERE trade_show_id = ? AND member_id IS NOT NULL`, show))
	add("exhibitorOther", "Exhibitor", one(`SELECT min(id) FROM exhibitors WHERE trade_show_id = ? AND member_id IS NULL`, show))
	ownLead := one(`SELECT coalesce(min(ld.id), 0) FROM leads ld JOIN exhibitors e ON e.id = ld.exhibitor_id WHERE e.member_id = ?`, self)
	if ownLead == 0 {
		ex := one(`SELECT coalesce(min(id), 0) FROM exhibitors WHERE trade_show_id = ? AND member_id = ?`, show, self)
		if ex == 0 {
			ex = one(`INSERT INTO exhibitors (trade_show_id, member_id, name, booth) SELECT ?, id, name, 'WALK-1' FROM members WHERE id = ? RETURNING id`, show, self)
		}
		ownLead = one(`INSERT INTO leads (trade_show_id, exhibitor_id, visitor_member_id, scanned_at)
			SELECT trade_show_id, id, ?, starts_on FROM exhibitors JOIN trade_shows ts ON ts.id = trade_show_id WHERE exhibitors.id = ? RETURNING leads.id`, partner, ex)
		gt.leadExhibitor[ownLead] = self
	}
	add("leadOwn", "Lead", ownLead)
	add("leadOther", "Lead", one(`SELECT min(ld.id) FROM leads ld JOIN exhibitors e ON e.id = ld.exhibitor_id
		WHERE e.member_id NOT IN (?, ?) AND ld.converted_link_id IS NOT NULL`, self, lapsed))
	fx.contacts = []labelledID{
		{"ownContact", "Contact", globalid.Encode(globalid.TypeContact, one(`SELECT min(id) FROM contacts WHERE member_id = ?`, self))},
		{"otherContact", "Contact", globalid.Encode(globalid.TypeContact, one(`SELECT min(id) FROM contacts WHERE member_id = ?`, stranger))},
	}
	fx.paths = []pathArgs{
		{"fromSelf", gid(self), gid(stranger)},
		{"fromPartner", gid(partner), gid(stranger)},
		{"fromLapsedSelf", gid(lapsed), gid(partner)},
	}
	return fx, self, lapsed
}

// wsel is one field of a generated document.
type wsel struct {
	key    string // response key
	field  *ast.FieldDefinition
	parent string // the concrete type the field belongs to
	args   string // rendered arguments, "" for none
	argv   map[string]any
	object bool               // the field is of an object, interface or union type
	sub    []*wsel            // selection of a concrete object type
	frags  map[string][]*wsel // selection of an abstract type, by concrete type
	order  []string           // the keys of frags in schema order
}

// walkPath is one generated path: a Query field (under one or more
// argument variants) and the relations followed from it.
type walkPath struct {
	index    int
	family   string // Query field and relations, e.g. "member>Member.partners"
	roots    []*wsel
	labels   []string // one per root: which ids it asks for
	nullable bool     // the roots can share a document
	ancestor *walkPath
	steps    []step
	hops     int // relations followed
}

// step is a relation followed: a field of a concrete type.
type step struct {
	parent string
	field  *ast.FieldDefinition
}

type walkGen struct {
	schema  *ast.Schema
	fx      *walkFixture
	missing map[string]bool
	reach   map[string]int // type+budget memo, 1 true, 2 false
}

func (g *walkGen) def(name string) *ast.Definition { return g.schema.Types[name] }

func isLeaf(d *ast.Definition) bool { return d.Kind == ast.Scalar || d.Kind == ast.Enum }

// transparent types are connections and edges: stepping through them
// costs no hop.
func (g *walkGen) transparent(typ string) bool {
	d := g.def(typ)
	return d.Kind == ast.Object && (d.Fields.ForName("edges") != nil && d.Fields.ForName("pageInfo") != nil ||
		d.Fields.ForName("cursor") != nil && d.Fields.ForName("node") != nil)
}

// cheap types hold only scalars: selected with their parent, not followed.
func (g *walkGen) cheap(typ string) bool {
	d := g.def(typ)
	if d.Kind != ast.Object {
		return false
	}
	for _, f := range d.Fields {
		if !strings.HasPrefix(f.Name, "__") && !isLeaf(g.def(f.Type.Name())) {
			return false
		}
	}
	return true
}

// rule returns the rule of typ.field, noting a missing one.
func (g *walkGen) rule(typ string, f *ast.FieldDefinition) (fieldRule, bool) {
	if r, ok := walkRules[typ+"."+f.Name]; ok {
		return r, true
	}
	if isLeaf(g.def(f.Type.Name())) && !slices.Contains(explicitTypes, typ) {
		if r, ok := walkRules[typ+".*"]; ok {
			return r, true
		}
	}
	g.missing[fmt.Sprintf("add a rule for %s.%s", typ, f.Name)] = true
	return 0, false
}

// inline reports whether field f of typ is selected with typ's scalars:
// a type of scalars only, null when refused, or open.
func (g *walkGen) inline(typ string, f *ast.FieldDefinition) bool {
	if !g.cheap(f.Type.Name()) {
		return false
	}
	r, _ := g.rule(typ, f)
	return !f.Type.NonNull || r == open
}

// isStep reports whether f of typ is a relation the walk follows.
func (g *walkGen) isStep(typ string, f *ast.FieldDefinition) bool {
	if strings.HasPrefix(f.Name, "__") || isLeaf(g.def(f.Type.Name())) {
		return false
	}
	return !g.inline(typ, f)
}

// cost of following a field of typ.
func (g *walkGen) cost(typ string) int {
	if g.transparent(typ) {
		return 0
	}
	return 1
}

// concrete returns the object types a value of typ may have.
func (g *walkGen) concrete(typ string) []string {
	d := g.def(typ)
	if d.Kind == ast.Object {
		return []string{typ}
	}
	var out []string
	for _, p := range g.schema.GetPossibleTypes(d) {
		out = append(out, p.Name)
	}
	sort.Strings(out)
	return out
}

// reaches reports whether a judged type can be reached from typ within
// budget hops.
func (g *walkGen) reaches(typ string, budget int) bool {
	key := typ + "/" + strconv.Itoa(budget)
	if v, ok := g.reach[key]; ok {
		return v == 1
	}
	g.reach[key] = 2 // cycles through free steps end here
	ok := false
	for _, c := range g.concrete(typ) {
		if slices.Contains(judgedTypes, c) {
			ok = true
			break
		}
		cost := g.cost(c)
		if budget < cost {
			continue
		}
		for _, f := range g.def(c).Fields {
			if g.isStep(c, f) && g.reaches(f.Type.Name(), budget-cost) {
				ok = true
				break
			}
		}
		if ok {
			break
		}
	}
	if ok {
		g.reach[key] = 1
	}
	return ok
}

// generate returns every path, ancestors before descendants.
func (g *walkGen) generate() []*walkPath {
	g.reach = map[string]int{}
	var out []*walkPath
	type pending struct {
		root     *ast.FieldDefinition
		steps    []step
		spent    int
		ancestor *walkPath
	}
	var queue []pending
	for _, f := range g.def("Query").Fields {
		if strings.HasPrefix(f.Name, "__") {
			continue
		}
		if _, ok := g.rule("Query", f); !ok {
			continue
		}
		queue = append(queue, pending{root: f})
	}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		end := p.root.Type.Name()
		if n := len(p.steps); n > 0 {
			end = p.steps[n-1].field.Type.Name()
		}
		anc := p.ancestor
		// A path ending on a connection or an edge is selected with the
		// path through it; it has no document of its own.
		if !g.transparentAll(end) {
			wp := g.build(p.root, p.steps)
			if wp != nil {
				wp.hops = p.spent
				wp.index = len(out)
				wp.ancestor = p.ancestor
				out = append(out, wp)
				anc = wp
			}
		}
		for _, c := range g.concrete(end) {
			cost := g.cost(c)
			if p.spent+cost > walkHops || p.spent+cost > 1 && shallowRoots[p.root.Name] {
				continue
			}
			for _, f := range g.def(c).Fields {
				if !g.isStep(c, f) {
					continue
				}
				if _, ok := g.rule(c, f); !ok {
					continue
				}
				// Every field of a judged type is walked; other relations
				// only when they lead to one.
				if !slices.Contains(judgedTypes, c) && !g.reaches(f.Type.Name(), walkHops-p.spent-cost) {
					continue
				}
				if _, ok := g.args(c, f, p.spent+cost, nil); !ok {
					continue
				}
				steps := append(slices.Clone(p.steps), step{c, f})
				queue = append(queue, pending{p.root, steps, p.spent + cost, anc})
			}
		}
	}
	return out
}

func (g *walkGen) transparentAll(typ string) bool {
	for _, c := range g.concrete(typ) {
		if !g.transparent(c) {
			return false
		}
	}
	return true
}

// build makes the roots of a path's documents: its Query field under each
// argument variant, each selecting the scalars at every level and the
// relations of the path.
func (g *walkGen) build(root *ast.FieldDefinition, steps []step) *walkPath {
	family := root.Name
	for _, s := range steps {
		family += ">" + s.parent + "." + s.field.Name
	}
	wp := &walkPath{family: family, steps: steps}
	// The type the first relation starts from, to narrow the ids asked for.
	first := ""
	if len(steps) > 0 {
		first = steps[0].parent
	}
	type variant struct {
		label string
		argv  map[string]any
	}
	var variants []variant
	switch root.Name {
	case "node":
		wp.nullable = true
		for _, n := range g.fx.nodes {
			if first == "" || n.typ == first {
				variants = append(variants, variant{n.label, map[string]any{"id": n.id}})
			}
		}
	case "member":
		wp.nullable = true
		for _, n := range g.fx.members {
			variants = append(variants, variant{n.label, map[string]any{"id": n.id}})
		}
	case "nodes":
		wp.nullable = true
		var ids []any
		for _, n := range g.fx.nodes {
			ids = append(ids, n.id)
		}
		variants = append(variants, variant{"all", map[string]any{"ids": ids}})
	case "path":
		wp.nullable = true
		for _, p := range g.fx.paths {
			variants = append(variants, variant{p.label, map[string]any{"from": p.from, "to": p.to}})
		}
	case "exportContactData":
		wp.nullable = true
		for _, c := range g.fx.contacts {
			variants = append(variants, variant{c.label, map[string]any{"contactId": c.id}})
		}
	case "members":
		variants = append(variants, variant{"all", nil},
			variant{"lapsed", map[string]any{"filter": map[string]any{"statuses": []any{enumValue("LAPSED")}}}})
	case "businessLinks":
		variants = append(variants, variant{"all", nil},
			variant{"unconfirmed", map[string]any{"filter": map[string]any{"statuses": []any{
				enumValue("PENDING"), enumValue("DECLINED"), enumValue("ENDED")}}}})
		if len(steps) == 0 {
			// Every link not confirmed, once: a MEMBER sees its own only.
			variants[1].argv["first"] = 100
		}
	default:
		variants = append(variants, variant{"", nil})
	}
	for _, v := range variants {
		argv, ok := g.args("Query", root, 0, v.argv)
		if !ok {
			return nil
		}
		s := &wsel{key: root.Name, field: root, parent: "Query", args: renderArgs(argv), argv: argv}
		g.fill(s, steps, 0)
		wp.roots = append(wp.roots, s)
		wp.labels = append(wp.labels, v.label)
	}
	return wp
}

// fill selects under s (of the type of s.field) its scalars and the rest of
// the path; spent is the number of relations followed so far.
func (g *walkGen) fill(s *wsel, steps []step, spent int) {
	typ := s.field.Type.Name()
	d := g.def(typ)
	if isLeaf(d) {
		return
	}
	s.object = true
	level := func(c string) []*wsel {
		var out []*wsel
		for _, f := range g.def(c).Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			if _, ok := g.rule(c, f); !ok {
				continue
			}
			// Along the way only ids: the scalars of an object are judged
			// in the document of the path that ends on it.
			through := len(steps) > 0 && !g.transparent(c)
			if through && f.Name != "id" {
				continue
			}
			switch {
			case isLeaf(g.def(f.Type.Name())):
			case g.inline(c, f):
			default:
				continue
			}
			argv, ok := g.args(c, f, spent, nil)
			if !ok {
				continue
			}
			child := &wsel{key: f.Name, field: f, parent: c, args: renderArgs(argv), argv: argv}
			g.fill(child, nil, spent)
			out = append(out, child)
		}
		if len(steps) > 0 && steps[0].parent == c {
			f := steps[0].field
			next := spent + g.cost(c)
			argv, _ := g.args(c, f, next, nil)
			child := &wsel{key: f.Name, field: f, parent: c, args: renderArgs(argv), argv: argv}
			g.fill(child, steps[1:], next)
			out = append(out, child)
		}
		return out
	}
	if d.Kind == ast.Object {
		s.sub = level(typ)
		return
	}
	s.frags = map[string][]*wsel{}
	types := map[string]string{}
	clash := map[string]bool{}
	for _, c := range g.concrete(typ) {
		s.frags[c] = level(c)
		s.order = append(s.order, c)
		for _, f := range s.frags[c] {
			if t, ok := types[f.key]; ok && t != f.field.Type.String() {
				clash[f.key] = true
			}
			types[f.key] = f.field.Type.String()
		}
	}
	// Fields of the same name and different types in two fragments must
	// answer under different keys.
	for _, c := range s.order {
		for _, f := range s.frags[c] {
			if clash[f.key] {
				f.key = f.field.Name + "_" + c
			}
		}
	}
}

type enumValue string

// args fills the arguments of f: given ones, then page sizes that shrink
// with depth, then required ones by type.
func (g *walkGen) args(typ string, f *ast.FieldDefinition, spent int, given map[string]any) (map[string]any, bool) {
	out := map[string]any{}
	for k, v := range given {
		out[k] = v
	}
	for _, a := range f.Arguments {
		if _, ok := out[a.Name]; ok {
			continue
		}
		if a.Name == "first" && a.Type.Name() == "Int" {
			out[a.Name] = []int{10, 3, 2, 1}[min(spent, 3)]
			continue
		}
		if a.Name == "maxNodes" && a.Type.Name() == "Int" {
			out[a.Name] = 10
			continue
		}
		if !a.Type.NonNull || a.DefaultValue != nil {
			continue
		}
		ad := g.def(a.Type.Name())
		switch {
		case a.Type.Elem == nil && ad.Kind == ast.Enum:
			out[a.Name] = enumValue(ad.EnumValues[0].Name)
		case a.Type.Elem == nil && ad.Name == "Int" && a.Name == "year":
			out[a.Name] = 2025
		case a.Type.Elem == nil && ad.Name == "ID" && typ == "Trade":
			out[a.Name] = g.fx.tradeID
		default:
			g.missing[fmt.Sprintf("add an argument value for %s.%s(%s:)", typ, f.Name, a.Name)] = true
			return nil, false
		}
	}
	return out, true
}

func renderArgs(argv map[string]any) string {
	if len(argv) == 0 {
		return ""
	}
	var parts []string
	for _, k := range sortedKeys(argv) {
		parts = append(parts, k+": "+renderValue(argv[k]))
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

func renderValue(v any) string {
	switch x := v.(type) {
	case enumValue:
		return string(x)
	case []any:
		var parts []string
		for _, e := range x {
			parts = append(parts, renderValue(e))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		var parts []string
		for _, k := range sortedKeys(x) {
			parts = append(parts, k+": "+renderValue(x[k]))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	default:
		b, _ := json.Marshal(x)
		return string(b)
	}
}

func (s *wsel) render(b *strings.Builder, alias string) {
	if alias == "" {
		alias = s.key
	}
	if alias != s.field.Name {
		b.WriteString(alias + ": ")
	}
	b.WriteString(s.field.Name + s.args)
	if !s.object {
		b.WriteString(" ")
		return
	}
	b.WriteString(" { __typename ")
	for _, c := range s.sub {
		c.render(b, "")
	}
	for _, typ := range s.order {
		b.WriteString("... on " + typ + " { ")
		for _, c := range s.frags[typ] {
			c.render(b, "")
		}
		b.WriteString("} ")
	}
	b.WriteString("} ")
}

// child returns the selection under s answering key, for an object of
// concrete type typ ("" when unknown).
func (s *wsel) child(key, typ string) *wsel {
	for _, c := range s.sub {
		if c.key == key {
			return c
		}
	}
	if f := s.frags[typ]; f != nil {
		for _, c := range f {
			if c.key == key {
				return c
			}
		}
	}
	for _, t := range s.order {
		for _, c := range s.frags[t] {
			if c.key == key {
				return c
			}
		}
	}
	return nil
}

// walkDoc is one request: one or more path roots under their aliases.
type walkDoc struct {
	query string
	parts []docPart
}

type docPart struct {
	alias string
	path  *walkPath
	root  *wsel
	label string
}

// alias of a path's root under one variant.
func rootAlias(p *walkPath, label string) string {
	return fmt.Sprintf("p%d_%s", p.index, label)
}

// walkPack is how many path roots share a document at most.
const walkPack = 25

// walk runs the paths level by level (a path after its ancestors): paths
// under a refusal already seen are skipped, the others are packed into
// documents, run concurrently, and judged in order.
func (w *walkRun) walk(paths []*walkPath) {
	for lo := 0; lo < len(paths); {
		hi := lo
		for hi < len(paths) && len(paths[hi].steps) == len(paths[lo].steps) {
			hi++
		}
		docs := w.pack(paths[lo:hi])
		resps := make([]*response, len(docs))
		var wg sync.WaitGroup
		sem := make(chan struct{}, 3)
		for i, d := range docs {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer func() { <-sem; wg.Done() }()
				resps[i] = w.post(d.query)
			}()
		}
		wg.Wait()
		w.requests += len(docs)
		for i, d := range docs {
			if len(d.parts) > 1 && (string(resps[i].Data) == "null" || len(resps[i].Data) == 0) {
				// A refusal nulled the whole answer, or the document was
				// refused: ask each part alone.
				for _, part := range d.parts {
					one := &walkDoc{parts: []docPart{part}}
					one.render()
					w.requests++
					w.judgeDoc(one, w.post(one.query))
				}
				continue
			}
			w.judgeDoc(d, resps[i])
		}
		w.paths += hi - lo
		lo = hi
	}
}

// pack returns the documents of one level of paths for this viewer.
// Roots that may be null (node, member, nodes' items…) and paths the
// viewer may read all along share documents; a path with a step that may
// be refused has a document of its own (a refusal of a non-null field
// nulls everything up to the nearest nullable field).
func (w *walkRun) pack(paths []*walkPath) []*walkDoc {
	var docs []*walkDoc
	var cur *walkDoc
	for _, p := range paths {
		if w.v.hops > 0 && p.hops > w.v.hops {
			continue
		}
		if w.skip(p) {
			w.skipped[p.index] = true
			continue
		}
		safe := p.nullable || w.clear(p)
		for i, r := range p.roots {
			part := docPart{alias: rootAlias(p, p.labels[i]), path: p, root: r, label: p.labels[i]}
			if !safe {
				docs = append(docs, &walkDoc{parts: []docPart{part}})
				continue
			}
			if cur == nil || len(cur.parts) == walkPack {
				cur = &walkDoc{}
				docs = append(docs, cur)
			}
			cur.parts = append(cur.parts, part)
		}
	}
	for _, d := range docs {
		d.render()
	}
	return docs
}

func (d *walkDoc) render() {
	var b strings.Builder
	b.WriteString("{ ")
	for _, p := range d.parts {
		p.root.render(&b, p.alias)
	}
	b.WriteString("}")
	d.query = b.String()
}

// clear reports whether the viewer may read every relation of p whatever
// the objects along it.
func (w *walkRun) clear(p *walkPath) bool {
	for _, r := range p.roots {
		if ok, known := w.allowed(ruleOf(r), ident{typ: "Query"}, r.argv); !ok || !known {
			return false
		}
	}
	for _, st := range p.steps {
		if ok, known := w.allowed(walkRules[st.parent+"."+st.field.Name], ident{typ: st.parent}, nil); !ok || !known {
			return false
		}
	}
	return true
}

// skip reports whether p lies under a relation the viewer may never read
// and whose refusal was already judged without a failure: nothing can come
// back under it.
func (w *walkRun) skip(p *walkPath) bool {
	for a := p.ancestor; a != nil; a = a.ancestor {
		if w.skipped[a.index] {
			return true
		}
	}
	for a := p.ancestor; a != nil; a = a.ancestor {
		if w.failed[a.index] > 0 {
			continue
		}
		from := 0
		if a.ancestor != nil {
			from = len(a.ancestor.steps)
		} else {
			refused := true
			for _, r := range a.roots {
				if ok, known := w.allowed(ruleOf(r), ident{typ: "Query"}, r.argv); ok || !known {
					refused = false
				}
			}
			if refused {
				return true
			}
		}
		for _, st := range a.steps[from:] {
			if ok, known := w.allowed(walkRules[st.parent+"."+st.field.Name], ident{typ: st.parent}, nil); !ok && known {
				return true
			}
		}
	}
	return false
}

// post runs a query as the viewer.
func (w *walkRun) post(query string) *response {
	body, _ := json.Marshal(map[string]any{"query": query})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if w.v.token != "" {
		req.Header.Set("Authorization", "Bearer "+w.v.token)
	}
	rec := httptest.NewRecorder()
	w.a.handler.ServeHTTP(rec, req)
	var resp response
	dec := json.NewDecoder(bytes.NewReader(rec.Body.Bytes()))
	dec.UseNumber()
	if err := dec.Decode(&resp); err != nil {
		resp.Errors = []gqlError{{Message: fmt.Sprintf("undecodable response %q: %v", rec.Body.String(), err)}}
	}
	resp.Status = rec.Code
	return &resp
}

// walkRun runs the documents as one viewer and collects failures.
type walkRun struct {
	a        *api
	v        *walkViewer
	truth    *groundTruth
	rootVals map[string]any // by root alias: the value answered
	fails    map[string]*walkFailure
	failed   map[int]int  // failures by path index
	skipped  map[int]bool // paths not run, by index
	requests int
	paths    int
	// unjudged counts refusals whose object was lost (nulled here and in
	// the ancestors' answers): only their code could be checked.
	unjudged int
}

type walkFailure struct {
	family, what string
	count        int
	examples     []string
}

func (w *walkRun) fail(p *walkPath, what, example string) {
	w.failed[p.index]++
	family := p.family
	key := family + "\x00" + what
	f := w.fails[key]
	if f == nil {
		f = &walkFailure{family: family, what: what}
		w.fails[key] = f
	}
	f.count++
	if len(f.examples) < 3 {
		f.examples = append(f.examples, example)
	}
}

func (w *walkRun) report(t *testing.T) {
	byRoot := map[string][]*walkFailure{}
	for _, f := range w.fails {
		root, _, _ := strings.Cut(f.family, ">")
		byRoot[root] = append(byRoot[root], f)
	}
	t.Logf("%d paths walked, %d skipped under a refusal, %d requests; %d refusals of objects lost in every answer (code checked only)",
		w.paths-len(w.skipped), len(w.skipped), w.requests, w.unjudged)
	for _, root := range sortedKeys(byRoot) {
		fs := byRoot[root]
		sort.Slice(fs, func(i, j int) bool {
			if fs[i].family != fs[j].family {
				return fs[i].family < fs[j].family
			}
			return fs[i].what < fs[j].what
		})
		t.Run(root, func(t *testing.T) {
			for _, f := range fs {
				t.Errorf("%s: %s (%d times), e.g.\n\t%s", f.family, f.what, f.count, strings.Join(f.examples, "\n\t"))
			}
		})
	}
}

func (w *walkRun) judgeDoc(d *walkDoc, resp *response) {
	first := d.parts[0].path
	if resp.Status >= 500 {
		w.fail(first, fmt.Sprintf("status %d", resp.Status), d.query)
	}
	var data map[string]any
	if len(resp.Data) > 0 {
		dec := json.NewDecoder(strings.NewReader(string(resp.Data)))
		dec.UseNumber()
		_ = dec.Decode(&data)
	}
	// Errors by path; those without one reject the whole document.
	errs := map[string][]gqlError{}
	for _, e := range resp.Errors {
		if len(e.Path) == 0 {
			w.fail(first, "document refused: "+e.Message, d.query)
			return
		}
		errs[pathString(e.Path)] = append(errs[pathString(e.Path)], e)
	}
	consumed := map[string]bool{}
	for _, p := range d.parts {
		val, present := data[p.alias]
		if present {
			w.rootVals[p.alias] = val
		}
		j := &judge{w: w, part: p, errs: errs, consumed: consumed}
		j.field(ident{typ: "Query"}, p.root, p.alias, val)
		if len(p.path.steps) == 0 {
			j.byID(val)
		}
	}
	// Errors below an object nulled by a refusal of one of its non-null
	// fields: judged from the path, the parent found in the ancestor's
	// answer when this one lost it.
	for key, es := range errs {
		if consumed[key] {
			continue
		}
		for _, e := range es {
			w.judgeStrayError(d, data, e)
		}
	}
}

func pathString(p []any) string {
	var parts []string
	for _, e := range p {
		switch x := e.(type) {
		case string:
			parts = append(parts, x)
		case float64:
			parts = append(parts, strconv.Itoa(int(x)))
		case json.Number:
			parts = append(parts, x.String())
		default:
			parts = append(parts, fmt.Sprint(x))
		}
	}
	return strings.Join(parts, ".")
}

// judge walks one root's answer.
type judge struct {
	w        *walkRun
	part     docPart
	errs     map[string][]gqlError
	consumed map[string]bool
}

// ident is the object a field belongs to, as far as rules care.
type ident struct {
	typ  string
	id   int64 // database id, 0 when unknown
	args map[string]any
}

func identOf(typ string, obj map[string]any) ident {
	out := ident{typ: typ}
	if s, ok := obj["id"].(string); ok {
		if _, id, err := globalid.Decode("id", s); err == nil {
			out.id = id
		}
	}
	return out
}

// allowed says whether the viewer may read field with rule r of parent p;
// known is false when that depends on what p is and p is unknown.
func (w *walkRun) allowed(r fieldRule, p ident, argv map[string]any) (ok, known bool) {
	v := w.v
	switch r {
	case open:
		return true, true
	case membersOnly:
		return v.atLeast(domain.RoleMember), true
	case analystOnly:
		return v.atLeast(domain.RoleAnalyst), true
	case staffOnly:
		return v.atLeast(domain.RoleStaff), true
	case selfOnly:
		if v.atLeast(domain.RoleAnalyst) {
			return true, true
		}
		if !v.isMember() {
			return false, true
		}
		return p.id != 0 && p.id == v.member, p.id != 0
	case partiesOnly:
		if v.atLeast(domain.RoleAnalyst) {
			return true, true
		}
		if !v.isMember() {
			return false, true
		}
		l, ok := w.truth.links[p.id]
		return ok && (l.from == v.member || l.to == v.member), p.id != 0
	case campaignRunners:
		if v.atLeast(domain.RoleAnalyst) {
			return true, true
		}
		if !v.isMember() {
			return false, true
		}
		c, ok := w.truth.campaigns[p.id]
		return ok && c.lead == v.member, p.id != 0
	case pathFromSelf:
		if v.atLeast(domain.RoleAnalyst) {
			return true, true
		}
		if !v.isMember() {
			return false, true
		}
		from, _ := argv["from"].(string)
		return from == gid(v.member), true
	}
	return false, false
}

// rowVisible says whether the viewer may see object obj of type typ.
func (w *walkRun) rowVisible(typ string, obj map[string]any) (bool, string) {
	r, ok := walkRows[typ]
	if !ok {
		return true, "" // a type without rows of its own (checked in TestPermissionWalk)
	}
	v := w.v
	id := identOf(typ, obj).id
	switch r {
	case anyRow:
		return true, ""
	case memberRows:
		return v.atLeast(domain.RoleMember), ""
	case analystRows:
		return v.atLeast(domain.RoleAnalyst), ""
	case leadRows:
		if v.atLeast(domain.RoleAnalyst) {
			return true, ""
		}
		exhibitor, ok := w.truth.leadExhibitor[id]
		if !ok {
			return false, fmt.Sprintf("unknown lead %v", obj["id"])
		}
		return v.isMember() && exhibitor == v.member, ""
	case activeForPublic:
		st, ok := w.truth.memberStatus[id]
		if !ok {
			return false, fmt.Sprintf("unknown member %v", obj["id"])
		}
		return v.atLeast(domain.RoleMember) || st == "ACTIVE", ""
	case linkRows:
		if v.atLeast(domain.RoleAnalyst) {
			return true, ""
		}
		if !v.isMember() {
			return false, ""
		}
		l, ok := w.truth.links[id]
		if !ok {
			return false, fmt.Sprintf("unknown link %v", obj["id"])
		}
		return l.status == "CONFIRMED" || l.from == v.member || l.to == v.member, ""
	case campaignRows:
		if v.atLeast(domain.RoleAnalyst) {
			return true, ""
		}
		if !v.isMember() {
			return false, ""
		}
		c, ok := w.truth.campaigns[id]
		if !ok {
			return false, fmt.Sprintf("unknown campaign %v", obj["id"])
		}
		return c.status != "DRAFT" || c.lead == v.member, ""
	}
	return true, ""
}

// field judges the answer val of selection s of the object p (at key).
func (j *judge) field(p ident, s *wsel, key string, val any) {
	w := j.w
	errs := j.errs[key]
	if errs != nil {
		j.consumed[key] = true
	}
	rule := ruleOf(s)
	ok, known := w.allowed(rule, p, s.argv)
	where := func() string { return fmt.Sprintf("%s.%s%s at %s", s.parent, s.field.Name, s.args, key) }
	if !ok {
		if val != nil {
			if known {
				w.fail(j.part.path, fmt.Sprintf("%s.%s (%s) leaked", s.parent, s.field.Name, rule), where()+" = "+brief(val))
			} else {
				w.fail(j.part.path, fmt.Sprintf("%s.%s (%s) answered for an unidentified parent", s.parent, s.field.Name, rule), where())
			}
			return
		}
		if !hasCode(errs, domain.CodeForbidden) {
			w.fail(j.part.path, fmt.Sprintf("%s.%s (%s) null without FORBIDDEN (%s)", s.parent, s.field.Name, rule, codes(errs)), where())
		}
		return
	}
	if len(errs) > 0 {
		w.fail(j.part.path, fmt.Sprintf("%s.%s (%s) refused: %s", s.parent, s.field.Name, rule, codes(errs)), where()+": "+errs[0].Message)
	}
	if val != nil && s.object {
		j.value(s, key, val)
	}
}

// value judges a non-null answer of s: lists item by item, objects row and
// fields.
func (j *judge) value(s *wsel, key string, val any) {
	w := j.w
	if list, ok := val.([]any); ok {
		for i, item := range list {
			// An item nulled by an error of its own: the error is judged
			// on its path.
			if item != nil {
				j.value(s, key+"."+strconv.Itoa(i), item)
			}
		}
		return
	}
	obj, ok := val.(map[string]any)
	if !ok {
		return
	}
	typ, _ := obj["__typename"].(string)
	if typ == "" {
		typ = s.field.Type.Name()
	}
	if vis, why := w.rowVisible(typ, obj); why != "" {
		w.fail(j.part.path, why, key)
		return
	} else if !vis {
		w.fail(j.part.path, fmt.Sprintf("%s row leaked (%s)", typ, rowDetail(w, typ, obj)), key+" = "+brief(obj))
		return
	}
	subs := s.sub
	if s.frags != nil {
		subs = s.frags[typ]
	}
	id := identOf(typ, obj)
	for _, c := range subs {
		j.field(id, c, key+"."+c.key, obj[c.key])
	}
	j.checkCount(obj, key)
}

// byID checks that node, nodes and member answer every object the viewer
// may see (a denied or missing one is null: judged by the row rules).
func (j *judge) byID(val any) {
	w := j.w
	check := func(key string, gid any, got any) {
		s, _ := gid.(string)
		typ, id, err := globalid.Decode("id", s)
		if err != nil || got != nil || len(j.errs[key]) > 0 {
			return
		}
		obj := map[string]any{"id": s}
		exists := true
		switch typ {
		case "Member":
			_, exists = w.truth.memberStatus[id]
		case "BusinessLink":
			_, exists = w.truth.links[id]
		}
		if vis, _ := w.rowVisible(typ, obj); vis && exists {
			w.fail(j.part.path, fmt.Sprintf("%s null by id though visible", typ), key+" ("+s+")")
		}
	}
	switch j.part.root.field.Name {
	case "node", "member":
		check(j.part.alias, j.part.root.argv["id"], val)
	case "nodes":
		ids, _ := j.part.root.argv["ids"].([]any)
		list, _ := val.([]any)
		if len(list) != len(ids) {
			w.fail(j.part.path, "nodes answered a list of another length", fmt.Sprintf("%d ids, %d answers", len(ids), len(list)))
			return
		}
		for i, id := range ids {
			check(j.part.alias+"."+strconv.Itoa(i), id, list[i])
		}
	}
}

// checkCount: a connection's totalCount counts the rows a complete page
// shows, no more (no count of rows the viewer may not see).
func (j *judge) checkCount(obj map[string]any, where string) {
	edges, ok := obj["edges"].([]any)
	tc, ok2 := obj["totalCount"].(json.Number)
	pi, ok3 := obj["pageInfo"].(map[string]any)
	if !ok || !ok2 || !ok3 {
		return
	}
	if pi["hasNextPage"] == true || pi["hasPreviousPage"] == true {
		return
	}
	if n, _ := tc.Int64(); int(n) != len(edges) {
		j.w.fail(j.part.path, "totalCount counts rows the page does not show", fmt.Sprintf("%s: totalCount %d, %d edges", where, n, len(edges)))
	}
}

func rowDetail(w *walkRun, typ string, obj map[string]any) string {
	id := identOf(typ, obj).id
	switch typ {
	case "Member":
		return w.truth.memberStatus[id]
	case "BusinessLink":
		l := w.truth.links[id]
		party := "not a party"
		if w.v.member != 0 && (l.from == w.v.member || l.to == w.v.member) {
			party = "viewer is a party"
		}
		return l.status + ", " + party
	case "Lead":
		if w.truth.leadExhibitor[id] == w.v.member {
			return "viewer's own lead"
		}
		return "another exhibitor's lead"
	}
	return "members only"
}

// judgeStrayError judges an error whose object was nulled (a non-null
// field refused): from the selection it names and the parent found in
// this answer or the ancestor path's.
func (w *walkRun) judgeStrayError(d *walkDoc, data map[string]any, e gqlError) {
	alias, _ := e.Path[0].(string)
	var part *docPart
	for i := range d.parts {
		if d.parts[i].alias == alias {
			part = &d.parts[i]
		}
	}
	if part == nil {
		w.fail(d.parts[0].path, "error on a path not asked for", pathString(e.Path)+": "+e.Message)
		return
	}
	family := part.path
	// Find the selection and the parent object.
	s := part.root
	parentType := "Query"
	var parent map[string]any
	var parentPath []any = e.Path[:1]
	var cur any = data[alias]
	for i := 1; i < len(e.Path); i++ {
		switch k := e.Path[i].(type) {
		case string:
			obj, _ := cur.(map[string]any)
			typ := ""
			if obj != nil {
				typ, _ = obj["__typename"].(string)
			}
			if typ == "" {
				typ = w.typeFromAncestor(part, e.Path[:i])
			}
			if typ == "" && s.sub != nil {
				typ = s.field.Type.Name()
			}
			next := s.child(k, typ)
			if next == nil {
				w.fail(family, "error on a field not asked for", pathString(e.Path)+": "+e.Message)
				return
			}
			parent, parentType, parentPath = obj, next.parent, e.Path[:i]
			s = next
			if obj != nil {
				cur = obj[k]
			} else {
				cur = nil
			}
		default:
			if list, ok := cur.([]any); ok {
				n := indexOf(k)
				if n >= 0 && n < len(list) {
					cur = list[n]
					continue
				}
			}
			cur = nil
		}
	}
	if parent == nil && parentType != "Query" {
		parent = w.objectFromAncestor(part, parentPath)
	}
	rule := ruleOf(s)
	p := ident{typ: parentType}
	if parent != nil {
		p = identOf(parentType, parent)
	}
	ok, known := w.allowed(rule, p, s.argv)
	if !known {
		w.unjudged++
	}
	code, _ := e.Extensions["code"].(string)
	where := pathString(e.Path)
	switch {
	case ok && known:
		w.fail(family, fmt.Sprintf("%s.%s (%s) refused: %s", s.parent, s.field.Name, rule, code), where+": "+e.Message)
	case code != domain.CodeForbidden:
		w.fail(family, fmt.Sprintf("%s.%s (%s) error %s, want FORBIDDEN", s.parent, s.field.Name, rule, code), where+": "+e.Message)
	}
}

func indexOf(k any) int {
	switch x := k.(type) {
	case float64:
		return int(x)
	case json.Number:
		n, _ := x.Int64()
		return int(n)
	case int:
		return x
	}
	return -1
}

// objectFromAncestor finds the object at path (under this root) in the
// answers to the path's ancestors, which ask the same up to their end.
func (w *walkRun) objectFromAncestor(part *docPart, path []any) map[string]any {
	for a := part.path.ancestor; a != nil; a = a.ancestor {
		val, ok := w.rootVals[rootAlias(a, part.label)]
		if !ok {
			continue
		}
		cur := val
		for _, k := range path[1:] {
			switch x := k.(type) {
			case string:
				obj, _ := cur.(map[string]any)
				cur = obj[x]
			default:
				list, _ := cur.([]any)
				n := indexOf(x)
				if n < 0 || n >= len(list) {
					cur = nil
				} else {
					cur = list[n]
				}
			}
			if cur == nil {
				break
			}
		}
		if obj, ok := cur.(map[string]any); ok {
			return obj
		}
	}
	return nil
}

func (w *walkRun) typeFromAncestor(part *docPart, path []any) string {
	if obj := w.objectFromAncestor(part, path); obj != nil {
		s, _ := obj["__typename"].(string)
		return s
	}
	return ""
}

// ruleOf returns the rule of a generated selection (generation made sure
// there is one).
func ruleOf(s *wsel) fieldRule {
	if r, ok := walkRules[s.parent+"."+s.field.Name]; ok {
		return r
	}
	return walkRules[s.parent+".*"]
}

func hasCode(errs []gqlError, code string) bool {
	for _, e := range errs {
		if e.Extensions["code"] == code {
			return true
		}
	}
	return false
}

func codes(errs []gqlError) string {
	if len(errs) == 0 {
		return "no error"
	}
	var out []string
	for _, e := range errs {
		c, _ := e.Extensions["code"].(string)
		out = append(out, c)
	}
	return strings.Join(out, ",")
}

func brief(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 160 {
		return string(b[:160]) + "…"
	}
	return string(b)
}
