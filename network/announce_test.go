package network

import (
	"context"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"
)

// TestAnnounceRebuildsOnlyWhatIsMissing: an announced transaction that
// the snapshot holds (a server's own write, already rebuilt) costs no
// rebuild; one it does not hold is in the next snapshot, whose lag is
// measured from the announcement's time. The timings for metrics see each
// rebuild, measurement and lag.
func TestAnnounceRebuildsOnlyWhatIsMissing(t *testing.T) {
	var committed atomic.Uint64 // the database's transactions 1..committed are visible
	committed.Store(10)
	load := func(ctx context.Context) (*Graph, error) {
		c := committed.Load()
		return &Graph{Members: []int64{1, 2}, Seen: Visibility{Xmin: c + 1, Xmax: c + 1}}, nil
	}
	s := NewStore(load, slog.New(slog.DiscardHandler))
	var rebuilt, measured atomic.Int64
	var lagged atomic.Pointer[[]time.Duration]
	lagged.Store(&[]time.Duration{})
	s.SetTimings(Timings{
		Rebuild: func(time.Duration) { rebuilt.Add(1) },
		Measure: func(time.Duration) { measured.Add(1) },
		Lag: func(d time.Duration) {
			l := append(*lagged.Load(), d)
			lagged.Store(&l)
		},
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := s.Start(ctx); err != nil {
		t.Fatal(err)
	}
	s.Announce(7, time.Now())
	s.Announce(10, time.Now())
	time.Sleep(20 * time.Millisecond)
	if got := s.Rebuilds(); got != 1 {
		t.Fatalf("%d rebuilds for changes the snapshot holds, want the first one only", got)
	}
	committed.Store(12)
	at := time.Now().Add(-50 * time.Millisecond)
	s.Announce(12, at)
	deadline := time.Now().Add(5 * time.Second)
	for !s.Snapshot().Holds(12) {
		if time.Now().After(deadline) {
			t.Fatal("transaction 12 never in a snapshot")
		}
		time.Sleep(time.Millisecond)
	}
	if got := s.Rebuilds(); got != 2 {
		t.Errorf("%d rebuilds, want 2", got)
	}
	lags := s.Lags()
	if len(lags) != 1 || lags[0] < 50*time.Millisecond || lags[0] > 5*time.Second {
		t.Errorf("lags %v, want one of at least 50 ms", lags)
	}
	for end := time.Now().Add(5 * time.Second); measured.Load() == 0 && time.Now().Before(end); {
		time.Sleep(time.Millisecond)
	}
	if l := *lagged.Load(); rebuilt.Load() != 2 || measured.Load() == 0 || len(l) != 1 || len(lags) != 1 || l[0] != lags[0] {
		t.Errorf("timings: %d rebuilds, %d measures, lags %v; want 2, some, %v", rebuilt.Load(), measured.Load(), l, lags)
	}
}

// TestVisibility reads PostgreSQL's snapshots.
func TestVisibility(t *testing.T) {
	v, err := ParseVisibility("100:105:101,103")
	if err != nil {
		t.Fatal(err)
	}
	for xid, want := range map[uint64]bool{0: false, 99: true, 100: true, 101: false, 102: true, 103: false, 104: true, 105: false, 200: false} {
		if v.Holds(xid) != want {
			t.Errorf("Holds(%d) = %v, want %v", xid, !want, want)
		}
	}
	if v, err := ParseVisibility("7:7:"); err != nil || !v.Holds(6) || v.Holds(7) {
		t.Errorf("7:7: %+v %v", v, err)
	}
	for _, bad := range []string{"", "1:2", "a:2:", "1:b:", "1:2:x"} {
		if _, err := ParseVisibility(bad); err == nil {
			t.Errorf("%q read without error", bad)
		}
	}
	if (Visibility{}).Holds(1) {
		t.Error("the zero Visibility holds a transaction")
	}
}
