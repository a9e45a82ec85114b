package postgres

import (
	"context"
	"slices"

	"github.com/uptrace/bun"

	"grappe/domain"
)

// complementRow is a row of trade_complements: a symmetric pair stored
// once, lower id first.
type complementRow struct {
	bun.BaseModel `bun:"table:trade_complements,alias:tc"`

	TradeLow    int64  `bun:"trade_low,pk"`
	TradeHigh   int64  `bun:"trade_high,pk"`
	Kind        string `bun:"kind,pk"`
	Description string `bun:"description,nullzero"`
}

// TradeWriteService implements domain.TradeWriteService.
type TradeWriteService struct{ db *DB }

// TradeWrites returns the taxonomy write service of db.
func (db *DB) TradeWrites() *TradeWriteService { return &TradeWriteService{db: db} }

var _ domain.TradeWriteService = (*TradeWriteService)(nil)

// Complements returns every trade's complements, seen from each side.
func (s *TradeWriteService) Complements(ctx context.Context) (map[int64][]*domain.TradeComplement, error) {
	var rows []complementRow
	err := s.db.bun.NewSelect().Model(&rows).Order("tc.trade_low", "tc.trade_high", "tc.kind").Scan(ctx)
	if err != nil {
		return nil, mapError(err, "trade complements")
	}
	out := make(map[int64][]*domain.TradeComplement)
	add := func(from, other int64, r *complementRow) {
		out[from] = append(out[from], &domain.TradeComplement{
			TradeID: from, OtherID: other, Kind: domain.ComplementKind(r.Kind), Description: r.Description,
		})
	}
	for i := range rows {
		r := &rows[i]
		add(r.TradeLow, r.TradeHigh, r)
		add(r.TradeHigh, r.TradeLow, r)
	}
	return out, nil
}

// CreateTrade adds a trade (staff). CONFLICT when the code exists,
// BAD_USER_INPUT for an unknown parent.
func (s *TradeWriteService) CreateTrade(ctx context.Context, in domain.TradeInput) (*domain.Trade, error) {
	if err := domain.CanEditTaxonomy(domain.ViewerFrom(ctx)); err != nil {
		return nil, err
	}
	in, err := domain.ValidateTradeInput(in)
	if err != nil {
		return nil, err
	}
	row := &tradeRow{Code: in.Code, NameEN: in.NameEN, NameFR: in.NameFR, ParentID: in.ParentID}
	err = s.db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(row).Returning("id").Exec(ctx); err != nil {
			switch domain.ErrorCode(mapError(err, "trade")) {
			case domain.CodeConflict:
				return &domain.Error{Code: domain.CodeConflict, Message: "a trade with this code exists", Field: "code"}
			case domain.CodeBadUserInput:
				return domain.InvalidField("parentId", "parentId is not a trade")
			}
			return mapError(err, "trade")
		}
		targets := []domain.Ref{auditRef(domain.RefTrade, row.ID)}
		if row.ParentID != nil {
			targets = append(targets, auditRef(domain.RefTrade, *row.ParentID))
		}
		return audit(ctx, tx, auditEntry{
			Mutation: "createTrade", Targets: targets,
			Changes: auditCreated(map[string]any{"code": row.Code, "nameEn": row.NameEN, "nameFr": row.NameFR, "parentId": snapOpt(row.ParentID)}),
		})
	})
	if err != nil {
		return nil, err
	}
	s.db.tradesChanged()
	return row.toTrade(), nil
}

// AddComplement declares two trades complementary (staff). CONFLICT when
// they already are with that kind.
func (s *TradeWriteService) AddComplement(ctx context.Context, c domain.TradeComplement) error {
	row, err := complementOf(ctx, c.TradeID, c.OtherID, c.Kind)
	if err != nil {
		return err
	}
	if row.Description, err = domain.CleanText("description", c.Description, 500); err != nil {
		return err
	}
	return s.db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(row).Exec(ctx); err != nil {
			switch domain.ErrorCode(mapError(err, "trade complement")) {
			case domain.CodeConflict:
				return domain.Errorf(domain.CodeConflict, "these trades already complement each other that way")
			case domain.CodeBadUserInput:
				return domain.InvalidField("otherTradeId", "tradeId or otherTradeId is not a trade")
			}
			return mapError(err, "trade complement")
		}
		return audit(ctx, tx, auditEntry{
			Mutation: "addTradeComplement",
			Targets:  []domain.Ref{auditRef(domain.RefTrade, c.TradeID), auditRef(domain.RefTrade, c.OtherID)},
			Changes:  auditCreated(map[string]any{"kind": row.Kind, "description": snapText(row.Description)}),
		})
	})
}

// RemoveComplement removes a complementarity (staff); every kind between
// the two when kind is "". NOT_FOUND when there is none.
func (s *TradeWriteService) RemoveComplement(ctx context.Context, tradeID, otherID int64, kind domain.ComplementKind) error {
	row, err := complementOf(ctx, tradeID, otherID, kind)
	if err != nil {
		return err
	}
	return s.db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		q := tx.NewDelete().Model((*complementRow)(nil)).
			Where("trade_low = ? AND trade_high = ?", row.TradeLow, row.TradeHigh)
		if kind != "" {
			q = q.Where("kind = ?", kind)
		}
		var removed []complementRow
		if _, err := q.Returning("kind, description").Exec(ctx, &removed); err != nil {
			return mapError(err, "trade complement")
		}
		if len(removed) == 0 {
			return domain.Errorf(domain.CodeNotFound, "these trades do not complement each other")
		}
		kinds := make([]string, len(removed))
		for i, r := range removed {
			kinds[i] = r.Kind
		}
		slices.Sort(kinds)
		return audit(ctx, tx, auditEntry{
			Mutation: "removeTradeComplement",
			Targets:  []domain.Ref{auditRef(domain.RefTrade, tradeID), auditRef(domain.RefTrade, otherID)},
			Changes:  auditDeleted(map[string]any{"kinds": kinds}),
		})
	})
}

// complementOf checks the viewer and the pair and returns the row key.
func complementOf(ctx context.Context, tradeID, otherID int64, kind domain.ComplementKind) (*complementRow, error) {
	if err := domain.CanEditTaxonomy(domain.ViewerFrom(ctx)); err != nil {
		return nil, err
	}
	if tradeID == otherID {
		return nil, domain.InvalidField("otherTradeId", "a trade does not complement itself")
	}
	if kind != "" && !kind.Valid() {
		return nil, domain.InvalidField("kind", "unknown complement kind %q", kind)
	}
	return &complementRow{TradeLow: min(tradeID, otherID), TradeHigh: max(tradeID, otherID), Kind: string(kind)}, nil
}
