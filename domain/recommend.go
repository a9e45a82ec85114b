package domain

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
)

// Weights of the partner recommendation score (the formula is written in
// the schema, on Member.recommendedPartners):
//
//	score = 3 × min(complementary trade pairs, 2)
//	      + 2 × Adamic–Adar index over common partners (Σ 1/ln(degree(z)))
//	      + 1.5 × working groups both are current participants of
//	      + 0.5 × same region
const (
	RecommendComplementWeight = 3.0
	RecommendComplementCap    = 2
	RecommendCommonWeight     = 2.0
	RecommendGroupWeight      = 1.5
	RecommendRegionWeight     = 0.5
	// MaxRecommendations bounds recommendedPartners' first.
	MaxRecommendations = 50
	// DefaultRecommendations is recommendedPartners' default first.
	DefaultRecommendations = 10
)

// RecommendationReasonKind says why a member is recommended.
type RecommendationReasonKind string

// Reason kinds, in the order a recommendation lists them.
const (
	ReasonComplementaryTrade RecommendationReasonKind = "COMPLEMENTARY_TRADE"
	ReasonCommonPartners     RecommendationReasonKind = "COMMON_PARTNERS"
	ReasonSharedGroup        RecommendationReasonKind = "SHARED_GROUP"
	ReasonSameRegion         RecommendationReasonKind = "SAME_REGION"
)

// RecommendationReason is one reason for a recommendation, with a readable
// English detail.
type RecommendationReason struct {
	Kind   RecommendationReasonKind
	Detail string
}

// Recommendation is a member recommended as a partner, its score and why.
type Recommendation struct {
	MemberID int64
	Score    float64
	Reasons  []*RecommendationReason
}

// ComplementMatch is one of a member's trades and one of a candidate's
// trades that complement each other.
type ComplementMatch struct {
	Candidate    int64
	TradeID      int64  // the member's trade
	TradeName    string // its English name
	OtherTradeID int64  // the candidate's trade
	OtherName    string // its English name
	Kind         ComplementKind
	Description  string // the complement's description, "" when none
}

// CommonPartner is a partner a member shares with a candidate, with its own
// number of partners (its degree in the network graph).
type CommonPartner struct {
	ID     int64
	Degree int
}

// RecommendationCandidate is a member that may be recommended.
type RecommendationCandidate struct {
	ID     int64
	Name   string
	Region string
	Active bool
}

// RecommendInput is everything the recommendation of one member reads.
type RecommendInput struct {
	Member   int64   // the member recommendations are for
	Region   string  // its region, "" when unknown
	Partners []int64 // its current partners (CONFIRMED links), never recommended
	// Candidates are the members that may be recommended, with their names
	// (for ties and details); members not listed are never recommended.
	// LAPSED ones, the member itself and its partners are left out.
	Candidates []RecommendationCandidate
	// Names names members for the details (common partners).
	Names map[int64]string
	// Complements are the pairs of complementary trades, any order.
	Complements []ComplementMatch
	// CommonPartners lists, by candidate, the partners it shares with the
	// member.
	CommonPartners map[int64][]CommonPartner
	// SharedGroups counts, by candidate, the working groups both are
	// current participants of.
	SharedGroups map[int64]int
	// First is how many recommendations to return.
	First int
}

// Recommend ranks the candidates by the recommendation score, highest
// first, ties by name then id, and returns the first in.First of those
// scoring above zero, each with its reasons. It is a pure function of its
// input.
func Recommend(in RecommendInput) []Recommendation {
	excluded := make(map[int64]bool, len(in.Partners)+1)
	excluded[in.Member] = true
	for _, p := range in.Partners {
		excluded[p] = true
	}
	pairs := complementPairs(in.Complements)
	type ranked struct {
		Recommendation
		name string
	}
	var out []ranked
	seen := make(map[int64]bool, len(in.Candidates))
	for _, c := range in.Candidates {
		if !c.Active || excluded[c.ID] || seen[c.ID] {
			continue
		}
		seen[c.ID] = true
		score, reasons := 0.0, []*RecommendationReason{}
		if ps := pairs[c.ID]; len(ps) > 0 {
			counted := ps[:min(len(ps), RecommendComplementCap)]
			score += RecommendComplementWeight * float64(len(counted))
			details := map[string]bool{}
			for _, p := range counted {
				if !details[p.detail] {
					details[p.detail] = true
					reasons = append(reasons, &RecommendationReason{Kind: ReasonComplementaryTrade, Detail: p.detail})
				}
			}
		}
		if common := in.CommonPartners[c.ID]; len(common) > 0 {
			aa := 0.0
			for _, z := range common {
				if z.Degree > 1 {
					aa += 1 / math.Log(float64(z.Degree))
				}
			}
			score += RecommendCommonWeight * aa
			reasons = append(reasons, &RecommendationReason{Kind: ReasonCommonPartners, Detail: commonDetail(common, in.Names)})
		}
		if n := in.SharedGroups[c.ID]; n > 0 {
			score += RecommendGroupWeight * float64(n)
			reasons = append(reasons, &RecommendationReason{Kind: ReasonSharedGroup, Detail: plural(n, "working group", "working groups") + " together"})
		}
		if in.Region != "" && c.Region == in.Region {
			score += RecommendRegionWeight
			reasons = append(reasons, &RecommendationReason{Kind: ReasonSameRegion, Detail: "also in " + c.Region})
		}
		score = math.Round(score*1e6) / 1e6
		if score <= 0 {
			continue
		}
		out = append(out, ranked{Recommendation{MemberID: c.ID, Score: score, Reasons: reasons}, c.Name})
	}
	slices.SortFunc(out, func(a, b ranked) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		if c := strings.Compare(a.name, b.name); c != 0 {
			return c
		}
		return cmp.Compare(a.MemberID, b.MemberID)
	})
	out = out[:min(len(out), max(in.First, 0))]
	recs := make([]Recommendation, len(out))
	for i, r := range out {
		recs[i] = r.Recommendation
	}
	return recs
}

