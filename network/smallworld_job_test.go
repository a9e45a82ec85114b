package network

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"
)

// jobStore is a started store over a fixed graph that a test may replace.
func jobStore(t *testing.T, g *Graph) (*Store, *sync.Mutex, **Graph) {
	t.Helper()
	var mu sync.Mutex
	cur := g
	s := NewStore(func(context.Context) (*Graph, error) {
		mu.Lock()
		defer mu.Unlock()
		return cur, nil
	}, slog.New(slog.DiscardHandler))
	if err := s.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	return s, &mu, &cur
}

func graphOf(n int, edges [][2]int64) *Graph {
	g := &Graph{}
	for i := range n {
		g.Members = append(g.Members, memberID(int64(i)))
	}
	for _, e := range edges {
		g.Pairs = append(g.Pairs, Pair{A: memberID(e[0]), B: memberID(e[1]), Link: linkID(e[0], e[1])})
	}
	return g
}

func TestSmallWorldJobRunOnce(t *testing.T) {
	store, _, _ := jobStore(t, graphOf(100, wattsStrogatz(100, 6, 0.1, 1)))
	var saved []SmallWorldRun
	job := &SmallWorldJob{Store: store, Options: SmallWorldOptions{Seed: 11},
		Save: func(_ context.Context, r SmallWorldRun) (*SmallWorldRun, error) {
			r.ID = int64(len(saved) + 1)
			saved = append(saved, r)
			return &r, nil
		}}
	run, err := job.RunOnce(t.Context())
	if err != nil || run == nil {
		t.Fatalf("RunOnce = %v, %v", run, err)
	}
	if len(saved) != 1 || run.Seed != 11 || run.RandomGraphs != SmallWorldNrand || run.MemberCount != 100 || run.Sigma <= 1 || run.ComputedAt.IsZero() {
		t.Errorf("run = %+v", run)
	}
	// Nothing changed: not due until the interval is over.
	now := time.Now()
	if job.due(store.Snapshot(), now, now) {
		t.Error("due right after a computation")
	}
	if !job.due(store.Snapshot(), now.Add(-DefaultSmallWorldInterval), now) {
		t.Error("not due after the interval")
	}
	// A drawn seed fits a GraphQL Int.
	job.Options.Seed = 0
	run, err = job.RunOnce(t.Context())
	if err != nil || run.Seed == 0 || run.Seed >= 1<<31 {
		t.Fatalf("drawn seed: %+v, %v", run, err)
	}
}

func TestSmallWorldJobDueAfterBigChange(t *testing.T) {
	edges := wattsStrogatz(100, 6, 0.1, 1)
	store, mu, cur := jobStore(t, graphOf(100, edges))
	job := &SmallWorldJob{Store: store, Save: func(_ context.Context, r SmallWorldRun) (*SmallWorldRun, error) { return &r, nil }}
	if _, err := job.RunOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	change := func(m int) bool {
		mu.Lock()
		*cur = graphOf(100, edges[:m])
		mu.Unlock()
		snap, err := store.Await(t.Context(), store.Invalidate())
		if err != nil {
			t.Fatal(err)
		}
		return job.due(snap, now, now)
	}
	if change(290) { // 10 of 300 edges: 3.3%
		t.Error("due after a 3% change")
	}
	if !change(280) { // 20 of 300: 6.7%
		t.Error("not due after a 7% change")
	}
}

func TestSmallWorldJobRunsInBackgroundAndSkipsSmallGraphs(t *testing.T) {
	store, _, _ := jobStore(t, graphOf(3, [][2]int64{{0, 1}, {1, 2}}))
	job := &SmallWorldJob{Store: store, Poll: time.Millisecond,
		Save: func(context.Context, SmallWorldRun) (*SmallWorldRun, error) {
			t.Error("saved a computation on an undefined graph")
			return nil, nil
		}}
	if run, err := job.RunOnce(t.Context()); run != nil || err != nil {
		t.Errorf("undefined graph: %v, %v; want nil, nil", run, err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { job.Run(ctx); close(done) }()
	time.Sleep(20 * time.Millisecond)
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop with its context")
	}
}

func TestSmallWorldJobRunComputesThenAfterBigChange(t *testing.T) {
	edges := wattsStrogatz(100, 6, 0.1, 1)
	store, mu, cur := jobStore(t, graphOf(100, edges))
	saved := make(chan SmallWorldRun, 10)
	job := &SmallWorldJob{Store: store, Poll: time.Millisecond,
		Save: func(_ context.Context, r SmallWorldRun) (*SmallWorldRun, error) {
			saved <- r
			return &r, nil
		}}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { job.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	wait := func(what string) SmallWorldRun {
		t.Helper()
		select {
		case r := <-saved:
			return r
		case <-time.After(10 * time.Second):
			t.Fatalf("no computation %s", what)
		}
		return SmallWorldRun{}
	}
	first := wait("after the first snapshot")
	if first.SnapshotVersion != 0 || first.EdgeCount != 300 {
		t.Errorf("first run = %+v", first)
	}
	// A small change is not enough; a big one is.
	mu.Lock()
	*cur = graphOf(100, edges[:295])
	mu.Unlock()
	if _, err := store.Await(t.Context(), store.Invalidate()); err != nil {
		t.Fatal(err)
	}
	time.Sleep(20 * time.Millisecond)
	select {
	case r := <-saved:
		t.Fatalf("computed again after a 1.7%% change: %+v", r)
	default:
	}
	mu.Lock()
	*cur = graphOf(100, edges[:270])
	mu.Unlock()
	if _, err := store.Await(t.Context(), store.Invalidate()); err != nil {
		t.Fatal(err)
	}
	if second := wait("after a 10% change"); second.EdgeCount != 270 || second.SnapshotVersion != 2 {
		t.Errorf("second run = %+v", second)
	}
}

func TestSmallWorldStopsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	s := edgeSnapshot(100, wattsStrogatz(100, 6, 0.1, 1))
	if _, err := s.SmallWorld(ctx, SmallWorldOptions{Seed: 1, Niter: 1000}); err == nil {
		t.Error("no error from a cancelled computation")
	}
}
