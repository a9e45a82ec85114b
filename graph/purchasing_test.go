package graph_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"grappe/domain"
	"grappe/globalid"
)

const campaignFields = `id title description category supplier unit listPrice negotiatedPrice currency minimumQuantity
	opensAt closesAt closedAt status group { id name } totalQuantity committedMembers reachedMinimum savings
	viewerCommitment { quantity committedAt member { id name } }`

const (
	createCampaign = `mutation($input: CreatePurchasingCampaignInput!) { createPurchasingCampaign(input: $input) { clientMutationId campaign { ` + campaignFields + ` } } }`
	openCampaign   = `mutation($id: ID!) { openPurchasingCampaign(input: {campaignId: $id}) { campaign { id status opensAt } } }`
	commitCampaign = `mutation($c: ID!, $m: ID!, $q: Int!) { commitToCampaign(input: {campaignId: $c, memberId: $m, quantity: $q}) { campaign { ` + campaignFields + ` } } }`
	closeCampaign  = `mutation($id: ID!) { closePurchasingCampaign(input: {campaignId: $id}) { campaign { id status closedAt reachedMinimum } } }`
	orderCampaign  = `mutation($id: ID!) { markCampaignOrdered(input: {campaignId: $id}) { campaign { id status } } }`
	cancelCampaign = `mutation($id: ID!) { cancelPurchasingCampaign(input: {campaignId: $id}) { campaign { id status closedAt } } }`
	campaignByID   = `query($id: ID!) { node(id: $id) { ... on PurchasingCampaign { ` + campaignFields + ` } } }`
	commitmentsOf  = `query($id: ID!) { node(id: $id) { ... on PurchasingCampaign { commitments(first: 100) { totalCount
		edges { node { quantity committedAt member { id name } } } } } } }`
	purchasingOf = `query($id: ID!) { member(id: $id) { purchasing { campaignsJoined savings } } }`
)

type campaignData struct {
	ID, Title, Category, Supplier, Unit, Currency, Status string
	Description                                           *string
	ListPrice, NegotiatedPrice, MinimumQuantity           int
	OpensAt, ClosedAt                                     *time.Time
	ClosesAt                                              time.Time
	Group                                                 *struct{ ID, Name string }
	TotalQuantity, CommittedMembers, Savings              int
	ReachedMinimum                                        bool
	ViewerCommitment                                      *struct {
		Quantity    int
		CommittedAt time.Time
		Member      struct{ ID, Name string }
	}
}

// campaignWorld is a small cluster with a PURCHASING group (m[0] leads,
// m[1] and m[2] take part), an OTHER group led by m[3], and tokens.
type campaignWorld struct {
	a                *api
	m                []int64
	group, otherTeam string
	staff, analyst   string
}

func newCampaignWorld(t *testing.T, a *api) *campaignWorld {
	t.Helper()
	m := seedMembers(t, a, 8)
	g := seedGroup(t, a, "Achetons ensemble nos gaz étalons", m[:3])
	svc := a.db.Groups()
	q, err := svc.RaiseQuestion(staffCtx, m[3], "Comment simplifier nos CGV ?", domain.ThemeSmallBusinessSupport)
	if err != nil {
		t.Fatal(err)
	}
	var other *domain.WorkingGroup
	for _, id := range m[4:6] {
		res, err := svc.SupportQuestion(staffCtx, q.ID, id)
		if err != nil {
			t.Fatal(err)
		}
		other = res.GroupFormed
	}
	return &campaignWorld{a: a, m: m, group: globalid.Encode(globalid.TypeWorkingGroup, g.ID),
		otherTeam: globalid.Encode(globalid.TypeWorkingGroup, other.ID),
		staff:     token(t, domain.RoleStaff, ""), analyst: token(t, domain.RoleAnalyst, "")}
}

func (w *campaignWorld) member(i int) string { return token(w.a.t, domain.RoleMember, gid(w.m[i])) }

// campaignInput is a valid input closing in a week.
func campaignInput(group string) map[string]any {
	in := map[string]any{
		"title": "Gaz étalons 2027", "supplier": "Air Mesure SA", "unit": "bouteille B10",
		"listPrice": 12_000, "negotiatedPrice": 9_500, "minimumQuantity": 20, "category": "CALIBRATION_EQUIPMENT",
		"closesAt": time.Now().Add(7 * 24 * time.Hour).UTC().Format(time.RFC3339),
	}
	if group != "" {
		in["groupId"] = group
	}
	return in
}

