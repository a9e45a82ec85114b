package demo

import (
	"cmp"
	"slices"

	"grappe/domain"
)

// complement is a complementarity of the fixed taxonomy. The business it
// leads to reads from provider to client: the distributor distributes the
// manufacturer's products, the component maker supplies the instrument maker,
// the laboratory calibrates for the manufacturer.
type complement struct {
	provider, client string // trade codes
	kind             domain.ComplementKind
	description      string
}

// manufacturers are the sub-trades of MANUFACTURER.
var manufacturers = []string{
	"MANUFACTURER.SENSORS", "MANUFACTURER.DIMENSIONAL", "MANUFACTURER.TEMPERATURE_HUMIDITY",
	"MANUFACTURER.PRESSURE_FLOW", "MANUFACTURER.ELECTRICAL", "MANUFACTURER.TEST_BENCHES",
	"MANUFACTURER.SOFTWARE", "MANUFACTURER.OPTICAL", "MANUFACTURER.WEIGHING_FORCE",
}

// complementTable lists the complementarities of the demo taxonomy, built
// from complementGroups.
var complementTable = func() []complement {
	var out []complement
	for _, cg := range complementGroups {
		for _, p := range cg.providers {
			for _, c := range cg.clients {
				out = append(out, complement{provider: p, client: c, kind: cg.kind, description: cg.description})
			}
		}
	}
	return out
}()

// complementGroups are the complementarities, grouped by what they mean.
var complementGroups = []struct {
	providers, clients []string
	kind               domain.ComplementKind
	description        string
}{
	{[]string{"DISTRIBUTOR"}, manufacturers, domain.ComplementDistribution,
		"distributors sell what manufacturers make"},
	{[]string{"MANUFACTURER.SENSORS", "MANUFACTURER.ELECTRICAL", "MANUFACTURER.PRESSURE_FLOW", "MANUFACTURER.TEMPERATURE_HUMIDITY",
		"MANUFACTURER.TEST_BENCHES", "MANUFACTURER.SOFTWARE", "MANUFACTURER.OPTICAL", "MANUFACTURER.WEIGHING_FORCE"},
		[]string{"INTEGRATOR.TEST_SYSTEMS"}, domain.ComplementIntegration,
		"integrates what manufacturers make into test and measurement systems"},
	{[]string{"MANUFACTURER.SENSORS", "MANUFACTURER.PRESSURE_FLOW", "MANUFACTURER.TEMPERATURE_HUMIDITY",
		"MANUFACTURER.OPTICAL", "MANUFACTURER.WEIGHING_FORCE", "MANUFACTURER.SOFTWARE"},
		[]string{"INTEGRATOR.AUTOMATION"}, domain.ComplementIntegration,
		"integrates what manufacturers make into automation and supervision"},
	{[]string{"MANUFACTURER.SENSORS"}, []string{"MANUFACTURER.TEST_BENCHES", "MANUFACTURER.WEIGHING_FORCE",
		"MANUFACTURER.PRESSURE_FLOW", "MANUFACTURER.TEMPERATURE_HUMIDITY", "MANUFACTURER.DIMENSIONAL"},
		domain.ComplementSupply, "sensor makers supply the components of other instruments"},
	{[]string{"MANUFACTURER.SOFTWARE"}, []string{"MANUFACTURER.DIMENSIONAL", "MANUFACTURER.TEST_BENCHES",
		"MANUFACTURER.OPTICAL", "MANUFACTURER.ELECTRICAL"},
		domain.ComplementSupply, "software shipped with instruments"},
	{[]string{"MANUFACTURER.OPTICAL"}, []string{"MANUFACTURER.DIMENSIONAL"},
		domain.ComplementSupply, "optical heads and vision for dimensional instruments"},
	{[]string{"MANUFACTURER.ELECTRICAL", "MANUFACTURER.PRESSURE_FLOW"}, []string{"MANUFACTURER.TEST_BENCHES"},
		domain.ComplementSupply, "instruments built into test benches"},
	{[]string{"LABORATORY.CALIBRATION"}, []string{"MANUFACTURER.SENSORS", "MANUFACTURER.DIMENSIONAL",
		"MANUFACTURER.TEMPERATURE_HUMIDITY", "MANUFACTURER.PRESSURE_FLOW", "MANUFACTURER.ELECTRICAL", "MANUFACTURER.WEIGHING_FORCE"},
		domain.ComplementService, "calibrates manufacturers' instruments and reference standards"},
	{[]string{"LABORATORY.CALIBRATION"}, []string{"SERVICE.CALIBRATION"},
		domain.ComplementService, "traceability of calibration services to national standards"},
	{[]string{"LABORATORY.TESTING"}, []string{"MANUFACTURER.SENSORS", "MANUFACTURER.TEST_BENCHES",
		"MANUFACTURER.ELECTRICAL", "MANUFACTURER.OPTICAL"},
		domain.ComplementService, "tests and qualifies manufacturers' products"},
	{[]string{"SERVICE.CALIBRATION"}, []string{"DISTRIBUTOR", "INTEGRATOR.AUTOMATION", "MANUFACTURER.TEMPERATURE_HUMIDITY",
		"MANUFACTURER.PRESSURE_FLOW", "MANUFACTURER.DIMENSIONAL", "MANUFACTURER.ELECTRICAL", "MANUFACTURER.WEIGHING_FORCE"},
		domain.ComplementService, "calibrates, on site or in the lab, the instruments others sell or install"},
	{[]string{"SERVICE.MAINTENANCE"}, []string{"DISTRIBUTOR", "INTEGRATOR.AUTOMATION", "INTEGRATOR.TEST_SYSTEMS", "MANUFACTURER.TEST_BENCHES"},
		domain.ComplementService, "maintains and repairs the equipment others sell or install"},
	{[]string{"SERVICE.TRAINING"}, []string{"MANUFACTURER.SOFTWARE", "DISTRIBUTOR", "LABORATORY.CALIBRATION"},
		domain.ComplementService, "trains the users of what others make, sell or calibrate"},
	{[]string{"SERVICE.CONSULTING"}, []string{"INTEGRATOR.TEST_SYSTEMS", "LABORATORY.TESTING", "MANUFACTURER.SOFTWARE"},
		domain.ComplementService, "engineering and metrology advice for others' projects"},
	{[]string{"INSTITUTION.EDUCATION"}, []string{"SERVICE.TRAINING"},
		domain.ComplementService, "schools and trainers share courses and trainees"},
	{[]string{"MEDIA_PARTNER.TRADE_PRESS"}, append([]string{"DISTRIBUTOR"}, manufacturers...),
		domain.ComplementService, "the trade press publicises what members make and sell"},
}

