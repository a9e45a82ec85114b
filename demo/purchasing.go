package demo

import (
	"fmt"
	"slices"
	"time"

	"grappe/domain"
)

// purchaseKind is a kind of pooled purchase the cluster makes: what it
// buys, from whom, and how much.
type purchaseKind struct {
	category  domain.PurchaseCategory
	title     string // with the year
	detail    string
	suppliers []string
	unit      string
	price     [2]int // the list price of a unit, in cents
	discount  [2]int // the negotiated discount, in percent
	quantity  [2]int // what one member commits to
	minimum   int    // the minimum of a campaign nobody committed to
}

// purchaseKinds are the campaigns the cluster runs: its five founders first
// bought their paint together, in 2002.
var purchaseKinds = []purchaseKind{
	{domain.CategoryPaint, "Peinture des ateliers et des bancs d'essai %d",
		"Peinture époxy et laques pour les ateliers, livrées sur site.",
		[]string{"Peintures du Vexin", "Laques Duval", "Couleurs d'Oise"}, "litre", [2]int{900, 2200}, [2]int{12, 25}, [2]int{20, 120}, 300},
	{domain.CategoryOfficeSupplies, "Fournitures de bureau %d",
		"Papier, consommables d'impression et petit matériel de bureau.",
		[]string{"Bureau Plus Cergy", "Papeteries Réunies"}, "ramette de 500 feuilles", [2]int{450, 700}, [2]int{15, 30}, [2]int{5, 40}, 200},
	{domain.CategoryCalibrationEquipment, "Gaz étalons et masses de référence %d",
		"Bouteilles de gaz étalons certifiés et masses de référence raccordées.",
		[]string{"Air Mesure SA", "Étalons de France"}, "bouteille B10", [2]int{9000, 16000}, [2]int{8, 18}, [2]int{1, 6}, 20},
	{domain.CategoryInsurance, "Assurance responsabilité civile professionnelle %d",
		"Contrat cadre négocié pour les adhérents, garanties adaptées aux laboratoires.",
		[]string{"Mutuelle des Industries de Mesure", "Assurances du Parisis"}, "contrat annuel", [2]int{120000, 380000}, [2]int{10, 20}, [2]int{1, 1}, 10},
	{domain.CategoryEnergy, "Électricité des sites %d",
		"Fourniture d'électricité à prix fixe sur deux ans, part renouvelable garantie.",
		[]string{"Énergie Commune", "Courant Vert"}, "MWh", [2]int{14000, 24000}, [2]int{6, 15}, [2]int{10, 120}, 150},
}

// demoCampaign is a campaign being generated.
type demoCampaign struct {
	c        domain.PurchasingCampaign
	kind     *purchaseKind
	cohort   int
	current  bool // the campaign OPEN today
	draft    bool // the campaign planned after today
	founders bool // the founders' paint
}

