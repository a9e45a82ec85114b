package demo

import (
	"strings"

	"grappe/domain"
)

// firstName is a French first name; feminine selects the role's feminine form.
type firstName struct {
	name     string
	feminine bool
}

// firstNames are the first names of contacts.
var firstNames = []firstName{
	{"Jean", false}, {"Pierre", false}, {"Michel", false}, {"Philippe", false}, {"Alain", false},
	{"Nicolas", false}, {"Christophe", false}, {"Stéphane", false}, {"Laurent", false}, {"Olivier", false},
	{"Éric", false}, {"Thierry", false}, {"Frédéric", false}, {"Sébastien", false}, {"Julien", false},
	{"Antoine", false}, {"Mathieu", false}, {"Guillaume", false}, {"Yannick", false}, {"Hervé", false},
	{"Jean-Marc", false}, {"François", false}, {"Benoît", false}, {"Karim", false}, {"Thomas", false},
	{"Marie", true}, {"Nathalie", true}, {"Isabelle", true}, {"Sylvie", true}, {"Catherine", true},
	{"Sandrine", true}, {"Valérie", true}, {"Christine", true}, {"Céline", true}, {"Sophie", true},
	{"Estelle", true}, {"Véronique", true}, {"Hélène", true}, {"Aurélie", true}, {"Camille", true},
	{"Claire", true}, {"Émilie", true}, {"Julie", true}, {"Laure", true}, {"Nadia", true},
	{"Anne-Sophie", true}, {"Agnès", true}, {"Delphine", true}, {"Pauline", true}, {"Léa", true},
}

// role is a contact's job title, in its masculine and feminine forms.
type role struct{ masculine, feminine string }

func (r role) of(f firstName) string {
	if f.feminine {
		return r.feminine
	}
	return r.masculine
}

// Job titles of contacts.
var (
	roleManager     = role{"Gérant", "Gérante"}
	rolePresident   = role{"Président", "Présidente"}
	roleCEO         = role{"Directeur général", "Directrice générale"}
	roleFrance      = role{"Directeur France", "Directrice France"}
	roleSales       = role{"Responsable commercial", "Responsable commerciale"}
	roleQuality     = role{"Responsable qualité", "Responsable qualité"}
	roleMetrology   = role{"Responsable métrologie", "Responsable métrologie"}
	roleTechnical   = role{"Directeur technique", "Directrice technique"}
	roleAssistant   = role{"Assistant de direction", "Assistante de direction"}
	roleComms       = role{"Chargé de communication", "Chargée de communication"}
	roleBusiness    = role{"Ingénieur d'affaires", "Ingénieure d'affaires"}
	roleDirector    = role{"Directeur", "Directrice"}
	roleIndustry    = role{"Responsable des relations industrielles", "Responsable des relations industrielles"}
	roleMission     = role{"Chargé de mission industrie", "Chargée de mission industrie"}
	roleAdvisor     = role{"Conseiller entreprises", "Conseillère entreprises"}
	roleEditor      = role{"Rédacteur en chef", "Rédactrice en chef"}
	roleAdvertising = role{"Chef de publicité", "Cheffe de publicité"}
)

// contactRoles returns the head role and the other roles of a member's contacts.
func contactRoles(m *domain.Member) (role, []role) {
	switch m.Kind {
	case domain.KindLaboratory:
		return roleDirector, []role{roleIndustry, roleQuality, roleMetrology}
	case domain.KindInstitution:
		return roleDirector, []role{roleMission, roleAdvisor, roleComms}
	case domain.KindMediaPartner:
		return roleEditor, []role{roleAdvertising, roleComms}
	}
	others := []role{roleSales, roleQuality, roleMetrology, roleTechnical, roleAssistant, roleComms, roleBusiness}
	switch m.SizeClass() {
	case domain.SizeMicro:
		return roleManager, others
	case domain.SizeSmall:
		// Half are run by their manager; chosen by name so as to draw nothing.
		return [...]role{roleManager, roleManager, rolePresident, roleCEO}[len(m.Name)%4], others
	}
	if m.ForeignParentCountry != "" {
		return roleFrance, others
	}
	return roleCEO, others
}

