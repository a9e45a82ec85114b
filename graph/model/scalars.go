package model

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"grappe/domain"
)

// MarshalDate writes a date as "YYYY-MM-DD".
func MarshalDate(t time.Time) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		_, _ = io.WriteString(w, strconv.Quote(t.Format(time.DateOnly)))
	})
}

// UnmarshalDate reads a "YYYY-MM-DD" date as midnight UTC. Anything else is
// BAD_USER_INPUT.
func UnmarshalDate(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, domain.Errorf(domain.CodeBadUserInput, "a Date must be a string YYYY-MM-DD, got %s", typeName(v))
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || t.Year() < 1 {
		// Year 0 parses but PostgreSQL has no such year.
		return time.Time{}, domain.Errorf(domain.CodeBadUserInput, "%q is not a valid date (YYYY-MM-DD)", truncate(s))
	}
	return t, nil
}

// MarshalTime writes a time in RFC 3339 (with fractional seconds when it
// has them).
func MarshalTime(t time.Time) graphql.Marshaler { return graphql.MarshalTime(t) }

// UnmarshalTime reads an RFC 3339 time. Anything else is BAD_USER_INPUT
// (gqlgen's own Time scalar returns a plain error, shown as internal).
func UnmarshalTime(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, domain.Errorf(domain.CodeBadUserInput, "a Time must be an RFC 3339 string, got %s", typeName(v))
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if y := t.UTC().Year(); err != nil || y < 1 || y > 9999 {
		// PostgreSQL has no year 0, and a year past 9999 cannot be written
		// back in RFC 3339.
		return time.Time{}, domain.Errorf(domain.CodeBadUserInput, "%q is not a valid time (RFC 3339, e.g. 2026-03-02T09:30:00+01:00)", truncate(s))
	}
	return t, nil
}

// typeName names the JSON type of a decoded value, for error messages.
func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case string:
		return "a string"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	default:
		return fmt.Sprintf("a %T", v)
	}
}

// truncate shortens a value quoted back in an error message.
func truncate(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
