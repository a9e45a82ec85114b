package postgres

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"grappe/domain"
)

// TrainingService implements domain.TrainingService: trainings and their
// registrations. A write that touches a training's seats locks the
// training's row first, so that concurrent registrations queue: each
// counts the seats taken by those committed before it, and none takes a
// seat beyond the capacity (the table's CHECK on registration_count is the
// last guard).
type TrainingService struct{ db *DB }

// Trainings returns the training service of db.
func (db *DB) Trainings() *TrainingService { return &TrainingService{db: db} }

var _ domain.TrainingService = (*TrainingService)(nil)

// trainingRow is a row of the trainings table, with what the viewer may
// read of its registrations (see trainingColumns).
type trainingRow struct {
	bun.BaseModel `bun:"table:trainings,alias:tr"`

	ID                int64     `bun:"id,pk,autoincrement"`
	Title             string    `bun:"title"`
	Theme             string    `bun:"theme"`
	Description       string    `bun:"description,nullzero"`
	StartsAt          time.Time `bun:"starts_at"`
	DurationMinutes   int       `bun:"duration_minutes"`
	Place             string    `bun:"place,nullzero"`
	Capacity          int       `bun:"capacity"`
	RegistrationCount int       `bun:"registration_count"`
	Status            string    `bun:"status"`
	CreatedAt         time.Time `bun:"created_at,nullzero,notnull,default:current_timestamp"`
	ViewerRegistered  bool      `bun:"viewer_registered,scanonly"`
	AttendeeIDs       []int64   `bun:"attendee_ids,array,scanonly"`
}

// registrationRow is a member's seat at a training.
type registrationRow struct {
	bun.BaseModel `bun:"table:training_registrations,alias:rg"`

	TrainingID   int64     `bun:"training_id,pk"`
	MemberID     int64     `bun:"member_id,pk"`
	RegisteredAt time.Time `bun:"registered_at"`
	Attended     bool      `bun:"attended"`
}

// read converts a row into the domain training v may read.
func (r *trainingRow) read(v domain.Viewer) *domain.Training {
	t := &domain.Training{
		ID: r.ID, Title: r.Title, Theme: domain.Theme(r.Theme), Description: r.Description,
		StartsAt: r.StartsAt.UTC(), DurationMinutes: r.DurationMinutes, Place: r.Place, Capacity: r.Capacity,
		RegistrationCount: r.RegistrationCount, Status: domain.TrainingStatus(r.Status),
		ViewerRegistered: r.ViewerRegistered, AttendeeIDs: r.AttendeeIDs,
	}
	if t.AttendeeIDs == nil {
		t.AttendeeIDs = []int64{}
	}
	return domain.ReadTraining(v, t)
}

// trainingColumns selects a training with what v may read of its
// registrations: whether v's member is registered (member is how the
// statement names that member: a parameter or its id), and, for analysts
// and staff, the ids of the attendees. Storage never reads the attendees
// for a viewer who may not see them.
func trainingColumns(v domain.Viewer, member any) func(*bun.SelectQuery) *bun.SelectQuery {
	return func(q *bun.SelectQuery) *bun.SelectQuery {
		q = q.ColumnExpr("?TableColumns")
		if v.Role == domain.RoleMember {
			q = q.ColumnExpr(`EXISTS (SELECT 1 FROM training_registrations AS vr
				WHERE vr.training_id = tr.id AND vr.member_id = ?) AS viewer_registered`, member)
		}
		if domain.CanReadRegistrants(v) == nil {
			q = q.ColumnExpr(`ARRAY(SELECT a.member_id FROM training_registrations AS a
				WHERE a.training_id = tr.id AND a.attended ORDER BY a.member_id) AS attendee_ids`)
		}
		return q
	}
}

// trainingKeyset sorts trainings soonest first.
var trainingKeyset = keyset{Name: "trainings:starts_at:ASC", Expr: "tr.starts_at", IDColumn: "tr.id", Check: checkTime}

// now returns the service's clock at the database's precision.
func (s *TrainingService) now() time.Time { return s.db.Now().UTC().Truncate(time.Microsecond) }

