// Package demo generates the deterministic demo network that grappe loads on
// first start with an empty database: a fictional cluster of measurement
// companies shaped on the figures of the reference network (182 members,
// born in Val d'Oise in 2002, national since 2010). The same options always
// give the same dataset, so the demo, the tests and the benchmarks agree.
package demo

import (
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"grappe/domain"
)

// DefaultMembers is the number of ACTIVE members of the reference network,
// used when Options.Members is 0.
const DefaultMembers = 182

// pcgStream is the second word of the PCG generator ("grappe.d" in ASCII).
const pcgStream uint64 = 0x6772617070652e64

// referenceToday is the "now" used when Options.Today is zero, so that a
// zero Options still gives one dataset.
var referenceToday = time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC)

// History of the reference network, in members counted at the end of a year.
const (
	foundingYear  = 2002 // 5 founders in Val d'Oise
	founders      = 5
	earlyEndYear  = 2006 // about 30 members
	earlyEndCount = 30
	localEndYear  = 2009 // 50 members, all in Île-de-France; national from 2010
	localEndCount = 50
	nationalYear  = 2010
)

// Options controls the generated network.
type Options struct {
	Members int       // number of ACTIVE members; 0 (or less) means 182 (the reference network)
	Seed    uint64    // the same seed and options give the same dataset, byte for byte
	Today   time.Time // the date of "now" for join dates (pass a fixed date in tests); zero means 2026-01-01 UTC
}

// slot is a member being generated.
type slot struct {
	joined   time.Time
	lapsed   bool
	founder  bool
	kind     domain.MemberKind
	special  *special
	genre    int // kind of generated institution, see institutionGenres
	hasClass bool
	class    domain.SizeClass
	foreign  *foreignCountry
	town     *town
	profile  *profile
	trades   []string
	name     string
	slug     string
}

// generator holds the state of one Generate call.
type generator struct {
	r     *rand.Rand
	seed  uint64
	today time.Time
	slugs map[uint64]struct{} // hashes of the slugs of the names given
	siren map[string]struct{}
	buf   []byte
}

// Generate builds the demo network described by opts. It never fails: any
// Members ≤ 0 means the reference network of 182 ACTIVE members, and join
// dates are never after opts.Today (which should be after 2010 for the
// history to make sense).
//
// Members are in order of join date, founders first, each with 1 to 3
// trades, ascending; all their fields are filled but CreatedAt and
// UpdatedAt (LeftOn only when LAPSED, ForeignParentCountry only for
// subsidiaries). Contacts are 1 to 3 per member, in member order; links in
// order of declaration (CreatedAt); questions in order of RaisedAt, with
// SupporterCount and GroupID filled; supports by question, in order of
// support (the raiser first); groups in order of FormedAt; participants by
// group, the LEAD first, then in order of joining; meetings in order of
// StartsAt, with AttendeeIDs ascending and only when HELD; action plans in
// order of PublishedAt; trainings in order of StartsAt, their registrations
// by training, in order of registration.
func Generate(opts Options) *domain.Dataset {
	n := opts.Members
	if n <= 0 {
		n = DefaultMembers
	}
	g := &generator{
		r:     rand.New(rand.NewPCG(opts.Seed, pcgStream)),
		seed:  opts.Seed,
		today: lastDay(opts.Today),
		slugs: make(map[uint64]struct{}, n+n/16),
		siren: make(map[string]struct{}, n+n/16),
	}
	slots := g.joinDates(n, lapsedCount(n))
	g.assignKinds(slots, n)
	g.assignSizes(slots, n)
	headcounts := make([]int, len(slots))
	for i := range slots {
		s := &slots[i]
		if sp := s.special; sp != nil && sp.headcount[1] > 0 && s.class == sp.class {
			headcounts[i] = sp.headcount[0] + g.r.IntN(sp.headcount[1]-sp.headcount[0]+1)
		} else {
			headcounts[i] = g.headcount(s.class)
		}
	}
	g.assignForeign(slots)
	g.assignTowns(slots)
	g.assignProfiles(slots)
	g.assignNames(slots)

	ds := &domain.Dataset{Trades: cloneTrades(), Members: make([]domain.DatasetMember, len(slots))}
	locations := make([]domain.Location, len(slots))
	totalTrades := 0
	for i := range slots {
		totalTrades += len(slots[i].trades)
	}
	tradeIDs := make([]int64, 0, totalTrades)
	var leftDates []time.Time
	for i := range slots {
		s := &slots[i]
		// Up to about 1.5 km around the town, in 1e-5 degrees (integers,
		// so that every platform gives the same coordinates).
		locations[i] = domain.Location{
			Lat: float64(e5(s.town.Lat)+g.r.IntN(3001)-1500) / 1e5,
			Lng: float64(e5(s.town.Lng)+g.r.IntN(4001)-2000) / 1e5,
		}
		start := len(tradeIDs)
		for _, c := range s.trades {
			tradeIDs = append(tradeIDs, tradeID(c))
		}
		ids := tradeIDs[start:len(tradeIDs):len(tradeIDs)]
		slices.Sort(ids)
		m := domain.Member{
			ID:        int64(i + 1),
			Name:      s.name,
			LegalID:   g.newSIREN(s),
			Kind:      s.kind,
			Status:    domain.StatusActive,
			Headcount: &headcounts[i],
			Address: domain.Address{
				City:       s.town.City,
				PostalCode: s.town.PostalCode,
				Department: s.town.department,
				Region:     s.town.region,
				Country:    "FR",
			},
			Location:    &locations[i],
			Website:     "https://" + s.slug + ".example",
			Description: g.description(s),
			JoinedOn:    s.joined,
		}
		if s.foreign != nil {
			m.ForeignParentCountry = s.foreign.code
		}
		if s.lapsed {
			if leftDates == nil {
				leftDates = make([]time.Time, 0, lapsedCount(n))
			}
			leftDates = append(leftDates, g.leftOn(s.joined))
			m.Status = domain.StatusLapsed
			m.LeftOn = &leftDates[len(leftDates)-1]
		}
		ds.Members[i] = domain.DatasetMember{Member: m, TradeIDs: ids}
	}
	g.network(ds)
	return ds
}