// complementPair is a distinct pair (the member's trade, the candidate's
// trade) of complementary trades, with the detail that explains it.
type complementPair struct {
	trade, other int64
	described    bool
	detail       string
}

// complementPairs groups the matches by candidate into distinct trade
// pairs: described complements first, then by the member's trade id and
// the candidate's trade id. Of several complements of one pair, the first
// described one by kind explains it.
func complementPairs(ms []ComplementMatch) map[int64][]complementPair {
	ms = slices.Clone(ms)
	slices.SortFunc(ms, func(a, b ComplementMatch) int {
		return cmp.Or(cmp.Compare(a.Candidate, b.Candidate), cmp.Compare(a.TradeID, b.TradeID),
			cmp.Compare(a.OtherTradeID, b.OtherTradeID), compareDescribed(a, b), cmp.Compare(a.Kind, b.Kind))
	})
	out := map[int64][]complementPair{}
	for i, m := range ms {
		if i > 0 && ms[i-1].Candidate == m.Candidate && ms[i-1].TradeID == m.TradeID && ms[i-1].OtherTradeID == m.OtherTradeID {
			continue // the same pair by another kind
		}
		p := complementPair{trade: m.TradeID, other: m.OtherTradeID, described: m.Description != "", detail: m.Description}
		if !p.described {
			p.detail = fmt.Sprintf("%s complements your %s", m.OtherName, m.TradeName)
		}
		out[m.Candidate] = append(out[m.Candidate], p)
	}
	for _, ps := range out {
		slices.SortStableFunc(ps, func(a, b complementPair) int {
			if a.described != b.described {
				if a.described {
					return -1
				}
				return 1
			}
			return 0
		})
	}
	return out
}

// compareDescribed orders a described complement before one without.
func compareDescribed(a, b ComplementMatch) int {
	switch {
	case a.Description != "" && b.Description == "":
		return -1
	case a.Description == "" && b.Description != "":
		return 1
	}
	return 0
}

// commonDetail describes common partners, naming up to two of them (the
// most specific first: fewest partners, then by name).
func commonDetail(common []CommonPartner, names map[int64]string) string {
	cs := slices.Clone(common)
	slices.SortFunc(cs, func(a, b CommonPartner) int {
		return cmp.Or(cmp.Compare(a.Degree, b.Degree), strings.Compare(names[a.ID], names[b.ID]), cmp.Compare(a.ID, b.ID))
	})
	var named []string
	for _, c := range cs {
		if n := names[c.ID]; n != "" && len(named) < 2 {
			named = append(named, n)
		}
	}
	head := plural(len(common), "partner", "partners") + " in common"
	switch {
	case len(named) == 0:
		return head
	case len(named) == len(common):
		return head + ": " + strings.Join(named, " and ")
	}
	return head + ", including " + strings.Join(named, " and ")
}

// plural writes a count and a noun.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// RecommendService reads what partner recommendations need from the
// database, in a few statements whatever the number of candidates.
type RecommendService interface {
	// ComplementMatches returns every pair of one of the member's trades
	// and a trade of another ACTIVE member that complement each other.
	ComplementMatches(ctx context.Context, memberID int64) ([]ComplementMatch, error)
	// SharedGroups counts, for each other ACTIVE member, the working groups
	// both it and the member are current participants of.
	SharedGroups(ctx context.Context, memberID int64) (map[int64]int, error)
	// RecommendationMembers returns the members among ids, whatever their
	// status, and the first limit ACTIVE members of region (by name in
	// byte order, then id) that are not in exclude; none by region when
	// region is "".
	RecommendationMembers(ctx context.Context, ids []int64, region string, exclude []int64, limit int) ([]*Member, error)
}
