package graph

import (
	"context"
	"errors"

	"github.com/vikstrous/dataloadgen"

	"grappe/domain"
	"grappe/graph/model"
)

// membersOf loads members in order through the member loader: one
// statement for all of them. Members that do not exist, or that the viewer
// may not see (storage leaves them out), are left out.
func (r *Resolver) membersOf(ctx context.Context, ids []int64) ([]*domain.Member, error) {
	ms, err := r.loaders(ctx).MemberByID.LoadAll(ctx, ids)
	var errs dataloadgen.ErrorSlice
	if err != nil && !errors.As(err, &errs) {
		return nil, err
	}
	out := make([]*domain.Member, 0, len(ids))
	for i, m := range ms {
		if errs != nil && errs[i] != nil {
			if errors.Is(errs[i], dataloadgen.ErrNotFound) {
				continue
			}
			return nil, errs[i]
		}
		if m != nil {
			out = append(out, m)
		}
	}
	return out, nil
}

// linksOf loads links in order through the link loader.
func (r *Resolver) linksOf(ctx context.Context, ids []int64) ([]*domain.BusinessLink, error) {
	out := make([]*domain.BusinessLink, 0, len(ids))
	thunks := make([]func() (*domain.BusinessLink, error), len(ids))
	loader := r.loaders(ctx).links.byID
	for i, id := range ids {
		thunks[i] = loader.LoadThunk(ctx, id)
	}
	for _, thunk := range thunks {
		l, err := thunk()
		if errors.Is(err, dataloadgen.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, l)
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
