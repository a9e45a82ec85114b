package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"grappe/domain"
)

// GroupService implements domain.GroupService: questions, working groups,
// meetings and action plans. Writes that touch one question or group lock
// its row first (question before group, group before meeting), so that
// concurrent writes queue instead of failing or deadlocking.
type GroupService struct{ db *DB }

// Groups returns the working group service of db.
func (db *DB) Groups() *GroupService { return &GroupService{db: db} }

var _ domain.GroupService = (*GroupService)(nil)

// groupRow is a row of the working_groups table.
type groupRow struct {
	bun.BaseModel `bun:"table:working_groups,alias:g"`

	ID         int64      `bun:"id,pk,autoincrement"`
	QuestionID int64      `bun:"question_id"`
	Name       string     `bun:"name"`
	Theme      string     `bun:"theme"`
	Status     string     `bun:"status"`
	FormedAt   time.Time  `bun:"formed_at"`
	ClosedAt   *time.Time `bun:"closed_at"`
}

// participantRow is a member's participation in a group; a participant who
// left keeps its row with LeftAt set.
type participantRow struct {
	bun.BaseModel `bun:"table:group_participants,alias:gp"`

	GroupID  int64      `bun:"group_id,pk"`
	MemberID int64      `bun:"member_id,pk"`
	Role     string     `bun:"role"`
	JoinedAt time.Time  `bun:"joined_at"`
	LeftAt   *time.Time `bun:"left_at"`
}

// toGroup converts a row into a domain group.
func (r *groupRow) toGroup() *domain.WorkingGroup {
	g := &domain.WorkingGroup{
		ID: r.ID, Name: r.Name, Theme: domain.Theme(r.Theme), QuestionID: r.QuestionID,
		Status: domain.GroupStatus(r.Status), FormedAt: r.FormedAt.UTC(),
	}
	if r.ClosedAt != nil {
		t := r.ClosedAt.UTC()
		g.ClosedAt = &t
	}
	return g
}

// toParticipant converts a row into a domain participant.
func (r *participantRow) toParticipant() domain.Participant {
	return domain.Participant{GroupID: r.GroupID, MemberID: r.MemberID, Role: domain.ParticipantRole(r.Role), JoinedAt: r.JoinedAt.UTC()}
}

// now returns the service's clock at the database's precision.
func (s *GroupService) now() time.Time { return s.db.Now().UTC().Truncate(time.Microsecond) }

// capacity returns the most participants a group holds.
func (s *GroupService) capacity() int { return groupCapacity(s.db.GroupCapacity) }

// groupKeyset sorts groups newest first.
var groupKeyset = keyset{Name: "groups:formed_at:DESC", Expr: "g.formed_at", IDColumn: "g.id", Desc: true, Check: checkTime}

// participantsFrom joins a group's participants (gp) to the supports of its
// question (qs), so that participantOrder can break ties of joining time by
// order of support: the founders of a group all join at once. The group's
// question is looked up by the group's key for each participant, so that
// the planner never hashes every group for a page of them.
const participantsFrom = `group_participants AS gp
	LEFT JOIN LATERAL (SELECT qs.supported_at FROM working_groups AS pg
		JOIN question_supports AS qs ON qs.question_id = pg.question_id AND qs.member_id = gp.member_id
		WHERE pg.id = gp.group_id) AS qs ON true`

// participantOrder sorts participants by standing: longest first.
const participantOrder = "gp.joined_at, qs.supported_at NULLS LAST, gp.member_id"

// GroupsByIDs returns the groups among ids, by id; none to a viewer who may not
// read groups (as if they did not exist).
func (s *GroupService) GroupsByIDs(ctx context.Context, ids []int64) (map[int64]*domain.WorkingGroup, error) {
	out := make(map[int64]*domain.WorkingGroup, len(ids))
	if len(ids) == 0 || domain.CanReadGroups(domain.ViewerFrom(ctx)) != nil {
		return out, nil
	}
	var rows []*groupRow
	if err := s.db.selectByIDs(ctx, s.db.bun.NewSelect().Model((*groupRow)(nil)).Where("g.id = ANY(?)", idsParam), ids, &rows); err != nil {
		return nil, mapError(err, "working groups")
	}
	for _, r := range rows {
		out[r.ID] = r.toGroup()
	}
	return out, nil
}

