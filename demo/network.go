package demo

import (
	"cmp"
	"slices"
	"time"

	"grappe/domain"
)

// secondsPerDay converts day numbers (days since 1970-01-01 UTC) to seconds.
const secondsPerDay = 86400

// dayOf returns the day number of a time.
func dayOf(t time.Time) int64 { return floorDiv(t.Unix(), secondsPerDay) }

// floorDiv divides rounding towards minus infinity.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// dateOfDay returns midnight UTC of a day number.
func dateOfDay(d int64) time.Time { return time.Unix(d*secondsPerDay, 0).UTC() }

// timeOf returns the UTC time of a Unix second.
func timeOf(sec int64) time.Time { return time.Unix(sec, 0).UTC() }

// class is how much a member takes part in the life of the network, which
// drives its links, supports, groups and meeting attendance.
type class uint8

// Activity classes. Dormant ACTIVE members have done nothing for more than
// six months (they are at risk); LAPSED members act only while members.
const (
	classOccasional class = iota
	classRegular
	classCore
	classDormant
	classLapsed
)

// Shares, in percent of the ACTIVE members, of the activity classes.
const (
	dormantPercent  = 12 // at risk: nothing for more than six months
	isolatedPercent = 2  // no confirmed link (half of them newcomers)
)

// world is the state shared by the generation of links, questions and
// groups: facts about every member by index (ID-1).
type world struct {
	g       *generator
	members []domain.DatasetMember
	today   int64 // day number of today; past events happen before it

	join     []int64 // first day a member may act (the day it joined, ascending)
	leftDays []int64 // days LAPSED members left, ascending
	last     []int64 // last day a member may act (dormant members stopped months ago)
	class    []class
	isolated []bool   // no confirmed link: no structural link at all
	trades   []uint64 // bit set of trade IDs
	compl    []uint64 // bit set of the trade IDs that complement the member's
	social   []int    // how likely a member does business; 0 for isolated ones

	chunkOf []int32       // neighbourhood of each member
	chunks  [][]int32     // members of each neighbourhood, in geographic order
	hoods   [][]neighbour // the same with what drawing partners needs, packed

	adj    [][]int32           // structural partners
	linked map[uint64]struct{} // structural pairs, see pairKey
	pairs  []pair              // structural pairs in creation order

	active   []int64 // cumulative activity weights of members who take part in groups
	hubs     []int64 // cumulative weights for long-range partners
	lastSeen []int64 // last activity of each member, Unix seconds (0: none)
}

// neighbour is a member of a neighbourhood as local draws see it.
type neighbour struct {
	idx        int32
	social     int32
	join, last int32 // days
	trades     uint64
}

// pair is a structural link between two members (indexes), with the way
// they met.
type pair struct {
	a, b   int32
	source source
}

// source is how a structural pair formed.
type source uint8

const (
	sourceLocal source = iota // neighbours with complementary trades
	sourceTriad               // partners of partners
	sourceLong                // long range, mostly hubs
	sourceExtra               // recent business added to keep a member active
)

// pairKey identifies an unordered pair of member indexes.
func pairKey(a, b int32) uint64 {
	if a > b {
		a, b = b, a
	}
	return uint64(a)<<32 | uint64(uint32(b))
}

// newWorld computes the facts the network generation needs.
func newWorld(g *generator, members []domain.DatasetMember) *world {
	n := len(members)
	w := &world{
		g: g, members: members, today: dayOf(g.today),
		join: make([]int64, n), last: make([]int64, n), class: make([]class, n),
		isolated: make([]bool, n), trades: make([]uint64, n), compl: make([]uint64, n),
		social: make([]int, n), lastSeen: make([]int64, n),
	}
	for i := range members {
		m := &members[i]
		w.join[i] = dayOf(m.JoinedOn)
		w.last[i] = w.today - 1
		if m.LeftOn != nil {
			w.class[i] = classLapsed
			w.last[i] = min(w.last[i], dayOf(*m.LeftOn)-1)
			w.leftDays = append(w.leftDays, dayOf(*m.LeftOn))
		}
		for _, t := range m.TradeIDs {
			w.trades[i] |= 1 << t
			w.compl[i] |= complementMasks[t]
		}
	}
	slices.Sort(w.leftDays)
	w.assignClasses()
	w.assignSocial()
	w.assignNeighbourhoods()
	return w
}

// activeCount returns the number of ACTIVE members.
func (w *world) activeCount() int {
	n := 0
	for i := range w.class {
		if w.class[i] != classLapsed {
			n++
		}
	}
	return n
}

