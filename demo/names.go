package demo

import (
	"strconv"
	"strings"

	"grappe/domain"
)

// institutionGenre is a sort of generated institution (networks larger than
// the reference one have more institutions than there are named ones).
type institutionGenre struct {
	weight      int
	trade       string
	sirenFirst  byte
	description []string
}

// institutionGenres are the sorts of generated institutions; the name of
// each is built by institutionName.
var institutionGenres = []institutionGenre{
	{weight: 2, trade: "INSTITUTION.CHAMBER_OF_COMMERCE", sirenFirst: '1', description: []string{
		"Chambre de commerce et d'industrie : accompagnement des entreprises, formalités, formation et animation de réseaux.",
		"Chambre de commerce et d'industrie au service des PME industrielles : export, recrutement et transmission d'entreprise.",
	}},
	{weight: 2, trade: "INSTITUTION.LOCAL_AUTHORITY", sirenFirst: '2', description: []string{
		"Collectivité territoriale chargée du développement économique : accueil des entreprises et soutien à l'innovation.",
		"Intercommunalité qui accompagne l'implantation des entreprises industrielles et finance des plateformes technologiques.",
	}},
	{weight: 2, trade: "INSTITUTION.TRADE_UNION", description: []string{
		"Syndicat professionnel des métiers de la mesure : représentation, veille réglementaire et normalisation.",
		"Organisation professionnelle des TPE et PME de l'instrumentation : conditions générales de vente et questions sociales.",
	}},
	{weight: 1, trade: "INSTITUTION.EDUCATION", description: []string{
		"Formation de techniciens et d'ingénieurs en mesures physiques, métrologie et instrumentation.",
		"Centre de formation continue en métrologie, étalonnage et calcul d'incertitudes.",
	}},
	{weight: 1, trade: "INSTITUTION", description: []string{
		"Agence de développement économique : financement de l'innovation et mise en relation des entreprises industrielles.",
		"Technopole qui héberge et accompagne des jeunes entreprises de l'instrumentation et des capteurs.",
	}},
}

// institutionGenreTotal is the sum of the institution genre weights.
var institutionGenreTotal = func() int {
	t := 0
	for _, x := range institutionGenres {
		t += x.weight
	}
	return t
}()

// quantities are what calibration laboratories calibrate.
var quantities = []string{"température", "pression", "masse", "dimensionnel", "grandeurs électriques", "humidité", "débit", "force et couple", "temps et fréquence"}

// testKinds are what testing laboratories test.
var testKinds = []string{"climatiques et mécaniques", "en vibrations et chocs", "de compatibilité électromagnétique", "sur les matériaux", "d'étanchéité et de pression"}

// assignNames gives every member a unique name and its website slug. The
// named specials are reserved first so that no generated name takes theirs.
func (g *generator) assignNames(slots []slot) {
	for i := range slots {
		if sp := slots[i].special; sp != nil {
			slug, ok := g.reserve(sp.name)
			if !ok {
				panic("demo: duplicate special name " + sp.name)
			}
			slots[i].name, slots[i].slug = sp.name, slug
		}
	}
	for i := range slots {
		s := &slots[i]
		if s.special != nil {
			continue
		}
		var candidate func() string
		switch s.kind {
		case domain.KindCompany:
			candidate = func() string { return g.companyName(s) }
		case domain.KindLaboratory:
			candidate = func() string { return g.labName(s) }
		case domain.KindInstitution:
			candidate = func() string { return g.institutionName(s) }
		default:
			candidate = func() string { return g.mediaName(s) }
		}
		s.name, s.slug = g.uniqueName(candidate, s.town.City)
	}
}

// uniqueName draws candidates until one is free; when the parts run out it
// appends the member's town, then a number.
func (g *generator) uniqueName(candidate func() string, city string) (string, string) {
	for range 4 {
		name := candidate()
		if slug, ok := g.reserve(name); ok {
			return name, slug
		}
	}
	base := candidate()
	if !strings.Contains(base, city) {
		base += " " + city
		if slug, ok := g.reserve(base); ok {
			return base, slug
		}
	}
	for k := 2; ; k++ {
		name := base + " " + strconv.Itoa(k)
		if slug, ok := g.reserve(name); ok {
			return name, slug
		}
	}
}

