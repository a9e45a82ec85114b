package demo

import "grappe/domain"

// profile is what a company does: its main trade, the trades it may add,
// and the words its name and description are built from.
type profile struct {
	weight       int
	primary      string   // main trade code
	extras       []string // trade codes a company may add to the main one
	manufacturer bool     // makes things: founders are chosen among these
	roots        []string // beginnings of coined names, ending in a vowel
	words        []string // trade words for names such as "Capteurs Dubois"
	what         []string // what the company does, after its name, in French
}

// profiles are the kinds of companies of the demo network.
var profiles = []profile{
	{
		weight: 12, primary: "MANUFACTURER.SENSORS", manufacturer: true,
		extras: []string{"MANUFACTURER.PRESSURE_FLOW", "MANUFACTURER.TEMPERATURE_HUMIDITY", "MANUFACTURER.WEIGHING_FORCE", "DISTRIBUTOR", "SERVICE.CALIBRATION"},
		roots:  []string{"Capto", "Senso", "Détecto", "Piézo", "Transdu"},
		words:  []string{"Capteurs", "Sensors"},
		what: []string{
			"conçoit et fabrique des capteurs de force, de déplacement et de vibration",
			"fabrique des capteurs de pression et des transmetteurs industriels",
			"développe des capteurs sur mesure et leur électronique de conditionnement",
			"produit des capteurs de position et des codeurs de haute précision",
		},
	},
	{
		weight: 8, primary: "MANUFACTURER.DIMENSIONAL", manufacturer: true,
		extras: []string{"MANUFACTURER.OPTICAL", "MANUFACTURER.SOFTWARE", "SERVICE.CALIBRATION", "DISTRIBUTOR"},
		roots:  []string{"Métro", "Dimensio", "Palpo", "Cota", "Micro"},
		words:  []string{"Métrologie", "Mesures", "Contrôle Dimensionnel"},
		what: []string{
			"fabrique des instruments de métrologie dimensionnelle : comparateurs, jauges et calibres",
			"conçoit des machines de mesure tridimensionnelle et des palpeurs",
			"réalise des calibres de contrôle et des étalons de longueur",
		},
	},
	{
		weight: 8, primary: "MANUFACTURER.TEMPERATURE_HUMIDITY", manufacturer: true,
		extras: []string{"MANUFACTURER.SENSORS", "SERVICE.CALIBRATION", "MANUFACTURER.SOFTWARE", "DISTRIBUTOR"},
		roots:  []string{"Thermo", "Hygro", "Calori", "Cryo", "Pyro"},
		words:  []string{"Thermique", "Thermométrie", "Hygrométrie"},
		what: []string{
			"conçoit des sondes de température et des enregistreurs de température et d'humidité",
			"fabrique des thermocouples, des sondes Pt100 et des bains d'étalonnage",
			"développe des hygromètres et des capteurs d'humidité de salle propre",
		},
	},
	{
		weight: 8, primary: "MANUFACTURER.PRESSURE_FLOW", manufacturer: true,
		extras: []string{"MANUFACTURER.SENSORS", "SERVICE.CALIBRATION", "INTEGRATOR.AUTOMATION", "DISTRIBUTOR"},
		roots:  []string{"Mano", "Baro", "Débi", "Hydro", "Pneuma"},
		words:  []string{"Manométrie", "Débitmétrie", "Pression"},
		what: []string{
			"fabrique des manomètres, des capteurs de pression et des débitmètres",
			"conçoit des débitmètres d'eau, de gaz et de fluides industriels",
			"produit des transmetteurs de pression et des étalons de pression",
		},
	},
	{
		weight: 7, primary: "MANUFACTURER.ELECTRICAL", manufacturer: true,
		extras: []string{"MANUFACTURER.SOFTWARE", "SERVICE.CALIBRATION", "DISTRIBUTOR", "INTEGRATOR.TEST_SYSTEMS"},
		roots:  []string{"Volta", "Ohmi", "Ampéro", "Électro", "Galva"},
		words:  []string{"Électro-Mesures", "Mesures Électriques"},
		what: []string{
			"conçoit des instruments de mesure électrique : multimètres, pinces et analyseurs de réseau",
			"fabrique des shunts, des résistances étalons et des calibrateurs électriques",
			"développe des enregistreurs de données et des appareils de mesure de la qualité de l'énergie",
		},
	},
	{
		weight: 5, primary: "MANUFACTURER.TEST_BENCHES", manufacturer: true,
		extras: []string{"INTEGRATOR.TEST_SYSTEMS", "MANUFACTURER.SOFTWARE", "SERVICE.MAINTENANCE"},
		roots:  []string{"Testa", "Essa", "Dyna", "Banco"},
		words:  []string{"Bancs d'Essais", "Essais"},
		what: []string{
			"conçoit et réalise des bancs d'essais et de contrôle sur mesure",
			"fabrique des bancs de test de moteurs, de vérins et de composants",
		},
	},
	{
		weight: 6, primary: "MANUFACTURER.SOFTWARE", manufacturer: true,
		extras: []string{"SERVICE.TRAINING", "SERVICE.CONSULTING", "INTEGRATOR.TEST_SYSTEMS"},
		roots:  []string{"Logi", "Data", "Numé", "Digi", "Algo"},
		words:  []string{"Logiciels", "Software"},
		what: []string{
			"édite des logiciels de métrologie : gestion des instruments, des étalonnages et des incertitudes",
			"développe des logiciels d'acquisition et de traitement des mesures",
			"édite un logiciel de suivi métrologique et de calcul d'incertitudes",
		},
	},
	{
		weight: 5, primary: "MANUFACTURER.OPTICAL", manufacturer: true,
		extras: []string{"MANUFACTURER.DIMENSIONAL", "MANUFACTURER.SOFTWARE", "INTEGRATOR.AUTOMATION"},
		roots:  []string{"Opti", "Visio", "Lumi", "Photo", "Spectro"},
		words:  []string{"Optique", "Vision"},
		what: []string{
			"fabrique des systèmes de mesure optique et de vision industrielle",
			"conçoit des spectromètres, des colorimètres et des capteurs optiques",
			"développe des solutions de contrôle par vision et de mesure sans contact",
		},
	},
	{
		weight: 4, primary: "MANUFACTURER.WEIGHING_FORCE", manufacturer: true,
		extras: []string{"MANUFACTURER.SENSORS", "SERVICE.CALIBRATION", "DISTRIBUTOR"},
		roots:  []string{"Ponde", "Tara", "Grava", "Kilo", "Dynamo"},
		words:  []string{"Pesage", "Force"},
		what: []string{
			"fabrique des balances, des capteurs de pesage et des dynamomètres",
			"conçoit des systèmes de pesage industriel et de mesure de couple",
		},
	},
	{
		weight: 7, primary: "INTEGRATOR.TEST_SYSTEMS",
		extras: []string{"MANUFACTURER.TEST_BENCHES", "MANUFACTURER.SOFTWARE", "SERVICE.CONSULTING"},
		roots:  []string{"Intégra", "Systé", "Acqui", "Contro"},
		words:  []string{"Systèmes de Test", "Test & Mesure"},
		what: []string{
			"intègre des systèmes de test et de mesure clés en main",
			"conçoit et intègre des chaînes d'acquisition de mesures d'essais",
		},
	},
	{
		weight: 5, primary: "INTEGRATOR.AUTOMATION",
		extras: []string{"MANUFACTURER.SOFTWARE", "SERVICE.MAINTENANCE", "DISTRIBUTOR"},
		roots:  []string{"Automa", "Régula", "Instrumenta", "Supervi"},
		words:  []string{"Automatismes", "Instrumentation"},
		what: []string{
			"intègre des solutions d'automatisme, de supervision et d'instrumentation",
			"réalise l'instrumentation et le contrôle-commande de lignes de production",
		},
	},
	{
		weight: 10, primary: "DISTRIBUTOR",
		extras: []string{"SERVICE.MAINTENANCE", "SERVICE.CALIBRATION", "SERVICE.TRAINING"},
		roots:  []string{"Instru", "Distri", "Fourni", "Appa", "Techni"},
		words:  []string{"Instruments", "Distribution", "Mesure Diffusion"},
		what: []string{
			"distribue des instruments de mesure et de contrôle de grandes marques",
			"distribue des capteurs, des appareils portables et des consommables de mesure",
			"importe et distribue des instruments de mesure industriels et de laboratoire",
		},
	},
	{
		weight: 8, primary: "SERVICE.CALIBRATION",
		extras: []string{"SERVICE.MAINTENANCE", "SERVICE.TRAINING", "DISTRIBUTOR"},
		roots:  []string{"Étalo", "Cali", "Vérifi", "Réfé", "Traça"},
		words:  []string{"Étalonnage", "Métrologie Services", "Calibration"},
		what: []string{
			"réalise l'étalonnage et la vérification d'instruments de mesure en laboratoire et sur site",
			"propose des prestations d'étalonnage en température, pression et grandeurs électriques",
		},
	},
	{
		weight: 4, primary: "SERVICE.MAINTENANCE",
		extras: []string{"SERVICE.CALIBRATION", "DISTRIBUTOR"},
		roots:  []string{"Répa", "Servi", "Mainte", "Fiabi"},
		words:  []string{"Maintenance", "Réparation Instruments"},
		what: []string{
			"assure la maintenance et la réparation d'instruments de mesure toutes marques",
			"répare, entretient et remet en état les appareils de mesure",
		},
	},
	{
		weight: 3, primary: "SERVICE.CONSULTING",
		extras: []string{"SERVICE.TRAINING", "MANUFACTURER.SOFTWARE"},
		roots:  []string{"Quali", "Forma", "Experti", "Métho"},
		words:  []string{"Conseil", "Formation Métrologie"},
		what: []string{
			"accompagne les industriels en métrologie : conseil, audit et formation",
			"forme les techniciens à la métrologie et au calcul d'incertitudes",
		},
	},
}

