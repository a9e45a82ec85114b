package postgres

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/uptrace/bun"

	"grappe/domain"
)

// PurchasingService implements domain.PurchasingService: purchasing
// campaigns and the members' commitments. A write to a campaign locks its
// row first (FOR NO KEY UPDATE, which commitments inserted meanwhile do not
// wait for), so that commitments, closing and the runners' changes queue
// one after the other: each sees the state the previous one left, and the
// totals read after the lock are those of every commitment made.
type PurchasingService struct{ db *DB }

// Purchasing returns the purchasing service of db.
func (db *DB) Purchasing() *PurchasingService { return &PurchasingService{db: db} }

var _ domain.PurchasingService = (*PurchasingService)(nil)

// campaignRow is a row of the purchasing_campaigns table, with the totals
// of its commitments, the lead of its group and the commitment of the
// viewer's member as campaignSelect reads them.
type campaignRow struct {
	bun.BaseModel `bun:"table:purchasing_campaigns,alias:pc"`

	ID              int64      `bun:"id,pk,autoincrement"`
	Title           string     `bun:"title"`
	Description     string     `bun:"description,nullzero"`
	Category        string     `bun:"category"`
	Supplier        string     `bun:"supplier"`
	Unit            string     `bun:"unit"`
	ListPrice       int        `bun:"list_price"`
	NegotiatedPrice int        `bun:"negotiated_price"`
	Currency        string     `bun:"currency"`
	MinimumQuantity int        `bun:"minimum_quantity"`
	OpensAt         *time.Time `bun:"opens_at"`
	ClosesAt        time.Time  `bun:"closes_at"`
	ClosedAt        *time.Time `bun:"closed_at"`
	Status          string     `bun:"status"`
	GroupID         *int64     `bun:"group_id"`
	CreatedAt       time.Time  `bun:"created_at,nullzero,notnull,default:current_timestamp"`

	TotalQuantity      int        `bun:"total_quantity,scanonly"`
	CommittedMembers   int        `bun:"committed_members,scanonly"`
	LeadID             *int64     `bun:"lead_id,scanonly"`
	ViewerCommitmentID *int64     `bun:"viewer_commitment_id,scanonly"`
	ViewerQuantity     *int       `bun:"viewer_quantity,scanonly"`
	ViewerCommittedAt  *time.Time `bun:"viewer_committed_at,scanonly"`
}

// commitmentRow is a row of the campaign_commitments table.
type commitmentRow struct {
	bun.BaseModel `bun:"table:campaign_commitments,alias:cc"`

	ID          int64     `bun:"id,pk,autoincrement"`
	CampaignID  int64     `bun:"campaign_id"`
	MemberID    int64     `bun:"member_id"`
	Quantity    int       `bun:"quantity"`
	CommittedAt time.Time `bun:"committed_at"`
}

// toCampaign converts a row into a domain campaign, before the read policy.
func (r *campaignRow) toCampaign() *domain.PurchasingCampaign {
	c := &domain.PurchasingCampaign{
		ID: r.ID, Title: r.Title, Description: r.Description, Category: domain.PurchaseCategory(r.Category),
		Supplier: r.Supplier, Unit: r.Unit, ListPrice: r.ListPrice, NegotiatedPrice: r.NegotiatedPrice,
		Currency: r.Currency, MinimumQuantity: r.MinimumQuantity, OpensAt: utcPtr(r.OpensAt), ClosesAt: r.ClosesAt.UTC(),
		ClosedAt: utcPtr(r.ClosedAt), Status: domain.CampaignStatus(r.Status), GroupID: r.GroupID,
		TotalQuantity: r.TotalQuantity, CommittedMembers: r.CommittedMembers,
	}
	if r.ViewerCommitmentID != nil && r.ViewerQuantity != nil && r.ViewerCommittedAt != nil {
		c.ViewerCommitment = &domain.CampaignCommitment{ID: *r.ViewerCommitmentID, CampaignID: r.ID,
			Quantity: *r.ViewerQuantity, CommittedAt: r.ViewerCommittedAt.UTC()}
	}
	return c
}

