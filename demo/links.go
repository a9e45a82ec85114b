package demo

import (
	"slices"
	"time"

	"grappe/domain"
)

// linkRec is a business link being built: members by index, days and Unix
// seconds as integers.
type linkRec struct {
	from, to  int32
	declarer  int32
	kind      domain.LinkKind
	status    domain.LinkStatus
	origin    domain.LinkOrigin
	volume    domain.VolumeBand
	note      string
	since     int64 // day
	until     int64 // day, 0 unless ENDED
	created   int64 // second
	confirmed int64 // second, 0 unless confirmed
	notBefore int64 // first day since may be (the two met in a working group), 0 when none
}

// Link statuses of ordinary links, in percent.
var statusWeights = []struct {
	status domain.LinkStatus
	weight int
}{
	{domain.LinkConfirmed, 80}, {domain.LinkPending, 7}, {domain.LinkDeclined, 4}, {domain.LinkEnded, 9},
}

// Volume bands, in percent: mostly small business.
var volumeWeights = []struct {
	band   domain.VolumeBand
	weight int
}{
	{"", 5}, {domain.VolumeUnder10K, 45}, {domain.Volume10KTo100K, 33}, {domain.Volume100KTo1M, 14}, {domain.VolumeOver1M, 3},
}

// notes are what declaring members write about their links, by kind.
var notes = map[domain.LinkKind][]string{
	domain.LinkSupply: {"Contrat-cadre annuel", "Fourniture de capteurs pour une série de bancs", "Commandes régulières de pièces détachées",
		"Instruments livrés avec leur certificat d'étalonnage"},
	domain.LinkSubcontracting: {"Étalonnage annuel du parc d'instruments", "Sous-traitance de câblage et d'intégration",
		"Interventions sur site chez nos clients", "Maintenance préventive deux fois par an"},
	domain.LinkDistribution: {"Distribution exclusive pour le Grand Ouest", "Distribution non exclusive en France",
		"Gamme ajoutée à notre catalogue", "Distribution pour l'industrie pharmaceutique"},
	domain.LinkPartnership: {"Offre commune d'étalonnage et de maintenance", "Partage d'un technicien itinérant",
		"Développement commun d'un banc de mesure"},
	domain.LinkJointBid: {"Réponse commune à un appel d'offres hospitalier", "Groupement pour un marché de la défense",
		"Appel d'offres d'une collectivité", "Groupement pour un marché ferroviaire"},
	domain.LinkReferral: {"Nous leur adressons nos demandes d'étalonnage", "Recommandation réciproque auprès de nos clients",
		"Nous orientons vers eux les demandes d'intégration"},
}

// buildLinks turns the structural pairs into business links: kind and
// direction from the complementarity of the two members' trades, status,
// origin, dates within the time both could act, volume band and note. A
// few pairs have a second link of another kind; LAPSED members' links
// ended by the time they left.
func (w *world) buildLinks(act *activities) []linkRec {
	g := w.g
	recs := make([]linkRec, 0, len(w.pairs)+len(w.pairs)*extraLinkPercent/100+len(w.pairs)/50)
	for _, p := range w.pairs {
		from, to, kind := w.kindFor(p.a, p.b)
		recs = append(recs, w.newLink(act, from, to, kind, p.source))
		if g.r.IntN(100) < extraLinkPercent {
			k2 := w.otherKind(kind)
			if k2.Symmetric() || g.r.IntN(2) == 0 {
				from, to = to, from
			}
			recs = append(recs, w.newLink(act, from, to, k2, p.source))
		}
	}
	// Isolated newcomers have declared a first link, still PENDING.
	for i := range w.members {
		if w.isolated[i] && w.class[i] != classDormant {
			if r, ok := w.freshLink(int32(i), true); ok {
				recs = append(recs, r)
			}
		}
	}
	for k := range recs {
		w.touchLink(&recs[k])
	}
	return recs
}

