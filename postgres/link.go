package postgres

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"grappe/domain"
)

// linkRow is a row of the business_links table.
type linkRow struct {
	bun.BaseModel `bun:"table:business_links,alias:l"`

	ID          int64      `bun:"id,pk,autoincrement"`
	FromID      int64      `bun:"from_id"`
	ToID        int64      `bun:"to_id"`
	Kind        string     `bun:"kind"`
	Status      string     `bun:"status"`
	Since       time.Time  `bun:"since,type:date"`
	Until       *time.Time `bun:"until,type:date"`
	VolumeBand  string     `bun:"volume_band,nullzero"`
	Origin      string     `bun:"origin"`
	DeclaredBy  int64      `bun:"declared_by"`
	ConfirmedAt *time.Time `bun:"confirmed_at"`
	ConfirmedBy *int64     `bun:"confirmed_by,scanonly"` // generated: the party that confirmed
	Note        string     `bun:"note,nullzero"`
	CreatedAt   time.Time  `bun:"created_at"`
	UpdatedAt   time.Time  `bun:"updated_at"`
}

// ownedLinkRow is a link read for one of several members at once; OwnerID
// is the member whose page it belongs to.
type ownedLinkRow struct {
	linkRow `bun:",extend"`
	OwnerID int64 `bun:"owner_id"`
}

// ownedMemberRow is a partner read for one of several members at once.
type ownedMemberRow struct {
	memberRow `bun:",extend"`
	OwnerID   int64 `bun:"owner_id"`
}

// ownerCount is a count per member.
type ownerCount struct {
	OwnerID int64 `bun:"owner_id"`
	N       int   `bun:"n"`
}

// toLink converts a row into a domain link.
func (r *linkRow) toLink() *domain.BusinessLink {
	l := &domain.BusinessLink{
		ID:          r.ID,
		FromID:      r.FromID,
		ToID:        r.ToID,
		Kind:        domain.LinkKind(r.Kind),
		Status:      domain.LinkStatus(r.Status),
		Since:       r.Since.UTC(),
		VolumeBand:  domain.VolumeBand(r.VolumeBand),
		Origin:      domain.LinkOrigin(r.Origin),
		DeclaredBy:  r.DeclaredBy,
		ConfirmedAt: r.ConfirmedAt,
		Note:        r.Note,
		CreatedAt:   r.CreatedAt,
	}
	if r.Until != nil {
		until := r.Until.UTC()
		l.Until = &until
	}
	return l
}

// fromLink converts a domain link into a row.
func fromLink(l *domain.BusinessLink) *linkRow {
	return &linkRow{
		ID:          l.ID,
		FromID:      l.FromID,
		ToID:        l.ToID,
		Kind:        string(l.Kind),
		Status:      string(l.Status),
		Since:       l.Since,
		Until:       l.Until,
		VolumeBand:  string(l.VolumeBand),
		Origin:      string(l.Origin),
		DeclaredBy:  l.DeclaredBy,
		ConfirmedAt: l.ConfirmedAt,
		Note:        l.Note,
		CreatedAt:   l.CreatedAt,
	}
}

// LinkService implements domain.LinkService. Besides the interface, it
// reads the links and partners of many members in one statement each
// (MembersLinks, CountMembersLinks, MembersPartners, CountMembersPartners)
// for the GraphQL loaders.
type LinkService struct{ db *DB }

// Links returns the business link service of db.
func (db *DB) Links() *LinkService { return &LinkService{db: db} }

var _ domain.LinkService = (*LinkService)(nil)

// Keyset names, one per list so that a cursor of one is refused by another.
const (
	linksList   = "links"
	memberList  = "memberLinks"
	pendingList = "pendingLinks"
	partnerList = "partners"
)

// linkKeyset sorts links by creation time, newest first unless ascending.
func linkKeyset(name string, ascending bool) keyset {
	return keyset{Name: name, Expr: "l.created_at", IDColumn: "l.id", Desc: !ascending, Check: checkTime}
}

// partnerKeyset sorts partners by name.
var partnerKeyset = keyset{Name: partnerList, Expr: "m.name", IDColumn: "m.id", Check: checkString}

