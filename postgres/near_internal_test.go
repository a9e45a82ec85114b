package postgres

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"grappe/domain"
)

// destination is the point at distance km from (lat, lng) along bearing
// (degrees from north) on the sphere of radius EarthRadiusKm, its
// longitude in [-180, 180].
func destination(lat, lng, bearing, km float64) (float64, float64) {
	rad := math.Pi / 180
	d := km / domain.EarthRadiusKm
	φ1, λ1, θ := lat*rad, lng*rad, bearing*rad
	φ2 := math.Asin(math.Sin(φ1)*math.Cos(d) + math.Cos(φ1)*math.Sin(d)*math.Cos(θ))
	λ2 := λ1 + math.Atan2(math.Sin(θ)*math.Sin(d)*math.Cos(φ1), math.Cos(d)-math.Sin(φ1)*math.Sin(φ2))
	lng2 := math.Mod(λ2/rad+540, 360) - 180
	return φ2 / rad, lng2
}

func inBoxes(boxes []lngLatBox, lat, lng float64) bool {
	for _, b := range boxes {
		if lat >= b.MinLat && lat <= b.MaxLat && lng >= b.MinLng && lng <= b.MaxLng {
			return true
		}
	}
	return false
}

// TestNearBoxesHoldTheCircle: points on the edge of circles anywhere on
// the map (the antimeridian and the poles included) and at their centre
// lie in the circle's boxes; the boxes stay within the map and, away from
// the poles, are no wider than the circle needs.
func TestNearBoxesHoldTheCircle(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	centres := []domain.Near{
		{Lat: 45.764, Lng: 4.8357, RadiusKm: 50}, {Lat: -17, Lng: 179.95, RadiusKm: 50}, {Lat: -17, Lng: -179.95, RadiusKm: 50},
		{Lat: 0, Lng: 180, RadiusKm: 1000}, {Lat: 0, Lng: -180, RadiusKm: 1000}, {Lat: 89.9, Lng: 0, RadiusKm: 100},
		{Lat: -90, Lng: 12, RadiusKm: 1}, {Lat: 90, Lng: 180, RadiusKm: 1000}, {Lat: 81, Lng: -179, RadiusKm: 1000},
		{Lat: 48.8566, Lng: 2.3522, RadiusKm: 1e-6},
	}
	for range 2000 {
		centres = append(centres, domain.Near{Lat: r.Float64()*180 - 90, Lng: r.Float64()*360 - 180, RadiusKm: 1e-3 + r.Float64()*(domain.MaxNearRadiusKm-1e-3)})
	}
	for _, n := range centres {
		boxes := nearBoxes(n)
		for _, b := range boxes {
			if b.MinLat < -90 || b.MaxLat > 90 || b.MinLng < -180 || b.MaxLng > 180 || b.MinLat > b.MaxLat || b.MinLng > b.MaxLng {
				t.Fatalf("near %+v: box %+v", n, b)
			}
		}
		if !inBoxes(boxes, n.Lat, n.Lng) {
			t.Fatalf("near %+v: the centre is not in %+v", n, boxes)
		}
		for i := range 360 {
			lat, lng := destination(n.Lat, n.Lng, float64(i)+r.Float64(), n.RadiusKm)
			if !inBoxes(boxes, lat, lng) {
				t.Fatalf("near %+v: (%v, %v) on the circle is not in %+v", n, lat, lng, boxes)
			}
		}
		dLat := n.RadiusKm / domain.EarthRadiusKm * 180 / math.Pi
		if n.Lat+dLat < 89 && n.Lat-dLat > -89 {
			width := 0.0
			for _, b := range boxes {
				width += b.MaxLng - b.MinLng
			}
			want := 2 * math.Asin(math.Sin(n.RadiusKm/domain.EarthRadiusKm)/math.Cos(n.Lat*math.Pi/180)) * 180 / math.Pi
			if len(boxes) > 2 || width > want+1e-6 || boxes[0].MaxLat-boxes[0].MinLat > 2*dLat+1e-6 {
				t.Fatalf("near %+v: boxes %+v wider than the circle (%v degrees of longitude)", n, boxes, want)
			}
		}
	}
}

// TestNearRings: a circle is cut into rings four times wider each, the
// innermost at least 250 m (unless the circle is smaller), at most six; a
// page starting from a cursor reads only the rings from the cursor's on,
// in its reading order.
func TestNearRings(t *testing.T) {
	t.Parallel()
	his := func(rings []ring) []float64 {
		var out []float64
		for _, r := range rings {
			out = append(out, r.Hi)
		}
		return out
	}
	for _, c := range []struct {
		radius float64
		want   []float64
	}{
		{50, []float64{0.78125, 3.125, 12.5, 50}},
		{1, []float64{0.25, 1}},
		{0.3, []float64{0.3}},
		{1e-9, []float64{1e-9}},
		{1000, []float64{1000.0 / 1024, 1000.0 / 256, 1000.0 / 64, 1000.0 / 16, 250, 1000}},
	} {
		rings := nearRings(domain.Near{Lat: 45, Lng: 5, RadiusKm: c.radius})
		if got := his(rings); !slices.Equal(got, c.want) {
			t.Errorf("radius %v: rings up to %v, want %v", c.radius, got, c.want)
		}
		for i, r := range rings {
			if i == 0 && r.Lo != -1 || i > 0 && r.Lo != rings[i-1].Hi {
				t.Errorf("radius %v: ring %d from %v", c.radius, i, r.Lo)
			}
		}
	}

	n := domain.Near{Lat: 45, Lng: 5, RadiusKm: 50}
	cursor := &keysetCursor{Value: 3.125, ID: 7}
	for _, c := range []struct {
		name string
		plan pagePlan
		want []float64
	}{
		{"nearest first", pagePlan{}, []float64{0.78125, 3.125, 12.5, 50}},
		{"farthest first", pagePlan{keys: keyset{Desc: true}}, []float64{50, 12.5, 3.125, 0.78125}},
		{"nearest first, after 3.125 km", pagePlan{after: cursor}, []float64{3.125, 12.5, 50}},
		{"nearest first, back from 3.125 km", pagePlan{backward: true, before: cursor}, []float64{3.125, 0.78125}},
		{"farthest first, after 3.125 km", pagePlan{keys: keyset{Desc: true}, after: cursor}, []float64{3.125, 0.78125}},
		{"farthest first, back from 3.125 km", pagePlan{keys: keyset{Desc: true}, backward: true, before: cursor}, []float64{3.125, 12.5, 50}},
		{"nearest first, after 60 km", pagePlan{after: &keysetCursor{Value: 60.0, ID: 1}}, nil},
	} {
		if got := his(readRings(n, &c.plan)); !slices.Equal(got, c.want) {
			t.Errorf("%s: rings up to %v, want %v", c.name, got, c.want)
		}
	}
}