// genericRoots begin coined names of any profile.
var genericRoots = []string{"Preci", "Hexa", "Quanti", "Axio", "Tera", "Nano", "Omni", "Véga", "Kappa", "Sigma", "Delta", "Alpha", "Mesu", "Métro"}

// suffixes end coined names.
var suffixes = []string{"nix", "tec", "tronic", "sys", "lab", "metric", "tek", "logic", "dyne", "mat", "scan", "sense", "line", "visée", "ka", "lis"}

// coinedWords are ready-made coined names.
var coinedWords = []string{"Precisium", "Métrologix", "Calibrex", "Mesuralis", "Quantelia", "Vernitech", "Justesse", "Étalonia", "Graduel", "Nonius"}

// qualifiers follow a coined name: "Precisium Systems".
var qualifiers = []string{"Systems", "Instruments", "Technologies", "Solutions", "Industrie", "Ingénierie", "Concept", "Services", "Précision", "Contrôle", "Innovation", "Engineering", "Metrology", "Sensors"}

// bucketQualifiers are regional words for names, per geographic bucket.
var bucketQualifiers = [][]string{
	{"Vexin", "Val-d'Oise", "Oise"},
	{"Île-de-France", "Seine", "Paris"},
	{"Alpes", "Rhône", "Auvergne", "Dauphiné"},
	{"Bourgogne", "Franche-Comté", "Jura"},
	{"Bretagne", "Armor", "Atlantique"},
	{"Loire", "Centre", "Sologne"},
	{"Corse"},
	{"Alsace", "Lorraine", "Champagne", "Rhin"},
	{"Nord", "Picardie", "Flandres", "Opale"},
	{"Normandie", "Seine", "Cotentin"},
	{"Aquitaine", "Atlantique", "Gironde", "Limousin"},
	{"Occitanie", "Garonne", "Pyrénées", "Méditerranée"},
	{"Atlantique", "Loire", "Vendée", "Anjou"},
	{"Provence", "Méditerranée", "Azur", "Alpes"},
	{"Océan Indien", "Réunion"},
}

