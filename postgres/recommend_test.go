package postgres_test

import (
	"reflect"
	"slices"
	"testing"

	"grappe/domain"
	"grappe/postgres/pgtest"
)

func TestRecommendService(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := analyst
	// Trades A < B < C by id; A–B described, C–A not; member 1 has B, so
	// it matches A from trade_high's side and C from trade_low's side.
	_, err := db.Bun().ExecContext(ctx, `
		INSERT INTO trades (id, code, name_en, name_fr) VALUES (1, 'A', 'Alpha trade', 'A'), (2, 'B', 'Bravo trade', 'B'), (3, 'C', 'Charlie trade', 'C');
		INSERT INTO trade_complements (trade_low, trade_high, kind, description) VALUES
			(1, 2, 'SUPPLY', 'supplies you'), (1, 2, 'SERVICE', NULL), (2, 3, 'DISTRIBUTION', NULL);
		INSERT INTO members (id, name, kind, region, joined_on, left_on) VALUES
			(1, 'Me', 'COMPANY', 'Bretagne', '2020-01-01', NULL), (2, 'Zed', 'COMPANY', 'Bretagne', '2020-01-01', NULL),
			(3, 'Éclair', 'COMPANY', 'Bretagne', '2020-01-01', NULL), (4, 'Ant', 'COMPANY', 'Bretagne', '2020-01-01', NULL),
			(5, 'Gone', 'COMPANY', 'Bretagne', '2020-01-01', '2021-01-01'), (6, 'Far', 'COMPANY', 'Occitanie', '2020-01-01', NULL);
		INSERT INTO member_trades VALUES (1, 2), (2, 1), (3, 3), (5, 1), (1, 1);
		INSERT INTO questions (id, text, theme, raised_by) VALUES (1, 'q1', 'OTHER', 1), (2, 'q2', 'OTHER', 1);
		INSERT INTO working_groups (id, question_id, name, theme) VALUES (1, 1, 'g1', 'OTHER'), (2, 2, 'g2', 'OTHER');
		INSERT INTO group_participants (group_id, member_id, role, left_at) VALUES
			(1, 1, 'LEAD', NULL), (1, 2, 'MEMBER', NULL), (1, 3, 'MEMBER', now()), (1, 5, 'MEMBER', NULL),
			(2, 1, 'LEAD', NULL), (2, 2, 'MEMBER', NULL), (2, 6, 'MEMBER', NULL);`)
	if err != nil {
		t.Fatal(err)
	}
	svc := db.Recommendations()

	got, err := svc.ComplementMatches(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := []domain.ComplementMatch{
		{Candidate: 2, TradeID: 2, TradeName: "Bravo trade", OtherTradeID: 1, OtherName: "Alpha trade", Kind: domain.ComplementService},
		{Candidate: 2, TradeID: 2, TradeName: "Bravo trade", OtherTradeID: 1, OtherName: "Alpha trade", Kind: domain.ComplementSupply, Description: "supplies you"},
		{Candidate: 3, TradeID: 2, TradeName: "Bravo trade", OtherTradeID: 3, OtherName: "Charlie trade", Kind: domain.ComplementDistribution},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("complement matches = %+v\nwant %+v", got, want)
	}

	groups, err := svc.SharedGroups(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(groups, map[int64]int{2: 2, 6: 1}) {
		t.Fatalf("shared groups = %v", groups)
	}

	// The ids whatever their status, then the first ACTIVE members of the
	// region by name in byte order (Éclair after Zed), not excluded.
	ms, err := svc.RecommendationMembers(ctx, []int64{5, 6}, "Bretagne", []int64{1, 5, 6}, 2)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, m := range ms {
		ids = append(ids, m.ID)
	}
	slices.Sort(ids)
	if !slices.Equal(ids, []int64{2, 4, 5, 6}) {
		t.Fatalf("members = %v, want [2 4 5 6]", ids)
	}
	ms, err = svc.RecommendationMembers(ctx, nil, "", nil, 10)
	if err != nil || len(ms) != 0 {
		t.Fatalf("no ids, no region: %v %v", ms, err)
	}
}
