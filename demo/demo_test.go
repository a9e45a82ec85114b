package demo

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"grappe/domain"
)

var testToday = time.Date(2026, time.March, 15, 0, 0, 0, 0, time.UTC)

// luhnValid is an independent Luhn check, as domain.NormalizeSIREN does it.
func luhnValid(digits string) bool {
	sum := 0
	for i := range len(digits) {
		d := int(digits[len(digits)-1-i] - '0')
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// allowRedaction lets cmp compare the unexported read-policy state of
// domain members (none here: the generator makes full records).
var allowRedaction = cmp.AllowUnexported(domain.Member{})

func TestDeterministic(t *testing.T) {
	a := Generate(Options{Seed: 42, Today: testToday})
	b := Generate(Options{Seed: 42, Today: testToday})
	if diff := cmp.Diff(a, b, allowRedaction); diff != "" {
		t.Fatalf("same seed, different datasets (-a +b):\n%s", diff)
	}
	c := Generate(Options{Seed: 43, Today: testToday})
	if cmp.Equal(a.Members, c.Members, allowRedaction) {
		t.Fatal("different seeds gave the same members")
	}
	if !cmp.Equal(a.Trades, c.Trades) {
		t.Fatal("the trade taxonomy depends on the seed")
	}
	// Mutating one dataset must not leak into the next one.
	*a.Trades[len(a.Trades)-1].ParentID = 999
	if d := Generate(Options{Seed: 42, Today: testToday}); !cmp.Equal(d, b, allowRedaction) {
		t.Fatal("datasets share memory")
	}
}

func TestTrades(t *testing.T) {
	ds := Generate(Options{Seed: 1, Today: testToday})
	if n := len(ds.Trades); n < 20 || n > 30 {
		t.Errorf("%d trades, want 20 to 30", n)
	}
	codes := map[string]bool{}
	for i, tr := range ds.Trades {
		if tr.ID != int64(i+1) {
			t.Errorf("trade %d has ID %d", i, tr.ID)
		}
		if codes[tr.Code] {
			t.Errorf("duplicate trade code %s", tr.Code)
		}
		codes[tr.Code] = true
		if tr.NameEN == "" || tr.NameFR == "" {
			t.Errorf("trade %s lacks a name", tr.Code)
		}
		if strings.Contains(strings.ToLower(tr.NameEN), "subsidiary") {
			t.Errorf("foreign subsidiary must not be a trade: %s", tr.Code)
		}
		parent := tradeParent(tr.Code)
		switch {
		case parent == "" && tr.ParentID != nil, parent != "" && tr.ParentID == nil:
			t.Errorf("trade %s: parent %q, ParentID %v", tr.Code, parent, tr.ParentID)
		case parent != "":
			if *tr.ParentID >= tr.ID || ds.Trades[*tr.ParentID-1].Code != parent {
				t.Errorf("trade %s: ParentID %d is not an earlier %s", tr.Code, *tr.ParentID, parent)
			}
		}
	}
	for _, c := range []string{"MANUFACTURER", "MANUFACTURER.SENSORS", "INTEGRATOR", "DISTRIBUTOR", "SERVICE", "LABORATORY.CALIBRATION", "LABORATORY.TESTING", "INSTITUTION", "INSTITUTION.TRADE_UNION", "INSTITUTION.CHAMBER_OF_COMMERCE", "INSTITUTION.LOCAL_AUTHORITY", "MEDIA_PARTNER"} {
		if !codes[c] {
			t.Errorf("missing trade %s", c)
		}
	}
}

func TestReferenceNetwork(t *testing.T) {
	for _, seed := range []uint64{0, 1, 2, 3, 42, 1 << 60} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			ds := Generate(Options{Seed: seed, Today: testToday})
			checkDataset(t, ds, testToday)
			var active, lapsed, founders, by2006, by2010 int
			classes := map[domain.SizeClass]int{}
			kinds := map[domain.MemberKind]int{}
			idf, foreign := 0, 0
			for _, m := range ds.Members {
				switch m.Status {
				case domain.StatusActive:
					active++
					classes[m.SizeClass()]++
					kinds[m.Kind]++
				case domain.StatusLapsed:
					lapsed++
				}
				y := m.JoinedOn.Year()
				if y == 2002 {
					founders++
					if m.Address.Department != "95" || m.Kind != domain.KindCompany || m.Status != domain.StatusActive {
						t.Errorf("founder %s: %+v", m.Name, m.Member)
					}
				}
				if y <= 2006 {
					by2006++
				}
				if y <= 2010 {
					by2010++
				}
				if y < 2010 && m.Address.Region != "Île-de-France" {
					t.Errorf("%s joined in %d outside Île-de-France", m.Name, y)
				}
				if m.Address.Region == "Île-de-France" {
					idf++
				}
				if m.ForeignParentCountry != "" {
					foreign++
				}
			}
			if active != 182 {
				t.Errorf("%d ACTIVE members, want 182", active)
			}
			if lapsed < 5 || lapsed > 8 {
				t.Errorf("%d LAPSED members, want 5 to 8", lapsed)
			}
			if classes[domain.SizeMicro] != 98 || classes[domain.SizeSmall] != 69 ||
				classes[domain.SizeMedium]+classes[domain.SizeLarge] != 15 || classes[domain.SizeLarge] == 0 ||
				classes[domain.SizeLarge] >= classes[domain.SizeMedium] {
				t.Errorf("size classes among ACTIVE: %v", classes)
			}
			if founders != 5 {
				t.Errorf("%d members joined in 2002, want the 5 founders", founders)
			}
			if by2006 < 30 || by2006 > 35 {
				t.Errorf("%d members by the end of 2006, want about 30", by2006)
			}
			if by2010 < 50 {
				t.Errorf("%d members by the end of 2010, want at least 50", by2010)
			}
			if kinds[domain.KindCompany] < 150 || kinds[domain.KindLaboratory] == 0 || kinds[domain.KindInstitution] == 0 || kinds[domain.KindMediaPartner] == 0 {
				t.Errorf("kinds among ACTIVE: %v", kinds)
			}
			if share := float64(idf) / float64(len(ds.Members)); share < 0.40 || share > 0.50 {
				t.Errorf("Île-de-France share %.2f, want 0.40 to 0.50", share)
			}
			if foreign < 5 {
				t.Errorf("%d foreign subsidiaries, want several", foreign)
			}
		})
	}
}

