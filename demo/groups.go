package demo

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"grappe/domain"
)

// membersPerQuestion is how many ACTIVE members there are per question.
const membersPerQuestion = 6

// questionYears is how far back questions go.
const questionYears = 8

// activities holds the questions, groups, meetings and plans being built.
type activities struct {
	questions    []domain.Question
	supports     []domain.QuestionSupport
	groups       []domain.WorkingGroup
	participants []domain.Participant
	meetings     []domain.Meeting
	plans        []domain.ActionPlan
	memberGroups [][]int32 // per member index, the indexes of its groups
}

// questionSeed is a question about to be generated.
type questionSeed struct {
	raised int64 // Unix seconds
	raiser int32
	topic  int
	region string // set for a topic's second and later uses
}

// workTime returns a random time of a working day (7:00 to 17:00 UTC).
func (g *generator) workTime(day int64) int64 {
	return day*secondsPerDay + 7*3600 + g.r.Int64N(10*3600)
}

// weekday moves a Saturday or Sunday to the next Monday.
func weekday(day int64) int64 {
	switch dateOfDay(day).Weekday() {
	case time.Saturday:
		return day + 2
	case time.Sunday:
		return day + 1
	}
	return day
}

// between returns a random integer in [lo, hi], lo when hi < lo.
func (g *generator) between(lo, hi int64) int64 {
	if hi <= lo {
		return lo
	}
	return lo + g.r.Int64N(hi-lo+1)
}

// buildGroups generates about one question per six ACTIVE members over the
// last eight years (more recent ones likelier), their supporters, the
// working groups of those with three supporters, their meetings and their
// action plans.
func (w *world) buildGroups() *activities {
	g := w.g
	act := &activities{memberGroups: make([][]int32, len(w.members))}
	n := w.activeCount()
	want := (n + membersPerQuestion/2) / membersPerQuestion
	if want == 0 || len(w.active) == 0 || w.active[len(w.active)-1] == 0 {
		return act
	}
	latest := w.today - 1
	earliest := max(latest-questionYears*365, w.join[0]+30)
	if earliest > latest {
		return act
	}
	perm := g.r.Perm(len(topics))
	seeds := make([]questionSeed, 0, want)
	for q := range want {
		span := latest - earliest
		x := g.r.Int64N(1000)
		day := latest - span*x*x*x/1_000_000_000
		raiser := int32(-1)
		for range 40 {
			i := int32(w.draw(w.active))
			if w.join[i] < day && w.canActUntil(i, day+45) {
				raiser = i
				break
			}
		}
		if raiser < 0 {
			continue
		}
		s := questionSeed{raised: g.workTime(day), raiser: raiser, topic: perm[q%len(perm)]}
		if q >= len(perm) {
			s.region = w.members[raiser].Address.Region
		}
		seeds = append(seeds, s)
	}
	slices.SortStableFunc(seeds, func(a, b questionSeed) int { return cmp.Compare(a.raised, b.raised) })
	for k := range seeds {
		w.question(act, &seeds[k])
	}
	w.renumberGroups(act)
	return act
}

// supporterTarget draws how many members besides the raiser will support a
// question: about a fifth get fewer than two (no group forms).
func (w *world) supporterTarget() int {
	g := w.g
	if g.r.IntN(100) < 20 {
		return g.r.IntN(2)
	}
	k := 2 + g.r.IntN(4) + g.r.IntN(5)
	if g.r.IntN(10) == 0 {
		k += g.r.IntN(8)
	}
	return k
}

