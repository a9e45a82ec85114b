package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"grappe/domain"
	"grappe/globalid"
)

// scenario is one request of the workload: a fixed GraphQL document whose
// variables are drawn from the dataset. Each request is sent with a token
// of role Role (a MEMBER token names the sample's member).
type scenario struct {
	Name  string
	Query string
	Role  domain.Role
	Vars  func(Sample) map[string]any
	// Viewer, for a MEMBER scenario, picks the member whose token is sent;
	// nil: the sample's member.
	Viewer func(Sample) int64
}

// viewerOf returns the global id of the member whose token sends sc with
// sample sm, "" unless sc is read as a MEMBER.
func (sc scenario) viewerOf(sm Sample) string {
	switch {
	case sc.Role != domain.RoleMember:
		return ""
	case sc.Viewer != nil:
		return memberID(sc.Viewer(sm))
	}
	return memberID(sm.MemberID)
}

// workloadOrder is issue 7's workload.
var workloadOrder = []string{"directory", "profile", "nested", "search", "path", "dashboard", "write"}

// scenarioOrder is the order in which scenarios run: the workload's reads,
// the shapes (shapes.go), the directory near a place, then write last,
// since the links it adds make the server rebuild its network graph.
var scenarioOrder = append(append(slices.Clone(workloadOrder[:len(workloadOrder)-1]), shapeOrder...), "directory-near", "write")

// scenarioGroups are the names -scenarios accepts for several scenarios.
var scenarioGroups = map[string]func() []string{
	"all":      func() []string { return scenarioOrder },
	"workload": func() []string { return workloadOrder },
	"shapes":   func() []string { return shapeOrder },
	"peer":     peerScenarioNames,
}

// peerScenarioNames returns the scenarios PostGraphile has a document for,
// in running order.
func peerScenarioNames() []string {
	docs := postgraphileScenarios()
	var out []string
	for _, name := range scenarioOrder {
		if _, ok := docs[name]; ok {
			out = append(out, name)
		}
	}
	return out
}

// scenarios are grappe's documents for the workload (issue 7). Reads use an
// ANALYST token, who sees everything, as a peer without authorization does.
// The write scenario is special: see writeTargeter.
var scenarios = map[string]scenario{
	"directory": {
		Name: "directory", Role: domain.RoleAnalyst,
		Query: `query Directory($tradeIds: [ID!], $regions: [String!]) {
  members(first: 20, filter: {tradeIds: $tradeIds, regions: $regions}) {
    edges { node { id name sizeClass trades { code } address { city } } }
  }
}`,
		Vars: func(s Sample) map[string]any {
			ids := make([]string, len(s.TradeIDs))
			for i, id := range s.TradeIDs {
				ids[i] = globalid.Encode(globalid.TypeTrade, id)
			}
			return map[string]any{"tradeIds": ids, "regions": s.Regions}
		},
	},
	"profile": {
		Name: "profile", Role: domain.RoleAnalyst,
		Query: `query Profile($id: ID!) {
  member(id: $id) {
    id name
    contacts { name role email phone }
    trades { code }
    businessLinks(first: 10, statuses: [CONFIRMED]) {
      edges { counterpart { name } node { kind since } }
    }
    groups { edges { node { name status } } }
  }
}`,
		Vars: func(s Sample) map[string]any { return map[string]any{"id": memberID(s.MemberID)} },
	},
	"nested": {
		Name: "nested", Role: domain.RoleAnalyst,
		Query: `query Nested {
  members(first: 50) {
    edges { node { name businessLinks(first: 10) {
      edges { counterpart { name trades { code } } node { kind } }
    } } }
  }
}`,
		Vars: func(Sample) map[string]any { return nil },
	},
	// The visits of a trip (issue 16): the members within nearRadiusKm of
	// a random member's position, nearest first, with their distance.
	"directory-near": {
		Name: "directory-near", Role: domain.RoleAnalyst,
		Query: `query DirectoryNear($near: NearFilter!) {
  members(first: 20, filter: {near: $near}, orderBy: {field: DISTANCE}) {
    edges { node { id name distanceKm sizeClass trades { code } address { city } } }
  }
}`,
		Vars: func(s Sample) map[string]any {
			return map[string]any{"near": map[string]any{"lat": s.Lat, "lng": s.Lng, "radiusKm": nearRadiusKm}}
		},
	},
	"search": {
		Name: "search", Role: domain.RoleAnalyst,
		Query: `query Search($search: String!) {
  members(first: 20, filter: {search: $search}) {
    edges { node { id name sizeClass trades { code } address { city } } }
  }
}`,
		Vars: func(s Sample) map[string]any { return map[string]any{"search": s.Word} },
	},
	"path": {
		Name: "path", Role: domain.RoleAnalyst,
		Query: `query Path($from: ID!, $to: ID!) {
  path(from: $from, to: $to) { hops members { name } }
}`,
		Vars: func(s Sample) map[string]any {
			return map[string]any{"from": memberID(s.MemberID), "to": memberID(s.OtherID)}
		},
	},
	"dashboard": {
		Name: "dashboard", Role: domain.RoleAnalyst,
		Query: fullDashboard,
		Vars:  func(Sample) map[string]any { return nil },
	},
	"write": {
		Name: "write", Role: domain.RoleMember,
		Query: declareLink,
		Vars:  declareVars,
	},
}

