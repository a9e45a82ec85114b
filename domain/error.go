// Package domain holds grappe's business types, rules and service interfaces.
// It depends on nothing but the standard library; the Postgres and GraphQL
// packages speak its language, and only the program's wiring knows them all.
package domain

import (
	"errors"
	"fmt"
)

// Error codes returned to clients in extensions.code.
const (
	CodeBadUserInput    = "BAD_USER_INPUT"
	CodeNotFound        = "NOT_FOUND"
	CodeConflict        = "CONFLICT"
	CodeForbidden       = "FORBIDDEN"
	CodeUnauthenticated = "UNAUTHENTICATED"
	CodeInternal        = "INTERNAL"
	// CodeUnavailable: the server cannot answer this now: a measure not
	// computed yet at this network size, the database unreachable (being
	// restarted), or every database connection busy for too long. The same
	// request may succeed later. A mutation that failed so was not applied,
	// unless the database failed while it committed.
	CodeUnavailable = "UNAVAILABLE"
	// CodeTimeout: the request ran past its deadline (GRAPPE_REQUEST_TIMEOUT)
	// and its work, SQL included, was cancelled. A mutation that timed out
	// was rolled back, unless the deadline struck during its commit.
	CodeTimeout = "TIMEOUT"
)

// Error is the one application error type. Its Code and Message are safe to
// show to clients; Field names the offending input field when there is one.
type Error struct {
	Code    string
	Message string
	Field   string
}

// Error implements the error interface.
func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s (field %s)", e.Code, e.Message, e.Field)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// InvalidField returns a BAD_USER_INPUT error naming the offending input field.
func InvalidField(field, format string, args ...any) *Error {
	return &Error{Code: CodeBadUserInput, Message: fmt.Sprintf(format, args...), Field: field}
}

// ErrorCode returns the code of an application error, or INTERNAL for any
// other non-nil error, or "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// ErrorMessage returns the client-safe message of an application error, or
// "internal error" for any other error.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}
