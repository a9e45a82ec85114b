-- The engagement score (SPEC §3, formula in the schema's Engagement type),
-- written once for every query that needs it: a member's engagement and the
-- dashboard's distribution. Not STRICT, so that PostgreSQL inlines it
-- (least() is not strict): a call per row would cost more than the rest.
CREATE FUNCTION grappe_engagement_score(meetings bigint, groups bigint, questions bigint, links bigint)
    RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT least(100, least(40, 10 * meetings) + least(20, 10 * groups)
                          + least(20, 5 * questions) + least(20, 5 * links))::integer $$;
