package graph

import (
	"context"

	"grappe/domain"
	"grappe/graph/model"
)

// membersOf loads members in order, in one statement for all of them.
// Members that do not exist, or that the viewer may not see (storage
// leaves them out), are left out.
func (r *Resolver) membersOf(ctx context.Context, ids []int64) ([]*domain.Member, error) {
	return loadIDs(ctx, r.rels().member, ids, memberArgs{})
}

// linksOf loads links in order, leaving out those the viewer may not see.
func (r *Resolver) linksOf(ctx context.Context, ids []int64) ([]*domain.BusinessLink, error) {
	return loadIDs(ctx, r.rels().link, ids, struct{}{})
}

// loadIDs loads the values of ids through rel, in order, leaving out the
// keys storage left out.
func loadIDs[A comparable, V any](ctx context.Context, rel *relation[any, A, V], ids []int64, a A) ([]V, error) {
	thunks := make([]func() (V, error), len(ids))
	b := batchOf(loadersFrom(ctx), rel)
	for i, id := range ids { // the loader gathers the lists of one level
		thunks[i] = b.get(ctx, key[A]{id, a})
	}
	out := make([]V, 0, len(ids))
	for _, thunk := range thunks {
		v, err := thunk()
		if err != nil {
			return nil, err
		}
		if !isZero(v) {
			out = append(out, v)
		}
	}
	return out, nil
}

// scored maps ranked members.
func scored(xs []domain.ScoredMember) []*model.ScoredMember {
	out := make([]*model.ScoredMember, len(xs))
	for i, x := range xs {
		out[i] = &model.ScoredMember{MemberID: x.MemberID, Score: x.Score}
	}
	return out
}

// community maps a community.
func community(c *domain.Community) *model.Community {
	return &model.Community{ID: c.ID, Size: c.Size, MemberIDs: c.Members, Redaction: c.Redaction}
}

// intOr returns *p, or def when p is nil.
func intOr(p *int, def int) int {
	if p == nil {
		return def
	}
	return *p
}
