package postgres_test

import (
	"sync"
	"testing"

	"grappe/domain"
	"grappe/postgres"
	"grappe/postgres/pgtest"
)

// showWith creates a show of 2024 with an exhibitor for each member.
func showWith(t *testing.T, db *postgres.DB, members ...*domain.Member) (*domain.TradeShow, []*domain.Exhibitor) {
	t.Helper()
	svc := db.TradeShows()
	s, err := svc.CreateTradeShow(staff, domain.TradeShowInput{Edition: 1, City: "Lyon", Venue: "Eurexpo",
		StartsOn: *datep("2024-10-01"), EndsOn: *datep("2024-10-03")})
	if err != nil {
		t.Fatal(err)
	}
	var out []*domain.Exhibitor
	for i, m := range members {
		e, err := svc.AddExhibitor(staff, domain.ExhibitorInput{TradeShowID: s.ID, MemberID: &m.ID, Booth: string(rune('A' + i))})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
	return s, out
}

// race runs f n times at once and counts the outcomes by code.
func race(n int, f func(i int) error) map[string]int {
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = f(i)
		}()
	}
	close(start)
	wg.Wait()
	out := map[string]int{}
	for _, err := range errs {
		out[domain.ErrorCode(err)]++
	}
	return out
}

// TestConcurrentLeadsAndConversions: the same visitor recorded at once by
// its exhibitor, or the same lead converted at once, gives one lead and one
// link; the others get CONFLICT.
func TestConcurrentLeadsAndConversions(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ms := createMembers(t, db, "Alpha", "Bravo")
	a, b := ms[0], ms[1]
	s, ex := showWith(t, db, a)
	svc := db.TradeShows()
	const n = 8
	var lead *domain.Lead
	var mu sync.Mutex
	got := race(n, func(int) error {
		l, err := svc.RecordLead(as(a.ID), domain.LeadInput{TradeShowID: s.ID, ExhibitorID: ex[0].ID, VisitorMemberID: &b.ID})
		if err == nil {
			mu.Lock()
			lead = l
			mu.Unlock()
		}
		return err
	})
	if got[""] != 1 || got[domain.CodeConflict] != n-1 {
		t.Fatalf("recording the same visitor %d times: %v", n, got)
	}
	got = race(n, func(i int) error {
		ctx := as(a.ID)
		if i%2 == 1 {
			ctx = staff
		}
		_, _, err := svc.ConvertLeadToLink(ctx, domain.LeadConversion{LeadID: lead.ID, Kind: domain.LinkKind([]string{"SUPPLY", "REFERRAL"}[i%2])})
		return err
	})
	if got[""] != 1 || got[domain.CodeConflict] != n-1 {
		t.Fatalf("converting one lead %d times: %v", n, got)
	}
	if c := countLinks(t, db); c != 1 {
		t.Fatalf("%d links, want 1", c)
	}
	leads, err := svc.LeadsByIDs(analyst, []int64{lead.ID})
	if err != nil || leads[lead.ID] == nil || leads[lead.ID].ConvertedLinkID == nil {
		t.Fatalf("the lead after the conversions: %+v, %v", leads[lead.ID], err)
	}
}

// TestLeadReadsFollowVisibility: a member reads the leads of its own
// exhibitors, analysts and staff all, anonymous callers none (FORBIDDEN
// for a list, absent by id); counts count what the viewer reads.
func TestLeadReadsFollowVisibility(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ms := createMembers(t, db, "Alpha", "Bravo", "Charlie")
	a, b, c := ms[0], ms[1], ms[2]
	s, ex := showWith(t, db, a, b)
	svc := db.TradeShows()
	var ids []int64
	for _, in := range []domain.LeadInput{
		{TradeShowID: s.ID, ExhibitorID: ex[0].ID, VisitorMemberID: &b.ID},
		{TradeShowID: s.ID, ExhibitorID: ex[0].ID, VisitorMemberID: &c.ID},
		{TradeShowID: s.ID, ExhibitorID: ex[1].ID, VisitorMemberID: &a.ID, ScannedAt: datep("2024-10-02")},
	} {
		l, err := svc.RecordLead(staff, in)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, l.ID)
	}
	for _, v := range []struct {
		name  string
		count int
	}{
		{"Alpha", 2}, {"Bravo", 1}, {"Charlie", 0}, {"analyst", 3},
	} {
		ctx := analyst
		switch v.name {
		case "Alpha":
			ctx = as(a.ID)
		case "Bravo":
			ctx = as(b.ID)
		case "Charlie":
			ctx = as(c.ID)
		}
		pages, err := svc.LeadsOfShows(ctx, []int64{s.ID}, domain.PageRequest{})
		if err != nil {
			t.Fatal(err)
		}
		counts, err := svc.CountLeadsOfShows(ctx, []int64{s.ID})
		if err != nil {
			t.Fatal(err)
		}
		byID, err := svc.LeadsByIDs(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		if len(pages[s.ID].Items) != v.count || counts[s.ID] != v.count || len(byID) != v.count {
			t.Errorf("%s reads %d leads (count %d, by id %d), want %d", v.name, len(pages[s.ID].Items), counts[s.ID], len(byID), v.count)
		}
		if v.count == 3 && !pages[s.ID].Items[0].ScannedAt.After(pages[s.ID].Items[2].ScannedAt) {
			t.Errorf("not the latest scanned first: %+v", pages[s.ID].Items)
		}
	}
	if _, err := svc.LeadsOfShows(anonymous, []int64{s.ID}, domain.PageRequest{}); domain.ErrorCode(err) != domain.CodeForbidden {
		t.Errorf("anonymous list: %v", err)
	}
	if byID, err := svc.LeadsByIDs(anonymous, ids); err != nil || len(byID) != 0 {
		t.Errorf("anonymous by id: %v, %v", byID, err)
	}
	// A lead of a lapsed member's exhibitor stays readable by it.
	lapse(t, db, a)
	if pages, err := svc.LeadsOfShows(as(a.ID), []int64{s.ID}, domain.PageRequest{}); err != nil || len(pages[s.ID].Items) != 2 {
		t.Errorf("lapsed Alpha reads %v, %v", pages, err)
	}
	if _, err := svc.RecordLead(as(a.ID), domain.LeadInput{TradeShowID: s.ID, ExhibitorID: ex[0].ID, VisitorCompany: ptr("Visiteur SA")}); domain.ErrorCode(err) != domain.CodeForbidden {
		t.Errorf("lapsed Alpha records: %v", err)
	}
}
