package main

// Sample is one draw of a scenario's variables, in database ids. Each
// server's document turns it into its own variables (grappe's global ids,
// PostGraphile's row ids), so both serve the same rows.
type Sample struct {
	MemberID  int64    // a member: profile, path from, link declarer, the member of the member-… shapes
	OtherID   int64    // another member: path to, link counterpart
	TradeIDs  []int64  // trades of the directory filter
	Regions   []string // regions of the directory filter
	Word      string   // a French word of member descriptions, for search
	Lat, Lng  float64  // the member's position (Paris when it has none): directory-near's centre
	MeetingID int64    // a meeting, HELD when the dataset has one: meeting-attendees
	PendingID int64    // a member with links awaiting its confirmation (any member when none has): viewer-pending
	ContactID int64    // a contact: audit-log's contact export
	Objects   []Object // objects of every type, for node (the first) and nodes
}

// Object is a database row of one of grappe's node types.
type Object struct {
	Type string // a globalid type: Member, Trade, BusinessLink…
	ID   int64
}

// PeerScenario is a scenario as another GraphQL server expresses it: its
// document and how a sample becomes its variables.
type PeerScenario struct {
	Query string
	Vars  func(Sample) map[string]any
}
