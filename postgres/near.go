package postgres

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/schema"

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

// A page in DISTANCE order is read ring by ring: the circle is cut into
// concentric rings (each radius four times the one inside it), and each
// ring's members, read from its own bounding box, are sorted by distance
// and cut to the page; the rings are joined in reading order (a lateral
// join over a VALUES list, whose nested loop yields each ring in turn) and
// the page is cut again. Since the rings do not overlap, the first members
// found are the nearest ones, and a ring is read only when those inside it
// did not fill the page: near a dense place (half of the 100,000 generated
// members are within 50 km of Paris) a page reads the few hundred members
// of the innermost rings instead of sorting tens of thousands.

// ringFactor is the ratio of the radii of two consecutive rings, and
// minRingKm the smallest radius of the innermost ring (unless the circle's
// radius is smaller), maxRings the most rings a circle is cut into.
const (
	ringFactor = 4
	minRingKm  = 0.25
	maxRings   = 6
)

// ring is one ring of a circle: the members at a distance in (Lo, Hi],
// within its boxes (those of the circle of radius Hi).
type ring struct {
	Lo, Hi float64
	Boxes  []lngLatBox
}

// nearRings cuts the circle of n into rings, innermost first; the first
// ring holds distance 0 (Lo is -1) and the last ends at the radius.
func nearRings(n domain.Near) []ring {
	radii := []float64{n.RadiusKm}
	for len(radii) < maxRings && radii[0]/ringFactor >= minRingKm {
		radii = append([]float64{radii[0] / ringFactor}, radii...)
	}
	rings := make([]ring, len(radii))
	lo := -1.0
	for i, hi := range radii {
		c := n
		c.RadiusKm = hi
		rings[i] = ring{Lo: lo, Hi: hi, Boxes: nearBoxes(c)}
		lo = hi
	}
	return rings
}

// ringValues returns the VALUES rows of rings, in the columns of ringTable:
// the second box's longitudes are null when a ring has one box (its boxes
// share their latitudes).
func ringValues(rings []ring) schema.QueryWithArgs {
	var b strings.Builder
	args := make([]any, 0, 8*len(rings))
	for i, r := range rings {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(?::float8, ?::float8, ?::float8, ?::float8, ?::float8, ?::float8, ?::float8, ?::float8)")
		first := r.Boxes[0]
		var minLng2, maxLng2 *float64
		if len(r.Boxes) > 1 {
			minLng2, maxLng2 = &r.Boxes[1].MinLng, &r.Boxes[1].MaxLng
		}
		args = append(args, r.Lo, r.Hi, first.MinLat, first.MaxLat, first.MinLng, first.MaxLng, minLng2, maxLng2)
	}
	return bun.SafeQuery(b.String(), args...)
}

// ringTable names the columns of ringValues.
const ringTable = "ring(lo, hi, min_lat, max_lat, min_lng, max_lng, min_lng2, max_lng2)"

// inRing keeps the members (alias m) of the current ring of ringTable.
func inRing(q *bun.SelectQuery, n domain.Near) *bun.SelectQuery {
	return q.Where("(point(m.lng, m.lat) <@ box(point(ring.min_lng, ring.min_lat), point(ring.max_lng, ring.max_lat))"+
		" OR point(m.lng, m.lat) <@ box(point(ring.min_lng2, ring.min_lat), point(ring.max_lng2, ring.max_lat)))").
		Where(distanceExpr+" > ring.lo", n.Lat, n.Lng).
		Where(distanceExpr+" <= ring.hi", n.Lat, n.Lng)
}

// readRings returns the rings of n a page reads, in its reading order:
// outermost first when it reads the farthest first. The rings wholly on
// the far side of the cursor it starts from are left out.
func readRings(n domain.Near, plan *pagePlan) []ring {
	rings := nearRings(n)
	desc := plan.keys.Desc != plan.backward
	start := plan.after
	if plan.backward {
		start = plan.before
	}
	keep := rings[:0]
	for _, r := range rings {
		if start != nil {
			d := start.Value.(float64)
			if !desc && r.Hi < d || desc && r.Lo >= d {
				continue
			}
		}
		keep = append(keep, r)
	}
	if desc {
		slices.Reverse(keep)
	}
	return keep
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
