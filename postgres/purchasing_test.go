package postgres_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"grappe/domain"
	"grappe/postgres"
	"grappe/postgres/pgtest"
)

// TestCloseDueCampaignsOnce: servers closing the campaigns due at once,
// on two pools of one database, while members commit to them: each
// campaign is closed, and its closing recorded, exactly once, and no
// commitment lands after its campaign's closesAt.
func TestCloseDueCampaignsOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := pgtest.NewURL(t)
	dbs := make([]*postgres.DB, 2)
	for i := range dbs {
		db, err := postgres.Open(ctx, url, postgres.Options{MaxOpenConns: 8})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		dbs[i] = db
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := dbs[0].Bun().ExecContext(ctx, q, args...); err != nil {
			t.Fatal(err)
		}
	}
	const campaigns = 40
	exec(`INSERT INTO members (name, kind, joined_on) SELECT 'M' || g, 'COMPANY', '2020-01-01' FROM generate_series(1, 20) g`)
	// Due one after the other over the next second and a half.
	exec(`INSERT INTO purchasing_campaigns (title, supplier, unit, list_price, negotiated_price, opens_at, closes_at, status)
		SELECT 'C' || g, 'S', 'u', 100, 90, now() - interval '1 hour', now() + interval '500 milliseconds' + g * interval '25 milliseconds', 'OPEN'
		FROM generate_series(1, ?) g`, campaigns)
	var ids, members []int64
	if err := dbs[0].Bun().NewRaw("SELECT id FROM purchasing_campaigns ORDER BY id").Scan(ctx, &ids); err != nil {
		t.Fatal(err)
	}
	if err := dbs[0].Bun().NewRaw("SELECT id FROM members ORDER BY id").Scan(ctx, &members); err != nil {
		t.Fatal(err)
	}

	stop := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	closedBy := map[int64]int{}
	// Four closers on each pool, looking every few milliseconds.
	for i := range 8 {
		db := dbs[i%2]
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				got, err := db.CloseDueCampaigns(ctx)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				for _, id := range got {
					closedBy[id]++
				}
				mu.Unlock()
				time.Sleep(time.Millisecond)
			}
		})
	}
	// Members committing all along, through both pools.
	for i, m := range members {
		db := dbs[i%2]
		sc := domain.WithViewer(ctx, domain.Viewer{Role: domain.RoleMember, MemberID: m})
		wg.Go(func() {
			for q := 1; ; q++ {
				select {
				case <-stop:
					return
				default:
				}
				_, err := db.Purchasing().Commit(sc, ids[q%len(ids)], m, q)
				if code := domain.ErrorCode(err); err != nil && code != domain.CodeConflict {
					t.Errorf("commit: %v", err)
					return
				}
			}
		})
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		var open int
		if err := dbs[0].Bun().NewRaw("SELECT count(*) FROM purchasing_campaigns WHERE status = 'OPEN'").Scan(ctx, &open); err != nil {
			t.Fatal(err)
		}
		if open == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d campaigns still OPEN", open)
		}
		time.Sleep(20 * time.Millisecond)
	}
	close(stop)
	wg.Wait()

	if len(closedBy) != campaigns {
		t.Errorf("%d campaigns closed, want %d", len(closedBy), campaigns)
	}
	for id, n := range closedBy {
		if n != 1 {
			t.Errorf("campaign %d closed %d times", id, n)
		}
	}
	var entries []struct {
		Target  string
		Subject string
	}
	if err := dbs[0].Bun().NewRaw(`SELECT targets[1] AS target, subject FROM audit_log WHERE mutation = 'closePurchasingCampaign'`).
		Scan(ctx, &entries); err != nil {
		t.Fatal(err)
	}
	targets := make([]string, len(entries))
	for i, e := range entries {
		targets[i] = e.Target
		if e.Subject != postgres.CampaignCloserSubject {
			t.Errorf("closing recorded for %q", e.Subject)
		}
	}
	slices.Sort(targets)
	if len(targets) != campaigns || len(slices.Compact(targets)) != campaigns {
		t.Errorf("%d closings recorded for %d campaigns: %v", len(entries), campaigns, targets)
	}
	var late, wrong int
	if err := dbs[0].Bun().NewRaw(`SELECT
			(SELECT count(*) FROM campaign_commitments cc JOIN purchasing_campaigns pc ON pc.id = cc.campaign_id WHERE cc.committed_at >= pc.closes_at),
			(SELECT count(*) FROM purchasing_campaigns WHERE status <> 'CLOSED' OR closed_at <> closes_at)`).Scan(ctx, &late, &wrong); err != nil {
		t.Fatal(err)
	}
	if late != 0 || wrong != 0 {
		t.Errorf("%d commitments after closesAt, %d campaigns not closed at their closesAt", late, wrong)
	}
	// Nothing is due any more.
	if next, err := dbs[1].NextCampaignClosing(ctx); err != nil || next != nil {
		t.Errorf("next closing %v, %v", next, err)
	}
}
