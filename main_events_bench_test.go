package main

import (
	"database/sql"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"grappe/postgres/pgtest"
)

// BenchmarkEventLatency measures the time from the commit of an action
// plan, inserted by SQL, to its event received by each of 1,000 WebSocket
// subscribers (STAFF, actionPlanPublished with the plan's group name):
//
//	go test -run '^$' -bench EventLatency -benchtime 20x .
func BenchmarkEventLatency(b *testing.B) {
	const subscribers = 1000
	url := pgtest.NewURL(b)
	app := startApp(b, appVars(url, map[string]string{"GRAPPE_RATE_LIMIT": noRateLimit}))
	defer app.Close()
	sqlDB, err := sql.Open("pg", url)
	if err != nil {
		b.Fatal(err)
	}
	defer sqlDB.Close()
	if _, err := sqlDB.Exec(`INSERT INTO members (id, name, kind, joined_on) VALUES (1, 'Raiser', 'COMPANY', current_date)`); err != nil {
		b.Fatal(err)
	}
	staff := staffToken(b)
	type receipt struct {
		event int
		at    time.Time
	}
	receipts := make(chan receipt, subscribers*4)
	for range subscribers {
		c := dialWS(b, app.URL(), staff)
		defer c.close()
		c.subscribe("plans", `subscription { actionPlanPublished { summary group { name } } }`, nil)
		go func() {
			for {
				m := c.next(time.Hour)
				if m.Type != "next" {
					return
				}
				var n int
				if _, err := fmt.Sscanf(string(c.decode(m)["actionPlanPublished"].(map[string]any)["summary"].(string)), "Plan %d", &n); err == nil {
					receipts <- receipt{n, time.Now()}
				}
			}
		}()
	}
	deadline := time.Now().Add(30 * time.Second)
	for app.events.Subscriptions() < subscribers && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	var lags, lasts []time.Duration
	var mu sync.Mutex
	b.ResetTimer()
	for n := range b.N {
		_, err := sqlDB.Exec(fmt.Sprintf(`WITH q AS (INSERT INTO questions (text, theme, raised_by, status)
			VALUES ('Question %[1]d', 'PURCHASING', 1, 'GROUP_FORMED') RETURNING id),
			g AS (INSERT INTO working_groups (question_id, name, theme) SELECT id, 'Group %[1]d', 'PURCHASING' FROM q RETURNING id)
			INSERT INTO action_plans (group_id, summary, items, distributed_to) SELECT id, 'Plan %[1]d', '[{"title": "Act"}]', 1 FROM g`, n))
		if err != nil {
			b.Fatal(err)
		}
		committed := time.Now()
		var last time.Duration
		for range subscribers {
			select {
			case r := <-receipts:
				if r.event != n {
					b.Fatalf("event %d while waiting for %d", r.event, n)
				}
				lag := r.at.Sub(committed)
				mu.Lock()
				lags = append(lags, lag)
				mu.Unlock()
				last = max(last, lag)
			case <-time.After(30 * time.Second):
				b.Fatalf("plan %d: not every subscriber heard of it within 30 s", n)
			}
		}
		lasts = append(lasts, last)
	}
	b.StopTimer()
	slices.Sort(lags)
	slices.Sort(lasts)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(lags[len(lags)/2]), "p50-ms")
	b.ReportMetric(ms(lags[len(lags)*99/100]), "p99-ms")
	b.ReportMetric(ms(lasts[len(lasts)/2]), "last-p50-ms")
}
