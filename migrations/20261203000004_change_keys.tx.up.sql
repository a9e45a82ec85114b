-- Announced changes say which transaction made them and name the rows
-- they concern, so that a server can tell whether its network graph
-- already holds a change (its own write, most often) and whom a change is
-- about (a subscriber's link, a group's meeting) without reading
-- everything again. The payload on grappe_changes is
--
--   <table> <op> <xid> <time> <key>,<key>,...
--
-- with op I, U, D or T; xid the transaction's id (pg_current_xact_id);
-- time the statement's start in microseconds since 1970, for the lag a
-- server measures; as keys the rows' ids, or for a table of pairs its
-- first key (a participant's group, an attendee's meeting, a trade's or
-- contact's member). Without keys, any row of the table may have changed:
-- a TRUNCATE, a table whose rows have no key to name, or more rows than a
-- payload holds (350 keys of 19 digits stay under PostgreSQL's 8,000-byte
-- limit). A statement that changed no row announces nothing. PostgreSQL
-- delivers each distinct payload once per transaction, at its commit.
CREATE OR REPLACE FUNCTION grappe_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	keys bigint[];
	head text := format('%s %s %s %s', TG_TABLE_NAME, left(TG_OP, 1), pg_current_xact_id(),
		floor(extract(epoch FROM statement_timestamp()) * 1000000)::bigint);
BEGIN
	IF TG_OP = 'TRUNCATE' OR TG_NARGS = 0 THEN
		PERFORM pg_notify('grappe_changes', head);
		RETURN NULL;
	END IF;
	IF TG_OP = 'UPDATE' THEN
		EXECUTE format('SELECT array_agg(k) FROM (SELECT %1$I AS k FROM changed_rows
			UNION SELECT %1$I FROM old_rows LIMIT 351) s', TG_ARGV[0]) INTO keys;
	ELSE
		EXECUTE format('SELECT array_agg(k) FROM (SELECT DISTINCT %1$I AS k FROM changed_rows
			LIMIT 351) s', TG_ARGV[0]) INTO keys;
	END IF;
	IF keys IS NULL THEN
		RETURN NULL;
	ELSIF cardinality(keys) > 350 THEN
		PERFORM pg_notify('grappe_changes', head);
	ELSE
		PERFORM pg_notify('grappe_changes', head || ' ' || array_to_string(keys, ','));
	END IF;
	RETURN NULL;
END
$$;

DO $$
DECLARE
	t record;
BEGIN
	FOR t IN SELECT * FROM (VALUES ('members', 'id'), ('member_trades', 'member_id'),
		('contacts', 'member_id'), ('trades', 'id'), ('business_links', 'id'),
		('questions', 'id'), ('question_supports', 'question_id'), ('working_groups', 'id'),
		('group_participants', 'group_id'), ('meetings', 'id'), ('meeting_attendees', 'meeting_id'),
		('action_plans', 'id')) AS k (tbl, key) LOOP
		EXECUTE format('DROP TRIGGER grappe_notify_change ON %I', t.tbl);
		EXECUTE format('CREATE TRIGGER grappe_notify_insert AFTER INSERT ON %I
			REFERENCING NEW TABLE AS changed_rows
			FOR EACH STATEMENT EXECUTE FUNCTION grappe_notify_change(%L)', t.tbl, t.key);
		EXECUTE format('CREATE TRIGGER grappe_notify_update AFTER UPDATE ON %I
			REFERENCING OLD TABLE AS old_rows NEW TABLE AS changed_rows
			FOR EACH STATEMENT EXECUTE FUNCTION grappe_notify_change(%L)', t.tbl, t.key);
		EXECUTE format('CREATE TRIGGER grappe_notify_delete AFTER DELETE ON %I
			REFERENCING OLD TABLE AS changed_rows
			FOR EACH STATEMENT EXECUTE FUNCTION grappe_notify_change(%L)', t.tbl, t.key);
	END LOOP;
END
$$;
