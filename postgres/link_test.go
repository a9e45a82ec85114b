package postgres_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"grappe/domain"
	"grappe/postgres"
	"grappe/postgres/pgtest"
)

var (
	analyst   = domain.WithViewer(context.Background(), domain.Viewer{Role: domain.RoleAnalyst})
	anonymous = domain.WithViewer(context.Background(), domain.Anonymous)
)

func datep(s string) *time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return &t
}

// lapse ends the membership of m.
func lapse(t *testing.T, db *postgres.DB, m *domain.Member) {
	t.Helper()
	if _, err := db.Bun().ExecContext(context.Background(), "UPDATE members SET left_on = joined_on WHERE id = ?", m.ID); err != nil {
		t.Fatal(err)
	}
}

// countLinks returns the number of rows of business_links.
func countLinks(t *testing.T, db *postgres.DB) int {
	t.Helper()
	var n int
	if err := db.Bun().NewRaw("SELECT count(*) FROM business_links").Scan(context.Background(), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// declare declares a link that must be accepted.
func declare(t *testing.T, db *postgres.DB, ctx context.Context, from, to *domain.Member, kind domain.LinkKind) *domain.BusinessLink {
	t.Helper()
	l, err := db.Links().Declare(ctx, domain.LinkInput{FromID: from.ID, ToID: to.ID, Kind: kind, VolumeBand: domain.Volume10KTo100K})
	if err != nil {
		t.Fatalf("declare %s %s→%s: %v", kind, from.Name, to.Name, err)
	}
	return l
}

// fieldOf returns the input field an error names.
func fieldOf(err error) string {
	var de *domain.Error
	if errorAs(err, &de) {
		return de.Field
	}
	return ""
}

func TestDeclareLinkRules(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ms := createMembers(t, db, "Alpha", "Bravo", "Charlie", "Lapsed")
	a, b, c, gone := ms[0], ms[1], ms[2], ms[3]
	lapse(t, db, gone)
	declare(t, db, as(a.ID), a, b, domain.LinkSupply)
	declare(t, db, as(a.ID), a, b, domain.LinkPartnership)
	before := countLinks(t, db)

	svc := db.Links()
	in := func(from, to *domain.Member, kind domain.LinkKind) domain.LinkInput {
		return domain.LinkInput{FromID: from.ID, ToID: to.ID, Kind: kind}
	}
	cases := []struct {
		name  string
		ctx   context.Context
		in    domain.LinkInput
		code  string
		field string
	}{
		{"self-link", as(a.ID), in(a, a, domain.LinkSupply), domain.CodeBadUserInput, "toId"},
		{"self-link by staff", staff, in(b, b, domain.LinkReferral), domain.CodeBadUserInput, "toId"},
		{"duplicate live link", staff, in(a, b, domain.LinkSupply), domain.CodeConflict, ""},
		{"symmetric duplicate the other way", as(b.ID), in(b, a, domain.LinkPartnership), domain.CodeConflict, ""},
		{"member declaring for others", as(a.ID), in(b, c, domain.LinkSupply), domain.CodeForbidden, ""},
		{"lapsed member declaring", as(gone.ID), in(gone, a, domain.LinkSupply), domain.CodeForbidden, ""},
		{"lapsed party", as(a.ID), in(a, gone, domain.LinkSupply), domain.CodeBadUserInput, "toId"},
		{"lapsed party from", as(a.ID), in(gone, a, domain.LinkSupply), domain.CodeBadUserInput, "fromId"},
		{"unknown party", as(a.ID), domain.LinkInput{FromID: a.ID, ToID: 999999, Kind: domain.LinkSupply}, domain.CodeNotFound, "toId"},
		{"analyst writes nothing", analyst, in(a, c, domain.LinkSupply), domain.CodeForbidden, ""},
		{"anonymous writes nothing", anonymous, in(a, c, domain.LinkSupply), domain.CodeForbidden, ""},
		{"unknown kind", as(a.ID), in(a, c, "BARTER"), domain.CodeBadUserInput, "kind"},
		{"unknown band", as(a.ID), domain.LinkInput{FromID: a.ID, ToID: c.ID, Kind: domain.LinkSupply, VolumeBand: "HUGE"}, domain.CodeBadUserInput, "volumeBand"},
		{"unknown origin", as(a.ID), domain.LinkInput{FromID: a.ID, ToID: c.ID, Kind: domain.LinkSupply, Origin: "LUCK"}, domain.CodeBadUserInput, "origin"},
		{"since in the future", as(a.ID), domain.LinkInput{FromID: a.ID, ToID: c.ID, Kind: domain.LinkSupply, Since: datep("2999-01-01")}, domain.CodeBadUserInput, "since"},
		{"note too long", as(a.ID), domain.LinkInput{FromID: a.ID, ToID: c.ID, Kind: domain.LinkSupply, Note: strings.Repeat("é", 2001)}, domain.CodeBadUserInput, "note"},
		{"note with NUL", as(a.ID), domain.LinkInput{FromID: a.ID, ToID: c.ID, Kind: domain.LinkSupply, Note: "a\x00b"}, domain.CodeBadUserInput, "note"},
	}
	for _, tc := range cases {
		_, err := svc.Declare(tc.ctx, tc.in)
		if domain.ErrorCode(err) != tc.code || fieldOf(err) != tc.field {
			t.Errorf("%s: got %v, want %s on %q", tc.name, err, tc.code, tc.field)
		}
	}
	if n := countLinks(t, db); n != before {
		t.Fatalf("refused declarations changed the database: %d links, want %d", n, before)
	}

	// The same kind the other way round is another link, for an ordered kind.
	l := declare(t, db, as(b.ID), b, a, domain.LinkSupply)
	if l.Status != domain.LinkPending || l.DeclaredBy != b.ID || l.Origin != domain.OriginOther || l.Since.IsZero() {
		t.Fatalf("declared %+v", l)
	}
	// Staff declares for anyone, on behalf of from.
	l = declare(t, db, staff, c, a, domain.LinkReferral)
	if l.DeclaredBy != c.ID {
		t.Fatalf("staff declaration declaredBy = %d, want from %d", l.DeclaredBy, c.ID)
	}
}

func TestRedeclareAfterDeclinedOrEnded(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ms := createMembers(t, db, "Alpha", "Bravo")
	a, b := ms[0], ms[1]
	svc := db.Links()

	first := declare(t, db, as(a.ID), a, b, domain.LinkJointBid)
	if _, err := svc.Decline(as(b.ID), first.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Confirm(as(b.ID), first.ID); domain.ErrorCode(err) != domain.CodeConflict {
		t.Fatalf("confirming a declined link: %v", err)
	}
	// Declined: a new declaration, even the other way round, is allowed.
	second := declare(t, db, as(b.ID), b, a, domain.LinkJointBid)
	if _, err := svc.Confirm(as(a.ID), second.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Declare(as(a.ID), domain.LinkInput{FromID: a.ID, ToID: b.ID, Kind: domain.LinkJointBid}); domain.ErrorCode(err) != domain.CodeConflict {
		t.Fatalf("duplicate of a confirmed symmetric link: %v", err)
	}
	if _, err := svc.End(as(a.ID), second.ID, nil); err != nil {
		t.Fatal(err)
	}
	// Ended: allowed again.
	declare(t, db, as(a.ID), a, b, domain.LinkJointBid)
	if n := countLinks(t, db); n != 3 {
		t.Fatalf("%d links, want 3", n)
	}
}

func TestConcurrentDeclarations(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ms := createMembers(t, db, "Alpha", "Bravo")
	a, b := ms[0], ms[1]
	svc := db.Links()
	const n = 10
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Both sides at once, each way round: one PARTNERSHIP per pair.
			ctx, in := as(a.ID), domain.LinkInput{FromID: a.ID, ToID: b.ID, Kind: domain.LinkPartnership}
			if i%2 == 1 {
				ctx, in = as(b.ID), domain.LinkInput{FromID: b.ID, ToID: a.ID, Kind: domain.LinkPartnership}
			}
			<-start
			_, errs[i] = svc.Declare(ctx, in)
		}()
	}
	close(start)
	wg.Wait()
	ok, conflicts := 0, 0
	for _, err := range errs {
		switch domain.ErrorCode(err) {
		case "":
			ok++
		case domain.CodeConflict:
			conflicts++
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	if ok != 1 || conflicts != n-1 {
		t.Fatalf("%d accepted, %d conflicts; want 1 and %d", ok, conflicts, n-1)
	}
	if c := countLinks(t, db); c != 1 {
		t.Fatalf("%d links stored, want 1", c)
	}
}

func TestAnswerAndEndLink(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	now := time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)
	db.Now = func() time.Time { return now }
	ms := createMembers(t, db, "Alpha", "Bravo", "Charlie")
	a, b, c := ms[0], ms[1], ms[2]
	svc := db.Links()

	l, err := svc.Declare(as(a.ID), domain.LinkInput{FromID: a.ID, ToID: b.ID, Kind: domain.LinkSupply, Since: datep("2025-06-01")})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		ctx  context.Context
		code string
	}{
		{"declarer confirms its own link", as(a.ID), domain.CodeForbidden},
		{"a member not a party does not see a pending link", as(c.ID), domain.CodeNotFound},
		{"analyst", analyst, domain.CodeForbidden},
		{"anonymous", anonymous, domain.CodeForbidden},
	} {
		if _, err := svc.Confirm(tc.ctx, l.ID); domain.ErrorCode(err) != tc.code {
			t.Errorf("confirm, %s: %v, want %s", tc.name, err, tc.code)
		}
		if _, err := svc.Decline(tc.ctx, l.ID); domain.ErrorCode(err) != tc.code {
			t.Errorf("decline, %s: %v, want %s", tc.name, err, tc.code)
		}
	}
	if _, err := svc.End(as(a.ID), l.ID, nil); domain.ErrorCode(err) != domain.CodeConflict {
		t.Fatalf("ending a pending link: %v", err)
	}
	if _, err := svc.Confirm(staff, 999999); domain.ErrorCode(err) != domain.CodeNotFound {
		t.Fatalf("confirming nothing: %v", err)
	}

	got, err := svc.Confirm(as(b.ID), l.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != domain.LinkConfirmed || got.ConfirmedAt == nil || !got.ConfirmedAt.Equal(now) {
		t.Fatalf("confirmed %+v", got)
	}
	if _, err := svc.Confirm(as(b.ID), l.ID); domain.ErrorCode(err) != domain.CodeConflict {
		t.Fatalf("confirming twice: %v", err)
	}
	// Confirmed, c sees it but may not end it.
	if _, err := svc.End(as(c.ID), l.ID, nil); domain.ErrorCode(err) != domain.CodeForbidden {
		t.Fatalf("non-party ending: %v", err)
	}
	for _, tc := range []struct {
		until string
		field string
	}{{"2025-05-31", "until"}, {"2026-03-15", "until"}} {
		if _, err := svc.End(as(a.ID), l.ID, datep(tc.until)); domain.ErrorCode(err) != domain.CodeBadUserInput || fieldOf(err) != tc.field {
			t.Errorf("until %s: %v", tc.until, err)
		}
	}
	lapse(t, db, b)
	if _, err := svc.End(as(b.ID), l.ID, nil); domain.ErrorCode(err) != domain.CodeForbidden {
		t.Fatalf("lapsed party ending: %v", err)
	}
	ended, err := svc.End(as(a.ID), l.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ended.Status != domain.LinkEnded || ended.Until == nil || ended.Until.Format(time.DateOnly) != "2026-03-14" {
		t.Fatalf("ended %+v", ended)
	}
	if _, err := svc.End(staff, l.ID, nil); domain.ErrorCode(err) != domain.CodeConflict {
		t.Fatalf("ending twice: %v", err)
	}
}

func TestLinkReadsFollowVisibility(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ms := createMembers(t, db, "Alpha", "Bravo", "Charlie")
	a, b, c := ms[0], ms[1], ms[2]
	svc := db.Links()
	pending := declare(t, db, as(a.ID), a, b, domain.LinkSupply)
	confirmed := declare(t, db, as(a.ID), a, b, domain.LinkReferral)
	if _, err := svc.Confirm(as(b.ID), confirmed.ID); err != nil {
		t.Fatal(err)
	}
	ids := []int64{pending.ID, confirmed.ID}
	for _, tc := range []struct {
		name string
		ctx  context.Context
		want []int64 // visible link ids, newest first
	}{
		{"party", as(a.ID), []int64{confirmed.ID, pending.ID}},
		{"other party", as(b.ID), []int64{confirmed.ID, pending.ID}},
		{"member not a party", as(c.ID), []int64{confirmed.ID}},
		{"analyst", analyst, []int64{confirmed.ID, pending.ID}},
		{"staff", staff, []int64{confirmed.ID, pending.ID}},
	} {
		page, err := svc.Links(tc.ctx, domain.LinkFilter{}, domain.PageRequest{})
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, l := range page.Items {
			got = append(got, l.ID)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s: Links (-want +got)\n%s", tc.name, diff)
		}
		n, _ := svc.CountLinks(tc.ctx, domain.LinkFilter{})
		byID, _ := svc.LinksByIDs(tc.ctx, ids)
		memberLinks, _ := svc.MemberLinks(tc.ctx, a.ID, domain.DirectionAny, domain.LinkFilter{}, domain.PageRequest{})
		memberCount, _ := svc.CountMemberLinks(tc.ctx, a.ID, domain.DirectionAny, domain.LinkFilter{})
		if n != len(tc.want) || len(byID) != len(tc.want) || len(memberLinks.Items) != len(tc.want) || memberCount != len(tc.want) {
			t.Errorf("%s: count %d, by ids %d, member links %d, member count %d; want %d",
				tc.name, n, len(byID), len(memberLinks.Items), memberCount, len(tc.want))
		}
		_, err = svc.Link(tc.ctx, pending.ID)
		if wantErr := !contains(tc.want, pending.ID); (domain.ErrorCode(err) == domain.CodeNotFound) != wantErr {
			t.Errorf("%s: Link(pending) = %v", tc.name, err)
		}
	}
}

// TestAnonymousReadsNoLink: anonymous callers may list no link (FORBIDDEN)
// and read none by id (NOT_FOUND, or left out).
func TestAnonymousReadsNoLink(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ms := createMembers(t, db, "Alpha", "Bravo")
	svc := db.Links()
	l := declare(t, db, staff, ms[0], ms[1], domain.LinkSupply)
	if _, err := svc.Confirm(staff, l.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Links(anonymous, domain.LinkFilter{}, domain.PageRequest{}); domain.ErrorCode(err) != domain.CodeForbidden {
		t.Errorf("Links: %v", err)
	}
	if _, err := svc.CountLinks(anonymous, domain.LinkFilter{}); domain.ErrorCode(err) != domain.CodeForbidden {
		t.Errorf("CountLinks: %v", err)
	}
	if _, err := svc.MemberLinks(anonymous, ms[0].ID, domain.DirectionAny, domain.LinkFilter{}, domain.PageRequest{}); domain.ErrorCode(err) != domain.CodeForbidden {
		t.Errorf("MemberLinks: %v", err)
	}
	if _, err := svc.MembersPartners(anonymous, []int64{ms[0].ID}, domain.PageRequest{}); domain.ErrorCode(err) != domain.CodeForbidden {
		t.Errorf("MembersPartners: %v", err)
	}
	if byID, err := svc.LinksByIDs(anonymous, []int64{l.ID}); err != nil || len(byID) != 0 {
		t.Errorf("LinksByIDs: %v, %v", byID, err)
	}
	if _, err := svc.Link(anonymous, l.ID); domain.ErrorCode(err) != domain.CodeNotFound {
		t.Errorf("Link: %v", err)
	}
}

func contains(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

func TestMembersLinksInOneStatement(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ms := createMembers(t, db, "Alpha", "Bravo", "Charlie", "Delta")
	a, b, c, d := ms[0], ms[1], ms[2], ms[3]
	svc := db.Links()
	ab := declare(t, db, staff, a, b, domain.LinkSupply)
	ca := declare(t, db, staff, c, a, domain.LinkDistribution)
	ad := declare(t, db, staff, a, d, domain.LinkPartnership)
	bc := declare(t, db, staff, b, c, domain.LinkSupply)
	if _, err := svc.Confirm(staff, ab.ID); err != nil {
		t.Fatal(err)
	}

	ids := func(p *domain.Page[*domain.BusinessLink]) []int64 {
		out := []int64{}
		for _, l := range p.Items {
			out = append(out, l.ID)
		}
		return out
	}
	ctx, statements := postgres.WithStatementCounter(staff)
	pages, err := svc.MembersLinks(ctx, []int64{a.ID, b.ID, c.ID, d.ID, a.ID}, domain.DirectionAny, domain.LinkFilter{}, domain.PageRequest{First: intp(2)})
	if err != nil {
		t.Fatal(err)
	}
	if n := statements.Load(); n != 1 {
		t.Fatalf("%d statements for four members, want 1", n)
	}
	want := map[int64][]int64{a.ID: {ad.ID, ca.ID}, b.ID: {bc.ID, ab.ID}, c.ID: {bc.ID, ca.ID}, d.ID: {ad.ID}}
	for id, w := range want {
		if diff := cmp.Diff(w, ids(pages[id])); diff != "" {
			t.Errorf("member %d (-want +got)\n%s", id, diff)
		}
	}
	if !pages[a.ID].HasNextPage || pages[b.ID].HasNextPage || pages[d.ID].HasNextPage {
		t.Errorf("hasNextPage a=%v b=%v d=%v", pages[a.ID].HasNextPage, pages[b.ID].HasNextPage, pages[d.ID].HasNextPage)
	}
	// The same pages with their counterparts, still in one statement.
	if _, err := db.Bun().ExecContext(context.Background(), "UPDATE members SET description = 'Étalons', city = 'Lyon' WHERE id = ?", a.ID); err != nil {
		t.Fatal(err)
	}
	ctx, statements = postgres.WithStatementCounter(staff)
	again, cps, err := svc.MembersLinksWithCounterparts(ctx, []int64{a.ID, b.ID, c.ID, d.ID}, domain.DirectionAny, domain.LinkFilter{}, domain.PageRequest{First: intp(2)}, false)
	if err != nil || statements.Load() != 1 {
		t.Fatalf("with counterparts: %v in %d statements", err, statements.Load())
	}
	for id, w := range want {
		if diff := cmp.Diff(w, ids(again[id])); diff != "" {
			t.Errorf("member %d with counterparts (-want +got)\n%s", id, diff)
		}
	}
	// a's page shows d and c, b's c and a, c's b and a, d's a: all four,
	// each read whole.
	if len(cps) != 4 || cps[a.ID].Name != "Alpha" || cps[a.ID].Description != "Étalons" || cps[d.ID].Name != "Delta" || cps[c.ID].Headcount == nil || *cps[c.ID].Headcount != 20 {
		t.Errorf("counterparts %+v", cps)
	}
	// Brief counterparts lack the description, not the address.
	_, brief, err := svc.MembersLinksWithCounterparts(staff, []int64{b.ID}, domain.DirectionAny, domain.LinkFilter{}, domain.PageRequest{First: intp(2)}, true)
	if err != nil || len(brief) != 2 || brief[a.ID].Name != "Alpha" || brief[a.ID].Description != "" || brief[a.ID].Address.City != "Lyon" ||
		brief[a.ID].Status != domain.StatusActive || brief[c.ID].Headcount == nil || *brief[c.ID].Headcount != 20 {
		t.Errorf("brief counterparts %+v, %v", brief, err)
	}
	// The cursor applies inside each member's list.
	next, err := svc.MemberLinks(staff, a.ID, domain.DirectionAny, domain.LinkFilter{}, domain.PageRequest{First: intp(2), After: pages[a.ID].Cursor(1)})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int64{ab.ID}, ids(next)); diff != "" || next.HasNextPage || !next.HasPreviousPage {
		t.Errorf("page 2 of a (-want +got)\n%s next=%v prev=%v", diff, next.HasNextPage, next.HasPreviousPage)
	}
	// A cursor of another list is refused.
	if _, err := svc.Links(staff, domain.LinkFilter{}, domain.PageRequest{After: pages[a.ID].Cursor(0)}); domain.ErrorCode(err) != domain.CodeBadUserInput {
		t.Errorf("foreign cursor: %v", err)
	}

	for _, tc := range []struct {
		name      string
		direction domain.LinkDirection
		filter    domain.LinkFilter
		want      []int64
	}{
		{"outgoing", domain.DirectionOutgoing, domain.LinkFilter{}, []int64{ad.ID, ab.ID}},
		{"incoming", domain.DirectionIncoming, domain.LinkFilter{}, []int64{ca.ID}},
		{"kinds", domain.DirectionAny, domain.LinkFilter{Kinds: []domain.LinkKind{domain.LinkSupply, domain.LinkDistribution}}, []int64{ca.ID, ab.ID}},
		{"statuses", domain.DirectionAny, domain.LinkFilter{Statuses: []domain.LinkStatus{domain.LinkConfirmed}}, []int64{ab.ID}},
		{"outgoing pending", domain.DirectionOutgoing, domain.LinkFilter{Statuses: []domain.LinkStatus{domain.LinkPending}}, []int64{ad.ID}},
	} {
		p, err := svc.MemberLinks(staff, a.ID, tc.direction, tc.filter, domain.PageRequest{})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tc.want, ids(p)); diff != "" {
			t.Errorf("%s (-want +got)\n%s", tc.name, diff)
		}
		n, err := svc.CountMemberLinks(staff, a.ID, tc.direction, tc.filter)
		if err != nil || n != len(tc.want) {
			t.Errorf("%s: count %d, %v", tc.name, n, err)
		}
	}
	ctx, statements = postgres.WithStatementCounter(staff)
	counts, err := svc.CountMembersLinks(ctx, []int64{a.ID, b.ID, c.ID, d.ID}, domain.DirectionAny, domain.LinkFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[int64]int{a.ID: 3, b.ID: 2, c.ID: 2, d.ID: 1}, counts); diff != "" || statements.Load() != 1 {
		t.Errorf("counts (-want +got)\n%s in %d statements", diff, statements.Load())
	}
	if _, err := svc.MemberLinks(staff, a.ID, "SIDEWAYS", domain.LinkFilter{}, domain.PageRequest{}); domain.ErrorCode(err) != domain.CodeBadUserInput {
		t.Errorf("unknown direction: %v", err)
	}
	// Root filters.
	root, err := svc.Links(staff, domain.LinkFilter{MemberIDs: []int64{d.ID}, Origins: []domain.LinkOrigin{domain.OriginOther}}, domain.PageRequest{})
	if err != nil || len(root.Items) != 1 || root.Items[0].ID != ad.ID {
		t.Errorf("filter by member: %+v, %v", root, err)
	}
	root, err = svc.Links(staff, domain.LinkFilter{SinceAfter: datep("2999-01-01")}, domain.PageRequest{})
	if err != nil || len(root.Items) != 0 {
		t.Errorf("sinceAfter: %+v, %v", root, err)
	}
}

func TestPartnersAreDistinct(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ms := createMembers(t, db, "Alpha", "Bravo", "Charlie", "Delta", "Echo")
	a, b, c, d, e := ms[0], ms[1], ms[2], ms[3], ms[4]
	svc := db.Links()
	for _, l := range []*domain.BusinessLink{
		declare(t, db, staff, a, b, domain.LinkSupply),
		declare(t, db, staff, b, a, domain.LinkPartnership),
		declare(t, db, staff, d, a, domain.LinkReferral),
		declare(t, db, staff, e, a, domain.LinkSupply),
	} {
		if _, err := svc.Confirm(staff, l.ID); err != nil {
			t.Fatal(err)
		}
	}
	declare(t, db, staff, a, c, domain.LinkSupply) // pending: not a partner
	declined := declare(t, db, staff, c, a, domain.LinkReferral)
	if _, err := svc.Decline(staff, declined.ID); err != nil {
		t.Fatal(err)
	}

	ctx, statements := postgres.WithStatementCounter(as(c.ID))
	pages, err := svc.MembersPartners(ctx, []int64{a.ID, b.ID, c.ID}, domain.PageRequest{First: intp(2)})
	if err != nil {
		t.Fatal(err)
	}
	if got := names(pages[a.ID].Items); !cmp.Equal(got, []string{"Bravo", "Delta"}) || !pages[a.ID].HasNextPage {
		t.Errorf("partners of a: %v next=%v", got, pages[a.ID].HasNextPage)
	}
	if got := names(pages[b.ID].Items); !cmp.Equal(got, []string{"Alpha"}) {
		t.Errorf("partners of b: %v", got)
	}
	if got := pages[c.ID].Items; len(got) != 0 {
		t.Errorf("partners of c: %v", names(got))
	}
	if statements.Load() != 1 {
		t.Errorf("%d statements, want 1", statements.Load())
	}
	next, err := svc.Partners(as(c.ID), a.ID, domain.PageRequest{After: pages[a.ID].Cursor(1)})
	if err != nil || !cmp.Equal(names(next.Items), []string{"Echo"}) || next.HasNextPage {
		t.Errorf("page 2 of a's partners: %v, %v", names(next.Items), err)
	}
	counts, err := svc.CountMembersPartners(as(c.ID), []int64{a.ID, b.ID, c.ID})
	if diff := cmp.Diff(map[int64]int{a.ID: 3, b.ID: 1, c.ID: 0}, counts); diff != "" || err != nil {
		t.Errorf("partner counts (-want +got)\n%s %v", diff, err)
	}
	if n, _ := svc.CountPartners(anonymous, a.ID); n != 0 {
		t.Errorf("anonymous sees %d partners", n)
	}
}

func TestPendingConfirmations(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ms := createMembers(t, db, "Alpha", "Bravo", "Charlie")
	a, b, c := ms[0], ms[1], ms[2]
	svc := db.Links()
	first := declare(t, db, as(b.ID), b, a, domain.LinkSupply)
	declare(t, db, as(a.ID), a, c, domain.LinkSupply) // awaits c, not a
	second := declare(t, db, as(c.ID), a, c, domain.LinkReferral)
	confirmed := declare(t, db, as(c.ID), c, a, domain.LinkPartnership)
	if _, err := svc.Confirm(as(a.ID), confirmed.ID); err != nil {
		t.Fatal(err)
	}
	declare(t, db, as(b.ID), b, c, domain.LinkSupply) // not a's business

	page, err := svc.PendingConfirmations(as(a.ID), domain.PageRequest{First: intp(1)})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 1 || page.Items[0].ID != first.ID || !page.HasNextPage {
		t.Fatalf("page 1 %+v", page)
	}
	page, err = svc.PendingConfirmations(as(a.ID), domain.PageRequest{After: page.Cursor(0)})
	if err != nil || len(page.Items) != 1 || page.Items[0].ID != second.ID || page.HasNextPage {
		t.Fatalf("page 2 %+v, %v", page, err)
	}
	if n, _ := svc.CountPendingConfirmations(as(a.ID)); n != 2 {
		t.Fatalf("count %d, want 2", n)
	}
	for _, ctx := range []context.Context{staff, analyst, anonymous} {
		page, err := svc.PendingConfirmations(ctx, domain.PageRequest{})
		n, _ := svc.CountPendingConfirmations(ctx)
		if err != nil || len(page.Items) != 0 || n != 0 {
			t.Fatalf("non-member viewer: %+v %d %v", page, n, err)
		}
	}
}
