package postgres_test

import (
	"context"
	"log/slog"
	"slices"
	"testing"
	"time"

	"grappe/domain"
	"grappe/network"
	"grappe/postgres/pgtest"
)

func TestNetworkStoreFollowsWrites(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ms := createMembers(t, db, "Alpha", "Beta", "Gamma")
	a, b, c := ms[0], ms[1], ms[2]
	store := network.NewStore(db.NetworkGraph, slog.New(slog.DiscardHandler))
	db.OnNetworkChange = func() { store.Invalidate() }
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := store.Start(ctx); err != nil {
		t.Fatal(err)
	}
	snap := store.Snapshot()
	if snap.NodeCount() != 3 || snap.EdgeCount() != 0 {
		t.Fatalf("first snapshot has %d nodes, %d edges; want 3, 0", snap.NodeCount(), snap.EdgeCount())
	}

	// A PENDING link is not an edge; once confirmed it is, with its id.
	l := declare(t, db, staff, a, b, domain.LinkSupply)
	declare(t, db, staff, b, c, domain.LinkPartnership) // stays PENDING
	if _, err := db.Links().Confirm(staff, l.ID); err != nil {
		t.Fatal(err)
	}
	snap, err := store.Await(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if snap.EdgeCount() != 1 {
		t.Fatalf("after the confirmation: %d edges, want 1", snap.EdgeCount())
	}
	p, ok := snap.ShortestPath(b.ID, a.ID, 6)
	if !ok || !slices.Equal(p.Members, []int64{b.ID, a.ID}) || !slices.Equal(p.Links, []int64{l.ID}) {
		t.Fatalf("path b→a = %+v, %v; want members [%d %d] link %d", p, ok, b.ID, a.ID, l.ID)
	}
	if snap.AsOf.IsZero() {
		t.Error("asOf not set")
	}

	// A lapsed member leaves the graph with its edges.
	if _, err := db.MemberDetails().EndMembership(staff, a.ID, nil); err != nil {
		t.Fatal(err)
	}
	snap, err = store.Await(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	if snap.Contains(a.ID) || snap.NodeCount() != 2 || snap.EdgeCount() != 0 {
		t.Fatalf("after the lapse: %d nodes, %d edges, contains a = %v", snap.NodeCount(), snap.EdgeCount(), snap.Contains(a.ID))
	}
}
