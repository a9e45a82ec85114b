package graph_test

import (
	"encoding/json"
	"math"
	"slices"
	"testing"

	"grappe/domain"
)

// haversineKm is the great-circle distance between two points by the
// haversine formula, R = 6371.0088 km, written here from the formula.
func haversineKm(lat1, lng1, lat2, lng2 float64) float64 {
	rad := math.Pi / 180
	sinLat, sinLng := math.Sin((lat2-lat1)*rad/2), math.Sin((lng2-lng1)*rad/2)
	a := sinLat*sinLat + math.Cos(lat1*rad)*math.Cos(lat2*rad)*sinLng*sinLng
	return 2 * 6371.0088 * math.Asin(math.Sqrt(a))
}

const nearQuery = `query($near: NearFilter, $order: MemberOrder, $n: Int, $c: String, $s: [MemberStatus!]) {
  members(first: $n, after: $c, filter: {near: $near, statuses: $s}, orderBy: $order) {
    totalCount
    edges { cursor node { name distanceKm location { lat lng } } }
    pageInfo { hasNextPage endCursor }
  }
}`

type nearPage struct {
	Members struct {
		TotalCount int
		Edges      []struct {
			Cursor string
			Node   struct {
				Name       string
				DistanceKm *float64
				Location   *struct{ Lat, Lng float64 }
			}
		}
		PageInfo struct {
			HasNextPage bool
			EndCursor   string
		}
	}
}

func (p nearPage) names() []string {
	var out []string
	for _, e := range p.Members.Edges {
		out = append(out, e.Node.Name)
	}
	return out
}

