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

COMMENT ON VIEW grappe_peer.member_links IS E'@name member_links\n@primaryKey owner_id,id\n@foreignKey (owner_id) references public.members (id)\n@foreignKey (counterpart_id) references public.members (id)\n@foreignKey (from_id) references public.members (id)\n@foreignKey (to_id) references public.members (id)\n@foreignKey (declared_by) references public.members (id)\n@foreignKey (id) references public.business_links (id)\nA member''s business links, either side, with the other party.';

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

-- The distinct members each member has a CONFIRMED link with, with their
-- name: grappe's Member.partners, by name then id.
CREATE OR REPLACE VIEW grappe_peer.member_partners AS
SELECT DISTINCT l.owner_id AS member_id, l.counterpart_id AS partner_id, m.name AS partner_name
FROM grappe_peer.member_links AS l
JOIN public.members AS m ON m.id = l.counterpart_id
WHERE l.status = 'CONFIRMED';

COMMENT ON VIEW grappe_peer.member_partners IS E'@name member_partners\n@primaryKey member_id,partner_id\n@foreignKey (member_id) references public.members (id)\n@foreignKey (partner_id) references public.members (id)\nThe distinct members each member has a confirmed link with.';

-- A working group's current participants with what grappe orders them by:
-- the lead first, then by joining time, then by time of support.
CREATE OR REPLACE VIEW grappe_peer.participants AS
SELECT gp.group_id, gp.member_id, gp.role, gp.joined_at, gp.role = 'LEAD' AS is_lead, qs.supported_at
FROM public.group_participants AS gp
JOIN public.working_groups AS g ON g.id = gp.group_id
LEFT JOIN public.question_supports AS qs ON qs.question_id = g.question_id AND qs.member_id = gp.member_id
WHERE gp.left_at IS NULL;

COMMENT ON VIEW grappe_peer.participants IS E'@name participants\n@primaryKey group_id,member_id\n@foreignKey (group_id) references public.working_groups (id)\n@foreignKey (member_id) references public.members (id)\nThe current participants of each working group.';

-- A question's supporters with what grappe orders them by: the raiser
-- first, then in order of support.
CREATE OR REPLACE VIEW grappe_peer.supporters AS
SELECT qs.question_id, qs.member_id, qs.supported_at, qs.member_id = q.raised_by AS is_raiser
FROM public.question_supports AS qs
JOIN public.questions AS q ON q.id = qs.question_id;

COMMENT ON VIEW grappe_peer.supporters IS E'@name supporters\n@primaryKey question_id,member_id\n@foreignKey (question_id) references public.questions (id)\n@foreignKey (member_id) references public.members (id)\nThe supporters of each question.';

-- The taxonomy with each trade's depth, so it lists as grappe's
-- Query.trades does: roots first, then each level by code.
CREATE OR REPLACE VIEW grappe_peer.trade_tree AS
WITH RECURSIVE tree (id, depth) AS (
    SELECT t.id, 0 FROM public.trades AS t WHERE t.parent_id IS NULL
    UNION ALL
    SELECT t.id, tree.depth + 1 FROM public.trades AS t JOIN tree ON t.parent_id = tree.id)
SELECT t.id, t.code, tree.depth FROM tree JOIN public.trades AS t ON t.id = tree.id;

COMMENT ON VIEW grappe_peer.trade_tree IS E'@name trade_tree\n@primaryKey id\n@foreignKey (id) references public.trades (id)\nThe trades with their depth in the taxonomy.';

-- A trade's complements seen from either side (trade_complements stores
-- each pair once), in grappe's order: by the other trade's id, then kind.
CREATE OR REPLACE VIEW grappe_peer.complements AS
SELECT c.trade_low AS trade_id, c.trade_high AS other_id, c.kind, c.description FROM public.trade_complements AS c
UNION ALL
SELECT c.trade_high, c.trade_low, c.kind, c.description FROM public.trade_complements AS c;

COMMENT ON VIEW grappe_peer.complements IS E'@name complements\n@primaryKey trade_id,other_id,kind\n@foreignKey (trade_id) references public.trades (id)\n@foreignKey (other_id) references public.trades (id)\nThe complements of each trade, from either side.';

-- The ACTIVE members of each trade or of one of its sub-trades, as
-- grappe's Trade.members: two levels, as grappe's taxonomy has.
CREATE OR REPLACE VIEW grappe_peer.trade_members AS
SELECT t.id AS trade_id, m.id AS member_id, m.name
FROM public.trades AS t
JOIN public.members AS m ON m.status = 'ACTIVE'
WHERE EXISTS (SELECT 1 FROM public.member_trades AS mt JOIN public.trades AS u ON u.id = mt.trade_id
              WHERE mt.member_id = m.id AND (u.id = t.id OR u.parent_id = t.id));

COMMENT ON VIEW grappe_peer.trade_members IS E'@name trade_members\n@primaryKey trade_id,member_id\n@foreignKey (trade_id) references public.trades (id)\n@foreignKey (member_id) references public.members (id)\nThe active members of each trade and its sub-trades.';
