package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"grappe/domain"
	"grappe/postgres"
	"grappe/postgres/pgtest"
)

// haversineKm is the great-circle distance between two points by the
// haversine formula, R = 6371.0088 km, written here from the formula.
func haversineKm(lat1, lng1, lat2, lng2 float64) float64 {
	rad := math.Pi / 180
	sinLat, sinLng := math.Sin((lat2-lat1)*rad/2), math.Sin((lng2-lng1)*rad/2)
	a := sinLat*sinLat + math.Cos(lat1*rad)*math.Cos(lat2*rad)*sinLng*sinLng
	return 2 * 6371.0088 * math.Asin(math.Sqrt(a))
}

// place is a member to create at a position (nil: no location).
type place struct {
	name string
	at   *domain.Location
}

func at(lat, lng float64) *domain.Location { return &domain.Location{Lat: lat, Lng: lng} }

// createPlaces adds the members of places and returns their ids by name.
func createPlaces(t *testing.T, db *postgres.DB, places ...place) map[string]int64 {
	t.Helper()
	ids := make(map[string]int64, len(places))
	for _, p := range places {
		m, err := db.Members().CreateMember(staff, domain.MemberInput{Name: p.name, Kind: domain.KindCompany, Location: p.at})
		if err != nil {
			t.Fatalf("create %s: %v", p.name, err)
		}
		ids[p.name] = m.ID
	}
	return ids
}

// wantError fails unless err is an application error of code on field.
func wantError(t *testing.T, name string, err error, code, field string) {
	t.Helper()
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != code || de.Field != field {
		t.Errorf("%s: error %v, want %s on %q", name, err, code, field)
	}
}

var (
	paris = at(48.8566, 2.3522)
	lyon  = at(45.7640, 4.8357)
)

