package postgres

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/uptrace/bun"

	"grappe/domain"
)

// TradeShowService implements domain.TradeShowService: shows, their
// exhibitors and their leads. A write that depends on a show's dates
// holds its row (recordLead shares it, updateTradeShow locks it), and a
// write on an exhibitor locks the exhibitor's row, so that concurrent
// writes queue instead of breaking a rule.
type TradeShowService struct{ db *DB }

// TradeShows returns the trade show service of db.
func (db *DB) TradeShows() *TradeShowService { return &TradeShowService{db: db} }

var _ domain.TradeShowService = (*TradeShowService)(nil)

// tradeShowRow is a row of the trade_shows table.
type tradeShowRow struct {
	bun.BaseModel `bun:"table:trade_shows,alias:ts"`

	ID           int64     `bun:"id,pk,autoincrement"`
	Edition      int       `bun:"edition"`
	Year         int       `bun:"year"` // generated from starts_on: never written
	City         string    `bun:"city"`
	Venue        string    `bun:"venue"`
	StartsOn     time.Time `bun:"starts_on,type:date"`
	EndsOn       time.Time `bun:"ends_on,type:date"`
	VisitorCount int       `bun:"visitor_count"`
	UpdatedAt    time.Time `bun:"updated_at"`
}

func (r *tradeShowRow) toTradeShow() *domain.TradeShow {
	return &domain.TradeShow{ID: r.ID, Edition: r.Edition, Year: r.Year, City: r.City, Venue: r.Venue,
		StartsOn: r.StartsOn.UTC(), EndsOn: r.EndsOn.UTC(), VisitorCount: r.VisitorCount}
}

// tradeShowFields is the audited snapshot of a show.
func tradeShowFields(s *domain.TradeShow) map[string]any {
	return map[string]any{"edition": s.Edition, "city": s.City, "venue": s.Venue,
		"startsOn": snapDay(&s.StartsOn), "endsOn": snapDay(&s.EndsOn), "visitorCount": s.VisitorCount}
}

// exhibitorRow is a row of the exhibitors table.
type exhibitorRow struct {
	bun.BaseModel `bun:"table:exhibitors,alias:e"`

	ID          int64  `bun:"id,pk,autoincrement"`
	TradeShowID int64  `bun:"trade_show_id"`
	MemberID    *int64 `bun:"member_id"`
	Name        string `bun:"name"`
	Booth       string `bun:"booth"`
}

func (r *exhibitorRow) toExhibitor() *domain.Exhibitor {
	return &domain.Exhibitor{ID: r.ID, TradeShowID: r.TradeShowID, MemberID: r.MemberID, Name: r.Name, Booth: r.Booth}
}

// exhibitorFields is the audited snapshot of an exhibitor.
func exhibitorFields(r *exhibitorRow, tradeIDs []int64) map[string]any {
	f := map[string]any{"name": r.Name, "booth": r.Booth, "member": snapOpt(r.MemberID), "tradeIds": nil}
	if len(tradeIDs) > 0 {
		f["tradeIds"] = tradeIDs
	}
	return f
}

// exhibitorTradeRow is a trade an exhibitor that is not a member shows.
type exhibitorTradeRow struct {
	bun.BaseModel `bun:"table:exhibitor_trades,alias:et"`

	ExhibitorID int64 `bun:"exhibitor_id,pk"`
	TradeID     int64 `bun:"trade_id,pk"`
}

// leadRow is a row of the leads table.
type leadRow struct {
	bun.BaseModel `bun:"table:leads,alias:ld"`

	ID              int64     `bun:"id,pk,autoincrement"`
	TradeShowID     int64     `bun:"trade_show_id"`
	ExhibitorID     int64     `bun:"exhibitor_id"`
	VisitorMemberID *int64    `bun:"visitor_member_id"`
	VisitorCompany  string    `bun:"visitor_company,nullzero"`
	ScannedAt       time.Time `bun:"scanned_at"`
	Note            string    `bun:"note,nullzero"`
	ConvertedLinkID *int64    `bun:"converted_link_id"`
}

func (r *leadRow) toLead() *domain.Lead {
	return &domain.Lead{ID: r.ID, TradeShowID: r.TradeShowID, ExhibitorID: r.ExhibitorID, VisitorMemberID: r.VisitorMemberID,
		VisitorCompany: r.VisitorCompany, ScannedAt: r.ScannedAt.UTC(), Note: r.Note, ConvertedLinkID: r.ConvertedLinkID}
}

