package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"grappe/domain"
	"grappe/postgres"
	"grappe/postgres/pgtest"
)

// openTest opens a pool on a fresh database with opts, closed at the end
// of the test.
func openTest(t *testing.T, opts postgres.Options) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), pgtest.NewURL(t), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// transientCode returns the client-facing code of err after MapTransient.
func transientCode(err error) string { return domain.ErrorCode(postgres.MapTransient(err)) }

// TestPoolWait holds the only connection of a pool with a pool wait: a
// statement with a far deadline fails with UNAVAILABLE after the pool
// wait, not at its deadline; once it has a connection, a statement, a
// result set and a transaction may each run longer than the pool wait.
func TestPoolWait(t *testing.T) {
	t.Parallel()
	const wait = 200 * time.Millisecond
	db := openTest(t, postgres.Options{MaxOpenConns: 1, PoolWait: wait})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	held, err := db.Bun().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	var n int
	err = db.Bun().NewRaw("SELECT 1").Scan(ctx, &n)
	elapsed := time.Since(start)
	if transientCode(err) != domain.CodeUnavailable || elapsed < wait || elapsed > wait+time.Second {
		t.Fatalf("with the pool exhausted: %v (%s) after %s; want UNAVAILABLE after %s", err, transientCode(err), elapsed, wait)
	}
	if msg := domain.ErrorMessage(postgres.MapTransient(err)); msg != postgres.ErrPoolBusy.Message {
		t.Errorf("message %q", msg)
	}
	_ = held.Close()

	// Slower than the pool wait, each after getting the connection.
	if err := db.Bun().NewRaw("SELECT 7 FROM pg_sleep(0.4)").Scan(ctx, &n); err != nil || n != 7 {
		t.Fatalf("statement slower than the pool wait: %d, %v", n, err)
	}
	rows, err := db.Bun().QueryContext(ctx, "SELECT generate_series(1, 3)")
	if err != nil {
		t.Fatal(err)
	}
	sum := 0
	for rows.Next() {
		time.Sleep(150 * time.Millisecond)
		var v int
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		sum += v
	}
	if err := rows.Err(); err != nil || sum != 6 {
		t.Fatalf("rows read slower than the pool wait: sum %d, %v", sum, err)
	}
	rows.Close()
	err = db.Bun().RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.ExecContext(ctx, "CREATE TABLE slow_tx (v int)"); err != nil {
			return err
		}
		time.Sleep(2 * wait)
		_, err := tx.ExecContext(ctx, "INSERT INTO slow_tx VALUES (1)")
		return err
	})
	if err != nil {
		t.Fatalf("transaction longer than the pool wait: %v", err)
	}
	if err := db.Bun().NewRaw("SELECT count(*) FROM slow_tx").Scan(ctx, &n); err != nil || n != 1 {
		t.Fatalf("slow transaction committed %d rows, %v", n, err)
	}

	// Without a deadline (background work), the wait is the context's.
	held, err = db.Bun().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	go func() { time.Sleep(2 * wait); _ = held.Close() }()
	if err := db.Bun().NewRaw("SELECT 1").Scan(context.Background(), &n); err != nil {
		t.Fatalf("background statement: %v", err)
	}
}

// TestStatementTimeout: the server cancels a statement that outlives the
// statement timeout, which reads as TIMEOUT; the connection serves on.
func TestStatementTimeout(t *testing.T) {
	t.Parallel()
	db := openTest(t, postgres.Options{MaxOpenConns: 1, StatementTimeout: 200 * time.Millisecond})
	ctx := context.Background()
	start := time.Now()
	_, err := db.Bun().ExecContext(ctx, "SELECT pg_sleep(3)")
	if transientCode(err) != domain.CodeTimeout || time.Since(start) > 2*time.Second {
		t.Fatalf("statement past statement_timeout: %v (%s) after %s", err, transientCode(err), time.Since(start))
	}
	var n int
	if err := db.Bun().NewRaw("SELECT 1").Scan(ctx, &n); err != nil {
		t.Fatalf("after the timeout: %v", err)
	}

	// The request's own deadline reads as TIMEOUT too.
	dctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if _, err := db.Bun().ExecContext(dctx, "SELECT pg_sleep(3)"); transientCode(err) != domain.CodeTimeout {
		t.Fatalf("statement past its context's deadline: %v (%s)", err, transientCode(err))
	}
}

// TestTerminatedConnectionIsReplaced: a pooled connection whose backend
// was terminated (as by a server restart) is discarded before use, so the
// next statement succeeds on a new one instead of failing.
func TestTerminatedConnectionIsReplaced(t *testing.T) {
	t.Parallel()
	db := openTest(t, postgres.Options{MaxOpenConns: 1})
	ctx := context.Background()
	var pid int
	if err := db.Bun().NewRaw("SELECT pg_backend_pid()").Scan(ctx, &pid); err != nil {
		t.Fatal(err)
	}
	admin := pgtest.NewDB(t)
	var ok bool
	if err := admin.Bun().NewRaw("SELECT pg_terminate_backend(?, 5000)", pid).Scan(ctx, &ok); err != nil || !ok {
		t.Fatalf("terminate backend %d: %v, %v", pid, ok, err)
	}
	var again int
	if err := db.Bun().NewRaw("SELECT pg_backend_pid()").Scan(ctx, &again); err != nil || again == pid {
		t.Fatalf("after the backend was terminated: pid %d (was %d), %v", again, pid, err)
	}
}
