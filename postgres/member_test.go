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

func TestMain(m *testing.M) { pgtest.Main(m) }

var staff = domain.WithViewer(context.Background(), domain.Viewer{Role: domain.RoleStaff})

func intp(n int) *int { return &n }

// createMembers adds members named by names, in order, and returns them.
func createMembers(t *testing.T, db *postgres.DB, names ...string) []*domain.Member {
	t.Helper()
	out := make([]*domain.Member, len(names))
	for i, n := range names {
		m, err := db.Members().CreateMember(staff, domain.MemberInput{Name: n, Kind: domain.KindCompany, Headcount: intp(i * 10)})
		if err != nil {
			t.Fatalf("create %s: %v", n, err)
		}
		out[i] = m
	}
	return out
}

func names(ms []*domain.Member) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Name
	}
	return out
}

func TestMembersKeysetPagination(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	createMembers(t, db, "Echo", "Alpha", "Delta", "Charlie", "Bravo")
	svc := db.Members()

	p1, err := svc.Members(staff, domain.MemberFilter{}, domain.DefaultMemberOrder, domain.PageRequest{First: intp(2)})
	if err != nil {
		t.Fatal(err)
	}
	if got := names(p1.Items); len(got) != 2 || got[0] != "Alpha" || got[1] != "Bravo" {
		t.Fatalf("page 1 = %v", got)
	}
	if !p1.HasNextPage || p1.HasPreviousPage {
		t.Fatalf("page 1 flags next=%v prev=%v", p1.HasNextPage, p1.HasPreviousPage)
	}
	p2, err := svc.Members(staff, domain.MemberFilter{}, domain.DefaultMemberOrder, domain.PageRequest{First: intp(2), After: p1.Cursor(1)})
	if err != nil {
		t.Fatal(err)
	}
	if got := names(p2.Items); got[0] != "Charlie" || got[1] != "Delta" || !p2.HasNextPage || !p2.HasPreviousPage {
		t.Fatalf("page 2 = %v next=%v", got, p2.HasNextPage)
	}
	p3, _ := svc.Members(staff, domain.MemberFilter{}, domain.DefaultMemberOrder, domain.PageRequest{First: intp(2), After: p2.Cursor(1)})
	if got := names(p3.Items); len(got) != 1 || got[0] != "Echo" || p3.HasNextPage {
		t.Fatalf("page 3 = %v next=%v", got, p3.HasNextPage)
	}
	// Backward from the end of page 3.
	back, err := svc.Members(staff, domain.MemberFilter{}, domain.DefaultMemberOrder, domain.PageRequest{Last: intp(3), Before: p3.Cursor(0)})
	if err != nil {
		t.Fatal(err)
	}
	if got := names(back.Items); len(got) != 3 || got[0] != "Bravo" || got[2] != "Delta" || !back.HasPreviousPage || !back.HasNextPage {
		t.Fatalf("backward page = %v prev=%v next=%v", got, back.HasPreviousPage, back.HasNextPage)
	}
	// Descending headcount: Echo (40) first.
	desc, _ := svc.Members(staff, domain.MemberFilter{}, domain.MemberOrder{Field: domain.OrderByHeadcount, Descending: true}, domain.PageRequest{First: intp(2)})
	if got := names(desc.Items); got[0] != "Bravo" || got[1] != "Charlie" {
		t.Fatalf("by headcount desc = %v", got)
	}
	// A cursor of one order is refused by another.
	_, err = svc.Members(staff, domain.MemberFilter{}, domain.MemberOrder{Field: domain.OrderByJoinedOn}, domain.PageRequest{After: p1.Cursor(0)})
	if domain.ErrorCode(err) != domain.CodeBadUserInput {
		t.Fatalf("foreign cursor: %v", err)
	}
	n, err := svc.CountMembers(staff, domain.MemberFilter{})
	if err != nil || n != 5 {
		t.Fatalf("count = %d, %v", n, err)
	}
}

