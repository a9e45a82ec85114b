package postgres_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"grappe/domain"
	"grappe/postgres"
	"grappe/postgres/pgtest"
)

// dbWithTradeTree returns a test database with trades ROOT (1), its
// sub-trades ROOT.A (2) and ROOT.B (3), and OTHER (4).
func dbWithTradeTree(t *testing.T) *postgres.DB {
	t.Helper()
	db := pgtest.NewDB(t)
	if _, err := db.Bun().ExecContext(context.Background(), `INSERT INTO trades (id, code, name_en, name_fr, parent_id) VALUES
		(1, 'ROOT', 'Root', 'Racine', NULL), (2, 'ROOT.A', 'A', 'A', 1), (3, 'ROOT.B', 'B', 'B', 1), (4, 'OTHER', 'Other', 'Autre', NULL)`); err != nil {
		t.Fatal(err)
	}
	return db
}

// TestTradeMembersPages: a trade lists the ACTIVE members of its subtree
// once each, by name, page after page; its count agrees; the name and
// status kept on the (member, trade) rows follow the members' changes.
func TestTradeMembersPages(t *testing.T) {
	t.Parallel()
	db := dbWithTradeTree(t)
	ms := createMembers(t, db, "Echo", "Bravo", "Delta", "Alpha", "Charlie", "Foxtrot")
	trades := map[int][]int64{0: {2}, 1: {3}, 2: {2, 3}, 3: {1}, 4: {4}, 5: {2}} // Delta in both sub-trades
	for i, ids := range trades {
		if _, err := db.MemberDetails().SetMemberTrades(staff, ms[i].ID, ids); err != nil {
			t.Fatal(err)
		}
	}
	svc := db.Members()
	list := func(trade int64, first int) []string {
		t.Helper()
		var got []string
		after := ""
		for {
			pages, err := svc.MembersOfTrades(staff, []int64{trade, 4}, domain.PageRequest{First: &first, After: after})
			if err != nil {
				t.Fatal(err)
			}
			p := pages[trade]
			got = append(got, names(p.Items)...)
			if !p.HasNextPage {
				return got
			}
			after = p.Cursor(len(p.Items) - 1)
		}
	}
	count := func(trade int64) int {
		t.Helper()
		n, err := svc.CountMembersOfTrades(staff, []int64{trade})
		if err != nil {
			t.Fatal(err)
		}
		return n[trade]
	}
	want := []string{"Alpha", "Bravo", "Delta", "Echo", "Foxtrot"}
	for _, first := range []int{1, 2, 20} {
		if got := list(1, first); !slices.Equal(got, want) {
			t.Errorf("root by %d: %v, want %v", first, got, want)
		}
	}
	if got := list(2, 2); !slices.Equal(got, []string{"Delta", "Echo", "Foxtrot"}) {
		t.Errorf("sub-trade A: %v", got)
	}
	if n := count(1); n != 5 {
		t.Errorf("count of root = %d, want 5", n)
	}

	// Renamed, Echo moves first; a lapsed Bravo leaves every list.
	if _, err := svc.UpdateMember(staff, ms[0].ID, domain.MemberPatch{Name: domain.Some("Aaron")}); err != nil {
		t.Fatal(err)
	}
	leftOn := time.Now().UTC().Truncate(24 * time.Hour)
	if _, err := db.MemberDetails().EndMembership(staff, ms[1].ID, &leftOn); err != nil {
		t.Fatal(err)
	}
	if got := list(1, 2); !slices.Equal(got, []string{"Aaron", "Alpha", "Delta", "Foxtrot"}) {
		t.Errorf("after a rename and an end of membership: %v", got)
	}
	if n := count(1); n != 4 {
		t.Errorf("count after an end of membership = %d, want 4", n)
	}
	if got := list(4, 5); !slices.Equal(got, []string{"Charlie"}) {
		t.Errorf("other trade: %v", got)
	}
	// Backward pages are refused.
	last := 2
	if _, err := svc.MembersOfTrades(staff, []int64{1}, domain.PageRequest{Last: &last}); domain.ErrorCode(err) != domain.CodeBadUserInput {
		t.Errorf("last: %v", err)
	}
}

// TestDirectoryByTradeIndex: a member list filtered on trades and sorted by
// name, read through the trades' index, pages forward and backward in both
// directions over the ACTIVE members of the subtree matching the rest of
// the filter, each once.
func TestDirectoryByTradeIndex(t *testing.T) {
	t.Parallel()
	db := dbWithTradeTree(t)
	all := []string{"Kilo", "Bravo", "Delta", "Alpha", "Juliett", "Foxtrot", "Hotel", "India", "Golf", "Echo", "Charlie"}
	ms := createMembers(t, db, all...)
	for i, m := range ms {
		trades := [][]int64{{2}, {3}, {2, 3}, {1}, {4}}[i%5]
		region := []string{"Bretagne", "Normandie"}[i%2]
		if _, err := db.Members().UpdateMember(staff, m.ID, domain.MemberPatch{TradeIDs: domain.Some(trades),
			Address: domain.Some(domain.Address{City: "X", Region: region})}); err != nil {
			t.Fatal(err)
		}
	}
	leftOn := time.Now().UTC().Truncate(24 * time.Hour)
	if _, err := db.MemberDetails().EndMembership(staff, ms[5].ID, &leftOn); err != nil { // Foxtrot, trade 2
		t.Fatal(err)
	}
	filter := domain.MemberFilter{TradeIDs: []int64{1}, Regions: []string{"Bretagne"}}
	// In Bretagne (even positions), in the subtree of ROOT (not i%5 == 4),
	// ACTIVE (not Foxtrot).
	var want []string
	for i, n := range all {
		if i%2 == 0 && i%5 != 4 && i != 5 {
			want = append(want, n)
		}
	}
	slices.Sort(want)
	for _, desc := range []bool{false, true} {
		order := domain.MemberOrder{Field: domain.OrderByName, Descending: desc}
		exp := slices.Clone(want)
		if desc {
			slices.Reverse(exp)
		}
		two := 2
		var got []string
		after := ""
		for {
			p, err := db.Members().Members(staff, filter, order, domain.PageRequest{First: &two, After: after})
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, names(p.Items)...)
			if !p.HasNextPage {
				break
			}
			after = p.Cursor(len(p.Items) - 1)
		}
		if !slices.Equal(got, exp) {
			t.Errorf("desc=%v forward: %v, want %v", desc, got, exp)
		}
		got = nil
		before := ""
		for {
			p, err := db.Members().Members(staff, filter, order, domain.PageRequest{Last: &two, Before: before})
			if err != nil {
				t.Fatal(err)
			}
			got = append(names(p.Items), got...)
			if !p.HasPreviousPage {
				break
			}
			before = p.Cursor(0)
		}
		if !slices.Equal(got, exp) {
			t.Errorf("desc=%v backward: %v, want %v", desc, got, exp)
		}
		if n, err := db.Members().CountMembers(staff, filter); err != nil || n != len(want) {
			t.Errorf("count %d, %v; want %d", n, err, len(want))
		}
	}
}
