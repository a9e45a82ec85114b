package graph

import (
	"context"
	"errors"

	"grappe/domain"
	"grappe/graph/model"
)

// recommend ranks the partners to recommend to member m: the common
// partners come from the live network graph, the rest from three
// statements (complementary trades, shared groups, and the candidates'
// names and regions), whatever first and the number of candidates. The
// member loader is primed with the candidates, so selecting the
// recommended members costs nothing more.
func (r *Resolver) recommend(ctx context.Context, m *domain.Member, first int) ([]*model.PartnerRecommendation, error) {
	if m.Status != domain.StatusActive {
		return []*model.PartnerRecommendation{}, nil // outside the network
	}
	if r.Recommender == nil {
		return nil, errors.New("no recommendation service configured")
	}
	snap, err := r.analytics().Live()
	if err != nil {
		return nil, err
	}
	// A member joined since the graph was built has no partners yet.
	partners, common, _ := snap.CommonPartners(m.ID)
	matches, err := r.Recommender.ComplementMatches(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	groups, err := r.Recommender.SharedGroups(ctx, m.ID)
	if err != nil {
		return nil, err
	}

	// Every member with a signal besides the region, and the partners (for
	// the names in the details); the region adds its first members by name.
	seen := map[int64]bool{m.ID: true}
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
	exclude := append([]int64{m.ID}, ids...)
	members, err := r.Recommender.RecommendationMembers(ctx, ids, m.Address.Region, exclude, first)
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
		First:          first,
	}
	loaders := r.loaders(ctx)
	for _, c := range members {
		loaders.MemberByID.Prime(c.ID, c)
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
	recs := domain.Recommend(in)
	out := make([]*model.PartnerRecommendation, len(recs))
	for i, rec := range recs {
		out[i] = &model.PartnerRecommendation{MemberID: rec.MemberID, Score: rec.Score, Reasons: rec.Reasons}
	}
	return out, nil
}