// TrainingsByIDs returns the trainings among ids, by id, in one prepared
// statement (the viewer's member a parameter of it).
func (s *TrainingService) TrainingsByIDs(ctx context.Context, ids []int64) (map[int64]*domain.Training, error) {
	out := make(map[int64]*domain.Training, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	v := domain.ViewerFrom(ctx)
	q := s.db.bun.NewSelect().Model((*trainingRow)(nil)).Apply(trainingColumns(v, bun.Safe("$2::bigint"))).
		Where("tr.id = ANY(?)", idsParam)
	args := []any{idArray(ids)}
	if v.Role == domain.RoleMember {
		args = append(args, v.MemberID)
	}
	var rows []trainingRow
	if err := s.db.selectPrepared(ctx, q.String(), &rows, args...); err != nil {
		return nil, mapError(err, "trainings")
	}
	for i := range rows {
		out[rows[i].ID] = rows[i].read(v)
	}
	return out, nil
}

// Trainings returns one page of the trainings matching filter, soonest
// first. Every role reads them. Returns BAD_USER_INPUT for a bad page
// request, an unknown theme or status, or filter.to before filter.from.
func (s *TrainingService) Trainings(ctx context.Context, filter domain.TrainingFilter, page domain.PageRequest) (*domain.Page[*domain.Training], error) {
	if err := domain.ValidateTrainingFilter(filter); err != nil {
		return nil, err
	}
	plan, err := s.db.planPage(ctx, trainingKeyset, page)
	if err != nil {
		return nil, err
	}
	v := domain.ViewerFrom(ctx)
	var rows []*trainingRow
	q := s.db.bun.NewSelect().Model(&rows).Apply(trainingColumns(v, v.MemberID)).Apply(trainingFilter(filter))
	if err := plan.apply(q).Scan(ctx); err != nil {
		return nil, mapError(err, "trainings")
	}
	p := finish(plan, rows, func(r *trainingRow) (any, int64) { return timeCursor(r.StartsAt), r.ID })
	return convertPage(p, func(r *trainingRow) *domain.Training { return r.read(v) }), nil
}

// CountTrainings counts the trainings matching filter.
func (s *TrainingService) CountTrainings(ctx context.Context, filter domain.TrainingFilter) (int, error) {
	if err := domain.ValidateTrainingFilter(filter); err != nil {
		return 0, err
	}
	n, err := s.db.bun.NewSelect().Model((*trainingRow)(nil)).Apply(trainingFilter(filter)).Count(ctx)
	return int(n), mapError(err, "trainings")
}

// trainingFilter returns the WHERE clauses of a training filter.
func trainingFilter(f domain.TrainingFilter) func(*bun.SelectQuery) *bun.SelectQuery {
	return func(q *bun.SelectQuery) *bun.SelectQuery {
		if len(f.Themes) > 0 {
			q = q.Where("tr.theme IN (?)", bun.List(f.Themes))
		}
		if len(f.Statuses) > 0 {
			q = q.Where("tr.status IN (?)", bun.List(f.Statuses))
		}
		if f.From != nil {
			q = q.Where("tr.starts_at >= ?", f.From.UTC())
		}
		if f.To != nil {
			q = q.Where("tr.starts_at < ?", f.To.UTC())
		}
		return q
	}
}

// registrationKeyset sorts a training's registrations in order of
// registration (first come, first served).
var registrationKeyset = keyset{Name: "training_registrations:registered_at:ASC", Expr: "rg.registered_at", IDColumn: "rg.member_id", Check: checkTime}

// RegistrationsOfTrainings returns one page of each training's registered
// members, in order of registration, in one statement: a LATERAL page per
// training. Returns FORBIDDEN unless the viewer is an analyst or staff,
// BAD_USER_INPUT for a bad page request.
func (s *TrainingService) RegistrationsOfTrainings(ctx context.Context, trainingIDs []int64, page domain.PageRequest) (map[int64]*domain.Page[*domain.Member], error) {
	v := domain.ViewerFrom(ctx)
	if err := domain.CanReadRegistrants(v); err != nil {
		return nil, err
	}
	plan, err := s.db.planPage(ctx, registrationKeyset, page)
	if err != nil {
		return nil, err
	}
	ids := uniqueIDs(trainingIDs)
	out := make(map[int64]*domain.Page[*domain.Member], len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	inner := plan.apply(s.db.bun.NewSelect().TableExpr("training_registrations AS rg").
		Join("JOIN members AS m ON m.id = rg.member_id").
		ColumnExpr("rg.registered_at, rg.member_id").ColumnExpr(memberColumns()).
		Where("rg.training_id = p.parent_id").Apply(memberScope(v)))
	var rows []struct {
		ParentID     int64     `bun:"parent_id"`
		RegisteredAt time.Time `bun:"registered_at"`
		MemberID     int64     `bun:"member_id"`
		memberRow
	}
	err = s.db.bun.NewSelect().TableExpr("unnest(?::bigint[]) AS p(parent_id)", pgdialect.Array(ids)).
		ColumnExpr("p.parent_id, rg.*").Join("CROSS JOIN LATERAL (?) AS rg", inner).
		OrderExpr("p.parent_id").OrderExpr(lateralOrder(plan)).Scan(ctx, &rows)
	if err != nil {
		return nil, mapError(err, "registrations")
	}
	byTraining := make(map[int64][]*memberRow, len(ids))
	at := make(map[*memberRow]time.Time, len(rows))
	for i := range rows {
		r := &rows[i].memberRow
		byTraining[rows[i].ParentID] = append(byTraining[rows[i].ParentID], r)
		at[r] = rows[i].RegisteredAt
	}
	for _, id := range ids {
		p := finish(plan, byTraining[id], func(r *memberRow) (any, int64) { return timeCursor(at[r]), r.ID })
		out[id] = toMemberPage(v, p)
	}
	return out, nil
}

// CountRegistrationsOfTrainings returns how many members registered for
// each training (its seats taken). Returns FORBIDDEN unless the viewer is
// an analyst or staff.
func (s *TrainingService) CountRegistrationsOfTrainings(ctx context.Context, trainingIDs []int64) (map[int64]int, error) {
	if err := domain.CanReadRegistrants(domain.ViewerFrom(ctx)); err != nil {
		return nil, err
	}
	out := make(map[int64]int, len(trainingIDs))
	if len(trainingIDs) == 0 {
		return out, nil
	}
	for _, id := range trainingIDs {
		out[id] = 0
	}
	var rows []struct {
		ID                int64 `bun:"id"`
		RegistrationCount int   `bun:"registration_count"`
	}
	q := s.db.bun.NewSelect().Model((*trainingRow)(nil)).Column("id", "registration_count").Where("tr.id = ANY(?)", idsParam)
	if err := s.db.selectByIDs(ctx, q, trainingIDs, &rows); err != nil {
		return nil, mapError(err, "registrations")
	}
	for _, r := range rows {
		out[r.ID] = r.RegistrationCount
	}
	return out, nil
}

// ScheduleTraining adds a SCHEDULED training. Returns FORBIDDEN unless
// the viewer is staff, BAD_USER_INPUT naming the field of a training
// without title, theme, start, duration (1 to 480 minutes) or capacity
// (1 to 1000 seats).
func (s *TrainingService) ScheduleTraining(ctx context.Context, in domain.TrainingInput) (*domain.Training, error) {
	v := domain.ViewerFrom(ctx)
	if err := domain.CanManageTrainings(v); err != nil {
		return nil, err
	}
	in, err := domain.ValidateTrainingInput(in)
	if err != nil {
		return nil, err
	}
	var out *domain.Training
	err = s.db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		row := &trainingRow{
			Title: in.Title, Theme: string(in.Theme), Description: in.Description,
			StartsAt: in.StartsAt.UTC().Truncate(time.Microsecond), DurationMinutes: in.DurationMinutes,
			Place: in.Place, Capacity: in.Capacity, Status: string(domain.TrainingScheduled),
		}
		if _, err := tx.NewInsert().Model(row).Returning("id, created_at").Exec(ctx); err != nil {
			return mapError(err, "training")
		}
		out = row.read(v)
		return audit(ctx, tx, auditEntry{
			Mutation: "scheduleTraining",
			Targets:  []domain.Ref{auditRef(domain.RefTraining, out.ID)},
			Changes:  auditCreated(trainingFields(out)),
		})
	})
	return out, err
}

