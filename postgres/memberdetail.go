package postgres

import (
	"context"
	"errors"
	"time"

	"grappe/domain"
)

// MemberDetailService implements domain.MemberDetailService.
type MemberDetailService struct{ db *DB }

// MemberDetails returns the member detail service of db.
func (db *DB) MemberDetails() *MemberDetailService { return &MemberDetailService{db: db} }

var _ domain.MemberDetailService = (*MemberDetailService)(nil)

var errNotBuiltMemberDetailService = errors.New("MemberDetailService: not built yet")

// ContactsOfMembers is not built yet.
func (s *MemberDetailService) ContactsOfMembers(ctx context.Context, memberIDs []int64) (map[int64][]*domain.Contact, error) {
	return nil, errNotBuiltMemberDetailService
}

// AddContact is not built yet.
func (s *MemberDetailService) AddContact(ctx context.Context, in domain.ContactInput) (*domain.Contact, error) {
	return nil, errNotBuiltMemberDetailService
}

// RemoveContact is not built yet.
func (s *MemberDetailService) RemoveContact(ctx context.Context, id int64) (int64, error) {
	return 0, errNotBuiltMemberDetailService
}

// SetMemberTrades is not built yet.
func (s *MemberDetailService) SetMemberTrades(ctx context.Context, memberID int64, tradeIDs []int64) (*domain.Member, error) {
	return nil, errNotBuiltMemberDetailService
}

// EndMembership is not built yet.
func (s *MemberDetailService) EndMembership(ctx context.Context, memberID int64, leftOn *time.Time) (*domain.Member, error) {
	return nil, errNotBuiltMemberDetailService
}

// Engagements is not built yet.
func (s *MemberDetailService) Engagements(ctx context.Context, memberIDs []int64) (map[int64]*domain.Engagement, error) {
	return nil, errNotBuiltMemberDetailService
}
