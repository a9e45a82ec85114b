package demo

import "grappe/domain"

// town is a real French town with one of its postal codes and its
// approximate position. weight makes bigger industrial towns likelier.
type town struct {
	City       string
	PostalCode string
	Lat, Lng   float64
	Weight     int

	department, region string
	bucket             int
}

// Geographic buckets: Val d'Oise, the rest of Île-de-France, then one per
// other region, in the order of regionBuckets.
const (
	bucketValDOise = iota
	bucketIleDeFrance
)

// regionBuckets lists the regions outside Île-de-France; bucket i+2 is
// regionBuckets[i].
var regionBuckets = []string{
	"Auvergne-Rhône-Alpes",
	"Bourgogne-Franche-Comté",
	"Bretagne",
	"Centre-Val de Loire",
	"Corse",
	"Grand Est",
	"Hauts-de-France",
	"Normandie",
	"Nouvelle-Aquitaine",
	"Occitanie",
	"Pays de la Loire",
	"Provence-Alpes-Côte d'Azur",
	"La Réunion",
}

// earlyBucketWeights (per mille) place the members who joined before the
// network went national (before 2010): Val d'Oise and the rest of Île-de-France.
var earlyBucketWeights = []int{650, 350}

// lateBucketWeights (per mille) place the members who joined from 2010 on:
// Val d'Oise, rest of Île-de-France, then regionBuckets in order.
var lateBucketWeights = []int{90, 170,
	170, // Auvergne-Rhône-Alpes
	50,  // Bourgogne-Franche-Comté
	45,  // Bretagne
	50,  // Centre-Val de Loire
	3,   // Corse
	60,  // Grand Est
	60,  // Hauts-de-France
	45,  // Normandie
	65,  // Nouvelle-Aquitaine
	70,  // Occitanie
	55,  // Pays de la Loire
	65,  // Provence-Alpes-Côte d'Azur
	2,   // La Réunion
}

