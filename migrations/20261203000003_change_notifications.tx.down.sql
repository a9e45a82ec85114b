DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['members', 'member_trades', 'contacts', 'trades', 'trade_complements',
		'business_links', 'questions', 'question_supports', 'working_groups', 'group_participants',
		'meetings', 'meeting_attendees', 'action_plans'] LOOP
		EXECUTE format('DROP TRIGGER grappe_notify_change ON %I', t);
		EXECUTE format('DROP TRIGGER grappe_notify_truncate ON %I', t);
	END LOOP;
END
$$;

DROP FUNCTION grappe_notify_change();
