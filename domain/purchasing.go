package domain

import (
	"context"
	"math"
	"strings"
	"time"
)

// CampaignStatus says where a purchasing campaign stands.
type CampaignStatus string

// Purchasing campaign statuses. A campaign goes DRAFT → OPEN → CLOSED →
// ORDERED; a DRAFT, OPEN or CLOSED one may be CANCELLED instead.
const (
	CampaignDraft     CampaignStatus = "DRAFT"
	CampaignOpen      CampaignStatus = "OPEN"
	CampaignClosed    CampaignStatus = "CLOSED"
	CampaignOrdered   CampaignStatus = "ORDERED"
	CampaignCancelled CampaignStatus = "CANCELLED"
)

// Valid reports whether s is a known status.
func (s CampaignStatus) Valid() bool {
	switch s {
	case CampaignDraft, CampaignOpen, CampaignClosed, CampaignOrdered, CampaignCancelled:
		return true
	}
	return false
}

// PurchaseCategory is what a campaign buys.
type PurchaseCategory string

// Purchase categories: what the cluster has bought together since its five
// founders bought their paint.
const (
	CategoryPaint                PurchaseCategory = "PAINT"
	CategoryOfficeSupplies       PurchaseCategory = "OFFICE_SUPPLIES"
	CategoryCalibrationEquipment PurchaseCategory = "CALIBRATION_EQUIPMENT"
	CategoryInsurance            PurchaseCategory = "INSURANCE"
	CategoryEnergy               PurchaseCategory = "ENERGY"
	CategoryOther                PurchaseCategory = "OTHER"
)

// Valid reports whether c is a known category.
func (c PurchaseCategory) Valid() bool {
	switch c {
	case CategoryPaint, CategoryOfficeSupplies, CategoryCalibrationEquipment, CategoryInsurance, CategoryEnergy, CategoryOther:
		return true
	}
	return false
}

// Limits of purchasing campaigns. Prices are in cents; the bounds keep
// every amount the API shows (a campaign's savings, a member's) within a
// GraphQL Int.
const (
	// MaxUnitPrice is the highest list or negotiated price of a unit, in
	// cents: 1,000,000.00 of the currency.
	MaxUnitPrice = 100_000_000
	// MaxQuantity is the most units of one commitment, and the highest
	// minimum quantity of a campaign.
	MaxQuantity = 1_000_000
	// MaxCampaignValue is the most a campaign may gather, at list price, in
	// cents (2^31 − 1: 21,474,836.47 of the currency): commitments that
	// would take it further are refused.
	MaxCampaignValue = math.MaxInt32
	// MaxCampaignAhead is how far ahead of now a campaign may close.
	MaxCampaignAhead = 2 * 365 * 24 * time.Hour
	// DefaultCurrency is the currency of a campaign created without one.
	DefaultCurrency = "EUR"
)

// Currencies are the ISO 4217 codes a campaign may be priced in: the euro
// and the currencies of the suppliers the cluster's members buy from.
var Currencies = []string{"EUR", "CHF", "GBP", "USD"}

// PurchasingCampaign is a pooled purchase: members commit to quantities of
// one product or service at a price the cluster negotiated with a
// supplier. It is run by the LEAD of its working group (of theme
// PURCHASING) and by staff, or by staff alone when it has no group.
type PurchasingCampaign struct {
	ID              int64
	Title           string
	Description     string
	Category        PurchaseCategory
	Supplier        string
	Unit            string
	ListPrice       int // cents
	NegotiatedPrice int // cents
	Currency        string
	MinimumQuantity int
	// OpensAt is the planned opening of a DRAFT (nil: not planned), and
	// when it opened once OPEN.
	OpensAt  *time.Time
	ClosesAt time.Time
	// ClosedAt is when it stopped taking commitments (closed, or
	// cancelled while OPEN); nil before.
	ClosedAt *time.Time
	Status   CampaignStatus
	GroupID  *int64

	// TotalQuantity and CommittedMembers sum its commitments, as read.
	TotalQuantity    int
	CommittedMembers int
	// ViewerCommitment is the commitment of the viewer's member, nil when
	// it has none (and for viewers who are not a member).
	ViewerCommitment *CampaignCommitment
	Redaction
}

// Savings is what the campaign saves its members against the list price:
// (list price − negotiated price) × total quantity, in cents.
func (c *PurchasingCampaign) Savings() int {
	return (c.ListPrice - c.NegotiatedPrice) * c.TotalQuantity
}

// ReachedMinimum reports whether the commitments reach the minimum quantity.
func (c *PurchasingCampaign) ReachedMinimum() bool { return c.TotalQuantity >= c.MinimumQuantity }

// CampaignCommitment is the quantity a member committed to buy in a campaign.
type CampaignCommitment struct {
	ID          int64
	CampaignID  int64
	MemberID    int64
	Quantity    int
	CommittedAt time.Time
}

