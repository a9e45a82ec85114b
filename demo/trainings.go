package demo

import (
	"cmp"
	"math/rand/v2"
	"slices"

	"grappe/domain"
)

// trainingStream is the second word of the PCG generator of trainings
// ("formatio" in ASCII): trainings draw from a generator of their own, so
// that the rest of the network is the same with or without them.
const trainingStream uint64 = 0x666f726d6174696f

// Trainings of the demo network: about one a month for the reference
// network, one a year per 20 ACTIVE members beyond it, over the last two
// years, and the next three months' already announced.
const (
	trainingYears         = 2
	membersPerTraining    = 20 // ACTIVE members per training a year
	minTrainingsPerYear   = 9
	announcedTrainingDays = 90
	cancelledTrainingPct  = 6 // of the past ones
)

// trainingTopic is a training the animation team gives, in French, on a
// small business's questions.
type trainingTopic struct {
	theme       domain.Theme
	title       string
	description string
	minutes     int
	capacity    int
}

// trainingTopics follow the reference network's interview: terms of sale
// and road safety, HR and remote work, factoring, pooled purchasing,
// digital communication and the trade show, and metrology.
var trainingTopics = []trainingTopic{
	{domain.ThemeSmallBusinessSupport, "Conditions générales de vente : un modèle pour les petites structures",
		"Un modèle de CGV commenté clause par clause : pénalités de retard, réserve de propriété, garanties, litiges.", 180, 16},
	{domain.ThemeSmallBusinessSupport, "Sécurité routière : prévenir le risque routier des salariés",
		"Les obligations de l'employeur, le document unique, les bonnes pratiques pour les techniciens itinérants.", 120, 20},
	{domain.ThemeSmallBusinessSupport, "RH et télétravail : charte, accord et bonnes pratiques",
		"Mettre en place le télétravail dans une petite structure : charte ou accord, équipement, droit à la déconnexion.", 180, 20},
	{domain.ThemeSmallBusinessSupport, "Affacturage : financer son poste clients",
		"Comment fonctionne l'affacturage, ce qu'il coûte, et les alternatives pour une TPE.", 120, 16},
	{domain.ThemeSmallBusinessSupport, "Impayés : de la relance à l'injonction de payer",
		"Relancer, mettre en demeure, recourir à l'injonction de payer : la marche à suivre et les modèles de courrier.", 120, 16},
	{domain.ThemeSmallBusinessSupport, "Entretiens professionnels : obligations et trame",
		"Ce que la loi impose, une trame d'entretien et le bilan à six ans.", 120, 15},
	{domain.ThemeSmallBusinessSupport, "S'installer en France : les démarches d'une filiale étrangère",
		"Immatriculation, représentation fiscale, embauche des premiers salariés : le parcours administratif.", 180, 12},
	{domain.ThemePurchasing, "Achats mutualisés : rédiger un cahier des charges commun",
		"Recenser les besoins, rédiger le cahier des charges, comparer les offres d'un achat groupé.", 120, 20},
	{domain.ThemePurchasing, "Énergie : comprendre et négocier ses contrats",
		"Lire une facture d'électricité et de gaz, les échéances, le rôle d'un courtier.", 90, 25},
	{domain.ThemeCommunication, "LinkedIn pour les dirigeants de TPE",
		"Soigner son profil et la page de son entreprise, publier régulièrement, relayer les actualités du réseau.", 120, 15},
	{domain.ThemeCommunication, "Préparer son stand au salon de la mesure",
		"Objectifs, démonstrations, invitations et suivi des contacts : tirer parti du salon.", 90, 30},
	{domain.ThemeCommunication, "Communiqués de presse : se faire relayer par les partenaires médias",
		"Écrire un communiqué qui sera repris, et le calendrier des partenaires médias du réseau.", 90, 20},
	{domain.ThemeOther, "Métrologie : ce que change la révision de l'ISO/IEC 17025",
		"Les nouvelles exigences pour les laboratoires et leurs clients, avec un laboratoire adhérent.", 180, 25},
}

// trainingPlaces are where trainings take place; the video calls are for
// the members far from Île-de-France.
var trainingPlaces = []string{
	"CCI Val-d'Oise, Cergy", "Maison des entreprises, Cergy-Pontoise", "CCI Paris Île-de-France, Paris",
	"Visioconférence", "Visioconférence", "Villeurbanne, dans les locaux d'un laboratoire adhérent",
}

// trainingSlots are the start times of trainings, in seconds after
// midnight UTC: 9:00 or 14:00 in Paris in winter.
var trainingSlots = []int64{8 * 3600, 13 * 3600}