// create makes a campaign as tok and returns it.
func (w *campaignWorld) create(tok string, in map[string]any) campaignData {
	w.a.t.Helper()
	var out struct {
		CreatePurchasingCampaign struct{ Campaign campaignData }
	}
	w.a.ok(tok, createCampaign, map[string]any{"input": in}, &out)
	return out.CreatePurchasingCampaign.Campaign
}

// open creates and opens a campaign of the PURCHASING group, as its lead.
func (w *campaignWorld) open() campaignData {
	w.a.t.Helper()
	c := w.create(w.member(0), campaignInput(w.group))
	w.a.ok(w.member(0), openCampaign, map[string]any{"id": c.ID}, nil)
	return c
}

func (w *campaignWorld) commit(tok, campaign string, member int64, q int) campaignData {
	w.a.t.Helper()
	var out struct {
		CommitToCampaign struct{ Campaign campaignData }
	}
	w.a.ok(tok, commitCampaign, map[string]any{"c": campaign, "m": gid(member), "q": q}, &out)
	return out.CommitToCampaign.Campaign
}

// TestPurchasingCampaignLifecycle: the group's lead creates and opens a
// campaign; members commit, change and withdraw their quantities; totals
// and savings are those computed by hand; the lead closes it below the
// minimum and orders it anyway; the members' purchasing shows it.
func TestPurchasingCampaignLifecycle(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	w := newCampaignWorld(t, a)
	lead := w.member(0)

	in := campaignInput(w.group)
	in["clientMutationId"] = "c1"
	in["description"] = "  Bouteilles de 10 litres, livrées par palette.  "
	in["currency"] = "eur"
	var created struct {
		CreatePurchasingCampaign struct {
			ClientMutationID string
			Campaign         campaignData
		}
	}
	a.ok(lead, createCampaign, map[string]any{"input": in}, &created)
	c := created.CreatePurchasingCampaign.Campaign
	if created.CreatePurchasingCampaign.ClientMutationID != "c1" || c.Status != "DRAFT" || c.Currency != "EUR" ||
		c.Description == nil || *c.Description != "Bouteilles de 10 litres, livrées par palette." || c.Group == nil ||
		c.Group.ID != w.group || c.OpensAt != nil || c.TotalQuantity != 0 || c.ReachedMinimum || c.Savings != 0 ||
		c.Category != "CALIBRATION_EQUIPMENT" || c.MinimumQuantity != 20 {
		t.Fatalf("created %+v", c)
	}
	// A DRAFT takes no commitment, and other members do not see it.
	if r := a.do(w.member(1), commitCampaign, map[string]any{"c": c.ID, "m": gid(w.m[1]), "q": 1}); r.code() != domain.CodeNotFound {
		t.Errorf("committing to a DRAFT it does not see: %+v", r.Errors)
	}
	if r := a.do(w.staff, commitCampaign, map[string]any{"c": c.ID, "m": gid(w.m[1]), "q": 1}); r.code() != domain.CodeConflict {
		t.Errorf("staff committing to a DRAFT: %+v", r.Errors)
	}
	var opened struct {
		OpenPurchasingCampaign struct{ Campaign campaignData }
	}
	a.ok(lead, openCampaign, map[string]any{"id": c.ID}, &opened)
	if o := opened.OpenPurchasingCampaign.Campaign; o.Status != "OPEN" || o.OpensAt == nil || time.Since(*o.OpensAt) > time.Minute {
		t.Fatalf("opened %+v", o)
	}
	if r := a.do(lead, openCampaign, map[string]any{"id": c.ID}); r.code() != domain.CodeConflict {
		t.Errorf("opening twice: %+v", r.Errors)
	}

	// Commitments: m1 5 then 8 (replaces), m2 4, m4 (not in the group) 3,
	// m5 2 then 0 (withdraws); staff commits 1 for m6.
	w.commit(w.member(1), c.ID, w.m[1], 5)
	got := w.commit(w.member(1), c.ID, w.m[1], 8)
	if got.ViewerCommitment == nil || got.ViewerCommitment.Quantity != 8 || got.ViewerCommitment.Member.ID != gid(w.m[1]) ||
		got.TotalQuantity != 8 || got.CommittedMembers != 1 {
		t.Fatalf("after replacing: %+v", got)
	}
	w.commit(w.member(2), c.ID, w.m[2], 4)
	w.commit(w.member(4), c.ID, w.m[4], 3)
	w.commit(w.member(5), c.ID, w.m[5], 2)
	got = w.commit(w.member(5), c.ID, w.m[5], 0)
	if got.ViewerCommitment != nil || got.TotalQuantity != 15 || got.CommittedMembers != 3 {
		t.Fatalf("after withdrawing: %+v", got)
	}
	w.commit(w.member(5), c.ID, w.m[5], 0) // withdrawing again changes nothing
	w.commit(w.staff, c.ID, w.m[6], 1)
	// 8 + 4 + 3 + 1 = 16 units, (120.00 − 95.00) × 16 = 400.00 EUR saved.
	var read struct{ Node campaignData }
	a.ok(w.member(2), campaignByID, map[string]any{"id": c.ID}, &read)
	if n := read.Node; n.TotalQuantity != 16 || n.CommittedMembers != 4 || n.Savings != 40_000 || n.ReachedMinimum ||
		n.ViewerCommitment == nil || n.ViewerCommitment.Quantity != 4 {
		t.Fatalf("read by m2: %+v", n)
	}
	// The lead and staff see every commitment, the latest first.
	type commitments struct {
		Node struct {
			Commitments struct {
				TotalCount int
				Edges      []struct {
					Node struct {
						Quantity int
						Member   struct{ ID string }
					}
				}
			}
		}
	}
	for _, tok := range []string{lead, w.staff, w.analyst} {
		var cs commitments
		a.ok(tok, commitmentsOf, map[string]any{"id": c.ID}, &cs)
		e := cs.Node.Commitments.Edges
		if cs.Node.Commitments.TotalCount != 4 || len(e) != 4 || e[0].Node.Member.ID != gid(w.m[6]) || e[0].Node.Quantity != 1 ||
			e[3].Node.Member.ID != gid(w.m[1]) || e[3].Node.Quantity != 8 {
			t.Errorf("commitments: %+v", cs)
		}
	}
	// Other members do not.
	if r := a.do(w.member(1), commitmentsOf, map[string]any{"id": c.ID}); r.code() != domain.CodeForbidden {
		t.Errorf("a member reading the commitments: %+v", r.Errors)
	}

	// Ordering needs the campaign closed; the lead closes it below its
	// minimum and orders anyway.
	if r := a.do(lead, orderCampaign, map[string]any{"id": c.ID}); r.code() != domain.CodeConflict {
		t.Errorf("ordering an OPEN campaign: %+v", r.Errors)
	}
	var closed struct {
		ClosePurchasingCampaign struct{ Campaign campaignData }
	}
	a.ok(lead, closeCampaign, map[string]any{"id": c.ID}, &closed)
	if cl := closed.ClosePurchasingCampaign.Campaign; cl.Status != "CLOSED" || cl.ClosedAt == nil || cl.ReachedMinimum {
		t.Fatalf("closed %+v", cl)
	}
	if r := a.do(w.member(1), commitCampaign, map[string]any{"c": c.ID, "m": gid(w.m[1]), "q": 9}); r.code() != domain.CodeConflict {
		t.Errorf("committing to a CLOSED campaign: %+v", r.Errors)
	}
	a.ok(lead, orderCampaign, map[string]any{"id": c.ID}, nil)
	if r := a.do(lead, cancelCampaign, map[string]any{"id": c.ID}); r.code() != domain.CodeConflict {
		t.Errorf("cancelling an ORDERED campaign: %+v", r.Errors)
	}

	// A second campaign of staff alone, in CHF, ordered: not counted in
	// the savings (EUR only), but joined.
	chf := campaignInput("")
	chf["currency"], chf["title"], chf["listPrice"], chf["negotiatedPrice"] = "CHF", "Étalons suisses", 1_000, 900
	other := w.create(w.staff, chf)
	if other.Group != nil {
		t.Fatalf("a staff campaign with a group: %+v", other)
	}
	a.ok(w.staff, openCampaign, map[string]any{"id": other.ID}, nil)
	w.commit(w.member(1), other.ID, w.m[1], 10)
	a.ok(w.staff, closeCampaign, map[string]any{"id": other.ID}, nil)
	a.ok(w.staff, orderCampaign, map[string]any{"id": other.ID}, nil)
	// A third, cancelled: neither joined nor saved.
	third := w.open()
	w.commit(w.member(1), third.ID, w.m[1], 2)
	a.ok(lead, cancelCampaign, map[string]any{"id": third.ID}, nil)

	var p struct {
		Member struct {
			Purchasing struct{ CampaignsJoined, Savings int }
		}
	}
	a.ok(w.member(1), purchasingOf, map[string]any{"id": gid(w.m[1])}, &p)
	// m1: 8 × 25.00 EUR saved on the first; the CHF one joined.
	if p.Member.Purchasing.CampaignsJoined != 2 || p.Member.Purchasing.Savings != 20_000 {
		t.Errorf("m1's purchasing: %+v", p)
	}
	a.ok(w.analyst, purchasingOf, map[string]any{"id": gid(w.m[4])}, &p)
	if p.Member.Purchasing.CampaignsJoined != 1 || p.Member.Purchasing.Savings != 7_500 {
		t.Errorf("m4's purchasing: %+v", p)
	}
	if r := a.do(w.member(2), purchasingOf, map[string]any{"id": gid(w.m[1])}); r.code() != domain.CodeForbidden {
		t.Errorf("a member reading another's purchasing: %+v", r.Errors)
	}

	// The list, the latest closing first, filtered.
	var list struct {
		PurchasingCampaigns struct {
			TotalCount int
			Edges      []struct{ Node campaignData }
		}
	}
	a.ok(w.member(3), `query($g: [ID!]) { purchasingCampaigns(filter: {statuses: [ORDERED, CANCELLED], groupIds: $g}) {
		totalCount edges { node { id status } } } }`, map[string]any{"g": []string{w.group}}, &list)
	if l := list.PurchasingCampaigns; l.TotalCount != 2 || len(l.Edges) != 2 {
		t.Errorf("filtered list: %+v", l)
	}
	a.ok(w.member(3), `{ purchasingCampaigns(first: 10) { totalCount edges { node { id status closesAt } } } }`, nil, &list)
	if l := list.PurchasingCampaigns; l.TotalCount != 3 || len(l.Edges) != 3 {
		t.Errorf("list: %+v", l)
	}
}