// reserve records a name's slug and reports whether it was free. Names are
// unique through their slugs, so websites are unique too. Slugs are compared
// by a 64-bit FNV-1a hash: a collision, however unlikely, only rejects a
// free name, never accepts a taken one.
func (g *generator) reserve(name string) (string, bool) {
	g.buf = appendSlug(g.buf[:0], name)
	h := uint64(14695981039346656037)
	for _, c := range g.buf {
		h ^= uint64(c)
		h *= 1099511628211
	}
	if _, taken := g.slugs[h]; taken {
		return "", false
	}
	g.slugs[h] = struct{}{}
	return string(g.buf), true
}

// coined builds a coined name such as "Métronix" from a profile's roots or
// the generic ones.
func (g *generator) coined(p *profile) string {
	if g.r.IntN(8) == 0 {
		return pick(g, coinedWords)
	}
	root := pick(g, genericRoots)
	if p != nil && g.r.IntN(10) < 7 {
		root = pick(g, p.roots)
	}
	return root + pick(g, suffixes)
}

// regional returns a regional word for a town: "Vexin", "Atlantique"...
func (g *generator) regional(t *town) string { return pick(g, bucketQualifiers[t.bucket]) }

// companyName draws a company name candidate.
func (g *generator) companyName(s *slot) string {
	p := s.profile
	if f := s.foreign; f != nil {
		if g.r.IntN(2) == 0 {
			return pick(g, f.surnames) + " " + pick(g, f.words) + " France"
		}
		return g.coined(p) + " " + pick(g, qualifiers) + " France"
	}
	switch x := g.r.IntN(100); {
	case x < 20:
		return g.coined(p)
	case x < 25:
		return g.coined(p) + " " + g.regional(s.town)
	case x < 45:
		return g.coined(p) + " " + pick(g, qualifiers)
	case x < 55:
		return pick(g, p.roots) + "-Mesure " + g.regional(s.town)
	case x < 70:
		return pick(g, p.words) + " " + pick(g, familyNames)
	case x < 80:
		f := pick(g, familyForms)
		return f.before + pick(g, familyNames) + f.after
	default:
		return g.acronym() + " " + pick(g, append(p.words[:len(p.words):len(p.words)], qualifiers...))
	}
}

// acronym draws three capital letters, mostly consonants, avoiding a few
// unfortunate ones.
func (g *generator) acronym() string {
	const letters = "ABCDEFGHILMNOPRSTV"
	for {
		a := string([]byte{letters[g.r.IntN(len(letters))], letters[g.r.IntN(len(letters))], letters[g.r.IntN(len(letters))]})
		if a[0] != a[1] && a[1] != a[2] && !strings.Contains(" FDP NTM LOL PQ ", a) {
			return a
		}
	}
}

// labName draws a laboratory name candidate.
func (g *generator) labName(s *slot) string {
	switch g.r.IntN(5) {
	case 0:
		return "Laboratoire d'Étalonnage " + ofTown(s.town.City)
	case 1:
		return "Centre d'Essais " + g.regional(s.town)
	case 2:
		return "Laboratoire de Métrologie " + g.coined(nil)
	case 3:
		return g.coined(nil) + " Essais & Étalonnage"
	default:
		return "Laboratoire " + pick(g, familyNames)
	}
}

