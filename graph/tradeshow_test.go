package graph_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"grappe/domain"
	"grappe/globalid"
)

type ids = map[string]any

const (
	createShowDoc    = `mutation($input: CreateTradeShowInput!) { createTradeShow(input: $input) { tradeShow { id } } }`
	updateShowDoc    = `mutation($input: UpdateTradeShowInput!) { updateTradeShow(input: $input) { tradeShow { id edition year city visitorCount startsOn endsOn } } }`
	addExhibitorDoc  = `mutation($input: AddExhibitorInput!) { addExhibitor(input: $input) { exhibitor { id } } }`
	removeExhibDoc   = `mutation($input: RemoveExhibitorInput!) { removeExhibitor(input: $input) { tradeShow { id } removedExhibitorId } }`
	recordLeadDoc    = `mutation($input: RecordLeadInput!) { recordLead(input: $input) { lead { id } } }`
	convertLeadDoc   = `mutation($input: ConvertLeadToLinkInput!) { convertLeadToLink(input: $input) { lead { id convertedLink { id } } link { id kind status origin from { name } to { name } declaredBy { name } } } }`
	showDashboardDoc = `query($y: Int!) { dashboard { tradeShow(year: $y) { show { edition year } exhibitors memberExhibitors otherExhibitors
	  memberExhibitorShare visitors leads leadsConverted confirmedLinks linksByKind { kind total confirmed pending declined ended } } } }`
)

// showInput is the input of a show of year, in October.
func showInput(edition, year int) ids {
	return ids{"edition": edition, "city": "Lyon", "venue": "Eurexpo",
		"startsOn": fmt.Sprintf("%d-10-06", year), "endsOn": fmt.Sprintf("%d-10-08", year)}
}

// mutateID runs a mutation as tok and returns the id at path of its data.
func (a *api) mutateID(tok, doc string, input ids, path ...string) string {
	a.t.Helper()
	var out map[string]any
	a.ok(tok, doc, ids{"input": input}, &out)
	var v any = out
	for _, k := range path {
		v = v.(map[string]any)[k]
	}
	return v.(string)
}

func (a *api) createShow(tok string, input ids) string {
	return a.mutateID(tok, createShowDoc, input, "createTradeShow", "tradeShow", "id")
}

func (a *api) addExhibitor(tok string, input ids) string {
	return a.mutateID(tok, addExhibitorDoc, input, "addExhibitor", "exhibitor", "id")
}

func (a *api) recordLead(tok string, input ids) string {
	return a.mutateID(tok, recordLeadDoc, input, "recordLead", "lead", "id")
}

// wantError runs a query that must fail with code, on field when not "".
func (a *api) wantError(name, tok, doc string, vars ids, code, field string) {
	a.t.Helper()
	r := a.do(tok, doc, vars)
	if r.code() != code || (field != "" && r.Errors[0].Extensions["field"] != field) {
		a.t.Errorf("%s: %+v, want %s on %q", name, r.Errors, code, field)
	}
}

