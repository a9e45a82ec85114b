package network

import (
	"context"
	"fmt"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"grappe/domain"
)

// Graph is the network graph as read from the database: the ACTIVE member
// ids and the pairs of members with a CONFIRMED link.
type Graph struct {
	Members []int64
	Pairs   []Pair
	// Seen is which transactions the read saw: an announced change by one
	// of them needs no rebuild.
	Seen Visibility
}

// LoadFunc reads the current network graph.
type LoadFunc func(ctx context.Context) (*Graph, error)

// Store holds the current snapshot of the network graph and rebuilds it in
// the background when told the data changed. Readers never block: they get
// the latest complete snapshot, one consistent version.
//
// It keeps two snapshots: the current one, for what reads the live graph
// (paths, neighbourhoods), and the latest one whose measures are computed,
// for the measures. After a change the measures of the new snapshot are
// computed in the background while readers keep the previous ones, so that
// no request waits for them.
type Store struct {
	load     LoadFunc
	log      *slog.Logger
	now      func() time.Time
	cur      atomic.Pointer[Snapshot]
	measured atomic.Pointer[Snapshot]
	wanted   atomic.Uint64 // version asked for by Invalidate
	rebuilds atomic.Uint64 // snapshots built
	kick     chan struct{} // wakes the rebuild goroutine; holds at most one wake-up
	// measureKick wakes the one goroutine that computes measures, so that
	// a burst of rebuilds (a write load) never runs several costly
	// measurements at once: it measures the current snapshot, then the
	// next current one if a rebuild came meanwhile.
	measureKick chan struct{}
	warm        func(*Snapshot) // computes a snapshot's measures; tests replace it

	// Tracer, when set before Start, gets a span per rebuild and per
	// measurement of a snapshot.
	Tracer  trace.Tracer
	timings Timings // set before Start

	mu       sync.Mutex
	pending  []announced // announced changes no snapshot holds yet
	lags     lagRecord
	watchers []func(*Snapshot)
}

// announced is a committed change the store was told of.
type announced struct {
	xid uint64
	at  time.Time
}

// maxPending bounds the announced changes the store keeps for its lag
// measure; more, and the oldest are no longer measured.
const maxPending = 4096

// NewStore returns a store that reads the graph with load. Call Start
// before Snapshot.
func NewStore(load LoadFunc, log *slog.Logger) *Store {
	return &Store{load: load, log: log, now: time.Now, kick: make(chan struct{}, 1), measureKick: make(chan struct{}, 1),
		warm: (*Snapshot).Warm}
}

// Start builds the first snapshot, then keeps rebuilding in a goroutine
// after each Invalidate until ctx is done.
func (s *Store) Start(ctx context.Context) error {
	if err := s.rebuild(ctx); err != nil {
		return err
	}
	go s.run(ctx)
	go s.measureLoop(ctx)
	return nil
}

// Timings receives the durations the store measures, for metrics. A nil
// function is not called.
type Timings struct {
	Rebuild func(time.Duration) // to load and build a snapshot
	Measure func(time.Duration) // to compute a snapshot's measures
	Lag     func(time.Duration) // from an announced change to the first snapshot holding it (see Lags)
}

// SetTimings sets who receives the durations the store measures. Call it
// before Start.
func (s *Store) SetTimings(t Timings) { s.timings = t }

// Rebuilds returns how many snapshots the store built.
func (s *Store) Rebuilds() uint64 { return s.rebuilds.Load() }

// Snapshot returns the current snapshot, nil before Start succeeded.
func (s *Store) Snapshot() *Snapshot { return s.cur.Load() }

// Measured returns the latest snapshot whose measures are computed, or the
// current one (whose measures are then computed on first use) until the
// first is; nil before Start succeeded.
func (s *Store) Measured() *Snapshot {
	if m := s.measured.Load(); m != nil {
		return m
	}
	return s.cur.Load()
}

// DataChanged takes the changes the database announced: those of members
// or links each need a snapshot that holds them (see Announce), and a
// batch that may hold anything a rebuild.
func (s *Store) DataChanged(batch domain.DataChanges) {
	if batch.Unknown() {
		s.Invalidate()
		return
	}
	for _, c := range batch {
		switch {
		case c.Table != "members" && c.Table != "business_links":
		case c.Xid == 0:
			s.Invalidate()
		default:
			s.Announce(c.Xid, c.At)
		}
	}
}

// Watch calls f with every snapshot built from now on, in the goroutine
// that built it: f must return soon.
func (s *Store) Watch(f func(*Snapshot)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.watchers = append(s.watchers, f)
}

// Announce says that the committed transaction xid, whose statement
// started at at, changed the graph. A snapshot that holds it already (a
// write of this server, rebuilt before the announcement came) needs no
// rebuild; otherwise the next one holds it, and the time from at to that
// snapshot counts in Lags.
func (s *Store) Announce(xid uint64, at time.Time) {
	if snap := s.cur.Load(); snap != nil && snap.Holds(xid) {
		return
	}
	s.mu.Lock()
	if len(s.pending) == maxPending {
		s.pending = slices.Delete(s.pending, 0, 1)
	}
	s.pending = append(s.pending, announced{xid, at})
	s.mu.Unlock()
	s.Invalidate()
}

