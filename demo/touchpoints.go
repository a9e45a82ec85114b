package demo

import (
	"time"

	"grappe/domain"
)

// The staff users who log the demo's touchpoints: the director and the
// project officer (the subjects of their tokens).
var staffSubjects = []string{"direction", "animation"}

// touchpointKinds are the demo's touchpoints: a channel, its weight, and
// what the summaries say.
var touchpointKinds = []struct {
	channel   domain.TouchpointChannel
	weight    int
	summaries []string
}{
	{domain.ChannelCall, 50, []string{
		"Appel : point sur les besoins en étalonnage de l'année",
		"Appel de suivi après la réunion du groupe de travail",
		"Appel : présentation des achats groupés de gaz étalons",
		"Appel : questions sur les conditions générales de vente",
		"Appel de rappel après la formation",
		"Appel : recherche d'un sous-traitant en métrologie dimensionnelle",
	}},
	{domain.ChannelEmail, 20, []string{
		"Envoi du compte rendu de la réunion et du plan d'action",
		"Échange sur l'inscription au salon",
		"Relance sur la cotisation de l'année",
	}},
	{domain.ChannelVisit, 15, []string{
		"Visite de l'atelier, rencontre avec le dirigeant",
		"Visite sur place à l'occasion d'un déplacement dans la région",
		"Visite du laboratoire et présentation des nouveaux adhérents voisins",
	}},
	{domain.ChannelMeeting, 10, []string{
		"Rendez-vous annuel : bilan de l'adhésion et attentes",
		"Rendez-vous sur un projet de réponse commune à un appel d'offres",
	}},
	{domain.ChannelEvent, 5, []string{
		"Rencontré au salon de la mesure",
		"Échange lors de la soirée des adhérents",
	}},
}

// touchpoints gives each member a few touchpoints over the last two years
// (more to those who take part in groups), logged by the two staff users,
// a fifth of them with a follow-up, most of the past ones done, half of
// them naming one of the member's contacts.
func (g *generator) touchpoints(ds *domain.Dataset) []domain.Touchpoint {
	groups := make(map[int64]int, len(ds.Members))
	for _, p := range ds.Participants {
		groups[p.MemberID]++
	}
	contacts := make(map[int64][]int64, len(ds.Members))
	for _, c := range ds.Contacts {
		contacts[c.MemberID] = append(contacts[c.MemberID], c.ID)
	}
	total := 0
	for _, k := range touchpointKinds {
		total += k.weight
	}
	start := g.today.AddDate(-2, 0, 0)
	var out []domain.Touchpoint
	for i := range ds.Members {
		m := &ds.Members[i]
		from, to := m.JoinedOn, g.today
		if from.Before(start) {
			from = start
		}
		if m.LeftOn != nil {
			to = *m.LeftOn
		}
		days := int(to.Sub(from).Hours() / 24)
		if days <= 0 {
			continue
		}
		n := 1 + g.r.IntN(3) + min(groups[m.ID], 4)
		for range n {
			at := from.Add(time.Duration(g.r.IntN(days))*24*time.Hour + time.Duration(8*60+g.r.IntN(10*60))*time.Minute)
			pick := g.r.IntN(total)
			k := touchpointKinds[0]
			for _, c := range touchpointKinds {
				if pick < c.weight {
					k = c
					break
				}
				pick -= c.weight
			}
			tp := domain.Touchpoint{
				ID: int64(len(out) + 1), MemberID: m.ID, By: staffSubjects[g.r.IntN(len(staffSubjects))],
				Channel: k.channel, At: at, Summary: k.summaries[g.r.IntN(len(k.summaries))],
			}
			if cs := contacts[m.ID]; len(cs) > 0 && g.r.IntN(2) == 0 {
				id := cs[g.r.IntN(len(cs))]
				tp.ContactID = &id
			}
			if g.r.IntN(5) == 0 {
				due := time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, 7+g.r.IntN(24))
				tp.FollowUpOn = &due
				tp.Done = due.Before(g.today.AddDate(0, 0, -7)) && g.r.IntN(5) != 0
			}
			out = append(out, tp)
		}
	}
	return out
}
