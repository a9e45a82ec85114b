package demo

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"grappe/domain"
)

// The trade show: the cluster's pride, the reference of the French
// measurement sector, held every October since the cluster went national
// in 2010, with 100 to 130 exhibitors and about 2,000 targeted visitors
// for the reference network (both scale with the number of members). The
// members' share of the exhibitors rises from about a third at the first
// edition to three quarters at the latest.
const (
	showMinExhibitors = 100
	showMaxExhibitors = 130
	showVisitors      = 2000
	showFirstShare    = 330 // per mille of the exhibitors, first edition
	showLastShare     = 750 // per mille, latest edition
	showMaxLeads      = 5   // leads of a member exhibitor beyond its links: 0 to 4
)

// showVenues are where the show was held: in Val d'Oise while it was
// young, then in Paris and Lyon in turn.
var showVenues = []struct{ city, venue string }{
	{"Cergy", "Hall Saint-Christophe"},
	{"Paris", "Paris Expo Porte de Versailles"},
	{"Lyon", "Eurexpo"},
}

// showVenue returns the venue of the show of year.
func showVenue(year int) (string, string) {
	v := showVenues[0]
	switch {
	case year >= 2015 && year%2 == 1:
		v = showVenues[1]
	case year >= 2015:
		v = showVenues[2]
	}
	return v.city, v.venue
}

// Names of the exhibitors that are not members (suppliers from France and
// abroad) and of the visiting companies (their customers), all fictional.
var (
	exhibitorStems    = []string{"Metri", "Sensi", "Calib", "Opti", "Therm", "Press", "Volt", "Dyna", "Preci", "Vibra", "Hygro", "Lumi", "Acou", "Gravi", "Tensi", "Fluxo", "Nano", "Quarz"}
	exhibitorSuffixes = []string{"tek", "line", "sys", "ware", "tronic", "log", "scan", "form", "lab", "quest", "metrix", "cube"}
	exhibitorForms    = []string{"GmbH", "SAS", "Ltd", "S.r.l.", "AG", "SA", "BV", "Oy", "AB", "Inc."}
	visitorTrades     = []string{"Chaudronnerie", "Plasturgie", "Mécanique", "Fonderie", "Électronique", "Agroalimentaire", "Pharmacie", "Aéronautique", "Énergie", "Traitement de surface", "Usinage", "Laboratoire"}
	visitorPlaces     = []string{"du Vexin", "de l'Oise", "Rhodanienne", "Alsacienne", "du Berry", "Normande", "de la Loire", "du Jura", "Picarde", "de Bretagne", "des Alpes", "du Sud-Ouest", "Lorraine", "de Champagne"}
	// exhibitorTrades are what exhibitors that are not members show.
	exhibitorTrades = []string{"MANUFACTURER.SENSORS", "MANUFACTURER.DIMENSIONAL", "MANUFACTURER.TEMPERATURE_HUMIDITY",
		"MANUFACTURER.PRESSURE_FLOW", "MANUFACTURER.ELECTRICAL", "MANUFACTURER.OPTICAL", "MANUFACTURER.WEIGHING_FORCE",
		"MANUFACTURER.SOFTWARE", "DISTRIBUTOR", "INTEGRATOR.TEST_SYSTEMS", "SERVICE.CALIBRATION"}
	leadNotes = []string{
		"Demande de devis pour l'étalonnage de son parc",
		"Cherche un distributeur pour le Sud-Est",
		"Intéressé par nos capteurs de pression, à rappeler",
		"Projet de banc d'essais pour 2e semestre",
		"Rencontré sur le stand, veut une démonstration",
		"A besoin d'un sous-traitant en métrologie dimensionnelle",
		"Envoyer la documentation et les tarifs",
	}
)

// companyName returns the i-th name of a list built from parts: every
// combination once, then again with a number.
func companyName(i int, first, second, third []string, sep string) string {
	a, b, c := len(first), len(second), len(third)
	name := first[i%a] + sep + second[(i/a)%b] + " " + third[(i/(a*b))%c]
	if k := i / (a * b * c); k > 0 {
		name += " " + strconv.Itoa(k+1)
	}
	return name
}

// showDates returns the dates of the show of year: the first Tuesday of
// October and the two days after.
func showDates(year int) (time.Time, time.Time) {
	d := time.Date(year, time.October, 1, 0, 0, 0, 0, time.UTC)
	for d.Weekday() != time.Tuesday {
		d = d.AddDate(0, 0, 1)
	}
	return d, d.AddDate(0, 0, 2)
}