// Groups returns one page of groups matching filter, newest first. Returns
// FORBIDDEN unless the viewer is a member or above, BAD_USER_INPUT for a
// bad page request.
func (s *GroupService) Groups(ctx context.Context, filter domain.GroupFilter, page domain.PageRequest) (*domain.Page[*domain.WorkingGroup], error) {
	if err := domain.CanReadGroups(domain.ViewerFrom(ctx)); err != nil {
		return nil, err
	}
	plan, err := s.db.planPage(ctx, groupKeyset, page)
	if err != nil {
		return nil, err
	}
	var rows []*groupRow
	if err := plan.apply(s.db.bun.NewSelect().Model(&rows).Apply(groupFilter(filter))).Scan(ctx); err != nil {
		return nil, mapError(err, "working groups")
	}
	p := finish(plan, rows, func(r *groupRow) (any, int64) { return timeCursor(r.FormedAt), r.ID })
	return convertPage(p, (*groupRow).toGroup), nil
}

// CountGroups counts the groups matching filter.
func (s *GroupService) CountGroups(ctx context.Context, filter domain.GroupFilter) (int, error) {
	if err := domain.CanReadGroups(domain.ViewerFrom(ctx)); err != nil {
		return 0, err
	}
	n, err := s.db.bun.NewSelect().Model((*groupRow)(nil)).Apply(groupFilter(filter)).Count(ctx)
	return int(n), mapError(err, "working groups")
}

// groupFilter returns the WHERE clauses of a group filter; MemberIDs match
// current participants.
func groupFilter(f domain.GroupFilter) func(*bun.SelectQuery) *bun.SelectQuery {
	return func(q *bun.SelectQuery) *bun.SelectQuery {
		if len(f.Themes) > 0 {
			q = q.Where("g.theme IN (?)", bun.List(f.Themes))
		}
		if len(f.Statuses) > 0 {
			q = q.Where("g.status IN (?)", bun.List(f.Statuses))
		}
		if len(f.MemberIDs) > 0 {
			q = q.Where(`EXISTS (SELECT 1 FROM group_participants AS f_gp
				WHERE f_gp.group_id = g.id AND f_gp.left_at IS NULL AND f_gp.member_id IN (?))`, bun.List(f.MemberIDs))
		}
		return q
	}
}

// memberGroupsKeyset orders a member's groups, newest first.
var memberGroupsKeyset = keyset{Name: "member_groups:formed_at:DESC", Expr: "g.formed_at", IDColumn: "g.id", Desc: true, Check: checkTime}

// memberGroupKey is the cursor key of a group in a member's list.
func memberGroupKey(r *groupRow) (any, int64) { return timeCursor(r.FormedAt), r.ID }