// linkKey returns the sort key of a link row, as stored in cursors.
func linkKey(r *linkRow) (any, int64) { return timeCursor(r.CreatedAt), r.ID }

// read converts a row into the link v may read: nil when the link policy
// hides it from v, else with v's withheld fields cleared.
func (r *linkRow) read(v domain.Viewer) *domain.BusinessLink {
	return domain.ReadLink(v, r.toLink())
}

// linkPage builds the page of links v may read from rows read with plan
// (limited to v's scope by linkVisibility).
func linkPage(v domain.Viewer, plan *pagePlan, rows []*linkRow) *domain.Page[*domain.BusinessLink] {
	return domain.Keep(finish(plan, rows, linkKey), func(r *linkRow) *domain.BusinessLink { return r.read(v) })
}

// pageOrder is the ORDER BY of plan's keys in the direction plan reads
// them, with owner first: the outer order of a batch of pages.
func pageOrder(owner string, plan *pagePlan) string {
	dir := "ASC"
	if plan.keys.Desc != plan.backward {
		dir = "DESC"
	}
	return fmt.Sprintf("%s, %s %s, %s %s", owner, plan.keys.Expr, dir, plan.keys.IDColumn, dir)
}

// linkVisibility restricts links (alias l) to those the viewer may see
// (the link policy's scope, domain.LinkScopeOf).
func linkVisibility(v domain.Viewer) func(*bun.SelectQuery) *bun.SelectQuery {
	return func(q *bun.SelectQuery) *bun.SelectQuery {
		scope := domain.LinkScopeOf(v)
		switch {
		case scope.None:
			return q.Where("FALSE")
		case scope.PartyOf != 0:
			return q.Where("(l.status = ? OR l.from_id = ? OR l.to_id = ?)", domain.LinkConfirmed, scope.PartyOf, scope.PartyOf)
		}
		return q
	}
}

// linkFilter returns the WHERE clauses of a link filter.
func linkFilter(f domain.LinkFilter) func(*bun.SelectQuery) *bun.SelectQuery {
	return func(q *bun.SelectQuery) *bun.SelectQuery {
		if len(f.MemberIDs) > 0 {
			q = q.Where("(l.from_id IN (?) OR l.to_id IN (?))", bun.List(f.MemberIDs), bun.List(f.MemberIDs))
		}
		if len(f.Kinds) > 0 {
			q = q.Where("l.kind IN (?)", bun.List(f.Kinds))
		}
		if len(f.Statuses) > 0 {
			q = q.Where("l.status IN (?)", bun.List(f.Statuses))
		}
		if len(f.Origins) > 0 {
			q = q.Where("l.origin IN (?)", bun.List(f.Origins))
		}
		if f.SinceAfter != nil {
			q = q.Where("l.since >= ?", f.SinceAfter.Format(time.DateOnly))
		}
		if f.SinceBefore != nil {
			q = q.Where("l.since <= ?", f.SinceBefore.Format(time.DateOnly))
		}
		return q
	}
}

// sideOf returns the condition that member expression owner is on the
// given side of link l.
func sideOf(direction domain.LinkDirection, owner string) string {
	switch direction {
	case domain.DirectionOutgoing:
		return "l.from_id = " + owner
	case domain.DirectionIncoming:
		return "l.to_id = " + owner
	}
	return "(l.from_id = " + owner + " OR l.to_id = " + owner + ")"
}

