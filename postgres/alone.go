package postgres

import (
	"context"
	"time"
)

// SmallWorldLockKey names the small-world job's lock ("smallwor" in ASCII):
// of all servers on a database, one computes the coefficients.
const SmallWorldLockKey = 0x736d616c6c776f72

// aloneRetry is how often a server that does not hold a job's lock tries
// to take it, and how often the holder checks its connection.
var aloneRetry = 5 * time.Second

// RunAlone runs fn while this server holds the database-wide advisory lock
// key, so that of all the servers on the database one runs it at a time
// (a background job that must run once per database). The others try to
// take the lock every few seconds, and take over when the holder stops or
// loses its connection (which releases the lock): fn's context then ends
// on the server that lost it. RunAlone returns when ctx ends.
func (db *DB) RunAlone(ctx context.Context, key int64, fn func(ctx context.Context)) {
	for ctx.Err() == nil {
		db.runIfFirst(ctx, key, fn)
		select {
		case <-ctx.Done():
		case <-time.After(aloneRetry):
		}
	}
}

// runIfFirst runs fn if it takes the lock key, until ctx ends or the
// connection holding the lock is lost.
func (db *DB) runIfFirst(ctx context.Context, key int64, fn func(ctx context.Context)) {
	conn, err := db.bun.Conn(ctx)
	if err != nil {
		return
	}
	defer conn.Close()
	var got bool
	if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock(?)", key).Scan(&got); err != nil || !got {
		return
	}
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() { // the lock lasts as long as its connection
		for {
			select {
			case <-runCtx.Done():
				return
			case <-time.After(aloneRetry):
				if err := conn.PingContext(runCtx); err != nil {
					cancel()
					return
				}
			}
		}
	}()
	fn(runCtx)
	cancel()
	_, _ = conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(?)", key)
}
