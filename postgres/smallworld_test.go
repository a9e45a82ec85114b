package postgres_test

import (
	"context"
	"testing"
	"time"

	"grappe/network"
	"grappe/postgres/pgtest"
)

func TestSmallWorldRoundTrip(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := context.Background()
	if got, err := db.LatestSmallWorld(ctx); err != nil || got != nil {
		t.Fatalf("before any computation: %+v, %v; want nil, nil", got, err)
	}
	at := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	first := network.SmallWorldRun{
		SmallWorld: network.SmallWorld{Sigma: 3.25, Omega: -0.125, Seed: 2147483646, Niter: 5, Nrand: 5, MemberCount: 182},
		ComputedAt: at, RandomGraphs: 5, SnapshotVersion: 7,
	}
	saved, err := db.SaveSmallWorld(ctx, first)
	if err != nil {
		t.Fatal(err)
	}
	if saved.ID == 0 {
		t.Error("no id returned")
	}
	second := first
	second.Sigma, second.Omega, second.Seed, second.ComputedAt, second.SnapshotVersion = 2.5, 0.0625, 9, at.Add(time.Hour), 8
	if _, err := db.SaveSmallWorld(ctx, second); err != nil {
		t.Fatal(err)
	}
	got, err := db.LatestSmallWorld(ctx)
	if err != nil || got == nil {
		t.Fatalf("latest: %+v, %v", got, err)
	}
	if got.Sigma != 2.5 || got.Omega != 0.0625 || got.Seed != 9 || got.Niter != 5 || got.Nrand != 5 ||
		got.RandomGraphs != 5 || got.MemberCount != 182 || got.SnapshotVersion != 8 || !got.ComputedAt.Equal(at.Add(time.Hour)) {
		t.Errorf("latest = %+v", got)
	}
}