// kindFor returns the direction and kind of business between i and j: from
// a complementarity of their trades when they have one (the provider reads
// first), else a partnership, joint bid, referral or subcontracting.
func (w *world) kindFor(i, j int32) (from, to int32, kind domain.LinkKind) {
	g := w.g
	type match struct {
		c         int
		iProvides bool
	}
	var buf [24]match
	matches := buf[:0]
	if w.complementary(i, j) { // complementarity masks are symmetric
		for _, ti := range w.members[i].TradeIDs {
			for _, tj := range w.members[j].TradeIDs {
				for _, c := range complementsByPair[ti][tj] {
					matches = append(matches, match{c: c, iProvides: true})
				}
				for _, c := range complementsByPair[tj][ti] {
					matches = append(matches, match{c: c})
				}
			}
		}
	}
	x := g.r.IntN(100)
	if len(matches) > 0 {
		m := matches[g.r.IntN(len(matches))]
		provider, client := j, i
		if m.iProvides {
			provider, client = i, j
		}
		switch complementTable[m.c].kind {
		case domain.ComplementDistribution:
			if x < 85 {
				return provider, client, domain.LinkDistribution
			}
			return client, provider, domain.LinkSupply
		case domain.ComplementSupply:
			switch {
			case x < 80:
				return provider, client, domain.LinkSupply
			case x < 90:
				return provider, client, domain.LinkPartnership
			}
			return provider, client, domain.LinkJointBid
		case domain.ComplementIntegration:
			switch {
			case x < 55:
				return provider, client, domain.LinkSupply
			case x < 80:
				return provider, client, domain.LinkJointBid
			}
			return provider, client, domain.LinkPartnership
		default: // SERVICE
			switch {
			case x < 55:
				return provider, client, domain.LinkSubcontracting
			case x < 75:
				return client, provider, domain.LinkReferral
			case x < 90:
				return provider, client, domain.LinkPartnership
			}
			return provider, client, domain.LinkJointBid
		}
	}
	if g.r.IntN(2) == 0 {
		i, j = j, i
	}
	mi, mj := &w.members[i], &w.members[j]
	switch {
	case mj.Kind != domain.KindCompany && mi.Kind == domain.KindCompany:
		i, j = j, i
		fallthrough
	case mi.Kind != domain.KindCompany:
		if x < 50 {
			return i, j, domain.LinkReferral
		}
		return i, j, domain.LinkPartnership
	case w.trades[i]&w.trades[j] != 0:
		switch {
		case x < 35:
			return i, j, domain.LinkPartnership
		case x < 65:
			return i, j, domain.LinkJointBid
		case x < 90:
			return i, j, domain.LinkSubcontracting
		}
		return i, j, domain.LinkReferral
	}
	switch {
	case x < 35:
		return i, j, domain.LinkSubcontracting
	case x < 60:
		return i, j, domain.LinkSupply
	case x < 80:
		return i, j, domain.LinkPartnership
	}
	return i, j, domain.LinkReferral
}

// otherKind returns a kind for a second link between two members.
func (w *world) otherKind(k domain.LinkKind) domain.LinkKind {
	options := []domain.LinkKind{domain.LinkJointBid, domain.LinkPartnership, domain.LinkReferral}
	if k.Symmetric() {
		options = []domain.LinkKind{domain.LinkSubcontracting, domain.LinkReferral}
	}
	options = slices.DeleteFunc(options, func(o domain.LinkKind) bool { return o == k })
	return pick(w.g, options)
}

// sharedGroup returns a group both members take part in that formed at
// least a month before hi (a day), the earliest; -1 when none.
func (w *world) sharedGroup(act *activities, a, b int32, hi int64) int32 {
	best := int32(-1)
	for _, x := range act.memberGroups[a] {
		if !slices.Contains(act.memberGroups[b], x) || dayOf(act.groups[x].FormedAt)+30 > hi {
			continue
		}
		if best < 0 || act.groups[x].FormedAt.Before(act.groups[best].FormedAt) {
			best = x
		}
	}
	return best
}

// window returns the days when two members could both act; empty when
// hi < lo.
func (w *world) window(a, b int32) (lo, hi int64) {
	return max(w.join[a], w.join[b]), min(w.last[a], w.last[b])
}

// lapsedLink reports whether one of the two members is LAPSED.
func (w *world) lapsedLink(a, b int32) bool {
	return w.class[a] == classLapsed || w.class[b] == classLapsed
}

