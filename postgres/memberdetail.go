package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"grappe/domain"
)

// contactRow is a row of the contacts table.
type contactRow struct {
	bun.BaseModel `bun:"table:contacts,alias:c"`

	ID        int64     `bun:"id,pk,autoincrement"`
	MemberID  int64     `bun:"member_id"`
	Name      string    `bun:"name"`
	Role      string    `bun:"role,nullzero"`
	Email     string    `bun:"email,nullzero"`
	Phone     string    `bun:"phone,nullzero"`
	CreatedAt time.Time `bun:"created_at,nullzero,notnull,default:current_timestamp"`
}

func (r *contactRow) toContact() *domain.Contact {
	return &domain.Contact{ID: r.ID, MemberID: r.MemberID, Name: r.Name, Role: r.Role, Email: r.Email, Phone: r.Phone}
}

// MemberDetailService implements domain.MemberDetailService.
type MemberDetailService struct{ db *DB }

// MemberDetails returns the member detail service of db.
func (db *DB) MemberDetails() *MemberDetailService { return &MemberDetailService{db: db} }

var _ domain.MemberDetailService = (*MemberDetailService)(nil)

// ContactsOfMembers returns the contacts of each member, by name. Returns
// FORBIDDEN unless the viewer may read contacts.
func (s *MemberDetailService) ContactsOfMembers(ctx context.Context, memberIDs []int64) (map[int64][]*domain.Contact, error) {
	if err := domain.CanReadContacts(domain.ViewerFrom(ctx)); err != nil {
		return nil, err
	}
	var rows []contactRow
	q := s.db.bun.NewSelect().Model((*contactRow)(nil)).Where("c.member_id = ANY(?)", idsParam).
		Order("c.member_id", "c.name", "c.id")
	if err := s.db.selectByIDs(ctx, q, memberIDs, &rows); err != nil {
		return nil, mapError(err, "contacts")
	}
	out := make(map[int64][]*domain.Contact, len(memberIDs))
	for i := range rows {
		out[rows[i].MemberID] = append(out[rows[i].MemberID], rows[i].toContact())
	}
	return out, nil
}

// The parts of a member profile, as JSON arrays in the member's row (see
// MembersWithDetails).
const (
	contactsJSON = `(SELECT coalesce(json_agg(json_build_object('id', c.id, 'name', c.name, 'role', c.role,
		'email', c.email, 'phone', c.phone) ORDER BY c.name, c.id), '[]')
	FROM contacts AS c WHERE c.member_id = m.id) AS contacts_json`
	// tradesJSON lists trade ids: the trades come from the kept taxonomy.
	tradesJSON = `(SELECT coalesce(json_agg(mt.trade_id), '[]')
	FROM member_trades AS mt WHERE mt.member_id = m.id) AS trades_json`
	// groupsJSON takes the page size plus one, as GroupsOfMembers reads.
	groupsJSON = `(SELECT coalesce(json_agg(g ORDER BY g.formed_at DESC, g.id DESC), '[]') FROM (
		SELECT g.id, g.question_id, g.name, g.theme, g.status, g.formed_at, g.closed_at
		FROM working_groups AS g JOIN group_participants AS gp ON gp.group_id = g.id AND gp.left_at IS NULL
		WHERE gp.member_id = m.id ORDER BY g.formed_at DESC, g.id DESC LIMIT ?) AS g) AS groups_json`
)

// detailsRow is a member with the parts of its profile as JSON.
type detailsRow struct {
	memberRow    `bun:",extend"`
	ContactsJSON *string `bun:"contacts_json,scanonly"`
	TradesJSON   *string `bun:"trades_json,scanonly"`
	GroupsJSON   *string `bun:"groups_json,scanonly"`
}

// contactJSON and groupJSON are the elements of those arrays.
type contactJSON struct {
	ID                       int64
	Name, Role, Email, Phone string
}

type groupJSON struct {
	ID         int64      `json:"id"`
	QuestionID int64      `json:"question_id"`
	Name       string     `json:"name"`
	Theme      string     `json:"theme"`
	Status     string     `json:"status"`
	FormedAt   time.Time  `json:"formed_at"`
	ClosedAt   *time.Time `json:"closed_at"`
}

