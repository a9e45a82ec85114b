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
	Items []T
	// Cursor returns the cursor of item i, made when asked: few clients
	// select the cursor of every edge.
	Cursor          func(i int) string
	HasNextPage     bool
	HasPreviousPage bool
}

// Keep returns the page of the items that conv turns into a value (not
// nil), with their cursors.
func Keep[R, T comparable](p *Page[R], conv func(R) T) *Page[T] {
	var zero T
	out := &Page[T]{Items: make([]T, 0, len(p.Items)), HasNextPage: p.HasNextPage, HasPreviousPage: p.HasPreviousPage}
	kept := make([]int, 0, len(p.Items))
	for i, r := range p.Items {
		if t := conv(r); t != zero {
			out.Items = append(out.Items, t)
			kept = append(kept, i)
		}
	}
	out.Cursor = func(i int) string { return p.Cursor(kept[i]) }
	return out
}