// institutionName draws a name candidate for an institution of its genre.
func (g *generator) institutionName(s *slot) string {
	switch institutionGenres[s.genre].trade {
	case "INSTITUTION.CHAMBER_OF_COMMERCE":
		return "CCI " + g.regional(s.town) + " " + pick(g, []string{"Entreprises", "Industrie", "Territoires", "Métropole"})
	case "INSTITUTION.LOCAL_AUTHORITY":
		return "Communauté d'agglomération " + pick(g, []string{"des Rives", "des Coteaux", "du Plateau", "des Vallées", "du Pays"}) + " " + ofTown(s.town.City)
	case "INSTITUTION.TRADE_UNION":
		return pick(g, []string{"Syndicat de la Mesure ", "Union des Industriels de la Mesure ", "Chambre Syndicale de l'Instrumentation "}) + regionWithDe[s.town.region]
	case "INSTITUTION.EDUCATION":
		return pick(g, []string{"Institut des Métiers de la Mesure ", "Centre de Formation en Métrologie "}) + ofTown(s.town.City)
	default:
		return pick(g, []string{"Agence de Développement Économique ", "Technopole de la Mesure "}) + ofTown(s.town.City)
	}
}

// mediaName draws a media partner name candidate.
func (g *generator) mediaName(s *slot) string {
	switch g.r.IntN(5) {
	case 0:
		return g.coined(nil) + " Magazine"
	case 1:
		return "La Lettre de la Mesure " + regionWithDe[s.town.region]
	case 2:
		return "Revue " + g.coined(nil)
	case 3:
		return g.coined(nil) + " Hebdo"
	default:
		return "Mesures " + g.regional(s.town) + " Infos"
	}
}

// description writes one or two French sentences on what a member does.
func (g *generator) description(s *slot) string {
	if s.special != nil {
		return s.special.description
	}
	switch s.kind {
	case domain.KindLaboratory:
		return g.labDescription(s)
	case domain.KindInstitution:
		return pick(g, institutionGenres[s.genre].description)
	case domain.KindMediaPartner:
		if s.trades[0] == "MEDIA_PARTNER" {
			return "Média en ligne et lettre d'information sur la mesure, les capteurs et l'étalonnage, pour " + pick(g, sectors) + " et l'industrie."
		}
		return "Presse professionnelle de l'instrumentation : actualités, essais de matériels et dossiers sur la métrologie, la température et les capteurs."
	}
	var b strings.Builder
	p := s.profile
	b.WriteString(s.name)
	b.WriteByte(' ')
	b.WriteString(pick(g, p.what))
	b.WriteString(" pour ")
	first := g.r.IntN(len(sectors))
	b.WriteString(sectors[first])
	if g.r.IntN(10) < 4 {
		second := (first + 1 + g.r.IntN(len(sectors)-1)) % len(sectors)
		b.WriteString(" et ")
		b.WriteString(sectors[second])
	}
	b.WriteByte('.')
	switch {
	case s.founder:
		b.WriteString(" Membre fondateur du réseau en 2002.")
	case s.foreign != nil:
		b.WriteString(" Filiale française d'un groupe ")
		b.WriteString(s.foreign.adjective)
		b.WriteString(" : vente, installation et service après-vente en France.")
	default:
		switch x := g.r.IntN(10); {
		case x < 3:
			founded := max(1950, s.joined.Year()-1-g.r.IntN(40))
			b.WriteString(" Entreprise fondée en ")
			b.WriteString(strconv.Itoa(founded))
			b.WriteString(", implantée ")
			b.WriteString(atTown(s.town.City))
			b.WriteByte('.')
		case x < 6:
			b.WriteByte(' ')
			b.WriteString(pick(g, companyExtras))
		}
	}
	return b.String()
}

// labDescription describes a generated laboratory from its trades.
func (g *generator) labDescription(s *slot) string {
	var parts []string
	for _, t := range s.trades {
		switch t {
		case "LABORATORY.CALIBRATION":
			a := g.r.IntN(len(quantities))
			b := (a + 1 + g.r.IntN(len(quantities)-1)) % len(quantities)
			parts = append(parts, "Laboratoire d'étalonnage accrédité ISO/IEC 17025 en "+quantities[a]+" et "+quantities[b]+".")
		case "LABORATORY.TESTING":
			parts = append(parts, "Essais "+pick(g, testKinds)+" pour "+pick(g, sectors)+".")
		}
	}
	return strings.Join(parts, " ")
}