// lead returns the id of the current lead of the campaign's group, 0 when none.
func (r *campaignRow) lead() int64 {
	if r.LeadID == nil {
		return 0
	}
	return *r.LeadID
}

// read applies the read policy for v to the campaign of r: nil when v
// may not read it.
func (r *campaignRow) read(v domain.Viewer) *domain.PurchasingCampaign {
	c := r.toCampaign()
	if c.ViewerCommitment != nil {
		c.ViewerCommitment.MemberID = v.MemberID
	}
	return domain.ReadCampaign(v, c, domain.RunsCampaign(v, v.MemberID != 0 && r.lead() == v.MemberID))
}

func (r *commitmentRow) toCommitment() *domain.CampaignCommitment {
	return &domain.CampaignCommitment{ID: r.ID, CampaignID: r.CampaignID, MemberID: r.MemberID, Quantity: r.Quantity,
		CommittedAt: r.CommittedAt.UTC()}
}

// utcPtr returns t in UTC, nil for nil.
func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// campaignSelect reads campaigns with the totals of their commitments, the
// lead of their group, and the commitment of the member viewer (a bun
// value: the member's id, 0 for none, or a $n parameter).
func campaignSelect(db bun.IDB, viewer any) *bun.SelectQuery {
	return db.NewSelect().Model((*campaignRow)(nil)).
		ColumnExpr("pc.*").
		ColumnExpr("tot.total_quantity, tot.committed_members, lead.member_id AS lead_id").
		ColumnExpr("vc.id AS viewer_commitment_id, vc.quantity AS viewer_quantity, vc.committed_at AS viewer_committed_at").
		Join(`CROSS JOIN LATERAL (SELECT coalesce(sum(t.quantity), 0)::bigint AS total_quantity, count(*) AS committed_members
			FROM campaign_commitments AS t WHERE t.campaign_id = pc.id) AS tot`).
		Join(`LEFT JOIN LATERAL (SELECT l.member_id FROM group_participants AS l
			WHERE l.group_id = pc.group_id AND l.role = 'LEAD' AND l.left_at IS NULL LIMIT 1) AS lead ON true`).
		Join("LEFT JOIN campaign_commitments AS vc ON vc.campaign_id = pc.id AND vc.member_id = ?", viewer)
}

// leadsCondition is true when the member ? leads the group of the campaign
// whose id is the SQL expression campaign.
func leadsCondition(campaign string) string {
	return `EXISTS (SELECT 1 FROM purchasing_campaigns AS r_pc JOIN group_participants AS r_gp ON r_gp.group_id = r_pc.group_id
		WHERE r_pc.id = ` + campaign + ` AND r_gp.member_id = ? AND r_gp.role = 'LEAD' AND r_gp.left_at IS NULL)`
}

// campaignScope limits a listing to the campaigns v may read: a member
// sees every campaign but the DRAFTs of groups it does not lead.
func campaignScope(v domain.Viewer) func(*bun.SelectQuery) *bun.SelectQuery {
	return func(q *bun.SelectQuery) *bun.SelectQuery {
		if v.Role.AtLeast(domain.RoleAnalyst) {
			return q
		}
		return q.Where("(pc.status <> 'DRAFT' OR "+leadsCondition("pc.id")+")", v.MemberID)
	}
}

// campaignFilter returns the WHERE clauses of a campaign filter.
func campaignFilter(f domain.CampaignFilter) func(*bun.SelectQuery) *bun.SelectQuery {
	return func(q *bun.SelectQuery) *bun.SelectQuery {
		if len(f.Statuses) > 0 {
			q = q.Where("pc.status IN (?)", bun.List(f.Statuses))
		}
		if len(f.GroupIDs) > 0 {
			q = q.Where("pc.group_id IN (?)", bun.List(f.GroupIDs))
		}
		return q
	}
}

// campaignKeyset sorts campaigns the latest closing first: open and coming
// ones, then the past.
var campaignKeyset = keyset{Name: "campaigns:closes_at:DESC", Expr: "pc.closes_at", IDColumn: "pc.id", Desc: true, Check: checkTime}

// commitmentKeyset sorts a campaign's commitments, the latest first.
var commitmentKeyset = keyset{Name: "commitments:committed_at:DESC", Expr: "cc.committed_at", IDColumn: "cc.id", Desc: true, Check: checkTime}