// TestMembersNearDistances: a near filter keeps the members within the
// radius, each with its haversine distance from the centre (checked
// against the formula computed here and a known figure); members without
// a location and LAPSED members (unless asked for) are not near.
func TestMembersNearDistances(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ids := createPlaces(t, db,
		place{"Paris", paris}, place{"Lyon", lyon}, place{"Villeurbanne", at(45.7719, 4.8902)},
		place{"Grenoble", at(45.1885, 5.7245)}, place{"Marseille", at(43.2965, 5.3698)},
		place{"Nowhere", nil}, place{"Lapsed in Lyon", at(45.7600, 4.8400)})
	if _, err := db.MemberDetails().EndMembership(staff, ids["Lapsed in Lyon"], nil); err != nil {
		t.Fatal(err)
	}
	svc := db.Members()
	list := func(f domain.MemberFilter, o domain.MemberOrder) []*domain.Member {
		t.Helper()
		p, err := svc.Members(staff, f, o, domain.PageRequest{First: intp(100)})
		if err != nil {
			t.Fatal(err)
		}
		return p.Items
	}
	byDistance := domain.MemberOrder{Field: domain.OrderByDistance}

	near := &domain.Near{Lat: lyon.Lat, Lng: lyon.Lng, RadiusKm: 100}
	got := list(domain.MemberFilter{Near: near}, byDistance)
	if diff := slices.Compare(names(got), []string{"Lyon", "Villeurbanne", "Grenoble"}); diff != 0 {
		t.Fatalf("near Lyon, 100 km = %v", names(got))
	}
	for _, m := range got {
		want := haversineKm(lyon.Lat, lyon.Lng, m.Location.Lat, m.Location.Lng)
		if m.DistanceKm == nil || math.Abs(*m.DistanceKm-want) > 1e-9 {
			t.Errorf("%s: distanceKm %v, want %.12f", m.Name, m.DistanceKm, want)
		}
	}
	if d := *got[2].DistanceKm; math.Abs(d-94.3259) > 1e-4 { // Lyon–Grenoble
		t.Errorf("Lyon–Grenoble = %.6f km, want 94.3259", d)
	}

	// The radius is inclusive, and is a great-circle distance: Paris–Lyon
	// is 391.4995 km.
	for _, c := range []struct {
		radius float64
		want   []string
	}{
		{391.4994, []string{"Paris"}}, {391.4995, []string{"Paris", "Lyon"}}, {0.001, []string{"Paris"}},
	} {
		got := list(domain.MemberFilter{Near: &domain.Near{Lat: paris.Lat, Lng: paris.Lng, RadiusKm: c.radius}}, byDistance)
		if !slices.Equal(names(got), c.want) {
			t.Errorf("near Paris, %v km = %v, want %v", c.radius, names(got), c.want)
		}
	}

	// Every status asked: the LAPSED member in Lyon is near too; the member
	// without a location never is, whatever the radius.
	all := []domain.MemberStatus{domain.StatusActive, domain.StatusLapsed}
	got = list(domain.MemberFilter{Statuses: all, Near: &domain.Near{Lat: lyon.Lat, Lng: lyon.Lng, RadiusKm: 1000}}, byDistance)
	if !slices.Equal(names(got), []string{"Lyon", "Lapsed in Lyon", "Villeurbanne", "Grenoble", "Marseille", "Paris"}) {
		t.Errorf("near Lyon, 1000 km, all statuses = %v", names(got))
	}
	n, err := svc.CountMembers(staff, domain.MemberFilter{Statuses: all, Near: &domain.Near{Lat: lyon.Lat, Lng: lyon.Lng, RadiusKm: 1000}})
	if err != nil || n != 6 {
		t.Errorf("count near Lyon, 1000 km = %d, %v; want 6", n, err)
	}

	// Farthest first; and with the default order (by name), the distance
	// is still given.
	got = list(domain.MemberFilter{Near: near}, domain.MemberOrder{Field: domain.OrderByDistance, Descending: true})
	if !slices.Equal(names(got), []string{"Grenoble", "Villeurbanne", "Lyon"}) {
		t.Errorf("near Lyon, farthest first = %v", names(got))
	}
	got = list(domain.MemberFilter{Near: near}, domain.MemberOrder{})
	if !slices.Equal(names(got), []string{"Grenoble", "Lyon", "Villeurbanne"}) || got[0].DistanceKm == nil {
		t.Errorf("near Lyon by name = %v", names(got))
	}
	// With a search, ranked by relevance or by distance.
	for _, o := range []domain.MemberOrder{{}, byDistance} {
		got = list(domain.MemberFilter{Search: "villeurbanne", Near: near}, o)
		if !slices.Equal(names(got), []string{"Villeurbanne"}) || got[0].DistanceKm == nil {
			t.Errorf("search near Lyon, order %v = %v", o, names(got))
		}
	}

	// Outside a near filter, no distance.
	for _, m := range list(domain.MemberFilter{}, domain.MemberOrder{}) {
		if m.DistanceKm != nil {
			t.Errorf("%s has a distance without a near filter", m.Name)
		}
	}
	m, err := svc.Member(staff, ids["Lyon"])
	if err != nil || m.DistanceKm != nil {
		t.Errorf("member by id: %v, distance %v", err, m.DistanceKm)
	}
}

// TestMembersNearEdgesOfTheMap: circles across the antimeridian and around
// a pole find what the formula says is inside.
func TestMembersNearEdgesOfTheMap(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	createPlaces(t, db,
		place{"Suva side", at(-17, 179.9)}, place{"Taveuni side", at(-17, -179.9)}, place{"Nuku'alofa", at(-21.1394, -175.2049)},
		place{"Pole east", at(89.5, 170)}, place{"Pole west", at(89.95, -10)}, place{"Svalbard", at(78.2232, 15.6267)})
	for _, c := range []struct {
		near domain.Near
		want []string
	}{
		{domain.Near{Lat: -17, Lng: 179.95, RadiusKm: 50}, []string{"Suva side", "Taveuni side"}},
		{domain.Near{Lat: -17, Lng: -179.95, RadiusKm: 50}, []string{"Taveuni side", "Suva side"}},
		{domain.Near{Lat: -17, Lng: 180, RadiusKm: 700}, []string{"Suva side", "Taveuni side", "Nuku'alofa"}},
		{domain.Near{Lat: 89.9, Lng: 0, RadiusKm: 100}, []string{"Pole west", "Pole east"}},
		{domain.Near{Lat: 90, Lng: 0, RadiusKm: 1000}, []string{"Pole west", "Pole east"}},
		{domain.Near{Lat: 82, Lng: 15, RadiusKm: 1000}, []string{"Svalbard", "Pole west", "Pole east"}},
	} {
		p, err := db.Members().Members(staff, domain.MemberFilter{Near: &c.near}, domain.MemberOrder{Field: domain.OrderByDistance}, domain.PageRequest{})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(names(p.Items), c.want) {
			t.Errorf("near %+v = %v, want %v", c.near, names(p.Items), c.want)
		}
		for _, m := range p.Items {
			if want := haversineKm(c.near.Lat, c.near.Lng, m.Location.Lat, m.Location.Lng); math.Abs(*m.DistanceKm-want) > 1e-9 || want > c.near.RadiusKm {
				t.Errorf("near %+v: %s at %v km, want %v", c.near, m.Name, *m.DistanceKm, want)
			}
		}
	}
}