// campaigns generates the purchasing campaigns: two or three a year since
// the founding for every 182 ACTIVE members (a cohort of members each),
// run by a PURCHASING group active then (by its lead) or by staff alone,
// with the commitments of the members of the cohort active then, more
// likely from the group's participants. Past campaigns that reached their
// minimum were ordered, most others cancelled; those closed in the last
// three weeks wait for their order; each cohort has one campaign OPEN
// today and one DRAFT planned. Campaigns come in order of closesAt,
// commitments by campaign, in order of commitment.
func (g *generator) campaigns(ds *domain.Dataset) ([]domain.PurchasingCampaign, []domain.CampaignCommitment) {
	active := 0
	for i := range ds.Members {
		if ds.Members[i].LeftOn == nil {
			active++
		}
	}
	cohorts := max(1, (active+DefaultMembers/2)/DefaultMembers)
	type runner struct {
		id, lead     int64
		from, to     time.Time
		participants map[int64]bool
	}
	var runners []*runner
	byGroup := map[int64]*runner{}
	for i := range ds.Groups {
		gr := &ds.Groups[i]
		if gr.Theme != domain.ThemePurchasing {
			continue
		}
		r := &runner{id: gr.ID, from: gr.FormedAt, to: g.today.AddDate(10, 0, 0), participants: map[int64]bool{}}
		if gr.ClosedAt != nil {
			r.to = *gr.ClosedAt
		}
		runners = append(runners, r)
		byGroup[gr.ID] = r
	}
	for _, p := range ds.Participants {
		if r := byGroup[p.GroupID]; r != nil {
			r.participants[p.MemberID] = true
			if p.Role == domain.RoleLead {
				r.lead = p.MemberID
			}
		}
	}

	var out []*demoCampaign
	day := func(t time.Time, hour int) time.Time {
		return time.Date(t.Year(), t.Month(), t.Day(), hour, 0, 0, 0, time.UTC)
	}
	for cohort := range cohorts {
		for y := foundingYear; y <= g.today.Year(); y++ {
			n := 2 + g.r.IntN(2)
			kinds := g.r.Perm(len(purchaseKinds))[:n]
			start := time.Date(y, 1, 15, 0, 0, 0, 0, time.UTC)
			if y == foundingYear {
				// The founders' paint first, a month after they met.
				switch i := slices.Index(kinds, 0); {
				case i > 0:
					kinds[0], kinds[i] = kinds[i], kinds[0]
				case i < 0:
					kinds[0] = 0
				}
				start = ds.Members[0].JoinedOn.AddDate(0, 1, 0)
			}
			span := int(time.Date(y, 12, 15, 0, 0, 0, 0, time.UTC).Sub(start).Hours()/24) / n
			for k, ki := range kinds {
				// The rest of the year in n slots; a campaign opens in
				// its slot, for three to six weeks.
				opens := day(start.AddDate(0, 0, k*span+g.r.IntN(max(1, span-45))), 9)
				closes := day(opens.AddDate(0, 0, 21+g.r.IntN(22)), 18)
				if !closes.Before(g.today) {
					continue // not over yet: the campaign OPEN today stands for it
				}
				out = append(out, &demoCampaign{kind: &purchaseKinds[ki], cohort: cohort, founders: y == foundingYear && k == 0,
					c: domain.PurchasingCampaign{OpensAt: &opens, ClosesAt: closes}})
			}
		}
		// One OPEN today, one DRAFT planned in three weeks.
		opens, closes := day(g.today.AddDate(0, 0, -12), 9), day(g.today.AddDate(0, 0, 18), 18)
		out = append(out, &demoCampaign{kind: &purchaseKinds[2+cohort%3], cohort: cohort, current: true,
			c: domain.PurchasingCampaign{OpensAt: &opens, ClosesAt: closes}})
		planned, due := day(g.today.AddDate(0, 0, 21), 9), day(g.today.AddDate(0, 0, 50), 18)
		out = append(out, &demoCampaign{kind: &purchaseKinds[1], cohort: cohort, draft: true,
			c: domain.PurchasingCampaign{OpensAt: &planned, ClosesAt: due}})
	}
	slices.SortStableFunc(out, func(a, b *demoCampaign) int { return a.c.ClosesAt.Compare(b.c.ClosesAt) })

	var commitments []domain.CampaignCommitment
	for i, dc := range out {
		c, kind := &dc.c, dc.kind
		c.ID = int64(i + 1)
		c.Category, c.Unit, c.Currency, c.Description = kind.category, kind.unit, domain.DefaultCurrency, kind.detail
		c.Title = fmt.Sprintf(kind.title, c.ClosesAt.Year())
		c.Supplier = pick(g, kind.suppliers)
		c.ListPrice = kind.price[0] + g.r.IntN(kind.price[1]-kind.price[0]+1)
		c.NegotiatedPrice = c.ListPrice * (100 - kind.discount[0] - g.r.IntN(kind.discount[1]-kind.discount[0]+1)) / 100
		opens := *c.OpensAt
		// Run by a PURCHASING group active over the whole campaign, two
		// times in three when there is one, else by staff alone.
		var run *runner
		var cands []*runner
		for _, r := range runners {
			if r.lead != 0 && !r.from.After(opens) && r.to.After(c.ClosesAt) {
				cands = append(cands, r)
			}
		}
		if len(cands) > 0 && g.r.IntN(3) < 2 {
			run = pick(g, cands)
			c.GroupID = &run.id
		}
		if dc.draft {
			c.Status, c.MinimumQuantity = domain.CampaignDraft, kind.minimum
			continue
		}
		// The members of the cohort ACTIVE over the campaign commit: the
		// founders to their paint, the group's participants often, the
		// others now and then.
		last := c.ClosesAt
		if dc.current {
			last = g.today
		}
		total, first := 0, len(commitments)
		for j := dc.cohort; j < len(ds.Members); j += cohorts {
			m := &ds.Members[j]
			if m.JoinedOn.After(opens) || (m.LeftOn != nil && m.LeftOn.Before(c.ClosesAt)) {
				continue
			}
			chance := 18
			switch {
			case dc.founders:
				chance = 100
			case run != nil && run.participants[m.ID]:
				chance = 70
			}
			if g.r.IntN(100) >= chance {
				continue
			}
			q := kind.quantity[0] + g.r.IntN(kind.quantity[1]-kind.quantity[0]+1)
			if s := m.SizeClass(); (s == domain.SizeMedium || s == domain.SizeLarge) && kind.quantity[1] > 1 {
				q *= 3
			}
			// On a day of the campaign before its last, in working hours.
			days := max(1, int(last.Sub(opens).Hours()/24))
			at := opens.AddDate(0, 0, g.r.IntN(days)).Add(time.Duration(g.r.IntN(9*3600)) * time.Second)
			commitments = append(commitments, domain.CampaignCommitment{CampaignID: c.ID, MemberID: m.ID, Quantity: q, CommittedAt: at})
			total += q
		}
		slices.SortStableFunc(commitments[first:], func(a, b domain.CampaignCommitment) int { return a.CommittedAt.Compare(b.CommittedAt) })
		// The minimum the supplier asked: most campaigns reach it.
		closed := c.ClosesAt
		switch {
		case total == 0:
			c.MinimumQuantity = kind.minimum
		case dc.current:
			c.MinimumQuantity = max(1, roundQuantity(total*(110+g.r.IntN(50))/100))
		default:
			c.MinimumQuantity = max(1, roundQuantity(total*(50+g.r.IntN(60))/100))
		}
		switch {
		case dc.current:
			c.Status = domain.CampaignOpen
		case c.ClosesAt.After(g.today.AddDate(0, 0, -21)):
			c.Status, c.ClosedAt = domain.CampaignClosed, &closed
		case total > 0 && (total >= c.MinimumQuantity || g.r.IntN(3) == 0):
			c.Status, c.ClosedAt = domain.CampaignOrdered, &closed
		default:
			c.Status, c.ClosedAt = domain.CampaignCancelled, &closed
		}
	}
	campaigns := make([]domain.PurchasingCampaign, len(out))
	for i, dc := range out {
		campaigns[i] = dc.c
	}
	for i := range commitments {
		commitments[i].ID = int64(i + 1)
	}
	return campaigns, commitments
}

// roundQuantity rounds a quantity to two significant digits.
func roundQuantity(n int) int {
	step := 1
	for n/step >= 100 {
		step *= 10
	}
	return (n + step/2) / step * step
}