// network adds what happens between the members: contacts, business links,
// questions, working groups, meetings and action plans, the trainings the
// animation team gives, its touchpoints with the members, their purchasing
// campaigns, and the trade shows (drawn last, so that the rest is the same
// with or without them).
func (g *generator) network(ds *domain.Dataset) {
	ds.Complements = complements()
	ds.Contacts = g.contacts(ds.Members)
	w := newWorld(g, ds.Members)
	w.buildStructure()
	act := w.buildGroups()
	recs := w.buildLinks(act)
	recs = w.keepActive(recs)
	ds.Links = w.materializeLinks(recs)
	ds.Questions, ds.Supports = act.questions, act.supports
	ds.Groups, ds.Participants = act.groups, act.participants
	ds.Meetings, ds.ActionPlans = act.meetings, act.plans
	ds.Trainings, ds.Registrations = w.buildTrainings(g.seed)
	ds.Touchpoints = g.touchpoints(ds)
	ds.Campaigns, ds.Commitments = g.campaigns(ds)
	g.tradeShows(ds)
}

// lapsedCount is the number of LAPSED members next to n ACTIVE ones: about
// 3.3%, 6 for the reference network (low turnover).
func lapsedCount(n int) int { return (n*33 + 500) / 1000 }

// lastDay returns the last date, at midnight UTC, that is not after today.
func lastDay(today time.Time) time.Time {
	if today.IsZero() {
		return referenceToday
	}
	d := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	if d.After(today) {
		d = d.AddDate(0, 0, -1)
	}
	return d
}

// e5 returns a coordinate in 1e-5 degrees (about a metre).
func e5(x float64) int { return int(math.Round(x * 1e5)) }

// apportion splits n into counts proportional to weights by the largest
// remainder method; ties go to the earlier weight.
func apportion(n int, weights []int) []int {
	counts := make([]int, len(weights))
	total := 0
	for _, w := range weights {
		total += w
	}
	if n <= 0 || len(weights) == 0 {
		return counts
	}
	if total <= 0 {
		counts[len(counts)-1] = n
		return counts
	}
	rems := make([]int, len(weights))
	given := 0
	for i, w := range weights {
		counts[i] = n * w / total
		rems[i] = n * w % total
		given += counts[i]
	}
	order := make([]int, len(weights))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return rems[b] - rems[a] })
	for k := 0; given < n; k++ {
		counts[order[k%len(order)]]++
		given++
	}
	return counts
}

