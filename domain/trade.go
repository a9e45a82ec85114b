package domain

import "context"

// Trade is a node of the trade taxonomy (métier): manufacturer, integrator,
// distributor, laboratory and their sub-trades.
type Trade struct {
	ID       int64
	Code     string
	NameEN   string
	NameFR   string
	ParentID *int64
}

// Name returns the trade's name in lang ("EN" or "FR").
func (t *Trade) Name(lang string) string {
	if lang == "FR" {
		return t.NameFR
	}
	return t.NameEN
}

// TradeService reads the trade taxonomy.
type TradeService interface {
	// Trades returns the whole taxonomy, roots first, then by depth and code.
	Trades(ctx context.Context) ([]*Trade, error)
	// TradesOfMembers returns the trades of each given member, by code.
	TradesOfMembers(ctx context.Context, memberIDs []int64) (map[int64][]*Trade, error)
}
