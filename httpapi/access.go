package httpapi

import (
	"context"
	"slices"
	"sync"
)

// Access is what the access log says of one request beyond its status and
// duration, filled in by the layers that know it: the operation's name and
// type, the viewer's role, and the codes of the errors answered. It holds
// nothing a client sent as data (no variables, no token, no query text):
// the operation name is a GraphQL name from the parsed document.
//
// A nil *Access ignores every call, so that code serving requests without
// an access log need not check.
type Access struct {
	mu        sync.Mutex
	operation string
	opType    string
	role      string
	codes     []string
}

type accessKey struct{}

// WithAccess returns a context carrying a new Access, and the Access.
func WithAccess(ctx context.Context) (context.Context, *Access) {
	a := &Access{}
	return context.WithValue(ctx, accessKey{}, a), a
}

// AccessFrom returns the Access of ctx, or nil.
func AccessFrom(ctx context.Context) *Access {
	a, _ := ctx.Value(accessKey{}).(*Access)
	return a
}

// SetOperation records the operation's name ("" for an anonymous one) and
// type (query, mutation, subscription).
func (a *Access) SetOperation(name, typ string) {
	if a == nil {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.operation, a.opType = name, typ
}

// SetRole records the viewer's role.
func (a *Access) SetRole(role string) {
	if a == nil {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.role = role
}

// AddCode records the extensions.code of an error of the response, once
// each, in order of appearance.
func (a *Access) AddCode(code string) {
	if a == nil || code == "" {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if !slices.Contains(a.codes, code) {
		a.codes = append(a.codes, code)
	}
}

// Operation returns the operation's name and type.
func (a *Access) Operation() (name, typ string) {
	if a == nil {
		return "", ""
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.operation, a.opType
}

// Role returns the viewer's role, "" when not known (the request was
// refused before authentication succeeded).
func (a *Access) Role() string {
	if a == nil {
		return ""
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.role
}

// Codes returns the distinct error codes of the response.
func (a *Access) Codes() []string {
	if a == nil {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.codes)
}

// HasCode reports whether the response had an error with code.
func (a *Access) HasCode(code string) bool {
	if a == nil {
		return false
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Contains(a.codes, code)
}