// MembersWithDetails returns the members among ids that the viewer may see
// with, as asked, their contacts (by name), their trades (by code) and a
// first page of their current groups, in one statement. A member with none
// has an empty list; the parts the viewer may not read are left nil.
func (s *MemberDetailService) MembersWithDetails(ctx context.Context, ids []int64, parts domain.ProfileParts) (map[int64]*domain.MemberWithDetails, error) {
	v := domain.ViewerFrom(ctx)
	q := s.db.bun.NewSelect().Model((*memberRow)(nil)).Where("m.id = ANY(?)", idsParam)
	if parts.Brief {
		q = q.Column(briefMemberColumns...)
	} else {
		q = q.ColumnExpr("?TableColumns")
	}
	if parts.Contacts && domain.CanReadContacts(v) == nil {
		q = q.ColumnExpr(contactsJSON)
	}
	if parts.Trades {
		q = q.ColumnExpr(tradesJSON)
	}
	var groups *pagePlan
	if parts.Groups != nil && parts.Groups.After == "" && parts.Groups.Before == "" &&
		domain.CanReadGroups(v) == nil {
		plan, err := s.db.planPage(ctx, memberGroupsKeyset, *parts.Groups)
		if err != nil {
			return nil, err
		}
		if !plan.backward {
			groups = plan
			q = q.ColumnExpr(groupsJSON, plan.limit+1)
		}
	}
	var rows []detailsRow
	if err := s.db.selectByIDs(ctx, q, ids, &rows); err != nil {
		return nil, mapError(err, "members")
	}
	out := make(map[int64]*domain.MemberWithDetails, len(rows))
	tradeIDs := map[int64][]int64{}
	for i := range rows {
		d, ids, err := rows[i].details(v, groups)
		if err != nil {
			return nil, err
		}
		if d == nil {
			continue
		}
		out[rows[i].ID] = d
		if ids != nil {
			tradeIDs[rows[i].ID] = ids
		}
	}
	if parts.Trades {
		trades, err := s.db.membersTrades(ctx, tradeIDs)
		if err != nil {
			return nil, err
		}
		for id, d := range out {
			d.Trades = trades[id]
		}
	}
	return out, nil
}

// details decodes a detailsRow as v may read it (nil when v may not see
// the member), all but its trades, of which it returns the ids; groups is
// the plan of its groups page.
func (r *detailsRow) details(v domain.Viewer, groups *pagePlan) (*domain.MemberWithDetails, []int64, error) {
	m := r.read(v)
	if m == nil {
		return nil, nil, nil
	}
	d := &domain.MemberWithDetails{Member: m}
	if r.ContactsJSON != nil {
		var cs []contactJSON
		if err := json.Unmarshal([]byte(*r.ContactsJSON), &cs); err != nil {
			return nil, nil, fmt.Errorf("contacts of member %d: %w", r.ID, err)
		}
		d.Contacts = make([]*domain.Contact, len(cs))
		for j, c := range cs {
			d.Contacts[j] = &domain.Contact{ID: c.ID, MemberID: r.ID, Name: c.Name, Role: c.Role, Email: c.Email, Phone: c.Phone}
		}
	}
	var tradeIDs []int64
	if r.TradesJSON != nil {
		tradeIDs = []int64{}
		if err := json.Unmarshal([]byte(*r.TradesJSON), &tradeIDs); err != nil {
			return nil, nil, fmt.Errorf("trades of member %d: %w", r.ID, err)
		}
	}
	if groups != nil && r.GroupsJSON != nil {
		var gs []groupJSON
		if err := json.Unmarshal([]byte(*r.GroupsJSON), &gs); err != nil {
			return nil, nil, fmt.Errorf("groups of member %d: %w", r.ID, err)
		}
		rows := make([]*groupRow, len(gs))
		for j, g := range gs {
			rows[j] = &groupRow{ID: g.ID, QuestionID: g.QuestionID, Name: g.Name, Theme: g.Theme, Status: g.Status, FormedAt: g.FormedAt, ClosedAt: g.ClosedAt}
		}
		d.Groups = convertPage(finish(groups, rows, memberGroupKey), (*groupRow).toGroup)
	}
	return d, tradeIDs, nil
}

// lockWritableMember locks member id for a change made by the viewer.
// Returns NOT_FOUND, or FORBIDDEN when a member writes as a LAPSED member.
func lockWritableMember(ctx context.Context, tx bun.Tx, v domain.Viewer, id int64) (*memberRow, error) {
	var row memberRow
	if err := tx.NewSelect().Model(&row).Where("m.id = ?", id).For("UPDATE").Scan(ctx); err != nil {
		return nil, mapError(err, "member")
	}
	if v.Role != domain.RoleStaff && row.LeftOn != nil {
		return nil, domain.Errorf(domain.CodeForbidden, "a lapsed member reads but does not write")
	}
	return &row, nil
}

// AddContact adds a contact: staff, or the ACTIVE member itself.
func (s *MemberDetailService) AddContact(ctx context.Context, in domain.ContactInput) (*domain.Contact, error) {
	v := domain.ViewerFrom(ctx)
	if err := domain.CanWriteAsMember(v, in.MemberID); err != nil {
		return nil, err
	}
	in, err := domain.ValidateContact(in)
	if err != nil {
		return nil, err
	}
	row := &contactRow{MemberID: in.MemberID, Name: in.Name, Role: in.Role, Email: in.Email, Phone: in.Phone}
	err = s.db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := lockWritableMember(ctx, tx, v, in.MemberID); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(row).Returning("id").Exec(ctx); err != nil {
			return mapError(err, "contact")
		}
		return audit(ctx, tx, auditEntry{
			Mutation: "addContact",
			Targets:  []domain.Ref{auditRef(domain.RefContact, row.ID), auditRef(domain.RefMember, row.MemberID)},
			Changes:  auditCreated(contactFields(row)),
		})
	})
	if err != nil {
		return nil, err
	}
	return row.toContact(), nil
}

