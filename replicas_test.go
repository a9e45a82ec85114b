package main

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	_ "github.com/uptrace/bun/driver/pgdriver"

	"grappe/postgres/pgtest"
)

// TestReplicasAgree runs two servers on one database: a change made
// through one, or by SQL by hand, reaches the other's network graph,
// taxonomy and dashboard, also after its listening connection was killed.
func TestReplicasAgree(t *testing.T) {
	t.Parallel()
	url := pgtest.NewURL(t)
	vars := appVars(url, map[string]string{"GRAPPE_RATE_LIMIT": noRateLimit})
	a, b := startApp(t, vars), startApp(t, vars)
	defer a.Close()
	defer b.Close()
	sqlDB, err := sql.Open("pg", url)
	if err != nil {
		t.Fatal(err)
	}
	defer sqlDB.Close()
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := sqlDB.ExecContext(context.Background(), q, args...); err != nil {
			t.Fatal(err)
		}
	}
	staff := staffToken(t)
	last := map[*App]string{}
	count := func(app *App) int {
		d := post(t, app.URL(), staff, `{ network { memberCount } dashboard { memberCount } }`, nil)
		network := int(d["network"].(map[string]any)["memberCount"].(float64))
		dashboard := int(d["dashboard"].(map[string]any)["memberCount"].(float64))
		last[app] = fmt.Sprintf("network %d, dashboard %d (snapshot %d, measured %d, rebuilds %d)", network, dashboard,
			app.network.Snapshot().Version, app.network.Measured().Version, app.network.Rebuilds())
		if network != dashboard {
			return -1 // one of them not there yet
		}
		return network
	}
	// within waits for what to hold on b, and reports how long it took.
	within := func(what string, cond func() bool) {
		t.Helper()
		start := time.Now()
		defer func() {
			if t.Failed() {
				t.Logf("A: %s; B: %s", last[a], last[b])
			}
		}()
		waitFor(t, what, 10*time.Second, cond)
		t.Logf("%s: %s", what, time.Since(start).Round(time.Millisecond))
	}
	if n := count(b); n != 0 {
		t.Fatalf("empty database: %d members", n)
	}

	post(t, a.URL(), staff, createMember, map[string]any{"name": "Made on A"})
	within("a member created on A, seen by B's graph and dashboard", func() bool { return count(b) == 1 })

	exec(`INSERT INTO members (name, kind, joined_on) VALUES ('Made by hand', 'COMPANY', current_date)`)
	within("a member inserted by SQL, seen by A and B", func() bool { return count(a) == 2 && count(b) == 2 })

	trades := func(app *App) int {
		return len(post(t, app.URL(), staff, `{ trades { code } }`, nil)["trades"].([]any))
	}
	before := trades(b)
	exec(`INSERT INTO trades (code, name_en, name_fr) VALUES ('HAND', 'By hand', 'À la main')`)
	within("a trade inserted by SQL, in B's taxonomy", func() bool { return trades(b) == before+1 })

	// The listening connections killed: what changes while they reconnect
	// is seen once they are back.
	var killed int
	if err := sqlDB.QueryRow(`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = current_database() AND query LIKE 'LISTEN "grappe_changes%'`).Scan(&killed); err != nil {
		t.Fatal(err)
	}
	if killed != 2 {
		t.Fatalf("killed %d listening connections, want 2", killed)
	}
	exec(`INSERT INTO members (name, kind, joined_on) VALUES ('While reconnecting', 'COMPANY', current_date)`)
	within("a member inserted while the listeners reconnect", func() bool { return count(a) == 3 && count(b) == 3 })
}