// newLink draws a link's status, declarer, origin, dates, volume and note.
func (w *world) newLink(act *activities, from, to int32, kind domain.LinkKind, src source) linkRec {
	g := w.g
	r := linkRec{from: from, to: to, kind: kind}
	lo, hi := w.window(from, to)

	// A LAPSED member's business ended, or never went through.
	if w.lapsedLink(from, to) {
		r.status = domain.LinkEnded
		if g.r.IntN(100) < 15 {
			r.status = domain.LinkDeclined
		}
	} else {
		x := g.r.IntN(100)
		for _, sw := range statusWeights {
			if x -= sw.weight; x < 0 {
				r.status = sw.status
				break
			}
		}
	}
	// The more active of the two declares more often.
	wf, wt := classAcceptance[w.class[from]]+100, classAcceptance[w.class[to]]+100
	r.declarer = to
	if g.r.IntN(wf+wt) < wf {
		r.declarer = from
	}
	r.origin = w.origin(src)
	if gi := w.sharedGroup(act, from, to, hi); gi >= 0 && g.r.IntN(100) < 70 {
		r.origin, r.notBefore = domain.OriginWorkingGroup, dayOf(act.groups[gi].FormedAt)+14
		lo = max(lo, r.notBefore)
	}
	w.dateLink(&r, lo, hi)

	x := g.r.IntN(100)
	for _, vw := range volumeWeights {
		if x -= vw.weight; x < 0 {
			r.volume = vw.band
			break
		}
	}
	if r.volume == domain.VolumeOver1M && (w.members[from].SizeClass() == domain.SizeMicro || w.members[to].SizeClass() == domain.SizeMicro) {
		r.volume = domain.Volume100KTo1M
	}
	if g.r.IntN(4) == 0 {
		r.note = pick(g, notes[kind])
	}
	return r
}

// origin draws how two members met, after how their pair formed.
func (w *world) origin(src source) domain.LinkOrigin {
	x := w.g.r.IntN(100)
	var weights [4]int // TRADE_SHOW, INTRODUCTION, PRE_EXISTING, OTHER (the rest)
	switch src {
	case sourceTriad:
		weights = [4]int{15, 55, 10, 20}
	case sourceLong:
		weights = [4]int{45, 25, 15, 15}
	case sourceExtra:
		weights = [4]int{30, 30, 0, 40}
	default:
		weights = [4]int{30, 15, 35, 20}
	}
	for k, o := range []domain.LinkOrigin{domain.OriginTradeShow, domain.OriginIntroduction, domain.OriginPreExisting, domain.OriginOther} {
		if x -= weights[k]; x < 0 {
			return o
		}
	}
	return domain.OriginOther
}

// dateLink draws the declaration, since, the confirmation and the end of a
// link between days lo and hi: PENDING links were declared in the last
// weeks the two could act, others at any time (later likelier: the network
// and its business grow); business starts up to a month before it is
// declared, PRE_EXISTING business when the later of the two joined.
func (w *world) dateLink(r *linkRec, lo, hi int64) {
	g := w.g
	hi = max(hi, lo)
	var created int64 // day
	if r.status == domain.LinkPending {
		created = g.between(max(lo, hi-75), hi)
	} else {
		created = max(g.between(lo, hi), g.between(lo, hi)) // density growing linearly
	}
	r.since = max(lo, created-g.between(0, 30))
	if r.origin == domain.OriginPreExisting {
		r.since = min(created, lo+g.between(0, 20))
	}
	r.created = g.workTime(created)
	r.until, r.confirmed = 0, 0
	if r.status == domain.LinkConfirmed || r.status == domain.LinkEnded {
		day := g.between(created, min(hi, created+14))
		r.confirmed = max(r.created+600, g.workTime(day)) // work times end at 17:00: same day
	}
	if r.status == domain.LinkEnded {
		from := floorDiv(r.confirmed, secondsPerDay)
		end := hi + 1 // the day a LAPSED member left, or today at most
		if w.lapsedLink(r.from, r.to) && g.r.IntN(100) < 60 {
			r.until = end
		} else {
			r.until = g.between(min(from+30, end), end)
		}
	}
}

// touchLink records the activities of a link: declaring it and confirming it.
func (w *world) touchLink(r *linkRec) {
	w.touch(r.declarer, r.created)
	if r.confirmed > 0 {
		other := r.from
		if other == r.declarer {
			other = r.to
		}
		w.touch(other, r.confirmed)
	}
}

// recentDays is how recent the latest activity of members who are not at
// risk is, at least: well within the six months of SPEC §3.
const recentDays = 150

