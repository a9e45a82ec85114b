package postgres

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"grappe/domain"
)

// meetingRow is a row of the meetings table, with its attendees gathered
// by selectMeetings.
type meetingRow struct {
	bun.BaseModel `bun:"table:meetings,alias:mt"`

	ID              int64               `bun:"id,pk,autoincrement"`
	GroupID         int64               `bun:"group_id"`
	Title           string              `bun:"title"`
	StartsAt        time.Time           `bun:"starts_at"`
	DurationMinutes int                 `bun:"duration_minutes"`
	Agenda          []domain.AgendaItem `bun:"agenda,type:jsonb"`
	ExpectedOutcome string              `bun:"expected_outcome"`
	Status          string              `bun:"status"`
	Outcome         string              `bun:"outcome,nullzero"`
	CreatedAt       time.Time           `bun:"created_at,nullzero,notnull,default:current_timestamp"`
	AttendeeIDs     []int64             `bun:"attendee_ids,array,scanonly"`
}

// attendeeRow records that a member attended a meeting.
type attendeeRow struct {
	bun.BaseModel `bun:"table:meeting_attendees,alias:ma"`

	MeetingID int64 `bun:"meeting_id,pk"`
	MemberID  int64 `bun:"member_id,pk"`
}

// toMeeting converts a row into a domain meeting.
func (r *meetingRow) toMeeting() *domain.Meeting {
	m := &domain.Meeting{
		ID: r.ID, GroupID: r.GroupID, Title: r.Title, StartsAt: r.StartsAt.UTC(),
		DurationMinutes: r.DurationMinutes, Agenda: r.Agenda, ExpectedOutcome: r.ExpectedOutcome,
		Status: domain.MeetingStatus(r.Status), Outcome: r.Outcome, AttendeeIDs: r.AttendeeIDs,
	}
	if m.Agenda == nil {
		m.Agenda = []domain.AgendaItem{}
	}
	if m.AttendeeIDs == nil {
		m.AttendeeIDs = []int64{}
	}
	return m
}

// meetingColumns selects a meeting with the ids of its attendees.
func meetingColumns(q *bun.SelectQuery) *bun.SelectQuery {
	return q.ColumnExpr("?TableColumns").
		ColumnExpr("ARRAY(SELECT a.member_id FROM meeting_attendees AS a WHERE a.meeting_id = mt.id ORDER BY a.member_id) AS attendee_ids")
}

// meetingKeyset sorts meetings soonest first.
var meetingKeyset = keyset{Name: "meetings:starts_at:ASC", Expr: "mt.starts_at", IDColumn: "mt.id", Check: checkTime}

// MeetingsByIDs returns the meetings among ids, by id; none to a viewer who may not
// read meetings (as if they did not exist).
func (s *GroupService) MeetingsByIDs(ctx context.Context, ids []int64) (map[int64]*domain.Meeting, error) {
	out := make(map[int64]*domain.Meeting, len(ids))
	if len(ids) == 0 || domain.CanReadGroups(domain.ViewerFrom(ctx)) != nil {
		return out, nil
	}
	var rows []*meetingRow
	if err := s.db.selectByIDs(ctx, s.db.bun.NewSelect().Model((*meetingRow)(nil)).Apply(meetingColumns).Where("mt.id = ANY(?)", idsParam), ids, &rows); err != nil {
		return nil, mapError(err, "meetings")
	}
	for _, r := range rows {
		out[r.ID] = r.toMeeting()
	}
	return out, nil
}

// Meetings returns one page of a group's meetings, soonest first.
func (s *GroupService) Meetings(ctx context.Context, groupID int64, page domain.PageRequest) (*domain.Page[*domain.Meeting], error) {
	pages, err := s.MeetingsOfGroups(ctx, []int64{groupID}, page)
	if err != nil {
		return nil, err
	}
	return pages[groupID], nil
}

// CountMeetings counts a group's meetings.
func (s *GroupService) CountMeetings(ctx context.Context, groupID int64) (int, error) {
	counts, err := s.CountMeetingsOfGroups(ctx, []int64{groupID})
	return counts[groupID], err
}

