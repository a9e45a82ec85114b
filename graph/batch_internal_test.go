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