// TestPurchasingPermissions: who reads and writes what, for every kind of
// viewer: anonymous, PUBLIC, a MEMBER, the group's LEAD, a LAPSED member,
// ANALYST and STAFF.
func TestPurchasingPermissions(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	w := newCampaignWorld(t, a)
	if _, err := a.db.MemberDetails().EndMembership(staffCtx, w.m[7], nil); err != nil {
		t.Fatal(err)
	}
	open := w.open()
	w.commit(w.member(1), open.ID, w.m[1], 5)
	w.commit(w.staff, open.ID, w.m[5], 2)
	draft := w.create(w.member(0), campaignInput(w.group))

	viewers := []struct {
		name, tok string
		member    int // index in w.m, -1 for none
		readList  bool
		seesDraft bool
		runs      bool // reads the commitments and runs the campaigns
		writes    bool // commits for itself
	}{
		{"anonymous", "", -1, false, false, false, false},
		{"PUBLIC", token(t, domain.RolePublic, ""), -1, false, false, false, false},
		{"MEMBER", w.member(1), 1, true, false, false, true},
		{"LEAD", w.member(0), 0, true, true, true, true},
		{"LAPSED", w.member(7), 7, true, false, false, false},
		{"ANALYST", w.analyst, -1, true, true, false, false},
		{"STAFF", w.staff, -1, true, true, true, true},
	}
	for _, v := range viewers {
		t.Run(v.name, func(t *testing.T) {
			r := a.do(v.tok, `{ purchasingCampaigns { totalCount edges { node { id status } } } }`, nil)
			if v.readList {
				want := 1
				if v.seesDraft {
					want = 2
				}
				if len(r.Errors) > 0 || !strings.Contains(string(r.Data), fmt.Sprintf(`"totalCount":%d`, want)) {
					t.Errorf("list: %s %+v", r.Data, r.Errors)
				}
			} else if r.code() != domain.CodeForbidden {
				t.Errorf("list: %+v", r.Errors)
			}
			// By id: null, without an error, when not visible.
			for _, c := range []struct {
				id      string
				visible bool
			}{{open.ID, v.readList}, {draft.ID, v.seesDraft}} {
				r := a.do(v.tok, `query($id: ID!) { node(id: $id) { id } nodes(ids: [$id]) { id } }`, map[string]any{"id": c.id})
				if len(r.Errors) > 0 || strings.Contains(string(r.Data), "null") == c.visible {
					t.Errorf("by id %s: %s %+v", c.id, r.Data, r.Errors)
				}
			}
			if v.readList {
				analystOrRunner := v.runs || v.name == "ANALYST"
				r := a.do(v.tok, commitmentsOf, map[string]any{"id": open.ID})
				if analystOrRunner != (len(r.Errors) == 0) || (!analystOrRunner && r.code() != domain.CodeForbidden) {
					t.Errorf("commitments: %s %+v", r.Data, r.Errors)
				}
				var own struct{ Node campaignData }
				a.ok(v.tok, campaignByID, map[string]any{"id": open.ID}, &own)
				if wantOwn := v.name == "MEMBER"; (own.Node.ViewerCommitment != nil) != wantOwn {
					t.Errorf("viewerCommitment %+v", own.Node.ViewerCommitment)
				}
				if own.Node.TotalQuantity != 7 || own.Node.CommittedMembers != 2 {
					t.Errorf("totals %+v", own.Node)
				}
			}
			// Committing for itself (the quantity it holds: the totals stay);
			// for another member.
			if v.member >= 0 {
				q := 0
				if v.member == 1 {
					q = 5
				}
				r := a.do(v.tok, commitCampaign, map[string]any{"c": open.ID, "m": gid(w.m[v.member]), "q": q})
				switch {
				case v.writes && len(r.Errors) > 0:
					t.Errorf("committing for itself: %+v", r.Errors)
				case !v.writes && r.code() != domain.CodeForbidden:
					t.Errorf("committing for itself: %+v", r.Errors)
				}
				if r := a.do(v.tok, commitCampaign, map[string]any{"c": open.ID, "m": gid(w.m[2]), "q": 1}); r.code() != domain.CodeForbidden {
					t.Errorf("committing for another member: %+v", r.Errors)
				}
			} else if v.name != "STAFF" {
				if r := a.do(v.tok, commitCampaign, map[string]any{"c": open.ID, "m": gid(w.m[2]), "q": 1}); r.code() != domain.CodeForbidden {
					t.Errorf("committing: %+v", r.Errors)
				}
			}
			// Running a campaign: opening, closing, ordering, cancelling.
			if !v.runs {
				for _, q := range []string{openCampaign, closeCampaign, orderCampaign, cancelCampaign} {
					id := open.ID
					if q == openCampaign {
						id = draft.ID
					}
					r := a.do(v.tok, q, map[string]any{"id": id})
					want := domain.CodeForbidden
					if q == openCampaign && v.readList && !v.seesDraft {
						want = domain.CodeNotFound // a DRAFT it does not see
					}
					if r.code() != want {
						t.Errorf("%s: %+v, want %s", strings.Fields(q)[1], r.Errors, want)
					}
				}
			}
		})
	}
	// Creating a campaign of the group: its lead and staff.
	for _, v := range viewers {
		r := a.do(v.tok, createCampaign, map[string]any{"input": campaignInput(w.group)})
		if v.runs != (len(r.Errors) == 0) || (!v.runs && r.code() != domain.CodeForbidden) {
			t.Errorf("%s creating: %+v", v.name, r.Errors)
		}
	}
	// A member leads no campaign without a group; only staff creates one.
	if r := a.do(w.member(0), createCampaign, map[string]any{"input": campaignInput("")}); r.code() != domain.CodeForbidden ||
		r.Errors[0].Extensions["field"] != "groupId" {
		t.Errorf("a lead creating a campaign without a group: %+v", r.Errors)
	}
	// The lead of another group runs none of this group's campaigns.
	if r := a.do(w.member(3), closeCampaign, map[string]any{"id": open.ID}); r.code() != domain.CodeForbidden {
		t.Errorf("the lead of another group closing: %+v", r.Errors)
	}
	// Member.purchasing: the member itself, analysts and staff.
	for _, c := range []struct {
		tok  string
		code string
	}{{w.member(1), ""}, {w.member(2), domain.CodeForbidden}, {"", domain.CodeForbidden}, {w.analyst, ""}, {w.staff, ""}} {
		if r := a.do(c.tok, purchasingOf, map[string]any{"id": gid(w.m[1])}); r.code() != c.code {
			t.Errorf("purchasing of m1: %+v, want %q", r.Errors, c.code)
		}
	}
}