// leadFields is the audited snapshot of a lead.
func leadFields(r *leadRow) map[string]any {
	return map[string]any{"visitorMember": snapOpt(r.VisitorMemberID), "visitorCompany": snapText(r.VisitorCompany),
		"scannedAt": snapTime(&r.ScannedAt), "note": snapText(r.Note), "convertedLink": snapOpt(r.ConvertedLinkID)}
}

// Keysets of the lists: shows by year (one a year), the newest first;
// exhibitors by name; leads the latest scanned first.
var (
	tradeShowKeyset = keyset{Name: "tradeShows:year:DESC", Expr: "ts.year", IDColumn: "ts.id", Desc: true, Check: checkInt}
	exhibitorKeyset = keyset{Name: "exhibitors:name", Expr: "e.name", IDColumn: "e.id", Check: checkString}
	leadKeyset      = keyset{Name: "leads:scanned_at:DESC", Expr: "ld.scanned_at", IDColumn: "ld.id", Desc: true, Check: checkTime}
)

func tradeShowKey(r *tradeShowRow) (any, int64) { return int64(r.Year), r.ID }
func exhibitorKey(r *exhibitorRow) (any, int64) { return r.Name, r.ID }
func leadKey(r *leadRow) (any, int64)           { return timeCursor(r.ScannedAt), r.ID }

// leadVisibility restricts leads (alias ld) to those the viewer may read
// (domain.LeadScopeOf): a member's, those of its own exhibitors.
func leadVisibility(v domain.Viewer) func(*bun.SelectQuery) *bun.SelectQuery {
	return func(q *bun.SelectQuery) *bun.SelectQuery {
		scope := domain.LeadScopeOf(v)
		switch {
		case scope.None:
			return q.Where("FALSE")
		case scope.ExhibitorMember != 0:
			return q.Where("ld.exhibitor_id IN (SELECT vis_e.id FROM exhibitors AS vis_e WHERE vis_e.member_id = ?)", scope.ExhibitorMember)
		}
		return q
	}
}

// TradeShowsByIDs returns the shows among ids, by id.
func (s *TradeShowService) TradeShowsByIDs(ctx context.Context, ids []int64) (map[int64]*domain.TradeShow, error) {
	out := make(map[int64]*domain.TradeShow, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []*tradeShowRow
	if err := s.db.selectByIDs(ctx, s.db.bun.NewSelect().Model((*tradeShowRow)(nil)).Where("ts.id = ANY(?)", idsParam), ids, &rows); err != nil {
		return nil, mapError(err, "trade shows")
	}
	for _, r := range rows {
		out[r.ID] = r.toTradeShow()
	}
	return out, nil
}

// TradeShows returns one page of shows, the newest first. BAD_USER_INPUT
// for a bad page request.
func (s *TradeShowService) TradeShows(ctx context.Context, page domain.PageRequest) (*domain.Page[*domain.TradeShow], error) {
	plan, err := s.db.planPage(ctx, tradeShowKeyset, page)
	if err != nil {
		return nil, err
	}
	var rows []*tradeShowRow
	if err := plan.apply(s.db.bun.NewSelect().Model(&rows)).Scan(ctx); err != nil {
		return nil, mapError(err, "trade shows")
	}
	return convertPage(finish(plan, rows, tradeShowKey), (*tradeShowRow).toTradeShow), nil
}

// CountTradeShows counts the shows.
func (s *TradeShowService) CountTradeShows(ctx context.Context) (int, error) {
	n, err := s.db.bun.NewSelect().Model((*tradeShowRow)(nil)).Count(ctx)
	return int(n), mapError(err, "trade shows")
}

// ExhibitorsByIDs returns the exhibitors among ids, by id.
func (s *TradeShowService) ExhibitorsByIDs(ctx context.Context, ids []int64) (map[int64]*domain.Exhibitor, error) {
	out := make(map[int64]*domain.Exhibitor, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []*exhibitorRow
	if err := s.db.selectByIDs(ctx, s.db.bun.NewSelect().Model((*exhibitorRow)(nil)).Where("e.id = ANY(?)", idsParam), ids, &rows); err != nil {
		return nil, mapError(err, "exhibitors")
	}
	for _, r := range rows {
		out[r.ID] = r.toExhibitor()
	}
	return out, nil
}

// ExhibitorsOfShows returns one page of each show's exhibitors, by name,
// in one statement: a LATERAL page per show.
func (s *TradeShowService) ExhibitorsOfShows(ctx context.Context, showIDs []int64, page domain.PageRequest) (map[int64]*domain.Page[*domain.Exhibitor], error) {
	plan, err := s.db.planPage(ctx, exhibitorKeyset, page)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]*domain.Page[*domain.Exhibitor], len(showIDs))
	if len(showIDs) == 0 {
		return out, nil
	}
	inner := plan.apply(s.db.bun.NewSelect().Model((*exhibitorRow)(nil)).Where("e.trade_show_id = p.parent_id"))
	var rows []struct {
		ParentID int64 `bun:"parent_id"`
		exhibitorRow
	}
	q := s.db.bun.NewSelect().TableExpr("unnest(?) AS p(parent_id)", idsParam).
		ColumnExpr("p.parent_id, e.*").Join("CROSS JOIN LATERAL (?) AS e", inner).
		OrderExpr("p.parent_id").OrderExpr(lateralOrder(plan))
	if err := s.db.selectByIDs(ctx, q, showIDs, &rows); err != nil {
		return nil, mapError(err, "exhibitors")
	}
	byParent := make(map[int64][]*exhibitorRow, len(showIDs))
	for i := range rows {
		byParent[rows[i].ParentID] = append(byParent[rows[i].ParentID], &rows[i].exhibitorRow)
	}
	for _, id := range showIDs {
		out[id] = convertPage(finish(plan, byParent[id], exhibitorKey), (*exhibitorRow).toExhibitor)
	}
	return out, nil
}