// assignClasses chooses the dormant, isolated, core, regular and occasional
// ACTIVE members. Dormant ones are companies (small ones more often) that
// joined more than 13 months ago; they stopped acting 7 months ago.
func (w *world) assignClasses() {
	g := w.g
	nActive := w.activeCount()
	// Dormant members, drawn per size class in proportion to count × weight.
	byClass := make([][]int, len(sizeClasses))
	for i := range w.members {
		m := &w.members[i]
		if w.class[i] == classLapsed || m.Kind != domain.KindCompany || m.ID <= founders || w.join[i] > w.today-400 {
			continue
		}
		c := slices.Index(sizeClasses, m.SizeClass())
		byClass[c] = append(byClass[c], i)
	}
	weights := make([]int, len(byClass))
	eligible := 0
	for c, idx := range byClass {
		weights[c] = len(idx) * []int{3, 2, 1, 1}[c]
		eligible += len(idx)
	}
	dormantLast := dayOf(g.today.AddDate(0, -7, 0))
	var dormant []int
	for c, k := range apportion(min(eligible, (nActive*dormantPercent+50)/100), weights) {
		idx := byClass[c]
		k = min(k, len(idx))
		for j := range k {
			x := j + g.r.IntN(len(idx)-j)
			idx[j], idx[x] = idx[x], idx[j]
		}
		dormant = append(dormant, idx[:k]...)
	}
	slices.Sort(dormant)
	for _, i := range dormant {
		w.class[i] = classDormant
		w.last[i] = min(w.last[i], dormantLast)
	}

	// Isolated members: half newcomers (joined 3 weeks to 9 months ago),
	// half dormant ones.
	nIsolated := 0
	if nActive >= 20 {
		nIsolated = max(1, (nActive*isolatedPercent+50)/100)
	}
	var newcomers []int
	for i := range w.members {
		if w.class[i] != classLapsed && w.class[i] != classDormant && w.join[i] <= w.today-21 && w.join[i] > w.today-270 {
			newcomers = append(newcomers, i)
		}
	}
	for range min(nIsolated/2, len(newcomers)) {
		x := g.r.IntN(len(newcomers))
		w.isolated[newcomers[x]] = true
		newcomers = slices.Delete(newcomers, x, x+1)
		nIsolated--
	}
	for range min(nIsolated, len(dormant)) {
		x := g.r.IntN(len(dormant))
		w.isolated[dormant[x]] = true
		dormant = slices.Delete(dormant, x, x+1)
	}

	// The others: prominent members (non-companies, founders, bigger
	// companies) are more often core.
	for i := range w.members {
		if w.class[i] == classLapsed || w.class[i] == classDormant {
			continue
		}
		m := &w.members[i]
		x := g.r.IntN(100)
		if m.Kind != domain.KindCompany || m.ID <= founders || m.SizeClass() == domain.SizeMedium || m.SizeClass() == domain.SizeLarge {
			x += 25
		}
		switch {
		case x >= 85:
			w.class[i] = classCore
		case x >= 45:
			w.class[i] = classRegular
		default:
			w.class[i] = classOccasional
		}
	}
}

// Relative weights, per class, of the business a member does, of its part
// in groups, and of its attendance at meetings (per mille).
var (
	classSocial     = [...]int{classOccasional: 8, classRegular: 11, classCore: 16, classDormant: 5, classLapsed: 5}
	classActivity   = [...]int{classOccasional: 1, classRegular: 3, classCore: 8, classDormant: 1, classLapsed: 0}
	classAcceptance = [...]int{classOccasional: 300, classRegular: 650, classCore: 1000, classDormant: 250, classLapsed: 0}
	classAttendance = [...]int{classOccasional: 450, classRegular: 700, classCore: 900, classDormant: 350, classLapsed: 0}
)

// assignSocial sets how likely each member does business, and the
// cumulative weights used to draw group members and long-range partners.
// Laboratories and institutions are hubs; older and bigger members have
// more partners.
func (w *world) assignSocial() {
	n := len(w.members)
	w.active = make([]int64, n)
	w.hubs = make([]int64, n)
	var act, hub int64
	for i := range w.members {
		m := &w.members[i]
		kind, size, hubness := 10, 10, 1
		switch m.Kind {
		case domain.KindLaboratory:
			kind, hubness = 30, 4
		case domain.KindInstitution:
			kind, hubness = 22, 3
		case domain.KindMediaPartner:
			kind, hubness = 16, 2
		default:
			size = [...]int{8, 11, 15, 19}[slices.Index(sizeClasses, m.SizeClass())]
			if size >= 15 || m.ForeignParentCountry != "" || w.trades[i]&(1<<tradeID("DISTRIBUTOR")) != 0 {
				hubness = 2
			}
		}
		years := max(0, int(w.today-w.join[i])/365)
		s := kind * size * (15 + min(years, 25)) * classSocial[w.class[i]] / 150
		if w.isolated[i] {
			s = 0
		}
		w.social[i] = s
		hub += int64(s * hubness)
		w.hubs[i] = hub
		if !w.isolated[i] || w.class[i] != classDormant {
			act += int64(classActivity[w.class[i]])
		}
		w.active[i] = act
	}
}