// now returns the service's clock at the database's precision.
func (s *PurchasingService) now() time.Time { return s.db.Now().UTC().Truncate(time.Microsecond) }

// CampaignsByIDs returns the campaigns among ids that the viewer may read,
// by id: none to anonymous callers, no DRAFT to a member that does not
// lead its group.
func (s *PurchasingService) CampaignsByIDs(ctx context.Context, ids []int64) (map[int64]*domain.PurchasingCampaign, error) {
	v := domain.ViewerFrom(ctx)
	out := make(map[int64]*domain.PurchasingCampaign, len(ids))
	if len(ids) == 0 || domain.CanReadCampaigns(v) != nil {
		return out, nil
	}
	var rows []*campaignRow
	q := campaignSelect(s.db.bun, bun.Safe("$2::bigint")).Where("pc.id = ANY(?)", idsParam)
	if err := s.db.selectPrepared(ctx, q.String(), &rows, idArray(ids), v.MemberID); err != nil {
		return nil, mapError(err, "purchasing campaigns")
	}
	for _, r := range rows {
		if c := r.read(v); c != nil {
			out[r.ID] = c
		}
	}
	return out, nil
}

// Campaigns returns one page of the campaigns the viewer may read that
// match filter, the latest closing first. Returns FORBIDDEN to anonymous
// callers, BAD_USER_INPUT for a bad page request.
func (s *PurchasingService) Campaigns(ctx context.Context, filter domain.CampaignFilter, page domain.PageRequest) (*domain.Page[*domain.PurchasingCampaign], error) {
	v := domain.ViewerFrom(ctx)
	if err := domain.CanReadCampaigns(v); err != nil {
		return nil, err
	}
	plan, err := s.db.planPage(ctx, campaignKeyset, page)
	if err != nil {
		return nil, err
	}
	var rows []*campaignRow
	q := campaignSelect(s.db.bun, v.MemberID).Apply(campaignScope(v)).Apply(campaignFilter(filter))
	if err := plan.apply(q).Scan(ctx, &rows); err != nil {
		return nil, mapError(err, "purchasing campaigns")
	}
	p := finish(plan, rows, func(r *campaignRow) (any, int64) { return timeCursor(r.ClosesAt), r.ID })
	return convertPage(p, func(r *campaignRow) *domain.PurchasingCampaign { return r.read(v) }), nil
}

// CountCampaigns counts the campaigns the viewer may read that match filter.
func (s *PurchasingService) CountCampaigns(ctx context.Context, filter domain.CampaignFilter) (int, error) {
	v := domain.ViewerFrom(ctx)
	if err := domain.CanReadCampaigns(v); err != nil {
		return 0, err
	}
	n, err := s.db.bun.NewSelect().Model((*campaignRow)(nil)).Apply(campaignScope(v)).Apply(campaignFilter(filter)).Count(ctx)
	return int(n), mapError(err, "purchasing campaigns")
}

// runsParam adds to a prepared lookup whose first parameter is the
// campaign ids the condition that the viewer runs the campaign
// p.parent_id, and returns its arguments: analysts and staff run every
// campaign, a member those of the groups it leads.
func runsParam(v domain.Viewer, q *bun.SelectQuery, ids []int64) (*bun.SelectQuery, []any) {
	if v.Role.AtLeast(domain.RoleAnalyst) {
		return q, []any{idArray(ids)}
	}
	return q.Where(leadsCondition("p.parent_id"), bun.Safe("$2::bigint")), []any{idArray(ids), v.MemberID}
}