// GroupsOfMembers returns one page of the groups each member currently
// takes part in, newest first, in one statement: a LATERAL page per member.
// Returns FORBIDDEN unless the viewer is a member or above, BAD_USER_INPUT
// for a bad page request.
func (s *GroupService) GroupsOfMembers(ctx context.Context, memberIDs []int64, page domain.PageRequest) (map[int64]*domain.Page[*domain.WorkingGroup], error) {
	if err := domain.CanReadGroups(domain.ViewerFrom(ctx)); err != nil {
		return nil, err
	}
	plan, err := s.db.planPage(ctx, memberGroupsKeyset, page)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]*domain.Page[*domain.WorkingGroup], len(memberIDs))
	if len(memberIDs) == 0 {
		return out, nil
	}
	inner := plan.apply(s.db.bun.NewSelect().Model((*groupRow)(nil)).
		Join("JOIN group_participants AS gp ON gp.group_id = g.id AND gp.left_at IS NULL").
		Where("gp.member_id = p.parent_id"))
	var rows []struct {
		ParentID int64 `bun:"parent_id"`
		groupRow
	}
	q := s.db.bun.NewSelect().TableExpr("unnest(?) AS p(parent_id)", idsParam).
		ColumnExpr("p.parent_id, g.*").Join("CROSS JOIN LATERAL (?) AS g", inner).
		OrderExpr("p.parent_id").OrderExpr(lateralOrder(plan))
	if err := s.db.selectByIDs(ctx, q, memberIDs, &rows); err != nil {
		return nil, mapError(err, "working groups")
	}
	byParent := make(map[int64][]*groupRow, len(memberIDs))
	for i := range rows {
		byParent[rows[i].ParentID] = append(byParent[rows[i].ParentID], &rows[i].groupRow)
	}
	for _, id := range memberIDs {
		p := finish(plan, byParent[id], memberGroupKey)
		out[id] = convertPage(p, (*groupRow).toGroup)
	}
	return out, nil
}

// CountGroupsOfMembers counts the groups each member currently takes part in.
func (s *GroupService) CountGroupsOfMembers(ctx context.Context, memberIDs []int64) (map[int64]int, error) {
	if err := domain.CanReadGroups(domain.ViewerFrom(ctx)); err != nil {
		return nil, err
	}
	out := make(map[int64]int, len(memberIDs))
	if len(memberIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		MemberID int64 `bun:"member_id"`
		N        int   `bun:"n"`
	}
	err := s.db.selectByIDs(ctx, s.db.bun.NewSelect().Model((*participantRow)(nil)).ColumnExpr("gp.member_id, count(*) AS n").
		Where("gp.member_id = ANY(?) AND gp.left_at IS NULL", idsParam).
		GroupExpr("gp.member_id"), memberIDs, &rows)
	if err != nil {
		return nil, mapError(err, "working groups")
	}
	for _, id := range memberIDs {
		out[id] = 0
	}
	for _, r := range rows {
		out[r.MemberID] = r.N
	}
	return out, nil
}

// Participants returns the current participants of each group, lead first,
// then by standing.
func (s *GroupService) Participants(ctx context.Context, groupIDs []int64) (map[int64][]domain.Participant, error) {
	if err := domain.CanReadGroups(domain.ViewerFrom(ctx)); err != nil {
		return nil, err
	}
	out := make(map[int64][]domain.Participant, len(groupIDs))
	if len(groupIDs) == 0 {
		return out, nil
	}
	var rows []participantRow
	err := s.db.selectByIDs(ctx, s.db.bun.NewSelect().Model((*participantRow)(nil)).ModelTableExpr(participantsFrom).ColumnExpr("?TableColumns").
		Where("gp.group_id = ANY(?) AND gp.left_at IS NULL", idsParam).
		OrderExpr("gp.group_id, (gp.role = 'LEAD') DESC, "+participantOrder), groupIDs, &rows)
	if err != nil {
		return nil, mapError(err, "participants")
	}
	for i := range rows {
		out[rows[i].GroupID] = append(out[rows[i].GroupID], rows[i].toParticipant())
	}
	return out, nil
}

// JoinGroup adds memberID to an ACTIVE group that has room; joining twice
// changes nothing, and a member who left joins again. A group left without
// a lead is led by whoever joins. Returns FORBIDDEN unless the viewer is
// staff or the ACTIVE member itself, NOT_FOUND for an unknown group or
// member, CONFLICT for a CLOSED or full group or a lapsed member.
func (s *GroupService) JoinGroup(ctx context.Context, groupID, memberID int64) (*domain.WorkingGroup, error) {
	v := domain.ViewerFrom(ctx)
	if err := domain.CanActFor(v, memberID); err != nil {
		return nil, err
	}
	var out *domain.WorkingGroup
	err := s.db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		g, err := lockGroup(ctx, tx, "id", groupID)
		if err != nil {
			return err
		}
		if err := checkActor(ctx, tx, v, memberID, true); err != nil {
			return err
		}
		if err := domain.CanChangeGroup(g); err != nil {
			return err
		}
		role, err := s.join(ctx, tx, g, memberID, true)
		if err != nil {
			return err
		}
		out = g
		changes := map[string]domain.Change{}
		if role != "" {
			changes["participantRole"] = domain.Change{After: role}
		}
		return audit(ctx, tx, auditEntry{
			Mutation: "joinGroup",
			Targets:  []domain.Ref{auditRef(domain.RefWorkingGroup, g.ID), auditRef(domain.RefMember, memberID)},
			Changes:  changes,
		})
	})
	return out, err
}

