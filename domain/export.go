package domain

// MemberAttributes are the directory attributes of a member written into
// the network graph exports.
type MemberAttributes struct {
	ID        int64
	Name      string
	Kind      MemberKind
	SizeClass SizeClass // empty when the headcount is unknown
	Region    string    // empty when unknown
	Trades    []string  // trade codes, sorted
}