// TestMembersByDistancePages: pages in DISTANCE order, forwards and
// backwards, cover the list once in order (ties on the distance broken by
// id), whatever the page size; a cursor of a circle centred elsewhere is
// refused.
func TestMembersByDistancePages(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	var places []place
	for i := range 23 {
		// Rings around Lyon, three members per position: equal distances.
		p := at(lyon.Lat+float64(i/3)*0.01, lyon.Lng+float64(i/3%2)*0.02)
		places = append(places, place{fmt.Sprintf("M%02d", i), p})
	}
	places = append(places, place{"Far", at(43.2965, 5.3698)}, place{"Unknown", nil})
	createPlaces(t, db, places...)
	svc := db.Members()
	f := domain.MemberFilter{Near: &domain.Near{Lat: lyon.Lat, Lng: lyon.Lng, RadiusKm: 20}}
	for _, desc := range []bool{false, true} {
		o := domain.MemberOrder{Field: domain.OrderByDistance, Descending: desc}
		whole, err := svc.Members(staff, f, o, domain.PageRequest{First: intp(100)})
		if err != nil {
			t.Fatal(err)
		}
		if len(whole.Items) != 23 {
			t.Fatalf("near Lyon: %d members, want 23", len(whole.Items))
		}
		for i := 1; i < len(whole.Items); i++ {
			a, b := whole.Items[i-1], whole.Items[i]
			before := *a.DistanceKm < *b.DistanceKm || *a.DistanceKm == *b.DistanceKm && a.ID < b.ID
			if desc {
				before = *a.DistanceKm > *b.DistanceKm || *a.DistanceKm == *b.DistanceKm && a.ID > b.ID
			}
			if !before {
				t.Fatalf("desc=%v: %s (%v km) before %s (%v km)", desc, a.Name, *a.DistanceKm, b.Name, *b.DistanceKm)
			}
		}
		want := names(whole.Items)
		for _, size := range []int{1, 2, 4, 7} {
			var fwd []string
			after := ""
			for {
				p, err := svc.Members(staff, f, o, domain.PageRequest{First: intp(size), After: after})
				if err != nil {
					t.Fatal(err)
				}
				fwd = append(fwd, names(p.Items)...)
				if !p.HasNextPage {
					break
				}
				after = p.Cursor(len(p.Items) - 1)
			}
			if !slices.Equal(fwd, want) {
				t.Errorf("desc=%v, pages of %d forwards = %v, want %v", desc, size, fwd, want)
			}
			var back []string
			before := ""
			for {
				p, err := svc.Members(staff, f, o, domain.PageRequest{Last: intp(size), Before: before})
				if err != nil {
					t.Fatal(err)
				}
				back = append(names(p.Items), back...)
				if !p.HasPreviousPage {
					break
				}
				before = p.Cursor(0)
			}
			if !slices.Equal(back, want) {
				t.Errorf("desc=%v, pages of %d backwards = %v, want %v", desc, size, back, want)
			}
		}
	}

	// A cursor of the same circle and order works, of another centre or
	// order not.
	o := domain.MemberOrder{Field: domain.OrderByDistance}
	p, err := svc.Members(staff, f, o, domain.PageRequest{First: intp(2)})
	if err != nil {
		t.Fatal(err)
	}
	cursor := p.Cursor(1)
	wider := f
	wider.Near = &domain.Near{Lat: lyon.Lat, Lng: lyon.Lng, RadiusKm: 500}
	if _, err := svc.Members(staff, wider, o, domain.PageRequest{First: intp(2), After: cursor}); err != nil {
		t.Errorf("a cursor of the same centre with another radius: %v", err)
	}
	for _, c := range []struct {
		name string
		f    domain.MemberFilter
		o    domain.MemberOrder
	}{
		{"another centre", domain.MemberFilter{Near: &domain.Near{Lat: lyon.Lat + 0.001, Lng: lyon.Lng, RadiusKm: 20}}, o},
		{"farthest first", f, domain.MemberOrder{Field: domain.OrderByDistance, Descending: true}},
		{"by name", f, domain.MemberOrder{Field: domain.OrderByName}},
	} {
		_, err := svc.Members(staff, c.f, c.o, domain.PageRequest{First: intp(2), After: cursor})
		wantError(t, c.name, err, domain.CodeBadUserInput, "after")
	}
}