// question generates one question with its supporters and, once three
// members share it, its working group.
func (w *world) question(act *activities, s *questionSeed) {
	g := w.g
	tp := &topics[s.topic]
	qid := int64(len(act.questions) + 1)
	q := domain.Question{ID: qid, Text: tp.text, Theme: tp.theme, RaisedBy: int64(s.raiser) + 1,
		RaisedAt: timeOf(s.raised), Status: domain.QuestionOpen}
	groupName := tp.group
	if s.region != "" {
		q.Text += " (adhérents " + regionWithDe[s.region] + ")"
		groupName += " – " + s.region
	}
	supporters := []int32{s.raiser}
	times := []int64{s.raised}
	todayStart := w.today * secondsPerDay
	var formed, closed int64
	last := s.raised // time of the last support
	for range w.supporterTarget() {
		var gap int64
		if len(supporters) < domain.SupportersToFormGroup {
			gap = g.between(0, 10)
		} else {
			gap = g.between(1, 30)
		}
		t := max(last+600, g.workTime(floorDiv(last, secondsPerDay)+gap))
		if t >= todayStart || (closed > 0 && t >= closed) {
			break
		}
		c := w.supporter(s.raiser, supporters, floorDiv(t, secondsPerDay))
		if c < 0 {
			continue
		}
		last = t
		supporters = append(supporters, c)
		times = append(times, t)
		if len(supporters) == domain.SupportersToFormGroup {
			formed = t
			closed = g.workTime(floorDiv(t, secondsPerDay) + g.between(240, 540))
		}
	}
	for k, c := range supporters {
		act.supports = append(act.supports, domain.QuestionSupport{QuestionID: qid, MemberID: int64(c) + 1, At: timeOf(times[k])})
		w.touch(c, times[k])
	}
	q.SupporterCount = len(supporters)
	if formed == 0 {
		act.questions = append(act.questions, q)
		return
	}

	gi := int32(len(act.groups))
	gid := int64(gi) + 1
	q.GroupID = &gid
	grp := domain.WorkingGroup{ID: gid, Name: groupName, Theme: tp.theme, QuestionID: qid,
		Status: domain.GroupActive, FormedAt: timeOf(formed)}
	q.Status = domain.QuestionGroupFormed
	if closed < todayStart {
		ct := timeOf(closed)
		grp.Status, grp.ClosedAt = domain.GroupClosed, &ct
		q.Status = domain.QuestionClosed
	} else {
		closed = 0
	}
	act.questions = append(act.questions, q)

	// The supporters are the participants while there is room; the raiser leads.
	first := len(act.participants)
	for k, c := range supporters[:min(len(supporters), domain.DefaultGroupCapacity)] {
		p := domain.Participant{GroupID: gid, MemberID: int64(c) + 1, Role: domain.RoleParticipant, JoinedAt: timeOf(max(times[k], formed))}
		if k == 0 {
			p.Role = domain.RoleLead
		}
		act.participants = append(act.participants, p)
		act.memberGroups[c] = append(act.memberGroups[c], gi)
		w.touch(c, max(times[k], formed))
	}
	act.groups = append(act.groups, grp)
	w.meetingsOf(act, gi, tp, act.participants[first:], formed, closed)
}

// supporter draws a member to support a question of raiser on day: a
// partner of the raiser, a neighbour, or anyone, the more active the
// likelier. It returns -1 when no draw fits. The first supporters must be
// able to act for a while, as they join the group when it forms.
func (w *world) supporter(raiser int32, taken []int32, day int64) int32 {
	g := w.g
	until := day
	if len(taken) < domain.SupportersToFormGroup {
		until += 45
	}
	for range 60 {
		var c int32
		switch x := g.r.IntN(100); {
		case x < 35 && len(w.adj[raiser]) > 0:
			c = w.adj[raiser][g.r.IntN(len(w.adj[raiser]))]
		case x < 65:
			pool := w.chunks[w.chunkOf[raiser]]
			c = pool[g.r.IntN(len(pool))]
		default:
			c = int32(w.draw(w.active))
		}
		cl := w.class[c]
		if cl == classLapsed || w.join[c] >= day || !w.canActUntil(c, until) || slices.Contains(taken, c) {
			continue
		}
		if g.r.IntN(1000) < classAcceptance[cl] {
			return c
		}
	}
	return -1
}

// canActUntil reports whether member i may still act on day: members who
// can act today can act on any later day.
func (w *world) canActUntil(i int32, day int64) bool {
	return w.last[i] >= min(day, w.today-1)
}

// meetingSlots are the start times of meetings, in seconds after midnight UTC.
var meetingSlots = []int64{7*3600 + 1800, 8 * 3600, 12 * 3600, 13*3600 + 1800, 15 * 3600}

// meetingPhase is where a meeting stands in the life of its group.
type meetingPhase int

const (
	phaseOpening meetingPhase = iota
	phaseMiddle
	phaseClosing
)