// join adds memberID to group g unless it already takes part, and returns
// the role it gave ("" when it added nobody). When the group is full it
// adds nobody and, if strict, returns CONFLICT. The caller holds the
// group's row lock.
func (s *GroupService) join(ctx context.Context, tx bun.Tx, g *domain.WorkingGroup, memberID int64, strict bool) (string, error) {
	in, err := tx.NewSelect().Model((*participantRow)(nil)).
		Where("gp.group_id = ? AND gp.member_id = ? AND gp.left_at IS NULL", g.ID, memberID).Exists(ctx)
	if err != nil {
		return "", mapError(err, "participant")
	}
	if in {
		return "", nil
	}
	var count int
	var hasLead bool
	err = tx.NewSelect().Model((*participantRow)(nil)).
		ColumnExpr("count(*), coalesce(bool_or(gp.role = 'LEAD'), false)").
		Where("gp.group_id = ? AND gp.left_at IS NULL", g.ID).Scan(ctx, &count, &hasLead)
	if err != nil {
		return "", mapError(err, "participants")
	}
	if err := domain.CanJoinGroup(g, count, s.capacity()); err != nil {
		if strict {
			return "", err
		}
		return "", nil
	}
	row := &participantRow{GroupID: g.ID, MemberID: memberID, Role: string(domain.RoleParticipant), JoinedAt: s.now()}
	if !hasLead {
		row.Role = string(domain.RoleLead)
	}
	_, err = tx.NewInsert().Model(row).
		On("CONFLICT (group_id, member_id) DO UPDATE").
		Set("role = EXCLUDED.role, joined_at = EXCLUDED.joined_at, left_at = NULL").Exec(ctx)
	if err != nil {
		return "", mapError(err, "participant")
	}
	return row.Role, nil
}

// LeaveGroup removes memberID from an ACTIVE group; its row stays, with the
// time it left, for the engagement history. A leaving lead hands the lead
// to the longest-standing remaining participant. Leaving a group one is not
// in changes nothing. Returns FORBIDDEN unless the viewer is staff or the
// ACTIVE member itself, NOT_FOUND for an unknown group or member, CONFLICT
// for a CLOSED group.
func (s *GroupService) LeaveGroup(ctx context.Context, groupID, memberID int64) (*domain.WorkingGroup, error) {
	v := domain.ViewerFrom(ctx)
	if err := domain.CanActFor(v, memberID); err != nil {
		return nil, err
	}
	var out *domain.WorkingGroup
	err := s.db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		g, err := lockGroup(ctx, tx, "id", groupID)
		if err != nil {
			return err
		}
		if err := checkActor(ctx, tx, v, memberID, false); err != nil {
			return err
		}
		if err := domain.CanChangeGroup(g); err != nil {
			return err
		}
		out = g
		targets := []domain.Ref{auditRef(domain.RefWorkingGroup, g.ID), auditRef(domain.RefMember, memberID)}
		var cur participantRow
		err = tx.NewSelect().Model(&cur).Where("gp.group_id = ? AND gp.member_id = ? AND gp.left_at IS NULL", g.ID, memberID).Scan(ctx)
		if errors.Is(err, sql.ErrNoRows) {
			return audit(ctx, tx, auditEntry{Mutation: "leaveGroup", Targets: targets})
		}
		if err != nil {
			return mapError(err, "participant")
		}
		changes := map[string]domain.Change{"participantRole": {Before: cur.Role}}
		if _, err := tx.NewUpdate().Model((*participantRow)(nil)).
			Set("left_at = ?, role = ?", s.now(), domain.RoleParticipant).
			Where("group_id = ? AND member_id = ?", g.ID, memberID).Exec(ctx); err != nil {
			return mapError(err, "participant")
		}
		if cur.Role == string(domain.RoleLead) {
			var leads []int64
			err = tx.NewRaw(`UPDATE group_participants SET role = ?
				WHERE group_id = ? AND member_id = (
					SELECT gp.member_id FROM `+participantsFrom+`
					WHERE gp.group_id = ? AND gp.left_at IS NULL
					ORDER BY `+participantOrder+` LIMIT 1)
				RETURNING member_id`,
				domain.RoleLead, g.ID, g.ID).Scan(ctx, &leads)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return mapError(err, "participants")
			}
			lead := domain.Change{Before: memberID}
			if len(leads) > 0 {
				lead.After = leads[0]
				targets = append(targets, auditRef(domain.RefMember, leads[0]))
			}
			changes["leadId"] = lead
		}
		return audit(ctx, tx, auditEntry{Mutation: "leaveGroup", Targets: targets, Changes: changes})
	})
	return out, err
}

