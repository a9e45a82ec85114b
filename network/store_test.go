package network

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestStoreCoalescesAndNeverBlocksReaders invalidates in bursts while
// readers keep reading: every snapshot a reader sees is complete, versions
// never go back, and the last change is reflected.
func TestStoreCoalescesAndNeverBlocksReaders(t *testing.T) {
	var loads atomic.Int64
	var size atomic.Int64 // the "database": a path of size members
	size.Store(2)
	load := func(ctx context.Context) (*Graph, error) {
		loads.Add(1)
		time.Sleep(2 * time.Millisecond) // a slow query
		n := size.Load()
		g := &Graph{}
		for i := int64(1); i <= n; i++ {
			g.Members = append(g.Members, i)
			if i > 1 {
				g.Pairs = append(g.Pairs, Pair{A: i - 1, B: i, Link: 100 + i})
			}
		}
		return g, nil
	}
	s := NewStore(load, slog.New(slog.DiscardHandler))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := s.Start(ctx); err != nil {
		t.Fatal(err)
	}

	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			last := uint64(0)
			for {
				select {
				case <-stop:
					return
				default:
				}
				snap := s.Snapshot()
				if snap.Version < last {
					t.Errorf("version went back from %d to %d", last, snap.Version)
				}
				last = snap.Version
				if snap.EdgeCount() != snap.NodeCount()-1 {
					t.Errorf("inconsistent snapshot: %d nodes, %d edges", snap.NodeCount(), snap.EdgeCount())
				}
			}
		}()
	}
	var v uint64
	for range 200 {
		size.Add(1)
		v = s.Invalidate()
	}
	snap, err := s.Await(ctx, v)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if m := s.Measured(); m.Version < v || m.NodeCount() != 202 {
		t.Errorf("measured snapshot: version %d of %d members, want %d of 202", m.Version, m.NodeCount(), v)
	}
	if snap.NodeCount() != 202 {
		t.Errorf("last snapshot has %d members, want 202", snap.NodeCount())
	}
	if p, ok := snap.ShortestPath(1, 202, 201); !ok || p.Hops() != 201 {
		t.Errorf("path across = %d hops, %v", p.Hops(), ok)
	}
	if n := loads.Load(); n > 100 {
		t.Errorf("%d loads for 200 invalidations: bursts not coalesced", n)
	}
	t.Logf("%d loads for 200 invalidations", loads.Load())
}

func TestNeighborhoodKeepsClosest(t *testing.T) {
	// A star of 5 leaves around 1, and a tail 5–6–7.
	s := Build([]int64{1, 2, 3, 4, 5, 6, 7}, []Pair{
		{A: 1, B: 2, Link: 1}, {A: 1, B: 3, Link: 2}, {A: 1, B: 4, Link: 3}, {A: 1, B: 5, Link: 4},
		{A: 5, B: 6, Link: 5}, {A: 6, B: 7, Link: 6},
	}, 1, time.Now())
	sub, ok := s.Neighborhood(6, 2, 3)
	if !ok || len(sub.Nodes) != 3 || sub.Nodes[0] != 6 || sub.Nodes[1] != 5 || sub.Nodes[2] != 7 || !sub.Truncated {
		t.Fatalf("neighborhood(6, 2, 3) = %+v", sub)
	}
	if len(sub.Edges) != 2 {
		t.Errorf("edges = %v, want 5–6 and 6–7", sub.Edges)
	}
	sub, _ = s.Neighborhood(6, 3, 100)
	if len(sub.Nodes) != 7 || sub.Truncated || len(sub.Edges) != 6 {
		t.Errorf("neighborhood(6, 3, 100) = %+v", sub)
	}
	if _, ok := s.Neighborhood(99, 1, 10); ok {
		t.Error("neighborhood of a member outside the graph")
	}
}

// TestStoreMeasuresOneSnapshotAtATime: under a burst of rebuilds (a write
// load) the costly measures run for one snapshot at a time, never several
// at once, and the latest snapshot ends up measured.
func TestStoreMeasuresOneSnapshotAtATime(t *testing.T) {
	var size atomic.Int64
	size.Store(3)
	load := func(ctx context.Context) (*Graph, error) {
		g := &Graph{}
		for i := int64(1); i <= size.Load(); i++ {
			g.Members = append(g.Members, i)
		}
		return g, nil
	}
	s := NewStore(load, slog.New(slog.DiscardHandler))
	var running, most, measured atomic.Int64
	s.warm = func(*Snapshot) {
		n := running.Add(1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		time.Sleep(20 * time.Millisecond) // a costly measurement
		measured.Add(1)
		running.Add(-1)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := s.Start(ctx); err != nil {
		t.Fatal(err)
	}
	var last uint64
	for range 50 {
		size.Add(1)
		last = s.Invalidate()
		time.Sleep(time.Millisecond)
	}
	deadline := time.Now().Add(10 * time.Second)
	for s.Measured().Version < last || s.Measured() != s.Snapshot() {
		if time.Now().After(deadline) {
			t.Fatalf("latest snapshot %d never measured (measured %d)", last, s.Measured().Version)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if most.Load() != 1 {
		t.Errorf("%d measurements ran at once, want 1", most.Load())
	}
	if n := measured.Load(); n >= 50 {
		t.Errorf("%d measurements for 50 rebuilds: superseded snapshots were measured", n)
	}
	t.Logf("%d measurements for 51 snapshots", measured.Load())
}