// keepActive makes sure every ACTIVE member that is not dormant did
// something in the last five months: it moves one of its confirmed links
// to the last months (a renewal), or, failing that, adds a recent link.
func (w *world) keepActive(recs []linkRec) []linkRec {
	g := w.g
	byMember := make([][]int32, len(w.members))
	for k := range recs {
		r := &recs[k]
		byMember[r.from] = append(byMember[r.from], int32(k))
		byMember[r.to] = append(byMember[r.to], int32(k))
	}
	from := w.today - recentDays + 7
	for i := range w.members {
		i := int32(i)
		cl := w.class[i]
		if cl == classDormant || cl == classLapsed || w.join[i] >= w.today-1 || w.lastSeen[i] >= from*secondsPerDay {
			continue
		}
		var cands []int32
		for _, k := range byMember[i] {
			r := &recs[k]
			o := r.from + r.to - i
			lo, hi := w.window(r.from, r.to)
			if r.status == domain.LinkConfirmed && r.origin != domain.OriginPreExisting && w.last[o] == w.today-1 &&
				max(lo, from, r.notBefore) <= hi {
				cands = append(cands, k)
			}
		}
		if len(cands) > 0 {
			r := &recs[pick(g, cands)]
			lo, hi := w.window(r.from, r.to)
			w.dateLink(r, max(lo, from, r.notBefore), hi)
			w.touchLink(r)
			continue
		}
		if r, ok := w.freshLink(i, w.isolated[i]); ok {
			w.touchLink(&r)
			recs = append(recs, r)
		}
	}
	return recs
}

// freshLink returns a link member i declared in the last months with a
// neighbour that is neither dormant nor isolated: PENDING when pending is
// set, else mostly CONFIRMED. ok is false when no neighbour is free.
func (w *world) freshLink(i int32, pending bool) (linkRec, bool) {
	g := w.g
	pool := w.chunks[w.chunkOf[i]]
	for range 20 {
		j := pool[g.r.IntN(len(pool))]
		if j == i || w.isolated[j] || w.last[j] != w.today-1 || w.last[i] != w.today-1 {
			continue
		}
		if _, taken := w.linked[pairKey(i, j)]; taken {
			continue
		}
		lo, hi := w.window(i, j)
		lo = max(lo, w.today-recentDays+7)
		if lo > hi {
			continue
		}
		w.linked[pairKey(i, j)] = struct{}{}
		from, to, kind := w.kindFor(i, j)
		r := linkRec{from: from, to: to, kind: kind, declarer: i, status: domain.LinkPending, origin: w.origin(sourceExtra)}
		if !pending && g.r.IntN(10) < 7 {
			r.status = domain.LinkConfirmed
		}
		w.dateLink(&r, lo, hi)
		r.volume = domain.VolumeUnder10K
		return r, true
	}
	return linkRec{}, false
}

// materializeLinks returns the links in order of declaration, IDs 1..n.
func (w *world) materializeLinks(recs []linkRec) []domain.BusinessLink {
	// Sort keys: the second of declaration, then the generation order.
	keys := make([]uint64, len(recs))
	nTimes := 0
	for k := range recs {
		keys[k] = uint64(recs[k].created)<<24 | uint64(k)
		nTimes += boolInt(recs[k].until > 0) + boolInt(recs[k].confirmed > 0)
	}
	if len(recs) >= 1<<24 {
		panic("demo: too many links")
	}
	slices.Sort(keys)
	times := make(timeSlab, 0, nTimes)
	out := make([]domain.BusinessLink, len(recs))
	for k, key := range keys {
		r := &recs[key&(1<<24-1)]
		l := domain.BusinessLink{
			ID:         int64(k + 1),
			FromID:     int64(r.from) + 1,
			ToID:       int64(r.to) + 1,
			Kind:       r.kind,
			Status:     r.status,
			Since:      dateOfDay(r.since),
			VolumeBand: r.volume,
			Origin:     r.origin,
			DeclaredBy: int64(r.declarer) + 1,
			Note:       r.note,
			CreatedAt:  timeOf(r.created),
		}
		if r.until > 0 {
			l.Until = times.next(dateOfDay(r.until))
		}
		if r.confirmed > 0 {
			l.ConfirmedAt = times.next(timeOf(r.confirmed))
		}
		out[k] = l
	}
	return out
}

// timeSlab hands out pointers into one slice of times, allocated once: its
// capacity must be the number of times it will hold.
type timeSlab []time.Time

// next stores t and returns a pointer to it.
func (s *timeSlab) next(t time.Time) *time.Time {
	if len(*s) == cap(*s) {
		panic("demo: time slab full")
	}
	*s = append(*s, t)
	return &(*s)[len(*s)-1]
}
