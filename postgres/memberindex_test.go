package postgres_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"grappe/demo"
	"grappe/postgres"
	"grappe/postgres/pgtest"
)

// exists asks db whether member id exists, failing the test on an error,
// and returns the answer with the statements the question ran.
func exists(t *testing.T, db *postgres.DB, id int64) (bool, int64) {
	t.Helper()
	ctx, n := postgres.WithStatementCounter(context.Background())
	ok, err := db.MemberExists(ctx, id)
	if err != nil {
		t.Fatalf("MemberExists(%d): %v", id, err)
	}
	return ok, n.Load()
}

func TestMemberIndex(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := context.Background()
	if _, err := db.Bun().ExecContext(ctx, `
		INSERT INTO members (id, name, kind, joined_on, left_on) VALUES
		  (1, 'Alpha', 'COMPANY', '2020-01-01', NULL),
		  (2, 'Bravo', 'COMPANY', '2020-01-01', '2025-06-30');
		SELECT setval('members_id_seq', 2)`); err != nil {
		t.Fatal(err)
	}

	// The first question loads the ids: an ACTIVE and a LAPSED member exist.
	if ok, n := exists(t, db, 1); !ok || n != 1 {
		t.Fatalf("ACTIVE member: exists %v after %d statements, want true after the 1 load", ok, n)
	}
	if ok, n := exists(t, db, 2); !ok || n != 0 {
		t.Fatalf("LAPSED member: exists %v after %d statements, want true after none", ok, n)
	}

	// Known members cost no statement, however often they are asked for.
	for range 100 {
		if ok, n := exists(t, db, 1); !ok || n != 0 {
			t.Fatalf("known member: exists %v after %d statements", ok, n)
		}
	}

	// A member created through this pool is known at once.
	created := createMembers(t, db, "Charlie")[0]
	if ok, n := exists(t, db, created.ID); !ok || n != 0 {
		t.Fatalf("created member: exists %v after %d statements, want true after none", ok, n)
	}
	if got := db.MemberIndexLoads(); got != 1 {
		t.Fatalf("%d loads, want 1", got)
	}

	// A member inserted by another process is found by the load its first
	// question causes.
	if _, err := db.Bun().ExecContext(ctx, `INSERT INTO members (id, name, kind, joined_on) VALUES (50, 'Delta', 'COMPANY', '2020-01-01')`); err != nil {
		t.Fatal(err)
	}
	if ok, n := exists(t, db, 50); !ok || n != 1 {
		t.Fatalf("member inserted outside: exists %v after %d statements, want true after 1 load", ok, n)
	}

	// An id that is no member is looked for in one load begun after the
	// question; questions asked together share it.
	before := db.MemberIndexLoads()
	start := time.Now()
	var wg sync.WaitGroup
	answers := make([]bool, 20)
	for i := range answers {
		wg.Go(func() {
			ok, err := db.MemberExists(ctx, 999)
			if err != nil {
				t.Error(err)
			}
			answers[i] = ok
		})
	}
	wg.Wait()
	for i, ok := range answers {
		if ok {
			t.Fatalf("question %d: member 999 exists", i)
		}
	}
	// One load, a second after the previous one; a question scheduled late
	// may need the next, a second later still.
	loads := db.MemberIndexLoads() - before
	if loads < 1 || loads > 2 || time.Since(start) > time.Duration(loads+1)*time.Second {
		t.Fatalf("20 questions for an unknown member: %d loads in %s, want 1 or 2, a second apart", loads, time.Since(start))
	}
	if ok, n := exists(t, db, 1); !ok || n != 0 {
		t.Fatalf("known member after the loads: exists %v after %d statements", ok, n)
	}
}

func TestMemberIndexDatabaseError(t *testing.T) {
	t.Parallel()
	db, err := postgres.Open(context.Background(), pgtest.NewURL(t), postgres.Options{MaxOpenConns: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	// The answer is unknown: an error, not "no such member".
	if ok, err := db.MemberExists(context.Background(), 1); err == nil || ok {
		t.Fatalf("MemberExists on a closed pool = %v, %v; want an error", ok, err)
	}
}

// TestMemberIndexAfterReplace: replacing the data through the pool makes
// the ids of the members gone unknown.
func TestMemberIndexAfterReplace(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := context.Background()
	if _, err := db.Bun().ExecContext(ctx, `INSERT INTO members (id, name, kind, joined_on) VALUES (90000, 'Gone', 'COMPANY', '2020-01-01')`); err != nil {
		t.Fatal(err)
	}
	if ok, _ := exists(t, db, 90000); !ok {
		t.Fatal("member 90000 does not exist before the replacement")
	}
	ds := demo.Generate(demo.Options{Members: 30, Seed: 6, Today: loadToday})
	if err := db.ReplaceWithDemo(ctx, ds); err != nil {
		t.Fatal(err)
	}
	if ok, _ := exists(t, db, 90000); ok {
		t.Fatal("member 90000 exists after the replacement")
	}
	if ok, _ := exists(t, db, ds.Members[0].ID); !ok {
		t.Fatalf("member %d of the new data does not exist", ds.Members[0].ID)
	}
}
