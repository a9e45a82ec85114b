package postgres

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"grappe/domain"
)

// tradeRow is a row of the trades table.
type tradeRow struct {
	bun.BaseModel `bun:"table:trades,alias:t"`

	ID        int64     `bun:"id,pk,autoincrement"`
	Code      string    `bun:"code"`
	NameEN    string    `bun:"name_en"`
	NameFR    string    `bun:"name_fr"`
	ParentID  *int64    `bun:"parent_id"`
	CreatedAt time.Time `bun:"created_at,nullzero,notnull,default:current_timestamp"`
}

func (r *tradeRow) toTrade() *domain.Trade {
	return &domain.Trade{ID: r.ID, Code: r.Code, NameEN: r.NameEN, NameFR: r.NameFR, ParentID: r.ParentID}
}

func fromTrade(t *domain.Trade) *tradeRow {
	return &tradeRow{ID: t.ID, Code: t.Code, NameEN: t.NameEN, NameFR: t.NameFR, ParentID: t.ParentID}
}

// TradeService implements domain.TradeService.
type TradeService struct{ db *DB }

// Trades returns the trade service of db.
func (db *DB) Trades() *TradeService { return &TradeService{db: db} }

var _ domain.TradeService = (*TradeService)(nil)

// Trades returns the whole taxonomy, roots first, then by depth and code.
func (s *TradeService) Trades(ctx context.Context) ([]*domain.Trade, error) {
	var rows []tradeRow
	err := s.db.bun.NewRaw(`
		WITH RECURSIVE tree AS (
			SELECT id, code, name_en, name_fr, parent_id, 0 AS depth FROM trades WHERE parent_id IS NULL
			UNION ALL
			SELECT t.id, t.code, t.name_en, t.name_fr, t.parent_id, tree.depth + 1
			FROM trades AS t JOIN tree ON t.parent_id = tree.id)
		SELECT id, code, name_en, name_fr, parent_id FROM tree ORDER BY depth, code`).Scan(ctx, &rows)
	if err != nil {
		return nil, mapError(err, "trades")
	}
	out := make([]*domain.Trade, len(rows))
	for i := range rows {
		out[i] = rows[i].toTrade()
	}
	return out, nil
}

// TradesOfMembers returns the trades of each given member, by code: the
// member's trade ids in one statement, the trades from the kept taxonomy.
func (s *TradeService) TradesOfMembers(ctx context.Context, memberIDs []int64) (map[int64][]*domain.Trade, error) {
	var rows []struct {
		MemberID int64 `bun:"member_id"`
		TradeID  int64 `bun:"trade_id"`
	}
	err := s.db.selectPrepared(ctx, "SELECT member_id, trade_id FROM member_trades WHERE member_id = ANY($1::bigint[])",
		&rows, idArray(memberIDs))
	if err != nil {
		return nil, mapError(err, "member trades")
	}
	tradeIDs := make(map[int64][]int64, len(memberIDs))
	for _, r := range rows {
		tradeIDs[r.MemberID] = append(tradeIDs[r.MemberID], r.TradeID)
	}
	return s.db.membersTrades(ctx, tradeIDs)
}
