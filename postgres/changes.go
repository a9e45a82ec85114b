package postgres

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun/driver/pgdriver"

	"grappe/domain"
)

// changesChannel is where the database announces committed changes: the
// payload names the table changed, the operation and the rows' keys
// (migration 20261203000004).
const changesChannel = "grappe_changes"

// DataChanged applies to what db keeps in memory the changes committed
// elsewhere (another server, SQL by hand); an Unknown batch means anything
// may have changed. Dashboard blocks computed before are stale and the
// taxonomy is read again. (The network graph takes them itself.)
func (db *DB) DataChanged(changes domain.DataChanges) {
	db.writes.Add(1)
	if changes.Touches("trades", "trade_complements") {
		db.tradesChanged()
	}
}

// parseChange reads a payload of the channel: "table op xid micros" and
// the rows' keys, "key,key,...", when it names them. What it cannot read
// counts as a change of any row of the first word's table by an unknown
// transaction.
func parseChange(payload string) domain.DataChange {
	f := strings.SplitN(payload, " ", 5)
	c := domain.DataChange{Table: f[0]}
	if len(f) < 4 || len(f[1]) != 1 {
		return c
	}
	xid, err1 := strconv.ParseUint(f[2], 10, 64)
	micros, err2 := strconv.ParseInt(f[3], 10, 64)
	if err1 != nil || err2 != nil {
		return c
	}
	c.Op, c.Xid, c.At = domain.ChangeOp(f[1][0]), xid, time.UnixMicro(micros)
	if len(f) == 5 {
		ids := make([]int64, 0, strings.Count(f[4], ",")+1)
		for k := range strings.SplitSeq(f[4], ",") {
			id, err := strconv.ParseInt(k, 10, 64)
			if err != nil {
				return c // any row
			}
			ids = append(ids, id)
		}
		c.IDs = ids
	}
	return c
}

// ChangeWatch listens, on a connection of its own, to the changes the
// database announces, and hands them to its function in batches.
type ChangeWatch struct {
	db      *DB
	log     *slog.Logger
	changed func(domain.DataChanges)
	conn    *listening // the connection listened on now
}

// listening is one listening connection and the goroutine reading it.
type listening struct {
	ln       *pgdriver.Listener
	payloads chan string // the changes channel's notifications
	failed   chan error  // the read's error, when the connection fails
	stop     context.CancelFunc
}

// close ends the read and the connection.
func (l *listening) close() {
	l.stop()
	_ = l.ln.Close()
}

// WatchChanges starts listening to the database's announced changes and
// returns the watch, whose Run hands them to changed until ctx ends.
// Listening is in effect when WatchChanges returns, so that a change
// committed after it is never missed; after the connection is lost and
// found again, changed is called with an Unknown batch (anything may have
// changed meanwhile).
func (db *DB) WatchChanges(ctx context.Context, log *slog.Logger, changed func(domain.DataChanges)) (*ChangeWatch, error) {
	w := &ChangeWatch{db: db, log: log, changed: changed}
	if err := w.connect(ctx); err != nil {
		return nil, err
	}
	return w, nil
}

// listenCheckTimeout bounds how long connect waits for the database to
// confirm that it listens.
const listenCheckTimeout = 30 * time.Second

// connect listens on a new connection and waits until the database has
// taken the LISTEN. The driver sends LISTEN without waiting for the
// answer, so the connection also listens on a channel of its own, and a
// notification sent there (again, until one arrives) proves that the
// LISTENs before it are in effect.
func (w *ChangeWatch) connect(ctx context.Context) error {
	check := changesChannel + "_check_" + strconv.FormatUint(rand.Uint64(), 36)
	ln := pgdriver.NewListener(w.db.bun)
	if err := ln.Listen(ctx, changesChannel, check); err != nil {
		_ = ln.Close()
		return err
	}
	rctx, stop := context.WithCancel(ctx)
	l := &listening{ln: ln, payloads: make(chan string, 256), failed: make(chan error, 1), stop: stop}
	heard := make(chan struct{}, 1)
	go l.read(rctx, check, heard)
	if err := w.awaitCheck(ctx, check, heard, l.failed); err != nil {
		l.close()
		return fmt.Errorf("listen to %s: %w", changesChannel, err)
	}
	w.conn = l
	return nil
}

// awaitCheck notifies the check channel until the listener hears it.
func (w *ChangeWatch) awaitCheck(ctx context.Context, check string, heard <-chan struct{}, failed <-chan error) error {
	ctx, cancel := context.WithTimeout(ctx, listenCheckTimeout)
	defer cancel()
	wait := 50 * time.Millisecond
	for {
		if err := pgdriver.Notify(ctx, w.db.bun, check, ""); err != nil {
			return err
		}
		select {
		case <-heard:
			return nil
		case err := <-failed:
			return err
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
			wait = min(2*wait, time.Second)
		}
	}
}

// read reads the connection without a deadline (a read cut by a deadline
// in the middle of a notification would leave the connection out of step)
// until it fails or is closed: the changes channel's payloads go to
// l.payloads, the check channel's to heard.
func (l *listening) read(ctx context.Context, check string, heard chan<- struct{}) {
	for {
		channel, payload, err := l.ln.Receive(ctx)
		if err != nil {
			l.failed <- err
			return
		}
		if channel == check {
			select {
			case heard <- struct{}{}:
			default:
			}
			continue
		}
		select {
		case l.payloads <- payload:
		case <-ctx.Done():
			return
		}
	}
}

// changeBatchWait is how long a batch takes changes after its first: a
// burst of commits is one call, or one every 20 ms under a steady load.
const changeBatchWait = 20 * time.Millisecond

// Run hands the announced changes to the watch's function until ctx ends,
// reconnecting with a backoff (0.1 s to 5 s) when the connection is lost.
func (w *ChangeWatch) Run(ctx context.Context) {
	defer func() { w.conn.close() }()
	for ctx.Err() == nil {
		if err := w.receive(ctx); err != nil && ctx.Err() == nil {
			w.log.Warn("change listener lost its connection: reconnecting", "err", err)
			w.conn.close()
			w.reconnect(ctx)
		}
	}
}

// receive hands over batches of the connection's changes until it fails
// or ctx ends.
func (w *ChangeWatch) receive(ctx context.Context) error {
	l := w.conn
	var batch domain.DataChanges
	var due <-chan time.Time // when the batch is handed over
	for {
		select {
		case payload := <-l.payloads:
			batch = append(batch, parseChange(payload))
			if due == nil {
				due = time.After(changeBatchWait)
			}
		case <-due:
			w.changed(batch)
			batch, due = nil, nil
		case err := <-l.failed:
			if batch != nil {
				w.changed(batch)
			}
			return err
		case <-ctx.Done():
			return nil
		}
	}
}

// reconnect listens again, retrying with a backoff, then reports that
// anything may have changed while it did not listen.
func (w *ChangeWatch) reconnect(ctx context.Context) {
	wait := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := w.connect(ctx)
		if err == nil {
			w.log.Info("change listener connected again")
			w.changed(nil) // Unknown: anything may have changed
			return
		}
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
		wait = min(2*wait, 5*time.Second)
	}
}
