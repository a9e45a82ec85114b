package postgres_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"grappe/domain"
	"grappe/postgres"
	"grappe/postgres/pgtest"
)

// preparedOn returns the statements prepared on the pool's only connection
// whose text contains like.
func preparedOn(t *testing.T, db *postgres.DB, like string) int {
	t.Helper()
	var n int
	err := db.Bun().NewRaw("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE ?", "%"+like+"%").
		Scan(context.Background(), &n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestPreparedLookups: a lookup runs unprepared the first time, then as a
// statement prepared on the connection, with the same answer; each run
// counts as one statement.
func TestPreparedLookups(t *testing.T) {
	t.Parallel()
	db := openTest(t, postgres.Options{MaxOpenConns: 1})
	ms := createMembers(t, db, "Alpha", "Bêta", "Gamma")
	ids := []int64{ms[2].ID, ms[0].ID, 999999}
	for run := 1; run <= 3; run++ {
		ctx, count := postgres.WithStatementCounter(staff)
		got, err := db.Members().MembersByIDs(ctx, ids, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[ms[0].ID].Name != "Alpha" || got[ms[2].ID].Name != "Gamma" || got[ms[2].ID].Headcount == nil || *got[ms[2].ID].Headcount != 20 {
			t.Fatalf("run %d: %+v", run, got)
		}
		if count.Load() != 1 {
			t.Errorf("run %d counted %d statements", run, count.Load())
		}
		want := 0
		if run > 1 {
			want = 1
		}
		if n := preparedOn(t, db, "m.id = ANY($1::bigint[])"); n != want || db.PreparedCount() != want {
			t.Errorf("after run %d: %d prepared on the connection, %d in the cache; want %d", run, n, db.PreparedCount(), want)
		}
	}
	// Runs 2 and 3 used the generic plan, planned once: none was replanned.
	var generic, custom int
	err := db.Bun().NewRaw("SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE ?",
		"%m.id = ANY($1::bigint[])%").Scan(context.Background(), &generic, &custom)
	if err != nil || generic != 2 || custom != 0 {
		t.Errorf("generic plans %d, custom plans %d (%v); want 2 and 0", generic, custom, err)
	}
}

// TestPreparedCap: past MaxPrepared texts, new ones run unprepared and
// still answer.
func TestPreparedCap(t *testing.T) {
	t.Parallel()
	db := openTest(t, postgres.Options{MaxOpenConns: 2})
	ctx := context.Background()
	for i := range postgres.MaxPrepared + 20 {
		for range 2 {
			var got []int64
			if err := db.SelectPrepared(ctx, fmt.Sprintf("SELECT $1::bigint + %d", i), &got, int64(1000)); err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || got[0] != int64(1000+i) {
				t.Fatalf("text %d: %v", i, got)
			}
		}
	}
	if n := db.PreparedCount(); n != postgres.MaxPrepared {
		t.Errorf("%d texts prepared; want the bound %d", n, postgres.MaxPrepared)
	}
}

// TestPreparedPoolWait: a prepared statement waits for a connection as
// bun's do (UNAVAILABLE after the pool wait), and once it has one it may
// run longer than the pool wait.
func TestPreparedPoolWait(t *testing.T) {
	t.Parallel()
	const wait = 200 * time.Millisecond
	db := openTest(t, postgres.Options{MaxOpenConns: 1, PoolWait: wait})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	const slow = "SELECT $1::int FROM pg_sleep(0.4)"
	for range 2 { // prepared by the second
		var got []int
		if err := db.SelectPrepared(ctx, slow, &got, 7); err != nil || len(got) != 1 || got[0] != 7 {
			t.Fatalf("slower than the pool wait: %v, %v", got, err)
		}
	}
	if db.PreparedCount() != 1 {
		t.Fatalf("%d prepared", db.PreparedCount())
	}
	held, err := db.Bun().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	var got []int
	err = db.SelectPrepared(ctx, slow, &got, 7)
	elapsed := time.Since(start)
	_ = held.Close()
	if transientCode(err) != domain.CodeUnavailable || elapsed < wait || elapsed > wait+time.Second {
		t.Fatalf("with the pool exhausted: %v after %s; want UNAVAILABLE after %s", err, elapsed, wait)
	}
	if err := db.SelectPrepared(ctx, slow, &got, 8); err != nil || len(got) != 1 || got[0] != 8 {
		t.Fatalf("once the connection is free: %v, %v", got, err)
	}
}

// TestPreparedAfterConnectionLoss: when PostgreSQL ends the connection a
// statement was prepared on, the next run prepares it on a new one.
func TestPreparedAfterConnectionLoss(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := pgtest.NewURL(t)
	db, err := postgres.Open(ctx, url, postgres.Options{MaxOpenConns: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ms := createMembers(t, db, "Delta")
	for range 2 {
		if _, err := db.Members().MembersByIDs(ctx, []int64{ms[0].ID}, false); err != nil {
			t.Fatal(err)
		}
	}
	var pid int
	if err := db.Bun().NewRaw("SELECT pg_backend_pid()").Scan(ctx, &pid); err != nil {
		t.Fatal(err)
	}
	other, err := postgres.Open(ctx, url, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.Bun().ExecContext(ctx, "SELECT pg_terminate_backend(?)", pid); err != nil {
		t.Fatal(err)
	}
	var got map[int64]*domain.Member
	for range 3 { // database/sql may hand out the dead connection once
		if got, err = db.Members().MembersByIDs(ctx, []int64{ms[0].ID}, false); err == nil {
			break
		}
	}
	if err != nil || got[ms[0].ID] == nil || got[ms[0].ID].Name != "Delta" {
		t.Fatalf("after the connection was ended: %v, %v", got, err)
	}
	if n := preparedOn(t, db, "m.id = ANY($1::bigint[])"); n != 1 {
		t.Errorf("%d prepared on the new connection", n)
	}
}