// nearRadiusKm is the radius of directory-near: a day's visits around a
// place.
const nearRadiusKm = 50

// fullDashboard is the dashboard with every block, as in graph's tests.
const fullDashboard = `query Dashboard($filter: DashboardFilter) {
  dashboard(filter: $filter) {
    memberCount
    bySizeClass { sizeClass count share }
    byKind { kind count share }
    byTrade { trade { code } count share }
    byRegion { region count share }
    growth(interval: YEAR) { period joined left total }
    retention(year: 2023)
    retentionDetail(year: 2023) { year activeAtStart retained share }
    links {
      total confirmed pending declined ended
      byKind { kind total confirmed pending declined ended }
      byOrigin { origin total confirmed }
      created(interval: MONTH, from: "2026-01-01", to: "2026-04-30") { period count }
    }
    groups {
      active closed byTheme { theme count active } meetingsHeld meetingsWithOutcomeShare
      averageAttendance actionPlansPublished medianDaysToActionPlan
    }
    engagement {
      distribution { from to count } averageScore atRiskCount
      atRisk(first: 5) { member { name } lastActivityAt inactiveSince inactiveDays }
    }
  }
}`

// The write scenario: the sample's member declares a REFERRAL to the
// other member, who then confirms it. REFERRAL links are rare in the
// generated networks, so random pairs seldom have a live one already; when
// they do, the CONFLICT answer counts as served, not as an error.
const (
	declareLink = `mutation Declare($input: DeclareBusinessLinkInput!) {
  declareBusinessLink(input: $input) { link { id status to { id } } }
}`
	confirmLink = `mutation Confirm($id: ID!) {
  confirmBusinessLink(input: {id: $id}) { link { id status } }
}`
	// benchNote marks the links the write scenario declares.
	benchNote = "grappe bench"
)

func declareVars(s Sample) map[string]any {
	return map[string]any{"input": map[string]any{
		"fromId": memberID(s.MemberID), "toId": memberID(s.OtherID), "kind": "REFERRAL", "note": benchNote,
	}}
}

func memberID(id int64) string { return globalid.Encode(globalid.TypeMember, id) }

// selectScenarios parses the -scenarios flag: scenario names and groups
// (scenarioGroups), in the order given.
func selectScenarios(list string) ([]scenario, error) {
	if strings.TrimSpace(list) == "" {
		list = "all"
	}
	var out []scenario
	seen := map[string]bool{}
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		names := []string{item}
		if group, ok := scenarioGroups[item]; ok {
			names = group()
		}
		for _, name := range names {
			sc, ok := scenarios[name]
			if !ok {
				return nil, fmt.Errorf("unknown scenario %q (groups: %s; scenarios: %s)", name, strings.Join(groupNames(), ", "), strings.Join(scenarioOrder, ", "))
			}
			if !seen[name] {
				seen[name] = true
				out = append(out, sc)
			}
		}
	}
	return out, nil
}