// RegisterForTraining gives memberID a seat at a SCHEDULED training;
// registering twice changes nothing. Returns FORBIDDEN unless the viewer
// is staff or the ACTIVE member itself, NOT_FOUND for an unknown training
// or member, CONFLICT for a lapsed member, a training HELD or CANCELLED,
// or (for a member) started, and when every seat is taken.
func (s *TrainingService) RegisterForTraining(ctx context.Context, trainingID, memberID int64) (*domain.Training, error) {
	return s.changeRegistration(ctx, "registerForTraining", trainingID, memberID, true,
		func(ctx context.Context, tx bun.Tx, t *domain.Training) (int, error) {
			registered, err := tx.NewSelect().Model((*registrationRow)(nil)).
				Where("rg.training_id = ? AND rg.member_id = ?", t.ID, memberID).Exists(ctx)
			if err != nil || registered {
				return 0, mapError(err, "registration")
			}
			if err := domain.HasSeat(t); err != nil {
				return 0, err
			}
			_, err = tx.NewInsert().Model(&registrationRow{TrainingID: t.ID, MemberID: memberID, RegisteredAt: s.now()}).Exec(ctx)
			return 1, mapError(err, "registration")
		})
}

// CancelRegistration frees memberID's seat at a SCHEDULED training;
// cancelling a registration that does not exist changes nothing. Returns
// FORBIDDEN unless the viewer is staff or the ACTIVE member itself,
// NOT_FOUND for an unknown training or member, CONFLICT for a training
// HELD or CANCELLED, or (for a member) started.
func (s *TrainingService) CancelRegistration(ctx context.Context, trainingID, memberID int64) (*domain.Training, error) {
	return s.changeRegistration(ctx, "cancelRegistration", trainingID, memberID, false,
		func(ctx context.Context, tx bun.Tx, t *domain.Training) (int, error) {
			res, err := tx.NewDelete().Model((*registrationRow)(nil)).
				Where("training_id = ? AND member_id = ?", t.ID, memberID).Exec(ctx)
			if err != nil {
				return 0, mapError(err, "registration")
			}
			if n, _ := res.RowsAffected(); n > 0 {
				return -1, nil
			}
			return 0, nil
		})
}

