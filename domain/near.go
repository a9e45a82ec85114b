package domain

// EarthRadiusKm is the radius of the sphere distances are measured on: the
// mean radius of the Earth (IUGG), in kilometres.
const EarthRadiusKm = 6371.0088

// MaxNearRadiusKm bounds the radius of a near filter: a trip's visits, at
// most the width of metropolitan France.
const MaxNearRadiusKm = 1000

// Near narrows a member listing to the members located within RadiusKm of
// a point: the great-circle distance by the haversine formula on a sphere
// of radius EarthRadiusKm. Members without a location are never near.
type Near struct {
	Lat      float64 // WGS 84 degrees, -90 to 90
	Lng      float64 // -180 to 180
	RadiusKm float64 // more than 0, at most MaxNearRadiusKm
}

// ValidateNear checks the centre and radius of a near filter; field names
// the argument in errors (e.g. "filter.near"), and each error names the
// bad part (field + ".radiusKm"). NaN is refused like any value out of
// range.
func ValidateNear(field string, n Near) error {
	if !(n.Lat >= -90 && n.Lat <= 90) {
		return InvalidField(field+".lat", "%s.lat must be a latitude between -90 and 90, got %v", field, n.Lat)
	}
	if !(n.Lng >= -180 && n.Lng <= 180) {
		return InvalidField(field+".lng", "%s.lng must be a longitude between -180 and 180, got %v", field, n.Lng)
	}
	if !(n.RadiusKm > 0 && n.RadiusKm <= MaxNearRadiusKm) {
		return InvalidField(field+".radiusKm", "%s.radiusKm must be more than 0 and at most %d (kilometres), got %v", field, MaxNearRadiusKm, n.RadiusKm)
	}
	return nil
}

// ValidateMemberOrder checks that an order suits its filter: DISTANCE is
// measured from the centre of the near filter, so it needs one. Returns
// BAD_USER_INPUT naming orderBy.field otherwise.
func ValidateMemberOrder(f MemberFilter, o MemberOrder) error {
	if o.Field == OrderByDistance && f.Near == nil {
		return InvalidField("orderBy.field", "orderBy.field %s needs filter.near: the distance is measured from its centre", OrderByDistance)
	}
	return nil
}