// CountExhibitorsOfShows counts each show's exhibitors.
func (s *TradeShowService) CountExhibitorsOfShows(ctx context.Context, showIDs []int64) (map[int64]int, error) {
	return s.countPerShow(ctx, s.db.bun.NewSelect().Model((*exhibitorRow)(nil)).ColumnExpr("e.trade_show_id AS show_id, count(*) AS n").
		Where("e.trade_show_id = ANY(?)", idsParam).GroupExpr("e.trade_show_id"), showIDs, "exhibitors")
}

// countPerShow runs q, counting (show_id, n) rows for showIDs, and gives
// every show its count, 0 when q has no row for it.
func (s *TradeShowService) countPerShow(ctx context.Context, q *bun.SelectQuery, showIDs []int64, what string) (map[int64]int, error) {
	out := make(map[int64]int, len(showIDs))
	if len(showIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		ShowID int64 `bun:"show_id"`
		N      int   `bun:"n"`
	}
	if err := s.db.selectByIDs(ctx, q, showIDs, &rows); err != nil {
		return nil, mapError(err, what)
	}
	for _, id := range showIDs {
		out[id] = 0
	}
	for _, r := range rows {
		out[r.ShowID] = r.N
	}
	return out, nil
}

// exhibitorTradesSQL reads the trades of exhibitors: a member exhibitor's
// are its member's, another's those it was added with.
const exhibitorTradesSQL = `SELECT e.id AS exhibitor_id, mt.trade_id FROM exhibitors AS e
	JOIN member_trades AS mt ON mt.member_id = e.member_id WHERE e.id = ANY($1::bigint[])
UNION ALL
SELECT et.exhibitor_id, et.trade_id FROM exhibitor_trades AS et WHERE et.exhibitor_id = ANY($1::bigint[])`

// TradesOfExhibitors returns the trades each exhibitor shows, by code.
func (s *TradeShowService) TradesOfExhibitors(ctx context.Context, exhibitorIDs []int64) (map[int64][]*domain.Trade, error) {
	var rows []struct {
		ExhibitorID int64 `bun:"exhibitor_id"`
		TradeID     int64 `bun:"trade_id"`
	}
	if err := s.db.selectPrepared(ctx, exhibitorTradesSQL, &rows, idArray(exhibitorIDs)); err != nil {
		return nil, mapError(err, "exhibitor trades")
	}
	tradeIDs := make(map[int64][]int64, len(exhibitorIDs))
	for _, r := range rows {
		tradeIDs[r.ExhibitorID] = append(tradeIDs[r.ExhibitorID], r.TradeID)
	}
	return s.db.membersTrades(ctx, tradeIDs)
}

// LeadsByIDs returns the leads among ids the viewer may read, by id; none
// to anonymous callers (as if they did not exist).
func (s *TradeShowService) LeadsByIDs(ctx context.Context, ids []int64) (map[int64]*domain.Lead, error) {
	out := make(map[int64]*domain.Lead, len(ids))
	v := domain.ViewerFrom(ctx)
	if len(ids) == 0 || domain.CanReadLeads(v) != nil {
		return out, nil
	}
	var rows []*leadRow
	q := s.db.bun.NewSelect().Model((*leadRow)(nil)).Where("ld.id = ANY(?)", idsParam).Apply(leadVisibility(v))
	if err := s.db.selectByIDs(ctx, q, ids, &rows); err != nil {
		return nil, mapError(err, "leads")
	}
	for _, r := range rows {
		out[r.ID] = r.toLead()
	}
	return out, nil
}