// CloseGroup closes an ACTIVE group and its question, and cancels its
// SCHEDULED meetings. Returns FORBIDDEN unless the viewer is staff or the
// group's ACTIVE lead, NOT_FOUND for an unknown group, CONFLICT when it is
// already closed.
func (s *GroupService) CloseGroup(ctx context.Context, groupID int64) (*domain.WorkingGroup, error) {
	v := domain.ViewerFrom(ctx)
	if err := domain.CanWriteGroups(v); err != nil {
		return nil, err
	}
	var out *domain.WorkingGroup
	err := s.db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var questionID int64
		err := tx.NewSelect().Model((*groupRow)(nil)).Column("question_id").Where("g.id = ?", groupID).Scan(ctx, &questionID)
		if errors.Is(err, sql.ErrNoRows) {
			return groupNotFound()
		}
		if err != nil {
			return mapError(err, "working group")
		}
		// Lock the question before the group, as supports do.
		if _, err := lockQuestion(ctx, tx, questionID); err != nil {
			return err
		}
		g, err := s.lockLedGroup(ctx, tx, v, groupID)
		if err != nil {
			return err
		}
		if err := domain.CanChangeGroup(g); err != nil {
			return err
		}
		now := s.now()
		if _, err := tx.NewUpdate().Model((*groupRow)(nil)).Set("status = ?, closed_at = ?", domain.GroupClosed, now).
			Where("id = ?", g.ID).Exec(ctx); err != nil {
			return mapError(err, "working group")
		}
		if _, err := tx.NewUpdate().Model((*questionRow)(nil)).Set("status = ?", domain.QuestionClosed).
			Where("id = ?", questionID).Exec(ctx); err != nil {
			return mapError(err, "question")
		}
		var cancelled []int64
		if err := tx.NewUpdate().Model((*meetingRow)(nil)).Set("status = ?", domain.MeetingCancelled).
			Where("group_id = ? AND status = ?", g.ID, domain.MeetingScheduled).Returning("id").Scan(ctx, &cancelled); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return mapError(err, "meetings")
		}
		before := map[string]any{"status": string(g.Status), "closedAt": snapTime(g.ClosedAt)}
		g.Status, g.ClosedAt = domain.GroupClosed, &now
		out = g
		changes := auditDiff(before, map[string]any{"status": string(g.Status), "closedAt": snapTime(g.ClosedAt)})
		targets := []domain.Ref{auditRef(domain.RefWorkingGroup, g.ID), auditRef(domain.RefQuestion, questionID)}
		if len(cancelled) > 0 {
			slices.Sort(cancelled)
			changes["cancelledMeetingIds"] = domain.Change{After: cancelled}
			for _, id := range cancelled {
				targets = append(targets, auditRef(domain.RefMeeting, id))
			}
		}
		return audit(ctx, tx, auditEntry{Mutation: "closeGroup", Targets: targets, Changes: changes})
	})
	return out, err
}

