package demo

import (
	"math"
	"testing"
)

// distanceKm is the haversine distance, R = 6371.0088 km, as grappe
// measures it (grappe_distance_km).
func distanceKm(lat1, lng1, lat2, lng2 float64) float64 {
	rad := math.Pi / 180
	sinLat, sinLng := math.Sin((lat2-lat1)*rad/2), math.Sin((lng2-lng1)*rad/2)
	a := sinLat*sinLat + math.Cos(lat1*rad)*math.Cos(lat2*rad)*sinLng*sinLng
	return 2 * 6371.0088 * math.Asin(math.Sqrt(a))
}

// TestLocationsInTheirTown: in the reference network and in a generated
// one of 5,000 members (as `grappe seed --members N` loads), every member
// has a location within 3 km of the centre of the town its address names,
// and the members of a town are spread around it, not stacked on one
// point: a search near a place finds them at their own distances.
func TestLocationsInTheirTown(t *testing.T) {
	t.Parallel()
	type key struct{ city, postalCode string }
	centre := map[key]town{}
	for _, tw := range towns {
		centre[key{tw.City, tw.PostalCode}] = tw
	}
	for _, n := range []int{0, 5000} {
		ds := Generate(Options{Members: n, Seed: 1, Today: testToday})
		points := map[[2]float64]bool{}
		for _, m := range ds.Members {
			tw, ok := centre[key{m.Address.City, m.Address.PostalCode}]
			if !ok || m.Location == nil {
				t.Fatalf("%d members: %s in %s %s, a town not in the table, location %v", n, m.Name, m.Address.PostalCode, m.Address.City, m.Location)
			}
			if d := distanceKm(tw.Lat, tw.Lng, m.Location.Lat, m.Location.Lng); d > 3 {
				t.Errorf("%d members: %s is %.2f km from the centre of %s", n, m.Name, d, tw.City)
			}
			points[[2]float64{m.Location.Lat, m.Location.Lng}] = true
		}
		if len(points) < len(ds.Members)*9/10 {
			t.Errorf("%d members: %d distinct locations for %d members", n, len(points), len(ds.Members))
		}
	}
}
