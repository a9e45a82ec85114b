package postgres

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/uptrace/bun"

	"grappe/domain"
)

// questionRow is a row of the questions table, with its supporter count and
// group id computed by selectQuestions.
type questionRow struct {
	bun.BaseModel `bun:"table:questions,alias:q"`

	ID             int64     `bun:"id,pk,autoincrement"`
	Text           string    `bun:"text"`
	Theme          string    `bun:"theme"`
	RaisedBy       int64     `bun:"raised_by"`
	RaisedAt       time.Time `bun:"raised_at"`
	Status         string    `bun:"status"`
	SupporterCount int       `bun:"supporter_count,scanonly"`
	GroupID        *int64    `bun:"group_id,scanonly"`
}

// supportRow is a member's support of a question.
type supportRow struct {
	bun.BaseModel `bun:"table:question_supports,alias:qs"`

	QuestionID  int64     `bun:"question_id,pk"`
	MemberID    int64     `bun:"member_id,pk"`
	SupportedAt time.Time `bun:"supported_at"`
}

// toQuestion converts a row into a domain question.
func (r *questionRow) toQuestion() *domain.Question {
	return &domain.Question{
		ID: r.ID, Text: r.Text, Theme: domain.Theme(r.Theme), RaisedBy: r.RaisedBy,
		RaisedAt: r.RaisedAt.UTC(), Status: domain.QuestionStatus(r.Status),
		SupporterCount: r.SupporterCount, GroupID: r.GroupID,
	}
}

// supportOrder sorts supports: the raiser first (its question looked up by
// key), then in order of support.
const supportOrder = "(qs.member_id = (SELECT q.raised_by FROM questions AS q WHERE q.id = qs.question_id)) DESC, qs.supported_at, qs.member_id"

// selectQuestions selects questions with their supporter count and group.
func selectQuestions(db bun.IDB, rows any) *bun.SelectQuery {
	return db.NewSelect().Model(rows).
		ColumnExpr("?TableColumns").
		ColumnExpr("(SELECT count(*) FROM question_supports AS c WHERE c.question_id = q.id) AS supporter_count").
		ColumnExpr("(SELECT g.id FROM working_groups AS g WHERE g.question_id = q.id) AS group_id")
}

// questionKeyset sorts questions newest first.
var questionKeyset = keyset{Name: "questions:raised_at:DESC", Expr: "q.raised_at", IDColumn: "q.id", Desc: true, Check: checkTime}

// QuestionsByIDs returns the questions among ids, by id; none to a viewer who may not
// read questions (as if they did not exist).
func (s *GroupService) QuestionsByIDs(ctx context.Context, ids []int64) (map[int64]*domain.Question, error) {
	out := make(map[int64]*domain.Question, len(ids))
	if len(ids) == 0 || domain.CanReadGroups(domain.ViewerFrom(ctx)) != nil {
		return out, nil
	}
	var rows []*questionRow
	if err := s.db.selectByIDs(ctx, selectQuestions(s.db.bun, (*questionRow)(nil)).Where("q.id = ANY(?)", idsParam), ids, &rows); err != nil {
		return nil, mapError(err, "questions")
	}
	for _, r := range rows {
		out[r.ID] = r.toQuestion()
	}
	return out, nil
}

// Questions returns one page of questions matching filter, newest first.
// Returns FORBIDDEN unless the viewer is a member or above, BAD_USER_INPUT
// for a bad page request.
func (s *GroupService) Questions(ctx context.Context, filter domain.QuestionFilter, page domain.PageRequest) (*domain.Page[*domain.Question], error) {
	if err := domain.CanReadGroups(domain.ViewerFrom(ctx)); err != nil {
		return nil, err
	}
	plan, err := s.db.planPage(ctx, questionKeyset, page)
	if err != nil {
		return nil, err
	}
	var rows []*questionRow
	if err := plan.apply(selectQuestions(s.db.bun, &rows).Apply(questionFilter(filter))).Scan(ctx); err != nil {
		return nil, mapError(err, "questions")
	}
	p := finish(plan, rows, func(r *questionRow) (any, int64) { return timeCursor(r.RaisedAt), r.ID })
	return convertPage(p, (*questionRow).toQuestion), nil
}

