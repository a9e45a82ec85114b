package postgres_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"grappe/domain"
	"grappe/postgres/pgtest"
)

func TestExportMembers(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := context.Background()
	_, err := db.Bun().ExecContext(ctx, `
		INSERT INTO trades (id, code, name_en, name_fr) VALUES (1, 'METAL', 'Metal', 'Métal'), (2, 'AUTO.PARTS', 'Parts', 'Pièces');
		INSERT INTO members (id, name, kind, headcount, region, joined_on, left_on) VALUES
			(3, 'A & B <"C">', 'COMPANY', 12, 'Bretagne', '2020-01-01', NULL),
			(1, 'Labo', 'LABORATORY', NULL, NULL, '2020-01-01', NULL),
			(2, 'Partie', 'COMPANY', 300, 'Normandie', '2020-01-01', '2024-01-01');
		INSERT INTO member_trades (member_id, trade_id) VALUES (3, 1), (3, 2), (2, 1);`)
	if err != nil {
		t.Fatal(err)
	}
	var got []domain.MemberAttributes
	if err := db.ExportMembers(ctx, func(m domain.MemberAttributes) error {
		got = append(got, m)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := []domain.MemberAttributes{
		{ID: 1, Name: "Labo", Kind: domain.KindLaboratory},
		{ID: 2, Name: "Partie", Kind: domain.KindCompany, SizeClass: domain.SizeLarge, Region: "Normandie", Trades: []string{"METAL"}},
		{ID: 3, Name: `A & B <"C">`, Kind: domain.KindCompany, SizeClass: domain.SizeSmall, Region: "Bretagne", Trades: []string{"AUTO.PARTS", "METAL"}},
	}
	if !slices.EqualFunc(got, want, func(a, b domain.MemberAttributes) bool {
		return a.ID == b.ID && a.Name == b.Name && a.Kind == b.Kind && a.SizeClass == b.SizeClass && a.Region == b.Region && slices.Equal(a.Trades, b.Trades)
	}) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}

	// An error from the callback stops the rows and comes back as is.
	stop := errors.New("client gone")
	calls := 0
	err = db.ExportMembers(ctx, func(domain.MemberAttributes) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Fatalf("stopping: %v after %d rows", err, calls)
	}
	if err := db.Ping(ctx); err != nil {
		t.Fatalf("connection left unusable: %v", err)
	}
}