// pickWeighted returns an index drawn with probability proportional to weights.
func (g *generator) pickWeighted(total int, weight func(int) int, n int) int {
	x := g.r.IntN(total)
	for i := range n {
		x -= weight(i)
		if x < 0 {
			return i
		}
	}
	return n - 1
}

// pick returns a random element of a non-empty slice.
func pick[T any](g *generator, xs []T) T { return xs[g.r.IntN(len(xs))] }

// yearWeight is the relative number of joins in a year of the national era:
// a rush after the DATAR call of 2010, a dip in the 2020-2021 pandemic.
func yearWeight(year int) int {
	switch year {
	case 2010:
		return 1500
	case 2011:
		return 1800
	case 2012:
		return 1400
	case 2020:
		return 600
	case 2021:
		return 800
	}
	return 1000
}

// joinDates creates the slots of n ACTIVE and lapsed LAPSED members with
// their join dates, sorted by date. The ACTIVE ones follow the history of the
// reference network scaled to n: 5 founders in 2002, 30/182 of n by the end
// of 2006, 50/182 by the end of 2009, the rest from 2010 to today.
func (g *generator) joinDates(n, lapsed int) []slot {
	lastYear := max(g.today.Year(), foundingYear)
	f := min(founders, n)
	cEarly := min(n, max(f, (earlyEndCount*n+DefaultMembers/2)/DefaultMembers))
	cLocal := min(n, max(cEarly, (localEndCount*n+DefaultMembers/2)/DefaultMembers))

	perYear := make([]int, max(lastYear, nationalYear)-foundingYear+1)
	add := func(from int, counts []int) {
		for i, c := range counts {
			perYear[from-foundingYear+i] += c
		}
	}
	// Growing joins up to 2006 (4, 5, 7, 9 for the reference), then steady.
	add(foundingYear+1, apportion(cEarly-f, []int{4, 5, 7, 9}[:earlyEndYear-foundingYear]))
	add(earlyEndYear+1, apportion(cLocal-cEarly, []int{6, 7, 7}[:localEndYear-earlyEndYear]))
	var late []int
	for y := nationalYear; y <= max(lastYear, nationalYear); y++ {
		w := yearWeight(y)
		if y == lastYear {
			days := time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC).YearDay()
			w = w * g.today.YearDay() / days
		}
		late = append(late, w)
	}
	add(nationalYear, apportion(n-cLocal, late))
	// Years after today (a today before 2010) fold into today's year.
	for y := len(perYear) - 1; y > lastYear-foundingYear; y-- {
		perYear[lastYear-foundingYear] += perYear[y]
		perYear[y] = 0
	}

	// Dates are days since epoch while sorting: cheaper than time.Time.
	type entry struct {
		day     int32
		lapsed  bool
		founder bool
	}
	epoch := time.Date(foundingYear, 1, 1, 0, 0, 0, 0, time.UTC)
	dayOf := func(t time.Time) int32 { return int32(t.Sub(epoch).Hours() / 24) }
	todayDay := dayOf(g.today)
	dayIn := func(from, to time.Time) int32 {
		a, b := dayOf(from), min(dayOf(to), todayDay)
		if a > b {
			return b
		}
		return a + g.r.Int32N(b-a+1)
	}
	yearStart := func(y int) time.Time { return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC) }
	yearEnd := func(y int) time.Time { return time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC) }

	entries := make([]entry, 0, n+lapsed)
	founded := dayIn(time.Date(foundingYear, 1, 15, 0, 0, 0, 0, time.UTC), time.Date(foundingYear, 6, 30, 0, 0, 0, 0, time.UTC))
	for range f {
		entries = append(entries, entry{day: founded, founder: true})
	}
	for i, c := range perYear {
		y := foundingYear + i
		from, to := yearStart(y), yearEnd(y)
		for range c {
			entries = append(entries, entry{day: dayIn(from, to)})
		}
	}
	// LAPSED members joined at least two years ago and never in 2002.
	lastLapsedYear := max(2003, lastYear-2)
	for range lapsed {
		y := 2003 + g.r.IntN(lastLapsedYear-2003+1)
		entries = append(entries, entry{day: dayIn(yearStart(y), yearEnd(y)), lapsed: true})
	}
	// Entries that compare equal are identical, so the order is deterministic.
	slices.SortFunc(entries, func(a, b entry) int {
		if a.day != b.day {
			return int(a.day - b.day)
		}
		if a.founder != b.founder {
			return boolOrder(a.founder)
		}
		if a.lapsed != b.lapsed {
			return -boolOrder(a.lapsed)
		}
		return 0
	})
	slots := make([]slot, len(entries))
	for i, e := range entries {
		slots[i] = slot{joined: epoch.Add(time.Duration(e.day) * 24 * time.Hour), lapsed: e.lapsed, founder: e.founder}
	}
	return slots
}