// TestTradeShows: staff create and change shows and add and remove
// exhibitors, members or not; anyone lists the shows, newest first, and
// their exhibitors by name; bad input is refused with its field.
func TestTradeShows(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	staff := token(t, domain.RoleStaff, "")
	var tr struct {
		CreateTrade struct{ Trade struct{ ID string } }
	}
	a.ok(staff, `mutation { createTrade(input: {code: "MAKER", nameEn: "Maker", nameFr: "Fabricant"}) { trade { id } } }`, nil, &tr)
	maker := tr.CreateTrade.Trade.ID
	a.ok(staff, `mutation { createTrade(input: {code: "LAB", nameEn: "Laboratory", nameFr: "Laboratoire"}) { trade { id } } }`, nil, &tr)
	lab := tr.CreateTrade.Trade.ID
	alpha := a.create(ids{"name": "Alpha", "kind": "COMPANY", "tradeIds": []string{lab}})

	s1 := a.createShow(staff, showInput(1, 2023))
	in := showInput(2, 2024)
	in["visitorCount"] = 1900
	in["clientMutationId"] = "c1"
	s2 := a.createShow(staff, in)

	type page struct {
		TradeShows struct {
			TotalCount int
			PageInfo   struct {
				HasNextPage bool
				EndCursor   string
			}
			Edges []struct {
				Node struct {
					ID, City, Venue, StartsOn, EndsOn string
					Edition, Year, VisitorCount       int
				}
			}
		}
	}
	var p page
	a.ok("", `{ tradeShows(first: 1) { totalCount pageInfo { hasNextPage endCursor } edges { node { id edition year city venue startsOn endsOn visitorCount } } } }`, nil, &p)
	if n := p.TradeShows; n.TotalCount != 2 || len(n.Edges) != 1 || !n.PageInfo.HasNextPage || n.Edges[0].Node.ID != s2 ||
		n.Edges[0].Node.Year != 2024 || n.Edges[0].Node.Edition != 2 || n.Edges[0].Node.StartsOn != "2024-10-06" ||
		n.Edges[0].Node.EndsOn != "2024-10-08" || n.Edges[0].Node.VisitorCount != 1900 || n.Edges[0].Node.City != "Lyon" {
		t.Errorf("first page: %+v", n)
	}
	a.ok("", `query($c: String) { tradeShows(first: 1, after: $c) { totalCount pageInfo { hasNextPage endCursor } edges { node { id year } } } }`,
		ids{"c": p.TradeShows.PageInfo.EndCursor}, &p)
	if n := p.TradeShows; len(n.Edges) != 1 || n.PageInfo.HasNextPage || n.Edges[0].Node.ID != s1 || n.Edges[0].Node.Year != 2023 {
		t.Errorf("second page: %+v", n)
	}

	exA := a.addExhibitor(staff, ids{"tradeShowId": s2, "memberId": alpha.ID, "booth": "B12"})
	exO := a.addExhibitor(staff, ids{"tradeShowId": s2, "name": "  Optika GmbH ", "booth": "C3", "tradeIds": []string{maker, maker}})
	a.addExhibitor(staff, ids{"tradeShowId": s1, "memberId": alpha.ID, "booth": "B12"}) // the same member and booth, another year

	type exhibitor struct {
		ID, Name, Booth string
		Member          *struct{ Name string }
		Trades          []struct{ Code string }
		TradeShow       struct{ Year int }
	}
	var show struct {
		Node struct {
			Exhibitors struct {
				TotalCount int
				Edges      []struct{ Node exhibitor }
			}
		}
	}
	const exhibitors = `query($id: ID!) { node(id: $id) { ... on TradeShow { exhibitors { totalCount edges { node { id name booth member { name } trades { code } tradeShow { year } } } } } } }`
	a.ok("", exhibitors, ids{"id": s2}, &show)
	ex := show.Node.Exhibitors
	if ex.TotalCount != 2 || len(ex.Edges) != 2 {
		t.Fatalf("exhibitors: %+v", ex)
	}
	if e := ex.Edges[0].Node; e.ID != exA || e.Name != "Alpha" || e.Booth != "B12" || e.Member == nil || e.Member.Name != "Alpha" ||
		len(e.Trades) != 1 || e.Trades[0].Code != "LAB" || e.TradeShow.Year != 2024 {
		t.Errorf("member exhibitor: %+v", e)
	}
	if e := ex.Edges[1].Node; e.ID != exO || e.Name != "Optika GmbH" || e.Member != nil || len(e.Trades) != 1 || e.Trades[0].Code != "MAKER" {
		t.Errorf("exhibitor that is not a member: %+v", e)
	}
	var byID struct{ Nodes []*exhibitor }
	a.ok("", `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Exhibitor { id name booth } } }`, ids{"ids": []string{exO, exA}}, &byID)
	if len(byID.Nodes) != 2 || byID.Nodes[0].Name != "Optika GmbH" || byID.Nodes[1].Booth != "B12" {
		t.Errorf("exhibitors by id: %+v", byID.Nodes)
	}

	var upd struct {
		UpdateTradeShow struct {
			TradeShow struct {
				City, StartsOn, EndsOn string
				Edition, Year          int
				Visitors               int `json:"visitorCount"`
			}
		}
	}
	a.ok(staff, updateShowDoc, ids{"input": ids{"tradeShowId": s2, "visitorCount": 2100, "city": "Paris", "endsOn": "2024-10-09"}}, &upd)
	if u := upd.UpdateTradeShow.TradeShow; u.Visitors != 2100 || u.City != "Paris" || u.EndsOn != "2024-10-09" || u.StartsOn != "2024-10-06" || u.Year != 2024 {
		t.Errorf("updated: %+v", u)
	}
	a.ok(staff, updateShowDoc, ids{"input": ids{"tradeShowId": s2, "startsOn": "2025-03-03", "endsOn": "2025-03-04"}}, &upd)
	if u := upd.UpdateTradeShow.TradeShow; u.Year != 2025 || u.StartsOn != "2025-03-03" {
		t.Errorf("moved to 2025: %+v", u)
	}

	other := a.create(ids{"name": "Other", "kind": "COMPANY"})
	for _, c := range []struct {
		name, doc string
		input     ids
		code      string
		field     string
	}{
		{"an edition taken", createShowDoc, showInput(1, 2030), domain.CodeConflict, "edition"},
		{"a year taken", createShowDoc, showInput(9, 2023), domain.CodeConflict, "startsOn"},
		{"edition 0", createShowDoc, showInput(0, 2031), domain.CodeBadUserInput, "edition"},
		{"before 1950", createShowDoc, showInput(9, 1949), domain.CodeBadUserInput, "startsOn"},
		{"too far ahead", createShowDoc, showInput(9, time.Now().Year()+11), domain.CodeBadUserInput, "startsOn"},
		{"endsOn before startsOn", createShowDoc, ids{"edition": 9, "city": "x", "venue": "y", "startsOn": "2031-10-06", "endsOn": "2031-10-05"}, domain.CodeBadUserInput, "endsOn"},
		{"fifteen days", createShowDoc, ids{"edition": 9, "city": "x", "venue": "y", "startsOn": "2031-10-01", "endsOn": "2031-10-15"}, domain.CodeBadUserInput, "endsOn"},
		{"negative visitors", createShowDoc, ids{"edition": 9, "city": "x", "venue": "y", "startsOn": "2031-10-01", "endsOn": "2031-10-01", "visitorCount": -1}, domain.CodeBadUserInput, "visitorCount"},
		{"blank city", createShowDoc, ids{"edition": 9, "city": " ", "venue": "y", "startsOn": "2031-10-01", "endsOn": "2031-10-01"}, domain.CodeBadUserInput, "city"},
		{"update to a year taken", updateShowDoc, ids{"tradeShowId": s2, "startsOn": "2023-01-10", "endsOn": "2023-01-10"}, domain.CodeConflict, "startsOn"},
		{"update to an edition taken", updateShowDoc, ids{"tradeShowId": s2, "edition": 1}, domain.CodeConflict, "edition"},
		{"update to negative visitors", updateShowDoc, ids{"tradeShowId": s2, "visitorCount": -5}, domain.CodeBadUserInput, "visitorCount"},
		{"update visitors to null", updateShowDoc, ids{"tradeShowId": s2, "visitorCount": nil}, domain.CodeBadUserInput, "visitorCount"},
		{"update endsOn before startsOn", updateShowDoc, ids{"tradeShowId": s2, "endsOn": "2025-03-01"}, domain.CodeBadUserInput, "endsOn"},
		{"update of nothing", updateShowDoc, ids{"tradeShowId": globalid.Encode(globalid.TypeTradeShow, 999999), "city": "x"}, domain.CodeNotFound, "tradeShowId"},
		{"update of a member id", updateShowDoc, ids{"tradeShowId": alpha.ID, "city": "x"}, domain.CodeBadUserInput, "tradeShowId"},
		{"the member twice", addExhibitorDoc, ids{"tradeShowId": s2, "memberId": alpha.ID, "booth": "Z9"}, domain.CodeConflict, "memberId"},
		{"the booth twice", addExhibitorDoc, ids{"tradeShowId": s2, "memberId": other.ID, "booth": "b12"}, domain.CodeConflict, "booth"},
		{"the name twice", addExhibitorDoc, ids{"tradeShowId": s2, "name": "OPTIKA GMBH", "booth": "Z9"}, domain.CodeConflict, "name"},
		{"member and name", addExhibitorDoc, ids{"tradeShowId": s2, "memberId": other.ID, "name": "Other", "booth": "Z9"}, domain.CodeBadUserInput, "name"},
		{"neither member nor name", addExhibitorDoc, ids{"tradeShowId": s2, "booth": "Z9"}, domain.CodeBadUserInput, "memberId"},
		{"trades of a member", addExhibitorDoc, ids{"tradeShowId": s2, "memberId": other.ID, "booth": "Z9", "tradeIds": []string{maker}}, domain.CodeBadUserInput, "tradeIds"},
		{"an unknown trade", addExhibitorDoc, ids{"tradeShowId": s2, "name": "New", "booth": "Z9", "tradeIds": []string{globalid.Encode(globalid.TypeTrade, 99999)}}, domain.CodeBadUserInput, "tradeIds"},
		{"an unknown member", addExhibitorDoc, ids{"tradeShowId": s2, "memberId": gid(99999), "booth": "Z9"}, domain.CodeNotFound, "memberId"},
		{"an unknown show", addExhibitorDoc, ids{"tradeShowId": globalid.Encode(globalid.TypeTradeShow, 99999), "name": "New", "booth": "Z9"}, domain.CodeNotFound, "tradeShowId"},
		{"a blank booth", addExhibitorDoc, ids{"tradeShowId": s2, "name": "New", "booth": ""}, domain.CodeBadUserInput, "booth"},
		{"remove nothing", removeExhibDoc, ids{"exhibitorId": globalid.Encode(globalid.TypeExhibitor, 99999)}, domain.CodeNotFound, "exhibitorId"},
	} {
		a.wantError(c.name, staff, c.doc, ids{"input": c.input}, c.code, c.field)
	}

	var removed struct {
		RemoveExhibitor struct {
			TradeShow          struct{ ID string }
			RemovedExhibitorID string
		}
	}
	a.ok(staff, removeExhibDoc, ids{"input": ids{"exhibitorId": exO}}, &removed)
	if r := removed.RemoveExhibitor; r.TradeShow.ID != s2 || r.RemovedExhibitorID != exO {
		t.Errorf("removed: %+v", r)
	}
	a.ok("", exhibitors, ids{"id": s2}, &show)
	if show.Node.Exhibitors.TotalCount != 1 {
		t.Errorf("after the removal: %+v", show.Node.Exhibitors)
	}
	var gone struct{ Node *struct{ ID string } }
	a.ok("", `query($id: ID!) { node(id: $id) { id } }`, ids{"id": exO}, &gone)
	if gone.Node != nil {
		t.Errorf("removed exhibitor by id: %+v", gone.Node)
	}
	// An exhibitor with leads stays.
	lead := a.recordLead(staff, ids{"tradeShowId": s2, "exhibitorId": exA, "visitorCompany": "Visiteur SA", "scannedAt": "2025-03-03T10:00:00Z"})
	a.wantError("remove an exhibitor with leads", staff, removeExhibDoc, ids{"input": ids{"exhibitorId": exA}}, domain.CodeConflict, "")
	// A show cannot start after its leads were scanned.
	a.wantError("start after a lead", staff, updateShowDoc, ids{"input": ids{"tradeShowId": s2, "startsOn": "2025-03-04", "endsOn": "2025-03-05"}}, domain.CodeConflict, "startsOn")
	if lead == "" {
		t.Error("no lead")
	}
}