// towns is the fixed table of real towns members are placed in.
var towns = []town{
	// Val d'Oise, where the network was born.
	{City: "Cergy", PostalCode: "95000", Lat: 49.0364, Lng: 2.0761, Weight: 5},
	{City: "Pontoise", PostalCode: "95300", Lat: 49.0507, Lng: 2.1008, Weight: 4},
	{City: "Argenteuil", PostalCode: "95100", Lat: 48.9472, Lng: 2.2467, Weight: 3},
	{City: "Saint-Ouen-l'Aumône", PostalCode: "95310", Lat: 49.0436, Lng: 2.1111, Weight: 4},
	{City: "Osny", PostalCode: "95520", Lat: 49.0600, Lng: 2.0630, Weight: 2},
	{City: "Éragny", PostalCode: "95610", Lat: 49.0170, Lng: 2.0920, Weight: 1},
	{City: "Sarcelles", PostalCode: "95200", Lat: 48.9973, Lng: 2.3798, Weight: 2},
	{City: "Gonesse", PostalCode: "95500", Lat: 48.9866, Lng: 2.4496, Weight: 2},
	{City: "Roissy-en-France", PostalCode: "95700", Lat: 49.0036, Lng: 2.5156, Weight: 2},
	{City: "Ermont", PostalCode: "95120", Lat: 48.9900, Lng: 2.2580, Weight: 1},
	{City: "Franconville", PostalCode: "95130", Lat: 48.9886, Lng: 2.2289, Weight: 1},
	{City: "Taverny", PostalCode: "95150", Lat: 49.0264, Lng: 2.2228, Weight: 1},
	{City: "Villiers-le-Bel", PostalCode: "95400", Lat: 49.0088, Lng: 2.3906, Weight: 1},
	{City: "Goussainville", PostalCode: "95190", Lat: 49.0325, Lng: 2.4689, Weight: 1},
	{City: "Eaubonne", PostalCode: "95600", Lat: 48.9922, Lng: 2.2800, Weight: 1},
	{City: "Montmorency", PostalCode: "95160", Lat: 48.9884, Lng: 2.3219, Weight: 1},
	{City: "Beauchamp", PostalCode: "95250", Lat: 49.0139, Lng: 2.1900, Weight: 1},
	{City: "Persan", PostalCode: "95340", Lat: 49.1528, Lng: 2.2719, Weight: 1},
	{City: "L'Isle-Adam", PostalCode: "95290", Lat: 49.1111, Lng: 2.2222, Weight: 1},
	{City: "Bezons", PostalCode: "95870", Lat: 48.9261, Lng: 2.2178, Weight: 1},
	{City: "Herblay-sur-Seine", PostalCode: "95220", Lat: 48.9900, Lng: 2.1650, Weight: 1},
	{City: "Cormeilles-en-Parisis", PostalCode: "95240", Lat: 48.9739, Lng: 2.2014, Weight: 1},
	{City: "Magny-en-Vexin", PostalCode: "95420", Lat: 49.1550, Lng: 1.7864, Weight: 1},
	{City: "Garges-lès-Gonesse", PostalCode: "95140", Lat: 48.9728, Lng: 2.3997, Weight: 1},

	// Rest of Île-de-France.
	{City: "Paris", PostalCode: "75011", Lat: 48.8590, Lng: 2.3800, Weight: 2},
	{City: "Paris", PostalCode: "75013", Lat: 48.8322, Lng: 2.3561, Weight: 2},
	{City: "Paris", PostalCode: "75015", Lat: 48.8412, Lng: 2.3003, Weight: 2},
	{City: "Paris", PostalCode: "75008", Lat: 48.8727, Lng: 2.3125, Weight: 1},
	{City: "Paris", PostalCode: "75012", Lat: 48.8412, Lng: 2.3876, Weight: 1},
	{City: "Paris", PostalCode: "75017", Lat: 48.8835, Lng: 2.3045, Weight: 1},
	{City: "Nanterre", PostalCode: "92000", Lat: 48.8924, Lng: 2.2071, Weight: 2},
	{City: "Boulogne-Billancourt", PostalCode: "92100", Lat: 48.8397, Lng: 2.2399, Weight: 2},
	{City: "Rueil-Malmaison", PostalCode: "92500", Lat: 48.8778, Lng: 2.1803, Weight: 1},
	{City: "Colombes", PostalCode: "92700", Lat: 48.9226, Lng: 2.2522, Weight: 1},
	{City: "Gennevilliers", PostalCode: "92230", Lat: 48.9333, Lng: 2.3000, Weight: 1},
	{City: "Courbevoie", PostalCode: "92400", Lat: 48.8973, Lng: 2.2522, Weight: 1},
	{City: "Clamart", PostalCode: "92140", Lat: 48.8000, Lng: 2.2667, Weight: 1},
	{City: "Le Plessis-Robinson", PostalCode: "92350", Lat: 48.7811, Lng: 2.2633, Weight: 1},
	{City: "Massy", PostalCode: "91300", Lat: 48.7309, Lng: 2.2713, Weight: 2},
	{City: "Saclay", PostalCode: "91400", Lat: 48.7317, Lng: 2.1725, Weight: 2},
	{City: "Orsay", PostalCode: "91400", Lat: 48.6986, Lng: 2.1875, Weight: 1},
	{City: "Palaiseau", PostalCode: "91120", Lat: 48.7145, Lng: 2.2457, Weight: 1},
	{City: "Les Ulis", PostalCode: "91940", Lat: 48.6817, Lng: 2.1697, Weight: 2},
	{City: "Évry-Courcouronnes", PostalCode: "91000", Lat: 48.6290, Lng: 2.4410, Weight: 1},
	{City: "Gif-sur-Yvette", PostalCode: "91190", Lat: 48.7018, Lng: 2.1339, Weight: 1},
	{City: "Trappes", PostalCode: "78190", Lat: 48.7775, Lng: 2.0025, Weight: 2},
	{City: "Versailles", PostalCode: "78000", Lat: 48.8049, Lng: 2.1204, Weight: 1},
	{City: "Montigny-le-Bretonneux", PostalCode: "78180", Lat: 48.7711, Lng: 2.0333, Weight: 1},
	{City: "Vélizy-Villacoublay", PostalCode: "78140", Lat: 48.7826, Lng: 2.1930, Weight: 2},
	{City: "Guyancourt", PostalCode: "78280", Lat: 48.7733, Lng: 2.0739, Weight: 1},
	{City: "Élancourt", PostalCode: "78990", Lat: 48.7840, Lng: 1.9560, Weight: 1},
	{City: "Poissy", PostalCode: "78300", Lat: 48.9290, Lng: 2.0457, Weight: 1},
	{City: "Les Mureaux", PostalCode: "78130", Lat: 48.9913, Lng: 1.9097, Weight: 1},
	{City: "Saint-Germain-en-Laye", PostalCode: "78100", Lat: 48.8989, Lng: 2.0938, Weight: 1},
	{City: "Conflans-Sainte-Honorine", PostalCode: "78700", Lat: 49.0000, Lng: 2.0970, Weight: 1},
	{City: "Saint-Denis", PostalCode: "93200", Lat: 48.9362, Lng: 2.3574, Weight: 1},
	{City: "Montreuil", PostalCode: "93100", Lat: 48.8638, Lng: 2.4485, Weight: 1},
	{City: "Aubervilliers", PostalCode: "93300", Lat: 48.9146, Lng: 2.3821, Weight: 1},
	{City: "Noisy-le-Grand", PostalCode: "93160", Lat: 48.8485, Lng: 2.5526, Weight: 1},
	{City: "Tremblay-en-France", PostalCode: "93290", Lat: 48.9497, Lng: 2.5683, Weight: 1},
	{City: "Le Blanc-Mesnil", PostalCode: "93150", Lat: 48.9386, Lng: 2.4614, Weight: 1},
	{City: "Créteil", PostalCode: "94000", Lat: 48.7904, Lng: 2.4556, Weight: 1},
	{City: "Ivry-sur-Seine", PostalCode: "94200", Lat: 48.8157, Lng: 2.3849, Weight: 1},
	{City: "Vitry-sur-Seine", PostalCode: "94400", Lat: 48.7875, Lng: 2.3928, Weight: 1},
	{City: "Rungis", PostalCode: "94150", Lat: 48.7474, Lng: 2.3494, Weight: 1},
	{City: "Champigny-sur-Marne", PostalCode: "94500", Lat: 48.8171, Lng: 2.5156, Weight: 1},
	{City: "Meaux", PostalCode: "77100", Lat: 48.9601, Lng: 2.8788, Weight: 1},
	{City: "Melun", PostalCode: "77000", Lat: 48.5421, Lng: 2.6554, Weight: 1},
	{City: "Champs-sur-Marne", PostalCode: "77420", Lat: 48.8527, Lng: 2.6027, Weight: 1},
	{City: "Torcy", PostalCode: "77200", Lat: 48.8502, Lng: 2.6508, Weight: 1},
	{City: "Lieusaint", PostalCode: "77127", Lat: 48.6333, Lng: 2.5500, Weight: 1},
	{City: "Chelles", PostalCode: "77500", Lat: 48.8797, Lng: 2.5908, Weight: 1},

	// Auvergne-Rhône-Alpes.
	{City: "Lyon", PostalCode: "69003", Lat: 45.7597, Lng: 4.8514, Weight: 4},
	{City: "Lyon", PostalCode: "69007", Lat: 45.7450, Lng: 4.8420, Weight: 3},
	{City: "Villeurbanne", PostalCode: "69100", Lat: 45.7719, Lng: 4.8902, Weight: 3},
	{City: "Vénissieux", PostalCode: "69200", Lat: 45.6973, Lng: 4.8870, Weight: 1},
	{City: "Villefranche-sur-Saône", PostalCode: "69400", Lat: 45.9897, Lng: 4.7186, Weight: 1},
	{City: "Grenoble", PostalCode: "38000", Lat: 45.1885, Lng: 5.7245, Weight: 3},
	{City: "Meylan", PostalCode: "38240", Lat: 45.2090, Lng: 5.7780, Weight: 1},
	{City: "Saint-Étienne", PostalCode: "42000", Lat: 45.4397, Lng: 4.3872, Weight: 2},
	{City: "Clermont-Ferrand", PostalCode: "63000", Lat: 45.7772, Lng: 3.0870, Weight: 2},
	{City: "Annecy", PostalCode: "74000", Lat: 45.8992, Lng: 6.1294, Weight: 1},
	{City: "Cluses", PostalCode: "74300", Lat: 46.0607, Lng: 6.5797, Weight: 2},
	{City: "Valence", PostalCode: "26000", Lat: 44.9334, Lng: 4.8924, Weight: 1},
	{City: "Chambéry", PostalCode: "73000", Lat: 45.5646, Lng: 5.9178, Weight: 1},
	{City: "Oyonnax", PostalCode: "01100", Lat: 46.2561, Lng: 5.6556, Weight: 1},

	// Bourgogne-Franche-Comté.
	{City: "Dijon", PostalCode: "21000", Lat: 47.3220, Lng: 5.0415, Weight: 2},
	{City: "Besançon", PostalCode: "25000", Lat: 47.2378, Lng: 6.0241, Weight: 3},
	{City: "Belfort", PostalCode: "90000", Lat: 47.6397, Lng: 6.8638, Weight: 1},
	{City: "Montbéliard", PostalCode: "25200", Lat: 47.5100, Lng: 6.7981, Weight: 1},
	{City: "Chalon-sur-Saône", PostalCode: "71100", Lat: 46.7806, Lng: 4.8539, Weight: 1},

	// Bretagne.
	{City: "Rennes", PostalCode: "35000", Lat: 48.1173, Lng: -1.6778, Weight: 3},
	{City: "Brest", PostalCode: "29200", Lat: 48.3904, Lng: -4.4861, Weight: 2},
	{City: "Lannion", PostalCode: "22300", Lat: 48.7326, Lng: -3.4566, Weight: 1},
	{City: "Vannes", PostalCode: "56000", Lat: 47.6582, Lng: -2.7608, Weight: 1},
	{City: "Lorient", PostalCode: "56100", Lat: 47.7483, Lng: -3.3700, Weight: 1},

	// Centre-Val de Loire.
	{City: "Orléans", PostalCode: "45000", Lat: 47.9030, Lng: 1.9093, Weight: 3},
	{City: "Tours", PostalCode: "37000", Lat: 47.3941, Lng: 0.6848, Weight: 2},
	{City: "Bourges", PostalCode: "18000", Lat: 47.0810, Lng: 2.3988, Weight: 1},
	{City: "Chartres", PostalCode: "28000", Lat: 48.4439, Lng: 1.4890, Weight: 1},
	{City: "Blois", PostalCode: "41000", Lat: 47.5861, Lng: 1.3359, Weight: 1},

	// Corse.
	{City: "Ajaccio", PostalCode: "20000", Lat: 41.9192, Lng: 8.7386, Weight: 1},
	{City: "Bastia", PostalCode: "20200", Lat: 42.6970, Lng: 9.4500, Weight: 1},

	// Grand Est.
	{City: "Strasbourg", PostalCode: "67000", Lat: 48.5734, Lng: 7.7521, Weight: 3},
	{City: "Metz", PostalCode: "57000", Lat: 49.1193, Lng: 6.1757, Weight: 2},
	{City: "Nancy", PostalCode: "54000", Lat: 48.6921, Lng: 6.1844, Weight: 2},
	{City: "Reims", PostalCode: "51100", Lat: 49.2583, Lng: 4.0317, Weight: 1},
	{City: "Mulhouse", PostalCode: "68100", Lat: 47.7508, Lng: 7.3359, Weight: 1},
	{City: "Troyes", PostalCode: "10000", Lat: 48.2973, Lng: 4.0744, Weight: 1},

	// Hauts-de-France.
	{City: "Lille", PostalCode: "59000", Lat: 50.6292, Lng: 3.0573, Weight: 3},
	{City: "Villeneuve-d'Ascq", PostalCode: "59650", Lat: 50.6233, Lng: 3.1450, Weight: 2},
	{City: "Amiens", PostalCode: "80000", Lat: 49.8941, Lng: 2.2958, Weight: 1},
	{City: "Compiègne", PostalCode: "60200", Lat: 49.4179, Lng: 2.8261, Weight: 1},
	{City: "Beauvais", PostalCode: "60000", Lat: 49.4300, Lng: 2.0800, Weight: 1},
	{City: "Creil", PostalCode: "60100", Lat: 49.2600, Lng: 2.4750, Weight: 1},
	{City: "Valenciennes", PostalCode: "59300", Lat: 50.3570, Lng: 3.5235, Weight: 1},
	{City: "Arras", PostalCode: "62000", Lat: 50.2910, Lng: 2.7775, Weight: 1},

	// Normandie.
	{City: "Rouen", PostalCode: "76000", Lat: 49.4432, Lng: 1.0999, Weight: 3},
	{City: "Caen", PostalCode: "14000", Lat: 49.1829, Lng: -0.3707, Weight: 2},
	{City: "Le Havre", PostalCode: "76600", Lat: 49.4944, Lng: 0.1079, Weight: 1},
	{City: "Évreux", PostalCode: "27000", Lat: 49.0241, Lng: 1.1508, Weight: 1},
	{City: "Vernon", PostalCode: "27200", Lat: 49.0928, Lng: 1.4853, Weight: 1},
	{City: "Cherbourg-en-Cotentin", PostalCode: "50100", Lat: 49.6337, Lng: -1.6222, Weight: 1},

	// Nouvelle-Aquitaine.
	{City: "Bordeaux", PostalCode: "33000", Lat: 44.8378, Lng: -0.5792, Weight: 3},
	{City: "Mérignac", PostalCode: "33700", Lat: 44.8386, Lng: -0.6436, Weight: 2},
	{City: "Pessac", PostalCode: "33600", Lat: 44.8067, Lng: -0.6311, Weight: 1},
	{City: "Poitiers", PostalCode: "86000", Lat: 46.5802, Lng: 0.3404, Weight: 1},
	{City: "Limoges", PostalCode: "87000", Lat: 45.8336, Lng: 1.2611, Weight: 1},
	{City: "Pau", PostalCode: "64000", Lat: 43.2951, Lng: -0.3708, Weight: 1},
	{City: "La Rochelle", PostalCode: "17000", Lat: 46.1603, Lng: -1.1511, Weight: 1},
	{City: "Niort", PostalCode: "79000", Lat: 46.3237, Lng: -0.4588, Weight: 1},

	// Occitanie.
	{City: "Toulouse", PostalCode: "31000", Lat: 43.6047, Lng: 1.4442, Weight: 4},
	{City: "Blagnac", PostalCode: "31700", Lat: 43.6370, Lng: 1.3900, Weight: 2},
	{City: "Labège", PostalCode: "31670", Lat: 43.5300, Lng: 1.5330, Weight: 1},
	{City: "Montpellier", PostalCode: "34000", Lat: 43.6108, Lng: 3.8767, Weight: 2},
	{City: "Nîmes", PostalCode: "30000", Lat: 43.8367, Lng: 4.3601, Weight: 1},
	{City: "Perpignan", PostalCode: "66000", Lat: 42.6887, Lng: 2.8948, Weight: 1},
	{City: "Albi", PostalCode: "81000", Lat: 43.9289, Lng: 2.1464, Weight: 1},
	{City: "Tarbes", PostalCode: "65000", Lat: 43.2328, Lng: 0.0781, Weight: 1},

	// Pays de la Loire.
	{City: "Nantes", PostalCode: "44000", Lat: 47.2184, Lng: -1.5536, Weight: 4},
	{City: "Saint-Nazaire", PostalCode: "44600", Lat: 47.2735, Lng: -2.2138, Weight: 1},
	{City: "Angers", PostalCode: "49000", Lat: 47.4784, Lng: -0.5632, Weight: 2},
	{City: "Cholet", PostalCode: "49300", Lat: 47.0600, Lng: -0.8790, Weight: 1},
	{City: "Le Mans", PostalCode: "72000", Lat: 48.0061, Lng: 0.1996, Weight: 2},
	{City: "Laval", PostalCode: "53000", Lat: 48.0707, Lng: -0.7734, Weight: 1},
	{City: "La Roche-sur-Yon", PostalCode: "85000", Lat: 46.6705, Lng: -1.4260, Weight: 1},

	// Provence-Alpes-Côte d'Azur.
	{City: "Marseille", PostalCode: "13001", Lat: 43.2999, Lng: 5.3841, Weight: 3},
	{City: "Aix-en-Provence", PostalCode: "13100", Lat: 43.5297, Lng: 5.4474, Weight: 3},
	{City: "Vitrolles", PostalCode: "13127", Lat: 43.4600, Lng: 5.2486, Weight: 1},
	{City: "Nice", PostalCode: "06000", Lat: 43.7102, Lng: 7.2620, Weight: 1},
	{City: "Valbonne", PostalCode: "06560", Lat: 43.6410, Lng: 7.0090, Weight: 2},
	{City: "Toulon", PostalCode: "83000", Lat: 43.1242, Lng: 5.9280, Weight: 1},
	{City: "Avignon", PostalCode: "84000", Lat: 43.9493, Lng: 4.8055, Weight: 1},
	{City: "Manosque", PostalCode: "04100", Lat: 43.8340, Lng: 5.7860, Weight: 1},

	// La Réunion.
	{City: "Saint-Denis", PostalCode: "97400", Lat: -20.8821, Lng: 55.4507, Weight: 1},
}