func TestCreateMemberRules(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	svc := db.Members()
	m, err := svc.CreateMember(staff, domain.MemberInput{
		Name: "  Capteurs Dubois ", Kind: domain.KindCompany, Headcount: intp(12), LegalID: "732 829 320",
		Address: &domain.Address{City: "Cergy", PostalCode: "95000"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if m.Name != "Capteurs Dubois" || m.LegalID != "732829320" || m.SizeClass() != domain.SizeSmall ||
		m.Address.Department != "95" || m.Address.Region != "Île-de-France" || m.Address.Country != "FR" || m.Status != domain.StatusActive {
		t.Fatalf("created %+v", m)
	}
	if y, mo, d := m.JoinedOn.Date(); time.Date(y, mo, d, 0, 0, 0, 0, time.UTC).After(time.Now()) {
		t.Fatalf("joinedOn %v", m.JoinedOn)
	}
	cases := []struct {
		name  string
		ctx   context.Context
		in    domain.MemberInput
		code  string
		field string
	}{
		{"duplicate SIREN", staff, domain.MemberInput{Name: "X", Kind: domain.KindCompany, LegalID: "732829320"}, domain.CodeConflict, "legalId"},
		{"bad Luhn", staff, domain.MemberInput{Name: "X", Kind: domain.KindCompany, LegalID: "732829321"}, domain.CodeBadUserInput, "legalId"},
		{"blank name", staff, domain.MemberInput{Name: "   ", Kind: domain.KindCompany}, domain.CodeBadUserInput, "name"},
		{"NUL byte", staff, domain.MemberInput{Name: "a\x00b", Kind: domain.KindCompany}, domain.CodeBadUserInput, "name"},
		{"unknown trade", staff, domain.MemberInput{Name: "X", Kind: domain.KindCompany, TradeIDs: []int64{999}}, domain.CodeBadUserInput, "tradeIds"},
		{"member may not create", domain.WithViewer(context.Background(), domain.Viewer{Role: domain.RoleMember, MemberID: m.ID}),
			domain.MemberInput{Name: "X", Kind: domain.KindCompany}, domain.CodeForbidden, ""},
	}
	for _, c := range cases {
		_, err := svc.CreateMember(c.ctx, c.in)
		var de *domain.Error
		if domain.ErrorCode(err) != c.code {
			t.Errorf("%s: got %v, want %s", c.name, err, c.code)
			continue
		}
		if c.field != "" {
			if errorAs(err, &de); de.Field != c.field {
				t.Errorf("%s: field %q, want %q", c.name, de.Field, c.field)
			}
		}
	}
	n, _ := svc.CountMembers(staff, domain.MemberFilter{})
	if n != 1 {
		t.Fatalf("refused creations changed the database: %d members", n)
	}
}

func TestMemberSearch(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	svc := db.Members()
	for _, in := range []domain.MemberInput{
		{Name: "Étalonnage Dubois", Kind: domain.KindCompany, Description: "Laboratoire d'étalonnage de capteurs de température"},
		{Name: "Capteurs Martin", Kind: domain.KindCompany, Description: "Fabricant de capteurs de pression"},
		{Name: "Optique Bernard", Kind: domain.KindCompany, Description: "Calibration services for optical instruments"},
		{Name: "Hexa Distribution", Kind: domain.KindCompany, Description: "Distributeur"},
	} {
		if _, err := svc.CreateMember(staff, in); err != nil {
			t.Fatal(err)
		}
	}
	search := func(q string, order domain.MemberOrder) []string {
		t.Helper()
		p, err := svc.Members(staff, domain.MemberFilter{Search: q}, order, domain.PageRequest{})
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		return names(p.Items)
	}
	// Accents and case do not matter; French stems match plurals.
	if got := search("ETALONNAGE", domain.MemberOrder{}); len(got) != 1 || got[0] != "Étalonnage Dubois" {
		t.Fatalf("ETALONNAGE: %v", got)
	}
	if got := search("capteur", domain.MemberOrder{}); len(got) != 2 || got[0] != "Capteurs Martin" {
		// Ranked: the name match (weight A) comes before the description match.
		t.Fatalf("capteur: %v", got)
	}
	if got := search("calibration", domain.MemberOrder{}); len(got) != 1 || got[0] != "Optique Bernard" {
		t.Fatalf("English stem: %v", got)
	}
	if got := search("capteur", domain.MemberOrder{Field: domain.OrderByName}); len(got) != 2 || got[0] != "Capteurs Martin" || got[1] != "Étalonnage Dubois" {
		t.Fatalf("capteur by name: %v", got)
	}
	if got := search("x'); DROP TABLE members; --", domain.MemberOrder{}); len(got) != 0 {
		t.Fatalf("metacharacters: %v", got)
	}
	// Paging through ranked results with a cursor.
	p1, err := svc.Members(staff, domain.MemberFilter{Search: "capteurs"}, domain.MemberOrder{}, domain.PageRequest{First: intp(1)})
	if err != nil || len(p1.Items) != 1 || !p1.HasNextPage {
		t.Fatalf("ranked page 1: %v %+v", err, p1)
	}
	p2, err := svc.Members(staff, domain.MemberFilter{Search: "capteurs"}, domain.MemberOrder{}, domain.PageRequest{First: intp(1), After: p1.Cursor(0)})
	if err != nil || len(p2.Items) != 1 || p2.Items[0].ID == p1.Items[0].ID || p2.HasNextPage {
		t.Fatalf("ranked page 2: %v %+v", err, p2)
	}
	if _, err := svc.Members(staff, domain.MemberFilter{Search: "autre"}, domain.MemberOrder{}, domain.PageRequest{After: p1.Cursor(0)}); domain.ErrorCode(err) != domain.CodeBadUserInput {
		t.Fatalf("cursor of another search: %v", err)
	}
	n, err := svc.CountMembers(staff, domain.MemberFilter{Search: "capteurs"})
	if err != nil || n != 2 {
		t.Fatalf("count = %d %v", n, err)
	}
}

// TestMemberFilterSubTrades: a trade filter includes the sub-trades at
// every depth; trades created through grappe and trades unknown at the
// last read of the taxonomy are seen at once; with the taxonomy read, the
// filter is one statement.
func TestMemberFilterSubTrades(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := context.Background()
	if _, err := db.Bun().ExecContext(ctx, `
		INSERT INTO trades (id, code, name_en, name_fr, parent_id) VALUES
			(1, 'A', 'A', 'A', NULL), (2, 'A.1', 'A1', 'A1', 1), (3, 'A.1.X', 'A1X', 'A1X', 2), (4, 'B', 'B', 'B', NULL);
		INSERT INTO members (id, name, kind, joined_on) VALUES
			(1, 'Un', 'COMPANY', '2020-01-01'), (2, 'Deux', 'COMPANY', '2020-01-01'), (3, 'Trois', 'COMPANY', '2020-01-01');
		INSERT INTO member_trades VALUES (1, 3), (2, 4), (3, 1);
		SELECT setval(pg_get_serial_sequence('trades', 'id'), 100);`); err != nil {
		t.Fatal(err)
	}
	svc := db.Members()
	find := func(trades ...int64) []string {
		t.Helper()
		p, err := svc.Members(staff, domain.MemberFilter{TradeIDs: trades}, domain.MemberOrder{}, domain.PageRequest{})
		if err != nil {
			t.Fatal(err)
		}
		n, err := svc.CountMembers(staff, domain.MemberFilter{TradeIDs: trades})
		if err != nil || n != len(p.Items) {
			t.Fatalf("count %d, %v for %d listed", n, err, len(p.Items))
		}
		return names(p.Items)
	}
	for _, c := range []struct {
		trades []int64
		want   []string
	}{
		{[]int64{1}, []string{"Trois", "Un"}}, // A, and A.1.X two levels down
		{[]int64{2}, []string{"Un"}},
		{[]int64{2, 4}, []string{"Deux", "Un"}},
		{[]int64{999}, []string{}},
	} {
		if got := find(c.trades...); !slices.Equal(got, c.want) {
			t.Errorf("trades %v: %v, want %v", c.trades, got, c.want)
		}
	}
	// Warm, one statement.
	cctx, count := postgres.WithStatementCounter(staff)
	if _, err := svc.Members(cctx, domain.MemberFilter{TradeIDs: []int64{1}}, domain.MemberOrder{}, domain.PageRequest{}); err != nil || count.Load() != 1 {
		t.Errorf("warm filter: %d statements, %v", count.Load(), err)
	}
	// A trade added by hand, unknown to the taxonomy read before.
	if _, err := db.Bun().ExecContext(ctx, `INSERT INTO trades (id, code, name_en, name_fr) VALUES (5, 'C', 'C', 'C');
		INSERT INTO members (id, name, kind, joined_on) VALUES (4, 'Quatre', 'COMPANY', '2020-01-01');
		INSERT INTO member_trades VALUES (4, 5);`); err != nil {
		t.Fatal(err)
	}
	if got := find(5); !slices.Equal(got, []string{"Quatre"}) {
		t.Errorf("trade added by hand: %v", got)
	}
	// A sub-trade created through grappe, under a known trade.
	b1, err := db.TradeWrites().CreateTrade(staff, domain.TradeInput{Code: "B.1", NameEN: "B1", NameFR: "B1", ParentID: ptr(int64(4))})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Bun().ExecContext(ctx, `INSERT INTO members (id, name, kind, joined_on) VALUES (5, 'Cinq', 'COMPANY', '2020-01-01');
		INSERT INTO member_trades VALUES (5, ?)`, b1.ID); err != nil {
		t.Fatal(err)
	}
	if got := find(4); !slices.Equal(got, []string{"Cinq", "Deux"}) {
		t.Errorf("sub-trade created through grappe: %v", got)
	}
}
