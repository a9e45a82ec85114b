package main

import (
	"database/sql"
	"strings"
	"testing"
	"time"

	"grappe/globalid"
	"grappe/postgres/pgtest"
)

// TestMeetingGroupAndNetworkEvents: meetings reach the members of their
// group, groups formed reach who raised or supported their question, and
// the network graph's versions reach analysts and staff; each event is
// read afresh (a group renamed between two events shows its new name),
// and members outside hear nothing.
func TestMeetingGroupAndNetworkEvents(t *testing.T) {
	t.Parallel()
	url := pgtest.NewURL(t)
	app := startApp(t, appVars(url, map[string]string{"GRAPPE_RATE_LIMIT": noRateLimit}))
	defer app.Close()
	sqlDB, err := sql.Open("pg", url)
	if err != nil {
		t.Fatal(err)
	}
	defer sqlDB.Close()
	exec := func(q string) {
		t.Helper()
		if _, err := sqlDB.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`INSERT INTO members (id, name, kind, joined_on) VALUES (1, 'Raiser', 'COMPANY', current_date),
		(2, 'Supporter', 'COMPANY', current_date), (3, 'Outsider', 'COMPANY', current_date)`)
	exec(`INSERT INTO questions (id, text, theme, raised_by) VALUES (10, 'Share a calibration bench?', 'PURCHASING', 1)`)
	exec(`INSERT INTO question_supports (question_id, member_id) VALUES (10, 1), (10, 2)`)
	token := func(id int64) string { return memberToken(t, globalid.Encode(globalid.TypeMember, id)) }
	subscriber := func(id int64, query string) *wsClient {
		c := dialWS(t, app.URL(), token(id))
		c.subscribe("1", query, nil)
		return c
	}
	const groups = `subscription { groupFormed { name question { text } } }`
	const meetings = `subscription { meetingChanged { kind meeting { title group { name } } } }`
	raiser, supporter, outsider := subscriber(1, groups), subscriber(2, groups), subscriber(3, groups)
	defer raiser.close()
	defer supporter.close()
	defer outsider.close()
	staff := dialWS(t, app.URL(), staffToken(t))
	defer staff.close()
	staff.subscribe("net", `subscription { networkChanged { version memberCount linkCount } }`, nil)
	refused := dialWS(t, app.URL(), token(3))
	defer refused.close()
	refused.subscribe("net", `subscription { networkChanged { version } }`, nil)
	if code := refused.errorCode(5 * time.Second); code != "FORBIDDEN" {
		t.Errorf("a member following the network graph: %s, want FORBIDDEN", code)
	}
	waitFor(t, "the subscriptions registered", 5*time.Second, func() bool { return app.events.Subscriptions() == 4 })

	exec(`BEGIN; UPDATE questions SET status = 'GROUP_FORMED' WHERE id = 10;
		INSERT INTO working_groups (id, question_id, name, theme) VALUES (20, 10, 'Bench', 'PURCHASING');
		INSERT INTO group_participants (group_id, member_id, role) VALUES (20, 1, 'LEAD'); COMMIT`)
	for who, c := range map[string]*wsClient{"raiser": raiser, "supporter": supporter} {
		g := c.data(5 * time.Second)["groupFormed"].(map[string]any)
		if g["name"] != "Bench" || g["question"].(map[string]any)["text"] != "Share a calibration bench?" {
			t.Errorf("%s: %v", who, g)
		}
	}
	if m := outsider.next(300 * time.Millisecond); m.Type != "timeout" {
		t.Errorf("the outsider heard of the group: %s %s", m.Type, m.Payload)
	}

	lead, other := subscriber(1, meetings), subscriber(2, meetings)
	defer lead.close()
	defer other.close()
	waitFor(t, "the meeting subscriptions registered", 5*time.Second, func() bool { return app.events.Subscriptions() == 6 })
	exec(`INSERT INTO meetings (id, group_id, title, starts_at, duration_minutes, agenda, expected_outcome)
		VALUES (30, 20, 'Kick-off', now() + interval '1 day', 60, '[{"title": "Who needs what", "minutes": 30}]', 'A shared list')`)
	ev := lead.data(5 * time.Second)["meetingChanged"].(map[string]any)
	if ev["kind"] != "SCHEDULED" || ev["meeting"].(map[string]any)["title"] != "Kick-off" ||
		ev["meeting"].(map[string]any)["group"].(map[string]any)["name"] != "Bench" {
		t.Errorf("scheduled: %v", ev)
	}
	exec(`UPDATE working_groups SET name = 'Shared bench' WHERE id = 20`)
	exec(`UPDATE meetings SET status = 'CANCELLED' WHERE id = 30`)
	ev = lead.data(5 * time.Second)["meetingChanged"].(map[string]any)
	if ev["kind"] != "CANCELLED" || ev["meeting"].(map[string]any)["group"].(map[string]any)["name"] != "Shared bench" {
		t.Errorf("cancelled (read afresh): %v", ev)
	}
	// A change that leaves the meeting's state as it was sends nothing.
	exec(`UPDATE meetings SET title = 'Kick-off (cancelled)' WHERE id = 30`)
	if m := lead.next(300 * time.Millisecond); m.Type != "timeout" {
		t.Errorf("a title change sent %s %s", m.Type, m.Payload)
	}
	if m := other.next(100 * time.Millisecond); m.Type != "timeout" {
		t.Errorf("a member outside the group heard of its meeting: %s %s", m.Type, m.Payload)
	}

	// A member joins: the staff subscriber hears of the graph's new
	// version, the last one counting the four of them.
	exec(`INSERT INTO members (id, name, kind, joined_on) VALUES (4, 'Newcomer', 'COMPANY', current_date)`)
	last := map[string]any{}
	for {
		m := staff.next(2 * time.Second)
		if m.Type == "timeout" {
			break
		}
		if m.Type != "next" || !strings.Contains(string(m.Payload), "networkChanged") {
			t.Fatalf("network: %s %s", m.Type, m.Payload)
		}
		last = staff.decode(m)["networkChanged"].(map[string]any)
	}
	if last["memberCount"] != float64(4) || last["version"].(float64) < 1 {
		t.Errorf("last network version %v, want 4 members", last)
	}
}