// MeetingsOfGroups returns one page of each group's meetings, soonest
// first, in one statement: a LATERAL page per group. Returns FORBIDDEN
// unless the viewer is a member or above, BAD_USER_INPUT for a bad page
// request.
func (s *GroupService) MeetingsOfGroups(ctx context.Context, groupIDs []int64, page domain.PageRequest) (map[int64]*domain.Page[*domain.Meeting], error) {
	if err := domain.CanReadGroups(domain.ViewerFrom(ctx)); err != nil {
		return nil, err
	}
	plan, err := s.db.planPage(ctx, meetingKeyset, page)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]*domain.Page[*domain.Meeting], len(groupIDs))
	if len(groupIDs) == 0 {
		return out, nil
	}
	inner := plan.apply(s.db.bun.NewSelect().Model((*meetingRow)(nil)).Apply(meetingColumns).
		Where("mt.group_id = p.parent_id"))
	var rows []struct {
		ParentID int64 `bun:"parent_id"`
		meetingRow
	}
	err = s.db.bun.NewSelect().TableExpr("unnest(?::bigint[]) AS p(parent_id)", pgdialect.Array(groupIDs)).
		ColumnExpr("p.parent_id, mt.*").Join("CROSS JOIN LATERAL (?) AS mt", inner).
		OrderExpr("p.parent_id").OrderExpr(lateralOrder(plan)).Scan(ctx, &rows)
	if err != nil {
		return nil, mapError(err, "meetings")
	}
	byParent := make(map[int64][]*meetingRow, len(groupIDs))
	for i := range rows {
		byParent[rows[i].ParentID] = append(byParent[rows[i].ParentID], &rows[i].meetingRow)
	}
	for _, id := range groupIDs {
		p := finish(plan, byParent[id], func(r *meetingRow) (any, int64) { return timeCursor(r.StartsAt), r.ID })
		out[id] = convertPage(p, (*meetingRow).toMeeting)
	}
	return out, nil
}

// CountMeetingsOfGroups counts each group's meetings.
func (s *GroupService) CountMeetingsOfGroups(ctx context.Context, groupIDs []int64) (map[int64]int, error) {
	if err := domain.CanReadGroups(domain.ViewerFrom(ctx)); err != nil {
		return nil, err
	}
	out := make(map[int64]int, len(groupIDs))
	if len(groupIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		GroupID int64 `bun:"group_id"`
		N       int   `bun:"n"`
	}
	err := s.db.bun.NewSelect().Model((*meetingRow)(nil)).ColumnExpr("mt.group_id, count(*) AS n").
		Where("mt.group_id IN (?)", bun.List(groupIDs)).GroupExpr("mt.group_id").Scan(ctx, &rows)
	if err != nil {
		return nil, mapError(err, "meetings")
	}
	for _, id := range groupIDs {
		out[id] = 0
	}
	for _, r := range rows {
		out[r.GroupID] = r.N
	}
	return out, nil
}

// UpcomingMeetings returns the next SCHEDULED meetings, from now on, of the
// groups the viewer member currently takes part in, soonest first; empty
// unless the viewer is a MEMBER. Returns BAD_USER_INPUT when first is
// negative or above domain.MaxPageSize.
func (s *GroupService) UpcomingMeetings(ctx context.Context, first int) ([]*domain.Meeting, error) {
	if first < 0 || first > domain.MaxPageSize {
		return nil, domain.InvalidField("first", "first must be between 0 and %d, got %d", domain.MaxPageSize, first)
	}
	v := domain.ViewerFrom(ctx)
	if v.Role != domain.RoleMember || first == 0 {
		return []*domain.Meeting{}, nil
	}
	var rows []*meetingRow
	err := s.db.bun.NewSelect().Model(&rows).Apply(meetingColumns).
		Where("mt.status = ? AND mt.starts_at >= ?", domain.MeetingScheduled, s.now()).
		Where(`EXISTS (SELECT 1 FROM group_participants AS u
			WHERE u.group_id = mt.group_id AND u.member_id = ? AND u.left_at IS NULL)`, v.MemberID).
		OrderExpr("mt.starts_at, mt.id").Limit(int64(first)).Scan(ctx)
	if err != nil {
		return nil, mapError(err, "meetings")
	}
	out := make([]*domain.Meeting, len(rows))
	for i, r := range rows {
		out[i] = r.toMeeting()
	}
	return out, nil
}

