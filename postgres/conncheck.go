package postgres

import (
	"context"
	"database/sql/driver"
	"errors"
	"syscall"

	"github.com/uptrace/bun/driver/pgdriver"
)

// checkConn runs before database/sql reuses a pooled connection. A
// connection whose server went away (PostgreSQL restarted, or the backend
// terminated) has its end-of-stream, or the server's farewell error
// message, waiting on the socket: it is reported as driver.ErrBadConn, so
// that database/sql discards it and takes or opens another instead of
// failing the statement. A healthy idle connection has nothing to read.
// The check peeks without blocking and consumes nothing.
func checkConn(_ context.Context, cn *pgdriver.Conn) error {
	sc, ok := cn.Conn().(syscall.Conn)
	if !ok {
		return nil // e.g. TLS: the statement finds out
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return driver.ErrBadConn
	}
	var alive bool
	err = raw.Read(func(fd uintptr) bool {
		var b [1]byte
		_, _, rerr := syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		// Nothing to read is the one healthy answer: end of stream,
		// unsolicited data and errors all mean the session is over.
		alive = errors.Is(rerr, syscall.EAGAIN) || errors.Is(rerr, syscall.EWOULDBLOCK)
		return true
	})
	if err != nil || !alive {
		return driver.ErrBadConn
	}
	return nil
}