// boolOrder sorts true first: -1 for true, 1 for false.
func boolOrder(b bool) int {
	if b {
		return -1
	}
	return 1
}

// dateBetween returns a random date in [from, to], capped at today.
func (g *generator) dateBetween(from, to time.Time) time.Time {
	if to.After(g.today) {
		to = g.today
	}
	if from.After(to) {
		return to
	}
	days := int(to.Sub(from).Hours()/24+0.5) + 1
	return from.AddDate(0, 0, g.r.IntN(days))
}

// leftOn returns when a LAPSED member who joined on joined left: at least a
// year after joining and after 2010 (so the early history keeps its size),
// never after today.
func (g *generator) leftOn(joined time.Time) time.Time {
	from := joined.AddDate(1, 0, 0)
	if y := time.Date(2011, 1, 1, 0, 0, 0, 0, time.UTC); from.Before(y) {
		from = y
	}
	if from.After(g.today) {
		from = joined.AddDate(0, 0, 1)
	}
	if from.After(g.today) {
		return from
	}
	return g.dateBetween(from, g.today)
}

// assignKinds gives every slot a kind. Founders and LAPSED members are
// companies; among the n ACTIVE members the kinds follow kindWeights exactly.
// The named specials go first, each joining near its preferred year; further
// laboratories, institutions and media partners (large networks) are spread
// at random.
func (g *generator) assignKinds(slots []slot, n int) {
	quota := apportion(n, kindWeights)
	nYears := max(1, slots[len(slots)-1].joined.Year()-foundingYear+1)
	byYear := make([][]int, nYears)
	free := 0
	for i := range slots {
		slots[i].kind = domain.KindCompany
		if !slots[i].founder && !slots[i].lapsed {
			y := max(0, slots[i].joined.Year()-foundingYear)
			byYear[y] = append(byYear[y], i)
			free++
		}
	}
	taken := make([]bool, len(slots))
	for k := 1; k < len(kindOrder); k++ {
		for si := range specials {
			sp := &specials[si]
			if sp.kind != kindOrder[k] || quota[k] == 0 || free == 0 {
				continue
			}
			i := g.slotNearYear(byYear, taken, sp.year)
			taken[i] = true
			free--
			quota[k]--
			slots[i].kind = sp.kind
			slots[i].special = sp
		}
	}
	rest := make([]int, 0, free)
	for i := range slots {
		if !slots[i].founder && !slots[i].lapsed && !taken[i] {
			rest = append(rest, i)
		}
	}
	j := 0
	for k := 1; k < len(kindOrder); k++ {
		for ; quota[k] > 0 && j < len(rest); quota[k]-- {
			// Partial Fisher-Yates: rest[j] becomes a random remaining slot.
			x := j + g.r.IntN(len(rest)-j)
			rest[j], rest[x] = rest[x], rest[j]
			slots[rest[j]].kind = kindOrder[k]
			if kindOrder[k] == domain.KindInstitution {
				slots[rest[j]].genre = g.pickWeighted(institutionGenreTotal, func(i int) int { return institutionGenres[i].weight }, len(institutionGenres))
			}
			j++
		}
	}
}

// slotNearYear returns a random free slot that joined in year, or in the
// nearest year that has one. There must be a free slot.
func (g *generator) slotNearYear(byYear [][]int, taken []bool, year int) int {
	y0 := year - foundingYear
	var cands []int
	for d := 0; d <= len(byYear)+abs(y0); d++ {
		for _, y := range []int{y0 - d, y0 + d} {
			if y < 0 || y >= len(byYear) || (d == 0 && len(cands) > 0) {
				continue
			}
			for _, i := range byYear[y] {
				if !taken[i] {
					cands = append(cands, i)
				}
			}
		}
		if len(cands) > 0 {
			return pick(g, cands)
		}
	}
	panic("demo: no free slot")
}

// abs returns the absolute value of x.
func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// Size classes in order, for nearest-class fallbacks.
var sizeClasses = []domain.SizeClass{domain.SizeMicro, domain.SizeSmall, domain.SizeMedium, domain.SizeLarge}

