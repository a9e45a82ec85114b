package domain

import "strings"

// French regions (since 2016) and their departments.
var regionDepartments = map[string][]string{
	"Auvergne-Rhône-Alpes":       {"01", "03", "07", "15", "26", "38", "42", "43", "63", "69", "73", "74"},
	"Bourgogne-Franche-Comté":    {"21", "25", "39", "58", "70", "71", "89", "90"},
	"Bretagne":                   {"22", "29", "35", "56"},
	"Centre-Val de Loire":        {"18", "28", "36", "37", "41", "45"},
	"Corse":                      {"2A", "2B"},
	"Grand Est":                  {"08", "10", "51", "52", "54", "55", "57", "67", "68", "88"},
	"Hauts-de-France":            {"02", "59", "60", "62", "80"},
	"Île-de-France":              {"75", "77", "78", "91", "92", "93", "94", "95"},
	"Normandie":                  {"14", "27", "50", "61", "76"},
	"Nouvelle-Aquitaine":         {"16", "17", "19", "23", "24", "33", "40", "47", "64", "79", "86", "87"},
	"Occitanie":                  {"09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82"},
	"Pays de la Loire":           {"44", "49", "53", "72", "85"},
	"Provence-Alpes-Côte d'Azur": {"04", "05", "06", "13", "83", "84"},
	"Guadeloupe":                 {"971"},
	"Martinique":                 {"972"},
	"Guyane":                     {"973"},
	"La Réunion":                 {"974"},
	"Mayotte":                    {"976"},
}

// departmentRegion maps a department code to its region.
var departmentRegion = func() map[string]string {
	m := make(map[string]string, 101)
	for region, deps := range regionDepartments {
		for _, d := range deps {
			m[d] = region
		}
	}
	return m
}()

// RegionOfDepartment returns the region of a French department code.
func RegionOfDepartment(department string) (string, bool) {
	r, ok := departmentRegion[strings.ToUpper(department)]
	return r, ok
}

// DepartmentsOfRegion returns the department codes of a region.
func DepartmentsOfRegion(region string) []string { return regionDepartments[region] }

// DepartmentOfPostalCode returns the department of a five-digit French
// postal code, or "" when it is not one. Corsica (20xxx) is split at 20200.
func DepartmentOfPostalCode(code string) string {
	if len(code) != 5 || strings.Trim(code, "0123456789") != "" {
		return ""
	}
	var d string
	switch {
	case strings.HasPrefix(code, "97"):
		d = code[:3]
	case strings.HasPrefix(code, "20"):
		if code < "20200" {
			d = "2A"
		} else {
			d = "2B"
		}
	default:
		d = code[:2]
	}
	if _, ok := departmentRegion[d]; !ok {
		return ""
	}
	return d
}

// countryCodes lists the officially assigned ISO 3166-1 alpha-2 codes.
const countryCodes = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
	"CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR " +
	"GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP " +
	"KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT " +
	"MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW " +
	"SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG " +
	"UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW"

// IsCountryCode reports whether s is an assigned ISO 3166-1 alpha-2 code.
func IsCountryCode(s string) bool {
	return len(s) == 2 && strings.Contains(" "+countryCodes+" ", " "+s+" ")
}