// CommitmentsOfCampaigns returns one page of each campaign's commitments,
// the latest first, in one statement (a LATERAL page per campaign); the
// campaigns the viewer does not run have none. Returns FORBIDDEN to
// anonymous callers, BAD_USER_INPUT for a bad page request.
func (s *PurchasingService) CommitmentsOfCampaigns(ctx context.Context, campaignIDs []int64, page domain.PageRequest) (map[int64]*domain.Page[*domain.CampaignCommitment], error) {
	v := domain.ViewerFrom(ctx)
	if err := domain.CanReadCampaigns(v); err != nil {
		return nil, err
	}
	plan, err := s.db.planPage(ctx, commitmentKeyset, page)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]*domain.Page[*domain.CampaignCommitment], len(campaignIDs))
	if len(campaignIDs) == 0 {
		return out, nil
	}
	inner := plan.apply(s.db.bun.NewSelect().Model((*commitmentRow)(nil)).Where("cc.campaign_id = p.parent_id"))
	var rows []struct {
		ParentID int64 `bun:"parent_id"`
		commitmentRow
	}
	q := s.db.bun.NewSelect().TableExpr("unnest(?) AS p(parent_id)", idsParam).
		ColumnExpr("p.parent_id, cc.*").Join("CROSS JOIN LATERAL (?) AS cc", inner)
	q, args := runsParam(v, q, campaignIDs)
	q = q.OrderExpr("p.parent_id").OrderExpr(lateralOrder(plan))
	if err := s.db.selectPrepared(ctx, q.String(), &rows, args...); err != nil {
		return nil, mapError(err, "commitments")
	}
	byParent := make(map[int64][]*commitmentRow, len(campaignIDs))
	for i := range rows {
		byParent[rows[i].ParentID] = append(byParent[rows[i].ParentID], &rows[i].commitmentRow)
	}
	for _, id := range campaignIDs {
		p := finish(plan, byParent[id], func(r *commitmentRow) (any, int64) { return timeCursor(r.CommittedAt), r.ID })
		out[id] = convertPage(p, (*commitmentRow).toCommitment)
	}
	return out, nil
}

// CountCommitmentsOfCampaigns counts each campaign's commitments: 0 for
// those the viewer does not run.
func (s *PurchasingService) CountCommitmentsOfCampaigns(ctx context.Context, campaignIDs []int64) (map[int64]int, error) {
	v := domain.ViewerFrom(ctx)
	if err := domain.CanReadCampaigns(v); err != nil {
		return nil, err
	}
	out := make(map[int64]int, len(campaignIDs))
	if len(campaignIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		ParentID int64 `bun:"parent_id"`
		N        int   `bun:"n"`
	}
	q := s.db.bun.NewSelect().TableExpr("unnest(?) AS p(parent_id)", idsParam).
		ColumnExpr("p.parent_id, (SELECT count(*) FROM campaign_commitments AS cc WHERE cc.campaign_id = p.parent_id) AS n")
	q, args := runsParam(v, q, campaignIDs)
	if err := s.db.selectPrepared(ctx, q.String(), &rows, args...); err != nil {
		return nil, mapError(err, "commitments")
	}
	for _, id := range campaignIDs {
		out[id] = 0
	}
	for _, r := range rows {
		out[r.ParentID] = r.N
	}
	return out, nil
}

// purchasingSQL sums what each member of ?0 (an id array) joined and saved
// in the 12 months from ?1 to ?2 (now), one row per member: the campaigns
// not cancelled it holds a commitment in that closed (or close) after ?1,
// and its savings on the ORDERED ones in EUR that closed between ?1 and ?2.
const purchasingSQL = `
SELECT m.id AS member_id,
    count(pc.id) FILTER (WHERE pc.status <> 'CANCELLED' AND coalesce(pc.closed_at, pc.closes_at) > ?1) AS campaigns_joined,
    least(coalesce(sum(cc.quantity * (pc.list_price - pc.negotiated_price)) FILTER (
        WHERE pc.status = 'ORDERED' AND pc.currency = 'EUR' AND pc.closed_at > ?1 AND pc.closed_at <= ?2), 0), 2147483647)::bigint AS savings
FROM unnest(?0::bigint[]) AS m (id)
LEFT JOIN campaign_commitments AS cc ON cc.member_id = m.id
LEFT JOIN purchasing_campaigns AS pc ON pc.id = cc.campaign_id
GROUP BY m.id`

