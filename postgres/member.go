package postgres

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"grappe/domain"
)

// memberRow is a row of the members table. status and size_class are
// generated columns, derived in Go from left_on and headcount.
type memberRow struct {
	bun.BaseModel `bun:"table:members,alias:m"`

	ID                   int64      `bun:"id,pk,autoincrement"`
	Name                 string     `bun:"name"`
	LegalID              string     `bun:"legal_id,nullzero"`
	Kind                 string     `bun:"kind"`
	Headcount            *int       `bun:"headcount"`
	ForeignParentCountry string     `bun:"foreign_parent_country,nullzero"`
	City                 string     `bun:"city,nullzero"`
	PostalCode           string     `bun:"postal_code,nullzero"`
	Department           string     `bun:"department,nullzero"`
	Region               string     `bun:"region,nullzero"`
	Country              string     `bun:"country,nullzero"`
	Lat                  *float64   `bun:"lat"`
	Lng                  *float64   `bun:"lng"`
	Website              string     `bun:"website,nullzero"`
	Description          string     `bun:"description,nullzero"`
	JoinedOn             time.Time  `bun:"joined_on,type:date"`
	LeftOn               *time.Time `bun:"left_on,type:date"`
	Rank                 *float64   `bun:"rank,scanonly"`
	Distance             *float64   `bun:"distance,scanonly"`
	CreatedAt            time.Time  `bun:"created_at,nullzero,notnull,default:current_timestamp"`
	UpdatedAt            time.Time  `bun:"updated_at,nullzero,notnull,default:current_timestamp"`
}

// memberTradeRow links a member to one of its trades.
type memberTradeRow struct {
	bun.BaseModel `bun:"table:member_trades,alias:mt"`

	MemberID int64 `bun:"member_id,pk"`
	TradeID  int64 `bun:"trade_id,pk"`
}

// toMember converts a row into a domain member.
func (r *memberRow) toMember() *domain.Member {
	m := &domain.Member{
		ID:                   r.ID,
		Name:                 r.Name,
		LegalID:              r.LegalID,
		Kind:                 domain.MemberKind(r.Kind),
		Status:               domain.StatusActive,
		Headcount:            r.Headcount,
		ForeignParentCountry: r.ForeignParentCountry,
		Address: domain.Address{
			City: r.City, PostalCode: r.PostalCode, Department: r.Department,
			Region: r.Region, Country: r.Country,
		},
		Website:     r.Website,
		Description: r.Description,
		JoinedOn:    r.JoinedOn.UTC(),
		CreatedAt:   r.CreatedAt,
		UpdatedAt:   r.UpdatedAt,
		DistanceKm:  r.Distance,
	}
	if r.Lat != nil && r.Lng != nil {
		m.Location = &domain.Location{Lat: *r.Lat, Lng: *r.Lng}
	}
	if r.LeftOn != nil {
		left := r.LeftOn.UTC()
		m.LeftOn = &left
		m.Status = domain.StatusLapsed
	}
	return m
}

// read converts a row into the domain member viewer v may read: nil when
// the member policy hides it from v, else with v's withheld fields cleared.
func (r *memberRow) read(v domain.Viewer) *domain.Member {
	return domain.ReadMember(v, r.toMember())
}

// fromMember converts a domain member into a row.
func fromMember(m *domain.Member) *memberRow {
	r := &memberRow{
		ID:                   m.ID,
		Name:                 m.Name,
		LegalID:              m.LegalID,
		Kind:                 string(m.Kind),
		Headcount:            m.Headcount,
		ForeignParentCountry: m.ForeignParentCountry,
		City:                 m.Address.City,
		PostalCode:           m.Address.PostalCode,
		Department:           m.Address.Department,
		Region:               m.Address.Region,
		Country:              m.Address.Country,
		Website:              m.Website,
		Description:          m.Description,
		JoinedOn:             m.JoinedOn,
		LeftOn:               m.LeftOn,
		CreatedAt:            m.CreatedAt,
		UpdatedAt:            m.UpdatedAt,
	}
	if m.Location != nil {
		r.Lat, r.Lng = &m.Location.Lat, &m.Location.Lng
	}
	return r
}