// Lags returns the latest commit-to-snapshot lags measured (up to 1,024,
// oldest first): from the start of an announced change's statement, by the
// database's clock, to the first snapshot holding it, by this server's.
func (s *Store) Lags() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lags.all()
}

// held records the lag of the announced changes snap holds, and forgets
// them.
func (s *Store) held(snap *Snapshot) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pending = slices.DeleteFunc(s.pending, func(a announced) bool {
		if !snap.Holds(a.xid) {
			return false
		}
		s.lags.add(now.Sub(a.at))
		if s.timings.Lag != nil {
			s.timings.Lag(now.Sub(a.at))
		}
		return true
	})
}

// Invalidate says the graph changed and returns the version that will
// reflect the change. It never blocks: bursts of invalidations coalesce
// into one rebuild.
func (s *Store) Invalidate() uint64 {
	v := s.wanted.Add(1)
	select {
	case s.kick <- struct{}{}:
	default:
	}
	return v
}

// Await waits until the current snapshot and the measured one have at
// least version v, and returns the current one.
func (s *Store) Await(ctx context.Context, v uint64) (*Snapshot, error) {
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	for {
		snap, m := s.cur.Load(), s.measured.Load()
		if snap != nil && snap.Version >= v && m != nil && m.Version >= v {
			return snap, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-tick.C:
		}
	}
}

// run rebuilds the snapshot after each wake-up, retrying a failed rebuild
// after a pause. A run of failures (the database down, most likely, which
// is logged where it is found) is logged once at WARN when it starts and
// once at INFO when a rebuild succeeds again, not once per retry.
func (s *Store) run(ctx context.Context) {
	failures := 0
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.kick:
		}
		if snap := s.Snapshot(); snap != nil && snap.Version >= s.wanted.Load() {
			continue
		}
		err := s.rebuild(ctx)
		if err == nil && failures > 0 {
			s.log.Info("network graph rebuilt again", "failed_attempts", failures)
			failures = 0
		}
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			failures++
			if failures == 1 {
				s.log.Warn("rebuild the network graph: retrying every second, readers keep the previous graph", "err", err)
			} else {
				s.log.Debug("rebuild the network graph", "attempt", failures, "err", err)
			}
			time.AfterFunc(time.Second, func() {
				select {
				case s.kick <- struct{}{}:
				default:
				}
			})
		}
	}
}

// rebuild loads the graph and publishes a snapshot of it. The version is
// read before loading, so a change made during the load is picked up by the
// next rebuild. Its measures are computed in the background afterwards.
func (s *Store) rebuild(ctx context.Context) error {
	if s.Tracer != nil {
		var span trace.Span
		ctx, span = s.Tracer.Start(ctx, "network.rebuild")
		defer span.End()
	}
	v := s.wanted.Load()
	start := time.Now()
	g, err := s.load(ctx)
	if err != nil {
		return fmt.Errorf("load the network graph: %w", err)
	}
	snap := Build(g.Members, g.Pairs, v, s.now())
	snap.seen = g.Seen
	if s.timings.Rebuild != nil {
		s.timings.Rebuild(time.Since(start))
	}
	s.cur.Store(snap)
	s.rebuilds.Add(1)
	s.held(snap)
	s.mu.Lock()
	watchers := s.watchers
	s.mu.Unlock()
	for _, f := range watchers {
		f(snap)
	}
	select {
	case s.measureKick <- struct{}{}:
	default: // a measurement is already due: it will take this snapshot
	}
	return nil
}

// measureLoop measures the current snapshot after each rebuild, one at a
// time, until ctx is done. After a measurement it rests as long as the
// measurement took before the next, so that under a steady write load the
// measures of a large graph (minutes at 100,000 members) take at most half
// a core; a small graph's take milliseconds and follow at once.
func (s *Store) measureLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.measureKick:
		}
		start := time.Now()
		s.measure(s.cur.Load())
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Since(start)):
		}
	}
}

// measure computes the measures of snap and publishes it as the measured
// snapshot, unless a later snapshot replaced it in the meantime (that one
// will be measured instead).
func (s *Store) measure(snap *Snapshot) {
	if s.cur.Load() != snap {
		return
	}
	if s.Tracer != nil {
		_, span := s.Tracer.Start(context.Background(), "network.measure",
			trace.WithAttributes(attribute.Int64("network.version", int64(snap.Version)), attribute.Int("network.members", snap.NodeCount())))
		defer span.End()
	}
	start := time.Now()
	s.warm(snap)
	if s.timings.Measure != nil {
		s.timings.Measure(time.Since(start))
	}
	for {
		old := s.measured.Load()
		if old != nil && old.Version >= snap.Version {
			return
		}
		if s.measured.CompareAndSwap(old, snap) {
			return
		}
	}
}

// lagRecord keeps the latest lags measured, in a ring.
type lagRecord struct {
	ring [1024]time.Duration
	n    int // lags recorded so far
}

func (r *lagRecord) add(d time.Duration) {
	r.ring[r.n%len(r.ring)] = d
	r.n++
}

// all returns the lags kept, oldest first.
func (r *lagRecord) all() []time.Duration {
	if r.n <= len(r.ring) {
		return slices.Clone(r.ring[:r.n])
	}
	i := r.n % len(r.ring)
	return append(slices.Clone(r.ring[i:]), r.ring[:i]...)
}