// PurchasingOfMembers returns, for each member whose engagement the viewer
// may read (itself, or any for analysts and staff), the campaigns it
// joined and what it saved over the last 12 months, in one statement.
func (s *PurchasingService) PurchasingOfMembers(ctx context.Context, memberIDs []int64) (map[int64]*domain.MemberPurchasing, error) {
	v := domain.ViewerFrom(ctx)
	var ids []int64
	for _, id := range memberIDs {
		if domain.CanSeeEngagement(v, id) {
			ids = append(ids, id)
		}
	}
	out := make(map[int64]*domain.MemberPurchasing, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	now := s.now()
	var rows []struct {
		MemberID        int64 `bun:"member_id"`
		CampaignsJoined int   `bun:"campaigns_joined"`
		Savings         int   `bun:"savings"`
	}
	if err := s.db.bun.NewRaw(purchasingSQL, idArray(ids), now.AddDate(-1, 0, 0), now).Scan(ctx, &rows); err != nil {
		return nil, mapError(err, "purchasing")
	}
	for _, r := range rows {
		out[r.MemberID] = &domain.MemberPurchasing{MemberID: r.MemberID, CampaignsJoined: r.CampaignsJoined, Savings: r.Savings}
	}
	return out, nil
}

// campaignFields is the audited snapshot of a campaign.
func campaignFields(r *campaignRow) map[string]any {
	return map[string]any{
		"title": r.Title, "description": snapText(r.Description), "category": r.Category, "supplier": r.Supplier,
		"unit": r.Unit, "listPrice": r.ListPrice, "negotiatedPrice": r.NegotiatedPrice, "currency": r.Currency,
		"minimumQuantity": r.MinimumQuantity, "opensAt": snapTime(r.OpensAt), "closesAt": snapTime(&r.ClosesAt),
		"closedAt": snapTime(r.ClosedAt), "status": r.Status, "groupId": snapOpt(r.GroupID),
	}
}

// campaignRefs are the audit targets of a change of campaign r.
func campaignRefs(r *campaignRow, more ...domain.Ref) []domain.Ref {
	refs := []domain.Ref{auditRef(domain.RefPurchasingCampaign, r.ID)}
	if r.GroupID != nil {
		refs = append(refs, auditRef(domain.RefWorkingGroup, *r.GroupID))
	}
	return append(refs, more...)
}

// campaignNotFound is the error of an unknown campaign id, or of one the
// viewer may not read.
func campaignNotFound() error {
	return &domain.Error{Code: domain.CodeNotFound, Message: "purchasing campaign not found", Field: "campaignId"}
}

// lockCampaign locks campaign id's row until the transaction ends, then
// reads it with its totals as they are once the lock is held, for the
// viewer. Returns NOT_FOUND (on campaignId) when there is none or the
// viewer may not read it.
func (s *PurchasingService) lockCampaign(ctx context.Context, tx bun.Tx, v domain.Viewer, id int64) (*campaignRow, error) {
	var locked int64
	err := tx.NewSelect().Model((*campaignRow)(nil)).Column("pc.id").Where("pc.id = ?", id).For("NO KEY UPDATE").Scan(ctx, &locked)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, campaignNotFound()
	}
	if err != nil {
		return nil, mapError(err, "purchasing campaign")
	}
	row, err := readCampaign(ctx, tx, v, id)
	if err != nil {
		return nil, err
	}
	if row.read(v) == nil {
		return nil, campaignNotFound()
	}
	return row, nil
}

// readCampaign reads campaign id with its totals for the viewer.
func readCampaign(ctx context.Context, db bun.IDB, v domain.Viewer, id int64) (*campaignRow, error) {
	var row campaignRow
	if err := campaignSelect(db, v.MemberID).Where("pc.id = ?", id).Scan(ctx, &row); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, campaignNotFound()
		}
		return nil, mapError(err, "purchasing campaign")
	}
	return &row, nil
}