// scaled returns x scaled from the reference network to n ACTIVE members.
func scaled(x, n int) int { return max(1, (x*n+DefaultMembers/2)/DefaultMembers) }

// presentAt reports whether m was a member during the whole show.
func presentAt(m *domain.DatasetMember, start, end time.Time) bool {
	return !m.JoinedOn.After(start) && (m.LeftOn == nil || m.LeftOn.After(end))
}

// showLink is a business link of origin TRADE_SHOW born at a show: the
// lead its declarer, exhibiting, recorded of the other party.
type showLink struct {
	exhibitor, visitor int // member indexes
	link               int // index in ds.Links
}

// tradeShows gives the network a show a year since 2010, up to the last
// one held before today: its exhibitors, members (a share rising over the
// years) and others with their trades, its visitors, and the leads member
// exhibitors recorded. The links of origin TRADE_SHOW come from leads of
// the last show before they were declared (within a year, both parties
// members then), declared by the exhibitor after the show; the other
// leads are of members and companies met there. n is the number of ACTIVE
// members, which the figures scale with.
func (g *generator) tradeShows(ds *domain.Dataset) {
	n := 0
	for i := range ds.Members {
		if ds.Members[i].Status == domain.StatusActive {
			n++
		}
	}
	var years []int
	for y := nationalYear; ; y++ {
		if _, end := showDates(y); end.After(g.today) {
			break
		}
		years = append(years, y)
	}
	if len(years) == 0 {
		return
	}
	// The links born at each show, once per exhibitor and visitor (the
	// first link of the pair). Member ids are their index plus one.
	born := make([][]showLink, len(years))
	for k := range ds.Links {
		l := &ds.Links[k]
		if l.Origin != domain.OriginTradeShow {
			continue
		}
		from, to := int(l.DeclaredBy-1), int(l.Counterpart(l.DeclaredBy)-1)
		for s := len(years) - 1; s >= 0; s-- {
			start, end := showDates(years[s])
			if !l.CreatedAt.After(end.AddDate(0, 0, 1)) {
				continue // declared before the show was over
			}
			if !l.CreatedAt.After(start.AddDate(1, 0, 0)) && presentAt(&ds.Members[from], start, end) && presentAt(&ds.Members[to], start, end) {
				born[s] = append(born[s], showLink{exhibitor: from, visitor: to, link: k})
			}
			break // the last show before the link, or none
		}
	}
	for s := range born {
		slices.SortFunc(born[s], func(a, b showLink) int {
			if a.exhibitor != b.exhibitor {
				return a.exhibitor - b.exhibitor
			}
			if a.visitor != b.visitor {
				return a.visitor - b.visitor
			}
			return a.link - b.link
		})
		born[s] = slices.CompactFunc(born[s], func(a, b showLink) bool { return a.exhibitor == b.exhibitor && a.visitor == b.visitor })
	}

	otherPool := make([]int, scaled(150, n))
	for i := range otherPool {
		otherPool[i] = i
	}
	companies := scaled(400, n)
	chosen := make([]int32, len(ds.Members)) // the show (plus one) a member exhibits at last
	exhibitorOf := make([]int64, len(ds.Members))
	ds.Leads = slices.Grow(ds.Leads, len(years)*scaled(showMaxExhibitors*2, n))
	for s, year := range years {
		start, end := showDates(year)
		city, venue := showVenue(year)
		show := domain.TradeShow{ID: int64(s + 1), Edition: s + 1, Year: year, City: city, Venue: venue, StartsOn: start, EndsOn: end,
			VisitorCount: scaled(showVisitors-200+g.r.IntN(401), n)}
		ds.TradeShows = append(ds.TradeShows, show)

		total := scaled(showMinExhibitors+g.r.IntN(showMaxExhibitors-showMinExhibitors+1), n)
		share := showFirstShare
		if len(years) > 1 {
			share += (showLastShare - showFirstShare) * s / (len(years) - 1)
		}
		share += g.r.IntN(61) - 30
		var present []int
		for i := range ds.Members {
			if presentAt(&ds.Members[i], start, end) {
				present = append(present, i)
			}
		}
		// The exhibitors of the links born here first, then others at random.
		stamp := int32(s + 1)
		var exhibiting []int
		for _, b := range born[s] {
			if chosen[b.exhibitor] != stamp {
				chosen[b.exhibitor] = stamp
				exhibiting = append(exhibiting, b.exhibitor)
			}
		}
		want := min(max(len(exhibiting), total*share/1000), len(present))
		for j := 0; len(exhibiting) < want; j++ {
			x := j + g.r.IntN(len(present)-j)
			present[j], present[x] = present[x], present[j]
			if chosen[present[j]] != stamp {
				chosen[present[j]] = stamp
				exhibiting = append(exhibiting, present[j])
			}
		}
		slices.Sort(exhibiting)
		others := min(max(0, total-len(exhibiting)), len(otherPool))
		for j := range others {
			x := j + g.r.IntN(len(otherPool)-j)
			otherPool[j], otherPool[x] = otherPool[x], otherPool[j]
		}
		picked := slices.Clone(otherPool[:others])
		slices.Sort(picked)
		names := make(map[string]bool, len(exhibiting))
		for _, i := range exhibiting {
			names[strings.ToLower(ds.Members[i].Name)] = true
		}

		// Booths in the order exhibitors are added: members, then others.
		booth := 0
		add := func(e domain.Exhibitor) int64 {
			e.ID, e.TradeShowID = int64(len(ds.Exhibitors)+1), show.ID
			e.Booth = fmt.Sprintf("%c%d", 'A'+booth%8, booth/8+1)
			booth++
			ds.Exhibitors = append(ds.Exhibitors, e)
			return e.ID
		}
		for _, i := range exhibiting {
			m := &ds.Members[i]
			exhibitorOf[i] = add(domain.Exhibitor{MemberID: &m.ID, Name: m.Name})
		}
		for _, p := range picked {
			name := companyName(p, exhibitorStems, exhibitorSuffixes, exhibitorForms, "")
			if names[strings.ToLower(name)] {
				continue // a member of that name exhibits (one name per show)
			}
			trades := []int64{tradeID(pick(g, exhibitorTrades))}
			if g.r.IntN(3) == 0 {
				if t := tradeID(pick(g, exhibitorTrades)); t != trades[0] {
					trades = append(trades, t)
				}
			}
			slices.Sort(trades)
			add(domain.Exhibitor{Name: name, TradeIDs: trades})
		}

		// Leads: those that became links, then members and companies met.
		scanned := func() time.Time {
			day := start.AddDate(0, 0, g.r.IntN(3))
			return day.Add(time.Duration(7*3600+g.r.IntN(9*3600)) * time.Second) // 9:00 to 18:00 in Paris
		}
		for _, b := range born[s] {
			l := &ds.Links[b.link]
			v := &ds.Members[b.visitor]
			ds.Leads = append(ds.Leads, domain.Lead{ID: int64(len(ds.Leads) + 1), TradeShowID: show.ID, ExhibitorID: exhibitorOf[b.exhibitor],
				VisitorMemberID: &v.ID, ScannedAt: scanned(), Note: g.leadNote(), ConvertedLinkID: &l.ID})
		}
		var met, seenCompanies []int
		for _, i := range exhibiting {
			// The members this exhibitor met already: those of its links.
			met = met[:0]
			lo, _ := slices.BinarySearchFunc(born[s], i, func(b showLink, e int) int { return b.exhibitor - e })
			for k := lo; k < len(born[s]) && born[s][k].exhibitor == i; k++ {
				met = append(met, born[s][k].visitor)
			}
			seenCompanies = seenCompanies[:0]
			for range g.r.IntN(showMaxLeads) {
				lead := domain.Lead{TradeShowID: show.ID, ExhibitorID: exhibitorOf[i]}
				if g.r.IntN(10) < 6 && len(present) > 1 {
					v := present[g.r.IntN(len(present))]
					if v == i || slices.Contains(met, v) {
						continue
					}
					met = append(met, v)
					lead.VisitorMemberID = &ds.Members[v].ID
				} else {
					c := g.r.IntN(companies)
					if slices.Contains(seenCompanies, c) {
						continue
					}
					seenCompanies = append(seenCompanies, c)
					lead.VisitorCompany = companyName(c, visitorTrades, visitorPlaces, []string{"SAS", "SARL", "SA", "Industries"}, " ")
				}
				lead.ID, lead.ScannedAt, lead.Note = int64(len(ds.Leads)+1), scanned(), g.leadNote()
				ds.Leads = append(ds.Leads, lead)
			}
		}
	}
}

// leadNote returns the note of a lead: none for three leads out of four.
func (g *generator) leadNote() string {
	if g.r.IntN(4) != 0 {
		return ""
	}
	return pick(g, leadNotes)
}