// MemberService implements domain.MemberService.
type MemberService struct{ db *DB }

// Members returns the member service of db.
func (db *DB) Members() *MemberService { return &MemberService{db: db} }

var _ domain.MemberService = (*MemberService)(nil)

// Member returns the member with id, as the viewer may read it. Returns
// NOT_FOUND if there is none or the viewer may not see it.
func (s *MemberService) Member(ctx context.Context, id int64) (*domain.Member, error) {
	var row memberRow
	if err := s.db.bun.NewSelect().Model(&row).Where("m.id = ?", id).Scan(ctx); err != nil {
		return nil, mapError(err, "member")
	}
	m := row.read(domain.ViewerFrom(ctx))
	if m == nil {
		return nil, domain.Errorf(domain.CodeNotFound, "member not found")
	}
	return m, nil
}

// MembersByIDs returns the members among ids that exist and that the viewer
// may see, by id, as the viewer may read them; brief ones (only the columns
// of briefMemberColumns read) when brief is true.
func (s *MemberService) MembersByIDs(ctx context.Context, ids []int64, brief bool) (map[int64]*domain.Member, error) {
	var rows []memberRow
	q := s.db.bun.NewSelect().Model((*memberRow)(nil)).Where("m.id = ANY(?)", idsParam)
	if brief {
		q = q.Column(briefMemberColumns...)
	}
	if err := s.db.selectByIDs(ctx, q, ids, &rows); err != nil {
		return nil, mapError(err, "members")
	}
	v := domain.ViewerFrom(ctx)
	out := make(map[int64]*domain.Member, len(rows))
	for i := range rows {
		if m := rows[i].read(v); m != nil {
			out[m.ID] = m
		}
	}
	return out, nil
}

// memberKeyset returns the keyset of a member order for filter f. A search
// without an explicit order is ranked by relevance (its cursors hold the
// search text); the DISTANCE order is from the centre of f.Near (its
// cursors hold the centre).
func (s *MemberService) memberKeyset(order domain.MemberOrder, f domain.MemberFilter) keyset {
	search := f.Search
	if order.Field == "" && search != "" {
		return keyset{Name: "members:RANK:" + search, Expr: "ts_rank_cd(m.search_vector, grappe_search_query(?))::float8",
			ExprArgs: []any{search}, IDColumn: "m.id", Desc: true, Check: checkFloat}
	}
	if order.Field == domain.OrderByDistance && f.Near != nil {
		return distanceKeyset(*f.Near, order.Descending)
	}
	if order.Field == "" {
		order = domain.DefaultMemberOrder
	}
	k := keyset{IDColumn: "m.id", Desc: order.Descending}
	switch order.Field {
	case domain.OrderByJoinedOn:
		k.Expr, k.Check = "m.joined_on", checkDate
	case domain.OrderByHeadcount:
		k.Expr, k.Check = "coalesce(m.headcount, -1)", checkInt
	default:
		k.Expr, k.Check = "m.name", checkString
	}
	dir := "ASC"
	if order.Descending {
		dir = "DESC"
	}
	k.Name = fmt.Sprintf("members:%s:%s", order.Field, dir)
	return k
}

// memberSortValue returns the value of m's sort key, as stored in cursors.
func memberSortValue(order domain.MemberOrder, r *memberRow) any {
	if r.Rank != nil {
		return *r.Rank
	}
	switch order.Field {
	case domain.OrderByJoinedOn:
		return r.JoinedOn.Format(time.DateOnly)
	case domain.OrderByHeadcount:
		if r.Headcount == nil {
			return -1
		}
		return *r.Headcount
	default:
		return r.Name
	}
}