// TestPurchasingInputErrors: every bad input is refused with its code and
// field, and nothing is created.
func TestPurchasingInputErrors(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	w := newCampaignWorld(t, a)
	with := func(changes map[string]any) map[string]any {
		in := campaignInput(w.group)
		for k, v := range changes {
			if v == nil {
				delete(in, k)
			} else {
				in[k] = v
			}
		}
		return in
	}
	at := func(d time.Duration) string { return time.Now().Add(d).UTC().Format(time.RFC3339) }
	for _, c := range []struct {
		name  string
		in    map[string]any
		code  string
		field string
	}{
		{"blank title", with(map[string]any{"title": "  "}), domain.CodeBadUserInput, "title"},
		{"blank supplier", with(map[string]any{"supplier": ""}), domain.CodeBadUserInput, "supplier"},
		{"unit too long", with(map[string]any{"unit": strings.Repeat("u", 201)}), domain.CodeBadUserInput, "unit"},
		{"list price 0", with(map[string]any{"listPrice": 0, "negotiatedPrice": 0}), domain.CodeBadUserInput, "listPrice"},
		{"list price negative", with(map[string]any{"listPrice": -100}), domain.CodeBadUserInput, "listPrice"},
		{"list price too high", with(map[string]any{"listPrice": domain.MaxUnitPrice + 1}), domain.CodeBadUserInput, "listPrice"},
		{"negotiated price negative", with(map[string]any{"negotiatedPrice": -1}), domain.CodeBadUserInput, "negotiatedPrice"},
		{"negotiated above list", with(map[string]any{"negotiatedPrice": 12_001}), domain.CodeBadUserInput, "negotiatedPrice"},
		{"unknown currency", with(map[string]any{"currency": "XYZ"}), domain.CodeBadUserInput, "currency"},
		{"minimum 0", with(map[string]any{"minimumQuantity": 0}), domain.CodeBadUserInput, "minimumQuantity"},
		{"minimum too high", with(map[string]any{"minimumQuantity": domain.MaxQuantity + 1}), domain.CodeBadUserInput, "minimumQuantity"},
		{"closesAt past", with(map[string]any{"closesAt": at(-time.Hour)}), domain.CodeBadUserInput, "closesAt"},
		{"closesAt in three years", with(map[string]any{"closesAt": at(3 * 365 * 24 * time.Hour)}), domain.CodeBadUserInput, "closesAt"},
		{"closesAt before opensAt", with(map[string]any{"opensAt": at(48 * time.Hour), "closesAt": at(24 * time.Hour)}), domain.CodeBadUserInput, "closesAt"},
		{"opensAt past", with(map[string]any{"opensAt": at(-72 * time.Hour)}), domain.CodeBadUserInput, "opensAt"},
		{"closesAt year 0", with(map[string]any{"closesAt": "0000-01-01T00:00:00Z"}), domain.CodeBadUserInput, ""},
		{"unknown group", with(map[string]any{"groupId": globalid.Encode(globalid.TypeWorkingGroup, 99999)}), domain.CodeNotFound, "groupId"},
		{"a member id as group", with(map[string]any{"groupId": gid(w.m[0])}), domain.CodeBadUserInput, "groupId"},
		{"a group of another theme", with(map[string]any{"groupId": w.otherTeam}), domain.CodeBadUserInput, "groupId"},
		{"unknown category", with(map[string]any{"category": "FOOD"}), domain.CodeBadUserInput, ""},
	} {
		r := a.do(w.staff, createCampaign, map[string]any{"input": c.in})
		if r.code() != c.code || (c.field != "" && r.Errors[0].Extensions["field"] != c.field) {
			t.Errorf("%s: %+v, want %s on %q", c.name, r.Errors, c.code, c.field)
		}
	}
	// The lead of the OTHER group cannot attach a campaign to it either.
	if r := a.do(w.member(3), createCampaign, map[string]any{"input": with(map[string]any{"groupId": w.otherTeam})}); r.code() != domain.CodeBadUserInput {
		t.Errorf("the lead of a non-PURCHASING group: %+v", r.Errors)
	}
	if n := rowCount(t, a, "purchasing_campaigns"); n != 0 {
		t.Fatalf("refused inputs created %d campaigns", n)
	}

	c := w.open()
	for _, q := range []struct {
		name string
		q    int
		code string
	}{
		{"negative quantity", -1, domain.CodeBadUserInput},
		{"quantity too high", domain.MaxQuantity + 1, domain.CodeBadUserInput},
		// 120.00 a unit: 21,474,836.47 holds 178,956 units.
		{"past the campaign's value", 178_957, domain.CodeBadUserInput},
	} {
		r := a.do(w.member(1), commitCampaign, map[string]any{"c": c.ID, "m": gid(w.m[1]), "q": q.q})
		if r.code() != q.code || r.Errors[0].Extensions["field"] != "quantity" {
			t.Errorf("%s: %+v", q.name, r.Errors)
		}
	}
	w.commit(w.member(1), c.ID, w.m[1], 178_956)
	if r := a.do(w.member(2), commitCampaign, map[string]any{"c": c.ID, "m": gid(w.m[2]), "q": 1}); r.code() != domain.CodeBadUserInput {
		t.Errorf("one unit past the campaign's value: %+v", r.Errors)
	}
	for _, e := range []struct {
		name string
		vars map[string]any
		code string
	}{
		{"unknown campaign", map[string]any{"c": globalid.Encode(globalid.TypePurchasingCampaign, 99999), "m": gid(w.m[1]), "q": 1}, domain.CodeNotFound},
		{"a group id as campaign", map[string]any{"c": w.group, "m": gid(w.m[1]), "q": 1}, domain.CodeBadUserInput},
		{"unknown member", map[string]any{"c": c.ID, "m": gid(99999), "q": 1}, domain.CodeNotFound},
	} {
		if r := a.do(w.staff, commitCampaign, e.vars); r.code() != e.code {
			t.Errorf("%s: %+v", e.name, r.Errors)
		}
	}
	// A lapsed member is CONFLICT when staff acts for it.
	if _, err := a.db.MemberDetails().EndMembership(staffCtx, w.m[6], nil); err != nil {
		t.Fatal(err)
	}
	if r := a.do(w.staff, commitCampaign, map[string]any{"c": c.ID, "m": gid(w.m[6]), "q": 1}); r.code() != domain.CodeConflict {
		t.Errorf("staff committing for a lapsed member: %+v", r.Errors)
	}
	// After closesAt, even before the server closed it: CONFLICT.
	a.exec(`UPDATE purchasing_campaigns SET opens_at = now() - interval '1 hour', closes_at = now() - interval '1 second'`)
	if r := a.do(w.member(2), commitCampaign, map[string]any{"c": c.ID, "m": gid(w.m[2]), "q": 0}); r.code() != domain.CodeConflict {
		t.Errorf("committing after closesAt: %+v", r.Errors)
	}
}

