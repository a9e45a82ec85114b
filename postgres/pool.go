package postgres

import (
	"context"
	"database/sql/driver"
	"sync/atomic"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/driver/pgdriver"
)

// database/sql has no timeout for the wait of a statement for a free
// connection: only the statement's context ends it. The pool wait below
// bounds that wait alone: a query hook gives each statement a context that
// a timer cancels after Options.PoolWait, and the connector's connections
// stop the timer as soon as database/sql hands them a call for that
// statement. The statement itself then runs under its own context, as if
// there were no pool wait.

// waitState is the state of one statement's pool wait.
const (
	waiting int32 = iota
	acquiredConn
	waitExpired
)

// waitCtx is the context of one statement while it may wait for a
// connection. Its Err is errPoolWait once the wait has expired, which is
// what database/sql returns from the wait.
type waitCtx struct {
	context.Context // cancelled by the timer, or with its parent
	cancel          context.CancelFunc
	timer           *time.Timer
	state           atomic.Int32
	stats           *RequestStats // of the request, nil if none
}

type waitKey struct{}

// Value returns the waitCtx itself for waitKey.
func (c *waitCtx) Value(key any) any {
	if key == (waitKey{}) {
		return c
	}
	return c.Context.Value(key)
}

// Err reports errPoolWait once the wait has expired.
func (c *waitCtx) Err() error {
	if c.state.Load() == waitExpired {
		return errPoolWait
	}
	return c.Context.Err()
}

// expire ends a wait that has not got a connection.
func (c *waitCtx) expire() {
	if c.state.CompareAndSwap(waiting, waitExpired) {
		if c.stats != nil {
			c.stats.PoolWaits.Add(1)
		}
		c.cancel()
	}
}

// gotConn marks the statement of ctx as holding a connection, which stops
// its pool wait. It returns errPoolWait if the wait expired first.
func gotConn(ctx context.Context) error {
	c, ok := ctx.Value(waitKey{}).(*waitCtx)
	if !ok {
		return nil
	}
	if c.state.CompareAndSwap(waiting, acquiredConn) {
		c.timer.Stop()
		return nil
	}
	if c.state.Load() == waitExpired {
		return errPoolWait
	}
	return nil
}

// poolWaitHook gives each statement with a deadline further away than the
// pool wait its own bounded wait for a connection. Statements without a
// deadline (background work) wait as long as needed: their contexts live
// on, and registering a cancellable child with each would leak. A deadline
// closer than the pool wait bounds the wait by itself.
type poolWaitHook struct {
	wait time.Duration
}

func (h poolWaitHook) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	deadline, ok := ctx.Deadline()
	if !ok || time.Until(deadline) <= h.wait {
		return ctx
	}
	inner, cancel := context.WithCancel(ctx)
	c := &waitCtx{Context: inner, cancel: cancel, stats: RequestStatsFrom(ctx)}
	c.timer = time.AfterFunc(h.wait, c.expire)
	return c
}

func (poolWaitHook) AfterQuery(context.Context, *bun.QueryEvent) {}

// waitConnector opens connections that end the pool wait of the
// statements they serve.
type waitConnector struct {
	*pgdriver.Connector
}

// Connect opens a connection; the dial is bounded by the dial timeout, not
// by the pool wait.
func (c waitConnector) Connect(ctx context.Context) (driver.Conn, error) {
	_ = gotConn(ctx)
	cn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return waitConn{cn.(*pgdriver.Conn)}, nil
}

// The interfaces of pgdriver.Conn that waitConn overrides, which
// database/sql looks for.
var _ interface {
	driver.SessionResetter
	driver.ConnPrepareContext
	driver.ConnBeginTx
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.Validator
} = waitConn{}

// waitConn is a pgdriver connection that ends the pool wait of each call's
// statement. It cannot serve pgdriver.CopyFrom and CopyTo, which need the
// *pgdriver.Conn itself: bulk loads use a pool without a pool wait.
type waitConn struct {
	*pgdriver.Conn
}

func (c waitConn) ResetSession(ctx context.Context) error {
	_ = gotConn(ctx) // an error here is reported by the call that follows
	return c.Conn.ResetSession(ctx)
}

func (c waitConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	if err := gotConn(ctx); err != nil {
		return nil, err
	}
	stmt, err := c.Conn.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	return waitStmt{stmt.(preparedStmt)}, nil
}

// preparedStmt is what pgdriver's prepared statements implement.
type preparedStmt interface {
	driver.Stmt
	driver.StmtExecContext
	driver.StmtQueryContext
}

// waitStmt is a statement prepared on a waitConn: database/sql runs it on a
// connection where it was prepared before without calling the connection,
// so the statement itself ends the pool wait.
type waitStmt struct {
	preparedStmt
}

func (s waitStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	if err := gotConn(ctx); err != nil {
		return nil, err
	}
	return s.preparedStmt.ExecContext(ctx, args)
}

func (s waitStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	if err := gotConn(ctx); err != nil {
		return nil, err
	}
	return s.preparedStmt.QueryContext(ctx, args)
}

func (c waitConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if err := gotConn(ctx); err != nil {
		return nil, err
	}
	return c.Conn.BeginTx(ctx, opts)
}

func (c waitConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if err := gotConn(ctx); err != nil {
		return nil, err
	}
	return c.Conn.ExecContext(ctx, query, args)
}

func (c waitConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if err := gotConn(ctx); err != nil {
		return nil, err
	}
	return c.Conn.QueryContext(ctx, query, args)
}

func (c waitConn) Ping(ctx context.Context) error {
	if err := gotConn(ctx); err != nil {
		return err
	}
	return c.Conn.Ping(ctx)
}