// uniqueIDs returns ids sorted without duplicates.
func uniqueIDs(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

// Link returns a link the viewer may see. Returns NOT_FOUND otherwise.
func (s *LinkService) Link(ctx context.Context, id int64) (*domain.BusinessLink, error) {
	var row linkRow
	err := s.db.bun.NewSelect().Model(&row).Where("l.id = ?", id).
		Apply(linkVisibility(domain.ViewerFrom(ctx))).Scan(ctx)
	if err != nil {
		return nil, mapError(err, "business link")
	}
	l := row.read(domain.ViewerFrom(ctx))
	if l == nil {
		return nil, domain.Errorf(domain.CodeNotFound, "business link not found")
	}
	return l, nil
}

// LinksByIDs returns the links among ids the viewer may see, by id.
func (s *LinkService) LinksByIDs(ctx context.Context, ids []int64) (map[int64]*domain.BusinessLink, error) {
	out := make(map[int64]*domain.BusinessLink, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []linkRow
	err := s.db.bun.NewSelect().Model(&rows).Where("l.id IN (?)", bun.List(ids)).
		Apply(linkVisibility(domain.ViewerFrom(ctx))).Scan(ctx)
	if err != nil {
		return nil, mapError(err, "business links")
	}
	v := domain.ViewerFrom(ctx)
	for i := range rows {
		if l := rows[i].read(v); l != nil {
			out[l.ID] = l
		}
	}
	return out, nil
}

// Links returns one page of the links the viewer may see that match
// filter, newest first. Returns BAD_USER_INPUT for an invalid filter, page
// size or cursor.
func (s *LinkService) Links(ctx context.Context, filter domain.LinkFilter, page domain.PageRequest) (*domain.Page[*domain.BusinessLink], error) {
	v := domain.ViewerFrom(ctx)
	if err := domain.CanListLinks(v); err != nil {
		return nil, err
	}
	if err := domain.ValidateLinkFilter(filter, ""); err != nil {
		return nil, err
	}
	plan, err := s.db.planPage(ctx, linkKeyset(linksList, false), page)
	if err != nil {
		return nil, err
	}
	var rows []*linkRow
	q := s.db.bun.NewSelect().Model(&rows).Apply(linkVisibility(v)).Apply(linkFilter(filter))
	if err := plan.apply(q).Scan(ctx); err != nil {
		return nil, mapError(err, "business links")
	}
	return linkPage(v, plan, rows), nil
}

// CountLinks returns how many of the links the viewer may see match filter.
func (s *LinkService) CountLinks(ctx context.Context, filter domain.LinkFilter) (int, error) {
	if err := domain.CanListLinks(domain.ViewerFrom(ctx)); err != nil {
		return 0, err
	}
	if err := domain.ValidateLinkFilter(filter, ""); err != nil {
		return 0, err
	}
	n, err := s.db.bun.NewSelect().Model((*linkRow)(nil)).
		Apply(linkVisibility(domain.ViewerFrom(ctx))).Apply(linkFilter(filter)).Count(ctx)
	return int(n), mapError(err, "business links")
}

// MemberLinks returns one page of one member's links, newest first.
func (s *LinkService) MemberLinks(ctx context.Context, memberID int64, direction domain.LinkDirection, filter domain.LinkFilter, page domain.PageRequest) (*domain.Page[*domain.BusinessLink], error) {
	pages, err := s.MembersLinks(ctx, []int64{memberID}, direction, filter, page)
	if err != nil {
		return nil, err
	}
	return pages[memberID], nil
}

// MembersLinks returns, for each of memberIDs, one page of that member's
// links the viewer may see, newest first, all in one statement: page
// applies to each member's list. Returns BAD_USER_INPUT for an invalid
// direction, filter, page size or cursor.
func (s *LinkService) MembersLinks(ctx context.Context, memberIDs []int64, direction domain.LinkDirection, filter domain.LinkFilter, page domain.PageRequest) (map[int64]*domain.Page[*domain.BusinessLink], error) {
	return s.membersLinks(ctx, memberIDs, direction, filter, page, nil, false)
}

// MembersLinksWithCounterparts is MembersLinks that also returns, in the
// same statement, the counterpart of each link (the party other than the
// member whose page it is), by id; brief members when brief is true.
func (s *LinkService) MembersLinksWithCounterparts(ctx context.Context, memberIDs []int64, direction domain.LinkDirection, filter domain.LinkFilter, page domain.PageRequest, brief bool) (map[int64]*domain.Page[*domain.BusinessLink], map[int64]*domain.Member, error) {
	counterparts := map[int64]*domain.Member{}
	pages, err := s.membersLinks(ctx, memberIDs, direction, filter, page, counterparts, brief)
	return pages, counterparts, err
}

// linkCounterpartRow is a link read for one of several members at once,
// with its counterpart for that member.
type linkCounterpartRow struct {
	ownedLinkRow
	Counterpart memberRow `bun:"embed:cp_"`
}

// briefMemberColumns are the columns of a brief member (domain.BriefLacks).
var briefMemberColumns = []string{"id", "name", "kind", "headcount", "city", "postal_code", "department", "region", "country", "joined_on", "left_on"}

// counterpartColumns selects the columns of member cp, all of them or
// those of a brief member, as those of linkCounterpartRow.Counterpart.
func counterpartColumns(brief bool) string {
	if brief {
		return briefCounterpartColumns()
	}
	return fullCounterpartColumns()
}

var fullCounterpartColumns = sync.OnceValue(func() string { return prefixedColumns(memberRowColumns()) })

var briefCounterpartColumns = sync.OnceValue(func() string { return prefixedColumns(briefMemberColumns) })

// prefixedColumns selects cols of cp as cp_<col>.
func prefixedColumns(cols []string) string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = fmt.Sprintf("cp.%[1]s AS cp_%[1]s", c)
	}
	return strings.Join(out, ", ")
}