// CountQuestions counts the questions matching filter.
func (s *GroupService) CountQuestions(ctx context.Context, filter domain.QuestionFilter) (int, error) {
	if err := domain.CanReadGroups(domain.ViewerFrom(ctx)); err != nil {
		return 0, err
	}
	n, err := s.db.bun.NewSelect().Model((*questionRow)(nil)).Apply(questionFilter(filter)).Count(ctx)
	return int(n), mapError(err, "questions")
}

// questionFilter returns the WHERE clauses of a question filter.
func questionFilter(f domain.QuestionFilter) func(*bun.SelectQuery) *bun.SelectQuery {
	return func(q *bun.SelectQuery) *bun.SelectQuery {
		if len(f.Themes) > 0 {
			q = q.Where("q.theme IN (?)", bun.List(f.Themes))
		}
		if len(f.Statuses) > 0 {
			q = q.Where("q.status IN (?)", bun.List(f.Statuses))
		}
		if f.RaisedBy != nil {
			q = q.Where("q.raised_by = ?", *f.RaisedBy)
		}
		if f.SupportedBy != nil {
			q = q.Where("EXISTS (SELECT 1 FROM question_supports AS f_qs WHERE f_qs.question_id = q.id AND f_qs.member_id = ?)", *f.SupportedBy)
		}
		return q
	}
}

// SupporterIDs returns the supporters of each question, raiser first, then
// in order of support.
func (s *GroupService) SupporterIDs(ctx context.Context, questionIDs []int64) (map[int64][]int64, error) {
	if err := domain.CanReadGroups(domain.ViewerFrom(ctx)); err != nil {
		return nil, err
	}
	out := make(map[int64][]int64, len(questionIDs))
	if len(questionIDs) == 0 {
		return out, nil
	}
	var rows []supportRow
	err := s.db.selectByIDs(ctx, s.db.bun.NewSelect().Model((*supportRow)(nil)).Column("qs.question_id", "qs.member_id").
		Where("qs.question_id = ANY(?)", idsParam).
		OrderExpr(supportOrder), questionIDs, &rows)
	if err != nil {
		return nil, mapError(err, "supporters")
	}
	for _, r := range rows {
		out[r.QuestionID] = append(out[r.QuestionID], r.MemberID)
	}
	return out, nil
}

// SupportersOf returns the supporting members of each question, raiser
// first, then in order of support, in one statement.
func (s *GroupService) SupportersOf(ctx context.Context, questionIDs []int64) (map[int64][]*domain.Member, error) {
	if err := domain.CanReadGroups(domain.ViewerFrom(ctx)); err != nil {
		return nil, err
	}
	out := make(map[int64][]*domain.Member, len(questionIDs))
	if len(questionIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		QuestionID int64 `bun:"question_id"`
		memberRow
	}
	err := s.db.selectByIDs(ctx, s.db.bun.NewSelect().Model((*memberRow)(nil)).ColumnExpr("qs.question_id").ColumnExpr("?TableColumns").
		Join("JOIN question_supports AS qs ON qs.member_id = m.id").
		Where("qs.question_id = ANY(?)", idsParam).
		OrderExpr(supportOrder), questionIDs, &rows)
	if err != nil {
		return nil, mapError(err, "supporters")
	}
	v := domain.ViewerFrom(ctx)
	for i := range rows {
		if m := rows[i].read(v); m != nil {
			out[rows[i].QuestionID] = append(out[rows[i].QuestionID], m)
		}
	}
	return out, nil
}

// RaiseQuestion adds an OPEN question supported by its raiser. Returns
// FORBIDDEN unless the viewer is staff or the ACTIVE member itself,
// NOT_FOUND for an unknown member, CONFLICT for a lapsed one,
// BAD_USER_INPUT for a blank or too long text or an unknown theme.
func (s *GroupService) RaiseQuestion(ctx context.Context, memberID int64, text string, theme domain.Theme) (*domain.Question, error) {
	v := domain.ViewerFrom(ctx)
	if err := domain.CanActFor(v, memberID); err != nil {
		return nil, err
	}
	text, err := domain.ValidateQuestion(text, theme)
	if err != nil {
		return nil, err
	}
	var out *domain.Question
	err = s.db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := checkActor(ctx, tx, v, memberID, true); err != nil {
			return err
		}
		now := s.now()
		row := &questionRow{Text: text, Theme: string(theme), RaisedBy: memberID, RaisedAt: now, Status: string(domain.QuestionOpen)}
		if _, err := tx.NewInsert().Model(row).Returning("id").Exec(ctx); err != nil {
			return mapError(err, "question")
		}
		support := &supportRow{QuestionID: row.ID, MemberID: memberID, SupportedAt: now}
		if _, err := tx.NewInsert().Model(support).Exec(ctx); err != nil {
			return mapError(err, "support")
		}
		row.SupporterCount = 1
		out = row.toQuestion()
		return audit(ctx, tx, auditEntry{
			Mutation: "raiseQuestion",
			Targets:  []domain.Ref{auditRef(domain.RefQuestion, row.ID), auditRef(domain.RefMember, memberID)},
			Changes:  auditCreated(questionFields(out)),
		})
	})
	return out, err
}

