package graph_test

import (
	"context"
	"math"
	"testing"

	"grappe/domain"
	"grappe/globalid"
)

// recommendNetwork is a small hand-built network for partner
// recommendations, seen from Alpha (a manufacturer in Île-de-France):
//
//	Bravo (distributor, IdF) — Alpha — Charlie (Bretagne)    partners
//	Delta (integrator + distributor) — Bravo, Charlie
//	Echo (IdF) — Charlie; in group 1 with Alpha; left group 2
//	Foxtrot (integrator, IdF, LAPSED) — Charlie; in group 1
//	Golf (laboratory, Occitanie): in group 2 with Alpha; PENDING link from Alpha
//	Hotel, India, Kilo (IdF), Juliet (Bretagne): nothing else
type recommendNetwork struct {
	a   *api
	ids map[string]int64
}

func newRecommendNetwork(t *testing.T) *recommendNetwork {
	a := newAPI(t)
	a.exec(`
		INSERT INTO trades (code, name_en, name_fr) VALUES
			('MAN', 'Manufacturer', 'Fabricant'), ('DIST', 'Distributor', 'Distributeur'),
			('INT', 'Integrator', 'Intégrateur'), ('LAB', 'Laboratory', 'Laboratoire');
		INSERT INTO trade_complements (trade_low, trade_high, kind, description)
			SELECT least(t1.id, t2.id), greatest(t1.id, t2.id), c.kind, c.description
			FROM (VALUES ('MAN', 'INT', 'INTEGRATION', 'integrates what you manufacture'),
			             ('MAN', 'DIST', 'DISTRIBUTION', NULL),
			             ('LAB', 'MAN', 'SERVICE', NULL)) AS c(a, b, kind, description)
			JOIN trades t1 ON t1.code = c.a JOIN trades t2 ON t2.code = c.b;
		INSERT INTO members (name, kind, region, joined_on) VALUES
			('Alpha', 'COMPANY', 'Île-de-France', '2020-01-01'), ('Bravo', 'COMPANY', 'Île-de-France', '2020-01-01'),
			('Charlie', 'COMPANY', 'Bretagne', '2020-01-01'), ('Delta', 'COMPANY', 'Normandie', '2020-01-01'),
			('Echo', 'COMPANY', 'Île-de-France', '2020-01-01'), ('Foxtrot', 'COMPANY', 'Île-de-France', '2020-01-01'),
			('Golf', 'LABORATORY', 'Occitanie', '2020-01-01'), ('Hotel', 'COMPANY', 'Île-de-France', '2020-01-01'),
			('India', 'COMPANY', 'Île-de-France', '2020-01-01'), ('Juliet', 'COMPANY', 'Bretagne', '2020-01-01'),
			('Kilo', 'COMPANY', 'Île-de-France', '2020-01-01');
		INSERT INTO member_trades (member_id, trade_id)
			SELECT m.id, t.id FROM (VALUES ('Alpha', 'MAN'), ('Bravo', 'DIST'), ('Delta', 'INT'), ('Delta', 'DIST'),
			                              ('Foxtrot', 'INT'), ('Golf', 'LAB')) AS x(member, trade)
			JOIN members m ON m.name = x.member JOIN trades t ON t.code = x.trade;
		INSERT INTO business_links (from_id, to_id, kind, status, since, declared_by, confirmed_at)
			SELECT f.id, t.id, 'SUPPLY', x.status, '2024-01-01', f.id, CASE WHEN x.status = 'CONFIRMED' THEN now() END
			FROM (VALUES ('Alpha', 'Bravo', 'CONFIRMED'), ('Charlie', 'Alpha', 'CONFIRMED'), ('Delta', 'Bravo', 'CONFIRMED'),
			             ('Delta', 'Charlie', 'CONFIRMED'), ('Echo', 'Charlie', 'CONFIRMED'), ('Foxtrot', 'Charlie', 'CONFIRMED'),
			             ('Alpha', 'Golf', 'PENDING')) AS x(f, t, status)
			JOIN members f ON f.name = x.f JOIN members t ON t.name = x.t;
		INSERT INTO questions (id, text, theme, raised_by, status)
			SELECT g, 'Question ' || g, 'PURCHASING', (SELECT id FROM members WHERE name = 'Alpha'), 'GROUP_FORMED' FROM generate_series(1, 2) g;
		INSERT INTO working_groups (id, question_id, name, theme) VALUES (1, 1, 'Group 1', 'PURCHASING'), (2, 2, 'Group 2', 'PURCHASING');
		INSERT INTO group_participants (group_id, member_id, role, left_at)
			SELECT x.g, m.id, x.role, CASE WHEN x.gone THEN now() END
			FROM (VALUES (1, 'Alpha', 'LEAD', false), (1, 'Echo', 'MEMBER', false), (1, 'Foxtrot', 'MEMBER', false),
			             (2, 'Alpha', 'LEAD', false), (2, 'Echo', 'MEMBER', true), (2, 'Golf', 'MEMBER', false)) AS x(g, member, role, gone)
			JOIN members m ON m.name = x.member;
		UPDATE members SET left_on = '2025-01-01' WHERE name = 'Foxtrot';`)
	a.syncNetwork()
	n := &recommendNetwork{a: a, ids: map[string]int64{}}
	var rows []struct {
		ID   int64
		Name string
	}
	if err := a.db.Bun().NewSelect().Table("members").Column("id", "name").Scan(context.Background(), &rows); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		n.ids[r.Name] = r.ID
	}
	return n
}