// MemberPurchasing is what a member took part in and saved through the
// cluster's purchasing campaigns over the last 12 months.
type MemberPurchasing struct {
	MemberID int64
	// CampaignsJoined counts the campaigns, not cancelled, that close within
	// the 12 months before now or later, in which the member holds a
	// commitment.
	CampaignsJoined int
	// Savings sums, over the ORDERED campaigns priced in EUR that closed
	// within the 12 months before now, the member's quantity times (list
	// price − negotiated price), in cents; it saturates at 2^31 − 1.
	Savings int
}

// CampaignInput creates a purchasing campaign.
type CampaignInput struct {
	Title           string
	Description     string
	Category        PurchaseCategory // OTHER when empty
	Supplier        string
	Unit            string
	ListPrice       int
	NegotiatedPrice int
	Currency        string // EUR when empty
	MinimumQuantity *int   // 1 when nil
	OpensAt         *time.Time
	ClosesAt        time.Time
	GroupID         *int64 // nil: run by staff alone
}

// CampaignFilter narrows a campaign listing.
type CampaignFilter struct {
	Statuses []CampaignStatus
	GroupIDs []int64
}

// ValidateCampaignInput cleans a new campaign and checks it: a title, a
// supplier and a unit; prices from 1 cent (0 for the negotiated price) to
// MaxUnitPrice, the negotiated price not above the list price; a known
// currency and category; a minimum quantity from 1 to MaxQuantity; closesAt
// after now and within MaxCampaignAhead; opensAt, when given, not before
// the day before now and before closesAt. Returns BAD_USER_INPUT naming the
// field.
func ValidateCampaignInput(in CampaignInput, now time.Time) (CampaignInput, error) {
	var err error
	if in.Title, err = RequiredText("title", in.Title, maxShortTextLen); err != nil {
		return in, err
	}
	if in.Description, err = CleanText("description", in.Description, maxDescriptionLen); err != nil {
		return in, err
	}
	if in.Category == "" {
		in.Category = CategoryOther
	}
	if !in.Category.Valid() {
		return in, InvalidField("category", "unknown category %q", in.Category)
	}
	if in.Supplier, err = RequiredText("supplier", in.Supplier, maxNameLen); err != nil {
		return in, err
	}
	if in.Unit, err = RequiredText("unit", in.Unit, maxShortTextLen); err != nil {
		return in, err
	}
	if in.ListPrice < 1 || in.ListPrice > MaxUnitPrice {
		return in, InvalidField("listPrice", "listPrice must be between 1 and %d cents, got %d", MaxUnitPrice, in.ListPrice)
	}
	if in.NegotiatedPrice < 0 || in.NegotiatedPrice > MaxUnitPrice {
		return in, InvalidField("negotiatedPrice", "negotiatedPrice must be between 0 and %d cents, got %d", MaxUnitPrice, in.NegotiatedPrice)
	}
	if in.NegotiatedPrice > in.ListPrice {
		return in, InvalidField("negotiatedPrice", "the negotiated price (%d) is above the list price (%d)", in.NegotiatedPrice, in.ListPrice)
	}
	if in.Currency, err = CleanText("currency", in.Currency, 10); err != nil {
		return in, err
	}
	in.Currency = strings.ToUpper(in.Currency)
	if in.Currency == "" {
		in.Currency = DefaultCurrency
	}
	if !validCurrency(in.Currency) {
		return in, InvalidField("currency", "currency must be one of %s, got %q", strings.Join(Currencies, ", "), in.Currency)
	}
	if in.MinimumQuantity == nil {
		one := 1
		in.MinimumQuantity = &one
	}
	if n := *in.MinimumQuantity; n < 1 || n > MaxQuantity {
		return in, InvalidField("minimumQuantity", "minimumQuantity must be between 1 and %d, got %d", MaxQuantity, n)
	}
	if !in.ClosesAt.After(now) {
		return in, InvalidField("closesAt", "closesAt must be in the future")
	}
	if in.ClosesAt.After(now.Add(MaxCampaignAhead)) {
		return in, InvalidField("closesAt", "closesAt must be within two years")
	}
	if in.OpensAt != nil {
		if in.OpensAt.Before(now.Add(-24 * time.Hour)) {
			return in, InvalidField("opensAt", "opensAt must not be in the past")
		}
		if !in.OpensAt.Before(in.ClosesAt) {
			return in, InvalidField("closesAt", "closesAt must be after opensAt")
		}
	}
	return in, nil
}

// validCurrency reports whether code is one of Currencies.
func validCurrency(code string) bool {
	for _, c := range Currencies {
		if c == code {
			return true
		}
	}
	return false
}

