package domain

import "time"

// Dataset is a whole network ready to load into an empty database. IDs are
// assigned 1..n in slice order and references use them; every row
// satisfies the constraints of the database schema.
type Dataset struct {
	Trades      []Trade           // parents before their children
	Complements []TradeComplement // one per pair and kind, TradeID < OtherID
	Members     []DatasetMember

	Contacts []Contact
	Links    []BusinessLink

	Questions    []Question
	Supports     []QuestionSupport
	Groups       []WorkingGroup
	Participants []Participant
	Meetings     []Meeting // with the AttendeeIDs of each
	ActionPlans  []ActionPlan

	Touchpoints   []Touchpoint
	Trainings     []Training // with the RegistrationCount of each
	Registrations []TrainingRegistration

	TradeShows []TradeShow // one a year, in year order
	Exhibitors []Exhibitor // by show, members first; TradeIDs for the others
	Leads      []Lead      // by show

	Campaigns   []PurchasingCampaign // in order of ClosesAt, without totals
	Commitments []CampaignCommitment // by campaign, in order of CommittedAt
}

// DatasetMember is a member of a dataset with its trades.
type DatasetMember struct {
	Member
	TradeIDs []int64
}

// QuestionSupport is a member's support of a question.
type QuestionSupport struct {
	QuestionID int64
	MemberID   int64
	At         time.Time
}