// meetingsOf generates a group's meetings every five to ten weeks from its
// formation: HELD (or CANCELLED) ones in the past, then up to two
// SCHEDULED ones in the next three months while the group is ACTIVE; and
// its action plan.
func (w *world) meetingsOf(act *activities, gi int32, tp *topic, parts []domain.Participant, formed, closed int64) {
	g := w.g
	end := w.today + 90
	if closed > 0 {
		end = floorDiv(closed, secondsPerDay) - 1
	}
	var days []int64
	future := 0
	for d := floorDiv(formed, secondsPerDay) + g.between(10, 30); ; d += g.between(35, 75) {
		d = weekday(d)
		if d == w.today {
			d = weekday(d + 1)
		}
		if d > end {
			break
		}
		if d > w.today {
			if future++; future > 2 {
				break
			}
		}
		days = append(days, d)
	}
	var held []int64 // start times of the HELD meetings
	gid := int64(gi) + 1
	for k, d := range days {
		phase := phaseMiddle
		switch {
		case k == 0:
			phase = phaseOpening
		case closed > 0 && k == len(days)-1:
			phase = phaseClosing
		}
		m := w.meeting(tp, phase, k)
		m.GroupID = gid
		m.StartsAt = timeOf(d*secondsPerDay + pick(g, meetingSlots))
		start := m.StartsAt.Unix()
		cancel := g.r.IntN(100) < 8 && phase == phaseMiddle
		switch {
		case d > w.today && cancel:
			m.Status = domain.MeetingCancelled
		case d > w.today:
			m.Status = domain.MeetingScheduled
		case cancel:
			m.Status = domain.MeetingCancelled
		default:
			m.AttendeeIDs = w.attendees(parts, start, d)
			if len(m.AttendeeIDs) < 2 {
				m.Status, m.AttendeeIDs = domain.MeetingCancelled, nil
				break
			}
			m.Status = domain.MeetingHeld
			outcomes := [...][]string{openingOutcomes, middleOutcomes, closingOutcomes}[phase]
			m.Outcome = fmt.Sprintf(pick(g, outcomes), len(m.AttendeeIDs))
			for _, id := range m.AttendeeIDs {
				w.touch(int32(id-1), start)
			}
			held = append(held, start)
		}
		act.meetings = append(act.meetings, m)
	}
	w.actionPlan(act, gi, tp, parts, held, closed)
}

// meeting returns a meeting's title, agenda, duration and expected outcome
// for its phase: every meeting has an agenda that fits its duration and an
// expected outcome.
func (w *world) meeting(tp *topic, phase meetingPhase, k int) domain.Meeting {
	g := w.g
	var m domain.Meeting
	var titles []string
	switch phase {
	case phaseOpening:
		m.Title = "Réunion de lancement"
		titles = openingAgenda
		m.ExpectedOutcome = pick(g, openingExpected)
	case phaseClosing:
		m.Title = "Réunion de clôture"
		titles = append(slices.Clip(closingAgenda), nextSteps)
		m.ExpectedOutcome = pick(g, closingExpected)
	default:
		work := pick(g, tp.work)
		if g.r.IntN(2) == 0 {
			m.Title = "Atelier : " + work
		} else {
			m.Title = fmt.Sprintf("Point d'étape n° %d", k)
		}
		titles = []string{middleAgenda[0], work}
		if g.r.IntN(2) == 0 {
			titles = append(titles, middleAgenda[1+g.r.IntN(len(middleAgenda)-1)])
		}
		titles = append(titles, nextSteps)
		m.ExpectedOutcome = pick(g, middleExpected)
	}
	m.DurationMinutes = [...]int{60, 90, 90, 120}[g.r.IntN(4)]
	// Minutes in steps of 5, at least 10 per item, up to 10 minutes spare.
	steps := (m.DurationMinutes - 5*g.r.IntN(3)) / 5
	alloc := make([]int, len(titles))
	for i := range alloc {
		alloc[i] = 2
		steps -= 2
	}
	for ; steps > 0; steps-- {
		alloc[g.r.IntN(len(alloc))]++
	}
	m.Agenda = make([]domain.AgendaItem, len(titles))
	for i, t := range titles {
		m.Agenda[i] = domain.AgendaItem{Title: t, Minutes: 5 * alloc[i]}
	}
	return m
}

// attendees draws who of a group's participants (joined by the meeting)
// attend it, after their activity class; IDs ascending.
func (w *world) attendees(parts []domain.Participant, start, day int64) []int64 {
	var ids []int64
	for _, p := range parts {
		i := int32(p.MemberID - 1)
		if p.JoinedAt.Unix() > start || w.last[i] < day {
			continue
		}
		if w.g.r.IntN(1000) < classAttendance[w.class[i]] {
			ids = append(ids, p.MemberID)
		}
	}
	slices.Sort(ids)
	return ids
}