// lockRunCampaign locks a campaign for a change by its runners and checks
// the viewer is one: staff, or its group's ACTIVE lead.
func (s *PurchasingService) lockRunCampaign(ctx context.Context, tx bun.Tx, v domain.Viewer, id int64) (*campaignRow, error) {
	if err := domain.CanWriteCampaigns(v); err != nil {
		return nil, err
	}
	row, err := s.lockCampaign(ctx, tx, v, id)
	if err != nil {
		return nil, err
	}
	if err := domain.CanRunCampaign(v, row.lead()); err != nil {
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
	return row, nil
}

// CreateCampaign creates a DRAFT campaign, of a PURCHASING group or of
// staff alone. Returns FORBIDDEN unless the viewer is staff or the group's
// ACTIVE lead (only staff create a campaign without a group), NOT_FOUND
// for an unknown group, BAD_USER_INPUT naming the field of invalid input
// or of a group of another theme, CONFLICT for a CLOSED group.
func (s *PurchasingService) CreateCampaign(ctx context.Context, in domain.CampaignInput) (*domain.PurchasingCampaign, error) {
	v := domain.ViewerFrom(ctx)
	if err := domain.CanCreateCampaign(v, in.GroupID); err != nil {
		return nil, err
	}
	var out *domain.PurchasingCampaign
	err := s.db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if in.GroupID != nil {
			g, err := s.db.Groups().lockLedGroup(ctx, tx, v, *in.GroupID)
			if err != nil {
				return err
			}
			if err := domain.CanRunWithGroup(g); err != nil {
				return err
			}
		}
		in, err := domain.ValidateCampaignInput(in, s.now())
		if err != nil {
			return err
		}
		row := &campaignRow{
			Title: in.Title, Description: in.Description, Category: string(in.Category), Supplier: in.Supplier,
			Unit: in.Unit, ListPrice: in.ListPrice, NegotiatedPrice: in.NegotiatedPrice, Currency: in.Currency,
			MinimumQuantity: *in.MinimumQuantity, OpensAt: truncPtr(in.OpensAt), ClosesAt: in.ClosesAt.UTC().Truncate(time.Microsecond),
			Status: string(domain.CampaignDraft), GroupID: in.GroupID,
		}
		if _, err := tx.NewInsert().Model(row).Returning("id, created_at").Exec(ctx); err != nil {
			return mapError(err, "purchasing campaign")
		}
		if err := audit(ctx, tx, auditEntry{Mutation: "createPurchasingCampaign", Targets: campaignRefs(row),
			Changes: auditCreated(campaignFields(row))}); err != nil {
			return err
		}
		read, err := readCampaign(ctx, tx, v, row.ID)
		if err != nil {
			return err
		}
		out = read.read(v)
		return nil
	})
	return out, err
}

// truncPtr returns t in UTC at the database's precision, nil for nil.
func truncPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC().Truncate(time.Microsecond)
	return &u
}

// change applies a runner's change (apply: to its status, opening and
// closing times) to a locked campaign, records mutation in the audit trail
// and reads the campaign back for the viewer.
func (s *PurchasingService) change(ctx context.Context, tx bun.Tx, v domain.Viewer, row *campaignRow, mutation string,
	apply func(r *campaignRow)) (*domain.PurchasingCampaign, error) {
	before := campaignFields(row)
	apply(row)
	if _, err := tx.NewUpdate().Model(row).Column("status", "opens_at", "closed_at").WherePK().Exec(ctx); err != nil {
		return nil, mapError(err, "purchasing campaign")
	}
	if err := audit(ctx, tx, auditEntry{Mutation: mutation, Targets: campaignRefs(row), Changes: auditDiff(before, campaignFields(row))}); err != nil {
		return nil, err
	}
	read, err := readCampaign(ctx, tx, v, row.ID)
	if err != nil {
		return nil, err
	}
	return read.read(v), nil
}

// OpenCampaign opens a DRAFT to commitments until its closesAt. Returns
// FORBIDDEN unless the viewer runs it, NOT_FOUND for an unknown campaign
// (or a DRAFT the viewer may not read), CONFLICT unless it is a DRAFT
// whose closesAt is ahead.
func (s *PurchasingService) OpenCampaign(ctx context.Context, id int64) (*domain.PurchasingCampaign, error) {
	v := domain.ViewerFrom(ctx)
	var out *domain.PurchasingCampaign
	err := s.db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		row, err := s.lockRunCampaign(ctx, tx, v, id)
		if err != nil {
			return err
		}
		if err := domain.CanMoveCampaign(row.toCampaign(), domain.CampaignOpen); err != nil {
			return err
		}
		now := s.now()
		if !now.Before(row.ClosesAt) {
			return domain.Errorf(domain.CodeConflict, "the campaign's closesAt has passed: cancel it and create another")
		}
		out, err = s.change(ctx, tx, v, row, "openPurchasingCampaign", func(r *campaignRow) {
			r.Status, r.OpensAt = string(domain.CampaignOpen), &now
		})
		return err
	})
	return out, err
}