// checkDataset checks the invariants every generated dataset keeps.
func checkDataset(t *testing.T, ds *domain.Dataset, today time.Time) {
	t.Helper()
	tradeRoot := map[int64]string{}
	for _, tr := range ds.Trades {
		root, _, _ := strings.Cut(tr.Code, ".")
		tradeRoot[tr.ID] = root
	}
	kindRoots := map[domain.MemberKind][]string{
		domain.KindCompany:      {"MANUFACTURER", "INTEGRATOR", "DISTRIBUTOR", "SERVICE"},
		domain.KindLaboratory:   {"LABORATORY"},
		domain.KindInstitution:  {"INSTITUTION"},
		domain.KindMediaPartner: {"MEDIA_PARTNER"},
	}
	names := make(map[string]bool, len(ds.Members))
	folded := make(map[string]bool, len(ds.Members))
	sirens := make(map[string]bool, len(ds.Members))
	sites := make(map[string]bool, len(ds.Members))
	errs := 0
	fail := func(format string, args ...any) {
		t.Helper()
		if errs++; errs <= 20 {
			t.Errorf(format, args...)
		}
	}
	prev := time.Time{}
	for i, m := range ds.Members {
		if m.ID != int64(i+1) {
			fail("member %d has ID %d", i, m.ID)
		}
		if m.Name == "" || names[m.Name] || folded[strings.ToLower(m.Name)] {
			fail("name %q empty or not unique", m.Name)
		}
		names[m.Name], folded[strings.ToLower(m.Name)] = true, true
		if len(m.LegalID) != 9 || strings.Trim(m.LegalID, "0123456789") != "" || !luhnValid(m.LegalID) || sirens[m.LegalID] {
			fail("%s: SIREN %q invalid or not unique", m.Name, m.LegalID)
		}
		if _, err := domain.NormalizeSIREN("legalId", m.LegalID); err != nil {
			fail("%s: %v", m.Name, err)
		}
		sirens[m.LegalID] = true
		if !strings.HasPrefix(m.Website, "https://") || !strings.HasSuffix(m.Website, ".example") || sites[m.Website] {
			fail("%s: website %q", m.Name, m.Website)
		}
		if _, err := domain.NormalizeWebsite("website", m.Website); err != nil {
			fail("%s: %v", m.Name, err)
		}
		sites[m.Website] = true
		if !m.Kind.Valid() || !m.Status.Valid() {
			fail("%s: kind %q status %q", m.Name, m.Kind, m.Status)
		}
		if m.Headcount == nil || domain.ValidateHeadcount("headcount", *m.Headcount) != nil {
			fail("%s: headcount %v", m.Name, m.Headcount)
		}
		a := m.Address
		dep := domain.DepartmentOfPostalCode(a.PostalCode)
		region, _ := domain.RegionOfDepartment(dep)
		if a.City == "" || a.Country != "FR" || dep == "" || a.Department != dep || a.Region != region {
			fail("%s: inconsistent address %+v", m.Name, a)
		}
		if norm, err := domain.NormalizeAddress("address", a); err != nil || norm != a {
			fail("%s: address %+v normalizes to %+v, %v", m.Name, a, norm, err)
		}
		if m.Location == nil || domain.ValidateLocation("location", *m.Location) != nil ||
			m.Location.Lat < -21.5 || m.Location.Lat > 51.5 || m.Location.Lng < -5 || m.Location.Lng > 56 {
			fail("%s: location %v", m.Name, m.Location)
		}
		if m.ForeignParentCountry != "" && (!domain.IsCountryCode(m.ForeignParentCountry) || m.ForeignParentCountry == "FR" || m.Kind != domain.KindCompany) {
			fail("%s: foreign parent %q", m.Name, m.ForeignParentCountry)
		}
		if len(strings.TrimSpace(m.Description)) < 40 {
			fail("%s: description %q", m.Name, m.Description)
		}
		if m.JoinedOn.After(today) || m.JoinedOn.Year() < 2002 || m.JoinedOn.Before(prev) {
			fail("%s: joined on %v (previous %v, today %v)", m.Name, m.JoinedOn, prev, today)
		}
		prev = m.JoinedOn
		switch m.Status {
		case domain.StatusLapsed:
			if m.LeftOn == nil || !m.LeftOn.After(m.JoinedOn) || m.LeftOn.After(today) {
				fail("%s: LAPSED, joined %v, left %v", m.Name, m.JoinedOn, m.LeftOn)
			}
		default:
			if m.LeftOn != nil {
				fail("%s: ACTIVE with LeftOn", m.Name)
			}
		}
		if len(m.TradeIDs) < 1 || len(m.TradeIDs) > 3 || !slices.IsSorted(m.TradeIDs) {
			fail("%s: trades %v", m.Name, m.TradeIDs)
		}
		for j, id := range m.TradeIDs {
			root, ok := tradeRoot[id]
			if !ok || (j > 0 && id == m.TradeIDs[j-1]) {
				fail("%s: bad trade id %d in %v", m.Name, id, m.TradeIDs)
			} else if !slices.Contains(kindRoots[m.Kind], root) {
				fail("%s (%s) has trade %s", m.Name, m.Kind, root)
			}
		}
	}
	checkNetwork(t, ds, today)
}

