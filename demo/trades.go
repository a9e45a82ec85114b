package demo

import (
	"slices"
	"strings"

	"grappe/domain"
)

// tradeTable is the fixed trade taxonomy of the demo network. A code's parent
// is the code before its last dot. Foreign subsidiary is deliberately absent:
// it is Member.ForeignParentCountry, not a trade.
var tradeTable = []struct{ code, en, fr string }{
	{"MANUFACTURER", "Manufacturer", "Fabricant"},
	{"MANUFACTURER.SENSORS", "Sensors", "Capteurs"},
	{"MANUFACTURER.DIMENSIONAL", "Dimensional metrology", "Métrologie dimensionnelle"},
	{"MANUFACTURER.TEMPERATURE_HUMIDITY", "Temperature & humidity", "Température et humidité"},
	{"MANUFACTURER.PRESSURE_FLOW", "Pressure & flow", "Pression et débit"},
	{"MANUFACTURER.ELECTRICAL", "Electrical measurement", "Mesure électrique"},
	{"MANUFACTURER.TEST_BENCHES", "Test benches", "Bancs d'essais"},
	{"MANUFACTURER.SOFTWARE", "Software for metrology", "Logiciels de métrologie"},
	{"MANUFACTURER.OPTICAL", "Optical measurement & vision", "Mesure optique et vision"},
	{"MANUFACTURER.WEIGHING_FORCE", "Weighing & force", "Pesage et force"},
	{"INTEGRATOR", "Integrator", "Intégrateur"},
	{"INTEGRATOR.TEST_SYSTEMS", "Test & measurement systems", "Systèmes de test et de mesure"},
	{"INTEGRATOR.AUTOMATION", "Automation & supervision", "Automatisme et supervision"},
	{"DISTRIBUTOR", "Distributor", "Distributeur"},
	{"SERVICE", "Service provider", "Prestataire de services"},
	{"SERVICE.CALIBRATION", "Calibration & verification services", "Prestations d'étalonnage et de vérification"},
	{"SERVICE.MAINTENANCE", "Maintenance & repair", "Maintenance et réparation"},
	{"SERVICE.TRAINING", "Training", "Formation"},
	{"SERVICE.CONSULTING", "Consulting & engineering", "Conseil et ingénierie"},
	{"LABORATORY", "Laboratory", "Laboratoire"},
	{"LABORATORY.CALIBRATION", "Calibration laboratory", "Laboratoire d'étalonnage"},
	{"LABORATORY.TESTING", "Testing laboratory", "Laboratoire d'essais"},
	{"INSTITUTION", "Institution", "Institution"},
	{"INSTITUTION.CHAMBER_OF_COMMERCE", "Chamber of commerce", "Chambre de commerce et d'industrie"},
	{"INSTITUTION.TRADE_UNION", "Trade union", "Syndicat professionnel"},
	{"INSTITUTION.LOCAL_AUTHORITY", "Local authority", "Collectivité territoriale"},
	{"INSTITUTION.EDUCATION", "Education & research", "Enseignement et recherche"},
	{"MEDIA_PARTNER", "Media partner", "Partenaire média"},
	{"MEDIA_PARTNER.TRADE_PRESS", "Trade press", "Presse professionnelle"},
}

// tradeDepth returns the depth of a trade code, 0 for a root.
func tradeDepth(code string) int { return strings.Count(code, ".") }

// tradeParent returns the parent code of a trade code, "" for a root.
func tradeParent(code string) string {
	if i := strings.LastIndexByte(code, '.'); i >= 0 {
		return code[:i]
	}
	return ""
}

// taxonomy is the trade table ordered roots first, then by depth and code
// (the order of domain.TradeService), with IDs 1..n in that order.
var taxonomy, tradeIDs = func() ([]domain.Trade, map[string]int64) {
	rows := slices.Clone(tradeTable)
	slices.SortStableFunc(rows, func(a, b struct{ code, en, fr string }) int {
		if d := tradeDepth(a.code) - tradeDepth(b.code); d != 0 {
			return d
		}
		return strings.Compare(a.code, b.code)
	})
	ids := make(map[string]int64, len(rows))
	trades := make([]domain.Trade, len(rows))
	for i, r := range rows {
		id := int64(i + 1)
		ids[r.code] = id
		trades[i] = domain.Trade{ID: id, Code: r.code, NameEN: r.en, NameFR: r.fr}
		if p := tradeParent(r.code); p != "" {
			pid, ok := ids[p]
			if !ok {
				panic("demo: trade " + r.code + " has no parent " + p)
			}
			trades[i].ParentID = &pid
		}
	}
	return trades, ids
}()

// tradeID returns the ID of a trade code of the taxonomy.
func tradeID(code string) int64 {
	id, ok := tradeIDs[code]
	if !ok {
		panic("demo: unknown trade code " + code)
	}
	return id
}

// cloneTrades returns a fresh copy of the taxonomy that the caller may modify.
func cloneTrades() []domain.Trade {
	out := make([]domain.Trade, len(taxonomy))
	for i, t := range taxonomy {
		out[i] = t
		if t.ParentID != nil {
			p := *t.ParentID
			out[i].ParentID = &p
		}
	}
	return out
}