// membersLinks reads the pages of MembersLinks and, when counterparts is
// not nil, adds to it the counterpart of each link (brief or whole).
func (s *LinkService) membersLinks(ctx context.Context, memberIDs []int64, direction domain.LinkDirection, filter domain.LinkFilter, page domain.PageRequest, counterparts map[int64]*domain.Member, brief bool) (map[int64]*domain.Page[*domain.BusinessLink], error) {
	v := domain.ViewerFrom(ctx)
	if err := domain.CanListLinks(v); err != nil {
		return nil, err
	}
	if err := domain.ValidateLinkFilter(filter, direction); err != nil {
		return nil, err
	}
	plan, err := s.db.planPage(ctx, linkKeyset(memberList, false), page)
	if err != nil {
		return nil, err
	}
	ids := uniqueIDs(memberIDs)
	out := make(map[int64]*domain.Page[*domain.BusinessLink], len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	// One lateral subquery per member, each with its own keyset bound and
	// limit. A member's links on either side are the page of its outgoing
	// ones merged with the page of its incoming ones: each read in order
	// from its index (from_id or to_id, created_at, id), where an OR would
	// read all of the member's links to sort them.
	side := func(direction domain.LinkDirection) *bun.SelectQuery {
		return plan.apply(s.db.bun.NewSelect().Model((*linkRow)(nil)).ColumnExpr("o.id AS owner_id, l.*").
			Where(sideOf(direction, "o.id")).
			Apply(linkVisibility(v)).Apply(linkFilter(filter)))
	}
	inner := side(direction)
	if direction == domain.DirectionAny || direction == "" {
		inner = plan.orderLimit(s.db.bun.NewSelect().ColumnExpr("l.*").
			TableExpr("((?) UNION ALL (?)) AS l", side(domain.DirectionOutgoing), side(domain.DirectionIncoming)))
	}
	q := s.db.bun.NewSelect().TableExpr("unnest(?) AS o(id) CROSS JOIN LATERAL (?) AS l", idsParam, inner).
		ColumnExpr("l.*").OrderExpr(pageOrder("l.owner_id", plan))
	if counterparts != nil {
		q = q.ColumnExpr(counterpartColumns(brief)).
			Join("JOIN members AS cp ON cp.id = CASE WHEN l.from_id = l.owner_id THEN l.to_id ELSE l.from_id END")
	}
	var rows []*linkCounterpartRow
	if err := s.db.selectByIDs(ctx, q, ids, &rows); err != nil {
		return nil, mapError(err, "business links")
	}
	byOwner := make(map[int64][]*linkRow, len(ids))
	for _, r := range rows {
		byOwner[r.OwnerID] = append(byOwner[r.OwnerID], &r.linkRow)
		if counterparts == nil {
			continue
		}
		if m := r.Counterpart.read(v); m != nil {
			counterparts[m.ID] = m
		}
	}
	for _, id := range ids {
		out[id] = linkPage(v, plan, byOwner[id])
	}
	return out, nil
}

// CountMemberLinks returns how many of a member's links match.
func (s *LinkService) CountMemberLinks(ctx context.Context, memberID int64, direction domain.LinkDirection, filter domain.LinkFilter) (int, error) {
	counts, err := s.CountMembersLinks(ctx, []int64{memberID}, direction, filter)
	return counts[memberID], err
}

// CountMembersLinks returns, for each of memberIDs, how many of its links
// the viewer may see match, in one statement.
func (s *LinkService) CountMembersLinks(ctx context.Context, memberIDs []int64, direction domain.LinkDirection, filter domain.LinkFilter) (map[int64]int, error) {
	if err := domain.CanListLinks(domain.ViewerFrom(ctx)); err != nil {
		return nil, err
	}
	if err := domain.ValidateLinkFilter(filter, direction); err != nil {
		return nil, err
	}
	count := s.db.bun.NewSelect().Model((*linkRow)(nil)).ColumnExpr("count(*)").
		Where(sideOf(direction, "o.id")).
		Apply(linkVisibility(domain.ViewerFrom(ctx))).Apply(linkFilter(filter))
	return s.countPerMember(ctx, memberIDs, count)
}

// countPerMember runs count, a scalar subquery over member o.id, for each
// of memberIDs in one statement.
func (s *LinkService) countPerMember(ctx context.Context, memberIDs []int64, count *bun.SelectQuery) (map[int64]int, error) {
	ids := uniqueIDs(memberIDs)
	out := make(map[int64]int, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []ownerCount
	err := s.db.bun.NewSelect().TableExpr("unnest(?::bigint[]) AS o(id)", pgdialect.Array(ids)).
		ColumnExpr("o.id AS owner_id").ColumnExpr("(?) AS n", count).Scan(ctx, &rows)
	if err != nil {
		return nil, mapError(err, "business links")
	}
	for _, r := range rows {
		out[r.OwnerID] = r.N
	}
	return out, nil
}

// partnerIDs returns the subquery of the members that member o.id has a
// CONFIRMED link with, as far as the viewer may see.
func (s *LinkService) partnerIDs(v domain.Viewer) *bun.SelectQuery {
	return s.db.bun.NewSelect().TableExpr("business_links AS l").
		ColumnExpr("CASE WHEN l.from_id = o.id THEN l.to_id ELSE l.from_id END").
		Where(sideOf(domain.DirectionAny, "o.id")).Where("l.status = ?", domain.LinkConfirmed).
		Apply(linkVisibility(v))
}

// Partners returns one page of the distinct members a member has a
// CONFIRMED link with, by name.
func (s *LinkService) Partners(ctx context.Context, memberID int64, page domain.PageRequest) (*domain.Page[*domain.Member], error) {
	pages, err := s.MembersPartners(ctx, []int64{memberID}, page)
	if err != nil {
		return nil, err
	}
	return pages[memberID], nil
}

// MembersPartners returns, for each of memberIDs, one page of its partners
// by name, all in one statement. Returns BAD_USER_INPUT for an invalid page
// size or cursor.
func (s *LinkService) MembersPartners(ctx context.Context, memberIDs []int64, page domain.PageRequest) (map[int64]*domain.Page[*domain.Member], error) {
	v := domain.ViewerFrom(ctx)
	if err := domain.CanListLinks(v); err != nil {
		return nil, err
	}
	plan, err := s.db.planPage(ctx, partnerKeyset, page)
	if err != nil {
		return nil, err
	}
	ids := uniqueIDs(memberIDs)
	out := make(map[int64]*domain.Page[*domain.Member], len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	inner := s.db.bun.NewSelect().Model((*memberRow)(nil)).ColumnExpr("o.id AS owner_id, m.*").
		Where("m.id IN (?)", s.partnerIDs(v)).Apply(memberScope(v))
	var rows []*ownedMemberRow
	err = s.db.bun.NewSelect().Model(&rows).
		ModelTableExpr("unnest(?::bigint[]) AS o(id) CROSS JOIN LATERAL (?) AS m", pgdialect.Array(ids), plan.apply(inner)).
		OrderExpr(pageOrder("m.owner_id", plan)).Scan(ctx)
	if err != nil {
		return nil, mapError(err, "partners")
	}
	byOwner := make(map[int64][]*memberRow, len(ids))
	for _, r := range rows {
		byOwner[r.OwnerID] = append(byOwner[r.OwnerID], &r.memberRow)
	}
	for _, id := range ids {
		p := finish(plan, byOwner[id], func(r *memberRow) (any, int64) { return r.Name, r.ID })
		out[id] = toMemberPage(v, p)
	}
	return out, nil
}

// CountPartners returns how many distinct partners a member has.
func (s *LinkService) CountPartners(ctx context.Context, memberID int64) (int, error) {
	counts, err := s.CountMembersPartners(ctx, []int64{memberID})
	return counts[memberID], err
}

// CountMembersPartners returns how many distinct partners each of
// memberIDs has, in one statement.
func (s *LinkService) CountMembersPartners(ctx context.Context, memberIDs []int64) (map[int64]int, error) {
	if err := domain.CanListLinks(domain.ViewerFrom(ctx)); err != nil {
		return nil, err
	}
	count := s.db.bun.NewSelect().TableExpr("(?) AS p(id)", s.partnerIDs(domain.ViewerFrom(ctx))).
		ColumnExpr("count(DISTINCT p.id)")
	return s.countPerMember(ctx, memberIDs, count)
}

// pendingFor restricts links to the PENDING ones awaiting member id's answer.
func pendingFor(id int64) func(*bun.SelectQuery) *bun.SelectQuery {
	return func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.Where("l.status = ?", domain.LinkPending).
			Where("(l.from_id = ? OR l.to_id = ?)", id, id).Where("l.declared_by <> ?", id)
	}
}

// PendingConfirmations returns the PENDING links awaiting the viewer
// member's confirmation, oldest first; an empty page unless the viewer is
// a MEMBER (links of its own: within every member's scope).
func (s *LinkService) PendingConfirmations(ctx context.Context, page domain.PageRequest) (*domain.Page[*domain.BusinessLink], error) {
	v := domain.ViewerFrom(ctx)
	plan, err := s.db.planPage(ctx, linkKeyset(pendingList, true), page)
	if err != nil {
		return nil, err
	}
	if v.Role != domain.RoleMember {
		return linkPage(v, plan, nil), nil
	}
	var rows []*linkRow
	q := s.db.bun.NewSelect().Model(&rows).Apply(linkVisibility(v)).Apply(pendingFor(v.MemberID))
	if err := plan.apply(q).Scan(ctx); err != nil {
		return nil, mapError(err, "business links")
	}
	return linkPage(v, plan, rows), nil
}

// CountPendingConfirmations counts the links awaiting the viewer member's
// confirmation; 0 unless the viewer is a MEMBER.
func (s *LinkService) CountPendingConfirmations(ctx context.Context) (int, error) {
	v := domain.ViewerFrom(ctx)
	if v.Role != domain.RoleMember {
		return 0, nil
	}
	n, err := s.db.bun.NewSelect().Model((*linkRow)(nil)).Apply(linkVisibility(v)).Apply(pendingFor(v.MemberID)).Count(ctx)
	return int(n), mapError(err, "business links")
}

// Declare adds a PENDING link. Returns FORBIDDEN unless the viewer is staff
// or an ACTIVE member party to it, BAD_USER_INPUT for a self-link, invalid
// input or a LAPSED party, NOT_FOUND for an unknown member, CONFLICT for a
// duplicate live link. Concurrent duplicates are settled by the unique
// index business_links_live_key: one insert wins, the others get CONFLICT.
func (s *LinkService) Declare(ctx context.Context, in domain.LinkInput) (*domain.BusinessLink, error) {
	v := domain.ViewerFrom(ctx)
	row, err := s.newLink(v, in)
	if err != nil {
		return nil, err
	}
	err = s.db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := insertLink(ctx, tx, v, row); err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{
			Mutation: "declareBusinessLink",
			Targets:  []domain.Ref{auditRef(domain.RefBusinessLink, row.ID), auditRef(domain.RefMember, row.FromID), auditRef(domain.RefMember, row.ToID)},
			Changes:  auditCreated(linkFields(row.toLink())),
		})
	})
	if err != nil {
		return nil, err
	}
	return row.read(v), nil
}