// SupportQuestion adds memberID's support to a question. Supporting twice
// changes nothing. The third distinct supporter forms the working group in
// the same transaction; supporters arriving later join it while it has
// room. Concurrent supports queue on the question's row lock, so the group
// forms exactly once and no support fails because of the race.
// Returns FORBIDDEN unless the viewer is staff or the ACTIVE member itself,
// NOT_FOUND for an unknown question or member, CONFLICT for a CLOSED
// question or a lapsed member.
func (s *GroupService) SupportQuestion(ctx context.Context, questionID, memberID int64) (*domain.SupportResult, error) {
	v := domain.ViewerFrom(ctx)
	if err := domain.CanActFor(v, memberID); err != nil {
		return nil, err
	}
	var out *domain.SupportResult
	err := s.db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		q, err := lockQuestion(ctx, tx, questionID)
		if err != nil {
			return err
		}
		if err := checkActor(ctx, tx, v, memberID, true); err != nil {
			return err
		}
		if err := domain.CanSupport(q); err != nil {
			return err
		}
		now := s.now()
		res, err := tx.NewInsert().Model(&supportRow{QuestionID: q.ID, MemberID: memberID, SupportedAt: now}).
			On("CONFLICT DO NOTHING").Exec(ctx)
		if err != nil {
			return mapError(err, "support")
		}
		var formed *domain.WorkingGroup
		n, _ := res.RowsAffected()
		if n == 1 {
			if formed, err = s.afterSupport(ctx, tx, q, memberID, now); err != nil {
				return err
			}
		}
		question, err := questionByID(ctx, tx, q.ID)
		if err != nil {
			return err
		}
		out = &domain.SupportResult{Question: question, GroupFormed: formed}
		targets := []domain.Ref{auditRef(domain.RefQuestion, q.ID), auditRef(domain.RefMember, memberID)}
		if formed != nil {
			targets = append(targets, auditRef(domain.RefWorkingGroup, formed.ID))
		}
		before := map[string]any{"status": string(q.Status), "supporterCount": question.SupporterCount - int(n)}
		return audit(ctx, tx, auditEntry{Mutation: "supportQuestion", Targets: targets, Changes: auditDiff(before, supportFields(question))})
	})
	return out, err
}

// afterSupport forms the group of an OPEN question that now has enough
// supporters, or adds the new supporter to the group already formed while
// it has room. It returns the group it formed, if any.
func (s *GroupService) afterSupport(ctx context.Context, tx bun.Tx, q *domain.Question, memberID int64, now time.Time) (*domain.WorkingGroup, error) {
	switch q.Status {
	case domain.QuestionOpen:
		n, err := tx.NewSelect().Model((*supportRow)(nil)).Where("qs.question_id = ?", q.ID).Count(ctx)
		if err != nil {
			return nil, mapError(err, "supporters")
		}
		if !domain.FormsGroup(q, int(n)) {
			return nil, nil
		}
		return s.formGroup(ctx, tx, q, now)
	case domain.QuestionGroupFormed:
		g, err := lockGroup(ctx, tx, "question_id", q.ID)
		if err != nil {
			return nil, err
		}
		_, err = s.join(ctx, tx, g, memberID, false)
		return nil, err
	}
	return nil, nil
}

