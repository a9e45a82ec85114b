DROP INDEX IF EXISTS members_location_idx;

--bun:split

DROP FUNCTION IF EXISTS grappe_distance_km(double precision, double precision, double precision, double precision);
