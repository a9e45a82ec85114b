package main

// Sample is one draw of a scenario's variables, in database ids. Each
// server's document turns it into its own variables (grappe's global ids,
// PostGraphile's row ids), so both serve the same rows.
type Sample struct {
	MemberID int64    // a member: profile, path from, link declarer
	OtherID  int64    // another member: path to, link counterpart
	TradeIDs []int64  // trades of the directory filter
	Regions  []string // regions of the directory filter
	Word     string   // a French word of member descriptions, for search
}

// PeerScenario is a scenario as another GraphQL server expresses it: its
// document and how a sample becomes its variables.
type PeerScenario struct {
	Query string
	Vars  func(Sample) map[string]any
}