// newLink checks a declaration by v against the rules that need no
// database (who may declare it, a valid input, no self-link) and returns
// the row of the PENDING link it declares now. A member declares as
// itself; staff, as the from party.
func (s *LinkService) newLink(v domain.Viewer, in domain.LinkInput) (*linkRow, error) {
	if err := domain.CanDeclareLink(v, in.FromID, in.ToID); err != nil {
		return nil, err
	}
	in, err := domain.ValidateLinkInput(in, s.db.today())
	if err != nil {
		return nil, err
	}
	now := s.db.Now()
	l := &domain.BusinessLink{
		FromID: in.FromID, ToID: in.ToID, Kind: in.Kind, Status: domain.LinkPending, Since: *in.Since,
		VolumeBand: in.VolumeBand, Origin: in.Origin, DeclaredBy: in.FromID, Note: in.Note, CreatedAt: now,
	}
	if v.Role == domain.RoleMember {
		l.DeclaredBy = v.MemberID
	}
	row := fromLink(l)
	row.UpdatedAt = now
	return row, nil
}

// insertLink inserts the row of a new link (newLink) in tx after the rules
// that need the database: both parties exist and are ACTIVE, the viewer's
// own membership has not lapsed, and a live link is unique (CONFLICT).
func insertLink(ctx context.Context, tx bun.Tx, v domain.Viewer, row *linkRow) error {
	if err := checkParties(ctx, tx, v, row.FromID, row.ToID); err != nil {
		return err
	}
	if _, err := tx.NewInsert().Model(row).Returning("*").Exec(ctx); err != nil {
		return linkWriteError(err)
	}
	return nil
}