// Members returns one page of the members the viewer may see matching
// filter in the given order, with their distance from the centre of a near
// filter. Returns FORBIDDEN when the filter or order uses a field the
// viewer may not read, BAD_USER_INPUT for a DISTANCE order without a near
// filter.
func (s *MemberService) Members(ctx context.Context, filter domain.MemberFilter, order domain.MemberOrder, page domain.PageRequest) (*domain.Page[*domain.Member], error) {
	v := domain.ViewerFrom(ctx)
	if err := domain.MemberFilterAllowed(v, filter, order); err != nil {
		return nil, err
	}
	filter, err := cleanMemberFilter(filter)
	if err != nil {
		return nil, err
	}
	if err := domain.ValidateMemberOrder(filter, order); err != nil {
		return nil, err
	}
	keys := s.memberKeyset(order, filter)
	plan, err := s.db.planPage(ctx, keys, page)
	if err != nil {
		return nil, err
	}
	if order.Field == "" {
		order = domain.DefaultMemberOrder
	}
	subtrees, err := s.subtrees(ctx, filter)
	if err != nil {
		return nil, err
	}
	var rows []*memberRow
	if byTradeIndex(filter, order, keys) {
		rows, err = s.membersByTradeIndex(ctx, v, filter, subtrees, plan)
		if err != nil {
			return nil, err
		}
		p := finish(plan, rows, func(r *memberRow) (any, int64) { return r.Name, r.ID })
		return toMemberPage(v, p), nil
	}
	if order.Field == domain.OrderByDistance {
		rows, err = s.membersByDistance(ctx, v, filter, subtrees, plan)
		if err != nil {
			return nil, err
		}
		p := finish(plan, rows, func(r *memberRow) (any, int64) { return *r.Distance, r.ID })
		return toMemberPage(v, p), nil
	}
	q := s.db.bun.NewSelect().Model(&rows).Apply(memberScope(v)).Apply(memberFilter(filter, subtrees))
	rank := strings.HasPrefix(keys.Name, "members:RANK:")
	if rank || filter.Near != nil {
		q = q.ColumnExpr("?TableColumns")
	}
	if rank {
		q = q.ColumnExpr(keys.Expr+" AS rank", keys.ExprArgs...)
	}
	if filter.Near != nil {
		q = q.ColumnExpr(distanceExpr+" AS distance", nearArgs(*filter.Near)...)
	}
	if err := plan.apply(q).Scan(ctx); err != nil {
		return nil, mapError(err, "members")
	}
	p := finish(plan, rows, func(r *memberRow) (any, int64) { return memberSortValue(order, r), r.ID })
	return toMemberPage(v, p), nil
}

// byTradeIndex reports whether a page of members is read from the trades'
// index by name (member_trades_page_idx) rather than from the members' own
// indexes: when it filters on trades, lists ACTIVE members only, and is
// sorted by name. A near filter is read from the location index instead
// (its circle is what narrows most, and its members need their distance).
func byTradeIndex(f domain.MemberFilter, order domain.MemberOrder, keys keyset) bool {
	activeOnly := len(f.Statuses) == 0 || !slices.ContainsFunc(f.Statuses, func(s domain.MemberStatus) bool { return s != domain.StatusActive })
	return len(f.TradeIDs) > 0 && activeOnly && order.Field == domain.OrderByName && !strings.HasPrefix(keys.Name, "members:RANK:") && f.Near == nil
}

// membersByTradeIndex reads a page of members filtered on trades and sorted
// by name: for each trade of subtrees, the first page of its ACTIVE members
// matching the rest of the filter, in the order of the trade's index, then
// those merged by name without duplicates; only the members of the page
// are read whole. A trade filter is what narrows a directory most, and the
// members' name index knows nothing of trades.
func (s *MemberService) membersByTradeIndex(ctx context.Context, v domain.Viewer, f domain.MemberFilter, subtrees []int64, plan *pagePlan) ([]*memberRow, error) {
	if len(subtrees) == 0 {
		return nil, nil
	}
	rest := f
	rest.TradeIDs = nil
	branch := *plan
	branch.keys.Expr, branch.keys.IDColumn = "mt.member_name", "mt.member_id"
	inner := branch.apply(s.db.bun.NewSelect().TableExpr("member_trades AS mt").
		Join("JOIN members AS m ON m.id = mt.member_id").ColumnExpr("mt.member_name, mt.member_id").
		Where("mt.trade_id = t.id AND mt.member_active").Apply(memberScope(v)).Apply(memberFilter(rest, nil)))
	merged := *plan
	merged.keys.Expr, merged.keys.IDColumn = "x.member_name", "x.member_id"
	picked := merged.orderLimit(s.db.bun.NewSelect().Distinct().ColumnExpr("x.member_name, x.member_id").
		TableExpr("unnest(?::bigint[]) AS t(id) CROSS JOIN LATERAL (?) AS x", pgdialect.Array(subtrees), inner))
	outer := *plan
	outer.keys.Expr, outer.keys.IDColumn = "p.member_name", "p.member_id"
	var rows []*memberRow
	err := outer.orderLimit(s.db.bun.NewSelect().Model(&rows).Join("JOIN (?) AS p ON p.member_id = m.id", picked)).Scan(ctx)
	return rows, mapError(err, "members")
}