// formGroup forms the working group of question q: its participants are
// the supporters in order of support, as many as the group holds, led by
// the raiser.
func (s *GroupService) formGroup(ctx context.Context, tx bun.Tx, q *domain.Question, now time.Time) (*domain.WorkingGroup, error) {
	g := &groupRow{QuestionID: q.ID, Name: domain.GroupName(q.Text), Theme: string(q.Theme), Status: string(domain.GroupActive), FormedAt: now}
	if _, err := tx.NewInsert().Model(g).Returning("id").Exec(ctx); err != nil {
		return nil, mapError(err, "working group")
	}
	_, err := tx.NewRaw(`
		INSERT INTO group_participants (group_id, member_id, role, joined_at)
		SELECT ?, member_id, CASE WHEN n = 1 THEN 'LEAD' ELSE 'MEMBER' END, ?
		FROM (SELECT qs.member_id, row_number() OVER (ORDER BY `+supportOrder+`) AS n
		      FROM question_supports AS qs WHERE qs.question_id = ?) AS s
		WHERE n <= ?`, g.ID, now, q.ID, s.capacity()).Exec(ctx)
	if err != nil {
		return nil, mapError(err, "participants")
	}
	if _, err := tx.NewUpdate().Model((*questionRow)(nil)).Set("status = ?", domain.QuestionGroupFormed).
		Where("id = ?", q.ID).Exec(ctx); err != nil {
		return nil, mapError(err, "question")
	}
	return g.toGroup(), nil
}

// WithdrawSupport removes memberID's support of an OPEN question; removing
// a support that does not exist changes nothing. Returns FORBIDDEN unless
// the viewer is staff or the ACTIVE member itself, NOT_FOUND for an unknown
// question or member, BAD_USER_INPUT for the raiser, CONFLICT once the
// group formed.
func (s *GroupService) WithdrawSupport(ctx context.Context, questionID, memberID int64) (*domain.SupportResult, error) {
	v := domain.ViewerFrom(ctx)
	if err := domain.CanActFor(v, memberID); err != nil {
		return nil, err
	}
	var out *domain.SupportResult
	err := s.db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		q, err := lockQuestion(ctx, tx, questionID)
		if err != nil {
			return err
		}
		if err := checkActor(ctx, tx, v, memberID, false); err != nil {
			return err
		}
		if err := domain.CanWithdrawSupport(q, memberID); err != nil {
			return err
		}
		res, err := tx.NewDelete().Model((*supportRow)(nil)).
			Where("question_id = ? AND member_id = ?", q.ID, memberID).Exec(ctx)
		if err != nil {
			return mapError(err, "support")
		}
		n, _ := res.RowsAffected()
		question, err := questionByID(ctx, tx, q.ID)
		if err != nil {
			return err
		}
		out = &domain.SupportResult{Question: question}
		before := map[string]any{"status": string(q.Status), "supporterCount": question.SupporterCount + int(n)}
		return audit(ctx, tx, auditEntry{
			Mutation: "withdrawSupport",
			Targets:  []domain.Ref{auditRef(domain.RefQuestion, q.ID), auditRef(domain.RefMember, memberID)},
			Changes:  auditDiff(before, supportFields(question)),
		})
	})
	return out, err
}

// lockQuestion reads a question and locks its row until the transaction
// ends. Returns NOT_FOUND (on questionId) when there is none.
func lockQuestion(ctx context.Context, tx bun.Tx, id int64) (*domain.Question, error) {
	var row questionRow
	err := tx.NewSelect().Model(&row).Where("q.id = ?", id).For("UPDATE").Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, &domain.Error{Code: domain.CodeNotFound, Message: "question not found", Field: "questionId"}
	}
	if err != nil {
		return nil, mapError(err, "question")
	}
	return row.toQuestion(), nil
}

// questionByID reads one question with its supporter count and group.
func questionByID(ctx context.Context, db bun.IDB, id int64) (*domain.Question, error) {
	var row questionRow
	if err := selectQuestions(db, &row).Where("q.id = ?", id).Scan(ctx); err != nil {
		return nil, mapError(err, "question")
	}
	return row.toQuestion(), nil
}

// questionFields is the audited snapshot of a question.
func questionFields(q *domain.Question) map[string]any {
	return map[string]any{
		"text": q.Text, "theme": string(q.Theme),
		"status": string(q.Status), "supporterCount": q.SupporterCount,
	}
}

// supportFields is the audited snapshot of a question's support.
func supportFields(q *domain.Question) map[string]any {
	return map[string]any{"status": string(q.Status), "supporterCount": q.SupporterCount}
}
