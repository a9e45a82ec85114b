package demo

import (
	"cmp"
	"slices"
	"strings"
	"testing"
	"time"

	"grappe/domain"
)

// checkNetwork checks that the network of a dataset keeps every constraint
// of the database schema and the business rules of SPEC §3, so that loads
// never fail and the data tell a consistent story.
func checkNetwork(t *testing.T, ds *domain.Dataset, today time.Time) {
	t.Helper()
	errs := 0
	fail := func(format string, args ...any) {
		t.Helper()
		if errs++; errs <= 20 {
			t.Errorf(format, args...)
		}
	}
	members := make(map[int64]*domain.DatasetMember, len(ds.Members))
	for i := range ds.Members {
		members[ds.Members[i].ID] = &ds.Members[i]
	}
	// joinedBy reports whether member id was a member at t (joined that day
	// or before, not yet left).
	memberAt := func(id int64, at time.Time) bool {
		m := members[id]
		return m != nil && !m.JoinedOn.After(at) && (m.LeftOn == nil || at.Before(*m.LeftOn))
	}
	trades := make(map[int64]bool, len(ds.Trades))
	for _, tr := range ds.Trades {
		trades[tr.ID] = true
	}
	// "Now" for past events is the start of today's date in UTC.
	todayStart := time.Date(today.UTC().Year(), today.UTC().Month(), today.UTC().Day(), 0, 0, 0, 0, time.UTC)
	if todayStart.After(today) {
		todayStart = todayStart.AddDate(0, 0, -1)
	}
	past := func(at time.Time) bool { return at.Before(todayStart) }

	// Trade complements: lower ID first, unique per pair and kind.
	type compKey struct {
		a, b int64
		kind domain.ComplementKind
	}
	comps := map[compKey]bool{}
	for _, c := range ds.Complements {
		k := compKey{c.TradeID, c.OtherID, c.Kind}
		if c.TradeID >= c.OtherID || !trades[c.TradeID] || !trades[c.OtherID] || comps[k] || c.Description == "" {
			fail("complement %+v", c)
		}
		switch c.Kind {
		case domain.ComplementSupply, domain.ComplementDistribution, domain.ComplementIntegration, domain.ComplementService:
		default:
			fail("complement kind %q", c.Kind)
		}
		comps[k] = true
	}

	// Contacts: 1 to 3 per member, e-mail at the member's domain.
	perMember := map[int64]int{}
	for i, c := range ds.Contacts {
		m := members[c.MemberID]
		if c.ID != int64(i+1) || m == nil || c.Name == "" || c.Role == "" {
			fail("contact %+v", c)
			continue
		}
		if !strings.HasSuffix(c.Email, "@"+strings.TrimPrefix(m.Website, "https://")) || strings.Count(c.Email, "@") != 1 || strings.ContainsAny(c.Email, " 'é") {
			fail("contact %d e-mail %q for %s", c.ID, c.Email, m.Website)
		}
		perMember[c.MemberID]++
	}
	for _, m := range ds.Members {
		if n := perMember[m.ID]; n < 1 || n > 3 {
			fail("%s has %d contacts", m.Name, n)
		}
	}

	// Business links.
	type liveKey struct {
		a, b int64
		kind domain.LinkKind
	}
	live := map[liveKey]bool{}
	for i, l := range ds.Links {
		if l.ID != int64(i+1) || (i > 0 && l.CreatedAt.Before(ds.Links[i-1].CreatedAt)) {
			fail("link %d out of order", l.ID)
		}
		from, to := members[l.FromID], members[l.ToID]
		if from == nil || to == nil || l.FromID == l.ToID || (l.DeclaredBy != l.FromID && l.DeclaredBy != l.ToID) {
			fail("link %+v: parties", l)
			continue
		}
		switch l.Kind {
		case domain.LinkSupply, domain.LinkSubcontracting, domain.LinkDistribution, domain.LinkPartnership, domain.LinkJointBid, domain.LinkReferral:
		default:
			fail("link %d kind %q", l.ID, l.Kind)
		}
		switch l.Origin {
		case domain.OriginWorkingGroup, domain.OriginTradeShow, domain.OriginIntroduction, domain.OriginPreExisting, domain.OriginOther:
		default:
			fail("link %d origin %q", l.ID, l.Origin)
		}
		switch l.VolumeBand {
		case "", domain.VolumeUnder10K, domain.Volume10KTo100K, domain.Volume100KTo1M, domain.VolumeOver1M:
		default:
			fail("link %d volume %q", l.ID, l.VolumeBand)
		}
		confirmed := l.Status == domain.LinkConfirmed || l.Status == domain.LinkEnded
		switch {
		case l.Status != domain.LinkPending && l.Status != domain.LinkDeclined && !confirmed:
			fail("link %d status %q", l.ID, l.Status)
		case (l.Status == domain.LinkEnded) != (l.Until != nil):
			fail("link %d: %s with until %v", l.ID, l.Status, l.Until)
		case confirmed != (l.ConfirmedAt != nil):
			fail("link %d: %s confirmed at %v", l.ID, l.Status, l.ConfirmedAt)
		}
		if l.Since.After(today) || l.Since.Before(from.JoinedOn) || l.Since.Before(to.JoinedOn) || l.Since.After(l.CreatedAt) {
			fail("link %d since %v (joined %v, %v; declared %v)", l.ID, l.Since, from.JoinedOn, to.JoinedOn, l.CreatedAt)
		}
		if !past(l.CreatedAt) || !memberAt(l.FromID, l.CreatedAt) || !memberAt(l.ToID, l.CreatedAt) {
			fail("link %d declared at %v", l.ID, l.CreatedAt)
		}
		if c := l.ConfirmedAt; c != nil && (!past(*c) || c.Before(l.CreatedAt) || !memberAt(l.FromID, *c) || !memberAt(l.ToID, *c)) {
			fail("link %d confirmed at %v, declared at %v", l.ID, *c, l.CreatedAt)
		}
		if u := l.Until; u != nil && (u.Before(l.Since) || u.After(today) || (l.ConfirmedAt != nil && u.Before(dateOf(*l.ConfirmedAt)))) {
			fail("link %d until %v since %v", l.ID, *u, l.Since)
		}
		for _, m := range []*domain.DatasetMember{from, to} {
			if m.LeftOn == nil {
				continue
			}
			if l.Status != domain.LinkEnded && l.Status != domain.LinkDeclined {
				fail("link %d of LAPSED %s is %s", l.ID, m.Name, l.Status)
			}
			if l.Until != nil && l.Until.After(*m.LeftOn) {
				fail("link %d of %s ends %v, after %v", l.ID, m.Name, *l.Until, *m.LeftOn)
			}
		}
		if l.Status == domain.LinkPending || l.Status == domain.LinkConfirmed {
			k := liveKey{l.FromID, l.ToID, l.Kind}
			if l.Kind.Symmetric() {
				k.a, k.b = min(l.FromID, l.ToID), max(l.FromID, l.ToID)
			}
			if live[k] {
				fail("link %d: duplicate live link %+v", l.ID, k)
			}
			live[k] = true
		}
	}

	// Questions and their supports.
	supports := map[int64][]domain.QuestionSupport{}
	type supportKey struct{ q, m int64 }
	seenSupport := map[supportKey]bool{}
	for _, s := range ds.Supports {
		k := supportKey{s.QuestionID, s.MemberID}
		if seenSupport[k] || !past(s.At) || !memberAt(s.MemberID, s.At) {
			fail("support %+v", s)
		}
		seenSupport[k] = true
		supports[s.QuestionID] = append(supports[s.QuestionID], s)
	}
	groups := make(map[int64]*domain.WorkingGroup, len(ds.Groups))
	for i := range ds.Groups {
		groups[ds.Groups[i].ID] = &ds.Groups[i]
	}
	questionOfGroup := map[int64]*domain.Question{}
	for i := range ds.Questions {
		q := &ds.Questions[i]
		ss := supports[q.ID]
		if q.ID != int64(i+1) || (i > 0 && q.RaisedAt.Before(ds.Questions[i-1].RaisedAt)) {
			fail("question %d out of order", q.ID)
		}
		if strings.TrimSpace(q.Text) == "" || !validTheme(q.Theme) || !past(q.RaisedAt) || !memberAt(q.RaisedBy, q.RaisedAt) {
			fail("question %+v", q)
		}
		if len(ss) == 0 || ss[0].MemberID != q.RaisedBy || !ss[0].At.Equal(q.RaisedAt) || q.SupporterCount != len(ss) ||
			!slices.IsSortedFunc(ss, func(a, b domain.QuestionSupport) int { return a.At.Compare(b.At) }) {
			fail("question %d: %d supporters, supports %v", q.ID, q.SupporterCount, ss)
			continue
		}
		if q.GroupID == nil {
			if q.Status != domain.QuestionOpen || len(ss) >= domain.SupportersToFormGroup {
				fail("question %d without group: %s with %d supporters", q.ID, q.Status, len(ss))
			}
			continue
		}
		g := groups[*q.GroupID]
		switch {
		case g == nil || g.QuestionID != q.ID || questionOfGroup[g.ID] != nil:
			fail("question %d group %d", q.ID, *q.GroupID)
			continue
		case len(ss) < domain.SupportersToFormGroup || !g.FormedAt.Equal(ss[domain.SupportersToFormGroup-1].At):
			fail("group %d formed at %v, supports %v", g.ID, g.FormedAt, ss)
		case g.Theme != q.Theme || strings.TrimSpace(g.Name) == "":
			fail("group %+v of question %+v", g, q)
		case (q.Status == domain.QuestionGroupFormed) != (g.Status == domain.GroupActive) ||
			(q.Status == domain.QuestionClosed) != (g.Status == domain.GroupClosed):
			fail("question %d is %s, group %d %s", q.ID, q.Status, g.ID, g.Status)
		}
		questionOfGroup[g.ID] = q
	}

	// Working groups and their participants.
	participants := map[int64][]domain.Participant{}
	for _, p := range ds.Participants {
		participants[p.GroupID] = append(participants[p.GroupID], p)
	}
	for i := range ds.Groups {
		g := &ds.Groups[i]
		q := questionOfGroup[g.ID]
		if g.ID != int64(i+1) || q == nil || (i > 0 && g.FormedAt.Before(ds.Groups[i-1].FormedAt)) {
			fail("group %d: order or question", g.ID)
			continue
		}
		if (g.Status == domain.GroupClosed) != (g.ClosedAt != nil) || (g.Status != domain.GroupClosed && g.Status != domain.GroupActive) ||
			(g.ClosedAt != nil && (!g.ClosedAt.After(g.FormedAt) || !past(*g.ClosedAt))) || !past(g.FormedAt) {
			fail("group %+v", g)
		}
		ps, ss := participants[g.ID], supports[q.ID]
		if want := min(len(ss), domain.DefaultGroupCapacity); len(ps) != want {
			fail("group %d: %d participants for %d supporters", g.ID, len(ps), len(ss))
			continue
		}
		for k, p := range ps {
			s := ss[k]
			role := domain.RoleParticipant
			if k == 0 {
				role = domain.RoleLead
			}
			joined := s.At
			if joined.Before(g.FormedAt) {
				joined = g.FormedAt
			}
			if p.MemberID != s.MemberID || p.Role != role || !p.JoinedAt.Equal(joined) {
				fail("group %d participant %+v, support %+v", g.ID, p, s)
			}
		}
	}

	// Meetings.
	isParticipant := func(groupID, memberID int64, at time.Time) bool {
		for _, p := range participants[groupID] {
			if p.MemberID == memberID {
				return !p.JoinedAt.After(at)
			}
		}
		return false
	}
	for i := range ds.Meetings {
		m := &ds.Meetings[i]
		g := groups[m.GroupID]
		if m.ID != int64(i+1) || g == nil || (i > 0 && m.StartsAt.Before(ds.Meetings[i-1].StartsAt)) {
			fail("meeting %d: order or group", m.ID)
			continue
		}
		minutes := 0
		for _, a := range m.Agenda {
			if strings.TrimSpace(a.Title) == "" || a.Minutes <= 0 {
				fail("meeting %d agenda item %+v", m.ID, a)
			}
			minutes += a.Minutes
		}
		if strings.TrimSpace(m.Title) == "" || m.DurationMinutes <= 0 || len(m.Agenda) == 0 || minutes > m.DurationMinutes ||
			strings.TrimSpace(m.ExpectedOutcome) == "" {
			fail("meeting %d: %q, %d min, agenda %v, expected %q", m.ID, m.Title, m.DurationMinutes, m.Agenda, m.ExpectedOutcome)
		}
		if !m.StartsAt.After(g.FormedAt) || (g.ClosedAt != nil && !m.StartsAt.Before(*g.ClosedAt)) {
			fail("meeting %d at %v, group %d formed %v closed %v", m.ID, m.StartsAt, g.ID, g.FormedAt, g.ClosedAt)
		}
		switch m.Status {
		case domain.MeetingHeld:
			if m.Outcome == "" || !past(m.StartsAt) || len(m.AttendeeIDs) == 0 || !slices.IsSorted(m.AttendeeIDs) {
				fail("held meeting %d: outcome %q at %v, attendees %v", m.ID, m.Outcome, m.StartsAt, m.AttendeeIDs)
			}
			for k, id := range m.AttendeeIDs {
				if (k > 0 && id == m.AttendeeIDs[k-1]) || !isParticipant(m.GroupID, id, m.StartsAt) || !memberAt(id, m.StartsAt) {
					fail("meeting %d attendee %d", m.ID, id)
				}
			}
		case domain.MeetingScheduled:
			if !m.StartsAt.After(today) || g.Status != domain.GroupActive || m.Outcome != "" || len(m.AttendeeIDs) > 0 {
				fail("scheduled meeting %+v", m)
			}
		case domain.MeetingCancelled:
			if m.Outcome != "" || len(m.AttendeeIDs) > 0 {
				fail("cancelled meeting %+v", m)
			}
		default:
			fail("meeting %d status %q", m.ID, m.Status)
		}
	}

	// Action plans, distributed to the ACTIVE members at publication.
	var joins, lefts []time.Time
	for _, m := range ds.Members {
		joins = append(joins, m.JoinedOn)
		if m.LeftOn != nil {
			lefts = append(lefts, *m.LeftOn)
		}
	}
	slices.SortFunc(joins, time.Time.Compare)
	slices.SortFunc(lefts, time.Time.Compare)
	activeAt := func(at time.Time) int {
		count := func(ds []time.Time) int {
			n, _ := slices.BinarySearchFunc(ds, at, func(d, at time.Time) int {
				if d.After(at) {
					return 1
				}
				return -1
			})
			return n
		}
		return count(joins) - count(lefts)
	}
	planOf := map[int64]bool{}
	for i := range ds.ActionPlans {
		p := &ds.ActionPlans[i]
		g := groups[p.GroupID]
		if p.ID != int64(i+1) || g == nil || planOf[p.GroupID] || (i > 0 && p.PublishedAt.Before(ds.ActionPlans[i-1].PublishedAt)) {
			fail("plan %d: order or group", p.ID)
			continue
		}
		planOf[p.GroupID] = true
		if strings.TrimSpace(p.Summary) == "" || len(p.Items) == 0 || !past(p.PublishedAt) || !p.PublishedAt.After(g.FormedAt) ||
			(g.ClosedAt != nil && p.PublishedAt.After(*g.ClosedAt)) {
			fail("plan %+v of group %+v", p, g)
		}
		if active := activeAt(p.PublishedAt); p.DistributedTo != active {
			fail("plan %d distributed to %d, %d ACTIVE at %v", p.ID, p.DistributedTo, active, p.PublishedAt)
		}
		for _, it := range p.Items {
			if strings.TrimSpace(it.Title) == "" || (it.OwnerID != nil && !isParticipant(p.GroupID, *it.OwnerID, p.PublishedAt)) ||
				(it.DueOn != nil && !it.DueOn.After(p.PublishedAt)) {
				fail("plan %d item %+v", p.ID, it)
			}
		}
	}

	// Trainings: in order of start, within their capacity, held in the
	// past and scheduled in the future, registered by members of the
	// cluster before they start; only those HELD were attended, by some.
	trainings := make(map[int64]*domain.Training, len(ds.Trainings))
	for i := range ds.Trainings {
		tr := &ds.Trainings[i]
		trainings[tr.ID] = tr
		if tr.ID != int64(i+1) || (i > 0 && tr.StartsAt.Before(ds.Trainings[i-1].StartsAt)) || strings.TrimSpace(tr.Title) == "" ||
			!validTheme(tr.Theme) || tr.DurationMinutes < 1 || tr.DurationMinutes > domain.MaxTrainingMinutes ||
			tr.Capacity < 1 || tr.RegistrationCount > tr.Capacity {
			fail("training %+v", tr)
		}
		switch tr.Status {
		case domain.TrainingHeld:
			if !past(tr.StartsAt) {
				fail("training %d held at %v", tr.ID, tr.StartsAt)
			}
		case domain.TrainingScheduled:
			if !tr.StartsAt.After(today) {
				fail("training %d scheduled at %v", tr.ID, tr.StartsAt)
			}
		case domain.TrainingCancelled:
		default:
			fail("training %d status %q", tr.ID, tr.Status)
		}
	}
	type seat struct{ training, member int64 }
	seats := map[seat]bool{}
	registered := map[int64]int{}
	attended := map[int64]int{}
	for i, r := range ds.Registrations {
		tr := trainings[r.TrainingID]
		if tr == nil || seats[seat{r.TrainingID, r.MemberID}] || !memberAt(r.MemberID, r.RegisteredAt) || !memberAt(r.MemberID, tr.StartsAt) ||
			!r.RegisteredAt.Before(tr.StartsAt) || !past(r.RegisteredAt) || (r.Attended && tr.Status != domain.TrainingHeld) {
			fail("registration %+v of training %+v", r, tr)
			continue
		}
		if p := ds.Registrations[max(i-1, 0)]; i > 0 && (p.TrainingID > r.TrainingID || p.TrainingID == r.TrainingID && p.RegisteredAt.After(r.RegisteredAt)) {
			fail("registration %+v after %+v", r, p)
		}
		seats[seat{r.TrainingID, r.MemberID}] = true
		registered[r.TrainingID]++
		if r.Attended {
			attended[r.TrainingID]++
		}
	}
	for _, tr := range ds.Trainings {
		if registered[tr.ID] != tr.RegistrationCount || (tr.Status == domain.TrainingHeld && attended[tr.ID] == 0) {
			fail("training %d: %d registered (count %d), %d attended", tr.ID, registered[tr.ID], tr.RegistrationCount, attended[tr.ID])
		}
	}
}

