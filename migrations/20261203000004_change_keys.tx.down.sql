-- Back to announcing the table alone, for every statement.
DO $$
DECLARE
	r record;
	t text;
BEGIN
	FOR r IN SELECT tgname, tgrelid::regclass AS tbl FROM pg_trigger
		WHERE tgname IN ('grappe_notify_insert', 'grappe_notify_update', 'grappe_notify_delete') LOOP
		EXECUTE format('DROP TRIGGER %I ON %s', r.tgname, r.tbl);
	END LOOP;
	FOREACH t IN ARRAY ARRAY['members', 'member_trades', 'contacts', 'trades',
		'business_links', 'questions', 'question_supports', 'working_groups', 'group_participants',
		'meetings', 'meeting_attendees', 'action_plans'] LOOP
		EXECUTE format('CREATE TRIGGER grappe_notify_change AFTER INSERT OR UPDATE OR DELETE ON %I
			FOR EACH STATEMENT EXECUTE FUNCTION grappe_notify_change()', t);
	END LOOP;
END
$$;

CREATE OR REPLACE FUNCTION grappe_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('grappe_changes', TG_TABLE_NAME);
	RETURN NULL;
END
$$;
