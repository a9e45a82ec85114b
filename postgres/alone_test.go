package postgres_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"grappe/postgres"
	"grappe/postgres/pgtest"
)

// TestRunAlone: of two servers on one database, one runs a job that must
// run once per database; the other takes over when it stops.
func TestRunAlone(t *testing.T) {
	t.Parallel()
	url := pgtest.NewURL(t)
	var running atomic.Int32
	var ran [2]atomic.Bool
	ctxs := make([]context.CancelFunc, 2)
	var wg sync.WaitGroup
	for i := range 2 {
		db, err := postgres.Open(context.Background(), url, postgres.Options{MaxOpenConns: 2})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		ctx, cancel := context.WithCancel(context.Background())
		ctxs[i] = cancel
		wg.Go(func() {
			db.RunAlone(ctx, postgres.SmallWorldLockKey, func(ctx context.Context) {
				if running.Add(1) > 1 {
					t.Error("the job runs on both servers at once")
				}
				ran[i].Store(true)
				<-ctx.Done()
				running.Add(-1)
			})
		})
	}
	defer func() {
		for _, c := range ctxs {
			c()
		}
		wg.Wait()
	}()
	deadline := time.Now().Add(10 * time.Second)
	for !ran[0].Load() && !ran[1].Load() {
		if time.Now().After(deadline) {
			t.Fatal("the job never ran")
		}
		time.Sleep(10 * time.Millisecond)
	}
	first := 0
	if ran[1].Load() {
		first = 1
	}
	time.Sleep(200 * time.Millisecond) // the other tries, and must not run it
	if ran[1-first].Load() {
		t.Fatal("both servers ran the job")
	}
	ctxs[first]() // the first server stops: the other takes over
	deadline = time.Now().Add(20 * time.Second)
	for !ran[1-first].Load() {
		if time.Now().After(deadline) {
			t.Fatal("the other server never took the job over")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
