package domain

// Page sizes of connections.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// PageRequest asks for one page of a keyset-paginated list, Relay style:
// First/After pages forward, Last/Before backward. Cursors are opaque.
type PageRequest struct {
	First  *int
	After  string
	Last   *int
	Before string
}

// Backward reports whether the page is read from the end (last/before).
func (p PageRequest) Backward() bool { return p.Last != nil || (p.First == nil && p.Before != "") }

// Limit validates the request and returns the number of items to return.
// Returns BAD_USER_INPUT naming the argument when first or last is negative
// or above MaxPageSize, or when first and last are both given.
func (p PageRequest) Limit() (int, error) {
	if p.First != nil && p.Last != nil {
		return 0, InvalidField("last", "first and last cannot be used together")
	}
	n, field := DefaultPageSize, "first"
	if p.First != nil {
		n = *p.First
	} else if p.Last != nil {
		n, field = *p.Last, "last"
	}
	if n < 0 {
		return 0, InvalidField(field, "%s must not be negative", field)
	}
	if n > MaxPageSize {
		return 0, InvalidField(field, "%s must be at most %d, got %d", field, MaxPageSize, n)
	}
	return n, nil
}

// Page is one page of a keyset-paginated list, with a cursor per item.
type Page[T any] struct {
	Items           []T
	Cursors         []string
	HasNextPage     bool
	HasPreviousPage bool
}