// TestMembersNearRules: near and DISTANCE are for members and above; the
// circle and the order are checked, each error naming its field.
func TestMembersNearRules(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ids := createPlaces(t, db, place{"Lyon", lyon})
	svc := db.Members()
	anonymous := domain.WithViewer(context.Background(), domain.Viewer{Role: domain.RolePublic})
	member := domain.WithViewer(context.Background(), domain.Viewer{Role: domain.RoleMember, MemberID: ids["Lyon"]})
	analyst := domain.WithViewer(context.Background(), domain.Viewer{Role: domain.RoleAnalyst})
	near := &domain.Near{Lat: lyon.Lat, Lng: lyon.Lng, RadiusKm: 10}
	byDistance := domain.MemberOrder{Field: domain.OrderByDistance}

	_, err := svc.Members(anonymous, domain.MemberFilter{Near: near}, domain.MemberOrder{}, domain.PageRequest{})
	wantError(t, "anonymous near", err, domain.CodeForbidden, "filter.near")
	_, err = svc.Members(anonymous, domain.MemberFilter{}, byDistance, domain.PageRequest{})
	wantError(t, "anonymous by distance", err, domain.CodeForbidden, "orderBy.field")
	_, err = svc.Members(anonymous, domain.MemberFilter{Near: near}, byDistance, domain.PageRequest{})
	wantError(t, "anonymous near by distance", err, domain.CodeForbidden, "filter.near")
	_, err = svc.Members(anonymous, domain.MemberFilter{Near: &domain.Near{Lat: 100}}, domain.MemberOrder{}, domain.PageRequest{})
	wantError(t, "anonymous near out of range", err, domain.CodeForbidden, "filter.near")
	_, err = svc.CountMembers(anonymous, domain.MemberFilter{Near: near})
	wantError(t, "anonymous count near", err, domain.CodeForbidden, "filter.near")
	for _, ctx := range []context.Context{member, analyst, staff} {
		p, err := svc.Members(ctx, domain.MemberFilter{Near: near}, byDistance, domain.PageRequest{})
		if err != nil || len(p.Items) != 1 || p.Items[0].DistanceKm == nil {
			t.Errorf("%v near Lyon: %v", domain.ViewerFrom(ctx).Role, err)
		}
	}

	_, err = svc.Members(member, domain.MemberFilter{}, byDistance, domain.PageRequest{})
	wantError(t, "by distance without near", err, domain.CodeBadUserInput, "orderBy.field")
	if err != nil && !strings.Contains(err.Error(), "filter.near") {
		t.Errorf("by distance without near: %q does not say what is missing", err)
	}
	nan := math.NaN()
	for _, c := range []struct {
		near  domain.Near
		field string
	}{
		{domain.Near{Lat: 90.0001, Lng: 0, RadiusKm: 1}, "filter.near.lat"},
		{domain.Near{Lat: -91, Lng: 0, RadiusKm: 1}, "filter.near.lat"},
		{domain.Near{Lat: nan, Lng: 0, RadiusKm: 1}, "filter.near.lat"},
		{domain.Near{Lat: 45, Lng: 180.5, RadiusKm: 1}, "filter.near.lng"},
		{domain.Near{Lat: 45, Lng: -181, RadiusKm: 1}, "filter.near.lng"},
		{domain.Near{Lat: 45, Lng: nan, RadiusKm: 1}, "filter.near.lng"},
		{domain.Near{Lat: 45, Lng: 5, RadiusKm: 0}, "filter.near.radiusKm"},
		{domain.Near{Lat: 45, Lng: 5, RadiusKm: -3}, "filter.near.radiusKm"},
		{domain.Near{Lat: 45, Lng: 5, RadiusKm: 1000.001}, "filter.near.radiusKm"},
		{domain.Near{Lat: 45, Lng: 5, RadiusKm: math.Inf(1)}, "filter.near.radiusKm"},
		{domain.Near{Lat: 45, Lng: 5, RadiusKm: nan}, "filter.near.radiusKm"},
	} {
		_, err := svc.Members(member, domain.MemberFilter{Near: &c.near}, byDistance, domain.PageRequest{})
		wantError(t, fmt.Sprintf("near %+v", c.near), err, domain.CodeBadUserInput, c.field)
		_, err = svc.CountMembers(member, domain.MemberFilter{Near: &c.near})
		wantError(t, fmt.Sprintf("count near %+v", c.near), err, domain.CodeBadUserInput, c.field)
	}
	// The bounds themselves are accepted.
	for _, n := range []domain.Near{{Lat: 90, Lng: 180, RadiusKm: 1000}, {Lat: -90, Lng: -180, RadiusKm: 1e-9}} {
		if _, err := svc.Members(member, domain.MemberFilter{Near: &n}, byDistance, domain.PageRequest{}); err != nil {
			t.Errorf("near %+v: %v", n, err)
		}
	}
}