// LeadsOfShows returns one page of each show's leads the viewer may read,
// the latest scanned first, in one statement: a LATERAL page per show.
// FORBIDDEN for anonymous callers; BAD_USER_INPUT for a bad page request.
func (s *TradeShowService) LeadsOfShows(ctx context.Context, showIDs []int64, page domain.PageRequest) (map[int64]*domain.Page[*domain.Lead], error) {
	v := domain.ViewerFrom(ctx)
	if err := domain.CanReadLeads(v); err != nil {
		return nil, err
	}
	plan, err := s.db.planPage(ctx, leadKeyset, page)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]*domain.Page[*domain.Lead], len(showIDs))
	if len(showIDs) == 0 {
		return out, nil
	}
	inner := plan.apply(s.db.bun.NewSelect().Model((*leadRow)(nil)).Where("ld.trade_show_id = p.parent_id").Apply(leadVisibility(v)))
	var rows []struct {
		ParentID int64 `bun:"parent_id"`
		leadRow
	}
	q := s.db.bun.NewSelect().TableExpr("unnest(?) AS p(parent_id)", idsParam).
		ColumnExpr("p.parent_id, ld.*").Join("CROSS JOIN LATERAL (?) AS ld", inner).
		OrderExpr("p.parent_id").OrderExpr(lateralOrder(plan))
	if err := s.db.selectByIDs(ctx, q, showIDs, &rows); err != nil {
		return nil, mapError(err, "leads")
	}
	byParent := make(map[int64][]*leadRow, len(showIDs))
	for i := range rows {
		byParent[rows[i].ParentID] = append(byParent[rows[i].ParentID], &rows[i].leadRow)
	}
	for _, id := range showIDs {
		out[id] = convertPage(finish(plan, byParent[id], leadKey), (*leadRow).toLead)
	}
	return out, nil
}

// CountLeadsOfShows counts each show's leads the viewer may read.
func (s *TradeShowService) CountLeadsOfShows(ctx context.Context, showIDs []int64) (map[int64]int, error) {
	v := domain.ViewerFrom(ctx)
	if err := domain.CanReadLeads(v); err != nil {
		return nil, err
	}
	return s.countPerShow(ctx, s.db.bun.NewSelect().Model((*leadRow)(nil)).ColumnExpr("ld.trade_show_id AS show_id, count(*) AS n").
		Where("ld.trade_show_id = ANY(?)", idsParam).Apply(leadVisibility(v)).GroupExpr("ld.trade_show_id"), showIDs, "leads")
}

// CreateTradeShow adds a show. FORBIDDEN unless staff; BAD_USER_INPUT for
// invalid input; CONFLICT (on edition or startsOn) for an edition or a
// year that has a show.
func (s *TradeShowService) CreateTradeShow(ctx context.Context, in domain.TradeShowInput) (*domain.TradeShow, error) {
	if err := domain.CanManageTradeShows(domain.ViewerFrom(ctx)); err != nil {
		return nil, err
	}
	in, err := domain.ValidateTradeShow(in, s.db.today())
	if err != nil {
		return nil, err
	}
	row := &tradeShowRow{Edition: in.Edition, City: in.City, Venue: in.Venue, StartsOn: in.StartsOn, EndsOn: in.EndsOn,
		VisitorCount: *in.VisitorCount, UpdatedAt: s.db.Now()}
	err = s.db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(row).ExcludeColumn("year").Returning("id, year").Exec(ctx); err != nil {
			return tradeShowWriteError(err)
		}
		return audit(ctx, tx, auditEntry{Mutation: "createTradeShow", Targets: []domain.Ref{auditRef(domain.RefTradeShow, row.ID)},
			Changes: auditCreated(tradeShowFields(row.toTradeShow()))})
	})
	if err != nil {
		return nil, err
	}
	return row.toTradeShow(), nil
}

