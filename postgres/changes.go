package postgres

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"slices"
	"time"

	"github.com/uptrace/bun/driver/pgdriver"
)

// changesChannel is where the database announces committed changes: the
// payload names the table changed (migration 20261203000003).
const changesChannel = "grappe_changes"

// DataChanged applies to what db keeps in memory a change committed
// elsewhere (another server, SQL by hand): tables names the tables
// changed, none means anything may have. Dashboard blocks computed before
// are stale, the taxonomy is read again, and the network graph rebuilt
// when members or links changed.
func (db *DB) DataChanged(tables ...string) {
	all := len(tables) == 0
	touched := func(names ...string) bool {
		return all || slices.ContainsFunc(names, func(n string) bool { return slices.Contains(tables, n) })
	}
	db.writes.Add(1)
	if touched("trades", "trade_complements") {
		db.tradesChanged()
	}
	if touched("members", "business_links") {
		db.networkChanged()
	}
}

// ChangeWatch listens, on a connection of its own, to the changes the
// database announces, and hands them to its function in batches.
type ChangeWatch struct {
	db      *DB
	log     *slog.Logger
	changed func(tables []string)
	ln      *pgdriver.Listener
}

// WatchChanges starts listening to the database's announced changes and
// returns the watch, whose Run hands them to changed until ctx ends.
// Listening starts before WatchChanges returns, so that a change committed
// after it is never missed; after the connection is lost and found again,
// changed is called with no tables (anything may have changed meanwhile).
func (db *DB) WatchChanges(ctx context.Context, log *slog.Logger, changed func(tables []string)) (*ChangeWatch, error) {
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

// changeBatchWait is how long a batch waits for more changes after its
// first: a burst of commits is one call.
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

// receive hands over batches of changes until the connection fails.
func (w *ChangeWatch) receive(ctx context.Context) error {
	for ctx.Err() == nil {
		// A short wait, so that the watch notices soon that ctx ended.
		_, table, err := w.ln.ReceiveTimeout(ctx, time.Second)
		if isTimeout(err) {
			continue // idle
		}
		if err != nil {
			return err
		}
		tables := []string{table}
		for {
			_, table, err := w.ln.ReceiveTimeout(ctx, changeBatchWait)
			if err != nil {
				w.changed(tables)
				if isTimeout(err) {
					break
				}
				return err
			}
			if !slices.Contains(tables, table) {
				tables = append(tables, table)
			}
		}
	}
	return nil
}

// reconnect listens again, retrying with a backoff, then reports that
// anything may have changed while it did not listen.
func (w *ChangeWatch) reconnect(ctx context.Context) {
	wait := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := w.connect(ctx)
		if err == nil {
			w.log.Info("change listener connected again")
			w.changed(nil)
			return
		}
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
		wait = min(2*wait, 5*time.Second)
	}
}

// isTimeout reports whether err is a read that timed out.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