// groupNames returns the names of the scenario groups, sorted.
func groupNames() []string {
	var names []string
	for n := range scenarioGroups {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// sampler draws samples from the dataset: random ACTIVE members with their
// trades and region, and words of member descriptions. It is safe for
// concurrent use.
type sampler struct {
	members []sampleMember
	words   []string
	// Pools of ids for the shapes: up to poolSize rows of each table,
	// drawn by a hash of their id so that a dataset gives the same pools.
	meetings, pending, contacts []int64
	objects                     map[string][]int64 // by globalid type; members are drawn from members

	mu  sync.Mutex
	rnd *rand.Rand
}

type sampleMember struct {
	ID       int64
	Region   string
	Trades   []int64
	Lat, Lng float64
}

// loadSampler reads the pools to draw from. seed makes the draws repeatable.
func loadSampler(ctx context.Context, db *bun.DB, seed uint64) (*sampler, error) {
	s := &sampler{rnd: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
	rows, err := db.QueryContext(ctx, `
SELECT m.id, coalesce(m.region, ''), array_agg(mt.trade_id ORDER BY mt.trade_id), coalesce(m.lat, 48.8566), coalesce(m.lng, 2.3522)
FROM members m JOIN member_trades mt ON mt.member_id = m.id
WHERE m.status = 'ACTIVE'
GROUP BY m.id ORDER BY m.id`)
	if err != nil {
		return nil, fmt.Errorf("read members: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var m sampleMember
		var trades []int64
		if err := rows.Scan(&m.ID, &m.Region, pgdialect.Array(&trades), &m.Lat, &m.Lng); err != nil {
			return nil, fmt.Errorf("read members: %w", err)
		}
		m.Trades = trades
		s.members = append(s.members, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read members: %w", err)
	}
	if len(s.members) < 2 {
		return nil, errors.New("the database has fewer than two active members with trades: seed it first (grappe seed --members N)")
	}
	// Words of the descriptions, accents dropped, as a user would type them.
	err = db.NewRaw(`
SELECT word FROM ts_stat($$SELECT to_tsvector('simple', grappe_unaccent(coalesce(description, ''))) FROM members WHERE status = 'ACTIVE'$$)
WHERE length(word) >= 6 AND word ~ '^[a-z]+$'
ORDER BY ndoc DESC, word LIMIT 200`).Scan(ctx, &s.words)
	if err != nil {
		return nil, fmt.Errorf("read description words: %w", err)
	}
	if len(s.words) == 0 {
		return nil, errors.New("no member has a description to search for")
	}
	if err := s.loadPools(ctx, db); err != nil {
		return nil, err
	}
	return s, nil
}

// poolSize bounds each pool of ids of the shapes.
const poolSize = 5000

// objectsPerSample is how many objects a sample holds for nodes(ids:).
const objectsPerSample = 20

// loadPools reads the ids the shapes draw from. A table may be empty (a
// dataset without meetings…): its pool is then empty and the shapes that
// need it ask for an object that does not exist.
func (s *sampler) loadPools(ctx context.Context, db *bun.DB) error {
	pool := func(what string, dst *[]int64, query string) error {
		if err := db.NewRaw(query+" LIMIT ?", poolSize).Scan(ctx, dst); err != nil {
			return fmt.Errorf("read %s: %w", what, err)
		}
		return nil
	}
	s.objects = map[string][]int64{}
	for _, t := range []struct{ typ, table string }{
		{globalid.TypeTrade, "trades"}, {globalid.TypeBusinessLink, "business_links"},
		{globalid.TypeQuestion, "questions"}, {globalid.TypeWorkingGroup, "working_groups"},
		{globalid.TypeMeeting, "meetings"}, {globalid.TypeActionPlan, "action_plans"},
	} {
		var ids []int64
		if err := pool(t.table, &ids, "SELECT id FROM "+t.table+" ORDER BY hashint8(id), id"); err != nil {
			return err
		}
		s.objects[t.typ] = ids
	}
	// Held meetings have attendees; scheduled ones when none is held.
	if err := pool("meetings", &s.meetings, `SELECT id FROM meetings ORDER BY status <> 'HELD', hashint8(id), id`); err != nil {
		return err
	}
	// The ACTIVE members some PENDING link awaits (the party that did not declare it).
	if err := pool("pending links", &s.pending, `SELECT p.id FROM (SELECT DISTINCT m.id FROM business_links AS l
	JOIN members AS m ON m.id = CASE WHEN l.declared_by = l.from_id THEN l.to_id ELSE l.from_id END
	WHERE l.status = 'PENDING' AND m.status = 'ACTIVE') AS p
ORDER BY hashint8(p.id), p.id`); err != nil {
		return err
	}
	return pool("contacts", &s.contacts, "SELECT id FROM contacts ORDER BY hashint8(id), id")
}

// Members returns the number of members drawn from.
func (s *sampler) Members() int { return len(s.members) }

// Sample draws one sample: a member, another member, one of the first
// member's trades and its region, a word.
func (s *sampler) Sample() Sample {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.members[s.rnd.IntN(len(s.members))]
	o := s.members[s.rnd.IntN(len(s.members)-1)]
	if o.ID == m.ID {
		o = s.members[len(s.members)-1]
	}
	sm := Sample{MemberID: m.ID, OtherID: o.ID, Word: s.words[s.rnd.IntN(len(s.words))], Lat: m.Lat, Lng: m.Lng}
	if len(m.Trades) > 0 {
		sm.TradeIDs = []int64{m.Trades[s.rnd.IntN(len(m.Trades))]}
	}
	if m.Region != "" {
		sm.Regions = []string{m.Region}
	}
	sm.MeetingID = s.pick(s.meetings)
	sm.ContactID = s.pick(s.contacts)
	if sm.PendingID = s.pick(s.pending); sm.PendingID == 0 {
		sm.PendingID = m.ID
	}
	types := []string{globalid.TypeMember}
	for _, t := range objectTypes[1:] {
		if len(s.objects[t]) > 0 {
			types = append(types, t)
		}
	}
	sm.Objects = make([]Object, objectsPerSample)
	for i := range sm.Objects {
		t := types[s.rnd.IntN(len(types))]
		id := s.members[s.rnd.IntN(len(s.members))].ID
		if t != globalid.TypeMember {
			id = s.pick(s.objects[t])
		}
		sm.Objects[i] = Object{Type: t, ID: id}
	}
	return sm
}

// objectTypes are the types of grappe's nodes, members first.
var objectTypes = []string{
	globalid.TypeMember, globalid.TypeTrade, globalid.TypeBusinessLink, globalid.TypeQuestion,
	globalid.TypeWorkingGroup, globalid.TypeMeeting, globalid.TypeActionPlan,
}

// pick draws an id of a pool, 0 from an empty one. s.mu must be held.
func (s *sampler) pick(pool []int64) int64 {
	if len(pool) == 0 {
		return 0
	}
	return pool[s.rnd.IntN(len(pool))]
}
