package graph

// linkLoaders batch the business link lookups of one request.
type linkLoaders struct{}

// newLinkLoaders returns fresh link loaders.
func newLinkLoaders(r *Resolver) *linkLoaders { return &linkLoaders{} }