// actionPlan publishes the plan of most CLOSED groups after their last held
// meeting, and of some ACTIVE ones after their third.
func (w *world) actionPlan(act *activities, gi int32, tp *topic, parts []domain.Participant, held []int64, closed int64) {
	g := w.g
	var after int64
	switch {
	case closed > 0 && len(held) > 0 && g.r.IntN(100) < 85:
		after = held[len(held)-1]
	case closed == 0 && len(held) >= 3 && g.r.IntN(100) < 45:
		after = held[2]
	default:
		return
	}
	pub := g.workTime(floorDiv(after, secondsPerDay) + g.between(2, 14))
	if closed > 0 {
		pub = min(pub, closed-3600)
	}
	if pub >= w.today*secondsPerDay || pub <= after {
		return
	}
	pubDay := floorDiv(pub, secondsPerDay)
	var owners []int64
	for _, p := range parts {
		if p.JoinedAt.Unix() <= pub && w.class[p.MemberID-1] != classDormant {
			owners = append(owners, p.MemberID)
		}
	}
	k := min(len(tp.actions), 3+g.r.IntN(2))
	items := make([]domain.ActionItem, k)
	for i := range items {
		it := domain.ActionItem{Title: tp.actions[i]}
		if len(owners) > 0 && g.r.IntN(10) > 0 {
			o := pick(g, owners)
			it.OwnerID = &o
		}
		if g.r.IntN(10) > 0 {
			due := pubDay + g.between(30, 240)
			d := dateOfDay(due)
			it.DueOn = &d
			it.Done = due < w.today && g.r.IntN(100) < 75
		}
		if !it.Done && it.DueOn == nil {
			it.Done = g.r.IntN(100) < 30
		}
		items[i] = it
	}
	act.plans = append(act.plans, domain.ActionPlan{
		GroupID:       int64(gi) + 1,
		Summary:       tp.summary,
		Items:         items,
		PublishedAt:   timeOf(pub),
		DistributedTo: w.activeAt(pubDay),
	})
}

// activeAt returns the number of members ACTIVE on day: joined by then and
// not yet left.
func (w *world) activeAt(day int64) int {
	joined, _ := slices.BinarySearch(w.join, day+1) // join days are in member order
	left, _ := slices.BinarySearch(w.leftDays, day+1)
	return joined - left
}

// renumberGroups gives groups their IDs in order of formation, meetings in
// order of start and plans in order of publication, and updates the
// references to them.
func (w *world) renumberGroups(act *activities) {
	order := make([]int, len(act.groups))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return act.groups[a].FormedAt.Compare(act.groups[b].FormedAt) })
	newID := make([]int64, len(order)) // by old index
	groups := make([]domain.WorkingGroup, len(order))
	for k, old := range order {
		newID[old] = int64(k + 1)
		groups[k] = act.groups[old]
		groups[k].ID = int64(k + 1)
	}
	act.groups = groups
	remap := func(id *int64) { *id = newID[*id-1] }
	for i := range act.questions {
		if act.questions[i].GroupID != nil {
			remap(act.questions[i].GroupID)
		}
	}
	for i := range act.participants {
		remap(&act.participants[i].GroupID)
	}
	slices.SortStableFunc(act.participants, func(a, b domain.Participant) int { return cmp.Compare(a.GroupID, b.GroupID) })
	for i := range act.meetings {
		remap(&act.meetings[i].GroupID)
	}
	slices.SortStableFunc(act.meetings, func(a, b domain.Meeting) int {
		return cmp.Or(a.StartsAt.Compare(b.StartsAt), cmp.Compare(a.GroupID, b.GroupID))
	})
	for i := range act.meetings {
		act.meetings[i].ID = int64(i + 1)
	}
	for i := range act.plans {
		remap(&act.plans[i].GroupID)
	}
	slices.SortStableFunc(act.plans, func(a, b domain.ActionPlan) int {
		return cmp.Or(a.PublishedAt.Compare(b.PublishedAt), cmp.Compare(a.GroupID, b.GroupID))
	})
	for i := range act.plans {
		act.plans[i].ID = int64(i + 1)
	}
	for m := range act.memberGroups {
		for k, gi := range act.memberGroups[m] {
			act.memberGroups[m][k] = int32(newID[gi] - 1)
		}
	}
}
