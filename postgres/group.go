package postgres

import (
	"context"
	"errors"

	"grappe/domain"
)

// GroupService implements domain.GroupService.
type GroupService struct{ db *DB }

// Groups returns the working group service of db.
func (db *DB) Groups() *GroupService { return &GroupService{db: db} }

var _ domain.GroupService = (*GroupService)(nil)

var errNotBuiltGroupService = errors.New("GroupService: not built yet")

// QuestionsByIDs is not built yet.
func (s *GroupService) QuestionsByIDs(ctx context.Context, ids []int64) (map[int64]*domain.Question, error) {
	return nil, errNotBuiltGroupService
}

// Questions is not built yet.
func (s *GroupService) Questions(ctx context.Context, filter domain.QuestionFilter, page domain.PageRequest) (*domain.Page[*domain.Question], error) {
	return nil, errNotBuiltGroupService
}

// CountQuestions is not built yet.
func (s *GroupService) CountQuestions(ctx context.Context, filter domain.QuestionFilter) (int, error) {
	return 0, errNotBuiltGroupService
}

// SupporterIDs is not built yet.
func (s *GroupService) SupporterIDs(ctx context.Context, questionIDs []int64) (map[int64][]int64, error) {
	return nil, errNotBuiltGroupService
}

// GroupsByIDs is not built yet.
func (s *GroupService) GroupsByIDs(ctx context.Context, ids []int64) (map[int64]*domain.WorkingGroup, error) {
	return nil, errNotBuiltGroupService
}

// Groups is not built yet.
func (s *GroupService) Groups(ctx context.Context, filter domain.GroupFilter, page domain.PageRequest) (*domain.Page[*domain.WorkingGroup], error) {
	return nil, errNotBuiltGroupService
}

// CountGroups is not built yet.
func (s *GroupService) CountGroups(ctx context.Context, filter domain.GroupFilter) (int, error) {
	return 0, errNotBuiltGroupService
}

// Participants is not built yet.
func (s *GroupService) Participants(ctx context.Context, groupIDs []int64) (map[int64][]domain.Participant, error) {
	return nil, errNotBuiltGroupService
}

// MeetingsByIDs is not built yet.
func (s *GroupService) MeetingsByIDs(ctx context.Context, ids []int64) (map[int64]*domain.Meeting, error) {
	return nil, errNotBuiltGroupService
}

// Meetings is not built yet.
func (s *GroupService) Meetings(ctx context.Context, groupID int64, page domain.PageRequest) (*domain.Page[*domain.Meeting], error) {
	return nil, errNotBuiltGroupService
}

// CountMeetings is not built yet.
func (s *GroupService) CountMeetings(ctx context.Context, groupID int64) (int, error) {
	return 0, errNotBuiltGroupService
}

// UpcomingMeetings is not built yet.
func (s *GroupService) UpcomingMeetings(ctx context.Context, first int) ([]*domain.Meeting, error) {
	return nil, errNotBuiltGroupService
}

// ActionPlansByIDs is not built yet.
func (s *GroupService) ActionPlansByIDs(ctx context.Context, ids []int64) (map[int64]*domain.ActionPlan, error) {
	return nil, errNotBuiltGroupService
}

// ActionPlansByGroup is not built yet.
func (s *GroupService) ActionPlansByGroup(ctx context.Context, groupIDs []int64) (map[int64]*domain.ActionPlan, error) {
	return nil, errNotBuiltGroupService
}

// ActionPlans is not built yet.
func (s *GroupService) ActionPlans(ctx context.Context, page domain.PageRequest) (*domain.Page[*domain.ActionPlan], error) {
	return nil, errNotBuiltGroupService
}

// CountActionPlans is not built yet.
func (s *GroupService) CountActionPlans(ctx context.Context) (int, error) {
	return 0, errNotBuiltGroupService
}

// RaiseQuestion is not built yet.
func (s *GroupService) RaiseQuestion(ctx context.Context, memberID int64, text string, theme domain.Theme) (*domain.Question, error) {
	return nil, errNotBuiltGroupService
}

// SupportQuestion is not built yet.
func (s *GroupService) SupportQuestion(ctx context.Context, questionID, memberID int64) (*domain.SupportResult, error) {
	return nil, errNotBuiltGroupService
}

// WithdrawSupport is not built yet.
func (s *GroupService) WithdrawSupport(ctx context.Context, questionID, memberID int64) (*domain.SupportResult, error) {
	return nil, errNotBuiltGroupService
}

// JoinGroup is not built yet.
func (s *GroupService) JoinGroup(ctx context.Context, groupID, memberID int64) (*domain.WorkingGroup, error) {
	return nil, errNotBuiltGroupService
}

// LeaveGroup is not built yet.
func (s *GroupService) LeaveGroup(ctx context.Context, groupID, memberID int64) (*domain.WorkingGroup, error) {
	return nil, errNotBuiltGroupService
}

// CloseGroup is not built yet.
func (s *GroupService) CloseGroup(ctx context.Context, groupID int64) (*domain.WorkingGroup, error) {
	return nil, errNotBuiltGroupService
}

// ScheduleMeeting is not built yet.
func (s *GroupService) ScheduleMeeting(ctx context.Context, in domain.MeetingInput) (*domain.Meeting, error) {
	return nil, errNotBuiltGroupService
}

// RecordMeetingOutcome is not built yet.
func (s *GroupService) RecordMeetingOutcome(ctx context.Context, meetingID int64, outcome string, attendeeIDs []int64) (*domain.Meeting, error) {
	return nil, errNotBuiltGroupService
}

// CancelMeeting is not built yet.
func (s *GroupService) CancelMeeting(ctx context.Context, meetingID int64) (*domain.Meeting, error) {
	return nil, errNotBuiltGroupService
}

// PublishActionPlan is not built yet.
func (s *GroupService) PublishActionPlan(ctx context.Context, in domain.ActionPlanInput) (*domain.ActionPlan, error) {
	return nil, errNotBuiltGroupService
}