// UpdateTradeShow changes a show. FORBIDDEN unless staff; NOT_FOUND;
// BAD_USER_INPUT for invalid values; CONFLICT for an edition or year that
// has another show, or a first day after leads scanned at the show.
func (s *TradeShowService) UpdateTradeShow(ctx context.Context, id int64, patch domain.TradeShowPatch) (*domain.TradeShow, error) {
	if err := domain.CanManageTradeShows(domain.ViewerFrom(ctx)); err != nil {
		return nil, err
	}
	var out *domain.TradeShow
	err := s.db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		row, err := lockTradeShow(ctx, tx, id, "UPDATE")
		if err != nil {
			return err
		}
		show := row.toTradeShow()
		before := tradeShowFields(show)
		changed, err := domain.ApplyTradeShowPatch(show, patch, s.db.today())
		if err != nil {
			return err
		}
		if show.StartsOn.After(row.StartsOn) {
			// No lead may be scanned before the show's first day.
			opens := time.Date(show.StartsOn.Year(), show.StartsOn.Month(), show.StartsOn.Day(), 0, 0, 0, 0, s.db.Location)
			early, err := tx.NewSelect().Model((*leadRow)(nil)).Where("ld.trade_show_id = ? AND ld.scanned_at < ?", id, opens).Exists(ctx)
			if err != nil {
				return mapError(err, "leads")
			}
			if early {
				return &domain.Error{Code: domain.CodeConflict, Field: "startsOn",
					Message: "leads were scanned before " + show.StartsOn.Format(time.DateOnly) + ": the show cannot start later than them"}
			}
		}
		next := &tradeShowRow{ID: id, Edition: show.Edition, City: show.City, Venue: show.Venue, StartsOn: show.StartsOn,
			EndsOn: show.EndsOn, VisitorCount: show.VisitorCount, UpdatedAt: s.db.Now()}
		if len(changed) > 0 {
			_, err := tx.NewUpdate().Model(next).Column("edition", "city", "venue", "starts_on", "ends_on", "visitor_count", "updated_at").
				WherePK().Returning("year").Exec(ctx)
			if err != nil {
				return tradeShowWriteError(err)
			}
		} else {
			next.Year = row.Year
		}
		out = next.toTradeShow()
		return audit(ctx, tx, auditEntry{Mutation: "updateTradeShow", Targets: []domain.Ref{auditRef(domain.RefTradeShow, id)},
			Changes: auditDiff(before, tradeShowFields(out))})
	})
	return out, err
}

// lockTradeShow reads show id and locks its row (FOR strength) until the
// transaction ends. NOT_FOUND (on tradeShowId) when there is none.
func lockTradeShow(ctx context.Context, tx bun.Tx, id int64, strength string) (*tradeShowRow, error) {
	var row tradeShowRow
	err := tx.NewSelect().Model(&row).Where("ts.id = ?", id).For(strength).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, &domain.Error{Code: domain.CodeNotFound, Message: "trade show not found", Field: "tradeShowId"}
	}
	if err != nil {
		return nil, mapError(err, "trade show")
	}
	return &row, nil
}

// tradeShowWriteError maps an insert or update failure of a show.
func tradeShowWriteError(err error) error {
	switch constraintOf(err) {
	case "trade_shows_edition_key":
		return &domain.Error{Code: domain.CodeConflict, Message: "another show has this edition number", Field: "edition"}
	case "trade_shows_year_key":
		return &domain.Error{Code: domain.CodeConflict, Message: "another show is held that year: one show a year", Field: "startsOn"}
	}
	return mapError(err, "trade show")
}

// AddExhibitor adds an exhibitor to a show: a member, under its current
// name, or a company that is not one, with the trades it shows. FORBIDDEN
// unless staff; NOT_FOUND for an unknown show or member; BAD_USER_INPUT
// for invalid input or unknown trades; CONFLICT for a member, name or
// booth the show has already.
func (s *TradeShowService) AddExhibitor(ctx context.Context, in domain.ExhibitorInput) (*domain.Exhibitor, error) {
	if err := domain.CanManageTradeShows(domain.ViewerFrom(ctx)); err != nil {
		return nil, err
	}
	in, err := domain.ValidateExhibitor(in)
	if err != nil {
		return nil, err
	}
	row := &exhibitorRow{TradeShowID: in.TradeShowID, MemberID: in.MemberID, Booth: in.Booth}
	err = s.db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := lockTradeShow(ctx, tx, in.TradeShowID, "KEY SHARE"); err != nil {
			return err
		}
		if in.MemberID != nil {
			err := tx.NewSelect().Model((*memberRow)(nil)).Column("name").Where("m.id = ?", *in.MemberID).For("KEY SHARE").Scan(ctx, &row.Name)
			if errors.Is(err, sql.ErrNoRows) {
				return &domain.Error{Code: domain.CodeNotFound, Message: "member not found", Field: "memberId"}
			}
			if err != nil {
				return mapError(err, "member")
			}
		} else {
			row.Name = *in.Name
		}
		if _, err := tx.NewInsert().Model(row).Returning("id").Exec(ctx); err != nil {
			return exhibitorWriteError(err)
		}
		if len(in.TradeIDs) > 0 {
			trades := make([]exhibitorTradeRow, len(in.TradeIDs))
			for i, t := range in.TradeIDs {
				trades[i] = exhibitorTradeRow{ExhibitorID: row.ID, TradeID: t}
			}
			if _, err := tx.NewInsert().Model(&trades).Exec(ctx); err != nil {
				if constraintOf(err) == "exhibitor_trades_trade_id_fkey" {
					return domain.InvalidField("tradeIds", "tradeIds contains an unknown trade")
				}
				return mapError(err, "exhibitor trades")
			}
		}
		targets := []domain.Ref{auditRef(domain.RefExhibitor, row.ID), auditRef(domain.RefTradeShow, row.TradeShowID)}
		if row.MemberID != nil {
			targets = append(targets, auditRef(domain.RefMember, *row.MemberID))
		}
		return audit(ctx, tx, auditEntry{Mutation: "addExhibitor", Targets: targets, Changes: auditCreated(exhibitorFields(row, in.TradeIDs))})
	})
	if err != nil {
		return nil, err
	}
	return row.toExhibitor(), nil
}

