package postgres

import (
	"math"
	"strconv"

	"github.com/uptrace/bun"

	"grappe/domain"
)

// A near filter reads the members whose position lies in the bounding box
// of its circle from the GiST index on point(lng, lat)
// (members_location_idx), then keeps those whose haversine distance
// (grappe_distance_km, migration 20261203000005) is within the radius.
// The box only narrows what the exact distance is computed on: it must
// hold the whole circle, and is a little larger.

// distanceExpr is the distance of member m from the centre of a near
// filter, whose latitude and longitude are its arguments (nearArgs).
const distanceExpr = "grappe_distance_km(m.lat, m.lng, ?, ?)"

// nearArgs returns the arguments of distanceExpr.
func nearArgs(n domain.Near) []any { return []any{n.Lat, n.Lng} }

// lngLatBox is a box on the map in degrees, edges included: x is the
// longitude, y the latitude, as in point(lng, lat).
type lngLatBox struct {
	MinLng, MinLat, MaxLng, MaxLat float64
}

// boxMargin widens the boxes, in degrees (about a millimetre), so that
// rounding never leaves out a point on the circle.
const boxMargin = 1e-8

// nearBoxes returns the boxes that together hold the circle of n: one, or
// two when the circle crosses the antimeridian (one on each side). A
// circle reaching a pole holds every longitude above (or below) its
// southern (northern) edge. Otherwise the longitudes span asin(sin δ /
// cos φ) on each side of the centre, δ the angular radius and φ the
// latitude of the centre: the widest extent of a spherical cap, reached
// north of the centre's latitude in the northern hemisphere, within the
// latitudes φ ± δ that the box spans.
func nearBoxes(n domain.Near) []lngLatBox {
	delta := n.RadiusKm / domain.EarthRadiusKm // radians
	dLat := delta*180/math.Pi + boxMargin
	minLat, maxLat := n.Lat-dLat, n.Lat+dLat
	ratio := math.Sin(delta) / math.Cos(n.Lat*math.Pi/180)
	if maxLat >= 90 || minLat <= -90 || !(ratio < 1) {
		return []lngLatBox{{MinLng: -180, MinLat: max(minLat, -90), MaxLng: 180, MaxLat: min(maxLat, 90)}}
	}
	dLng := math.Asin(ratio)*180/math.Pi + boxMargin
	minLng, maxLng := n.Lng-dLng, n.Lng+dLng
	switch {
	case minLng < -180:
		return []lngLatBox{{MinLng: minLng + 360, MinLat: minLat, MaxLng: 180, MaxLat: maxLat}, {MinLng: -180, MinLat: minLat, MaxLng: maxLng, MaxLat: maxLat}}
	case maxLng > 180:
		return []lngLatBox{{MinLng: minLng, MinLat: minLat, MaxLng: 180, MaxLat: maxLat}, {MinLng: -180, MinLat: minLat, MaxLng: maxLng - 360, MaxLat: maxLat}}
	}
	return []lngLatBox{{MinLng: minLng, MinLat: minLat, MaxLng: maxLng, MaxLat: maxLat}}
}

// nearFilter keeps the members (alias m) within the circle of n: in one of
// its boxes, read from the index, and within its radius. A member without
// a location is in no box.
func nearFilter(q *bun.SelectQuery, n domain.Near) *bun.SelectQuery {
	q = q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
		for _, b := range nearBoxes(n) {
			q = q.WhereOr("point(m.lng, m.lat) <@ box(point(?, ?), point(?, ?))", b.MinLng, b.MinLat, b.MaxLng, b.MaxLat)
		}
		return q
	})
	return q.Where(distanceExpr+" <= ?", n.Lat, n.Lng, n.RadiusKm)
}

// distanceKeyset is the keyset of the DISTANCE order from the centre of n.
// Its name holds the centre: a distance from another point is no position
// in this list.
func distanceKeyset(n domain.Near, desc bool) keyset {
	dir := "ASC"
	if desc {
		dir = "DESC"
	}
	centre := strconv.FormatFloat(n.Lat, 'g', -1, 64) + "," + strconv.FormatFloat(n.Lng, 'g', -1, 64)
	return keyset{Name: "members:DISTANCE:" + dir + ":" + centre, Expr: distanceExpr, ExprArgs: nearArgs(n),
		IDColumn: "m.id", Desc: desc, Check: checkFloat}
}