// leadsOf reads a show's leads as tok.
const leadsOf = `query($id: ID!) { node(id: $id) { ... on TradeShow { leads { totalCount edges { node { id visitorCompany note scannedAt
  visitorMember { name } exhibitor { name } tradeShow { id } convertedLink { id } } } } } } }`

type leadsPage struct {
	Node struct {
		Leads struct {
			TotalCount int
			Edges      []struct {
				Node struct {
					ID             string
					VisitorCompany *string
					Note           *string
					ScannedAt      time.Time
					VisitorMember  *struct{ Name string }
					Exhibitor      struct{ Name string }
					TradeShow      struct{ ID string }
					ConvertedLink  *struct{ ID string }
				}
			}
		}
	}
}

// TestTradeShowPermissions runs every read and write of the trade show as
// each viewer: anonymous, PUBLIC, a MEMBER exhibiting, a MEMBER not
// exhibiting, a LAPSED member who exhibited, ANALYST and STAFF.
func TestTradeShowPermissions(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	staff := token(t, domain.RoleStaff, "")
	mA := a.create(ids{"name": "Alpha", "kind": "COMPANY"})
	mB := a.create(ids{"name": "Bravo", "kind": "COMPANY"})
	mL := a.create(ids{"name": "Lapsed", "kind": "COMPANY"})
	show := a.createShow(staff, showInput(1, 2024))
	exA := a.addExhibitor(staff, ids{"tradeShowId": show, "memberId": mA.ID, "booth": "A1"})
	exL := a.addExhibitor(staff, ids{"tradeShowId": show, "memberId": mL.ID, "booth": "L1"})
	a.addExhibitor(staff, ids{"tradeShowId": show, "name": "Optika GmbH", "booth": "O1"})
	tok := map[string]string{
		"anonymous": "", "PUBLIC": token(t, domain.RolePublic, ""), "exhibiting": token(t, domain.RoleMember, mA.ID),
		"not exhibiting": token(t, domain.RoleMember, mB.ID), "LAPSED": token(t, domain.RoleMember, mL.ID),
		"ANALYST": token(t, domain.RoleAnalyst, ""), "STAFF": staff,
	}
	leadAB := a.recordLead(tok["exhibiting"], ids{"tradeShowId": show, "exhibitorId": exA, "visitorMemberId": mB.ID, "note": "Wants a quote"})
	a.recordLead(tok["exhibiting"], ids{"tradeShowId": show, "exhibitorId": exA, "visitorCompany": "Visiteur SA"})
	leadL := a.recordLead(tok["LAPSED"], ids{"tradeShowId": show, "exhibitorId": exL, "visitorMemberId": mA.ID})
	a.ok(staff, `mutation($id: ID!) { endMembership(input: {memberId: $id}) { member { id } } }`, ids{"id": mL.ID}, nil)

	// Reads: shows and exhibitors are public, leads are not.
	wantLeads := map[string]int{"exhibiting": 2, "not exhibiting": 0, "LAPSED": 1, "ANALYST": 3, "STAFF": 3}
	for who, tk := range tok {
		var s struct {
			Node struct {
				Exhibitors struct {
					TotalCount int
					Edges      []struct {
						Node struct {
							Name   string
							Member *struct{ Name string }
						}
					}
				}
			}
		}
		a.ok(tk, `query($id: ID!) { node(id: $id) { ... on TradeShow { exhibitors { totalCount edges { node { name member { name } } } } } } }`, ids{"id": show}, &s)
		if s.Node.Exhibitors.TotalCount != 3 {
			t.Errorf("%s: exhibitors %+v", who, s.Node.Exhibitors)
		}
		for _, e := range s.Node.Exhibitors.Edges {
			// A LAPSED member is hidden from anonymous callers, as everywhere.
			hidden := e.Node.Name == "Lapsed" && (who == "anonymous" || who == "PUBLIC")
			if (e.Node.Member == nil) != (e.Node.Name == "Optika GmbH" || hidden) {
				t.Errorf("%s: exhibitor %s with member %+v", who, e.Node.Name, e.Node.Member)
			}
		}
		r := a.do(tk, leadsOf, ids{"id": show})
		want, reads := wantLeads[who]
		if !reads {
			if r.code() != domain.CodeForbidden {
				t.Errorf("%s reading leads: %+v", who, r.Errors)
			}
		} else {
			var p leadsPage
			if len(r.Errors) > 0 || json.Unmarshal(r.Data, &p) != nil || p.Node.Leads.TotalCount != want || len(p.Node.Leads.Edges) != want {
				t.Errorf("%s reading leads: %s %+v, want %d", who, r.Data, r.Errors, want)
			}
		}
		// By id, a lead the viewer may not read is null, without an error.
		var byID struct{ Node *struct{ ID string } }
		a.ok(tk, `query($id: ID!) { node(id: $id) { ... on Lead { id } } }`, ids{"id": leadAB}, &byID)
		if sees := who == "exhibiting" || who == "ANALYST" || who == "STAFF"; (byID.Node != nil) != sees {
			t.Errorf("%s reading lead A→B by id: %+v", who, byID.Node)
		}
		r = a.do(tk, `{ dashboard { tradeShow(year: 2024) { leads } } }`, nil)
		if analyst := who == "ANALYST" || who == "STAFF"; (r.code() == "") != analyst || (!analyst && r.code() != domain.CodeForbidden) {
			t.Errorf("%s reading the dashboard block: %+v", who, r.Errors)
		}
	}

	// Writes: what each viewer may do, and the code of each refusal.
	year, n := 2000, 0
	visitor := func() string {
		n++
		return a.create(ids{"name": fmt.Sprint("Visitor ", n), "kind": "COMPANY"}).ID
	}
	forbidden := func(except map[string]string) map[string]string {
		out := map[string]string{}
		for who := range tok {
			out[who] = domain.CodeForbidden
		}
		for who, code := range except {
			out[who] = code
		}
		return out
	}
	staffOnly := forbidden(map[string]string{"STAFF": ""})
	for _, c := range []struct {
		name string
		want map[string]string // by viewer: "" when allowed, else the code
		run  func(tk string) *response
	}{
		{"createTradeShow", staffOnly, func(tk string) *response {
			year++
			return a.do(tk, createShowDoc, ids{"input": showInput(year-1990, year)})
		}},
		{"updateTradeShow", staffOnly, func(tk string) *response {
			return a.do(tk, updateShowDoc, ids{"input": ids{"tradeShowId": show, "visitorCount": 2000}})
		}},
		{"addExhibitor", staffOnly, func(tk string) *response {
			year++
			return a.do(tk, addExhibitorDoc, ids{"input": ids{"tradeShowId": show, "name": fmt.Sprint("Company ", year), "booth": fmt.Sprint("X", year)}})
		}},
		{"removeExhibitor", staffOnly, func(tk string) *response {
			year++
			ex := a.addExhibitor(staff, ids{"tradeShowId": show, "name": fmt.Sprint("Company ", year), "booth": fmt.Sprint("X", year)})
			return a.do(tk, removeExhibDoc, ids{"input": ids{"exhibitorId": ex}})
		}},
		{"recordLead for A's exhibitor", forbidden(map[string]string{"exhibiting": "", "STAFF": ""}), func(tk string) *response {
			return a.do(tk, recordLeadDoc, ids{"input": ids{"tradeShowId": show, "exhibitorId": exA, "visitorMemberId": visitor()}})
		}},
		{"recordLead for the lapsed member's exhibitor", staffOnly, func(tk string) *response {
			return a.do(tk, recordLeadDoc, ids{"input": ids{"tradeShowId": show, "exhibitorId": exL, "visitorMemberId": visitor()}})
		}},
		// Another member's lead is not there for a member: NOT_FOUND.
		{"convertLeadToLink of A's lead", forbidden(map[string]string{"exhibiting": "", "STAFF": "", "not exhibiting": domain.CodeNotFound}),
			func(tk string) *response {
				l := a.recordLead(staff, ids{"tradeShowId": show, "exhibitorId": exA, "visitorMemberId": visitor()})
				return a.do(tk, convertLeadDoc, ids{"input": ids{"leadId": l, "kind": "SUPPLY"}})
			}},
		// Staff may, but the exhibiting member has left: a link needs ACTIVE parties.
		{"convertLeadToLink of the lapsed member's lead",
			forbidden(map[string]string{"STAFF": domain.CodeBadUserInput, "exhibiting": domain.CodeNotFound, "not exhibiting": domain.CodeNotFound}),
			func(tk string) *response {
				return a.do(tk, convertLeadDoc, ids{"input": ids{"leadId": leadL, "kind": "SUPPLY"}})
			}},
	} {
		for who, tk := range tok {
			if r := c.run(tk); r.code() != c.want[who] {
				t.Errorf("%s as %s: %+v, want %q", c.name, who, r.Errors, c.want[who])
			}
		}
	}
}