// exhibitorWriteError maps an insert failure of an exhibitor.
func exhibitorWriteError(err error) error {
	switch constraintOf(err) {
	case "exhibitors_member_key":
		return &domain.Error{Code: domain.CodeConflict, Message: "this member already exhibits at this show", Field: "memberId"}
	case "exhibitors_name_key":
		return &domain.Error{Code: domain.CodeConflict, Message: "an exhibitor of this name is already at this show", Field: "name"}
	case "exhibitors_booth_key":
		return &domain.Error{Code: domain.CodeConflict, Message: "this booth already has an exhibitor at this show", Field: "booth"}
	}
	return mapError(err, "exhibitor")
}

// lockExhibitor reads exhibitor id and locks its row (FOR strength).
// NOT_FOUND on field when there is none.
func lockExhibitor(ctx context.Context, tx bun.Tx, id int64, strength, field string) (*exhibitorRow, error) {
	var row exhibitorRow
	err := tx.NewSelect().Model(&row).Where("e.id = ?", id).For(strength).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, &domain.Error{Code: domain.CodeNotFound, Message: "exhibitor not found", Field: field}
	}
	if err != nil {
		return nil, mapError(err, "exhibitor")
	}
	return &row, nil
}

// RemoveExhibitor removes an exhibitor without leads and returns its
// show. FORBIDDEN unless staff; NOT_FOUND; CONFLICT when it has leads
// (they stay on record, and so does it).
func (s *TradeShowService) RemoveExhibitor(ctx context.Context, id int64) (*domain.TradeShow, error) {
	if err := domain.CanManageTradeShows(domain.ViewerFrom(ctx)); err != nil {
		return nil, err
	}
	var out *domain.TradeShow
	err := s.db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		row, err := lockExhibitor(ctx, tx, id, "UPDATE", "exhibitorId")
		if err != nil {
			return err
		}
		hasLeads, err := tx.NewSelect().Model((*leadRow)(nil)).Where("ld.exhibitor_id = ?", id).Exists(ctx)
		if err != nil {
			return mapError(err, "leads")
		}
		if hasLeads {
			return domain.Errorf(domain.CodeConflict, "this exhibitor has leads: it stays on record with them")
		}
		var tradeIDs []int64
		if err := tx.NewSelect().Model((*exhibitorTradeRow)(nil)).Column("trade_id").Where("et.exhibitor_id = ?", id).
			Order("trade_id").Scan(ctx, &tradeIDs); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return mapError(err, "exhibitor trades")
		}
		if _, err := tx.NewDelete().Model((*exhibitorRow)(nil)).Where("id = ?", id).Exec(ctx); err != nil {
			return mapError(err, "exhibitor")
		}
		show, err := lockTradeShow(ctx, tx, row.TradeShowID, "KEY SHARE")
		if err != nil {
			return err
		}
		out = show.toTradeShow()
		targets := []domain.Ref{auditRef(domain.RefExhibitor, id), auditRef(domain.RefTradeShow, row.TradeShowID)}
		if row.MemberID != nil {
			targets = append(targets, auditRef(domain.RefMember, *row.MemberID))
		}
		return audit(ctx, tx, auditEntry{Mutation: "removeExhibitor", Targets: targets, Changes: auditDeleted(exhibitorFields(row, tradeIDs))})
	})
	return out, err
}

// checkLeadWriter returns FORBIDDEN when the viewer is a member whose own
// membership lapsed (or does not exist): a lapsed member reads its leads
// but records and converts none.
func checkLeadWriter(ctx context.Context, tx bun.Tx, v domain.Viewer) error {
	if v.Role != domain.RoleMember {
		return nil
	}
	err := checkActor(ctx, tx, v, v.MemberID, false)
	if domain.ErrorCode(err) == domain.CodeNotFound {
		return domain.Errorf(domain.CodeForbidden, "the viewer's member does not exist")
	}
	return err
}

