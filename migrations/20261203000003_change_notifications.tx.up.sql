-- Every committed change to a table whose content servers keep in memory
-- (the network graph, the taxonomy, dashboard blocks) is announced on the
-- channel grappe_changes, with the table's name as payload, whichever
-- session makes it: another server, or SQL by hand. PostgreSQL delivers a
-- payload once per transaction however often it is sent, so a transaction
-- announces each table it changed once, at its commit.
CREATE FUNCTION grappe_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('grappe_changes', TG_TABLE_NAME);
	RETURN NULL;
END
$$;

DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['members', 'member_trades', 'contacts', 'trades', 'trade_complements',
		'business_links', 'questions', 'question_supports', 'working_groups', 'group_participants',
		'meetings', 'meeting_attendees', 'action_plans'] LOOP
		EXECUTE format('CREATE TRIGGER grappe_notify_change AFTER INSERT OR UPDATE OR DELETE ON %I
			FOR EACH STATEMENT EXECUTE FUNCTION grappe_notify_change()', t);
		EXECUTE format('CREATE TRIGGER grappe_notify_truncate AFTER TRUNCATE ON %I
			FOR EACH STATEMENT EXECUTE FUNCTION grappe_notify_change()', t);
	END LOOP;
END
$$;