// founderClasses are the size classes of the five founders: small manufacturers.
var founderClasses = []domain.SizeClass{domain.SizeSmall, domain.SizeMicro, domain.SizeSmall, domain.SizeSmall, domain.SizeMicro}

// assignSizes gives every slot a size class. Among the n ACTIVE members the
// counts are exact: 54% MICRO, 38% SMALL, the rest two thirds MEDIUM and one
// third LARGE. Founders and named specials get their own class when the
// counts allow it, the nearest one otherwise; LAPSED members are drawn.
func (g *generator) assignSizes(slots []slot, n int) {
	micro := (54*n + 50) / 100
	small := min((38*n+50)/100, n-micro)
	big := n - micro - small
	large := (big + 1) / 3
	bag := []int{micro, small, big - large, large}
	take := func(c domain.SizeClass) domain.SizeClass {
		k := slices.Index(sizeClasses, c)
		for d := 0; d < len(sizeClasses); d++ {
			for _, j := range []int{k - d, k + d} {
				if j >= 0 && j < len(bag) && bag[j] > 0 {
					bag[j]--
					return sizeClasses[j]
				}
			}
		}
		panic("demo: size bag empty")
	}
	fi := 0
	for i := range slots {
		s := &slots[i]
		switch {
		case s.lapsed:
			s.class = sizeClasses[g.pickWeighted(100, func(j int) int { return lapsedClassWeights[j] }, len(lapsedClassWeights))]
		case s.founder:
			s.class = take(founderClasses[fi%len(founderClasses)])
			fi++
		case s.special != nil:
			s.class = take(s.special.class)
		default:
			continue
		}
		s.hasClass = true
	}
	var rest []domain.SizeClass
	for j, c := range bag {
		for range c {
			rest = append(rest, sizeClasses[j])
		}
	}
	g.r.Shuffle(len(rest), func(a, b int) { rest[a], rest[b] = rest[b], rest[a] })
	j := 0
	for i := range slots {
		if !slots[i].hasClass {
			slots[i].class = rest[j]
			slots[i].hasClass = true
			j++
		}
	}
}

// headcount draws a headcount inside the range of a size class, smaller
// headcounts being likelier (the least of two draws, three for LARGE, which
// is capped at 3000). Integer arithmetic keeps it identical on every platform.
func (g *generator) headcount(c domain.SizeClass) int {
	lo, hi := c.HeadcountRange()
	lo = max(lo, 1)
	draws := 2
	if hi < 0 {
		hi, draws = 3000, 3
	}
	span := hi - lo + 1
	x := g.r.IntN(span)
	for range draws - 1 {
		x = min(x, g.r.IntN(span))
	}
	return lo + x
}

// foreignShare is the share, per mille, of the ACTIVE companies of each size
// class (in the order of sizeClasses) that are foreign subsidiaries: half of
// the medium-sized ones and more of the large ones, a few small ones.
var foreignShare = []int{10, 30, 500, 700}

// lapsedClassWeights are the size class weights of LAPSED members (percent,
// in the order of sizeClasses).
var lapsedClassWeights = []int{60, 35, 5, 0}

// assignForeign makes some companies subsidiaries of foreign groups: among
// the ACTIVE ones (founders aside) an exact share per size class after
// foreignShare, 8 for the reference network; 5% of the LAPSED ones.
func (g *generator) assignForeign(slots []slot) {
	byClass := make([][]int, len(sizeClasses))
	for i := range slots {
		s := &slots[i]
		if s.kind != domain.KindCompany || s.founder {
			continue
		}
		if s.lapsed {
			if g.r.IntN(20) == 0 {
				s.foreign = g.foreignCountry()
			}
			continue
		}
		c := slices.Index(sizeClasses, s.class)
		byClass[c] = append(byClass[c], i)
	}
	for c, idx := range byClass {
		want := (len(idx)*foreignShare[c] + 500) / 1000
		for j := range want {
			x := j + g.r.IntN(len(idx)-j)
			idx[j], idx[x] = idx[x], idx[j]
		}
		chosen := idx[:want]
		slices.Sort(chosen) // draw countries in member order
		for _, i := range chosen {
			slots[i].foreign = g.foreignCountry()
		}
	}
}

// foreignCountryTotal is the sum of the foreign country weights.
var foreignCountryTotal = func() int {
	t := 0
	for _, c := range foreignCountries {
		t += c.weight
	}
	return t
}()