// RecordLead records a lead of a member exhibitor of the show. FORBIDDEN
// unless staff or the ACTIVE member exhibiting; NOT_FOUND for an unknown
// show, exhibitor or visitor member; BAD_USER_INPUT for an exhibitor of
// another show or that is not a member, the exhibitor's own member as
// visitor, or invalid input; CONFLICT for a visitor the exhibitor has a
// lead of already, or before the show opened.
func (s *TradeShowService) RecordLead(ctx context.Context, in domain.LeadInput) (*domain.Lead, error) {
	v := domain.ViewerFrom(ctx)
	if err := domain.CanWriteLeads(v); err != nil {
		return nil, err
	}
	in, err := domain.ValidateLeadInput(in)
	if err != nil {
		return nil, err
	}
	var row *leadRow
	err = s.db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := checkLeadWriter(ctx, tx, v); err != nil {
			return err
		}
		show, err := lockTradeShow(ctx, tx, in.TradeShowID, "SHARE")
		if err != nil {
			return err
		}
		ex, err := lockExhibitor(ctx, tx, in.ExhibitorID, "KEY SHARE", "exhibitorId")
		if err != nil {
			return err
		}
		if ex.TradeShowID != show.ID {
			return domain.InvalidField("exhibitorId", "this exhibitor is at another show")
		}
		if ex.MemberID == nil {
			return domain.InvalidField("exhibitorId", "this exhibitor is not a member: leads are recorded by member exhibitors")
		}
		if err := domain.CanRecordLeadsOf(v, *ex.MemberID); err != nil {
			return err
		}
		scanned, err := domain.LeadTime(show.toTradeShow(), in.ScannedAt, s.db.Now(), s.db.Location)
		if err != nil {
			return err
		}
		if in.VisitorMemberID != nil {
			if *in.VisitorMemberID == *ex.MemberID {
				return domain.InvalidField("visitorMemberId", "the visitor is the exhibiting member itself")
			}
			exists, err := tx.NewSelect().Model((*memberRow)(nil)).Where("m.id = ?", *in.VisitorMemberID).For("KEY SHARE").Exists(ctx)
			if err != nil {
				return mapError(err, "member")
			}
			if !exists {
				return &domain.Error{Code: domain.CodeNotFound, Message: "member not found", Field: "visitorMemberId"}
			}
		}
		row = &leadRow{TradeShowID: show.ID, ExhibitorID: ex.ID, VisitorMemberID: in.VisitorMemberID,
			ScannedAt: scanned.UTC().Truncate(time.Microsecond), Note: in.Note}
		if in.VisitorCompany != nil {
			row.VisitorCompany = *in.VisitorCompany
		}
		if _, err := tx.NewInsert().Model(row).Returning("id").Exec(ctx); err != nil {
			return leadWriteError(err)
		}
		targets := []domain.Ref{auditRef(domain.RefLead, row.ID), auditRef(domain.RefExhibitor, ex.ID),
			auditRef(domain.RefTradeShow, show.ID), auditRef(domain.RefMember, *ex.MemberID)}
		if row.VisitorMemberID != nil {
			targets = append(targets, auditRef(domain.RefMember, *row.VisitorMemberID))
		}
		return audit(ctx, tx, auditEntry{Mutation: "recordLead", Targets: targets, Changes: auditCreated(leadFields(row))})
	})
	if err != nil {
		return nil, err
	}
	return row.toLead(), nil
}

// leadWriteError maps an insert or update failure of a lead.
func leadWriteError(err error) error {
	switch constraintOf(err) {
	case "leads_visitor_member_key":
		return &domain.Error{Code: domain.CodeConflict, Message: "this exhibitor already has a lead of this member", Field: "visitorMemberId"}
	case "leads_visitor_company_key":
		return &domain.Error{Code: domain.CodeConflict, Message: "this exhibitor already has a lead of this company", Field: "visitorCompany"}
	case "leads_converted_link_key":
		return domain.Errorf(domain.CodeConflict, "this link comes from another lead")
	}
	return mapError(err, "lead")
}