// validTheme reports whether th is a theme.
func validTheme(th domain.Theme) bool {
	switch th {
	case domain.ThemePurchasing, domain.ThemeSmallBusinessSupport, domain.ThemeCommunication, domain.ThemeOther:
		return true
	}
	return false
}

// dateOf returns the date of t at midnight UTC.
func dateOf(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// engagement is a member's activity over the 12 months before today, as
// SPEC §3 counts it, and its last activity ever.
type engagement struct {
	meetings, trainings, groups, questions, links int
	last                                          time.Time
}

// score applies the formula of the schema: trainings attended count as
// meetings attended.
func (e *engagement) score() int {
	return domain.EngagementScore(e.meetings+e.trainings, e.groups, e.questions, e.links)
}

// engagements computes the engagement of every member from the dataset.
func engagements(ds *domain.Dataset, today time.Time) map[int64]*engagement {
	from := today.AddDate(-1, 0, 0)
	out := make(map[int64]*engagement, len(ds.Members))
	for _, m := range ds.Members {
		out[m.ID] = &engagement{}
	}
	record := func(id int64, at time.Time, field func(*engagement) *int) {
		e := out[id]
		if at.After(e.last) {
			e.last = at
		}
		if !at.Before(from) && !at.After(today) {
			*field(e)++
		}
	}
	for _, m := range ds.Meetings {
		for _, id := range m.AttendeeIDs {
			record(id, m.StartsAt, func(e *engagement) *int { return &e.meetings })
		}
	}
	startsAt := make(map[int64]time.Time, len(ds.Trainings))
	for _, tr := range ds.Trainings {
		if tr.Status == domain.TrainingHeld {
			startsAt[tr.ID] = tr.StartsAt
		}
	}
	for _, r := range ds.Registrations {
		if at, held := startsAt[r.TrainingID]; held && r.Attended {
			record(r.MemberID, at, func(e *engagement) *int { return &e.trainings })
		}
	}
	for _, p := range ds.Participants {
		record(p.MemberID, p.JoinedAt, func(e *engagement) *int { return &e.groups })
	}
	for _, s := range ds.Supports {
		record(s.MemberID, s.At, func(e *engagement) *int { return &e.questions })
	}
	for _, l := range ds.Links {
		record(l.DeclaredBy, l.CreatedAt, func(e *engagement) *int { return &e.links })
		if l.ConfirmedAt != nil {
			record(l.Counterpart(l.DeclaredBy), *l.ConfirmedAt, func(e *engagement) *int { return &e.links })
		}
	}
	return out
}

// confirmedGraph returns the network graph of SPEC §2: ACTIVE members, one
// edge per pair with a CONFIRMED link, as adjacency lists by node index.
func confirmedGraph(ds *domain.Dataset) (nodes []int64, adj [][]int) {
	index := map[int64]int{}
	for _, m := range ds.Members {
		if m.Status == domain.StatusActive {
			index[m.ID] = len(nodes)
			nodes = append(nodes, m.ID)
		}
	}
	adj = make([][]int, len(nodes))
	seen := map[[2]int]bool{}
	for _, l := range ds.Links {
		a, okA := index[l.FromID]
		b, okB := index[l.ToID]
		if l.Status != domain.LinkConfirmed || !okA || !okB {
			continue
		}
		k := [2]int{min(a, b), max(a, b)}
		if !seen[k] {
			seen[k] = true
			adj[a] = append(adj[a], b)
			adj[b] = append(adj[b], a)
		}
	}
	return nodes, adj
}

// smallWorld returns the density, the average clustering coefficient (as
// NetworkX's average_clustering), the components' sizes (largest first)
// and the average shortest path length in the largest component, from
// every node of it, or from about sources evenly spread ones if sources > 0.
func smallWorld(adj [][]int, sources int) (density, clustering float64, components []int, path float64) {
	n := len(adj)
	edges := 0
	mark := make([]int, n)
	for i := range mark {
		mark[i] = -1
	}
	for v, nb := range adj {
		edges += len(nb)
		for _, u := range nb {
			mark[u] = v
		}
		triangles := 0
		for _, u := range nb {
			for _, x := range adj[u] {
				if mark[x] == v {
					triangles++
				}
			}
		}
		if k := len(nb); k >= 2 {
			clustering += float64(triangles) / float64(k*(k-1))
		}
	}
	edges /= 2
	density = 2 * float64(edges) / float64(n*(n-1))
	clustering /= float64(n)

	comp := make([]int, n)
	for i := range comp {
		comp[i] = -1
	}
	var sizes []int
	queue := make([]int, 0, n)
	for s := range n {
		if comp[s] >= 0 {
			continue
		}
		c := len(sizes)
		comp[s] = c
		queue = append(queue[:0], s)
		for k := 0; k < len(queue); k++ {
			for _, u := range adj[queue[k]] {
				if comp[u] < 0 {
					comp[u] = c
					queue = append(queue, u)
				}
			}
		}
		sizes = append(sizes, len(queue))
	}
	largest := 0
	for c, s := range sizes {
		if s > sizes[largest] {
			largest = c
		}
	}
	dist := make([]int, n)
	total, pairs := 0, 0
	step := 1
	if sources > 0 {
		step = max(1, sizes[largest]/sources)
	}
	for s, k := 0, 0; s < n; s++ {
		if comp[s] != largest {
			continue
		}
		if k++; k%step != 0 {
			continue
		}
		for i := range dist {
			dist[i] = -1
		}
		dist[s] = 0
		queue = append(queue[:0], s)
		for k := 0; k < len(queue); k++ {
			v := queue[k]
			for _, u := range adj[v] {
				if dist[u] < 0 {
					dist[u] = dist[v] + 1
					total += dist[u]
					pairs++
					queue = append(queue, u)
				}
			}
		}
	}
	if pairs > 0 {
		path = float64(total) / float64(pairs)
	}
	slices.SortFunc(sizes, func(a, b int) int { return cmp.Compare(b, a) })
	return density, clustering, sizes, path
}

// TestReferenceActivity checks the figures of the reference network's
// business links, questions, groups, meetings and plans.
func TestReferenceActivity(t *testing.T) {
	for _, seed := range []uint64{1, 2, 42} {
		ds := Generate(Options{Seed: seed, Today: testToday})
		active := 0
		for _, m := range ds.Members {
			if m.Status == domain.StatusActive {
				active++
			}
		}

		// Links: about 5 per ACTIVE member, mostly confirmed, every status,
		// origin and kind represented.
		statuses := map[domain.LinkStatus]int{}
		origins := map[domain.LinkOrigin]int{}
		kinds := map[domain.LinkKind]int{}
		for _, l := range ds.Links {
			statuses[l.Status]++
			origins[l.Origin]++
			kinds[l.Kind]++
		}
		if n := len(ds.Links); n < 4*active || n > 6*active {
			t.Errorf("seed %d: %d links for %d ACTIVE members, want 4 to 6 each", seed, n, active)
		}
		if c := statuses[domain.LinkConfirmed]; c*100 < len(ds.Links)*70 || statuses[domain.LinkPending] == 0 ||
			statuses[domain.LinkDeclined] == 0 || statuses[domain.LinkEnded] == 0 {
			t.Errorf("seed %d: statuses %v", seed, statuses)
		}
		if len(origins) != 5 || len(kinds) != 6 {
			t.Errorf("seed %d: origins %v, kinds %v", seed, origins, kinds)
		}

		// A few dozen questions over the three themes, groups with meetings
		// and published plans.
		themes := map[domain.Theme]int{}
		for _, q := range ds.Questions {
			themes[q.Theme]++
		}
		held, scheduled := 0, 0
		for _, m := range ds.Meetings {
			switch m.Status {
			case domain.MeetingHeld:
				held++
			case domain.MeetingScheduled:
				scheduled++
			}
		}
		activeGroups := 0
		for _, g := range ds.Groups {
			if g.Status == domain.GroupActive {
				activeGroups++
			}
		}
		if n := len(ds.Questions); n < 25 || n > 35 || themes[domain.ThemePurchasing] < 3 ||
			themes[domain.ThemeSmallBusinessSupport] < 3 || themes[domain.ThemeCommunication] < 3 {
			t.Errorf("seed %d: %d questions, themes %v", seed, n, themes)
		}
		if len(ds.Groups) < 12 || activeGroups < 3 || len(ds.Groups) == activeGroups || held < 3*len(ds.Groups) ||
			scheduled == 0 || len(ds.ActionPlans) < 5 {
			t.Errorf("seed %d: %d groups (%d ACTIVE), %d meetings held, %d scheduled, %d plans",
				seed, len(ds.Groups), activeGroups, held, scheduled, len(ds.ActionPlans))
		}
		if n := len(ds.Contacts); n < len(ds.Members)+len(ds.Members)/3 || n > 3*len(ds.Members) {
			t.Errorf("seed %d: %d contacts for %d members", seed, n, len(ds.Members))
		}
		if len(ds.Complements) < 40 {
			t.Errorf("%d trade complements", len(ds.Complements))
		}

		// About a training a month, of every status, on the themes of the
		// interview, mostly well attended.
		trainingStatuses := map[domain.TrainingStatus]int{}
		trainingThemes := map[domain.Theme]int{}
		for _, tr := range ds.Trainings {
			trainingStatuses[tr.Status]++
			trainingThemes[tr.Theme]++
		}
		attended := 0
		for _, r := range ds.Registrations {
			if r.Attended {
				attended++
			}
		}
		if n := len(ds.Trainings); n < 18 || n > 24 || trainingStatuses[domain.TrainingHeld] < 12 || trainingStatuses[domain.TrainingScheduled] == 0 ||
			trainingStatuses[domain.TrainingCancelled] == 0 || trainingThemes[domain.ThemeSmallBusinessSupport] < n/3 {
			t.Errorf("seed %d: %d trainings, statuses %v, themes %v", seed, n, trainingStatuses, trainingThemes)
		}
		if attended < 8*trainingStatuses[domain.TrainingHeld] || len(ds.Registrations) < 12*len(ds.Trainings) {
			t.Errorf("seed %d: %d registrations, %d attended, for %d trainings", seed, len(ds.Registrations), attended, len(ds.Trainings))
		}
	}
}

// TestSmallWorld checks the reference network graph (ACTIVE members, an edge
// per pair with a CONFIRMED link) is a small world: far more clustered
// than a random graph of the same density (whose clustering is the
// density), with short paths, nearly all members in one component, and a
// few isolated members.
func TestSmallWorld(t *testing.T) {
	for _, seed := range []uint64{1, 2, 42} {
		_, adj := confirmedGraph(Generate(Options{Seed: seed, Today: testToday}))
		density, clustering, sizes, path := smallWorld(adj, 0)
		t.Logf("seed %d: density %.3f, clustering %.3f (%.1f×), path %.2f, components %v",
			seed, density, clustering, clustering/density, path, sizes[:min(3, len(sizes))])
		if clustering < 3*density {
			t.Errorf("seed %d: clustering %.3f, less than 3 × density %.3f", seed, clustering, density)
		}
		if path > 4.5 || path < 2 {
			t.Errorf("seed %d: average shortest path %.2f, want 2 to 4.5", seed, path)
		}
		if sizes[0]*100 < len(adj)*90 {
			t.Errorf("seed %d: largest component %d of %d members", seed, sizes[0], len(adj))
		}
		isolated := 0
		for _, nb := range adj {
			if len(nb) == 0 {
				isolated++
			}
		}
		if isolated == 0 || isolated > len(adj)/20 {
			t.Errorf("seed %d: %d isolated members", seed, isolated)
		}
	}
}

// TestEngagementSpread checks the activity over the last 12 months spreads
// the engagement scores: some members very active, many in between, and a
// visible minority of ACTIVE members at risk (nothing for six months).
func TestEngagementSpread(t *testing.T) {
	for _, seed := range []uint64{1, 2, 42} {
		ds := Generate(Options{Seed: seed, Today: testToday})
		eng := engagements(ds, testToday)
		riskBefore := testToday.AddDate(0, -domain.AtRiskAfter, 0)
		var active, atRisk, high, middle int
		for _, m := range ds.Members {
			if m.Status != domain.StatusActive {
				continue
			}
			active++
			e := eng[m.ID]
			if e.last.Before(riskBefore) {
				atRisk++
			}
			switch s := e.score(); {
			case s >= 50:
				high++
			case s >= 10:
				middle++
			}
		}
		t.Logf("seed %d: %d ACTIVE, %d at risk, %d score 50+, %d score 10-49", seed, active, atRisk, high, middle)
		if share := float64(atRisk) / float64(active); share < 0.05 || share > 0.25 {
			t.Errorf("seed %d: at-risk share %.2f, want 0.05 to 0.25", seed, share)
		}
		if high*100 < active*5 || middle*100 < active*30 {
			t.Errorf("seed %d: %d score 50 or more, %d 10 to 49, of %d", seed, high, middle, active)
		}
	}
}