// changeRegistration runs a registration change of memberID at a training
// under the training's row lock, after the checks both share: the viewer
// may act for the member (an ACTIVE one when active), and registrations of
// the training may change. change returns how the seats taken moved (-1,
// 0 or 1); the count follows, and the mutation is audited.
func (s *TrainingService) changeRegistration(ctx context.Context, mutation string, trainingID, memberID int64, active bool,
	change func(context.Context, bun.Tx, *domain.Training) (int, error),
) (*domain.Training, error) {
	v := domain.ViewerFrom(ctx)
	if err := domain.CanRegisterAs(v, memberID); err != nil {
		return nil, err
	}
	var out *domain.Training
	err := s.db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		t, err := lockTraining(ctx, tx, trainingID)
		if err != nil {
			return err
		}
		if err := checkActor(ctx, tx, v, memberID, active); err != nil {
			return err
		}
		if err := domain.CanChangeRegistrations(v, t, s.now()); err != nil {
			return err
		}
		delta, err := change(ctx, tx, t)
		if err != nil {
			return err
		}
		var changes map[string]domain.Change
		if delta != 0 {
			if err := setRegistrationCount(ctx, tx, t, t.RegistrationCount+delta); err != nil {
				return err
			}
			changes = map[string]domain.Change{"registrationCount": {Before: t.RegistrationCount - delta, After: t.RegistrationCount}}
		}
		if out, err = readTraining(ctx, tx, v, t.ID); err != nil {
			return err
		}
		targets := []domain.Ref{auditRef(domain.RefTraining, t.ID), auditRef(domain.RefMember, memberID)}
		return audit(ctx, tx, auditEntry{Mutation: mutation, Targets: targets, Changes: changes})
	})
	return out, err
}

// RecordTrainingAttendance records which registered members attended a
// training and marks it HELD. Returns FORBIDDEN unless the viewer is
// staff, NOT_FOUND for an unknown training, BAD_USER_INPUT (field
// attendeeIds) without attendees or for an attendee who was not
// registered, CONFLICT unless the training is SCHEDULED and has started.
func (s *TrainingService) RecordTrainingAttendance(ctx context.Context, trainingID int64, attendeeIDs []int64) (*domain.Training, error) {
	v := domain.ViewerFrom(ctx)
	if err := domain.CanManageTrainings(v); err != nil {
		return nil, err
	}
	ids, err := domain.ValidateTrainingAttendees(attendeeIDs)
	if err != nil {
		return nil, err
	}
	var out *domain.Training
	err = s.db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		t, err := lockTraining(ctx, tx, trainingID)
		if err != nil {
			return err
		}
		if err := domain.CanRecordAttendance(t, s.now()); err != nil {
			return err
		}
		var marked []int64
		err = tx.NewUpdate().Model((*registrationRow)(nil)).Set("attended = true").
			Where("training_id = ? AND member_id IN (?)", t.ID, bun.List(ids)).Returning("member_id").Scan(ctx, &marked)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return mapError(err, "registrations")
		}
		if len(marked) != len(ids) {
			return domain.InvalidField("attendeeIds", "every attendee must be registered for the training")
		}
		before := trainingFields(t)
		if err := setTrainingStatus(ctx, tx, t, domain.TrainingHeld); err != nil {
			return err
		}
		after := trainingFields(t)
		after["attendeeIds"] = ids
		if out, err = readTraining(ctx, tx, v, t.ID); err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{
			Mutation: "recordTrainingAttendance",
			Targets:  trainingTargets(t.ID, ids),
			Changes:  auditDiff(before, after),
		})
	})
	return out, err
}