func TestDescriptionsAreSearchable(t *testing.T) {
	ds := Generate(Options{Seed: 7, Today: testToday})
	for _, word := range []string{"étalonnage", "capteurs", "température"} {
		n := 0
		for _, m := range ds.Members {
			if strings.Contains(strings.ToLower(m.Description), word) {
				n++
			}
		}
		if n < 5 {
			t.Errorf("only %d descriptions mention %q", n, word)
		}
	}
}

func TestSizes(t *testing.T) {
	for _, n := range []int{1, 2, 3, 5, 7, 10, 50, 1000} {
		ds := Generate(Options{Members: n, Seed: uint64(n), Today: testToday})
		checkDataset(t, ds, testToday)
		active := 0
		for _, m := range ds.Members {
			if m.Status == domain.StatusActive {
				active++
			}
		}
		if active != n {
			t.Errorf("Members %d: %d ACTIVE", n, active)
		}
	}
}

func TestTodayWithTimeZone(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip(err)
	}
	today := time.Date(2025, time.January, 1, 0, 30, 0, 0, paris) // still 2024 in UTC
	ds := Generate(Options{Members: 500, Seed: 9, Today: today})
	checkDataset(t, ds, today)
}

func TestTodayBeforeHistory(t *testing.T) {
	for _, today := range []time.Time{
		time.Date(2005, time.June, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2010, time.January, 1, 0, 0, 0, 0, time.UTC),
		time.Date(1999, time.January, 1, 0, 0, 0, 0, time.UTC),
	} {
		ds := Generate(Options{Seed: 3, Today: today})
		checkNetwork(t, ds, today)
		for _, m := range ds.Members {
			if m.JoinedOn.After(today) || (m.LeftOn != nil && !m.LeftOn.After(m.JoinedOn)) {
				t.Errorf("today %v: %s joined %v left %v", today, m.Name, m.JoinedOn, m.LeftOn)
			}
		}
	}
}