// ScheduleMeeting schedules a meeting of an ACTIVE group. Returns FORBIDDEN
// unless the viewer is staff or the group's ACTIVE lead, NOT_FOUND for an
// unknown group, BAD_USER_INPUT naming the field of a meeting without
// title, duration, agenda or expected outcome or whose agenda overruns the
// duration, CONFLICT for a CLOSED group.
func (s *GroupService) ScheduleMeeting(ctx context.Context, in domain.MeetingInput) (*domain.Meeting, error) {
	v := domain.ViewerFrom(ctx)
	if err := domain.CanWriteGroups(v); err != nil {
		return nil, err
	}
	var out *domain.Meeting
	err := s.db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		g, err := s.lockLedGroup(ctx, tx, v, in.GroupID)
		if err != nil {
			return err
		}
		if in, err = domain.ValidateMeetingInput(in); err != nil {
			return err
		}
		if err := domain.CanChangeGroup(g); err != nil {
			return err
		}
		row := &meetingRow{
			GroupID: g.ID, Title: in.Title, StartsAt: in.StartsAt.UTC().Truncate(time.Microsecond),
			DurationMinutes: in.DurationMinutes, Agenda: in.Agenda, ExpectedOutcome: in.ExpectedOutcome,
			Status: string(domain.MeetingScheduled),
		}
		if _, err := tx.NewInsert().Model(row).Returning("id, created_at").Exec(ctx); err != nil {
			return mapError(err, "meeting")
		}
		out = row.toMeeting()
		return audit(ctx, tx, auditEntry{
			Mutation: "scheduleMeeting",
			Targets:  []domain.Ref{auditRef(domain.RefMeeting, out.ID), auditRef(domain.RefWorkingGroup, g.ID)},
			Changes:  auditCreated(meetingFields(out)),
		})
	})
	return out, err
}

// RecordMeetingOutcome records what a SCHEDULED meeting obtained and who
// attended, and marks it HELD. Attendees must take part in the group, or
// have left it after the meeting started. Returns FORBIDDEN unless the
// viewer is staff or the group's ACTIVE lead, NOT_FOUND for an unknown
// meeting, BAD_USER_INPUT for a blank outcome or an attendee who is not a
// participant (field attendeeIds), CONFLICT unless the meeting is
// SCHEDULED and its group ACTIVE.
func (s *GroupService) RecordMeetingOutcome(ctx context.Context, meetingID int64, outcome string, attendeeIDs []int64) (*domain.Meeting, error) {
	v := domain.ViewerFrom(ctx)
	if err := domain.CanWriteGroups(v); err != nil {
		return nil, err
	}
	var out *domain.Meeting
	err := s.db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		g, m, err := s.lockMeeting(ctx, tx, v, meetingID)
		if err != nil {
			return err
		}
		outcome, ids, err := domain.ValidateOutcome(outcome, attendeeIDs)
		if err != nil {
			return err
		}
		if err := domain.CanChangeGroup(g); err != nil {
			return err
		}
		if err := domain.CanChangeMeeting(m); err != nil {
			return err
		}
		var took []int64
		err = tx.NewSelect().Model((*participantRow)(nil)).Column("member_id").
			Where("gp.group_id = ? AND gp.member_id IN (?)", g.ID, bun.List(ids)).
			Where("gp.left_at IS NULL OR gp.left_at >= ?", m.StartsAt).Scan(ctx, &took)
		if err != nil {
			return mapError(err, "participants")
		}
		if len(took) != len(ids) {
			return domain.InvalidField("attendeeIds", "every attendee must be a participant of the group")
		}
		if _, err := tx.NewUpdate().Model((*meetingRow)(nil)).Set("status = ?, outcome = ?", domain.MeetingHeld, outcome).
			Where("id = ?", m.ID).Exec(ctx); err != nil {
			return mapError(err, "meeting")
		}
		rows := make([]attendeeRow, len(ids))
		for i, id := range ids {
			rows[i] = attendeeRow{MeetingID: m.ID, MemberID: id}
		}
		if _, err := tx.NewInsert().Model(&rows).Exec(ctx); err != nil {
			return mapError(err, "attendees")
		}
		before := meetingFields(m)
		m.Status, m.Outcome, m.AttendeeIDs = domain.MeetingHeld, outcome, ids
		out = m
		return audit(ctx, tx, auditEntry{
			Mutation: "recordMeetingOutcome",
			Targets:  []domain.Ref{auditRef(domain.RefMeeting, m.ID), auditRef(domain.RefWorkingGroup, g.ID)},
			Changes:  auditDiff(before, meetingFields(m)),
		})
	})
	return out, err
}

