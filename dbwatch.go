package main

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// dbWatch tells of database outages: once at ERROR when the database stops
// answering ("database unavailable"), once at INFO when it answers again
// ("database available again", with how long it was down), however many
// requests fail meanwhile. Requests that find the database unavailable,
// and the readiness probe, make it check the database with a ping; while
// the ping fails it pings again every interval until the database answers.
type dbWatch struct {
	log      *slog.Logger
	ping     func(context.Context) error
	interval time.Duration // between pings while the database is down
	timeout  time.Duration // of one ping
	ctx      context.Context
	jobs     *sync.WaitGroup

	mu       sync.Mutex
	checking bool // a check, or the watch of an outage, is running
	down     bool // the database is known to be down
}

// newDBWatch returns a watch that pings with ping and stops when ctx ends;
// its goroutines are counted in jobs.
func newDBWatch(ctx context.Context, log *slog.Logger, jobs *sync.WaitGroup, ping func(context.Context) error) *dbWatch {
	return &dbWatch{log: log, ping: ping, interval: 250 * time.Millisecond, timeout: time.Second, ctx: ctx, jobs: jobs}
}

// suspect reports that something found the database unavailable, and
// returns whether the database is already known to be down (the outage is
// logged). Otherwise it starts a check, unless one is running.
func (d *dbWatch) suspect() (knownDown bool) {
	if d == nil {
		return false
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.down {
		return true
	}
	if !d.checking && d.ctx.Err() == nil {
		d.checking = true
		d.jobs.Go(d.check)
	}
	return false
}

// check pings the database; if it does not answer, it logs the outage and
// watches it until the database answers again.
func (d *dbWatch) check() {
	defer func() {
		d.mu.Lock()
		d.checking, d.down = false, false
		d.mu.Unlock()
	}()
	err := d.pingOnce()
	if err == nil {
		return // a passing failure (a connection the database had closed): no outage
	}
	if d.ctx.Err() != nil {
		return // shutting down
	}
	since := time.Now()
	d.mu.Lock()
	d.down = true
	d.mu.Unlock()
	d.log.Error("database unavailable: requests fail with UNAVAILABLE until it answers again", "err", err)
	t := time.NewTicker(d.interval)
	defer t.Stop()
	for {
		select {
		case <-d.ctx.Done():
			return
		case <-t.C:
		}
		if d.pingOnce() == nil {
			d.log.Info("database available again", "down_for", time.Since(since).Round(time.Millisecond))
			return
		}
	}
}

// pingOnce pings the database within the timeout.
func (d *dbWatch) pingOnce() error {
	ctx, cancel := context.WithTimeout(d.ctx, d.timeout)
	defer cancel()
	return d.ping(ctx)
}
