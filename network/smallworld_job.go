package network

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"
)

// SmallWorldRun is one small-world computation as stored: the coefficients,
// the seed and parameters that reproduce them, and when and on which
// snapshot they were computed.
type SmallWorldRun struct {
	SmallWorld
	ID              int64
	ComputedAt      time.Time
	RandomGraphs    int // random reference graphs averaged per coefficient
	SnapshotVersion uint64
}

// DefaultSmallWorldInterval is how often the small-world coefficients are
// recomputed when the graph changes little.
const DefaultSmallWorldInterval = 6 * time.Hour

// SmallWorldChange is the relative change of the edge count since the last
// computation that triggers a new one before the interval is over.
const SmallWorldChange = 0.05

// SmallWorldJob computes the small-world coefficients of the current
// snapshot in the background and saves them: once after the first snapshot
// is built, then every Interval, and sooner when the edge count moved by
// more than SmallWorldChange. At most one computation runs at a time;
// graphs above ExactLimit members are skipped.
type SmallWorldJob struct {
	Store    *Store
	Save     func(context.Context, SmallWorldRun) (*SmallWorldRun, error)
	Log      *slog.Logger
	Interval time.Duration     // 0: DefaultSmallWorldInterval
	Poll     time.Duration     // how often to look at the graph; 0: one minute
	Options  SmallWorldOptions // a zero Seed draws a new seed for each run

	mu      sync.Mutex // one computation at a time
	edges   int        // edge count of the last computed snapshot
	skipped bool
}

// errSkipped says a computation was skipped (graph too large or not built).
var errSkipped = errors.New("small-world computation skipped")

// RunOnce computes the coefficients of the current snapshot and saves them.
// It returns nil, nil when it skipped the computation: no snapshot yet,
// a graph above ExactLimit, or one on which they are undefined.
func (j *SmallWorldJob) RunOnce(ctx context.Context) (*SmallWorldRun, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	run, err := j.runLocked(ctx)
	if errors.Is(err, errSkipped) {
		return nil, nil
	}
	return run, err
}

func (j *SmallWorldJob) runLocked(ctx context.Context) (*SmallWorldRun, error) {
	snap := j.Store.Snapshot()
	if snap == nil {
		return nil, errSkipped
	}
	if snap.NodeCount() > ExactLimit {
		if !j.skipped {
			j.skipped = true
			j.log().Info("small-world coefficients skipped: the graph is above the exact limit",
				"members", snap.NodeCount(), "limit", ExactLimit)
		}
		return nil, errSkipped
	}
	opts := j.Options
	if opts.Seed == 0 {
		opts.Seed = uint64(rand.Int32N(1<<31-1)) + 1 // fits a GraphQL Int
	}
	sw, err := snap.SmallWorld(ctx, opts)
	if errors.Is(err, ErrSmallWorldUndefined) {
		j.edges = snap.EdgeCount()
		j.log().Info("small-world coefficients undefined on the network graph",
			"members", sw.MemberCount, "edges", sw.EdgeCount)
		return nil, errSkipped
	}
	if err != nil {
		return nil, err
	}
	run := SmallWorldRun{
		SmallWorld: sw, ComputedAt: time.Now(), RandomGraphs: sw.Nrand, SnapshotVersion: snap.Version,
	}
	saved, err := j.Save(ctx, run)
	if err != nil {
		return nil, err
	}
	j.edges = snap.EdgeCount()
	j.log().Info("small-world coefficients computed", "sigma", sw.Sigma, "omega", sw.Omega,
		"members", sw.MemberCount, "edges", sw.EdgeCount, "seed", sw.Seed, "duration", sw.Duration)
	return saved, nil
}

func (j *SmallWorldJob) log() *slog.Logger {
	if j.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return j.Log
}

// due reports whether a computation is due on snap: none done yet, the
// interval is over, or the edge count moved by more than SmallWorldChange.
func (j *SmallWorldJob) due(snap *Snapshot, lastAt time.Time, now time.Time) bool {
	if snap == nil {
		return false
	}
	if lastAt.IsZero() {
		return true
	}
	interval := j.Interval
	if interval <= 0 {
		interval = DefaultSmallWorldInterval
	}
	if now.Sub(lastAt) >= interval {
		return true
	}
	diff := snap.EdgeCount() - j.edges
	if diff < 0 {
		diff = -diff
	}
	return float64(diff) > SmallWorldChange*float64(max(j.edges, 1))
}

// Run computes the coefficients when due until ctx is done, logging
// failures (a failed computation is retried at the next poll). Start it in
// a goroutine after the store's first snapshot is built.
func (j *SmallWorldJob) Run(ctx context.Context) {
	poll := j.Poll
	if poll <= 0 {
		poll = time.Minute
	}
	tick := time.NewTicker(poll)
	defer tick.Stop()
	var lastAt time.Time
	for {
		if ctx.Err() != nil {
			return
		}
		snap := j.Store.Snapshot()
		j.mu.Lock()
		if j.due(snap, lastAt, time.Now()) {
			_, err := j.runLocked(ctx)
			switch {
			case err == nil, errors.Is(err, errSkipped):
				// A skipped graph (too large, undefined) waits for the
				// interval or a big change like a computed one.
				lastAt = time.Now()
			case ctx.Err() != nil:
				j.mu.Unlock()
				return
			default:
				j.log().Error("compute the small-world coefficients", "err", err)
			}
		}
		j.mu.Unlock()
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
