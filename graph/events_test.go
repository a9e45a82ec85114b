package graph

import (
	"context"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"grappe/domain"
)

// fakeAudiences answers whom changes concern from fixed maps, counting
// the questions asked.
type fakeAudiences struct {
	asked atomic.Int32
	links map[int64][]int64
}

func (f *fakeAudiences) LinkParties(_ context.Context, ids []int64) (map[int64][]int64, error) {
	f.asked.Add(1)
	out := map[int64][]int64{}
	for _, id := range ids {
		out[id] = f.links[id]
	}
	return out, nil
}

func (f *fakeAudiences) MeetingMembers(context.Context, []int64) (map[int64][]int64, error) {
	f.asked.Add(1)
	return nil, nil
}

func (f *fakeAudiences) GroupQuestionMembers(context.Context, []int64) (map[int64][]int64, error) {
	f.asked.Add(1)
	return nil, nil
}

// TestEventsRouteOncePerBatch: a batch is routed once whatever the number
// of subscriptions, only for the topics someone follows, and each
// subscription hears of what concerns its member.
func TestEventsRouteOncePerBatch(t *testing.T) {
	aud := &fakeAudiences{links: map[int64][]int64{7: {1, 2}, 8: {2, 3}}}
	e := NewEvents(aud, slog.New(slog.DiscardHandler))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go e.Run(ctx)

	links := domain.DataChanges{{Table: "business_links", Op: domain.ChangeUpdate, IDs: []int64{7, 8}}}
	e.Publish(links)
	time.Sleep(20 * time.Millisecond)
	if n := aud.asked.Load(); n != 0 {
		t.Fatalf("routed %d times with no subscription", n)
	}
	heard := func(member int64) <-chan []int64 {
		return stream(ctx, e, topicLinks, e.log, func(_ context.Context, h *happening) ([][]int64, error) {
			return [][]int64{concerning(h.links, member)}, nil
		})
	}
	one, all := heard(1), heard(0)
	subs := make([]<-chan []int64, 10)
	for i := range subs {
		subs[i] = heard(3)
	}
	e.Publish(links)
	if got := <-one; len(got) != 1 || got[0] != 7 {
		t.Errorf("member 1 heard of %v, want [7]", got)
	}
	if got := <-all; len(got) != 2 {
		t.Errorf("everyone's subscription heard of %v, want [7 8]", got)
	}
	for _, s := range subs {
		if got := <-s; len(got) != 1 || got[0] != 8 {
			t.Errorf("member 3 heard of %v, want [8]", got)
		}
	}
	if n := aud.asked.Load(); n != 1 {
		t.Errorf("routed %d times for one batch and 12 subscriptions", n)
	}
}

// TestEventsDropASubscriptionThatFallsBehind: one whose events are not
// read ends once its queue is full; the others go on. Dropped and Sent
// count it.
func TestEventsDropASubscriptionThatFallsBehind(t *testing.T) {
	aud := &fakeAudiences{links: map[int64][]int64{7: {1, 2}}}
	e := NewEvents(aud, slog.New(slog.DiscardHandler))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go e.Run(ctx)
	listen := func() <-chan int {
		return stream(ctx, e, topicLinks, e.log, func(context.Context, *happening) ([]int, error) { return []int{1}, nil })
	}
	stalled, reading := listen(), listen()
	got := 0
	for range followerQueue + 10 {
		e.Publish(domain.DataChanges{{Table: "business_links", Op: domain.ChangeUpdate, IDs: []int64{7}}})
		select {
		case <-reading:
			got++
		case <-time.After(5 * time.Second):
			t.Fatal("the reading subscription heard nothing")
		}
	}
	// The stalled one took one event into its goroutine and queued the
	// rest until it was dropped: its channel may yield that event, then
	// ends.
	deadline := time.After(5 * time.Second)
	stalledGot := 0
	for ended := false; !ended; {
		select {
		case _, ok := <-stalled:
			ended = !ok
			if ok {
				stalledGot++
			}
		case <-deadline:
			t.Fatal("the stalled subscription did not end")
		}
	}
	if got != followerQueue+10 || e.Subscriptions() != 1 {
		t.Errorf("the reading subscription heard %d events, %d subscriptions left", got, e.Subscriptions())
	}
	// The counts /metrics shows: one dropped, every event delivered sent
	// (counted just after its delivery: waited for). Once dropped, the
	// stalled one may or may not deliver the event it held.
	want := uint64(got + stalledGot)
	for end := time.Now().Add(time.Second); e.Sent() != want && time.Now().Before(end); {
		time.Sleep(time.Millisecond)
	}
	if e.Dropped() != 1 || e.Sent() != want {
		t.Errorf("dropped %d, sent %d; want 1, %d", e.Dropped(), e.Sent(), want)
	}
}