// checkParties checks that both parties of a new link exist and are
// ACTIVE, and keeps them so until the transaction ends. A member viewer
// whose own membership lapsed is FORBIDDEN; an unknown party is NOT_FOUND;
// a LAPSED party is BAD_USER_INPUT.
func checkParties(ctx context.Context, tx bun.Tx, v domain.Viewer, fromID, toID int64) error {
	var rows []memberRow
	err := tx.NewSelect().Model(&rows).Column("id", "left_on").
		Where("m.id IN (?)", bun.List([]int64{fromID, toID})).For("SHARE").Scan(ctx)
	if err != nil {
		return mapError(err, "members")
	}
	lapsed := map[int64]bool{}
	for _, r := range rows {
		lapsed[r.ID] = r.LeftOn != nil
	}
	if v.Role == domain.RoleMember && lapsed[v.MemberID] {
		return domain.Errorf(domain.CodeForbidden, "a lapsed member cannot declare business links")
	}
	for _, p := range []struct {
		field string
		id    int64
	}{{"fromId", fromID}, {"toId", toID}} {
		gone, found := lapsed[p.id]
		switch {
		case !found:
			return &domain.Error{Code: domain.CodeNotFound, Message: "member not found", Field: p.field}
		case gone:
			return domain.InvalidField(p.field, "%s is a lapsed member: links are declared between ACTIVE members", p.field)
		}
	}
	return nil
}