// TestConcurrentCommitments: 50 members commit at once, twice each (the
// second replacing the first), while a runner reads: every total is exact.
func TestConcurrentCommitments(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	w := newCampaignWorld(t, a)
	const n = 50
	ms := seedMembers(t, a, n)
	c := w.open()
	var wg sync.WaitGroup
	errs := make(chan error, 2*n)
	for i, id := range ms {
		wg.Go(func() {
			tok := token(t, domain.RoleMember, gid(id))
			for _, q := range []int{100, i + 1} {
				r := a.do(tok, commitCampaign, map[string]any{"c": c.ID, "m": gid(id), "q": q})
				if len(r.Errors) > 0 {
					errs <- fmt.Errorf("member %d: %+v", i, r.Errors)
				}
			}
		})
	}
	wg.Go(func() {
		for range 20 {
			if r := a.do(w.staff, campaignByID, map[string]any{"id": c.ID}); len(r.Errors) > 0 {
				errs <- fmt.Errorf("reading: %+v", r.Errors)
			}
		}
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	// 1 + 2 + … + 50 = 1,275 units, 50 members; (120 − 95) × 1,275 = 31,875.00.
	var read struct{ Node campaignData }
	a.ok(w.staff, campaignByID, map[string]any{"id": c.ID}, &read)
	if n := read.Node; n.TotalQuantity != 1275 || n.CommittedMembers != 50 || n.Savings != 3_187_500 || !n.ReachedMinimum {
		t.Errorf("after 50 concurrent members: %+v", n)
	}
	var sum, count int
	if err := a.db.Bun().NewRaw("SELECT coalesce(sum(quantity), 0), count(*) FROM campaign_commitments").Scan(context.Background(), &sum, &count); err != nil {
		t.Fatal(err)
	}
	if sum != 1275 || count != 50 {
		t.Errorf("rows: %d units, %d commitments", sum, count)
	}
	var entries int
	if err := a.db.Bun().NewRaw("SELECT count(*) FROM audit_log WHERE mutation = 'commitToCampaign'").Scan(context.Background(), &entries); err != nil {
		t.Fatal(err)
	}
	if entries != 2*n {
		t.Errorf("%d audit entries for %d commitments", entries, 2*n)
	}
}

// TestCampaignClosesAtClosesAt: a campaign whose closesAt has come is
// closed by the server (CloseDueCampaigns, which every server runs) once,
// below its minimum it stays CLOSED with reachedMinimum false, and its
// runners then cancel (or order) it.
func TestCampaignClosesAtClosesAt(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	w := newCampaignWorld(t, a)
	c := w.open()
	w.commit(w.member(1), c.ID, w.m[1], 5)
	ctx := context.Background()
	if got, err := a.db.CloseDueCampaigns(ctx); err != nil || len(got) != 0 {
		t.Fatalf("closed %v before closesAt (%v)", got, err)
	}
	a.exec(`UPDATE purchasing_campaigns SET opens_at = now() - interval '2 days', closes_at = now() - interval '1 minute'`)
	got, err := a.db.CloseDueCampaigns(ctx)
	if err != nil || len(got) != 1 {
		t.Fatalf("closed %v (%v)", got, err)
	}
	if again, err := a.db.CloseDueCampaigns(ctx); err != nil || len(again) != 0 {
		t.Fatalf("closed %v again (%v)", again, err)
	}
	var read struct{ Node campaignData }
	a.ok(w.member(1), campaignByID, map[string]any{"id": c.ID}, &read)
	if n := read.Node; n.Status != "CLOSED" || n.ReachedMinimum || n.ClosedAt == nil || !n.ClosedAt.Equal(n.ClosesAt) || n.TotalQuantity != 5 {
		t.Fatalf("after closesAt: %+v", n)
	}
	var entries struct {
		AuditLog struct {
			Edges []struct {
				Node struct {
					Role, Subject, Mutation string
					Changes                 []struct {
						Field string
						After any
					}
				}
			}
		}
	}
	a.ok(w.staff, `query($id: ID!) { auditLog(filter: {targetIds: [$id], mutations: ["closePurchasingCampaign"]}) {
		edges { node { role subject mutation changes { field after } } } } }`, map[string]any{"id": c.ID}, &entries)
	if e := entries.AuditLog.Edges; len(e) != 1 || e[0].Node.Subject != "grappe:closesAt" || e[0].Node.Role != "STAFF" || len(e[0].Node.Changes) != 3 {
		t.Errorf("the closing in the audit trail: %+v", entries)
	}
	a.ok(w.member(0), cancelCampaign, map[string]any{"id": c.ID}, nil)
	a.ok(w.member(1), campaignByID, map[string]any{"id": c.ID}, &read)
	if read.Node.Status != "CANCELLED" || !read.Node.ClosedAt.Equal(read.Node.ClosesAt) {
		t.Errorf("cancelled: %+v", read.Node)
	}
}
