package network

import (
	"context"
	"errors"

	"grappe/domain"
)

// RecommendedPartners implements domain.NetworkService: the common
// partners come from the live snapshot, the rest from three statements of
// the Recommender (complementary trades, shared groups, and the
// candidates' names and regions), whatever first and the number of
// candidates.
func (a Analytics) RecommendedPartners(ctx context.Context, m *domain.Member, first *int) (*domain.Recommendations, error) {
	if err := domain.CanSeeRecommendations(domain.ViewerFrom(ctx), m.ID); err != nil {
		return nil, err
	}
	n, err := argument("first", first, domain.DefaultRecommendations, 1, domain.MaxRecommendations)
	if err != nil {
		return nil, err
	}
	if m.Status != domain.StatusActive {
		return &domain.Recommendations{Partners: []domain.Recommendation{}}, nil // outside the network
	}
	if a.Recommender == nil {
		return nil, errors.New("no recommendation service configured")
	}
	snap, err := a.snapshot()
	if err != nil {
		return nil, err
	}
	// A member joined since the graph was built has no partners yet.
	partners, common, _ := snap.CommonPartners(m.ID)
	matches, err := a.Recommender.ComplementMatches(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	groups, err := a.Recommender.SharedGroups(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	ids := candidateIDs(m.ID, partners, matches, common, groups)
	exclude := append([]int64{m.ID}, ids...)
	members, err := a.Recommender.RecommendationMembers(ctx, ids, m.Address.Region, exclude, n)
	if err != nil {
		return nil, err
	}

	in := domain.RecommendInput{
		Member: m.ID, Region: m.Address.Region, Partners: partners,
		Candidates:     make([]domain.RecommendationCandidate, 0, len(members)),
		Names:          make(map[int64]string, len(partners)),
		Complements:    matches,
		CommonPartners: make(map[int64][]domain.CommonPartner, len(common)),
		SharedGroups:   groups,
		First:          n,
	}
	for _, c := range members {
		in.Names[c.ID] = c.Name
		in.Candidates = append(in.Candidates, domain.RecommendationCandidate{
			ID: c.ID, Name: c.Name, Region: c.Address.Region, Active: c.Status == domain.StatusActive,
		})
	}
	for id, zs := range common {
		cp := make([]domain.CommonPartner, len(zs))
		for i, z := range zs {
			cp[i] = domain.CommonPartner{ID: z.Member, Degree: z.Degree}
		}
		in.CommonPartners[id] = cp
	}
	return &domain.Recommendations{Partners: domain.Recommend(in), Candidates: members}, nil
}

// candidateIDs returns every member with a signal besides the region, and
// the partners (for the names in the details), once each and never member
// itself; the region adds its first members by name.
func candidateIDs(member int64, partners []int64, matches []domain.ComplementMatch, common map[int64][]Common, groups map[int64]int) []int64 {
	seen := map[int64]bool{member: true}
	ids := []int64{}
	add := func(id int64) {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	for _, p := range partners {
		add(p)
	}
	for _, x := range matches {
		add(x.Candidate)
	}
	for id := range common {
		add(id)
	}
	for id := range groups {
		add(id)
	}
	return ids
}