func TestFictionalNames(t *testing.T) {
	real := []string{"LNE", "CETIAT", "Laboratoire national de métrologie", "Collège Français de Métrologie", "CCI Paris", "Réseau Mesure"}
	for _, m := range Generate(Options{Seed: 11, Today: testToday}).Members {
		for _, r := range real {
			if strings.Contains(strings.ToLower(m.Name), strings.ToLower(r)) {
				t.Errorf("%q looks like the real %q", m.Name, r)
			}
		}
	}
}

func TestLargeNetwork(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	const n = 100_000
	start := time.Now()
	ds := Generate(Options{Members: n, Seed: 5, Today: testToday})
	t.Logf("generated %d members in %v", len(ds.Members), time.Since(start))
	checkDataset(t, ds, testToday)
	classes := map[domain.SizeClass]int{}
	active := 0
	for _, m := range ds.Members {
		if m.Status == domain.StatusActive {
			active++
			classes[m.SizeClass()]++
		}
	}
	if active != n || classes[domain.SizeMicro] != 54_000 || classes[domain.SizeSmall] != 38_000 {
		t.Errorf("%d ACTIVE, classes %v", active, classes)
	}
	if lapsed := len(ds.Members) - n; lapsed < 2500 || lapsed > 3500 {
		t.Errorf("%d LAPSED, want about 3%%", lapsed)
	}
	// The same proportions as the reference network, with more links.
	if l := len(ds.Links); l < 9*n || l > 11*n {
		t.Errorf("%d links, want about 10 per ACTIVE member", l)
	}
	if q := len(ds.Questions); q < n/8 || q > n/5 {
		t.Errorf("%d questions, want about one per 6 ACTIVE members", q)
	}
	if g := len(ds.Groups); g < len(ds.Questions)/3 || len(ds.Meetings) < 3*g || len(ds.ActionPlans) < g/4 {
		t.Errorf("%d groups, %d meetings, %d plans", g, len(ds.Meetings), len(ds.ActionPlans))
	}
	// A training a year per 20 ACTIVE members, over two years and the
	// next three months, with their registrations.
	if tr := len(ds.Trainings); tr < 2*n/membersPerTraining || tr > 3*n/membersPerTraining || len(ds.Registrations) < 10*tr {
		t.Errorf("%d trainings, %d registrations", tr, len(ds.Registrations))
	}
	_, adj := confirmedGraph(ds)
	density, clustering, sizes, path := smallWorld(adj, 100)
	t.Logf("%d links, %d questions, %d groups, %d meetings, %d plans; clustering %.3f, density %.5f, largest component %d, path about %.2f",
		len(ds.Links), len(ds.Questions), len(ds.Groups), len(ds.Meetings), len(ds.ActionPlans), clustering, density, sizes[0], path)
	if clustering < 0.15 || sizes[0]*100 < n*95 || path > 8 {
		t.Errorf("clustering %.3f, largest component %d, path %.2f", clustering, sizes[0], path)
	}
}