// complementsByPair indexes complementTable by ordered pair of trade IDs
// (provider, client), both 1-based.
var complementsByPair = func() [][][]int {
	n := len(taxonomy) + 1
	idx := make([][][]int, n)
	for i := range idx {
		idx[i] = make([][]int, n)
	}
	for k, c := range complementTable {
		p, q := tradeID(c.provider), tradeID(c.client)
		if p == q {
			panic("demo: trade " + c.provider + " complements itself")
		}
		for _, other := range append(slices.Clone(idx[p][q]), idx[q][p]...) {
			if complementTable[other].kind == c.kind {
				panic("demo: duplicate complement " + c.provider + " " + c.client)
			}
		}
		idx[p][q] = append(idx[p][q], k)
	}
	return idx
}()

// complementMasks gives, for each trade ID, the bit set of the trade IDs
// that complement it, either way.
var complementMasks = func() []uint64 {
	if len(taxonomy) >= 64 {
		panic("demo: too many trades for a bit set")
	}
	masks := make([]uint64, len(taxonomy)+1)
	for _, c := range complementTable {
		p, q := tradeID(c.provider), tradeID(c.client)
		masks[p] |= 1 << q
		masks[q] |= 1 << p
	}
	return masks
}()

// complements returns the complementarities as stored: the lower trade ID
// first, ordered by the pair and kind.
func complements() []domain.TradeComplement {
	out := make([]domain.TradeComplement, 0, len(complementTable))
	for _, c := range complementTable {
		a, b := tradeID(c.provider), tradeID(c.client)
		out = append(out, domain.TradeComplement{TradeID: min(a, b), OtherID: max(a, b), Kind: c.kind, Description: c.description})
	}
	slices.SortFunc(out, func(x, y domain.TradeComplement) int {
		return cmp.Or(cmp.Compare(x.TradeID, y.TradeID), cmp.Compare(x.OtherID, y.OtherID), cmp.Compare(x.Kind, y.Kind))
	})
	return out
}