// checkWriter returns FORBIDDEN when the viewer is a member whose
// membership lapsed (or does not exist).
func checkWriter(ctx context.Context, tx bun.Tx, v domain.Viewer) error {
	if v.Role != domain.RoleMember {
		return nil
	}
	var row memberRow
	err := tx.NewSelect().Model(&row).Column("id", "left_on").Where("m.id = ?", v.MemberID).Scan(ctx)
	if domain.ErrorCode(mapError(err, "member")) == domain.CodeNotFound || (err == nil && row.LeftOn != nil) {
		return domain.Errorf(domain.CodeForbidden, "a lapsed member cannot change business links")
	}
	return mapError(err, "member")
}

// lockLink reads link id for update. Returns NOT_FOUND when there is none
// or the viewer may not see it.
func lockLink(ctx context.Context, tx bun.Tx, v domain.Viewer, id int64) (*domain.BusinessLink, error) {
	var row linkRow
	if err := tx.NewSelect().Model(&row).Where("l.id = ?", id).For("UPDATE").Scan(ctx); err != nil {
		return nil, mapError(err, "business link")
	}
	l := row.toLink()
	if !domain.CanSeeLink(v, l) { // the link policy, as ReadLink applies it
		return nil, domain.Errorf(domain.CodeNotFound, "business link not found")
	}
	return l, nil
}