func TestSlugify(t *testing.T) {
	for in, want := range map[string]string{
		"Métronix":                     "metronix",
		"Vernier & Fils":               "vernier-fils",
		"Thermo-Mesure Atlantique":     "thermo-mesure-atlantique",
		"L'Écho de la Mesure":          "l-echo-de-la-mesure",
		"Bancs d'Essais Lefèvre":       "bancs-d-essais-lefevre",
		"Kessler Messtechnik France 2": "kessler-messtechnik-france-2",
		"Zürcher Präzision Œuvre":      "zurcher-prazision-oeuvre",
	} {
		if got := slugify(in); got != want {
			t.Errorf("slugify(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestApportion(t *testing.T) {
	for _, tc := range []struct {
		n       int
		weights []int
		want    []int
	}{
		{182, kindWeights, []int{165, 5, 8, 4}},
		{10, []int{1, 1, 1}, []int{4, 3, 3}},
		{0, []int{1, 2}, []int{0, 0}},
		{5, []int{0, 0}, []int{0, 5}},
	} {
		if got := apportion(tc.n, tc.weights); !slices.Equal(got, tc.want) {
			t.Errorf("apportion(%d, %v) = %v, want %v", tc.n, tc.weights, got, tc.want)
		}
	}
}

func BenchmarkGenerate100k(b *testing.B) {
	for b.Loop() {
		Generate(Options{Members: 100_000, Seed: 1, Today: testToday})
	}
}

// TestTouchpoints: every member the team knew over the last two years has
// touchpoints, within its membership, more for those in groups; some have
// a follow-up, and the contacts they name are the member's.
func TestTouchpoints(t *testing.T) {
	ds := Generate(Options{Seed: 42, Today: testToday})
	contactOf := map[int64]int64{}
	for _, c := range ds.Contacts {
		contactOf[c.ID] = c.MemberID
	}
	inGroups := map[int64]bool{}
	for _, p := range ds.Participants {
		inGroups[p.MemberID] = true
	}
	per := map[int64]int{}
	followUps := 0
	for i, tp := range ds.Touchpoints {
		m := ds.Members[tp.MemberID-1]
		if tp.ID != int64(i+1) || tp.At.Before(m.JoinedOn) || tp.At.After(testToday.AddDate(0, 0, 1)) ||
			(m.LeftOn != nil && tp.At.After(m.LeftOn.AddDate(0, 0, 1))) || !tp.Channel.Valid() || tp.Summary == "" ||
			(tp.By != "direction" && tp.By != "animation") {
			t.Fatalf("touchpoint %+v of member %+v", tp, m.Member)
		}
		if tp.ContactID != nil && contactOf[*tp.ContactID] != tp.MemberID {
			t.Fatalf("touchpoint %d names a contact of another member", tp.ID)
		}
		if tp.FollowUpOn != nil {
			followUps++
		}
		per[tp.MemberID]++
	}
	engaged, others := 0.0, 0.0
	nEngaged, nOthers := 0, 0
	for _, m := range ds.Members {
		if m.LeftOn == nil && per[m.ID] == 0 {
			t.Errorf("ACTIVE member %s has no touchpoint", m.Name)
		}
		if inGroups[m.ID] {
			engaged, nEngaged = engaged+float64(per[m.ID]), nEngaged+1
		} else {
			others, nOthers = others+float64(per[m.ID]), nOthers+1
		}
	}
	if engaged/float64(nEngaged) <= others/float64(nOthers) {
		t.Errorf("members in groups have %.1f touchpoints on average, others %.1f", engaged/float64(nEngaged), others/float64(nOthers))
	}
	if share := float64(followUps) / float64(len(ds.Touchpoints)); share < 0.1 || share > 0.3 {
		t.Errorf("%.0f%% of touchpoints have a follow-up", share*100)
	}
}

// checkTradeShows checks the shows of a dataset against the rules of the
// database and of the API: one show a year, in order, held before today;
// exhibitors with a name and a booth unique per show (case aside), the
// members among them members during the show, the others with trades;
// leads of member exhibitors, of a member or a company, once per
// exhibitor and visitor, scanned during the show; converted leads naming a
// link of origin TRADE_SHOW declared by the exhibitor to the visitor after
// the show, each link once. It returns, per show, the exhibitors, the
// member exhibitors and the converted leads.
func checkTradeShows(t *testing.T, ds *domain.Dataset, today time.Time) (exhibitors, members, converted []int) {
	t.Helper()
	errs := 0
	fail := func(format string, args ...any) {
		t.Helper()
		if errs++; errs <= 20 {
			t.Errorf(format, args...)
		}
	}
	if len(ds.TradeShows) == 0 {
		t.Fatal("no trade show")
	}
	for i, s := range ds.TradeShows {
		if s.ID != int64(i+1) || s.Edition != i+1 || s.Year != 2010+i || s.StartsOn.Year() != s.Year || s.EndsOn.Before(s.StartsOn) ||
			s.EndsOn.After(today) || s.City == "" || s.Venue == "" || s.StartsOn.Month() != time.October {
			fail("show %d: %+v", i, s)
		}
	}
	if last := ds.TradeShows[len(ds.TradeShows)-1]; last.Year < today.Year()-1 {
		fail("the last show is of %d", last.Year)
	}
	exhibitors = make([]int, len(ds.TradeShows))
	members = make([]int, len(ds.TradeShows))
	converted = make([]int, len(ds.TradeShows))
	show := func(id int64) *domain.TradeShow { return &ds.TradeShows[id-1] }
	member := func(id int64) *domain.DatasetMember { return &ds.Members[id-1] }
	present := func(m *domain.DatasetMember, s *domain.TradeShow) bool {
		return !m.JoinedOn.After(s.StartsOn) && (m.LeftOn == nil || m.LeftOn.After(s.EndsOn))
	}
	unique := map[string]bool{}
	for i, e := range ds.Exhibitors {
		s := show(e.TradeShowID)
		name, booth := fmt.Sprint(e.TradeShowID, "name ", strings.ToLower(e.Name)), fmt.Sprint(e.TradeShowID, "booth ", strings.ToLower(e.Booth))
		if e.ID != int64(i+1) || e.Name == "" || e.Booth == "" || unique[name] || unique[booth] {
			fail("exhibitor %d: %+v", i, e)
		}
		unique[name], unique[booth] = true, true
		exhibitors[e.TradeShowID-1]++
		if e.MemberID != nil {
			members[e.TradeShowID-1]++
			if m := member(*e.MemberID); !present(m, s) || e.Name != m.Name || len(e.TradeIDs) > 0 || unique[fmt.Sprint(e.TradeShowID, "member ", m.ID)] {
				fail("member exhibitor %+v at %d: %+v", e, s.Year, m.Member)
			}
			unique[fmt.Sprint(e.TradeShowID, "member ", *e.MemberID)] = true
		} else if len(e.TradeIDs) == 0 || len(e.TradeIDs) > domain.MaxExhibitorTrade {
			fail("exhibitor %s without trades", e.Name)
		}
	}
	linked := map[int64]bool{}
	for i, l := range ds.Leads {
		s, e := show(l.TradeShowID), &ds.Exhibitors[l.ExhibitorID-1]
		if l.ID != int64(i+1) || e.TradeShowID != s.ID || e.MemberID == nil || (l.VisitorMemberID == nil) == (l.VisitorCompany == "") ||
			l.ScannedAt.Before(s.StartsOn) || !l.ScannedAt.Before(s.EndsOn.AddDate(0, 0, 1)) {
			fail("lead %d: %+v", i, l)
			continue
		}
		visitor := l.VisitorCompany
		if l.VisitorMemberID != nil {
			visitor = fmt.Sprint(*l.VisitorMemberID)
			if v := member(*l.VisitorMemberID); v.ID == *e.MemberID || !present(v, s) {
				fail("lead %d of %+v by exhibitor %+v", l.ID, v.Member, e)
			}
		}
		key := fmt.Sprint(l.ExhibitorID, " ", strings.ToLower(visitor))
		if unique[key] {
			fail("exhibitor %d meets %s twice", l.ExhibitorID, visitor)
		}
		unique[key] = true
		if l.ConvertedLinkID == nil {
			continue
		}
		converted[l.TradeShowID-1]++
		link := &ds.Links[*l.ConvertedLinkID-1]
		if link.ID != *l.ConvertedLinkID || link.Origin != domain.OriginTradeShow || link.DeclaredBy != *e.MemberID ||
			l.VisitorMemberID == nil || link.Counterpart(*e.MemberID) != *l.VisitorMemberID ||
			!link.CreatedAt.After(s.EndsOn) || linked[link.ID] {
			fail("lead %+v converted into %+v", l, link)
		}
		linked[link.ID] = true
	}
	return exhibitors, members, converted
}

// TestTradeShows: a show a year since 2010 with 100 to 130 exhibitors, the
// members' share rising from about a third to most, about 2,000 visitors,
// and leads of which some became the links of origin TRADE_SHOW; with ten
// times the members, ten times the exhibitors and visitors.
func TestTradeShows(t *testing.T) {
	today := time.Date(2026, time.December, 1, 0, 0, 0, 0, time.UTC)
	for _, seed := range []uint64{1, 7} {
		ds := Generate(Options{Seed: seed, Today: today})
		checkDataset(t, ds, today)
		exhibitors, members, converted := checkTradeShows(t, ds, today)
		if len(ds.TradeShows) != 17 {
			t.Errorf("%d shows from 2010 to 2026", len(ds.TradeShows))
		}
		for i, s := range ds.TradeShows {
			if exhibitors[i] < 100 || exhibitors[i] > 130 || s.VisitorCount < 1800 || s.VisitorCount > 2200 {
				t.Errorf("seed %d, %d: %d exhibitors, %d visitors", seed, s.Year, exhibitors[i], s.VisitorCount)
			}
		}
		share := func(i int) float64 { return float64(members[i]) / float64(exhibitors[i]) }
		last := len(ds.TradeShows) - 1
		if share(0) < 0.25 || share(0) > 0.42 || share(last) < 0.6 || share(last/2) <= share(0) || share(last) <= share(last/2) {
			t.Errorf("seed %d: the members' share %.2f in 2010, %.2f in %d, %.2f in %d", seed, share(0), share(last/2), 2010+last/2, share(last), 2010+last)
		}
		conv, tradeShowLinks := 0, 0
		for _, c := range converted {
			conv += c
		}
		for _, l := range ds.Links {
			if l.Origin == domain.OriginTradeShow {
				tradeShowLinks++
			}
		}
		if conv < tradeShowLinks*3/4 || len(ds.Leads) < 5*conv {
			t.Errorf("seed %d: %d leads, %d converted, of %d links of origin TRADE_SHOW", seed, len(ds.Leads), conv, tradeShowLinks)
		}
	}
	// Scaled with the members.
	ds := Generate(Options{Seed: 1, Members: 1820, Today: today})
	exhibitors, _, _ := checkTradeShows(t, ds, today)
	if exhibitors[0] < 1000 || exhibitors[0] > 1300 || ds.TradeShows[0].VisitorCount < 18000 || ds.TradeShows[0].VisitorCount > 22000 {
		t.Errorf("1,820 members: %d exhibitors, %d visitors", exhibitors[0], ds.TradeShows[0].VisitorCount)
	}
}

// TestPurchasingCampaigns: two or three campaigns a year since the
// founding, the first the founders' paint; each run by staff or by a
// PURCHASING group active over it; commitments by members active then,
// within the campaign; statuses that follow the dates and minimums; one
// OPEN today and one DRAFT planned; more campaigns for a larger network.
func TestPurchasingCampaigns(t *testing.T) {
	check := func(t *testing.T, ds *domain.Dataset, cohorts int) {
		groups := map[int64]*domain.WorkingGroup{}
		for i := range ds.Groups {
			groups[ds.Groups[i].ID] = &ds.Groups[i]
		}
		leads := map[int64]bool{}
		for _, p := range ds.Participants {
			if p.Role == domain.RoleLead {
				leads[p.GroupID] = true
			}
		}
		perYear := map[int]int{}
		statuses := map[domain.CampaignStatus]int{}
		totals := map[int64]int{}
		seen := map[[2]int64]bool{}
		byID := map[int64]*domain.PurchasingCampaign{}
		for i := range ds.Campaigns {
			c := &ds.Campaigns[i]
			byID[c.ID] = c
			if c.ID != int64(i+1) || (i > 0 && c.ClosesAt.Before(ds.Campaigns[i-1].ClosesAt)) {
				t.Fatalf("campaign %d out of order", c.ID)
			}
			if !c.Category.Valid() || c.Title == "" || c.Supplier == "" || c.Unit == "" || c.Currency != "EUR" ||
				c.ListPrice < 1 || c.ListPrice > domain.MaxUnitPrice || c.NegotiatedPrice < 0 || c.NegotiatedPrice >= c.ListPrice ||
				c.MinimumQuantity < 1 || c.OpensAt == nil || !c.OpensAt.Before(c.ClosesAt) {
				t.Fatalf("campaign %+v", c)
			}
			if g := c.GroupID; g != nil {
				gr := groups[*g]
				if gr == nil || gr.Theme != domain.ThemePurchasing || !leads[*g] || gr.FormedAt.After(*c.OpensAt) ||
					(gr.ClosedAt != nil && gr.ClosedAt.Before(c.ClosesAt)) {
					t.Fatalf("campaign %d run by group %+v", c.ID, gr)
				}
			}
			statuses[c.Status]++
			switch c.Status {
			case domain.CampaignDraft, domain.CampaignOpen:
				if c.ClosedAt != nil || !c.ClosesAt.After(testToday) {
					t.Errorf("campaign %d %s closes %v", c.ID, c.Status, c.ClosesAt)
				}
			default:
				if c.ClosedAt == nil || !c.ClosedAt.Equal(c.ClosesAt) || c.ClosesAt.After(testToday) {
					t.Errorf("campaign %d %s closed %v, closes %v", c.ID, c.Status, c.ClosedAt, c.ClosesAt)
				}
				perYear[c.OpensAt.Year()]++
			}
			if c.Status == domain.CampaignClosed && c.ClosesAt.Before(testToday.AddDate(0, 0, -21)) {
				t.Errorf("campaign %d closed long ago and never ordered nor cancelled", c.ID)
			}
		}
		for i, cm := range ds.Commitments {
			c := byID[cm.CampaignID]
			m := ds.Members[cm.MemberID-1]
			key := [2]int64{cm.CampaignID, cm.MemberID}
			if cm.ID != int64(i+1) || c == nil || seen[key] || cm.Quantity < 1 || cm.CommittedAt.Before(*c.OpensAt) ||
				cm.CommittedAt.After(c.ClosesAt) || cm.CommittedAt.After(testToday) || m.JoinedOn.After(*c.OpensAt) ||
				(m.LeftOn != nil && m.LeftOn.Before(c.ClosesAt)) || c.Status == domain.CampaignDraft {
				t.Fatalf("commitment %+v to campaign %+v of member %+v", cm, c, m.Member)
			}
			if i > 0 && ds.Commitments[i-1].CampaignID == cm.CampaignID && cm.CommittedAt.Before(ds.Commitments[i-1].CommittedAt) {
				t.Fatalf("commitment %d out of order", cm.ID)
			}
			seen[key] = true
			totals[cm.CampaignID] += cm.Quantity
		}
		for id, total := range totals {
			c := byID[id]
			if total*c.ListPrice > domain.MaxCampaignValue {
				t.Errorf("campaign %d gathers %d units at %d", id, total, c.ListPrice)
			}
			if c.Status == domain.CampaignOpen && total >= c.MinimumQuantity {
				t.Errorf("the OPEN campaign reached its minimum already")
			}
		}
		for _, c := range ds.Campaigns {
			if c.Status == domain.CampaignOrdered && totals[c.ID] == 0 {
				t.Errorf("campaign %d ordered without commitments", c.ID)
			}
		}
		if statuses[domain.CampaignOpen] != cohorts || statuses[domain.CampaignDraft] != cohorts ||
			statuses[domain.CampaignOrdered] < statuses[domain.CampaignCancelled]*3 {
			t.Errorf("statuses %v", statuses)
		}
		for y := 2002; y < testToday.Year(); y++ {
			if n := perYear[y]; n < 2*cohorts || n > 3*cohorts {
				t.Errorf("%d campaigns in %d, want 2 to 3 for each of %d cohorts", n, y, cohorts)
			}
		}
	}
	ds := Generate(Options{Seed: 42, Today: testToday})
	check(t, ds, 1)
	first := ds.Campaigns[0]
	if first.Category != domain.CategoryPaint || first.OpensAt.Year() != 2002 || first.Status != domain.CampaignOrdered {
		t.Errorf("the first campaign is %+v, want the founders' paint", first)
	}
	founders := 0
	for _, cm := range ds.Commitments {
		if cm.CampaignID == first.ID {
			founders++
		}
	}
	if founders != 5 {
		t.Errorf("%d founders bought their paint together", founders)
	}
	grouped := 0
	for _, c := range ds.Campaigns {
		if c.GroupID != nil {
			grouped++
		}
	}
	if grouped == 0 {
		t.Error("no campaign is run by a working group")
	}
	t.Run("scaled", func(t *testing.T) {
		big := Generate(Options{Members: 910, Seed: 42, Today: testToday})
		check(t, big, 5)
		if len(big.Campaigns) < 4*len(ds.Campaigns) || len(big.Commitments) < 4*len(ds.Commitments) {
			t.Errorf("910 members: %d campaigns, %d commitments; 182: %d, %d",
				len(big.Campaigns), len(big.Commitments), len(ds.Campaigns), len(ds.Commitments))
		}
	})
}