// ValidateQuantity checks the quantity of a commitment: 0 (a withdrawal)
// to MaxQuantity. Returns BAD_USER_INPUT naming "quantity".
func ValidateQuantity(q int) error {
	if q < 0 || q > MaxQuantity {
		return InvalidField("quantity", "quantity must be between 0 (to withdraw) and %d, got %d", MaxQuantity, q)
	}
	return nil
}

// CanReadCampaigns returns FORBIDDEN unless v is a member or above:
// campaigns are not shown to anonymous callers.
func CanReadCampaigns(v Viewer) error {
	if !v.Role.AtLeast(RoleMember) {
		return Errorf(CodeForbidden, "purchasing campaigns are %s", reasonMembersOnly)
	}
	return nil
}

// RunsCampaign reports whether v may read everything of a campaign: staff
// and analysts, and the MEMBER leading its group (viewerLeads, as storage
// found it). Members see the campaigns and their own commitment; the
// quantities of the others are for these viewers only.
func RunsCampaign(v Viewer, viewerLeads bool) bool {
	return v.Role.AtLeast(RoleAnalyst) || (v.Role == RoleMember && viewerLeads)
}

// campaignCommitments is what a member who does not run a campaign may not
// read of it.
var campaignCommitments = withheld("visible to the campaign's runners (its group's lead), analysts and staff only", "commitments")

// ReadCampaign applies the campaign policy to c for v, whose runs says
// whether it runs c (RunsCampaign): nil when v may not read c at all
// (anonymous callers; a DRAFT to those who do not run it), otherwise c with
// its commitments withheld from the members who do not run it.
func ReadCampaign(v Viewer, c *PurchasingCampaign, runs bool) *PurchasingCampaign {
	if c == nil || CanReadCampaigns(v) != nil {
		return nil
	}
	if c.Status == CampaignDraft && !runs {
		return nil
	}
	if !runs {
		c.Redaction = Redaction{campaignCommitments}
	}
	if v.Role != RoleMember {
		c.ViewerCommitment = nil
	}
	return c
}

// CanWriteCampaigns returns FORBIDDEN unless v may write to campaigns at
// all: staff, or a member. Analysts and anonymous callers write nothing.
func CanWriteCampaigns(v Viewer) error {
	if v.Role != RoleStaff && v.Role != RoleMember {
		return Errorf(CodeForbidden, "only members and staff take part in purchasing campaigns")
	}
	return nil
}

// CanCreateCampaign returns FORBIDDEN unless v may create a campaign of
// group groupID (nil: of staff alone): staff, or a member for a group
// (storage then checks that it leads it, with CanLeadGroup).
func CanCreateCampaign(v Viewer, groupID *int64) error {
	switch {
	case v.Role == RoleStaff:
		return nil
	case v.Role != RoleMember:
		return Errorf(CodeForbidden, "only staff and the lead of a purchasing group run campaigns")
	case groupID == nil:
		return &Error{Code: CodeForbidden, Message: "only staff run a campaign without a working group", Field: "groupId"}
	}
	return nil
}

// CanRunCampaign returns FORBIDDEN unless v is staff or the MEMBER leading
// the campaign's group (leadID, 0 when it has none or no group): they
// open, close, order and cancel it.
func CanRunCampaign(v Viewer, leadID int64) error {
	if v.Role == RoleStaff || (v.Role == RoleMember && leadID != 0 && v.MemberID == leadID) {
		return nil
	}
	return Errorf(CodeForbidden, "only the campaign's runners (its group's lead) and staff can do this")
}

// CanRunWithGroup returns BAD_USER_INPUT (on groupId) unless g is a group
// of theme PURCHASING, CONFLICT when it is CLOSED.
func CanRunWithGroup(g *WorkingGroup) error {
	if g.Theme != ThemePurchasing {
		return &Error{Code: CodeBadUserInput, Message: "a campaign belongs to a working group of theme PURCHASING", Field: "groupId"}
	}
	return CanChangeGroup(g)
}

// CanMoveCampaign returns CONFLICT unless campaign c may move to status
// to: a DRAFT opens; an OPEN one closes; a CLOSED one is ordered (when
// something was committed); a DRAFT, OPEN or CLOSED one is cancelled.
func CanMoveCampaign(c *PurchasingCampaign, to CampaignStatus) error {
	ok := false
	switch to {
	case CampaignOpen:
		ok = c.Status == CampaignDraft
	case CampaignClosed:
		ok = c.Status == CampaignOpen
	case CampaignOrdered:
		ok = c.Status == CampaignClosed
	case CampaignCancelled:
		ok = c.Status == CampaignDraft || c.Status == CampaignOpen || c.Status == CampaignClosed
	}
	if !ok {
		return Errorf(CodeConflict, "the campaign is %s: it cannot become %s", c.Status, to)
	}
	if to == CampaignOrdered && c.TotalQuantity == 0 {
		return Errorf(CodeConflict, "nothing was committed: cancel the campaign instead")
	}
	return nil
}