// ConvertLeadToLink declares the business link a lead became: from the
// exhibiting member to the visitor member, of origin TRADE_SHOW, declared
// by the exhibitor, under every rule of LinkService.Declare (no self-link,
// ACTIVE parties, a live link unique per pair and kind); the lead keeps
// the link's id. FORBIDDEN unless staff or the ACTIVE member exhibiting;
// NOT_FOUND for a lead the viewer may not read; BAD_USER_INPUT for a
// visitor that is not a member and invalid input; CONFLICT for a lead
// converted already or a duplicate live link.
func (s *TradeShowService) ConvertLeadToLink(ctx context.Context, in domain.LeadConversion) (*domain.Lead, *domain.BusinessLink, error) {
	v := domain.ViewerFrom(ctx)
	if err := domain.CanWriteLeads(v); err != nil {
		return nil, nil, err
	}
	var lead *leadRow
	var link *linkRow
	err := s.db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := checkLeadWriter(ctx, tx, v); err != nil {
			return err
		}
		var row struct {
			leadRow           `bun:",extend"`
			ExhibitorMemberID *int64 `bun:"exhibitor_member_id"`
		}
		err := tx.NewSelect().Model(&row).ColumnExpr("ld.id, ld.trade_show_id, ld.exhibitor_id, ld.visitor_member_id, ld.visitor_company, "+
			"ld.scanned_at, ld.note, ld.converted_link_id, e.member_id AS exhibitor_member_id").
			Join("JOIN exhibitors AS e ON e.id = ld.exhibitor_id").Where("ld.id = ?", in.LeadID).For("UPDATE OF ld").Scan(ctx)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return mapError(err, "lead")
		}
		exhibitor := int64(0)
		if row.ExhibitorMemberID != nil {
			exhibitor = *row.ExhibitorMemberID
		}
		if err != nil || !domain.LeadScopeOf(v).Allows(exhibitor) {
			return &domain.Error{Code: domain.CodeNotFound, Message: "lead not found", Field: "leadId"}
		}
		if err := domain.CanRecordLeadsOf(v, exhibitor); err != nil {
			return err
		}
		lead = &row.leadRow
		switch {
		case exhibitor == 0:
			return domain.InvalidField("leadId", "the exhibitor of this lead is not a member: business links are between members")
		case lead.ConvertedLinkID != nil:
			return &domain.Error{Code: domain.CodeConflict, Message: "this lead was turned into a business link already", Field: "leadId"}
		case lead.VisitorMemberID == nil:
			return domain.InvalidField("leadId", "the visitor of this lead is not a member: business links are between members")
		}
		declared := domain.LinkInput{FromID: exhibitor, ToID: *lead.VisitorMemberID, Kind: in.Kind, Since: in.Since,
			VolumeBand: in.VolumeBand, Origin: domain.OriginTradeShow, Note: in.Note}
		if link, err = s.db.Links().newLink(v, declared); err != nil {
			return conversionError(err, declared)
		}
		if err := insertLink(ctx, tx, v, link); err != nil {
			return conversionError(err, declared)
		}
		lead.ConvertedLinkID = &link.ID
		if _, err := tx.NewUpdate().Model(lead).Column("converted_link_id").WherePK().Exec(ctx); err != nil {
			return leadWriteError(err)
		}
		changes := auditCreated(linkFields(link.toLink()))
		changes["convertedLink"] = domain.Change{After: link.ID}
		return audit(ctx, tx, auditEntry{Mutation: "convertLeadToLink",
			Targets: []domain.Ref{auditRef(domain.RefLead, lead.ID), auditRef(domain.RefBusinessLink, link.ID),
				auditRef(domain.RefMember, link.FromID), auditRef(domain.RefMember, link.ToID),
				auditRef(domain.RefExhibitor, lead.ExhibitorID), auditRef(domain.RefTradeShow, lead.TradeShowID)},
			Changes: changes})
	})
	if err != nil {
		return nil, nil, err
	}
	return lead.toLead(), link.read(v), nil
}

// conversionError names, in an error of the link rules about a party
// (fromId, toId), the lead converted instead: the exhibiting member is the
// link's from party, the visitor member its to party.
func conversionError(err error, in domain.LinkInput) error {
	var e *domain.Error
	if !errors.As(err, &e) || (e.Field != "fromId" && e.Field != "toId") {
		return err
	}
	who := map[string]string{"fromId": "the exhibiting member", "toId": "the visitor member"}[e.Field]
	out := &domain.Error{Code: e.Code, Field: "leadId", Message: e.Message}
	switch {
	case in.FromID == in.ToID:
		out.Message = "the visitor is the exhibiting member itself: a member cannot do business with itself"
	case e.Code == domain.CodeBadUserInput:
		out.Message = who + " has left the cluster: links are declared between ACTIVE members"
	case e.Code == domain.CodeNotFound:
		out.Message = who + " does not exist"
	}
	return out
}