// membersByDistance reads a page of members in DISTANCE order from the
// centre of f.Near, ring by ring (see nearRings): each ring's members
// matching the rest of the filter, in the page's order and cut to its size,
// then the rings in reading order, cut again.
func (s *MemberService) membersByDistance(ctx context.Context, v domain.Viewer, f domain.MemberFilter, subtrees []int64, plan *pagePlan) ([]*memberRow, error) {
	n := *f.Near
	rest := f
	rest.Near = nil
	inner := s.db.bun.NewSelect().Model((*memberRow)(nil)).ColumnExpr("?TableColumns").
		ColumnExpr(distanceExpr+" AS distance", nearArgs(n)...).
		Apply(memberScope(v)).Apply(memberFilter(rest, subtrees))
	inner = plan.apply(inRing(inner, n))
	rings := readRings(n, plan)
	if len(rings) == 0 {
		return nil, nil
	}
	var rows []*memberRow
	err := s.db.bun.NewSelect().Model(&rows).
		ModelTableExpr("(VALUES ?) AS "+ringTable+" CROSS JOIN LATERAL (?) AS m", ringValues(rings), inner).
		ColumnExpr("?TableColumns").ColumnExpr("m.distance").Limit(int64(plan.limit + 1)).Scan(ctx)
	return rows, mapError(err, "members")
}

// CountMembers returns how many of the members the viewer may see match
// filter. Returns FORBIDDEN as Members does.
func (s *MemberService) CountMembers(ctx context.Context, filter domain.MemberFilter) (int, error) {
	v := domain.ViewerFrom(ctx)
	if err := domain.MemberFilterAllowed(v, filter, domain.MemberOrder{}); err != nil {
		return 0, err
	}
	filter, err := cleanMemberFilter(filter)
	if err != nil {
		return 0, err
	}
	subtrees, err := s.subtrees(ctx, filter)
	if err != nil {
		return 0, err
	}
	n, err := s.db.bun.NewSelect().Model((*memberRow)(nil)).Apply(memberScope(v)).Apply(memberFilter(filter, subtrees)).Count(ctx)
	return int(n), mapError(err, "members")
}

// subtrees returns the trades of filter with their sub-trades, or nil when
// it filters on no trade.
func (s *MemberService) subtrees(ctx context.Context, filter domain.MemberFilter) ([]int64, error) {
	if len(filter.TradeIDs) == 0 {
		return nil, nil
	}
	return s.db.tradeSubtrees(ctx, filter.TradeIDs)
}

// memberScope limits members (alias m) to those v may see (the member
// policy's scope).
func memberScope(v domain.Viewer) func(*bun.SelectQuery) *bun.SelectQuery {
	return func(q *bun.SelectQuery) *bun.SelectQuery {
		if domain.MemberScopeOf(v).ActiveOnly {
			q = q.Where("m.status = ?", domain.StatusActive)
		}
		return q
	}
}

