package postgres_test

import (
	"context"
	"testing"
	"time"

	"grappe/demo"
	"grappe/domain"
	"grappe/postgres/pgtest"
)

// BenchmarkLookups measures the batched lookups behind a page of 50
// members (what a loader batch runs), as prepared statements on a
// 2,000-member demo network:
//
//	go test -run '^$' -bench Lookups -count 6 ./postgres > old.txt
func BenchmarkLookups(b *testing.B) {
	db := pgtest.NewDB(b)
	ctx := context.Background()
	today := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := db.LoadDemoIfEmpty(ctx, demo.Generate(demo.Options{Members: 2000, Seed: 1, Today: today})); err != nil {
		b.Fatal(err)
	}
	ids := make([]int64, 50)
	for i := range ids {
		ids[i] = int64(100 + 7*i)
	}
	first := 10
	page := domain.PageRequest{First: &first}
	for _, c := range []struct {
		name string
		run  func() error
	}{
		{"members", func() error { _, err := db.Members().MembersByIDs(analyst, ids, false); return err }},
		{"trades", func() error { _, err := db.Trades().TradesOfMembers(analyst, ids); return err }},
		{"contacts", func() error { _, err := db.MemberDetails().ContactsOfMembers(analyst, ids); return err }},
		{"links+counterparts", func() error {
			_, _, err := db.Links().MembersLinksWithCounterparts(analyst, ids, domain.DirectionAny, domain.LinkFilter{}, page, true)
			return err
		}},
		{"links", func() error {
			_, err := db.Links().MembersLinks(analyst, ids, domain.DirectionAny, domain.LinkFilter{}, page)
			return err
		}},
		{"profile", func() error {
			_, err := db.MemberDetails().MembersWithDetails(analyst, ids[:1], domain.ProfileParts{Contacts: true, Trades: true, Groups: &page})
			return err
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				if err := c.run(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