// foreignCountry draws the country of a foreign parent.
func (g *generator) foreignCountry() *foreignCountry {
	return &foreignCountries[g.pickWeighted(foreignCountryTotal, func(i int) int { return foreignCountries[i].weight }, len(foreignCountries))]
}

// assignTowns places every member. Founders are in Val d'Oise and named
// specials in their own town; the others who joined before 2010 are in
// Île-de-France (65% Val d'Oise), those who joined later spread over France
// after lateBucketWeights, with exact counts per bucket.
func (g *generator) assignTowns(slots []slot) {
	var early, late []int
	for i := range slots {
		s := &slots[i]
		switch {
		case s.special != nil:
			s.town = findTown(s.special.city, s.special.postal)
		case s.founder:
			s.town = g.townIn(bucketValDOise)
		case s.joined.Year() < nationalYear:
			early = append(early, i)
		default:
			late = append(late, i)
		}
	}
	for _, group := range []struct {
		idx     []int
		weights []int
	}{{early, earlyBucketWeights}, {late, lateBucketWeights}} {
		var bag []int
		for b, c := range apportion(len(group.idx), group.weights) {
			for range c {
				bag = append(bag, b)
			}
		}
		g.r.Shuffle(len(bag), func(a, b int) { bag[a], bag[b] = bag[b], bag[a] })
		for k, i := range group.idx {
			slots[i].town = g.townIn(bag[k])
		}
	}
}

// townIn draws a town of a bucket by town weight.
func (g *generator) townIn(bucket int) *town {
	ts := bucketTowns[bucket]
	return &towns[ts[g.pickWeighted(bucketWeightSum[bucket], func(i int) int { return towns[ts[i]].Weight }, len(ts))]]
}

// profileTotal is the sum of the profile weights.
var profileTotal = func() int {
	t := 0
	for _, p := range profiles {
		t += p.weight
	}
	return t
}()

// manufacturerProfiles are the profiles founders are drawn from.
var manufacturerProfiles = func() []*profile {
	var ps []*profile
	for i := range profiles {
		if profiles[i].manufacturer {
			ps = append(ps, &profiles[i])
		}
	}
	return ps
}()

// assignProfiles chooses what each company does and the trades of every
// member: 1 to 3, consistent with its kind.
func (g *generator) assignProfiles(slots []slot) {
	for i := range slots {
		s := &slots[i]
		switch {
		case s.special != nil:
			s.trades = s.special.trades
		case s.kind == domain.KindCompany:
			if s.founder {
				s.profile = pick(g, manufacturerProfiles)
			} else {
				s.profile = &profiles[g.pickWeighted(profileTotal, func(j int) int { return profiles[j].weight }, len(profiles))]
			}
			s.trades = g.companyTrades(s)
		case s.kind == domain.KindLaboratory:
			s.trades = [][]string{
				{"LABORATORY.CALIBRATION"}, {"LABORATORY.CALIBRATION"}, {"LABORATORY.TESTING"},
				{"LABORATORY.CALIBRATION", "LABORATORY.TESTING"},
			}[g.r.IntN(4)]
		case s.kind == domain.KindInstitution:
			s.trades = []string{institutionGenres[s.genre].trade}
		case s.kind == domain.KindMediaPartner:
			if g.r.IntN(10) < 7 {
				s.trades = []string{"MEDIA_PARTNER.TRADE_PRESS"}
			} else {
				s.trades = []string{"MEDIA_PARTNER"}
			}
		}
	}
}

// companyTrades draws the trades of a company: its profile's main trade and
// up to two extras; foreign subsidiaries are often also their group's
// distributor in France.
func (g *generator) companyTrades(s *slot) []string {
	p := s.profile
	trades := make([]string, 1, 3)
	trades[0] = p.primary
	extra := 0
	switch x := g.r.IntN(100); {
	case x >= 85:
		extra = 2
	case x >= 45:
		extra = 1
	}
	for range extra {
		c := pick(g, p.extras)
		if !slices.Contains(trades, c) {
			trades = append(trades, c)
		}
	}
	if s.foreign != nil && !slices.Contains(trades, "DISTRIBUTOR") && g.r.IntN(10) < 6 {
		if len(trades) == 3 {
			trades = trades[:2]
		}
		trades = append(trades, "DISTRIBUTOR")
	}
	return trades
}
