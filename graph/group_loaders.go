package graph

// groupLoaders batch the question, group, meeting and plan lookups of one request.
type groupLoaders struct{}

// newGroupLoaders returns fresh group loaders.
func newGroupLoaders(r *Resolver) *groupLoaders { return &groupLoaders{} }