// CancelTraining cancels a SCHEDULED training; its registrations are kept.
// Returns FORBIDDEN unless the viewer is staff, NOT_FOUND for an unknown
// training, CONFLICT unless it is SCHEDULED (cancelling twice, or a
// training held).
func (s *TrainingService) CancelTraining(ctx context.Context, trainingID int64) (*domain.Training, error) {
	v := domain.ViewerFrom(ctx)
	if err := domain.CanManageTrainings(v); err != nil {
		return nil, err
	}
	var out *domain.Training
	err := s.db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		t, err := lockTraining(ctx, tx, trainingID)
		if err != nil {
			return err
		}
		if err := domain.CanCancelTraining(t); err != nil {
			return err
		}
		before := trainingFields(t)
		if err := setTrainingStatus(ctx, tx, t, domain.TrainingCancelled); err != nil {
			return err
		}
		if out, err = readTraining(ctx, tx, v, t.ID); err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{
			Mutation: "cancelTraining",
			Targets:  []domain.Ref{auditRef(domain.RefTraining, t.ID)},
			Changes:  auditDiff(before, trainingFields(t)),
		})
	})
	return out, err
}

// lockTraining reads a training and locks its row until the transaction
// ends: the writes of its seats queue behind each other. Returns NOT_FOUND
// (on trainingId) when there is none.
func lockTraining(ctx context.Context, tx bun.Tx, id int64) (*domain.Training, error) {
	var row trainingRow
	err := tx.NewSelect().Model(&row).Where("tr.id = ?", id).For("UPDATE").Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, &domain.Error{Code: domain.CodeNotFound, Message: "training not found", Field: "trainingId"}
	}
	if err != nil {
		return nil, mapError(err, "training")
	}
	return row.read(domain.Viewer{Role: domain.RoleStaff}), nil
}

// readTraining reads a training as v may see it, inside tx.
func readTraining(ctx context.Context, tx bun.Tx, v domain.Viewer, id int64) (*domain.Training, error) {
	var row trainingRow
	if err := tx.NewSelect().Model(&row).Apply(trainingColumns(v, v.MemberID)).Where("tr.id = ?", id).Scan(ctx); err != nil {
		return nil, mapError(err, "training")
	}
	return row.read(v), nil
}

// setRegistrationCount sets the seats taken at t (locked), in the row and in t.
// The table refuses more seats than the capacity (constraint
// trainings_seats): CONFLICT, as the policy says.
func setRegistrationCount(ctx context.Context, tx bun.Tx, t *domain.Training, n int) error {
	_, err := tx.NewUpdate().Model((*trainingRow)(nil)).Set("registration_count = ?", n).Where("id = ?", t.ID).Exec(ctx)
	if constraintOf(err) == "trainings_seats" {
		return domain.Errorf(domain.CodeConflict, "the training is full (%d seats)", t.Capacity)
	}
	if err != nil {
		return mapError(err, "training")
	}
	t.RegistrationCount = n
	return nil
}

// setTrainingStatus sets the status of t (locked), in the row and in t.
func setTrainingStatus(ctx context.Context, tx bun.Tx, t *domain.Training, status domain.TrainingStatus) error {
	if _, err := tx.NewUpdate().Model((*trainingRow)(nil)).Set("status = ?", status).Where("id = ?", t.ID).Exec(ctx); err != nil {
		return mapError(err, "training")
	}
	t.Status = status
	return nil
}

// trainingTargets names a training and members in the audit trail.
func trainingTargets(trainingID int64, memberIDs []int64) []domain.Ref {
	refs := []domain.Ref{auditRef(domain.RefTraining, trainingID)}
	for _, id := range memberIDs {
		refs = append(refs, auditRef(domain.RefMember, id))
	}
	return refs
}

// trainingFields is the audited snapshot of a training.
func trainingFields(t *domain.Training) map[string]any {
	return map[string]any{
		"title": t.Title, "theme": string(t.Theme), "description": snapText(t.Description),
		"startsAt": snapTime(&t.StartsAt), "durationMinutes": t.DurationMinutes, "place": snapText(t.Place),
		"capacity": t.Capacity, "status": string(t.Status),
	}
}
