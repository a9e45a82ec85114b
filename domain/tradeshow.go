package domain

import (
	"context"
	"time"
)

// TradeShow is an edition of the cluster's trade show: one a year.
type TradeShow struct {
	ID      int64
	Edition int
	// Year is the year of StartsOn.
	Year     int
	City     string
	Venue    string
	StartsOn time.Time // a date
	EndsOn   time.Time // a date
	// VisitorCount is the number of visitors staff counted; 0 until then.
	VisitorCount int
}

// Exhibitor is a member, or a company that is not a member, exhibiting at
// a show at one booth.
type Exhibitor struct {
	ID          int64
	TradeShowID int64
	// MemberID is the member exhibiting; nil for an exhibitor that is not a
	// member.
	MemberID *int64
	// Name is the name on the booth: for a member, its name when added.
	Name  string
	Booth string
	// TradeIDs are the trades an exhibitor that is not a member shows
	// (datasets only: a member exhibitor shows its member's trades).
	TradeIDs []int64
}

// Lead is a visitor a member exhibitor met at a show: a member or a
// company that is not one.
type Lead struct {
	ID          int64
	TradeShowID int64
	ExhibitorID int64
	// VisitorMemberID is the member visiting; nil when VisitorCompany names
	// a company that is not a member.
	VisitorMemberID *int64
	VisitorCompany  string
	ScannedAt       time.Time
	Note            string
	// ConvertedLinkID is the business link the exhibitor turned the lead
	// into (convertLeadToLink); nil until then.
	ConvertedLinkID *int64
}

// TradeShowInput creates a show.
type TradeShowInput struct {
	Edition      int
	City         string
	Venue        string
	StartsOn     time.Time
	EndsOn       time.Time
	VisitorCount *int // 0 when nil
}

// TradeShowPatch changes a show; unset fields stay as they are, and none
// may be cleared.
type TradeShowPatch struct {
	Edition      Optional[int]
	City         Optional[string]
	Venue        Optional[string]
	StartsOn     Optional[time.Time]
	EndsOn       Optional[time.Time]
	VisitorCount Optional[int]
}

// ExhibitorInput adds an exhibitor to a show: a member (MemberID) or a
// company that is not one (Name, and the TradeIDs it shows).
type ExhibitorInput struct {
	TradeShowID int64
	MemberID    *int64
	Name        *string
	Booth       string
	TradeIDs    []int64
}

// LeadInput records a lead of a member exhibitor: a member visitor
// (VisitorMemberID) or a company that is not one (VisitorCompany).
type LeadInput struct {
	TradeShowID     int64
	ExhibitorID     int64
	VisitorMemberID *int64
	VisitorCompany  *string
	Note            string
	ScannedAt       *time.Time // now when nil
}

// LeadConversion turns a lead into a business link declared by the
// exhibitor, of origin TRADE_SHOW.
type LeadConversion struct {
	LeadID     int64
	Kind       LinkKind
	Since      *time.Time // today when nil
	VolumeBand VolumeBand
	Note       string
}

// TradeShowStats are the figures of one show for the dashboard. Links
// born at a show are the links of origin TRADE_SHOW that the exhibitors
// turned leads of that show into, created on or after its first day.
type TradeShowStats struct {
	Show             *TradeShow
	Exhibitors       int
	MemberExhibitors int
	OtherExhibitors  int
	// MemberExhibitorShare is MemberExhibitors / Exhibitors; nil without
	// exhibitors.
	MemberExhibitorShare *float64
	Visitors             int
	Leads                int
	LeadsConverted       int
	// ConfirmedLinks counts the links born at the show now CONFIRMED.
	ConfirmedLinks int
	// LinksByKind counts the links born at the show by kind and status,
	// every kind in AllLinkKinds order.
	LinksByKind []LinkKindCount
}

