package main

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"grappe/globalid"
	"grappe/postgres/pgtest"
)

// BenchmarkReplicaLag measures, for two servers on one database, the time
// from a member's creation on one (its response received) to the other's
// network graph holding it, while four clients keep creating members on
// the first:
//
//	go test -run '^$' -bench ReplicaLag -benchtime 200x .
func BenchmarkReplicaLag(b *testing.B) {
	url := pgtest.NewURL(b)
	vars := appVars(url, map[string]string{"GRAPPE_RATE_LIMIT": noRateLimit, "GRAPPE_DEMO": "true"})
	a := startApp(b, vars)
	defer a.Close()
	other := startApp(b, vars)
	defer other.Close()
	staff := staffToken(b)
	create := func(name string) int64 {
		r, err := send(a.URL(), staff, createMember, map[string]any{"name": name})
		if err != nil || len(r.Errors) > 0 {
			b.Fatalf("create: %v %+v", err, r.Errors)
		}
		gid, _ := r.Data["createMember"].(map[string]any)["member"].(map[string]any)["id"].(string)
		_, id, err := globalid.Decode("id", gid)
		if err != nil {
			b.Fatal(err)
		}
		return id
	}
	ctx, stop := context.WithCancel(context.Background())
	var load sync.WaitGroup
	for w := range 4 {
		load.Go(func() {
			for i := 0; ctx.Err() == nil; i++ {
				if _, err := send(a.URL(), staff, createMember, map[string]any{"name": fmt.Sprintf("Load %d-%d", w, i)}); err != nil {
					return
				}
			}
		})
	}
	lags := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		id := create(fmt.Sprintf("Probe %d", i))
		committed := time.Now()
		for !other.network.Snapshot().Contains(id) {
			if time.Since(committed) > 30*time.Second {
				b.Fatalf("member %d not in the other server's graph after 30 s", id)
			}
			time.Sleep(time.Millisecond)
		}
		lags = append(lags, time.Since(committed))
	}
	b.StopTimer()
	stop()
	load.Wait()
	slices.Sort(lags)
	b.ReportMetric(float64(lags[len(lags)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lags[len(lags)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(other.network.Rebuilds()), "rebuilds")
}
