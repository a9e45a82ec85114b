// Package model holds the GraphQL-facing types that are not domain types:
// connections, payloads, inputs (generated in models_gen.go) and scalars.
package model

import (
	"grappe/domain"
)

// Viewer is the caller of a request.
type Viewer struct {
	Role     domain.Role
	MemberID int64
}

// Address is a member's address with empty parts as nulls.
type Address struct {
	City       *string
	PostalCode *string
	Department *string
	Region     *string
	Country    *string
	// Redaction is the member's address redaction.
	domain.Redaction
}

// PageInfo says where a page sits in a connection.
type PageInfo struct {
	HasNextPage     bool
	HasPreviousPage bool
	StartCursor     *string
	EndCursor       *string
}

// NewPageInfo returns the page info of a domain page.
func NewPageInfo[T any](p *domain.Page[T]) *PageInfo {
	info := &PageInfo{HasNextPage: p.HasNextPage, HasPreviousPage: p.HasPreviousPage}
	if n := len(p.Items); n > 0 {
		start, end := p.Cursor(0), p.Cursor(n-1)
		info.StartCursor, info.EndCursor = &start, &end
	}
	return info
}

// Node is any object with a global id; the concrete types are domain types,
// so the interface has no methods.
type Node interface{}