// buildTrainings generates the trainings of the last two years and the
// next three months, with their registrations (by members who can act
// then, the more active the likelier, within the capacity) and, for those
// HELD, who attended (after the members' attendance). Trainings are in
// order of StartsAt; registrations by training, in order of registration.
// It draws from its own generator (see trainingStream).
func (w *world) buildTrainings(seed uint64) ([]domain.Training, []domain.TrainingRegistration) {
	tw := *w
	tw.g = &generator{r: rand.New(rand.NewPCG(seed, trainingStream)), today: w.g.today}
	return tw.trainings()
}

func (w *world) trainings() ([]domain.Training, []domain.TrainingRegistration) {
	g := w.g
	n := w.activeCount()
	if n == 0 || len(w.active) == 0 || w.active[len(w.active)-1] == 0 {
		return nil, nil
	}
	perYear := max(minTrainingsPerYear, n/membersPerTraining)
	past, future := perYear*trainingYears, max(2, perYear/4)
	days := make([]int64, 0, past+future)
	for range past {
		days = append(days, weekday(w.today-1-g.r.Int64N(trainingYears*365)))
	}
	for range future {
		days = append(days, weekday(w.today+7+g.r.Int64N(announcedTrainingDays-7)))
	}
	starts := make([]int64, len(days))
	for k, day := range days {
		if day == w.today { // a weekend pushed it to today, whose trainings may not have started yet
			day = weekday(day + 1)
		}
		starts[k] = day*secondsPerDay + pick(g, trainingSlots)
	}
	slices.Sort(starts)
	// A few past trainings were cancelled (one at least).
	held, _ := slices.BinarySearch(starts, w.today*secondsPerDay)
	cancelled := map[int]bool{}
	for _, k := range g.r.Perm(held)[:min(held, max(1, held*cancelledTrainingPct/100))] {
		cancelled[k] = true
	}
	trainings := make([]domain.Training, 0, len(starts))
	var regs []domain.TrainingRegistration
	perm := g.r.Perm(len(trainingTopics))
	for k, start := range starts {
		day := floorDiv(start, secondsPerDay)
		tp := &trainingTopics[perm[k%len(perm)]]
		t := domain.Training{
			ID: int64(k + 1), Title: tp.title, Theme: tp.theme, Description: tp.description,
			StartsAt: timeOf(start), DurationMinutes: tp.minutes,
			Place: pick(g, trainingPlaces), Capacity: tp.capacity, Status: domain.TrainingScheduled,
		}
		switch {
		case cancelled[k]:
			t.Status = domain.TrainingCancelled
		case day < w.today:
			t.Status = domain.TrainingHeld
		}
		seats := t.Capacity * (60 + g.r.IntN(41)) / 100 // a past training filled 60 to 100 %
		if day >= w.today {
			// Registrations come in until the start: those announced later are emptier.
			ahead := int(day - w.today)
			seats = seats * (announcedTrainingDays - ahead/2) / announcedTrainingDays
		}
		regs = append(regs, w.registrations(&t, day, seats)...)
		trainings = append(trainings, t)
	}
	return trainings, regs
}

// registrations draws up to seats members for training t on day: members
// who joined before registering and can still act on the day, the more
// active the likelier; it sets t's registration count.
func (w *world) registrations(t *domain.Training, day int64, seats int) []domain.TrainingRegistration {
	g := w.g
	out := make([]domain.TrainingRegistration, 0, seats)
	taken := make(map[int32]bool, seats)
	for tries := 0; len(out) < seats && tries < 10*seats; tries++ {
		i := int32(w.draw(w.active))
		regDay := min(day-1-g.between(1, 45), w.today-1)
		if taken[i] || w.class[i] == classLapsed && day >= w.today || w.join[i] >= regDay || !w.canActUntil(i, day) {
			continue
		}
		taken[i] = true
		r := domain.TrainingRegistration{TrainingID: t.ID, MemberID: int64(i) + 1, RegisteredAt: timeOf(g.workTime(regDay))}
		if t.Status == domain.TrainingHeld {
			r.Attended = g.r.IntN(1000) < classAttendance[w.class[i]]
		}
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b domain.TrainingRegistration) int {
		return cmp.Or(a.RegisteredAt.Compare(b.RegisteredAt), cmp.Compare(a.MemberID, b.MemberID))
	})
	if t.Status == domain.TrainingHeld && !slices.ContainsFunc(out, func(r domain.TrainingRegistration) bool { return r.Attended }) {
		t.Status = domain.TrainingCancelled // nobody came
	}
	t.RegistrationCount = len(out)
	return out
}
