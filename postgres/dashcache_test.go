package postgres_test

import (
	"context"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"grappe/domain"
	"grappe/postgres"
	"grappe/postgres/pgtest"
)

// cachedDashboardDB is dashboardDB with dashboard blocks kept for ttl.
func cachedDashboardDB(t *testing.T, ttl time.Duration) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), pgtest.NewURL(t), postgres.Options{DashboardCache: ttl})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	fixture, err := os.ReadFile("testdata/dashboard.sql")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Bun().ExecContext(context.Background(), string(fixture)); err != nil {
		t.Fatal(err)
	}
	db.Now = func() time.Time { return time.Date(2026, 6, 15, 10, 0, 0, 0, time.UTC) }
	return db
}

// memberCount returns the dashboard's member count and the statements it
// took.
func memberCount(t *testing.T, db *postgres.DB, viewer context.Context, f domain.DashboardFilter) (int, int64) {
	t.Helper()
	ctx, n := postgres.WithStatementCounter(viewer)
	count, err := db.Dashboards().MemberCount(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	return count, n.Load()
}

// TestDashboardCache: a block asked again is served as computed, without a
// statement, per filter; a write through the pool, or the TTL, makes it
// computed again; the viewer's right is checked on every request.
func TestDashboardCache(t *testing.T) {
	t.Parallel()
	db := cachedDashboardDB(t, time.Minute)
	all, idf := domain.DashboardFilter{}, domain.DashboardFilter{Regions: []string{"Île-de-France"}}
	for _, c := range []struct {
		filter     domain.DashboardFilter
		count      int
		statements int64
	}{
		{all, 7, 1}, {all, 7, 0}, {idf, 4, 1}, {idf, 4, 0}, {all, 7, 0},
	} {
		if n, st := memberCount(t, db, analyst, c.filter); n != c.count || st != c.statements {
			t.Errorf("%+v: %d members in %d statements, want %d in %d", c.filter, n, st, c.count, c.statements)
		}
	}
	// A member joins through the pool: computed again, counted; then it
	// leaves, in a transaction: computed again.
	ctx := context.Background()
	if _, err := db.Bun().ExecContext(ctx, "INSERT INTO members (id, name, kind, joined_on) VALUES (10, 'Juliett', 'COMPANY', '2026-06-01')"); err != nil {
		t.Fatal(err)
	}
	if n, st := memberCount(t, db, analyst, all); n != 8 || st != 1 {
		t.Errorf("after a new member: %d in %d statements, want 8 in 1", n, st)
	}
	err := db.Bun().RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.ExecContext(ctx, "UPDATE members SET left_on = '2026-06-10' WHERE id = 10")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if n, st := memberCount(t, db, analyst, all); n != 7 || st != 1 {
		t.Errorf("after it left: %d in %d statements, want 7 in 1", n, st)
	}
	// A member may not read what an analyst's request left.
	member := domain.WithViewer(context.Background(), domain.Viewer{Role: domain.RoleMember, MemberID: 1})
	if _, err := db.Dashboards().MemberCount(member, all); domain.ErrorCode(err) != domain.CodeForbidden {
		t.Errorf("member: %v", err)
	}

	short := cachedDashboardDB(t, 50*time.Millisecond)
	memberCount(t, short, analyst, all)
	time.Sleep(80 * time.Millisecond)
	if _, st := memberCount(t, short, analyst, all); st != 1 {
		t.Errorf("after the TTL: %d statements, want 1", st)
	}
}

// TestDashboardCacheSharesComputations: requests for a block being
// computed wait for it: eight at once cost one statement in all.
func TestDashboardCacheSharesComputations(t *testing.T) {
	t.Parallel()
	db := cachedDashboardDB(t, time.Minute)
	var statements atomic.Int64
	var wg sync.WaitGroup
	start := make(chan struct{})
	for range 8 {
		wg.Go(func() {
			ctx, n := postgres.WithStatementCounter(analyst)
			<-start
			stats, err := db.Dashboards().EngagementStats(ctx, domain.DashboardFilter{}, 5)
			if err != nil || stats == nil {
				t.Errorf("engagement: %v", err)
			}
			statements.Add(n.Load())
		})
	}
	close(start)
	wg.Wait()
	if n := statements.Load(); n != 1 {
		t.Errorf("%d statements for eight requests, want 1", n)
	}
}
