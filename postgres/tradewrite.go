package postgres

import (
	"context"
	"errors"

	"grappe/domain"
)

// TradeWriteService implements domain.TradeWriteService.
type TradeWriteService struct{ db *DB }

// TradeWrites returns the taxonomy write service of db.
func (db *DB) TradeWrites() *TradeWriteService { return &TradeWriteService{db: db} }

var _ domain.TradeWriteService = (*TradeWriteService)(nil)

var errNotBuiltTradeWriteService = errors.New("TradeWriteService: not built yet")

// ComplementsOfTrades is not built yet.
func (s *TradeWriteService) ComplementsOfTrades(ctx context.Context, tradeIDs []int64) (map[int64][]*domain.TradeComplement, error) {
	return nil, errNotBuiltTradeWriteService
}

// CreateTrade is not built yet.
func (s *TradeWriteService) CreateTrade(ctx context.Context, in domain.TradeInput) (*domain.Trade, error) {
	return nil, errNotBuiltTradeWriteService
}

// AddComplement is not built yet.
func (s *TradeWriteService) AddComplement(ctx context.Context, c domain.TradeComplement) error {
	return errNotBuiltTradeWriteService
}

// RemoveComplement is not built yet.
func (s *TradeWriteService) RemoveComplement(ctx context.Context, tradeID, otherID int64, kind domain.ComplementKind) error {
	return errNotBuiltTradeWriteService
}