// CloseCampaign closes an OPEN campaign to commitments before its
// closesAt. Returns FORBIDDEN unless the viewer runs it, NOT_FOUND,
// CONFLICT unless it is OPEN.
func (s *PurchasingService) CloseCampaign(ctx context.Context, id int64) (*domain.PurchasingCampaign, error) {
	return s.runnerChange(ctx, id, domain.CampaignClosed, "closePurchasingCampaign")
}

// MarkOrdered records that a CLOSED campaign was ordered from its
// supplier. Returns FORBIDDEN unless the viewer runs it, NOT_FOUND,
// CONFLICT unless it is CLOSED with commitments.
func (s *PurchasingService) MarkOrdered(ctx context.Context, id int64) (*domain.PurchasingCampaign, error) {
	return s.runnerChange(ctx, id, domain.CampaignOrdered, "markCampaignOrdered")
}

// CancelCampaign cancels a DRAFT, OPEN or CLOSED campaign. Returns
// FORBIDDEN unless the viewer runs it, NOT_FOUND, CONFLICT when it was
// ORDERED or CANCELLED already.
func (s *PurchasingService) CancelCampaign(ctx context.Context, id int64) (*domain.PurchasingCampaign, error) {
	return s.runnerChange(ctx, id, domain.CampaignCancelled, "cancelPurchasingCampaign")
}

// runnerChange moves a campaign to status to, for its runners.
func (s *PurchasingService) runnerChange(ctx context.Context, id int64, to domain.CampaignStatus, mutation string) (*domain.PurchasingCampaign, error) {
	v := domain.ViewerFrom(ctx)
	var out *domain.PurchasingCampaign
	err := s.db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		row, err := s.lockRunCampaign(ctx, tx, v, id)
		if err != nil {
			return err
		}
		if err := domain.CanMoveCampaign(row.toCampaign(), to); err != nil {
			return err
		}
		now := s.now()
		out, err = s.change(ctx, tx, v, row, mutation, func(r *campaignRow) {
			if r.Status == string(domain.CampaignOpen) {
				r.ClosedAt = &now // it stops taking commitments
			}
			r.Status = string(to)
		})
		return err
	})
	return out, err
}

// Commit sets the quantity memberID commits to in an OPEN campaign before
// its closesAt, replacing its earlier one; 0 withdraws it. The campaign's
// row lock orders the commitments, so that the total checked against
// domain.MaxCampaignValue and the totals read back are exact however
// many members commit at once. Returns FORBIDDEN unless the viewer is
// staff or the ACTIVE member itself, NOT_FOUND for an unknown campaign
// (or one the viewer may not read) or member, BAD_USER_INPUT for a
// quantity out of range, CONFLICT when the campaign takes no commitment
// or the member is not ACTIVE.
func (s *PurchasingService) Commit(ctx context.Context, campaignID, memberID int64, quantity int) (*domain.PurchasingCampaign, error) {
	v := domain.ViewerFrom(ctx)
	if err := domain.CanActFor(v, memberID); err != nil {
		return nil, err
	}
	var out *domain.PurchasingCampaign
	err := s.db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		row, err := s.lockCampaign(ctx, tx, v, campaignID)
		if err != nil {
			return err
		}
		if err := checkActor(ctx, tx, v, memberID, true); err != nil {
			return err
		}
		if err := domain.ValidateQuantity(quantity); err != nil {
			return err
		}
		now := s.now()
		c := row.toCampaign()
		if err := domain.CanCommit(c, now); err != nil {
			return err
		}
		var cur commitmentRow
		err = tx.NewSelect().Model(&cur).Where("cc.campaign_id = ? AND cc.member_id = ?", campaignID, memberID).Scan(ctx)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return mapError(err, "commitment")
		}
		if quantity > cur.Quantity {
			if err := domain.CheckCampaignValue(c, c.TotalQuantity-cur.Quantity+quantity); err != nil {
				return err
			}
		}
		switch {
		case quantity == 0 && cur.ID != 0:
			if _, err := tx.NewDelete().Model((*commitmentRow)(nil)).Where("id = ?", cur.ID).Exec(ctx); err != nil {
				return mapError(err, "commitment")
			}
		case quantity > 0:
			next := &commitmentRow{CampaignID: campaignID, MemberID: memberID, Quantity: quantity, CommittedAt: now}
			if _, err := tx.NewInsert().Model(next).
				On("CONFLICT (campaign_id, member_id) DO UPDATE").
				Set("quantity = EXCLUDED.quantity, committed_at = EXCLUDED.committed_at").Exec(ctx); err != nil {
				return mapError(err, "commitment")
			}
		}
		changes := map[string]domain.Change{}
		if cur.Quantity != quantity {
			changes["quantity"] = domain.Change{Before: snapOpt(nonZero(cur.Quantity)), After: snapOpt(nonZero(quantity))}
		}
		if err := audit(ctx, tx, auditEntry{Mutation: "commitToCampaign",
			Targets: campaignRefs(row, auditRef(domain.RefMember, memberID)), Changes: changes}); err != nil {
			return err
		}
		read, err := readCampaign(ctx, tx, v, campaignID)
		if err != nil {
			return err
		}
		out = read.read(v)
		return nil
	})
	return out, err
}