// RemoveContact removes a contact and returns its member id: staff, or the
// ACTIVE member itself. Returns NOT_FOUND for an unknown contact.
func (s *MemberDetailService) RemoveContact(ctx context.Context, id int64) (int64, error) {
	v := domain.ViewerFrom(ctx)
	var memberID int64
	err := s.db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		// Locked, so that a concurrent erasure cannot slip between this read
		// and the audit entry that copies the contact's fields.
		var row contactRow
		if err := tx.NewSelect().Model(&row).Where("c.id = ?", id).For("UPDATE").Scan(ctx); err != nil {
			return mapError(err, "contact")
		}
		if err := domain.CanWriteAsMember(v, row.MemberID); err != nil {
			return err
		}
		if _, err := lockWritableMember(ctx, tx, v, row.MemberID); err != nil {
			return err
		}
		memberID = row.MemberID
		if _, err := tx.NewDelete().Model((*contactRow)(nil)).Where("id = ?", id).Exec(ctx); err != nil {
			return mapError(err, "contact")
		}
		return audit(ctx, tx, auditEntry{
			Mutation: "removeContact",
			Targets:  []domain.Ref{auditRef(domain.RefContact, id), auditRef(domain.RefMember, row.MemberID)},
			Changes:  auditDeleted(contactFields(&row)),
		})
	})
	return memberID, err
}

// SetMemberTrades replaces a member's trades: staff, or the ACTIVE member
// itself. At least one trade; unknown trades are BAD_USER_INPUT.
func (s *MemberDetailService) SetMemberTrades(ctx context.Context, memberID int64, tradeIDs []int64) (*domain.Member, error) {
	v := domain.ViewerFrom(ctx)
	if err := domain.CanWriteAsMember(v, memberID); err != nil {
		return nil, err
	}
	if len(tradeIDs) == 0 {
		return nil, domain.InvalidField("tradeIds", "a member has at least one trade")
	}
	var out *domain.Member
	err := s.db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		row, err := lockWritableMember(ctx, tx, v, memberID)
		if err != nil {
			return err
		}
		before, err := memberTradeIDs(ctx, tx, memberID)
		if err != nil {
			return err
		}
		if _, err := tx.NewDelete().Model((*memberTradeRow)(nil)).Where("member_id = ?", memberID).Exec(ctx); err != nil {
			return mapError(err, "member trades")
		}
		if err := setMemberTrades(ctx, tx, memberID, tradeIDs); err != nil {
			return err
		}
		if _, err := tx.NewUpdate().Model(row).WherePK().Set("updated_at = now()").Returning("updated_at").Exec(ctx); err != nil {
			return mapError(err, "member")
		}
		after, err := memberTradeIDs(ctx, tx, memberID)
		if err != nil {
			return err
		}
		out = row.read(domain.ViewerFrom(ctx))
		return audit(ctx, tx, auditEntry{
			Mutation: "setMemberTrades", Targets: []domain.Ref{auditRef(domain.RefMember, memberID)},
			Changes: auditDiff(map[string]any{"tradeIds": before}, map[string]any{"tradeIds": after}),
		})
	})
	return out, err
}

// EndMembership ends a membership (staff only): the member stays on record
// as LAPSED. Returns CONFLICT when it already ended, BAD_USER_INPUT for a
// date before joinedOn or in the future.
func (s *MemberDetailService) EndMembership(ctx context.Context, memberID int64, leftOn *time.Time) (*domain.Member, error) {
	if err := domain.CanEndMembership(domain.ViewerFrom(ctx)); err != nil {
		return nil, err
	}
	today := s.db.today()
	day := today
	if leftOn != nil {
		day = *leftOn
	}
	if day.After(today) {
		return nil, domain.InvalidField("leftOn", "leftOn must not be in the future")
	}
	var out *domain.Member
	err := s.db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var row memberRow
		if err := tx.NewSelect().Model(&row).Where("m.id = ?", memberID).For("UPDATE").Scan(ctx); err != nil {
			return mapError(err, "member")
		}
		if row.LeftOn != nil {
			return domain.Errorf(domain.CodeConflict, "this membership already ended on %s", row.LeftOn.Format(time.DateOnly))
		}
		if day.Before(row.JoinedOn) {
			return domain.InvalidField("leftOn", "leftOn must not be before joinedOn (%s)", row.JoinedOn.Format(time.DateOnly))
		}
		before := memberFields(row.toMember())
		row.LeftOn = &day
		_, err := tx.NewUpdate().Model(&row).WherePK().Column("left_on").Set("updated_at = now()").
			Returning("updated_at").Exec(ctx)
		if err != nil {
			return mapError(err, "member")
		}
		out = row.toMember()
		return audit(ctx, tx, auditEntry{
			Mutation: "endMembership", Targets: []domain.Ref{auditRef(domain.RefMember, memberID)},
			Changes: auditDiff(before, memberFields(out)),
		})
	})
	if err != nil {
		return nil, err
	}
	s.db.networkChanged()
	return domain.ReadMember(domain.ViewerFrom(ctx), out), nil
}
