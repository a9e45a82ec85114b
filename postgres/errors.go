package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/uptrace/bun/driver/pgdriver"

	"grappe/domain"
)

// SQLSTATE codes mapped to domain errors.
const (
	sqlstateUniqueViolation          = "23505"
	sqlstateForeignKeyViolation      = "23503"
	sqlstateCheckViolation           = "23514"
	sqlstateNotNullViolation         = "23502"
	sqlstateInvalidText              = "22P02"
	sqlstateCharacterNotInRepertoire = "22021"
	sqlstateUntranslatable           = "22P05"
	sqlstateDatetimeOverflow         = "22008"
	sqlstateInvalidDatetime          = "22007"
	sqlstateQueryCanceled            = "57014"
)

// mapError turns a database error into a domain error where it has a
// client-facing meaning; anything else is wrapped with context and stays
// INTERNAL. what names the object, e.g. "member".
func mapError(err error, what string) error {
	if err == nil {
		return nil
	}
	var de *domain.Error
	if errors.As(err, &de) {
		return err
	}
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Errorf(domain.CodeNotFound, "%s not found", what)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s: %w", what, err)
	}
	var pgErr pgdriver.Error
	if errors.As(err, &pgErr) {
		switch pgErr.Field('C') {
		case sqlstateUniqueViolation:
			return domain.Errorf(domain.CodeConflict, "%s conflicts with an existing one", what)
		case sqlstateForeignKeyViolation:
			return domain.Errorf(domain.CodeBadUserInput, "%s refers to something that does not exist", what)
		case sqlstateCheckViolation, sqlstateNotNullViolation, sqlstateInvalidText,
			sqlstateCharacterNotInRepertoire, sqlstateUntranslatable, sqlstateDatetimeOverflow, sqlstateInvalidDatetime:
			return domain.Errorf(domain.CodeBadUserInput, "invalid %s", what)
		}
	}
	return fmt.Errorf("%s: %w", what, err)
}

// constraintOf returns the constraint a PostgreSQL error names, or "".
func constraintOf(err error) string {
	var pgErr pgdriver.Error
	if errors.As(err, &pgErr) {
		return pgErr.Field('n')
	}
	return ""
}
