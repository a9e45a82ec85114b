package postgres

import (
	"context"
	"log/slog"
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
	ln      *pgdriver.Listener
}

// WatchChanges starts listening to the database's announced changes and
// returns the watch, whose Run hands them to changed until ctx ends.
// Listening starts before WatchChanges returns, so that a change committed
// after it is never missed; after the connection is lost and found again,
// changed is called with an Unknown batch (anything may have changed
// meanwhile).
func (db *DB) WatchChanges(ctx context.Context, log *slog.Logger, changed func(domain.DataChanges)) (*ChangeWatch, error) {
	w := &ChangeWatch{db: db, log: log, changed: changed}
	if err := w.connect(ctx); err != nil {
		return nil, err
	}
	return w, nil
}

func (w *ChangeWatch) connect(ctx context.Context) error {
	ln := pgdriver.NewListener(w.db.bun)
	if err := ln.Listen(ctx, changesChannel); err != nil {
		_ = ln.Close()
		return err
	}
	w.ln = ln
	return nil
}

// changeBatchWait is how long a batch takes changes after its first: a
// burst of commits is one call, or one every 20 ms under a steady load.
const changeBatchWait = 20 * time.Millisecond

// Run hands the announced changes to the watch's function until ctx ends,
// reconnecting with a backoff (0.1 s to 5 s) when the connection is lost.
func (w *ChangeWatch) Run(ctx context.Context) {
	defer func() { _ = w.ln.Close() }()
	for ctx.Err() == nil {
		if err := w.receive(ctx); err != nil && ctx.Err() == nil {
			w.log.Warn("change listener lost its connection: reconnecting", "err", err)
			_ = w.ln.Close()
			w.reconnect(ctx)
		}
	}
}

// receive hands over batches of changes until the connection fails. One
// goroutine reads the connection without a deadline (a read cut by a
// deadline in the middle of a notification would leave the connection out
// of step); Run closes the listener when ctx ends, which ends that read.
// This one makes the batches.
func (w *ChangeWatch) receive(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	payloads := make(chan string, 256)
	failed := make(chan error, 1)
	ln := w.ln
	go func() {
		for {
			_, payload, err := ln.Receive(ctx)
			if err != nil {
				failed <- err
				return
			}
			select {
			case payloads <- payload:
			case <-ctx.Done():
				return
			}
		}
	}()
	var batch domain.DataChanges
	var due <-chan time.Time // when the batch is handed over
	for {
		select {
		case payload := <-payloads:
			batch = append(batch, parseChange(payload))
			if due == nil {
				due = time.After(changeBatchWait)
			}
		case <-due:
			w.changed(batch)
			batch, due = nil, nil
		case err := <-failed:
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
