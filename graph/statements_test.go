package graph_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"grappe/domain"
	"grappe/globalid"
	"grappe/postgres"
)

// TestStatementsDoNotGrowWithPages checks SPEC §7 for every relation and
// connection field reachable from a list: a page of 1 parent and a page of
// 50 cost the same statements, one per selected relation and totalCount
// per level (depth, not size).
func TestStatementsDoNotGrowWithPages(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	a.exec(`
		INSERT INTO trades (code, name_en, name_fr) VALUES ('A', 'A', 'A'), ('B', 'B', 'B');
		INSERT INTO trades (code, name_en, name_fr, parent_id) SELECT 'A.1', 'A1', 'A1', id FROM trades WHERE code = 'A';
		INSERT INTO trade_complements (trade_low, trade_high, kind) SELECT t1.id, t2.id, 'SUPPLY' FROM trades t1, trades t2 WHERE t1.code = 'A' AND t2.code = 'B';
		INSERT INTO members (name, kind, joined_on, website) SELECT 'M' || lpad(g::text, 2, '0'), 'COMPANY', '2020-01-01', 'https://m' || g || '.example' FROM generate_series(1, 60) g;
		INSERT INTO member_trades SELECT m.id, t.id FROM members m, trades t WHERE (m.id + t.id) % 2 = 0 OR t.code = 'A';
		INSERT INTO contacts (member_id, name) SELECT id, 'Contact ' || name FROM members;
		INSERT INTO touchpoints (member_id, contact_id, by_subject, channel, at, summary)
		SELECT c.member_id, c.id, 'staff', 'CALL', now() - g * interval '1 day', 'Call ' || g FROM contacts c, generate_series(1, 3) g;
		INSERT INTO business_links (from_id, to_id, kind, status, since, declared_by, confirmed_at)
		SELECT f.id, t.id, 'SUPPLY', CASE WHEN (f.id + t.id) % 3 = 0 THEN 'PENDING' ELSE 'CONFIRMED' END, '2021-01-01', f.id,
		       CASE WHEN (f.id + t.id) % 3 = 0 THEN NULL ELSE now() END
		FROM members f JOIN members t ON t.id > f.id AND t.id <= f.id + 6;`)
	// Sixty shows, each with members and others exhibiting, and leads of
	// members, some of them converted into the links above.
	a.exec(`
		INSERT INTO trade_shows (edition, city, venue, starts_on, ends_on, visitor_count)
		SELECT g, 'Lyon', 'Eurexpo', make_date(1959 + g, 10, 6), make_date(1959 + g, 10, 8), 2000 FROM generate_series(1, 60) g;
		INSERT INTO exhibitors (trade_show_id, member_id, name, booth)
		SELECT s.id, m.id, m.name, 'M' || m.id FROM trade_shows s JOIN members m ON (m.id + s.id) % 5 = 0 OR m.name = 'M01';
		INSERT INTO exhibitors (trade_show_id, name, booth) SELECT s.id, 'Company ' || g, 'C' || g FROM trade_shows s, generate_series(1, 3) g;
		INSERT INTO exhibitor_trades SELECT e.id, t.id FROM exhibitors e, trades t WHERE e.member_id IS NULL AND t.code IN ('A', 'B');
		INSERT INTO leads (trade_show_id, exhibitor_id, visitor_member_id, scanned_at)
		SELECT e.trade_show_id, e.id, v.id, s.starts_on + interval '10 hours'
		FROM exhibitors e JOIN trade_shows s ON s.id = e.trade_show_id JOIN members v ON v.id IN (e.member_id + 1, e.member_id + 2);
		UPDATE leads SET converted_link_id = c.link FROM (
			SELECT DISTINCT ON (l.id) l.id AS link, ld.id AS lead FROM leads ld JOIN exhibitors e ON e.id = ld.exhibitor_id
			JOIN business_links l ON l.from_id = e.member_id AND l.to_id = ld.visitor_member_id ORDER BY l.id, ld.id DESC) c
		WHERE leads.id = c.lead;
		UPDATE leads SET scanned_at = scanned_at + interval '1 hour' WHERE converted_link_id IS NOT NULL;`)
	var m []int64
	if err := a.db.Bun().NewSelect().Table("members").Column("id").Order("id").Scan(staffCtx, &m); err != nil {
		t.Fatal(err)
	}
	svc := a.db.Groups()
	start := time.Now().Add(24 * time.Hour)
	for i := range 50 {
		g := seedGroup(t, a, fmt.Sprintf("Question %02d", i), []int64{m[i], m[i+1], m[i+2]})
		mt, err := svc.ScheduleMeeting(staffCtx, domain.MeetingInput{
			GroupID: g.ID, Title: "Réunion", StartsAt: start, DurationMinutes: 30,
			Agenda: []domain.AgendaItem{{Title: "Point", Minutes: 30}}, ExpectedOutcome: "Décider",
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.RecordMeetingOutcome(staffCtx, mt.ID, "fait", []int64{m[i], m[i+1]}); err != nil {
			t.Fatal(err)
		}
		owner := m[i+1]
		if _, err := svc.PublishActionPlan(staffCtx, domain.ActionPlanInput{GroupID: g.ID, Summary: "Plan",
			Items: []domain.ActionItem{{Title: "a", OwnerID: &owner}, {Title: "b"}}}); err != nil {
			t.Fatal(err)
		}
	}
	trainings := a.db.Trainings()
	for i := range 50 {
		tr, err := trainings.ScheduleTraining(staffCtx, domain.TrainingInput{Title: fmt.Sprintf("Formation %02d", i),
			Theme: domain.ThemeSmallBusinessSupport, StartsAt: time.Now().Add(-time.Duration(i+1) * time.Hour), DurationMinutes: 60, Capacity: 10})
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range m[i : i+3] {
			if _, err := trainings.RegisterForTraining(staffCtx, tr.ID, id); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := trainings.RecordTrainingAttendance(staffCtx, tr.ID, m[i:i+2]); err != nil {
			t.Fatal(err)
		}
	}
	a.exec(`
		INSERT INTO purchasing_campaigns (title, supplier, unit, list_price, negotiated_price, opens_at, closes_at, status, group_id)
		SELECT 'Campagne ' || g.id, 'Fournisseur', 'litre', 1000, 800, now() - interval '10 days', now() + g.id * interval '1 hour', 'OPEN', g.id
		FROM working_groups g;
		INSERT INTO campaign_commitments (campaign_id, member_id, quantity)
		SELECT c.id, m.id, 1 + m.id % 5 FROM purchasing_campaigns c, members m WHERE (c.id + m.id) % 7 < 3 OR m.name = 'M01';`)
	staff := token(t, domain.RoleStaff, "")
	member := token(t, domain.RoleMember, gid(m[0]))
	const (
		courses   = `query($n: Int) { trainings(first: $n) { edges { node { title %s } } } }`
		campaigns = `query($n: Int) { purchasingCampaigns(first: $n) { edges { node { title %s } } } }`
		members   = `query($n: Int) { members(first: $n) { edges { node { name %s } } } }`
		links     = `query($n: Int) { businessLinks(first: $n) { edges { node { kind %s } } } }`
		questions = `query($n: Int) { questions(first: $n) { edges { node { text %s } } } }`
		groups    = `query($n: Int) { groups(first: $n) { edges { node { name %s } } } }`
		plans     = `query($n: Int) { actionPlans(first: $n) { edges { node { summary %s } } } }`
		shows     = `query($n: Int) { tradeShows(first: $n) { edges { node { year %s } } } }`
	)
	for _, c := range []struct {
		field, tok, list, selection string
		want                        int64 // the list, then one per relation and count
	}{
		{"Member.trades", staff, members, `trades { code }`, 2},
		{"Member.contacts", staff, members, `contacts { name }`, 2},
		{"Member.engagement", staff, members, `engagement { score }`, 2},
		{"Member.groups", staff, members, `groups(first: 2) { totalCount edges { node { name } } }`, 3},
		{"Member.touchpoints", staff, members, `lastTouchpointAt touchpoints(first: 2) { totalCount edges { node { summary contact { name } member { name } } } }`, 6},
		{"Member.businessLinks", staff, members, `businessLinks(first: 3) { totalCount edges { node { kind } } }`, 3},
		// the counterparts come with the links, brief or whole
		{"MemberBusinessLinkEdge.counterpart", staff, members, `businessLinks(first: 3) { edges { counterpart { name } } }`, 2},
		{"MemberBusinessLinkEdge.counterpart (whole)", staff, members, `businessLinks(first: 3) { edges { counterpart { website } } }`, 2},
		// the counterparts' trades come with them
		{"MemberBusinessLinkEdge.counterpart.trades", staff, members, `businessLinks(first: 3) { edges { counterpart { name trades { code } } } }`, 3},
		{"Member.partners", staff, members, `partners(first: 3) { totalCount edges { node { name } } }`, 3},
		{"Trade.members", staff, members, `trades { members(first: 2) { totalCount edges { node { name } } } }`, 4},
		// the taxonomy and the complements are read once per request
		{"Trade.parent, children, complements", staff, members, `trades { parent { code } children { code } complements { kind trade { code } } }`, 4},
		{"BusinessLink.from, to, declaredBy", staff, links, `from { name } to { name } declaredBy { name }`, 2}, // one loader for members by id
		{"BusinessLink.from.contacts", staff, links, `from { name contacts { name } trades { code } }`, 2},
		{"Question.raisedBy", staff, questions, `raisedBy { name }`, 2},
		{"Question.supporters", staff, questions, `supporters { name }`, 2},
		{"Question.viewerHasSupported", member, questions, `viewerHasSupported`, 2},
		{"Question.group", staff, questions, `group { name }`, 2},
		{"WorkingGroup.question", staff, groups, `question { text }`, 2},
		{"WorkingGroup.participants.member", staff, groups, `participants { role member { name } }`, 3},
		{"WorkingGroup.meetings", staff, groups, `meetings(first: 2) { totalCount edges { node { title } } }`, 3},
		{"WorkingGroup.actionPlan", staff, groups, `actionPlan { summary }`, 2},
		{"Meeting.group, attendees", staff, groups, `meetings { edges { node { group { name } attendees { name } } } }`, 4},
		{"ActionPlan.group", staff, plans, `group { name }`, 2},
		{"ActionPlan.items.owner", staff, plans, `items { title owner { name } }`, 2},
		// whether the viewer is registered comes with the trainings
		{"Training.viewerRegistered", member, courses, `registrationCount viewerRegistered`, 1},
		{"Training.registrations", staff, courses, `registrations(first: 2) { totalCount edges { node { name } } }`, 3},
		{"Training.attendees", staff, courses, `attendees { name trades { code } }`, 2}, // their trades come with them
		{"Training.registrations.groups", staff, courses, `registrations(first: 2) { edges { node { groups(first: 1) { edges { node { name } } } } } }`, 3},
		// three companies and members, the trades of either kind in one statement
		{"TradeShow.exhibitors", staff, shows, `exhibitors(first: 5) { totalCount edges { node { name booth member { name } trades { code } tradeShow { year } } } }`, 6},
		{"TradeShow.leads", staff, shows, `leads(first: 2) { totalCount edges { node { scannedAt exhibitor { name member { name } } visitorMember { name }
			convertedLink { kind from { name } } tradeShow { year } } } }`, 9},
		{"TradeShow.leads of a member", member, shows, `leads(first: 2) { totalCount edges { node { scannedAt visitorMember { name } } } }`, 4},
		{"PurchasingCampaign.group", staff, campaigns, `group { name participants { member { name } } }`, 4},
		{"PurchasingCampaign.commitments", staff, campaigns, `commitments(first: 2) { totalCount edges { node { quantity member { name } } } }`, 4},
		{"PurchasingCampaign.viewerCommitment", member, campaigns, `totalQuantity savings viewerCommitment { quantity member { name } }`, 2},
		{"Member.purchasing", staff, members, `purchasing { campaignsJoined savings }`, 2},
		// members, links, counterparts with their first groups page,
		// questions, raisers, meetings, attendees
		{"depth", staff, members, `businessLinks(first: 2) { edges { counterpart { groups(first: 1) { edges { node {
			question { raisedBy { name } } meetings(first: 1) { edges { node { attendees { name } } } } } } } } } }`, 7},
	} {
		query := fmt.Sprintf(c.list, c.selection)
		one := countStatementsWith(t, a, c.tok, query, map[string]any{"n": 1})
		fifty := countStatementsWith(t, a, c.tok, query, map[string]any{"n": 50})
		t.Logf("%s: %d statements for 1 parent, %d for 50", c.field, one, fifty)
		if one != c.want || fifty != c.want {
			t.Errorf("%s: %d statements for 1 parent, %d for 50, want %d", c.field, one, fifty, c.want)
		}
	}
	// A member read brief for one field (its selection asks only what a
	// brief member holds) is not what another field asking more gets.
	var brief struct {
		Groups struct {
			Edges []struct {
				Node struct {
					Participants []struct {
						Short struct{ Name string }
						Whole struct{ Name, Website string }
					}
				}
			}
		}
	}
	a.ok(staff, `{ groups(first: 3) { edges { node { participants { short: member { name } whole: member { name website } } } } } }`, nil, &brief)
	seen := 0
	for _, e := range brief.Groups.Edges {
		for _, p := range e.Node.Participants {
			seen++
			if p.Short.Name == "" || p.Whole.Name != p.Short.Name || p.Whole.Website == "" {
				t.Errorf("participant read brief and whole: %+v", p)
			}
		}
	}
	if seen == 0 {
		t.Error("no participants")
	}
	// Objects read by global id, whatever their type: the members with
	// their trades, then their links (below a fragment on Member, which the
	// look-ahead does not enter: the first link read starts its siblings').
	const nodes = `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Member { name trades { code } businessLinks(first: 2) { edges { node { kind } } } } } }`
	for _, n := range []int{1, 50} {
		ids := make([]string, n)
		for i := range ids {
			ids[i] = gid(m[i])
		}
		if got := countStatementsWith(t, a, staff, nodes, map[string]any{"ids": ids}); got != 2 {
			t.Errorf("nodes: %d statements for %d members, want 2", got, n)
		}
	}
	// Trainings by global id: their registrations start with them, for
	// staff; for a member, who may not read them, nothing more is read.
	var trainingIDs []int64
	if err := a.db.Bun().NewSelect().Table("trainings").Column("id").Order("id").Scan(staffCtx, &trainingIDs); err != nil {
		t.Fatal(err)
	}
	const trainingNodes = `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Training { title registrations(first: 2) { edges { node { name } } } } } }`
	for _, n := range []int{1, 50} {
		ids := make([]string, n)
		for i := range ids {
			ids[i] = globalid.Encode(globalid.TypeTraining, trainingIDs[i])
		}
		if got := countStatementsWith(t, a, staff, trainingNodes, map[string]any{"ids": ids}); got != 2 {
			t.Errorf("training nodes: %d statements for %d trainings, want 2", got, n)
		}
		body, _ := json.Marshal(map[string]any{"query": trainingNodes, "variables": map[string]any{"ids": ids}})
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+member)
		ctx, count := postgres.WithStatementCounter(req.Context())
		rec := httptest.NewRecorder()
		a.handler.ServeHTTP(rec, req.WithContext(ctx))
		if !bytes.Contains(rec.Body.Bytes(), []byte(`"FORBIDDEN"`)) || count.Load() != 1 {
			t.Errorf("training nodes' registrations as a member: %d statements, %s", count.Load(), rec.Body)
		}
		if got := countStatementsWith(t, a, member, `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Training { title viewerRegistered } } }`,
			map[string]any{"ids": ids}); got != 1 {
			t.Errorf("training nodes as a member: %d statements for %d trainings, want 1", got, n)
		}
	}
}

// TestConsoleGraphStatements checks that the console's whole graph
// (consoleGraphQuery: every node's member with its region and trades)
// costs the same statements for 60 members and for 600: the members and
// their trades in one statement for all of them, nothing per node.
func TestConsoleGraphStatements(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	a.exec(`INSERT INTO trades (code, name_en, name_fr) VALUES ('A', 'A', 'A'), ('B', 'B', 'B')`)
	analyst := token(t, domain.RoleAnalyst, "")
	add := func(from, to int) {
		a.exec(`
			INSERT INTO members (name, kind, joined_on, region) SELECT 'M' || g, 'COMPANY', '2020-01-01', 'Bretagne' FROM generate_series(?::int, ?::int) g;
			INSERT INTO member_trades SELECT m.id, t.id FROM members m, trades t WHERE m.id >= (SELECT min(id) FROM members WHERE name = 'M' || ?::int) AND ((m.id + t.id) % 2 = 0 OR t.code = 'A');`, from, to, from)
		a.exec(`INSERT INTO business_links (from_id, to_id, kind, status, since, declared_by, confirmed_at)
			SELECT f.id, t.id, 'SUPPLY', 'CONFIRMED', '2021-01-01', f.id, now()
			FROM members f JOIN members t ON t.id > f.id AND t.id <= f.id + 3 WHERE t.id >= (SELECT min(id) FROM members WHERE name = 'M' || ?::int)`, from)
		a.syncNetwork()
	}
	const want = 1
	for _, size := range [][2]int{{1, 60}, {61, 600}} {
		add(size[0], size[1])
		var out consoleGraph
		a.ok(analyst, consoleGraphQuery, nil, &out)
		if len(out.Network.Graph.Nodes) != size[1] || len(out.Network.Graph.Nodes[0].Member.Trades) == 0 {
			t.Fatalf("%d nodes, want %d: %+v", len(out.Network.Graph.Nodes), size[1], out.Network.Graph.Nodes[0])
		}
		got := countStatementsWith(t, a, analyst, consoleGraphQuery, nil)
		t.Logf("ConsoleGraph of %d members: %d statements", size[1], got)
		if got != want {
			t.Errorf("ConsoleGraph of %d members: %d statements, want %d", size[1], got, want)
		}
	}
}