// TestConvertLeadToLink: a lead of a member visitor becomes a PENDING link
// of origin TRADE_SHOW declared by the exhibitor, under every rule of a
// declaration: no self-link, no duplicate live link (CONFLICT, both ways
// for symmetric kinds), ACTIVE parties; a lead becomes one link at most.
func TestConvertLeadToLink(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	staff := token(t, domain.RoleStaff, "")
	mA := a.create(ids{"name": "Alpha", "kind": "COMPANY"})
	mB := a.create(ids{"name": "Bravo", "kind": "COMPANY"})
	mC := a.create(ids{"name": "Charlie", "kind": "COMPANY"})
	mD := a.create(ids{"name": "Delta", "kind": "COMPANY"})
	tokA, tokB := token(t, domain.RoleMember, mA.ID), token(t, domain.RoleMember, mB.ID)
	show := a.createShow(staff, showInput(1, 2024))
	later := a.createShow(staff, showInput(2, time.Now().Year()+1))
	exA := a.addExhibitor(staff, ids{"tradeShowId": show, "memberId": mA.ID, "booth": "A1"})
	exB := a.addExhibitor(staff, ids{"tradeShowId": show, "memberId": mB.ID, "booth": "B1"})
	exLater := a.addExhibitor(staff, ids{"tradeShowId": later, "memberId": mA.ID, "booth": "A1"})
	exO := a.addExhibitor(staff, ids{"tradeShowId": show, "name": "Optika GmbH", "booth": "O1"})

	leadAB := a.recordLead(tokA, ids{"tradeShowId": show, "exhibitorId": exA, "visitorMemberId": mB.ID, "scannedAt": "2024-10-06T09:30:00Z"})
	leadBA := a.recordLead(tokB, ids{"tradeShowId": show, "exhibitorId": exB, "visitorMemberId": mA.ID})
	leadAC := a.recordLead(tokA, ids{"tradeShowId": show, "exhibitorId": exA, "visitorMemberId": mC.ID})
	leadAD := a.recordLead(tokA, ids{"tradeShowId": show, "exhibitorId": exA, "visitorMemberId": mD.ID})
	leadCo := a.recordLead(tokA, ids{"tradeShowId": show, "exhibitorId": exA, "visitorCompany": "Visiteur SA", "note": "Stand B, lundi"})

	// Recording refusals.
	for _, c := range []struct {
		name  string
		input ids
		code  string
		field string
	}{
		{"the same member twice", ids{"tradeShowId": show, "exhibitorId": exA, "visitorMemberId": mB.ID}, domain.CodeConflict, "visitorMemberId"},
		{"the same company twice", ids{"tradeShowId": show, "exhibitorId": exA, "visitorCompany": " VISITEUR sa "}, domain.CodeConflict, "visitorCompany"},
		{"the exhibitor as visitor", ids{"tradeShowId": show, "exhibitorId": exA, "visitorMemberId": mA.ID}, domain.CodeBadUserInput, "visitorMemberId"},
		{"an exhibitor of another show", ids{"tradeShowId": show, "exhibitorId": exLater, "visitorCompany": "X"}, domain.CodeBadUserInput, "exhibitorId"},
		{"an exhibitor that is not a member", ids{"tradeShowId": show, "exhibitorId": exO, "visitorCompany": "X"}, domain.CodeBadUserInput, "exhibitorId"},
		{"both visitors", ids{"tradeShowId": show, "exhibitorId": exA, "visitorMemberId": mC.ID, "visitorCompany": "X"}, domain.CodeBadUserInput, "visitorCompany"},
		{"no visitor", ids{"tradeShowId": show, "exhibitorId": exA}, domain.CodeBadUserInput, "visitorMemberId"},
		{"an unknown visitor", ids{"tradeShowId": show, "exhibitorId": exA, "visitorMemberId": gid(99999)}, domain.CodeNotFound, "visitorMemberId"},
		{"an unknown exhibitor", ids{"tradeShowId": show, "exhibitorId": globalid.Encode(globalid.TypeExhibitor, 99999), "visitorCompany": "X"}, domain.CodeNotFound, "exhibitorId"},
		{"scanned before the show", ids{"tradeShowId": show, "exhibitorId": exA, "visitorCompany": "X", "scannedAt": "2024-10-05T12:00:00Z"}, domain.CodeBadUserInput, "scannedAt"},
		{"scanned in two days", ids{"tradeShowId": show, "exhibitorId": exA, "visitorCompany": "X", "scannedAt": time.Now().Add(48 * time.Hour).Format(time.RFC3339)}, domain.CodeBadUserInput, "scannedAt"},
		{"before the show opens", ids{"tradeShowId": later, "exhibitorId": exLater, "visitorCompany": "X"}, domain.CodeConflict, ""},
		{"a note too long", ids{"tradeShowId": show, "exhibitorId": exA, "visitorCompany": "X", "note": strings.Repeat("n", 2001)}, domain.CodeBadUserInput, "note"},
	} {
		a.wantError("record "+c.name, tokA, recordLeadDoc, ids{"input": c.input}, c.code, c.field)
	}

	type converted struct {
		ConvertLeadToLink struct {
			Lead struct {
				ID            string
				ConvertedLink *struct{ ID string }
			}
			Link struct {
				ID, Kind, Status, Origin string
				From, To, DeclaredBy     struct{ Name string }
			}
		}
	}
	var c converted
	a.ok(tokA, convertLeadDoc, ids{"input": ids{"leadId": leadAB, "kind": "SUPPLY", "clientMutationId": "x"}}, &c)
	l := c.ConvertLeadToLink
	if l.Link.Kind != "SUPPLY" || l.Link.Status != "PENDING" || l.Link.Origin != "TRADE_SHOW" || l.Link.From.Name != "Alpha" ||
		l.Link.To.Name != "Bravo" || l.Link.DeclaredBy.Name != "Alpha" || l.Lead.ConvertedLink == nil || l.Lead.ConvertedLink.ID != l.Link.ID {
		t.Errorf("converted: %+v", l)
	}
	// The visitor sees the link awaiting its confirmation.
	var pending struct {
		Viewer struct {
			PendingConfirmations struct {
				Edges []struct{ Node struct{ ID string } }
			}
		}
	}
	a.ok(tokB, `{ viewer { pendingConfirmations { edges { node { id } } } } }`, nil, &pending)
	if e := pending.Viewer.PendingConfirmations.Edges; len(e) != 1 || e[0].Node.ID != l.Link.ID {
		t.Errorf("B's pending confirmations: %+v", e)
	}

	a.exec(`INSERT INTO leads (trade_show_id, exhibitor_id, visitor_member_id, scanned_at)
		SELECT trade_show_id, id, member_id, '2024-10-07' FROM exhibitors WHERE id = ?`, mustDecode(t, exA))
	var self int64
	if err := a.db.Bun().NewRaw(`SELECT max(id) FROM leads`).Scan(staffCtx, &self); err != nil {
		t.Fatal(err)
	}
	a.ok(tokA, `mutation($id: ID!, $to: ID!) { declareBusinessLink(input: {fromId: $id, toId: $to, kind: PARTNERSHIP}) { link { id } } }`,
		ids{"id": mA.ID, "to": mB.ID}, nil)
	a.ok(staff, `mutation($f: ID!, $t: ID!) { declareBusinessLink(input: {fromId: $f, toId: $t, kind: REFERRAL}) { link { id } } }`,
		ids{"f": mA.ID, "t": mC.ID}, nil)
	a.ok(staff, `mutation($id: ID!) { endMembership(input: {memberId: $id}) { member { id } } }`, ids{"id": mD.ID}, nil)
	tomorrow := time.Now().AddDate(0, 0, 2).Format(time.DateOnly)
	for _, c := range []struct {
		name, tok, lead, kind string
		extra                 ids
		code, field           string
	}{
		{"the same lead again", tokA, leadAB, "DISTRIBUTION", nil, domain.CodeConflict, "leadId"},
		{"a self-link", tokA, globalid.Encode(globalid.TypeLead, self), "SUPPLY", nil, domain.CodeBadUserInput, "leadId"},
		{"a live symmetric link the other way", tokB, leadBA, "PARTNERSHIP", nil, domain.CodeConflict, ""},
		{"a live link of the same kind", tokA, leadAC, "REFERRAL", nil, domain.CodeConflict, ""},
		{"a lapsed visitor", tokA, leadAD, "SUPPLY", nil, domain.CodeBadUserInput, "leadId"},
		{"a visitor that is not a member", tokA, leadCo, "SUPPLY", nil, domain.CodeBadUserInput, "leadId"},
		{"since in the future", tokA, leadAC, "SUPPLY", ids{"since": tomorrow}, domain.CodeBadUserInput, "since"},
		{"a note too long", tokA, leadAC, "SUPPLY", ids{"note": strings.Repeat("n", 2001)}, domain.CodeBadUserInput, "note"},
		{"an unknown kind", tokA, leadAC, "BARTER", nil, domain.CodeBadUserInput, ""},
		{"a lead of nothing", tokA, globalid.Encode(globalid.TypeLead, 99999), "SUPPLY", nil, domain.CodeNotFound, "leadId"},
		{"a member id", tokA, mB.ID, "SUPPLY", nil, domain.CodeBadUserInput, "leadId"},
	} {
		in := ids{"leadId": c.lead, "kind": c.kind}
		for k, v := range c.extra {
			in[k] = v
		}
		a.wantError("convert "+c.name, c.tok, convertLeadDoc, ids{"input": in}, c.code, c.field)
	}
	// The refused conversions left their leads as they were.
	var p leadsPage
	a.ok(staff, leadsOf, ids{"id": show}, &p)
	convertedLeads := 0
	for _, e := range p.Node.Leads.Edges {
		if e.Node.ConvertedLink != nil {
			convertedLeads++
		}
	}
	if p.Node.Leads.TotalCount != 6 || convertedLeads != 1 {
		t.Errorf("%d leads, %d converted: %+v", p.Node.Leads.TotalCount, convertedLeads, p.Node.Leads.Edges)
	}
	// Another kind between the same two is a new link.
	a.ok(tokB, convertLeadDoc, ids{"input": ids{"leadId": leadBA, "kind": "SUBCONTRACTING", "volumeBand": "UNDER_10K", "note": "Étalonnage"}}, &c)
	if l := c.ConvertLeadToLink.Link; l.From.Name != "Bravo" || l.To.Name != "Alpha" || l.Kind != "SUBCONTRACTING" {
		t.Errorf("B's conversion: %+v", l)
	}
	// Staff converts on the exhibitor's behalf: the exhibitor declares.
	a.ok(staff, convertLeadDoc, ids{"input": ids{"leadId": leadAC, "kind": "SUPPLY", "since": "2024-11-01"}}, &c)
	if l := c.ConvertLeadToLink.Link; l.DeclaredBy.Name != "Alpha" || l.To.Name != "Charlie" {
		t.Errorf("staff's conversion: %+v", l)
	}
	var entries struct {
		AuditLog struct {
			Edges []struct {
				Node struct {
					TargetType string
					TargetIds  []string
				}
			}
		}
	}
	a.ok(staff, `{ auditLog(filter: {mutations: ["convertLeadToLink"]}) { edges { node { targetType targetIds } } } }`, nil, &entries)
	if e := entries.AuditLog.Edges; len(e) != 3 || e[0].Node.TargetType != "Lead" || len(e[0].Node.TargetIds) < 4 {
		t.Errorf("audit entries of convertLeadToLink: %+v", e)
	}
}

