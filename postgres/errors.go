package postgres

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

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
	sqlstateAdminShutdown            = "57P01"
	sqlstateCrashShutdown            = "57P02"
	sqlstateCannotConnectNow         = "57P03"
	sqlstateTooManyConnections       = "53300"
	sqlstateConnectionClassPrefix    = "08"
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
	if te := transientError(err); te != nil {
		return te
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

// ErrTimeout and ErrUnavailable are what clients see when a request runs
// out of time or the database cannot serve it.
var (
	ErrTimeout     = domain.Errorf(domain.CodeTimeout, "the request took too long and was cancelled; try a smaller query or retry later")
	ErrUnavailable = domain.Errorf(domain.CodeUnavailable, "the database is unavailable; retry shortly")
	ErrPoolBusy    = domain.Errorf(domain.CodeUnavailable, "the server is busy: no database connection became free in time; retry shortly")
)

// errPoolWait is the error of a statement that waited longer than
// Options.PoolWait for a connection.
var errPoolWait = errors.New("timed out waiting for a database connection")

// MapTransient returns the client-facing error for a failure of the
// database itself or of the request's time budget: TIMEOUT when the
// request's deadline passed (in the pool, on the wire, or on the server
// through statement_timeout); UNAVAILABLE when the database cannot be
// reached (down, restarting, refusing connections) or no connection became
// free within the pool wait. Any other error is returned unchanged, so it
// can sit in front of an error presenter.
func MapTransient(err error) error {
	if te := transientError(err); te != nil {
		return te
	}
	return err
}

// transientError classifies err as a timeout or an unavailable database,
// or returns nil.
func transientError(err error) *domain.Error {
	if err == nil {
		return nil
	}
	var de *domain.Error
	if errors.As(err, &de) {
		return nil
	}
	if errors.Is(err, errPoolWait) {
		return ErrPoolBusy
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return ErrTimeout
	}
	var pgErr pgdriver.Error
	if errors.As(err, &pgErr) {
		code := pgErr.Field('C')
		switch {
		case code == sqlstateQueryCanceled:
			// statement_timeout, or a cancel request: both stop work the
			// request no longer has time for.
			return ErrTimeout
		case code == sqlstateAdminShutdown, code == sqlstateCrashShutdown, code == sqlstateCannotConnectNow,
			code == sqlstateTooManyConnections, strings.HasPrefix(code, sqlstateConnectionClassPrefix):
			return ErrUnavailable
		}
		return nil
	}
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		// The driver's read deadline: the request's deadline, or the
		// connection's read timeout.
		return ErrTimeout
	}
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, net.ErrClosed) || isDialError(err) {
		return ErrUnavailable
	}
	return nil
}

// isDialError reports whether err comes from connecting to the database.
func isDialError(err error) bool {
	var opErr *net.OpError
	return errors.As(err, &opErr) && opErr.Op == "dial"
}