// regionOrder lists the regions in a rough geographic chain, so that
// neighbourhoods that straddle two regions join neighbours.
var regionOrder = []string{
	"Île-de-France", "Hauts-de-France", "Normandie", "Bretagne", "Pays de la Loire", "Centre-Val de Loire",
	"Nouvelle-Aquitaine", "Occitanie", "Provence-Alpes-Côte d'Azur", "Corse", "Auvergne-Rhône-Alpes",
	"Bourgogne-Franche-Comté", "Grand Est", "La Réunion",
}

// assignNeighbourhoods cuts the members, in geographic order (region,
// department, postal code), into neighbourhoods of about chunkSize members.
func (w *world) assignNeighbourhoods() {
	n := len(w.members)
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	rank := make([]int, n)
	for i := range rank {
		if rank[i] = slices.Index(regionOrder, w.members[i].Address.Region); rank[i] < 0 {
			rank[i] = len(regionOrder)
		}
	}
	slices.SortFunc(order, func(x, y int32) int {
		a, b := &w.members[x].Address, &w.members[y].Address
		return cmp.Or(cmp.Compare(rank[x], rank[y]), cmp.Compare(a.Department, b.Department),
			cmp.Compare(a.PostalCode, b.PostalCode), cmp.Compare(x, y))
	})
	size := w.chunkSize()
	w.chunkOf = make([]int32, n)
	for start := 0; start < n; start += size {
		end := min(start+size, n)
		if n-end < size/2 { // a short tail joins the last neighbourhood
			end = n
		}
		c := int32(len(w.chunks))
		w.chunks = append(w.chunks, order[start:end:end])
		hood := make([]neighbour, 0, end-start)
		for _, i := range order[start:end] {
			w.chunkOf[i] = c
			hood = append(hood, neighbour{idx: i, social: int32(w.social[i]), join: int32(w.join[i]), last: int32(w.last[i]), trades: w.trades[i]})
		}
		w.hoods = append(w.hoods, hood)
		if end == n {
			break
		}
	}
}

// linksPerMember is the number of business links per ACTIVE member: 5 in
// the reference network, up to 10 in big ones, where members have more
// partners to choose from.
func linksPerMember(n int) int {
	switch {
	case n <= 500:
		return 5
	case n <= 2_000:
		return 6
	case n <= 5_000:
		return 7
	case n <= 20_000:
		return 8
	case n <= 50_000:
		return 9
	}
	return 10
}

// extraLinkPercent is the share of pairs with a second link of another kind.
const extraLinkPercent = 7

// structuralLinks is the number of pairs to draw so that, with second
// links, there are about linksPerMember links per ACTIVE member.
func (w *world) structuralLinks() int {
	n := w.activeCount()
	return n * linksPerMember(n) * 100 / (100 + extraLinkPercent)
}

// chunkSize is the size of a neighbourhood: about one and a half times the
// mean number of partners, so that neighbours share many partners.
func (w *world) chunkSize() int {
	if len(w.members) == 0 {
		return 1
	}
	mean := 2 * w.structuralLinks() / len(w.members)
	return min(40, max(8, mean*5/4))
}

// canPair reports whether i and j may do business: two different members
// who both can act during at least a month together, neither isolated.
func (w *world) canPair(i, j int32) bool {
	if i == j || w.social[i] == 0 || w.social[j] == 0 {
		return false
	}
	if min(w.last[i], w.last[j])-max(w.join[i], w.join[j]) < 30 {
		return false
	}
	_, taken := w.linked[pairKey(i, j)]
	return !taken
}

// complementary reports whether i and j have complementary trades.
func (w *world) complementary(i, j int32) bool { return w.compl[i]&w.trades[j] != 0 }