// mustDecode returns the database id of a global id.
func mustDecode(t *testing.T, id string) int64 {
	t.Helper()
	_, n, err := globalid.Decode("id", id)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestTradeShowDashboard counts a small show by hand: five exhibitors,
// three of them members, five leads, three converted into links of which
// one is CONFIRMED; a link of origin TRADE_SHOW declared directly, one
// from another show's lead and one created before its show are not born
// at the show.
func TestTradeShowDashboard(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	staff, analyst := token(t, domain.RoleStaff, ""), token(t, domain.RoleAnalyst, "")
	m := map[string]memberData{}
	tok := map[string]string{}
	for _, n := range []string{"A", "B", "C"} {
		m[n] = a.create(ids{"name": "Member " + n, "kind": "COMPANY"})
		tok[n] = token(t, domain.RoleMember, m[n].ID)
	}
	in := showInput(5, 2024)
	in["visitorCount"] = 1234
	show := a.createShow(staff, in)
	old := a.createShow(staff, showInput(4, 2023))
	ex := map[string]string{}
	for _, n := range []string{"A", "B", "C"} {
		ex[n] = a.addExhibitor(staff, ids{"tradeShowId": show, "memberId": m[n].ID, "booth": n})
	}
	a.addExhibitor(staff, ids{"tradeShowId": show, "name": "Optika GmbH", "booth": "O1"})
	a.addExhibitor(staff, ids{"tradeShowId": show, "name": "Mess AG", "booth": "O2"})
	oldEx := a.addExhibitor(staff, ids{"tradeShowId": old, "memberId": m["C"].ID, "booth": "C"})

	lead := func(by, visitor string) string {
		in := ids{"tradeShowId": show, "exhibitorId": ex[by]}
		if v, ok := m[visitor]; ok {
			in["visitorMemberId"] = v.ID
		} else {
			in["visitorCompany"] = visitor
		}
		return a.recordLead(tok[by], in)
	}
	ab, ac, ba := lead("A", "B"), lead("A", "C"), lead("B", "A")
	lead("A", "Visiteur SA")
	lead("C", "Autre SAS")
	var c struct {
		ConvertLeadToLink struct{ Link struct{ ID string } }
	}
	convert := func(tk, l, kind string) string {
		a.ok(tk, convertLeadDoc, ids{"input": ids{"leadId": l, "kind": kind}}, &c)
		return c.ConvertLeadToLink.Link.ID
	}
	supply := convert(tok["A"], ab, "SUPPLY")
	distribution := convert(tok["A"], ac, "DISTRIBUTION")
	convert(tok["B"], ba, "PARTNERSHIP")
	a.ok(tok["B"], `mutation($id: ID!) { confirmBusinessLink(input: {id: $id}) { link { id } } }`, ids{"id": supply}, nil)
	a.ok(tok["C"], `mutation($id: ID!) { declineBusinessLink(input: {id: $id}) { link { id } } }`, ids{"id": distribution}, nil)
	// Not born at the 2024 show: declared directly, and from a 2023 lead.
	var d struct {
		DeclareBusinessLink struct{ Link struct{ ID string } }
	}
	a.ok(tok["C"], `mutation($f: ID!, $t: ID!) { declareBusinessLink(input: {fromId: $f, toId: $t, kind: JOINT_BID, origin: TRADE_SHOW}) { link { id } } }`,
		ids{"f": m["C"].ID, "t": m["A"].ID}, &d)
	a.ok(tok["A"], `mutation($id: ID!) { confirmBusinessLink(input: {id: $id}) { link { id } } }`, ids{"id": d.DeclareBusinessLink.Link.ID}, nil)
	oldLead := a.recordLead(tok["C"], ids{"tradeShowId": old, "exhibitorId": oldEx, "visitorMemberId": m["B"].ID})
	oldLink := convert(tok["C"], oldLead, "REFERRAL")
	a.ok(tok["B"], `mutation($id: ID!) { confirmBusinessLink(input: {id: $id}) { link { id } } }`, ids{"id": oldLink}, nil)

	type stats struct {
		Dashboard struct {
			TradeShow *struct {
				Show                                                 struct{ Edition, Year int }
				Exhibitors, MemberExhibitors, OtherExhibitors, Leads int
				MemberExhibitorShare                                 *float64
				Visitors, LeadsConverted, ConfirmedLinks             int
				LinksByKind                                          []struct {
					Kind                                       string
					Total, Confirmed, Pending, Declined, Ended int
				}
			}
		}
	}
	var s stats
	a.ok(analyst, showDashboardDoc, ids{"y": 2024}, &s)
	got := s.Dashboard.TradeShow
	if got == nil {
		t.Fatal("no 2024 block")
	}
	if got.Show.Edition != 5 || got.Show.Year != 2024 || got.Exhibitors != 5 || got.MemberExhibitors != 3 || got.OtherExhibitors != 2 ||
		got.MemberExhibitorShare == nil || *got.MemberExhibitorShare != 0.6 || got.Visitors != 1234 || got.Leads != 5 ||
		got.LeadsConverted != 3 || got.ConfirmedLinks != 1 {
		t.Errorf("2024: %+v", got)
	}
	want := map[string][5]int{"SUPPLY": {1, 1, 0, 0, 0}, "DISTRIBUTION": {1, 0, 0, 1, 0}, "PARTNERSHIP": {1, 0, 1, 0, 0}}
	kinds := []string{}
	for _, k := range got.LinksByKind {
		kinds = append(kinds, k.Kind)
		if w := want[k.Kind]; [5]int{k.Total, k.Confirmed, k.Pending, k.Declined, k.Ended} != w {
			t.Errorf("2024 %s links: %+v, want %v", k.Kind, k, w)
		}
	}
	if strings.Join(kinds, ",") != "SUPPLY,SUBCONTRACTING,DISTRIBUTION,PARTNERSHIP,JOINT_BID,REFERRAL" {
		t.Errorf("kinds %v", kinds)
	}
	a.ok(staff, showDashboardDoc, ids{"y": 2023}, &s)
	if got := s.Dashboard.TradeShow; got == nil || got.Exhibitors != 1 || got.MemberExhibitors != 1 || got.Leads != 1 ||
		got.LeadsConverted != 1 || got.ConfirmedLinks != 1 || got.Visitors != 0 {
		t.Errorf("2023: %+v", got)
	}
	// A link created before its show's first day was not born there.
	a.exec(`UPDATE business_links SET created_at = '2023-10-05 12:00:00+00' WHERE id = ?`, mustDecode(t, oldLink))
	a.ok(staff, showDashboardDoc, ids{"y": 2023}, &s)
	if got := s.Dashboard.TradeShow; got == nil || got.LeadsConverted != 1 || got.ConfirmedLinks != 0 {
		t.Errorf("2023 with a link older than the show: %+v", got)
	}
	var none struct {
		Dashboard struct{ TradeShow *struct{ Leads int } }
	}
	a.ok(staff, `{ dashboard { tradeShow(year: 2019) { leads } } }`, nil, &none)
	if none.Dashboard.TradeShow != nil {
		t.Errorf("a year without a show: %+v", none.Dashboard.TradeShow)
	}
	a.wantError("year 0", staff, `{ dashboard { tradeShow(year: 0) { leads } } }`, nil, domain.CodeBadUserInput, "year")
	empty := a.createShow(staff, showInput(6, 2025))
	var e struct {
		Dashboard struct {
			TradeShow struct {
				Exhibitors           int
				MemberExhibitorShare *float64
				LinksByKind          []struct{ Total int }
			}
		}
	}
	a.ok(staff, `{ dashboard { tradeShow(year: 2025) { exhibitors memberExhibitorShare linksByKind { total } } } }`, nil, &e)
	if b := e.Dashboard.TradeShow; b.Exhibitors != 0 || b.MemberExhibitorShare != nil || len(b.LinksByKind) != 6 || empty == "" {
		t.Errorf("a show without exhibitors: %+v", b)
	}
}
