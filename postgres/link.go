package postgres

import (
	"context"
	"errors"
	"time"

	"grappe/domain"
)

// LinkService implements domain.LinkService.
type LinkService struct{ db *DB }

// Links returns the business link service of db.
func (db *DB) Links() *LinkService { return &LinkService{db: db} }

var _ domain.LinkService = (*LinkService)(nil)

var errNotBuiltLinkService = errors.New("LinkService: not built yet")

// Link is not built yet.
func (s *LinkService) Link(ctx context.Context, id int64) (*domain.BusinessLink, error) {
	return nil, errNotBuiltLinkService
}

// LinksByIDs is not built yet.
func (s *LinkService) LinksByIDs(ctx context.Context, ids []int64) (map[int64]*domain.BusinessLink, error) {
	return nil, errNotBuiltLinkService
}

// Links is not built yet.
func (s *LinkService) Links(ctx context.Context, filter domain.LinkFilter, page domain.PageRequest) (*domain.Page[*domain.BusinessLink], error) {
	return nil, errNotBuiltLinkService
}

// CountLinks is not built yet.
func (s *LinkService) CountLinks(ctx context.Context, filter domain.LinkFilter) (int, error) {
	return 0, errNotBuiltLinkService
}

// MemberLinks is not built yet.
func (s *LinkService) MemberLinks(ctx context.Context, memberID int64, direction domain.LinkDirection, filter domain.LinkFilter, page domain.PageRequest) (*domain.Page[*domain.BusinessLink], error) {
	return nil, errNotBuiltLinkService
}

// CountMemberLinks is not built yet.
func (s *LinkService) CountMemberLinks(ctx context.Context, memberID int64, direction domain.LinkDirection, filter domain.LinkFilter) (int, error) {
	return 0, errNotBuiltLinkService
}

// Partners is not built yet.
func (s *LinkService) Partners(ctx context.Context, memberID int64, page domain.PageRequest) (*domain.Page[*domain.Member], error) {
	return nil, errNotBuiltLinkService
}

// CountPartners is not built yet.
func (s *LinkService) CountPartners(ctx context.Context, memberID int64) (int, error) {
	return 0, errNotBuiltLinkService
}

// PendingConfirmations is not built yet.
func (s *LinkService) PendingConfirmations(ctx context.Context, page domain.PageRequest) (*domain.Page[*domain.BusinessLink], error) {
	return nil, errNotBuiltLinkService
}

// CountPendingConfirmations is not built yet.
func (s *LinkService) CountPendingConfirmations(ctx context.Context) (int, error) {
	return 0, errNotBuiltLinkService
}

// Declare is not built yet.
func (s *LinkService) Declare(ctx context.Context, in domain.LinkInput) (*domain.BusinessLink, error) {
	return nil, errNotBuiltLinkService
}

// Confirm is not built yet.
func (s *LinkService) Confirm(ctx context.Context, id int64) (*domain.BusinessLink, error) {
	return nil, errNotBuiltLinkService
}

// Decline is not built yet.
func (s *LinkService) Decline(ctx context.Context, id int64) (*domain.BusinessLink, error) {
	return nil, errNotBuiltLinkService
}

// End is not built yet.
func (s *LinkService) End(ctx context.Context, id int64, until *time.Time) (*domain.BusinessLink, error) {
	return nil, errNotBuiltLinkService
}