// memberFilter returns the WHERE clauses of a member filter. Its trades
// are subtrees, the filter's trades with their sub-trades (tradeSubtrees);
// nil when it filters on no trade.
func memberFilter(f domain.MemberFilter, subtrees []int64) func(*bun.SelectQuery) *bun.SelectQuery {
	return func(q *bun.SelectQuery) *bun.SelectQuery {
		statuses := f.Statuses
		if len(statuses) == 0 {
			statuses = []domain.MemberStatus{domain.StatusActive}
		}
		q = q.Where("m.status IN (?)", bun.List(statuses))
		if f.Search != "" {
			q = q.Where("m.search_vector @@ grappe_search_query(?)", f.Search)
		}
		if len(f.Kinds) > 0 {
			q = q.Where("m.kind IN (?)", bun.List(f.Kinds))
		}
		if len(f.SizeClasses) > 0 {
			q = q.Where("m.size_class IN (?)", bun.List(f.SizeClasses))
		}
		if len(f.Regions) > 0 {
			q = q.Where("m.region IN (?)", bun.List(f.Regions))
		}
		if len(f.Departments) > 0 {
			q = q.Where("m.department IN (?)", bun.List(f.Departments))
		}
		switch {
		case subtrees != nil && len(subtrees) == 0:
			q = q.Where("FALSE") // no such trade
		case subtrees != nil:
			q = q.Where("EXISTS (SELECT 1 FROM member_trades AS f_mt WHERE f_mt.member_id = m.id AND f_mt.trade_id IN (?))", bun.List(subtrees))
		}
		if f.JoinedAfter != nil {
			q = q.Where("m.joined_on > ?", f.JoinedAfter.Format(time.DateOnly))
		}
		if f.JoinedBefore != nil {
			q = q.Where("m.joined_on < ?", f.JoinedBefore.Format(time.DateOnly))
		}
		if f.Near != nil {
			q = nearFilter(q, *f.Near)
		}
		return q
	}
}

// CreateMember adds a member. Returns FORBIDDEN unless the viewer is staff,
// BAD_USER_INPUT for invalid input or unknown trades, CONFLICT for a legal
// id already used.
func (s *MemberService) CreateMember(ctx context.Context, in domain.MemberInput) (*domain.Member, error) {
	if err := domain.CanCreateMember(domain.ViewerFrom(ctx)); err != nil {
		return nil, err
	}
	today := s.db.today()
	in, err := domain.ValidateMemberInput(in, today)
	if err != nil {
		return nil, err
	}
	m := &domain.Member{
		Name: in.Name, Kind: in.Kind, Headcount: in.Headcount, LegalID: in.LegalID,
		ForeignParentCountry: in.ForeignParentCountry, Location: in.Location,
		Website: in.Website, Description: in.Description, JoinedOn: today,
	}
	if in.Address != nil {
		m.Address = *in.Address
	}
	if in.JoinedOn != nil {
		m.JoinedOn = *in.JoinedOn
	}
	row := fromMember(m)
	err = s.db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(row).Returning("id, created_at, updated_at").Exec(ctx); err != nil {
			return memberWriteError(err)
		}
		if err := setMemberTrades(ctx, tx, row.ID, in.TradeIDs); err != nil {
			return err
		}
		trades, err := memberTradeIDs(ctx, tx, row.ID)
		if err != nil {
			return err
		}
		fields := memberFields(row.toMember())
		if len(trades) > 0 {
			fields["tradeIds"] = trades
		}
		return audit(ctx, tx, auditEntry{Mutation: "createMember", Targets: []domain.Ref{auditRef(domain.RefMember, row.ID)}, Changes: auditCreated(fields)})
	})
	if err != nil {
		return nil, err
	}
	s.db.memberCreated(row.ID)
	s.db.networkChanged()
	return row.read(domain.ViewerFrom(ctx)), nil
}