// TestMembersNearUsesTheIndex: among 20,000 members spread over France,
// a page near Lyon reads the location index, not the whole table.
func TestMembersNearUsesTheIndex(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := context.Background()
	if _, err := db.Bun().ExecContext(ctx, `INSERT INTO members (name, kind, joined_on, lat, lng)
		SELECT 'Membre ' || g, 'COMPANY', '2020-01-01', 42.5 + (g % 199) * 0.04, -4.5 + (g / 199) * 0.12
		FROM generate_series(1, 20000) AS g;
		ANALYZE members`); err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	db.Bun().AddQueryHook(rec)
	f := domain.MemberFilter{Near: &domain.Near{Lat: lyon.Lat, Lng: lyon.Lng, RadiusKm: 30}}
	p, err := db.Members().Members(staff, f, domain.MemberOrder{Field: domain.OrderByDistance}, domain.PageRequest{First: intp(20)})
	if err != nil || len(p.Items) != 20 {
		t.Fatalf("near Lyon: %v", err)
	}
	query := rec.last("SELECT")
	var plan string
	if err := db.Bun().QueryRowContext(ctx, "EXPLAIN (FORMAT JSON) "+query).Scan(&plan); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(plan, "members_location_idx") || strings.Contains(plan, "Seq Scan") {
		t.Errorf("the page near Lyon is not read from members_location_idx:\n%s\n%s", query, plan)
	}
}

// recorder is a query hook keeping the statements run.
type recorder struct{ queries []string }

func (r *recorder) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context { return ctx }
func (r *recorder) AfterQuery(_ context.Context, e *bun.QueryEvent) {
	r.queries = append(r.queries, e.Query)
}

// last returns the last statement starting with prefix.
func (r *recorder) last(prefix string) string {
	for i := len(r.queries) - 1; i >= 0; i-- {
		if strings.HasPrefix(strings.TrimSpace(r.queries[i]), prefix) {
			return r.queries[i]
		}
	}
	return ""
}
