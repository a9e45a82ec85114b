-- Members near a place (MemberFilter.near, the DISTANCE order), in core
-- PostgreSQL: cube and earthdistance are not trusted extensions and would
-- need a superuser on DATABASE_URL.
--
-- grappe_distance_km is the great-circle distance in kilometres by the
-- haversine formula on a sphere of radius R = 6371.0088 km (the mean Earth
-- radius), null when a coordinate is. least() keeps rounding from taking
-- asin out of its domain for nearly antipodal points. The function is a
-- plain SQL expression, IMMUTABLE and not STRICT, so that the planner
-- inlines it into the queries.
CREATE FUNCTION grappe_distance_km(lat1 double precision, lng1 double precision,
                                   lat2 double precision, lng2 double precision)
    RETURNS double precision
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN num_nulls(lat1, lng1, lat2, lng2) = 0 THEN
        2 * 6371.0088 * asin(least(1, sqrt(sin(radians(lat2 - lat1) / 2) ^ 2
            + cos(radians(lat1)) * cos(radians(lat2)) * sin(radians(lng2 - lng1) / 2) ^ 2))) END $$;

--bun:split

-- The prefilter of a near filter: the members whose position lies in the
-- circle's bounding box (point(lng, lat) <@ box, one box or two across the
-- antimeridian), read from this index before the exact distance is
-- computed. Members without a location have a null point: never in a box.
CREATE INDEX members_location_idx ON members USING gist (point(lng, lat));
