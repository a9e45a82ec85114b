-- What PostGraphile needs on top of grappe's schema to serve the benchmark's
-- documents, kept in a schema of its own (grappe_peer) so grappe's
-- migrations stay untouched. Idempotent: server.mjs runs it at start.

CREATE SCHEMA IF NOT EXISTS grappe_peer;

-- A member's business links whatever its side, each with the other party:
-- grappe's Member.businessLinks (direction ANY) and its edges' counterpart.
-- A filter on owner_id reaches both branches, so each uses its index
-- (business_links_from_idx, business_links_to_idx) in created_at order.
CREATE OR REPLACE VIEW grappe_peer.member_links AS
SELECT l.from_id AS owner_id, l.to_id AS counterpart_id,
       l.id, l.from_id, l.to_id, l.kind, l.status, l.since, l.until, l.volume_band,
       l.origin, l.declared_by, l.confirmed_at, l.note, l.created_at, l.updated_at
FROM public.business_links AS l
UNION ALL
SELECT l.to_id, l.from_id,
       l.id, l.from_id, l.to_id, l.kind, l.status, l.since, l.until, l.volume_band,
       l.origin, l.declared_by, l.confirmed_at, l.note, l.created_at, l.updated_at
FROM public.business_links AS l;

COMMENT ON VIEW grappe_peer.member_links IS E'@name member_links\n@primaryKey owner_id,id\n@foreignKey (owner_id) references public.members (id)\n@foreignKey (counterpart_id) references public.members (id)\n@foreignKey (id) references public.business_links (id)\nA member''s business links, either side, with the other party.';

-- The working groups a member currently takes part in, with the group's
-- formation time so they can be listed newest first like grappe's
-- Member.groups.
CREATE OR REPLACE VIEW grappe_peer.current_participations AS
SELECT gp.member_id, gp.group_id, gp.role, gp.joined_at, g.formed_at
FROM public.group_participants AS gp
JOIN public.working_groups AS g ON g.id = gp.group_id
WHERE gp.left_at IS NULL;

COMMENT ON VIEW grappe_peer.current_participations IS E'@name current_participations\n@primaryKey member_id,group_id\n@foreignKey (member_id) references public.members (id)\n@foreignKey (group_id) references public.working_groups (id)\nThe working groups each member currently takes part in.';

-- Grappe's member search: ACTIVE members whose name or description match
-- the words (French and English stems, accents dropped), best match first.
-- A plain SQL function, so PostgreSQL inlines it and applies the page limit.
CREATE OR REPLACE FUNCTION grappe_peer.search_members(words text) RETURNS SETOF public.members
    LANGUAGE sql STABLE PARALLEL SAFE STRICT
    AS $$
    SELECT m.* FROM public.members AS m
    WHERE m.status = 'ACTIVE' AND m.search_vector @@ public.grappe_search_query(words)
    ORDER BY ts_rank_cd(m.search_vector, public.grappe_search_query(words))::float8 DESC, m.id DESC
    $$;

COMMENT ON FUNCTION grappe_peer.search_members(text) IS E'@name search_members\nACTIVE members matching the words, best match first.';