// nonZero returns a pointer to n, nil for 0.
func nonZero(n int) *int {
	if n == 0 {
		return nil
	}
	return &n
}

// CampaignCloserSubject is the token subject the audit trail records for
// the closings made at closesAt by the servers themselves.
const CampaignCloserSubject = "grappe:closesAt"

// CloseDueCampaigns closes the OPEN campaigns whose closesAt has come and
// records each closing in the audit trail, in one transaction, and returns
// the ids it closed. Every server may run it at once: the campaigns due
// are locked in id order and closed by an UPDATE that rechecks that they
// are still OPEN, so that a campaign is closed, and its closing recorded,
// by exactly one transaction (the others wait for its lock, then find it
// CLOSED). A commitment under way holds the lock: the campaign closes
// right after it, with it.
func (db *DB) CloseDueCampaigns(ctx context.Context) ([]int64, error) {
	ctx = domain.WithViewer(ctx, domain.Viewer{Role: domain.RoleStaff, Subject: CampaignCloserSubject})
	now := db.Now().UTC().Truncate(time.Microsecond)
	var closed []int64
	err := db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var rows []*campaignRow
		err := tx.NewRaw(`WITH due AS (
				SELECT id FROM purchasing_campaigns WHERE status = 'OPEN' AND closes_at <= ? ORDER BY id FOR NO KEY UPDATE)
			UPDATE purchasing_campaigns AS pc SET status = 'CLOSED', closed_at = pc.closes_at
			FROM due WHERE pc.id = due.id AND pc.status = 'OPEN'
			RETURNING pc.*`, now).Scan(ctx, &rows)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return mapError(err, "purchasing campaigns")
		}
		for _, r := range rows {
			changes := auditDiff(map[string]any{"status": string(domain.CampaignOpen), "closedAt": nil},
				map[string]any{"status": r.Status, "closedAt": snapTime(r.ClosedAt)})
			changes["automatic"] = domain.Change{After: true}
			if err := audit(ctx, tx, auditEntry{Mutation: "closePurchasingCampaign", Targets: campaignRefs(r), Changes: changes}); err != nil {
				return err
			}
			closed = append(closed, r.ID)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return closed, nil
}

// NextCampaignClosing returns the closesAt of the OPEN campaign due first,
// nil when none is OPEN.
func (db *DB) NextCampaignClosing(ctx context.Context) (*time.Time, error) {
	var next []time.Time
	err := db.bun.NewSelect().Model((*campaignRow)(nil)).ColumnExpr("pc.closes_at").
		Where("pc.status = 'OPEN'").OrderExpr("pc.closes_at").Limit(1).Scan(ctx, &next)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, mapError(err, "purchasing campaigns")
	}
	if len(next) == 0 {
		return nil, nil
	}
	t := next[0].UTC()
	return &t, nil
}