// ofTown returns "de <town>" with French elision and contraction.
func ofTown(city string) string {
	switch {
	case strings.HasPrefix(city, "Le "):
		return "du " + city[3:]
	case strings.HasPrefix(city, "Les "):
		return "des " + city[4:]
	case startsWithVowel(city):
		return "d'" + city
	}
	return "de " + city
}

// atTown returns "à <town>" with French contraction.
func atTown(city string) string {
	switch {
	case strings.HasPrefix(city, "Le "):
		return "au " + city[3:]
	case strings.HasPrefix(city, "Les "):
		return "aux " + city[4:]
	}
	return "à " + city
}

// startsWithVowel reports whether s starts with a vowel (accented or not).
func startsWithVowel(s string) bool {
	for _, r := range s {
		return strings.ContainsRune("AEIOUYÉÈÊÎÔÂaeiouyéèêîôâ", r)
	}
	return false
}

// slugify turns a name into an ASCII host label: lower case, accents
// removed, other characters as single hyphens.
func slugify(name string) string { return string(appendSlug(nil, name)) }

// appendSlug appends the slug of name to b.
func appendSlug(b []byte, name string) []byte {
	hyphen := false
	for _, r := range name {
		var s string
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
		case r >= 'A' && r <= 'Z':
			r += 'a' - 'A'
		case r < 0x80:
			hyphen = len(b) > 0
			continue
		default:
			s = foldAccent(r)
			if s == "" {
				hyphen = len(b) > 0
				continue
			}
		}
		if hyphen {
			b = append(b, '-')
			hyphen = false
		}
		if s != "" {
			b = append(b, s...)
		} else {
			b = append(b, byte(r))
		}
	}
	return b
}

// foldAccent returns the lower-case ASCII letters for a non-ASCII letter of
// French and neighbouring languages, "" for anything else.
func foldAccent(r rune) string {
	switch r {
	case 'à', 'â', 'ä', 'á', 'À', 'Â', 'Ä', 'Á':
		return "a"
	case 'é', 'è', 'ê', 'ë', 'É', 'È', 'Ê', 'Ë':
		return "e"
	case 'î', 'ï', 'í', 'Î', 'Ï', 'Í':
		return "i"
	case 'ô', 'ö', 'ó', 'Ô', 'Ö', 'Ó':
		return "o"
	case 'ù', 'û', 'ü', 'ú', 'Ù', 'Û', 'Ü', 'Ú':
		return "u"
	case 'ç', 'Ç':
		return "c"
	case 'ÿ', 'Ÿ':
		return "y"
	case 'œ', 'Œ':
		return "oe"
	case 'æ', 'Æ':
		return "ae"
	case 'ß':
		return "ss"
	}
	return ""
}

// newSIREN draws a unique SIREN: eight digits and a Luhn check digit. Public
// bodies start with 1 or 2, companies and associations with 3 to 9.
func (g *generator) newSIREN(s *slot) string {
	first := byte(0)
	switch {
	case s.special != nil:
		first = s.special.sirenFirst
	case s.kind == domain.KindInstitution:
		first = institutionGenres[s.genre].sirenFirst
	}
	var d [9]byte
	for {
		d[0] = first
		if first == 0 {
			d[0] = byte('3' + g.r.IntN(7))
		}
		for i := 1; i < 8; i++ {
			d[i] = byte('0' + g.r.IntN(10))
		}
		d[8] = luhnCheckDigit(d[:8])
		siren := string(d[:])
		if _, taken := g.siren[siren]; !taken {
			g.siren[siren] = struct{}{}
			return siren
		}
	}
}

// luhnCheckDigit returns the digit that makes payload followed by it pass
// the Luhn checksum.
func luhnCheckDigit(payload []byte) byte {
	sum := 0
	for i := range len(payload) {
		d := int(payload[len(payload)-1-i] - '0')
		if i%2 == 0 { // doubled once the check digit is appended
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return byte('0' + (10-sum%10)%10)
}
