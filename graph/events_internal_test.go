package graph

import (
	"context"
	"log/slog"
	"testing"
	"time"
)

// TestStreamEndsWhenItFallsBehind: a subscription whose client takes
// nothing while more than followerQueue batches arrive is dropped by the
// hub, and its channel closes (which ends the subscription in the
// transport); a subscription that keeps up is not.
func TestStreamEndsWhenItFallsBehind(t *testing.T) {
	e := NewEvents(nil, slog.New(slog.DiscardHandler))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	plans := func(_ context.Context, h *happening) ([]int64, error) { return h.plans, nil }
	slow := stream(ctx, e, topicPlans, e.log, plans)
	quick := stream(ctx, e, topicPlans, e.log, plans)
	if n := e.Subscriptions(); n != 2 {
		t.Fatalf("%d subscriptions, want 2", n)
	}
	// The slow stream takes one batch and waits to hand it over; its
	// queue then holds followerQueue more, and the next one drops it.
	for i := range followerQueue + 2 {
		e.dispatch(&happening{plans: []int64{int64(i)}})
		select {
		case got := <-quick:
			if got != int64(i) {
				t.Fatalf("quick stream got %d, want %d", got, i)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("the quick stream did not get batch %d", i)
		}
	}
	received := 0
	for done := false; !done; {
		select {
		case _, ok := <-slow:
			if ok {
				received++
			}
			done = !ok
		case <-time.After(10 * time.Second):
			t.Fatal("the slow stream's channel is still open: it was not dropped")
		}
	}
	if received > followerQueue+1 {
		t.Errorf("the slow stream handed over %d events after it was dropped", received)
	}
	if n := e.Subscriptions(); n != 1 {
		t.Errorf("%d subscriptions after the drop, want 1", n)
	}
	e.dispatch(&happening{plans: []int64{99}})
	select {
	case got := <-quick:
		if got != 99 {
			t.Errorf("quick stream got %d after the drop, want 99", got)
		}
	case <-time.After(10 * time.Second):
		t.Error("the quick stream stopped after the slow one was dropped")
	}
}