// CanCommit returns CONFLICT unless c takes commitments at now: OPEN and
// before closesAt.
func CanCommit(c *PurchasingCampaign, now time.Time) error {
	if c.Status != CampaignOpen {
		return Errorf(CodeConflict, "the campaign is %s: it takes commitments only while OPEN", c.Status)
	}
	if !now.Before(c.ClosesAt) {
		return Errorf(CodeConflict, "the campaign closed at %s", c.ClosesAt.UTC().Format(time.RFC3339))
	}
	return nil
}

// CheckCampaignValue returns BAD_USER_INPUT (on quantity) when a total
// quantity of total units would take c past MaxCampaignValue at list price.
func CheckCampaignValue(c *PurchasingCampaign, total int) error {
	if total > 0 && c.ListPrice > 0 && total > MaxCampaignValue/c.ListPrice {
		return InvalidField("quantity", "this quantity would take the campaign past the most one campaign gathers (%d units at this price)",
			MaxCampaignValue/c.ListPrice)
	}
	return nil
}

// PurchasingService reads and writes purchasing campaigns. Members and
// above read campaigns (a DRAFT only its runners, analysts and staff) and
// their own commitments; the runners of a campaign, analysts and staff read
// its commitments.
type PurchasingService interface {
	// CampaignsByIDs returns the campaigns among ids the viewer may read, by id.
	CampaignsByIDs(ctx context.Context, ids []int64) (map[int64]*PurchasingCampaign, error)
	// Campaigns returns one page of campaigns, the latest closing first.
	// FORBIDDEN for anonymous callers.
	Campaigns(ctx context.Context, filter CampaignFilter, page PageRequest) (*Page[*PurchasingCampaign], error)
	// CountCampaigns counts them.
	CountCampaigns(ctx context.Context, filter CampaignFilter) (int, error)
	// CommitmentsOfCampaigns returns one page of each campaign's
	// commitments, the latest first, in one statement; none for the
	// campaigns the viewer does not run.
	CommitmentsOfCampaigns(ctx context.Context, campaignIDs []int64, page PageRequest) (map[int64]*Page[*CampaignCommitment], error)
	// CountCommitmentsOfCampaigns counts them.
	CountCommitmentsOfCampaigns(ctx context.Context, campaignIDs []int64) (map[int64]int, error)
	// PurchasingOfMembers returns what each member joined and saved over
	// the last 12 months; none for the members whose engagement the viewer
	// may not read (CanSeeEngagement).
	PurchasingOfMembers(ctx context.Context, memberIDs []int64) (map[int64]*MemberPurchasing, error)

	// CreateCampaign creates a DRAFT campaign. FORBIDDEN unless the viewer
	// is staff or the ACTIVE lead of the group; NOT_FOUND for an unknown
	// group; BAD_USER_INPUT for invalid input or a group not of theme
	// PURCHASING; CONFLICT for a CLOSED group.
	CreateCampaign(ctx context.Context, in CampaignInput) (*PurchasingCampaign, error)
	// OpenCampaign opens a DRAFT to commitments until its closesAt.
	// FORBIDDEN unless the viewer runs it; NOT_FOUND; CONFLICT unless it
	// is a DRAFT whose closesAt is ahead.
	OpenCampaign(ctx context.Context, id int64) (*PurchasingCampaign, error)
	// Commit sets the quantity a member commits to in an OPEN campaign
	// before its closesAt, replacing any earlier one; 0 withdraws it.
	// FORBIDDEN unless the viewer is staff or the ACTIVE member itself;
	// NOT_FOUND for an unknown campaign or member; BAD_USER_INPUT for a
	// quantity out of range; CONFLICT when the campaign takes no
	// commitment or the member is not ACTIVE.
	Commit(ctx context.Context, campaignID, memberID int64, quantity int) (*PurchasingCampaign, error)
	// CloseCampaign closes an OPEN campaign to commitments. FORBIDDEN
	// unless the viewer runs it; NOT_FOUND; CONFLICT unless OPEN.
	CloseCampaign(ctx context.Context, id int64) (*PurchasingCampaign, error)
	// MarkOrdered records that a CLOSED campaign was ordered. FORBIDDEN
	// unless the viewer runs it; NOT_FOUND; CONFLICT unless CLOSED with
	// commitments.
	MarkOrdered(ctx context.Context, id int64) (*PurchasingCampaign, error)
	// CancelCampaign cancels a DRAFT, OPEN or CLOSED campaign. FORBIDDEN
	// unless the viewer runs it; NOT_FOUND; CONFLICT otherwise.
	CancelCampaign(ctx context.Context, id int64) (*PurchasingCampaign, error)
}