// regionWithDe gives "de <region>" with the right French article.
var regionWithDe = map[string]string{
	"Auvergne-Rhône-Alpes":       "d'Auvergne-Rhône-Alpes",
	"Bourgogne-Franche-Comté":    "de Bourgogne-Franche-Comté",
	"Bretagne":                   "de Bretagne",
	"Centre-Val de Loire":        "du Centre-Val de Loire",
	"Corse":                      "de Corse",
	"Grand Est":                  "du Grand Est",
	"Hauts-de-France":            "des Hauts-de-France",
	"Île-de-France":              "d'Île-de-France",
	"Normandie":                  "de Normandie",
	"Nouvelle-Aquitaine":         "de Nouvelle-Aquitaine",
	"Occitanie":                  "d'Occitanie",
	"Pays de la Loire":           "des Pays de la Loire",
	"Provence-Alpes-Côte d'Azur": "de Provence-Alpes-Côte d'Azur",
	"La Réunion":                 "de La Réunion",
}

// familyNames are French surnames for names such as "Vernier & Fils".
var familyNames = []string{
	"Dubois", "Martin", "Bernard", "Lefèvre", "Moreau", "Laurent", "Girard", "Rousseau", "Vincent", "Fournier",
	"Morel", "Garnier", "Faure", "Mercier", "Blanc", "Guérin", "Boyer", "Chevalier", "Lambert", "Bonnet",
	"Fontaine", "Roussel", "Caron", "Perrin", "Gauthier", "Lemoine", "Renaud", "Barbier", "Arnaud", "Marchand",
	"Picard", "Roche", "Leroy", "Colin", "Vidal", "Brunet", "Masson", "Dumont", "Aubert", "Rey",
	"Charpentier", "Vernier", "Noël", "Meunier", "Hubert", "Royer", "Lacroix", "Benoît", "Le Gall", "Tessier",
	"Delmas", "Prévost", "Joly", "Gaillard", "Rivière", "Besson", "Collet", "Pasquier", "Hamon", "Le Bihan",
}

