package graph

import (
	"context"
	"errors"
	"testing"
)

// TestBatchFetchesNothingOnceTheRequestIsOver: once the request's context
// is done (timed out, its client gone), a batch fails its keys with the
// context's error and runs no statement, where each resolver still asking
// would otherwise cost one.
func TestBatchFetchesNothingOnceTheRequestIsOver(t *testing.T) {
	calls := 0
	r := &relation[any, struct{}, string]{name: "Test.field", fetch: func(_ context.Context, ids []int64, _ struct{}) (map[int64]string, error) {
		calls++
		out := map[int64]string{}
		for _, id := range ids {
			out[id] = "v"
		}
		return out, nil
	}}
	l := &Loaders{batches: map[any]interface{ clear() }{}}
	b := batchOf(l, r)
	keys := []key[struct{}]{{ID: 1}, {ID: 2}}

	if values, errs := b.fetch(context.Background(), keys); calls != 1 || values[0] != "v" || errs[1] != nil {
		t.Fatalf("live request: %d fetches, values %q, errors %v", calls, values, errs)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, errs := b.fetch(ctx, keys)
	if calls != 1 {
		t.Errorf("the batch fetched %d times after the request ended, want no more", calls-1)
	}
	for i, err := range errs {
		if !errors.Is(err, context.Canceled) {
			t.Errorf("key %d: error %v, want the context's", i, err)
		}
	}
}

// TestBatchRemembersAFailedRead: a key whose read failed is not read
// again within the request: asking for it gives the error at once. A list
// whose relation failed would otherwise read the whole list again for
// each of its elements.
func TestBatchRemembersAFailedRead(t *testing.T) {
	calls := 0
	broken := errors.New("the database is gone")
	r := &relation[any, struct{}, string]{name: "Test.field", fetch: func(context.Context, []int64, struct{}) (map[int64]string, error) {
		calls++
		return nil, broken
	}}
	l := &Loaders{batches: map[any]interface{ clear() }{}}
	b := batchOf(l, r)
	k := key[struct{}]{ID: 7}
	if _, errs := b.fetch(context.Background(), []key[struct{}]{k}); !errors.Is(errs[0], broken) {
		t.Fatalf("first read: %v", errs[0])
	}
	if !b.started(k) {
		t.Error("a key whose read failed counts as not started: siblings would read it again")
	}
	if _, err := b.get(context.Background(), k)(); !errors.Is(err, broken) || calls != 1 {
		t.Errorf("asked again: error %v after %d reads, want the first error and 1 read", err, calls)
	}
	p := &pass{}
	b.queue([]key[struct{}]{k}, p)
	if len(p.batches) != 0 {
		t.Error("the look-ahead queued a key whose read failed")
	}
}