// TradeShowService reads and writes trade shows, their exhibitors and
// their leads. Shows and exhibitors are public; leads are read by the
// exhibiting member, analysts and staff (SPEC §4 as issue 17 extends it).
type TradeShowService interface {
	// TradeShowsByIDs returns the shows among ids, by id.
	TradeShowsByIDs(ctx context.Context, ids []int64) (map[int64]*TradeShow, error)
	// TradeShows returns one page of shows, the newest first.
	TradeShows(ctx context.Context, page PageRequest) (*Page[*TradeShow], error)
	// CountTradeShows counts them.
	CountTradeShows(ctx context.Context) (int, error)
	// ExhibitorsByIDs returns the exhibitors among ids, by id.
	ExhibitorsByIDs(ctx context.Context, ids []int64) (map[int64]*Exhibitor, error)
	// ExhibitorsOfShows returns one page of each show's exhibitors, by
	// name, in one statement.
	ExhibitorsOfShows(ctx context.Context, showIDs []int64, page PageRequest) (map[int64]*Page[*Exhibitor], error)
	// CountExhibitorsOfShows counts each show's exhibitors.
	CountExhibitorsOfShows(ctx context.Context, showIDs []int64) (map[int64]int, error)
	// TradesOfExhibitors returns the trades each exhibitor shows, by code.
	TradesOfExhibitors(ctx context.Context, exhibitorIDs []int64) (map[int64][]*Trade, error)
	// LeadsByIDs returns the leads among ids the viewer may read, by id.
	LeadsByIDs(ctx context.Context, ids []int64) (map[int64]*Lead, error)
	// LeadsOfShows returns one page of each show's leads the viewer may
	// read, the latest scanned first, in one statement. FORBIDDEN for
	// anonymous callers.
	LeadsOfShows(ctx context.Context, showIDs []int64, page PageRequest) (map[int64]*Page[*Lead], error)
	// CountLeadsOfShows counts them.
	CountLeadsOfShows(ctx context.Context, showIDs []int64) (map[int64]int, error)

	// CreateTradeShow adds a show. FORBIDDEN unless staff; BAD_USER_INPUT
	// for invalid input; CONFLICT for a year or edition that has one.
	CreateTradeShow(ctx context.Context, in TradeShowInput) (*TradeShow, error)
	// UpdateTradeShow changes a show. FORBIDDEN unless staff; NOT_FOUND;
	// BAD_USER_INPUT; CONFLICT for a year or edition taken, or a first day
	// after leads already scanned.
	UpdateTradeShow(ctx context.Context, id int64, patch TradeShowPatch) (*TradeShow, error)
	// AddExhibitor adds an exhibitor. FORBIDDEN unless staff; NOT_FOUND for
	// an unknown show or member; BAD_USER_INPUT; CONFLICT for a member,
	// name or booth the show has already.
	AddExhibitor(ctx context.Context, in ExhibitorInput) (*Exhibitor, error)
	// RemoveExhibitor removes an exhibitor and returns its show. FORBIDDEN
	// unless staff; NOT_FOUND; CONFLICT when it has leads.
	RemoveExhibitor(ctx context.Context, id int64) (*TradeShow, error)
	// RecordLead records a lead of a member exhibitor. FORBIDDEN unless
	// staff or the ACTIVE member exhibiting; NOT_FOUND; BAD_USER_INPUT;
	// CONFLICT for a visitor the exhibitor has a lead of already.
	RecordLead(ctx context.Context, in LeadInput) (*Lead, error)
	// ConvertLeadToLink declares the business link a lead became, from the
	// exhibitor to the visitor member, of origin TRADE_SHOW, under every
	// rule of a declaration (LinkService.Declare), and returns the lead
	// and the link. FORBIDDEN unless staff or the ACTIVE member exhibiting;
	// NOT_FOUND for a lead the viewer may not read; CONFLICT for a lead
	// converted already or a duplicate live link.
	ConvertLeadToLink(ctx context.Context, in LeadConversion) (*Lead, *BusinessLink, error)
}