// buildStructure draws who does business with whom: a small world of
// neighbourhoods with complementary trades (most links), partners of
// partners (triadic closure, for clustering) and long-range links to hubs
// (laboratories, institutions, large companies: short paths).
func (w *world) buildStructure() {
	g := w.g
	n := len(w.members)
	total := w.structuralLinks()
	w.linked = make(map[uint64]struct{}, total+total/8)
	w.adj = make([][]int32, n)
	w.pairs = make([]pair, 0, total+total/8)
	var sum int64
	for _, s := range w.social {
		sum += int64(s)
	}
	if sum == 0 || n < 2 {
		return
	}
	// Each member starts about total × social / sum links (randomized rounding).
	stubs := make([]int, n)
	most := 0
	for i, s := range w.social {
		x := int64(total) * int64(s)
		stubs[i] = int(x / sum)
		if g.r.Int64N(sum) < x%sum {
			stubs[i]++
		}
		most = max(most, stubs[i])
	}
	order := make([]int32, 0, n)
	for i := range n {
		if stubs[i] > 0 {
			order = append(order, int32(i))
		}
	}
	g.r.Shuffle(len(order), func(a, b int) { order[a], order[b] = order[b], order[a] })
	weights := make([]int, 0, 2*w.chunkSize()+1)
	for round := range most {
		for _, i := range order {
			if stubs[i] > round {
				w.placeLink(i, weights)
			}
		}
	}
}

// placeLink draws one partner for member i and records the pair.
func (w *world) placeLink(i int32, weights []int) {
	g := w.g
	for range 4 {
		x := g.r.IntN(100)
		var j int32 = -1
		src := sourceLocal
		switch {
		case x < 30 && len(w.adj[i]) > 0:
			j, src = w.triad(i), sourceTriad
		case x < 40:
			j, src = w.longRange(i), sourceLong
		default:
			j = w.local(i, weights)
		}
		if j >= 0 {
			w.addPair(i, j, src)
			return
		}
	}
}

// addPair records a structural pair.
func (w *world) addPair(i, j int32, src source) {
	w.linked[pairKey(i, j)] = struct{}{}
	w.adj[i] = append(w.adj[i], j)
	w.adj[j] = append(w.adj[j], i)
	w.pairs = append(w.pairs, pair{a: i, b: j, source: src})
}

// triad returns a partner of a partner of i, or -1.
func (w *world) triad(i int32) int32 {
	j := w.adj[i][w.g.r.IntN(len(w.adj[i]))]
	k := w.adj[j][w.g.r.IntN(len(w.adj[j]))]
	if !w.canPair(i, k) {
		return -1
	}
	return k
}

// longRange returns a partner anywhere in the network, drawn by hubness,
// preferring complementary trades; -1 when the draws fail.
func (w *world) longRange(i int32) int32 {
	var fallback int32 = -1
	for range 6 {
		j := int32(w.draw(w.hubs))
		if !w.canPair(i, j) {
			continue
		}
		if w.complementary(i, j) {
			return j
		}
		if fallback < 0 {
			fallback = j
		}
	}
	return fallback
}

// local returns a partner in i's neighbourhood (or, one time in five, the
// next or previous one), drawn by sociability and complementarity; -1 when
// none is free.
func (w *world) local(i int32, weights []int) int32 {
	g := w.g
	c := int(w.chunkOf[i])
	if x := g.r.IntN(10); x < 2 {
		c += 2*x - 1
		if c < 0 || c >= len(w.chunks) {
			c = int(w.chunkOf[i])
		}
	}
	hood := w.hoods[c]
	compl, trades := w.compl[i], w.trades[i]
	join, last := int32(w.join[i]), int32(w.last[i])
	weights = weights[:0]
	total := 0
	for k := range hood {
		nb := &hood[k]
		s := int(nb.social)
		switch {
		case nb.idx == i || min(last, nb.last)-max(join, nb.join) < 30:
			s = 0
		case compl&nb.trades != 0:
			s *= 6
		case trades&nb.trades != 0:
			s *= 2
		}
		total += s
		weights = append(weights, s)
	}
	for range 3 {
		if total == 0 {
			return -1
		}
		x := g.r.IntN(total)
		k := 0
		for x -= weights[0]; x >= 0; x -= weights[k] {
			k++
		}
		j := hood[k].idx
		if _, taken := w.linked[pairKey(i, j)]; !taken {
			return j
		}
		total -= weights[k]
		weights[k] = 0
	}
	return -1
}

// draw returns an index drawn with probability proportional to the
// increments of the cumulative weights cum (which must end above 0).
func (w *world) draw(cum []int64) int {
	x := w.g.r.Int64N(cum[len(cum)-1])
	i, _ := slices.BinarySearch(cum, x+1)
	return i
}

// touch records an activity of member i at second t.
func (w *world) touch(i int32, t int64) {
	w.lastSeen[i] = max(w.lastSeen[i], t)
}