// contactCount draws how many contacts a member has: 1 to 3, more for
// bigger organisations.
func (g *generator) contactCount(m *domain.Member) int {
	x := g.r.IntN(100)
	switch {
	case m.Kind == domain.KindLaboratory || m.Kind == domain.KindInstitution:
		return 2 + x%2
	case m.Kind == domain.KindMediaPartner || m.SizeClass() == domain.SizeMicro:
		return 1 + boolInt(x < 40)
	case m.SizeClass() == domain.SizeSmall:
		return 1 + boolInt(x < 75) + boolInt(x < 20)
	}
	return 2 + boolInt(x < 60)
}

// taken reports whether one of cs is named name.
func taken(cs []domain.Contact, name string) bool {
	for _, c := range cs {
		if c.Name == name {
			return true
		}
	}
	return false
}

// boolInt returns 1 for true, 0 for false.
func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// phonePrefixes are the French geographic phone prefixes by region.
var phonePrefixes = map[string]string{
	"Île-de-France":              "+33 1",
	"Bretagne":                   "+33 2",
	"Normandie":                  "+33 2",
	"Pays de la Loire":           "+33 2",
	"Centre-Val de Loire":        "+33 2",
	"Hauts-de-France":            "+33 3",
	"Grand Est":                  "+33 3",
	"Bourgogne-Franche-Comté":    "+33 3",
	"Auvergne-Rhône-Alpes":       "+33 4",
	"Provence-Alpes-Côte d'Azur": "+33 4",
	"Corse":                      "+33 4",
	"Nouvelle-Aquitaine":         "+33 5",
	"Occitanie":                  "+33 5",
	"La Réunion":                 "+262 262",
}

// phone draws a phone number in the member's region, or a mobile one.
func (g *generator) phone(region string) string {
	prefix, ok := phonePrefixes[region]
	if !ok || g.r.IntN(5) == 0 {
		prefix = [...]string{"+33 6", "+33 7"}[g.r.IntN(2)]
	}
	var b strings.Builder
	b.WriteString(prefix)
	for range 4 {
		n := g.r.IntN(100)
		b.WriteByte(' ')
		b.WriteByte(byte('0' + n/10))
		b.WriteByte(byte('0' + n%10))
	}
	return b.String()
}

// contacts draws 1 to 3 fictional contacts per member, in member order,
// with e-mail addresses at the member's website domain.
func (g *generator) contacts(members []domain.DatasetMember) []domain.Contact {
	out := make([]domain.Contact, 0, len(members)*2)
	var email []byte
	for i := range members {
		m := &members[i].Member
		host := strings.TrimPrefix(m.Website, "https://")
		head, others := contactRoles(m)
		n := g.contactCount(m)
		used := [3]int{-1, -1, -1}
		first := len(out)
		for k := range n {
			f, last := pick(g, firstNames), pick(g, familyNames)
			for taken(out[first:], f.name+" "+last) {
				f, last = pick(g, firstNames), pick(g, familyNames)
			}
			r := head
			if k > 0 {
				j := g.r.IntN(len(others))
				for used[1] == j || used[2] == j {
					j = (j + 1) % len(others)
				}
				used[k] = j
				r = others[j]
			}
			email = appendSlug(email[:0], f.name)
			email = append(email, '.')
			email = appendSlug(email, last)
			email = append(email, '@')
			email = append(email, host...)
			c := domain.Contact{
				ID:       int64(len(out) + 1),
				MemberID: m.ID,
				Name:     f.name + " " + last,
				Role:     r.of(f),
				Email:    string(email),
			}
			if g.r.IntN(10) < 8 {
				c.Phone = g.phone(m.Address.Region)
			}
			out = append(out, c)
		}
	}
	return out
}