// UpdateMember changes a member. Returns FORBIDDEN unless the viewer is
// staff or the ACTIVE member itself, NOT_FOUND, BAD_USER_INPUT, CONFLICT.
func (s *MemberService) UpdateMember(ctx context.Context, id int64, patch domain.MemberPatch) (*domain.Member, error) {
	viewer := domain.ViewerFrom(ctx)
	if err := domain.CanUpdateMember(viewer, id); err != nil {
		return nil, err
	}
	var out *domain.Member
	err := s.db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var row memberRow
		if err := tx.NewSelect().Model(&row).Where("m.id = ?", id).For("UPDATE").Scan(ctx); err != nil {
			return mapError(err, "member")
		}
		m := row.toMember()
		if viewer.Role == domain.RoleMember && m.Status != domain.StatusActive {
			return domain.Errorf(domain.CodeForbidden, "a lapsed member cannot change its profile")
		}
		before := memberFields(m)
		changed, err := domain.ApplyMemberPatch(m, patch, s.db.today())
		if err != nil {
			return err
		}
		if patch.TradeIDs.Set {
			if before["tradeIds"], err = memberTradeIDs(ctx, tx, id); err != nil {
				return err
			}
			if _, err := tx.NewDelete().Model((*memberTradeRow)(nil)).Where("member_id = ?", id).Exec(ctx); err != nil {
				return mapError(err, "member trades")
			}
			if err := setMemberTrades(ctx, tx, id, *patch.TradeIDs.Value); err != nil {
				return err
			}
		}
		updated := fromMember(m)
		if len(changed) > 0 {
			_, err = tx.NewUpdate().Model(updated).WherePK().
				ExcludeColumn("id", "created_at", "updated_at").Set("updated_at = now()").
				Returning("id, created_at, updated_at").Exec(ctx)
			if err != nil {
				return memberWriteError(err)
			}
		}
		out = updated.toMember()
		after := memberFields(out)
		if patch.TradeIDs.Set {
			if after["tradeIds"], err = memberTradeIDs(ctx, tx, id); err != nil {
				return err
			}
		}
		return audit(ctx, tx, auditEntry{Mutation: "updateMember", Targets: []domain.Ref{auditRef(domain.RefMember, id)}, Changes: auditDiff(before, after)})
	})
	if err != nil {
		return nil, err
	}
	return domain.ReadMember(viewer, out), nil
}

// setMemberTrades inserts the trades of a member. Unknown trade ids are
// BAD_USER_INPUT on tradeIds.
func setMemberTrades(ctx context.Context, tx bun.Tx, memberID int64, tradeIDs []int64) error {
	ids := slices.Clone(tradeIDs)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if len(ids) == 0 {
		return nil
	}
	rows := make([]memberTradeRow, len(ids))
	for i, t := range ids {
		rows[i] = memberTradeRow{MemberID: memberID, TradeID: t}
	}
	if _, err := tx.NewInsert().Model(&rows).Exec(ctx); err != nil {
		if domain.ErrorCode(mapError(err, "trade")) == domain.CodeBadUserInput {
			return domain.InvalidField("tradeIds", "tradeIds contains an unknown trade")
		}
		return mapError(err, "member trades")
	}
	return nil
}

// memberWriteError maps an insert or update failure of a member row.
func memberWriteError(err error) error {
	if constraintOf(err) == "members_legal_id_key" {
		return &domain.Error{Code: domain.CodeConflict, Message: "another member already has this legal id", Field: "legalId"}
	}
	return mapError(err, "member")
}

// cleanMemberFilter checks the free-text parts and the near circle of a
// member filter.
func cleanMemberFilter(f domain.MemberFilter) (domain.MemberFilter, error) {
	var err error
	if f.Search, err = domain.CleanText("filter.search", f.Search, 200); err != nil {
		return f, err
	}
	if f.Regions, err = domain.CleanTexts("filter.regions", f.Regions, 200); err != nil {
		return f, err
	}
	if f.Near != nil {
		if err = domain.ValidateNear("filter.near", *f.Near); err != nil {
			return f, err
		}
	}
	f.Departments, err = domain.CleanTexts("filter.departments", f.Departments, 200)
	return f, err
}

// checkFloat validates a rank cursor value.
func checkFloat(v any) (any, bool) { f, ok := v.(float64); return f, ok }

// checkString, checkInt and checkDate validate cursor values by type.
func checkString(v any) (any, bool) { s, ok := v.(string); return s, ok }

func checkInt(v any) (any, bool) {
	f, ok := v.(float64)
	if !ok || f != float64(int64(f)) {
		return nil, false
	}
	return int64(f), true
}

func checkDate(v any) (any, bool) {
	s, ok := v.(string)
	if !ok {
		return nil, false
	}
	if d, err := time.Parse(time.DateOnly, s); err != nil || d.Year() < 1 { // PostgreSQL has no year 0
		return nil, false
	}
	return s, true
}