// lockGroup reads the group whose column ("id" or "question_id") equals
// value and locks its row until the transaction ends. Returns NOT_FOUND (on groupId) when there is
// none.
func lockGroup(ctx context.Context, tx bun.Tx, column string, value int64) (*domain.WorkingGroup, error) {
	var row groupRow
	err := tx.NewSelect().Model(&row).Where("g."+column+" = ?", value).For("UPDATE").Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, groupNotFound()
	}
	if err != nil {
		return nil, mapError(err, "working group")
	}
	return row.toGroup(), nil
}

// lockLedGroup locks a group for a write reserved to its lead or staff and
// checks the viewer may make it.
func (s *GroupService) lockLedGroup(ctx context.Context, tx bun.Tx, v domain.Viewer, groupID int64) (*domain.WorkingGroup, error) {
	g, err := lockGroup(ctx, tx, "id", groupID)
	if err != nil {
		return nil, err
	}
	if v.Role == domain.RoleMember {
		if err := checkActor(ctx, tx, v, v.MemberID, false); err != nil {
			if domain.ErrorCode(err) == domain.CodeNotFound {
				return nil, domain.Errorf(domain.CodeForbidden, "the viewer's member does not exist")
			}
			return nil, err
		}
	}
	var lead int64
	err = tx.NewSelect().Model((*participantRow)(nil)).Column("member_id").
		Where("gp.group_id = ? AND gp.role = ? AND gp.left_at IS NULL", g.ID, domain.RoleLead).Scan(ctx, &lead)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, mapError(err, "participants")
	}
	if err := domain.CanLeadGroup(v, lead); err != nil {
		return nil, err
	}
	return g, nil
}

// checkActor checks the member a write acts for: it must exist (NOT_FOUND
// on memberId); a MEMBER viewer, who acts only for itself, must be ACTIVE
// (FORBIDDEN); and when takesPart, so must the member (CONFLICT).
func checkActor(ctx context.Context, db bun.IDB, v domain.Viewer, memberID int64, takesPart bool) error {
	var status string
	err := db.NewSelect().Model((*memberRow)(nil)).Column("status").Where("m.id = ?", memberID).Scan(ctx, &status)
	if errors.Is(err, sql.ErrNoRows) {
		return &domain.Error{Code: domain.CodeNotFound, Message: "member not found", Field: "memberId"}
	}
	if err != nil {
		return mapError(err, "member")
	}
	if err := domain.CheckWriterStatus(v, domain.MemberStatus(status)); err != nil {
		return err
	}
	if takesPart {
		return domain.CanTakePart(domain.MemberStatus(status))
	}
	return nil
}

// groupNotFound is the error of an unknown group id.
func groupNotFound() error {
	return &domain.Error{Code: domain.CodeNotFound, Message: "working group not found", Field: "groupId"}
}

// convertPage converts the items of a page of rows.
func convertPage[R, T any](p *domain.Page[R], conv func(R) T) *domain.Page[T] {
	out := &domain.Page[T]{
		Items: make([]T, len(p.Items)), Cursor: p.Cursor,
		HasNextPage: p.HasNextPage, HasPreviousPage: p.HasPreviousPage,
	}
	for i, r := range p.Items {
		out.Items[i] = conv(r)
	}
	return out
}

// lateralOrder returns the ORDER BY of a page plan for the outer query of
// a LATERAL page, whose subquery has the alias of the keyset's columns.
func lateralOrder(p *pagePlan) string {
	dir := "ASC"
	if p.keys.Desc != p.backward {
		dir = "DESC"
	}
	return fmt.Sprintf("%s %s, %s %s", p.keys.Expr, dir, p.keys.IDColumn, dir)
}