func (n *recommendNetwork) gid(name string) string {
	return globalid.Encode(globalid.TypeMember, n.ids[name])
}

const recommendQuery = `query($id: ID!, $first: Int) {
  member(id: $id) { recommendedPartners(first: $first) { member { name } score reasons { kind detail } } }
}`

type recommendation struct {
	Member  named
	Score   float64
	Reasons []struct{ Kind, Detail string }
}

func (n *recommendNetwork) recommend(tok, name string, first int) []recommendation {
	n.a.t.Helper()
	var out struct {
		Member struct{ RecommendedPartners []recommendation }
	}
	n.a.ok(tok, recommendQuery, map[string]any{"id": n.gid(name), "first": first}, &out)
	return out.Member.RecommendedPartners
}

func TestRecommendedPartners(t *testing.T) {
	t.Parallel()
	n := newRecommendNetwork(t)
	staff := token(t, domain.RoleStaff, "")
	type reason struct{ Kind, Detail string }
	ln2, ln3 := math.Log(2), math.Log(3)
	want := []struct {
		name    string
		score   float64
		reasons []reason
	}{
		{"Delta", 3*2 + 2*(1/ln2+1/ln3), []reason{
			{"COMPLEMENTARY_TRADE", "integrates what you manufacture"},
			{"COMPLEMENTARY_TRADE", "Distributor complements your Manufacturer"},
			{"COMMON_PARTNERS", "2 partners in common: Bravo and Charlie"},
		}},
		{"Golf", 3 + 1.5, []reason{
			{"COMPLEMENTARY_TRADE", "Laboratory complements your Manufacturer"},
			{"SHARED_GROUP", "1 working group together"},
		}},
		{"Echo", 2/ln3 + 1.5 + 0.5, []reason{
			{"COMMON_PARTNERS", "1 partner in common: Charlie"},
			{"SHARED_GROUP", "1 working group together"},
			{"SAME_REGION", "also in Île-de-France"},
		}},
		{"Hotel", 0.5, []reason{{"SAME_REGION", "also in Île-de-France"}}},
		{"India", 0.5, []reason{{"SAME_REGION", "also in Île-de-France"}}},
		{"Kilo", 0.5, []reason{{"SAME_REGION", "also in Île-de-France"}}},
	}
	got := n.recommend(staff, "Alpha", 10)
	if len(got) != len(want) {
		t.Fatalf("got %d recommendations, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.Member.Name != w.name || math.Abs(g.Score-w.score) > 1e-6 || len(g.Reasons) != len(w.reasons) {
			t.Fatalf("#%d = %+v, want %s %.6f %v", i, g, w.name, w.score, w.reasons)
		}
		for j, r := range w.reasons {
			if g.Reasons[j].Kind != r.Kind || g.Reasons[j].Detail != r.Detail {
				t.Errorf("#%d %s reason %d = %+v, want %+v", i, w.name, j, g.Reasons[j], r)
			}
		}
	}
	// Never itself, a partner, a LAPSED member, or a member without a signal.
	for _, r := range got {
		switch r.Member.Name {
		case "Alpha", "Bravo", "Charlie", "Foxtrot", "Juliet":
			t.Errorf("%s recommended", r.Member.Name)
		}
	}
	// first cuts the ranking, the region-only ties included.
	for first, names := range map[int][]string{1: {"Delta"}, 2: {"Delta", "Golf"}, 4: {"Delta", "Golf", "Echo", "Hotel"}} {
		got := n.recommend(staff, "Alpha", first)
		if len(got) != len(names) {
			t.Fatalf("first %d: %+v", first, got)
		}
		for i, name := range names {
			if got[i].Member.Name != name {
				t.Errorf("first %d: #%d = %s, want %s", first, i, got[i].Member.Name, name)
			}
		}
	}
	// A LAPSED member, outside the network, gets none.
	if got := n.recommend(staff, "Foxtrot", 10); len(got) != 0 {
		t.Errorf("LAPSED Foxtrot: %+v", got)
	}
	// Seen from Delta, whose trades are the other side of the complement
	// pairs: Alpha, then Echo through Charlie; never its partners.
	got = n.recommend(staff, "Delta", 50)
	if len(got) != 2 || got[0].Member.Name != "Alpha" || math.Abs(got[0].Score-(6+2*(1/ln2+1/ln3))) > 1e-6 ||
		got[1].Member.Name != "Echo" || math.Abs(got[1].Score-2/ln3) > 1e-6 {
		t.Fatalf("Delta: %+v", got)
	}
	wantDelta := []reason{
		{"COMPLEMENTARY_TRADE", "integrates what you manufacture"},
		{"COMPLEMENTARY_TRADE", "Manufacturer complements your Distributor"},
		{"COMMON_PARTNERS", "2 partners in common: Bravo and Charlie"},
	}
	for i, r := range wantDelta {
		if i >= len(got[0].Reasons) || got[0].Reasons[i].Kind != r.Kind || got[0].Reasons[i].Detail != r.Detail {
			t.Errorf("Delta → Alpha reasons = %+v, want %+v", got[0].Reasons, wantDelta)
			break
		}
	}
}