// CancelMeeting cancels a SCHEDULED meeting. Returns FORBIDDEN unless the
// viewer is staff or the group's ACTIVE lead, NOT_FOUND for an unknown
// meeting, CONFLICT unless the meeting is SCHEDULED and its group ACTIVE.
func (s *GroupService) CancelMeeting(ctx context.Context, meetingID int64) (*domain.Meeting, error) {
	v := domain.ViewerFrom(ctx)
	if err := domain.CanWriteGroups(v); err != nil {
		return nil, err
	}
	var out *domain.Meeting
	err := s.db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		g, m, err := s.lockMeeting(ctx, tx, v, meetingID)
		if err != nil {
			return err
		}
		if err := domain.CanChangeGroup(g); err != nil {
			return err
		}
		if err := domain.CanChangeMeeting(m); err != nil {
			return err
		}
		if _, err := tx.NewUpdate().Model((*meetingRow)(nil)).Set("status = ?", domain.MeetingCancelled).
			Where("id = ?", m.ID).Exec(ctx); err != nil {
			return mapError(err, "meeting")
		}
		before := meetingFields(m)
		m.Status = domain.MeetingCancelled
		out = m
		return audit(ctx, tx, auditEntry{
			Mutation: "cancelMeeting",
			Targets:  []domain.Ref{auditRef(domain.RefMeeting, m.ID), auditRef(domain.RefWorkingGroup, g.ID)},
			Changes:  auditDiff(before, meetingFields(m)),
		})
	})
	return out, err
}

// lockMeeting locks a meeting's group, checking the viewer leads it, then
// the meeting itself (group before meeting, as closing a group does).
// Returns NOT_FOUND (on meetingId) for an unknown meeting.
func (s *GroupService) lockMeeting(ctx context.Context, tx bun.Tx, v domain.Viewer, meetingID int64) (*domain.WorkingGroup, *domain.Meeting, error) {
	notFound := &domain.Error{Code: domain.CodeNotFound, Message: "meeting not found", Field: "meetingId"}
	var groupID int64
	err := tx.NewSelect().Model((*meetingRow)(nil)).Column("group_id").Where("mt.id = ?", meetingID).Scan(ctx, &groupID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, notFound
	}
	if err != nil {
		return nil, nil, mapError(err, "meeting")
	}
	g, err := s.lockLedGroup(ctx, tx, v, groupID)
	if err != nil {
		return nil, nil, err
	}
	var row meetingRow
	if err := tx.NewSelect().Model(&row).Apply(meetingColumns).Where("mt.id = ?", meetingID).For("UPDATE OF mt").Scan(ctx); err != nil {
		return nil, nil, mapError(err, "meeting")
	}
	return g, row.toMeeting(), nil
}

// meetingFields is the audited snapshot of a meeting.
func meetingFields(m *domain.Meeting) map[string]any {
	f := map[string]any{
		"title": m.Title, "startsAt": snapTime(&m.StartsAt), "durationMinutes": m.DurationMinutes,
		"agenda": m.Agenda, "expectedOutcome": m.ExpectedOutcome, "status": string(m.Status),
		"outcome": snapText(m.Outcome), "attendeeIds": nil,
	}
	if len(m.AttendeeIDs) > 0 {
		ids := slices.Clone(m.AttendeeIDs)
		slices.Sort(ids)
		f["attendeeIds"] = ids
	}
	return f
}