// familyForms turn a surname into a company name.
var familyForms = []struct{ before, after string }{
	{"", " & Fils"}, {"", " & Associés"}, {"", " Frères"}, {"Établissements ", ""},
}

// sectors are the markets named in descriptions.
var sectors = []string{
	"l'aéronautique", "l'automobile", "l'industrie agroalimentaire", "l'énergie", "l'industrie pharmaceutique",
	"le ferroviaire", "les laboratoires de recherche", "le bâtiment", "la défense", "l'environnement",
	"le nucléaire", "la santé", "la plasturgie", "le spatial", "la chimie",
}

// companyExtras are optional second sentences of a company description.
var companyExtras = []string{
	"Étalonnage et service après-vente assurés dans ses propres locaux.",
	"Interventions sur site dans toute la France.",
	"Laboratoire d'étalonnage interne accrédité ISO/IEC 17025.",
	"Conseil, installation et formation des utilisateurs.",
	"Certifiée ISO 9001, l'entreprise exporte dans toute l'Europe.",
}

// foreignCountry is a country foreign parent companies come from.
type foreignCountry struct {
	code, adjective string
	weight          int
	surnames, words []string
}

// foreignCountries are the countries of the foreign parents of subsidiaries.
var foreignCountries = []foreignCountry{
	{"DE", "allemand", 28, []string{"Albrecht", "Kessler", "Reinhold", "Winkler", "Falkenberg", "Lindner", "Hartmann"}, []string{"Messtechnik", "Sensorik", "Prüftechnik"}},
	{"US", "américain", 24, []string{"Whitman", "Bradley", "Carver", "Holloway", "Prescott", "Sterling"}, []string{"Instruments", "Measurement", "Test Systems"}},
	{"CH", "suisse", 12, []string{"Brunner", "Gerber", "Zürcher", "Aebi", "Steiner", "Baumann"}, []string{"Präzision", "Messtechnik", "Instruments"}},
	{"GB", "britannique", 10, []string{"Ashford", "Whitley", "Pennington", "Hargreaves", "Blackwood"}, []string{"Instruments", "Metrology", "Controls"}},
	{"JP", "japonais", 9, []string{"Hoshino", "Kaneda", "Morimoto", "Arakawa", "Shimura"}, []string{"Sokki", "Keiki", "Instruments"}},
	{"IT", "italien", 8, []string{"Bellini", "Moretti", "Ferraro", "Galli", "Rinaldi"}, []string{"Strumenti", "Misure", "Metrologia"}},
	{"NL", "néerlandais", 4, []string{"Van Dijk", "De Vries", "Bakker", "Visser"}, []string{"Meettechniek", "Instruments"}},
	{"SE", "suédois", 3, []string{"Lindqvist", "Sandberg", "Ekström", "Holm"}, []string{"Mätteknik", "Instruments"}},
	{"BE", "belge", 2, []string{"Peeters", "Janssens", "Claes", "Wouters"}, []string{"Instruments", "Metrology"}},
}