// TestChangeBurstCoalesces: a burst of writes by SQL reaches a server as
// a bounded number of graph rebuilds, not one per write.
func TestChangeBurstCoalesces(t *testing.T) {
	t.Parallel()
	url := pgtest.NewURL(t)
	app := startApp(t, appVars(url, nil))
	defer app.Close()
	sqlDB, err := sql.Open("pg", url)
	if err != nil {
		t.Fatal(err)
	}
	defer sqlDB.Close()
	start := app.network.Rebuilds()
	for i := range 1000 {
		if _, err := sqlDB.Exec(`INSERT INTO members (name, kind, joined_on) VALUES ($1, 'COMPANY', current_date)`,
			fmt.Sprintf("Burst %04d", i)); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "the burst in the graph", 10*time.Second, func() bool {
		return app.network.Snapshot().NodeCount() == 1000
	})
	rebuilds := app.network.Rebuilds() - start
	t.Logf("1,000 single-row commits: %d rebuilds", rebuilds)
	if rebuilds > 200 {
		t.Errorf("%d rebuilds for 1,000 commits", rebuilds)
	}
}

// TestReplicasStartTogether: two servers started at once on an empty
// database migrate it and load the demo network once.
func TestReplicasStartTogether(t *testing.T) {
	t.Parallel()
	url := pgtest.NewEmptyURL(t)
	vars := appVars(url, map[string]string{"GRAPPE_DEMO": "true"})
	apps := make([]*App, 2)
	var wg sync.WaitGroup
	for i := range apps {
		wg.Go(func() { apps[i] = startApp(t, vars) })
	}
	wg.Wait()
	for _, app := range apps {
		defer app.Close()
	}
	sqlDB, err := sql.Open("pg", url)
	if err != nil {
		t.Fatal(err)
	}
	defer sqlDB.Close()
	var members, trades, migrations int
	if err := sqlDB.QueryRow(`SELECT (SELECT count(*) FROM members), (SELECT count(*) FROM trades),
		(SELECT count(*) FROM bun_migrations)`).Scan(&members, &trades, &migrations); err != nil {
		t.Fatal(err)
	}
	staff := staffToken(t)
	for i, app := range apps {
		d := post(t, app.URL(), staff, `{ members { totalCount } }`, nil)
		if got := int(d["members"].(map[string]any)["totalCount"].(float64)); got != 182 {
			t.Errorf("server %d counts %d active members, want the demo's 182", i, got)
		}
	}
	if members < 182 || members > 250 || trades == 0 {
		t.Errorf("%d members and %d trades: the demo loaded twice or not at all", members, trades)
	}
	t.Logf("%d members, %d trades, %d migrations recorded", members, trades, migrations)
}

// TestOwnWritesRebuildOnce: a server's own write rebuilds its graph once;
// the database's announcement of it, which the new graph already holds,
// costs no second rebuild. The other server's lags are measured.
func TestOwnWritesRebuildOnce(t *testing.T) {
	t.Parallel()
	url := pgtest.NewURL(t)
	vars := appVars(url, map[string]string{"GRAPPE_RATE_LIMIT": noRateLimit})
	a, b := startApp(t, vars), startApp(t, vars)
	defer a.Close()
	defer b.Close()
	staff := staffToken(t)
	start := a.network.Rebuilds()
	const writes = 10
	for i := range writes {
		post(t, a.URL(), staff, createMember, map[string]any{"name": fmt.Sprintf("Own %d", i)})
		waitFor(t, "the member in both graphs", 30*time.Second, func() bool {
			return a.network.Snapshot().NodeCount() == i+1 && b.network.Snapshot().NodeCount() == i+1
		})
	}
	time.Sleep(100 * time.Millisecond) // the last announcement delivered
	// Once each; an announcement that comes while a rebuild is under way
	// may cost one more, but never one per write.
	if got := a.network.Rebuilds() - start; got < writes || got > writes*3/2 {
		t.Errorf("%d own writes rebuilt the graph %d times", writes, got)
	}
	lags := b.network.Lags()
	if len(lags) != writes {
		t.Fatalf("the other server measured %d lags, want %d", len(lags), writes)
	}
	slices.Sort(lags)
	t.Logf("commit-to-graph lag on the other server: median %s, most %s", lags[writes/2], lags[writes-1])
}
