package postgres_test

import (
	"context"
	"testing"

	"grappe/domain"
	"grappe/postgres"
	"grappe/postgres/pgtest"
)

// TestMapErrorBadValues checks that values PostgreSQL refuses to read
// (dates out of range or malformed, text it cannot hold) map to
// BAD_USER_INPUT rather than staying internal errors.
func TestMapErrorBadValues(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	for _, q := range []string{
		`SELECT '0000-01-01'::date`,
		`SELECT 'yesterday-ish'::date`,
		`SELECT '0000-01-01T00:00:00Z'::timestamptz`,
		`SELECT 'x'::integer`,
		`SELECT '"\u0000"'::jsonb`,
	} {
		var v any
		err := db.Bun().NewRaw(q).Scan(context.Background(), &v)
		if err == nil {
			t.Errorf("%s: no error", q)
			continue
		}
		if code := domain.ErrorCode(postgres.MapError(err, "value")); code != domain.CodeBadUserInput {
			t.Errorf("%s: %v mapped to %s", q, err, code)
		}
	}
}