// special is a named, fictional laboratory, institution or media partner of
// the reference network.
type special struct {
	kind         domain.MemberKind
	name         string
	city, postal string
	year         int // preferred join year
	class        domain.SizeClass
	trades       []string
	sirenFirst   byte   // first SIREN digit of a public body, 0 for a private one
	headcount    [2]int // headcount range inside class, zero for any headcount of the class
	description  string
}

// specials are the named non-company members, in order of priority within
// each kind (a small network keeps the first ones).
var specials = []special{
	{
		kind: domain.KindLaboratory, name: "Laboratoire Central des Étalons et des Essais", city: "Trappes", postal: "78190",
		year: 2004, class: domain.SizeLarge, sirenFirst: '1', headcount: [2]int{650, 800},
		trades:      []string{"LABORATORY.CALIBRATION", "LABORATORY.TESTING"},
		description: "Laboratoire de référence de la métrologie française : il conserve les étalons nationaux, réalise des étalonnages de haut niveau et des essais pour l'industrie.",
	},
	{
		kind: domain.KindLaboratory, name: "Centre Rhodanien d'Essais Thermiques et Aérauliques", city: "Villeurbanne", postal: "69100",
		year: 2011, class: domain.SizeMedium, headcount: [2]int{140, 190},
		trades:      []string{"LABORATORY.TESTING", "LABORATORY.CALIBRATION"},
		description: "Centre technique de la thermique et de l'aéraulique à Lyon : essais de performance des équipements, étalonnage de sondes de température, d'humidité et de débitmètres d'air.",
	},
	{
		kind: domain.KindLaboratory, name: "Laboratoire Armoricain d'Étalonnage", city: "Rennes", postal: "35000",
		year: 2013, class: domain.SizeSmall,
		trades:      []string{"LABORATORY.CALIBRATION"},
		description: "Laboratoire d'étalonnage accrédité en dimensionnel, masse, pression et température pour les industriels de l'Ouest.",
	},
	{
		kind: domain.KindLaboratory, name: "Laboratoire d'Essais Vibratoires Garonne", city: "Blagnac", postal: "31700",
		year: 2015, class: domain.SizeSmall,
		trades:      []string{"LABORATORY.TESTING"},
		description: "Laboratoire d'essais en vibrations, chocs et climatique pour l'aéronautique et le spatial.",
	},
	{
		kind: domain.KindLaboratory, name: "Laboratoire Alpin de Métrologie Électrique", city: "Grenoble", postal: "38000",
		year: 2017, class: domain.SizeSmall,
		trades:      []string{"LABORATORY.CALIBRATION", "LABORATORY.TESTING"},
		description: "Étalonnage des grandeurs électriques, du temps et des fréquences ; essais de compatibilité électromagnétique.",
	},
	{
		kind: domain.KindInstitution, name: "CCI Vexin Île-de-France", city: "Cergy", postal: "95000",
		year: 2003, class: domain.SizeLarge, sirenFirst: '1', headcount: [2]int{280, 420},
		trades:      []string{"INSTITUTION.CHAMBER_OF_COMMERCE"},
		description: "Chambre de commerce et d'industrie : accompagnement des entreprises, formation et animation de réseaux. Elle a soutenu l'animation du réseau à ses débuts.",
	},
	{
		kind: domain.KindInstitution, name: "Communauté d'agglomération des Rives de l'Oise", city: "Cergy", postal: "95000",
		year: 2005, class: domain.SizeLarge, sirenFirst: '2', headcount: [2]int{400, 700},
		trades:      []string{"INSTITUTION.LOCAL_AUTHORITY"},
		description: "Collectivité territoriale chargée du développement économique : accueil des entreprises, immobilier d'activité et soutien à l'innovation.",
	},
	{
		kind: domain.KindInstitution, name: "Collège National de la Mesure", city: "Paris", postal: "75015",
		year: 2008, class: domain.SizeMicro,
		trades:      []string{"INSTITUTION.EDUCATION"},
		description: "Association de métrologues : diffusion des bonnes pratiques de mesure, formation, guides techniques et journées d'étude sur l'étalonnage.",
	},
	{
		kind: domain.KindInstitution, name: "Union Professionnelle des Métiers de la Mesure", city: "Courbevoie", postal: "92400",
		year: 2009, class: domain.SizeSmall,
		trades:      []string{"INSTITUTION.TRADE_UNION"},
		description: "Syndicat professionnel des fabricants et distributeurs d'instruments de mesure : représentation, veille réglementaire et normalisation.",
	},
	{
		kind: domain.KindInstitution, name: "Agence Rhône-Alpes Industrie & Innovation", city: "Lyon", postal: "69003",
		year: 2012, class: domain.SizeSmall, sirenFirst: '2',
		trades:      []string{"INSTITUTION"},
		description: "Agence régionale de développement économique : financement de l'innovation, accompagnement à l'export et mise en relation des PME industrielles.",
	},
	{
		kind: domain.KindInstitution, name: "Syndicat National des Instrumentistes Indépendants", city: "Paris", postal: "75008",
		year: 2014, class: domain.SizeMicro,
		trades:      []string{"INSTITUTION.TRADE_UNION"},
		description: "Syndicat des TPE de l'instrumentation : conditions générales de vente, questions sociales et défense des petites structures.",
	},
	{
		kind: domain.KindInstitution, name: "École Supérieure des Métiers de la Mesure", city: "Orléans", postal: "45000",
		year: 2016, class: domain.SizeSmall,
		trades:      []string{"INSTITUTION.EDUCATION"},
		description: "École d'ingénieurs et de techniciens en mesures physiques, métrologie et instrumentation, en formation initiale et en alternance.",
	},
	{
		kind: domain.KindInstitution, name: "CCI Porte des Alpes", city: "Annecy", postal: "74000",
		year: 2019, class: domain.SizeMedium, sirenFirst: '1',
		trades:      []string{"INSTITUTION.CHAMBER_OF_COMMERCE"},
		description: "Chambre de commerce et d'industrie au service des entreprises du décolletage, de la mécanique de précision et du contrôle.",
	},
	{
		kind: domain.KindMediaPartner, name: "L'Écho de la Mesure", city: "Paris", postal: "75011",
		year: 2012, class: domain.SizeSmall,
		trades:      []string{"MEDIA_PARTNER.TRADE_PRESS"},
		description: "Magazine professionnel de l'instrumentation et de la métrologie : actualités, dossiers techniques et guides d'achat.",
	},
	{
		kind: domain.KindMediaPartner, name: "Instrumentation Aujourd'hui", city: "Boulogne-Billancourt", postal: "92100",
		year: 2013, class: domain.SizeSmall,
		trades:      []string{"MEDIA_PARTNER.TRADE_PRESS"},
		description: "Mensuel des techniques de mesure, d'essai et de contrôle, avec un supplément consacré aux capteurs.",
	},
	{
		kind: domain.KindMediaPartner, name: "Contrôle & Essais Magazine", city: "Lyon", postal: "69007",
		year: 2016, class: domain.SizeMicro,
		trades:      []string{"MEDIA_PARTNER.TRADE_PRESS"},
		description: "Revue des laboratoires d'essais et d'étalonnage : accréditation, incertitudes de mesure et retours d'expérience.",
	},
	{
		kind: domain.KindMediaPartner, name: "Métrologie Pratique", city: "Nantes", postal: "44000",
		year: 2019, class: domain.SizeMicro,
		trades:      []string{"MEDIA_PARTNER"},
		description: "Média en ligne et lettre d'information consacrés aux bonnes pratiques de métrologie, d'étalonnage et de mesure de température.",
	},
}

// kindWeights are the shares of the kinds among ACTIVE members, out of the
// 182 of the reference network: companies, laboratories, institutions, media.
var kindWeights = []int{165, 5, 8, 4}

// kindOrder is the order of kindWeights.
var kindOrder = []domain.MemberKind{domain.KindCompany, domain.KindLaboratory, domain.KindInstitution, domain.KindMediaPartner}
