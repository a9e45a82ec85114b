DO $$
DECLARE
	r record;
BEGIN
	FOR r IN SELECT tgname, tgrelid::regclass AS tbl FROM pg_trigger
		WHERE tgname IN ('grappe_notify_change', 'grappe_notify_truncate') LOOP
		EXECUTE format('DROP TRIGGER %I ON %s', r.tgname, r.tbl);
	END LOOP;
END
$$;

DROP FUNCTION grappe_notify_change();