// TestMembersNearThroughAPI: members, analysts and staff list the members
// near a place, nearest first, each with its haversine distance; pages in
// that order follow each other; members without a location are never
// near; anonymous callers get FORBIDDEN on near and DISTANCE; DISTANCE
// without near and a circle out of range are BAD_USER_INPUT naming the
// argument.
func TestMembersNearThroughAPI(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	lyon := map[string]any{"lat": 45.7640, "lng": 4.8357}
	places := []struct {
		name     string
		lat, lng float64
	}{
		{"Lyon Mesure", 45.7640, 4.8357}, {"Villeurbanne Capteurs", 45.7719, 4.8902}, {"Vénissieux Étalons", 45.6973, 4.8870},
		{"Grenoble Métrologie", 45.1885, 5.7245}, {"Saint-Étienne Jauges", 45.4397, 4.3872}, {"Paris Balances", 48.8566, 2.3522},
	}
	var member string
	for _, p := range places {
		m := a.create(map[string]any{"name": p.name, "kind": "COMPANY", "location": map[string]any{"lat": p.lat, "lng": p.lng}})
		if member == "" {
			member = m.ID
		}
	}
	a.create(map[string]any{"name": "Lyon sans adresse", "kind": "COMPANY", "address": map[string]any{"city": "Lyon", "postalCode": "69003"}})

	near := func(radius float64) map[string]any {
		return map[string]any{"lat": lyon["lat"], "lng": lyon["lng"], "radiusKm": radius}
	}
	byDistance := map[string]any{"field": "DISTANCE"}
	want := []string{"Lyon Mesure", "Villeurbanne Capteurs", "Vénissieux Étalons", "Saint-Étienne Jauges", "Grenoble Métrologie"}
	for _, role := range []domain.Role{domain.RoleMember, domain.RoleAnalyst, domain.RoleStaff} {
		who := ""
		if role == domain.RoleMember {
			who = member
		}
		tok := token(t, role, who)
		var p nearPage
		a.ok(tok, nearQuery, map[string]any{"near": near(100), "order": byDistance, "n": 10}, &p)
		if !slices.Equal(p.names(), want) || p.Members.TotalCount != len(want) {
			t.Fatalf("%s: near Lyon = %v (%d in all), want %v", role, p.names(), p.Members.TotalCount, want)
		}
		for _, e := range p.Members.Edges {
			n := e.Node
			d := haversineKm(45.7640, 4.8357, n.Location.Lat, n.Location.Lng)
			if n.DistanceKm == nil || math.Abs(*n.DistanceKm-d) > 1e-9 {
				t.Errorf("%s: %s at %v km, want %.12f", role, n.Name, n.DistanceKm, d)
			}
		}
	}
	staff := token(t, domain.RoleStaff, "")

	// Pages of two, nearest first, then farthest first.
	for _, order := range []map[string]any{byDistance, {"field": "DISTANCE", "direction": "DESC"}} {
		var got []string
		var cursor any
		for range 10 {
			var p nearPage
			a.ok(staff, nearQuery, map[string]any{"near": near(100), "order": order, "n": 2, "c": cursor}, &p)
			got = append(got, p.names()...)
			if !p.Members.PageInfo.HasNextPage {
				break
			}
			cursor = p.Members.PageInfo.EndCursor
		}
		w := want
		if order["direction"] == "DESC" {
			w = slices.Clone(want)
			slices.Reverse(w)
		}
		if !slices.Equal(got, w) {
			t.Errorf("pages of 2 by %v = %v, want %v", order, got, w)
		}
	}

	// Without near, no distance; the member without a location is never
	// near, whatever the radius.
	var all nearPage
	a.ok(staff, nearQuery, map[string]any{"n": 100}, &all)
	if len(all.Members.Edges) != len(places)+1 {
		t.Fatalf("all members: %v", all.names())
	}
	for _, e := range all.Members.Edges {
		if e.Node.DistanceKm != nil {
			t.Errorf("%s has a distance outside a near list", e.Node.Name)
		}
	}
	var wide nearPage
	a.ok(staff, nearQuery, map[string]any{"near": near(1000), "order": byDistance, "n": 100, "s": []string{"ACTIVE", "LAPSED"}}, &wide)
	if wide.Members.TotalCount != len(places) || slices.Contains(wide.names(), "Lyon sans adresse") {
		t.Errorf("near Lyon, 1000 km = %v", wide.names())
	}

	// Refusals, each naming its argument.
	for _, c := range []struct {
		name, tok   string
		vars        map[string]any
		code, field string
	}{
		{"anonymous near", "", map[string]any{"near": near(10)}, domain.CodeForbidden, "filter.near"},
		{"anonymous by distance", "", map[string]any{"order": byDistance}, domain.CodeForbidden, "orderBy.field"},
		{"anonymous near by distance", "", map[string]any{"near": near(10), "order": byDistance}, domain.CodeForbidden, "filter.near"},
		{"by distance without near", staff, map[string]any{"order": byDistance}, domain.CodeBadUserInput, "orderBy.field"},
		{"radius 0", staff, map[string]any{"near": near(0)}, domain.CodeBadUserInput, "filter.near.radiusKm"},
		{"radius negative", staff, map[string]any{"near": near(-5)}, domain.CodeBadUserInput, "filter.near.radiusKm"},
		{"radius over 1000", staff, map[string]any{"near": near(1000.5)}, domain.CodeBadUserInput, "filter.near.radiusKm"},
		{"latitude 91", staff, map[string]any{"near": map[string]any{"lat": 91, "lng": 0, "radiusKm": 1}}, domain.CodeBadUserInput, "filter.near.lat"},
		{"longitude -180.01", staff, map[string]any{"near": map[string]any{"lat": 0, "lng": -180.01, "radiusKm": 1}}, domain.CodeBadUserInput, "filter.near.lng"},
		{"radius 1e400", staff, map[string]any{"near": map[string]any{"lat": 0, "lng": 0, "radiusKm": json.Number("1e400")}}, domain.CodeBadUserInput, ""},
		{"radius missing", staff, map[string]any{"near": map[string]any{"lat": 0, "lng": 0}}, domain.CodeBadUserInput, ""},
	} {
		resp := a.do(c.tok, nearQuery, c.vars)
		if resp.Status >= 500 || resp.code() != c.code {
			t.Errorf("%s: status %d, errors %+v, want %s", c.name, resp.Status, resp.Errors, c.code)
			continue
		}
		if c.field != "" && resp.Errors[0].Extensions["field"] != c.field {
			t.Errorf("%s: field %v, want %s", c.name, resp.Errors[0].Extensions["field"], c.field)
		}
	}
	// Anonymous callers may not read a distance either (null, FORBIDDEN).
	resp := a.do("", `{ members(first: 1) { edges { node { name distanceKm } } } }`, nil)
	if resp.code() != domain.CodeForbidden {
		t.Errorf("anonymous distanceKm: %+v", resp.Errors)
	}
}