// bucketTowns lists, per bucket, the indexes of its towns in table order, and
// bucketWeightSum the sum of their weights.
var bucketTowns, bucketWeightSum = func() ([][]int, []int) {
	byBucket := make([][]int, 2+len(regionBuckets))
	sums := make([]int, len(byBucket))
	bucketOf := make(map[string]int, len(regionBuckets))
	for i, r := range regionBuckets {
		bucketOf[r] = i + 2
	}
	for i := range towns {
		t := &towns[i]
		t.department = domain.DepartmentOfPostalCode(t.PostalCode)
		region, ok := domain.RegionOfDepartment(t.department)
		if !ok {
			panic("demo: town " + t.City + " " + t.PostalCode + " has no region")
		}
		t.region = region
		switch {
		case t.department == "95":
			t.bucket = bucketValDOise
		case region == "Île-de-France":
			t.bucket = bucketIleDeFrance
		default:
			b, ok := bucketOf[region]
			if !ok {
				panic("demo: region " + region + " has no bucket")
			}
			t.bucket = b
		}
		byBucket[t.bucket] = append(byBucket[t.bucket], i)
		sums[t.bucket] += t.Weight
	}
	for _, ts := range byBucket {
		if len(ts) == 0 {
			panic("demo: empty geographic bucket")
		}
	}
	return byBucket, sums
}()

// findTown returns the town of the table with that city and postal code.
func findTown(city, postal string) *town {
	for i := range towns {
		if towns[i].City == city && towns[i].PostalCode == postal {
			return &towns[i]
		}
	}
	panic("demo: no town " + city + " " + postal)
}