func TestRecommendedPartnersPermissions(t *testing.T) {
	t.Parallel()
	n := newRecommendNetwork(t)
	a := n.a
	for _, tc := range []struct {
		name, tok, code string
	}{
		{"PUBLIC", "", domain.CodeForbidden},
		{"MEMBER self", token(t, domain.RoleMember, n.gid("Alpha")), ""},
		{"MEMBER other", token(t, domain.RoleMember, n.gid("Bravo")), domain.CodeForbidden},
		{"ANALYST", token(t, domain.RoleAnalyst, ""), ""},
		{"STAFF", token(t, domain.RoleStaff, ""), ""},
	} {
		resp := a.do(tc.tok, recommendQuery, map[string]any{"id": n.gid("Alpha"), "first": 10})
		if resp.code() != tc.code {
			t.Errorf("%s: code %q, want %q (%+v)", tc.name, resp.code(), tc.code, resp.Errors)
		}
		if tc.code != "" && string(resp.Data) != `{"member":null}` {
			t.Errorf("%s: data leaked: %s", tc.name, resp.Data)
		}
		if tc.code == "" && len(resp.Data) < 100 {
			t.Errorf("%s: no recommendations: %s", tc.name, resp.Data)
		}
	}
}

func TestRecommendedPartnersArguments(t *testing.T) {
	t.Parallel()
	n := newRecommendNetwork(t)
	a := n.a
	staff := token(t, domain.RoleStaff, "")
	for _, first := range []int{0, 51} {
		resp := a.do(staff, recommendQuery, map[string]any{"id": n.gid("Alpha"), "first": first})
		if resp.code() != domain.CodeBadUserInput || resp.Errors[0].Extensions["field"] != "first" {
			t.Errorf("first %d: %+v", first, resp.Errors)
		}
	}
	// The default is 10 (the network has 6 to recommend).
	var out struct {
		Member struct{ RecommendedPartners []recommendation }
	}
	a.ok(staff, `query($id: ID!) { member(id: $id) { recommendedPartners { score } } }`, map[string]any{"id": n.gid("Alpha")}, &out)
	if len(out.Member.RecommendedPartners) != 6 {
		t.Errorf("default first: %d recommendations", len(out.Member.RecommendedPartners))
	}
	// Asked for a page of members at once, it is refused by the cost limit.
	resp := a.do(staff, `{ members(first: 100) { edges { node { recommendedPartners { score } } } } }`, nil)
	if resp.code() != "QUERY_TOO_COMPLEX" {
		t.Errorf("members × recommendedPartners: %d %+v", resp.Status, resp.Errors)
	}
	// A bounded number of statements, whatever first: the member, then
	// complementary trades, shared groups and the candidates (the member
	// loader is primed with them).
	counts := map[int]int64{}
	for _, first := range []int{2, 10} {
		counts[first] = countStatementsWith(t, a, staff, recommendQuery, map[string]any{"id": n.gid("Alpha"), "first": first})
	}
	if counts[2] != counts[10] || counts[10] > 4 {
		t.Errorf("statements: %d for first 2, %d for first 10 (want equal, at most 4)", counts[2], counts[10])
	}
	t.Logf("recommendedPartners: %d statements for first 2, %d for first 10", counts[2], counts[10])
}