// change runs apply on link id in a transaction, after the checks common
// to every change, stores the changed columns and audits the change as
// mutation.
func (s *LinkService) change(ctx context.Context, mutation string, id int64, apply func(v domain.Viewer, l *domain.BusinessLink) error, columns ...string) (*domain.BusinessLink, error) {
	v := domain.ViewerFrom(ctx)
	if err := domain.CanWriteLinks(v); err != nil {
		return nil, err
	}
	var out *domain.BusinessLink
	err := s.db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := checkWriter(ctx, tx, v); err != nil {
			return err
		}
		l, err := lockLink(ctx, tx, v, id)
		if err != nil {
			return err
		}
		before := linkFields(l)
		if err := apply(v, l); err != nil {
			return err
		}
		row := fromLink(l)
		row.UpdatedAt = s.db.Now()
		_, err = tx.NewUpdate().Model(row).Column(append(columns, "updated_at")...).WherePK().Returning("*").Exec(ctx)
		if err != nil {
			return linkWriteError(err)
		}
		out = row.toLink()
		return audit(ctx, tx, auditEntry{
			Mutation: mutation,
			Targets:  []domain.Ref{auditRef(domain.RefBusinessLink, out.ID), auditRef(domain.RefMember, out.FromID), auditRef(domain.RefMember, out.ToID)},
			Changes:  auditDiff(before, linkFields(out)),
		})
	})
	if err != nil {
		return nil, err
	}
	s.db.networkChanged()
	return domain.ReadLink(v, out), nil
}

// Confirm confirms a PENDING link. Returns FORBIDDEN unless the viewer is
// staff or the ACTIVE party that did not declare it, NOT_FOUND for a link
// the viewer may not see, CONFLICT unless PENDING.
func (s *LinkService) Confirm(ctx context.Context, id int64) (*domain.BusinessLink, error) {
	return s.change(ctx, "confirmBusinessLink", id, func(v domain.Viewer, l *domain.BusinessLink) error {
		if err := answerable(v, l); err != nil {
			return err
		}
		now := s.db.Now()
		l.Status, l.ConfirmedAt = domain.LinkConfirmed, &now
		return nil
	}, "status", "confirmed_at")
}

// Decline declines a PENDING link, under the same rules as Confirm.
func (s *LinkService) Decline(ctx context.Context, id int64) (*domain.BusinessLink, error) {
	return s.change(ctx, "declineBusinessLink", id, func(v domain.Viewer, l *domain.BusinessLink) error {
		if err := answerable(v, l); err != nil {
			return err
		}
		l.Status = domain.LinkDeclined
		return nil
	}, "status")
}

// answerable checks that v may confirm or decline l now.
func answerable(v domain.Viewer, l *domain.BusinessLink) error {
	if err := domain.CanAnswerLink(v, l); err != nil {
		return err
	}
	if l.Status != domain.LinkPending {
		return domain.Errorf(domain.CodeConflict, "the link is %s: only a PENDING link can be confirmed or declined", l.Status)
	}
	return nil
}

// End ends a CONFIRMED link on until (today when nil). Returns FORBIDDEN
// unless the viewer is staff or an ACTIVE party, NOT_FOUND for a link the
// viewer may not see, CONFLICT unless CONFIRMED, BAD_USER_INPUT for a date
// before since or in the future.
func (s *LinkService) End(ctx context.Context, id int64, until *time.Time) (*domain.BusinessLink, error) {
	return s.change(ctx, "endBusinessLink", id, func(v domain.Viewer, l *domain.BusinessLink) error {
		if err := domain.CanEndLink(v, l); err != nil {
			return err
		}
		if l.Status != domain.LinkConfirmed {
			return domain.Errorf(domain.CodeConflict, "the link is %s: only a CONFIRMED link can end", l.Status)
		}
		end, err := domain.ValidateLinkEnd(l, until, s.db.today())
		if err != nil {
			return err
		}
		l.Status, l.Until = domain.LinkEnded, &end
		return nil
	}, "status", "until")
}

// linkWriteError maps an insert or update failure of a link row.
func linkWriteError(err error) error {
	if constraintOf(err) == "business_links_live_key" {
		return domain.Errorf(domain.CodeConflict,
			"a live link (PENDING or CONFIRMED) of this kind already exists between these members")
	}
	return mapError(err, "business link")
}
