package graph_test

import (
	"math"
	"testing"

	"grappe/domain"
)

// TestEngagementReturn: on a hand-built cluster, each member's time given
// and value received over the last 12 months, its ratio, and the
// dashboard's distribution and list of members giving without return,
// against figures counted by hand.
func TestEngagementReturn(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	a.exec(`
		INSERT INTO members (id, name, kind, joined_on) VALUES
		  (1, 'A', 'COMPANY', current_date - 900), (2, 'B', 'COMPANY', current_date - 900),
		  (3, 'C', 'COMPANY', current_date - 900), (4, 'D', 'COMPANY', current_date - 50),
		  (5, 'E', 'COMPANY', current_date - 900), (6, 'F', 'COMPANY', current_date - 900);
		INSERT INTO questions (id, text, theme, raised_by, status) VALUES
		  (1, 'Q1', 'PURCHASING', 1, 'GROUP_FORMED'), (2, 'Q2', 'OTHER', 1, 'GROUP_FORMED'), (3, 'Q3', 'OTHER', 2, 'GROUP_FORMED');
		INSERT INTO working_groups (id, question_id, name, theme) VALUES (1, 1, 'G1', 'PURCHASING'), (2, 2, 'G2', 'OTHER'), (3, 3, 'G3', 'OTHER');
		INSERT INTO meetings (id, group_id, title, starts_at, duration_minutes, agenda, expected_outcome, status, outcome) VALUES
		  (1, 1, 'M1', now() - interval '30 days', 120, '[{"title": "a", "minutes": 10}]', 'o', 'HELD', 'done'),
		  (2, 1, 'M2', now() - interval '60 days', 90, '[{"title": "a", "minutes": 10}]', 'o', 'HELD', 'done'),
		  (3, 1, 'M3', now() - interval '400 days', 60, '[{"title": "a", "minutes": 10}]', 'o', 'HELD', 'done'),
		  (4, 1, 'M4', now() - interval '10 days', 60, '[{"title": "a", "minutes": 10}]', 'o', 'CANCELLED', NULL),
		  (5, 2, 'M5', now() - interval '10 days', 360, '[{"title": "a", "minutes": 10}]', 'o', 'HELD', 'done'),
		  (6, 2, 'M6', now() - interval '5 days', 100, '[{"title": "a", "minutes": 10}]', 'o', 'HELD', 'done');
		INSERT INTO meeting_attendees (meeting_id, member_id) VALUES (1, 1), (1, 2), (2, 1), (2, 3), (3, 1), (3, 2), (4, 1), (5, 5), (5, 6), (6, 5);
		INSERT INTO business_links (from_id, to_id, kind, status, since, origin, declared_by, confirmed_at) VALUES
		  (1, 2, 'SUPPLY', 'CONFIRMED', current_date - 20, 'WORKING_GROUP', 1, now() - interval '10 days'),
		  (1, 3, 'SUPPLY', 'CONFIRMED', current_date - 20, 'OTHER', 1, now() - interval '10 days'),
		  (2, 3, 'SUPPLY', 'CONFIRMED', current_date - 600, 'INTRODUCTION', 2, now() - interval '500 days');
		INSERT INTO action_plans (group_id, summary, items, published_at, distributed_to) VALUES
		  (1, 'P1', '[{"title": "x"}]', now() - interval '20 days', 6),
		  (2, 'P2', '[{"title": "x"}]', now() - interval '100 days', 5),
		  (3, 'P3', '[{"title": "x"}]', now() - interval '400 days', 5);
		INSERT INTO trainings (id, title, theme, starts_at, duration_minutes, capacity, registration_count, status) VALUES
		  (1, 'CGV', 'OTHER', now() - interval '15 days', 120, 10, 2, 'HELD'),
		  (2, 'Old', 'OTHER', now() - interval '500 days', 120, 10, 1, 'HELD');
		INSERT INTO training_registrations (training_id, member_id, attended) VALUES (1, 3, true), (1, 4, true), (2, 1, true);
		INSERT INTO purchasing_campaigns (id, title, supplier, unit, list_price, negotiated_price, opens_at, closes_at, closed_at, status) VALUES
		  (1, 'Paint', 'S', 'l', 1000, 800, now() - interval '60 days', now() - interval '30 days', now() - interval '30 days', 'ORDERED'),
		  (2, 'Gas', 'S', 'l', 1000, 500, now() - interval '60 days', now() - interval '30 days', now() - interval '30 days', 'CANCELLED');
		INSERT INTO campaign_commitments (campaign_id, member_id, quantity) VALUES (1, 6, 50), (2, 5, 50);`)
	staff := token(t, domain.RoleStaff, "")
	type roi struct {
		HoursGiven          float64
		LinksFromCluster    int
		ActionPlansReceived int
		TrainingsAttended   int
		MembersMet          int
		PurchasingSavings   int
		Ratio               *float64
	}
	ratio := func(v float64) *float64 { return &v }
	want := map[string]roi{
		"A": {3.5, 1, 2, 0, 2, 0, ratio(6 / 3.5)},
		"B": {2, 1, 2, 0, 1, 0, ratio(5.5 / 2)},
		"C": {3.5, 0, 2, 1, 2, 0, ratio(3 / 3.5)},
		"D": {2, 0, 1, 1, 1, 0, ratio(2.5 / 2)},
		"E": {460.0 / 60, 0, 2, 0, 1, 0, ratio(0.5 / (460.0 / 60))}, // its campaign was cancelled
		"F": {6, 0, 2, 0, 1, 10000, ratio((0.5 + 1) / 6)},           // 50 × 2.00 EUR saved
	}
	var out struct {
		Members struct {
			Edges []struct {
				Node struct {
					Name       string
					Engagement struct{ Roi roi }
				}
			}
		}
	}
	a.ok(staff, `{ members(first: 10, orderBy: {field: NAME}) { edges { node { name engagement { roi {
		hoursGiven linksFromCluster actionPlansReceived trainingsAttended membersMet purchasingSavings ratio } } } } } }`, nil, &out)
	near := func(a, b *float64) bool {
		return (a == nil) == (b == nil) && (a == nil || math.Abs(*a-*b) < 1e-9)
	}
	for _, e := range out.Members.Edges {
		got, w := e.Node.Engagement.Roi, want[e.Node.Name]
		if math.Abs(got.HoursGiven-w.HoursGiven) > 1e-9 || got.LinksFromCluster != w.LinksFromCluster ||
			got.ActionPlansReceived != w.ActionPlansReceived || got.TrainingsAttended != w.TrainingsAttended ||
			got.MembersMet != w.MembersMet || got.PurchasingSavings != w.PurchasingSavings || !near(got.Ratio, w.Ratio) {
			t.Errorf("%s: got %+v (ratio %v), want %+v (ratio %v)", e.Node.Name, got, deref(got.Ratio), w, deref(w.Ratio))
		}
	}
	if len(out.Members.Edges) != 6 {
		t.Fatalf("%d members", len(out.Members.Edges))
	}

	var dash struct {
		Dashboard struct {
			Engagement struct {
				RoiDistribution []struct {
					From  float64
					To    *float64
					Count int
				}
				GivingWithoutReturn []struct {
					Member     struct{ Name string }
					HoursGiven float64
				}
			}
		}
	}
	a.ok(staff, `{ dashboard { engagement { roiDistribution { from to count } givingWithoutReturn(first: 5) { member { name } hoursGiven } } } }`, nil, &dash)
	counts := []int{}
	for _, b := range dash.Dashboard.Engagement.RoiDistribution {
		counts = append(counts, b.Count)
	}
	// E 0.07, F 0.08 and C 0.86 in 0–1, A 1.71 and D 1.25 in 1–2, B 2.75
	// in 2–5.
	if want := []int{3, 2, 1, 0, 0}; !equalInts(counts, want) || dash.Dashboard.Engagement.RoiDistribution[4].To != nil {
		t.Errorf("distribution %+v, want counts %v", dash.Dashboard.Engagement.RoiDistribution, want)
	}
	g := dash.Dashboard.Engagement.GivingWithoutReturn
	// F gave 6 hours too, but saved 100 EUR.
	if len(g) != 1 || g[0].Member.Name != "E" || math.Abs(g[0].HoursGiven-460.0/60) > 1e-9 {
		t.Errorf("giving without return: %+v", g)
	}
	if r := a.do(token(t, domain.RoleMember, gid(2)), `query($id: ID!) { node(id: $id) { ... on Member { engagement { roi { hoursGiven } } } } }`,
		map[string]any{"id": gid(1)}); r.code() != domain.CodeForbidden {
		t.Errorf("another member's return: %+v", r.Errors)
	}
	var own struct {
		Node struct{ Engagement struct{ Roi roi } }
	}
	a.ok(token(t, domain.RoleMember, gid(2)), `query($id: ID!) { node(id: $id) { ... on Member { engagement { roi { hoursGiven membersMet } } } } }`,
		map[string]any{"id": gid(2)}, &own)
	if own.Node.Engagement.Roi.HoursGiven != 2 || own.Node.Engagement.Roi.MembersMet != 1 {
		t.Errorf("own return: %+v", own.Node.Engagement.Roi)
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
