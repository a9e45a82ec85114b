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

// ComplementKind says how two trades complement each other.
type ComplementKind string

// Complement kinds.
const (
	ComplementSupply       ComplementKind = "SUPPLY"
	ComplementDistribution ComplementKind = "DISTRIBUTION"
	ComplementIntegration  ComplementKind = "INTEGRATION"
	ComplementService      ComplementKind = "SERVICE"
)

// Valid reports whether k is a known complement kind.
func (k ComplementKind) Valid() bool {
	switch k {
	case ComplementSupply, ComplementDistribution, ComplementIntegration, ComplementService:
		return true
	}
	return false
}

// TradeComplement is a complementarity seen from one trade.
type TradeComplement struct {
	TradeID     int64 // the trade it is seen from
	OtherID     int64 // the complementary trade
	Kind        ComplementKind
	Description string
}

// TradeInput creates a trade.
type TradeInput struct {
	Code     string
	NameEN   string
	NameFR   string
	ParentID *int64
}

// TradeService reads the trade taxonomy.
type TradeService interface {
	// Trades returns the whole taxonomy, roots first, then by depth and code.
	Trades(ctx context.Context) ([]*Trade, error)
	// TradesOfMembers returns the trades of each given member, by code.
	TradesOfMembers(ctx context.Context, memberIDs []int64) (map[int64][]*Trade, error)
}

// TradeWriteService changes the taxonomy: staff only.
type TradeWriteService interface {
	// Complements returns every trade's complements, seen from each side:
	// the taxonomy is small, so a request reads it whole, once.
	Complements(ctx context.Context) (map[int64][]*TradeComplement, error)
	// CreateTrade adds a trade. CONFLICT when the code exists.
	CreateTrade(ctx context.Context, in TradeInput) (*Trade, error)
	// AddComplement declares two trades complementary.
	AddComplement(ctx context.Context, c TradeComplement) error
	// RemoveComplement removes a complementarity (every kind when kind is "").
	RemoveComplement(ctx context.Context, tradeID, otherID int64, kind ComplementKind) error
}
