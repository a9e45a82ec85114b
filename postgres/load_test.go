package postgres_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"grappe/demo"
	"grappe/domain"
	"grappe/postgres"
	"grappe/postgres/pgtest"
)

var loadToday = time.Date(2026, time.March, 15, 0, 0, 0, 0, time.UTC)

// expectedRows returns the number of rows a dataset puts in each table.
func expectedRows(ds *domain.Dataset) map[string]int {
	memberTrades, attendees := 0, 0
	for _, m := range ds.Members {
		memberTrades += len(m.TradeIDs)
	}
	for _, m := range ds.Meetings {
		attendees += len(m.AttendeeIDs)
	}
	return map[string]int{
		"trades":                 len(ds.Trades),
		"trade_complements":      len(ds.Complements),
		"members":                len(ds.Members),
		"member_trades":          memberTrades,
		"contacts":               len(ds.Contacts),
		"business_links":         len(ds.Links),
		"questions":              len(ds.Questions),
		"question_supports":      len(ds.Supports),
		"working_groups":         len(ds.Groups),
		"group_participants":     len(ds.Participants),
		"meetings":               len(ds.Meetings),
		"meeting_attendees":      attendees,
		"action_plans":           len(ds.ActionPlans),
		"trainings":              len(ds.Trainings),
		"training_registrations": len(ds.Registrations),
		"touchpoints":            len(ds.Touchpoints),
		"purchasing_campaigns":   len(ds.Campaigns),
		"campaign_commitments":   len(ds.Commitments),
	}
}

// rowCounts counts the rows of the tables of want.
func rowCounts(t *testing.T, db *postgres.DB, want map[string]int) map[string]int {
	t.Helper()
	got := make(map[string]int, len(want))
	for table := range want {
		var n int
		if err := db.Bun().NewRaw("SELECT count(*) FROM "+table).Scan(context.Background(), &n); err != nil {
			t.Fatalf("count %s: %v", table, err)
		}
		got[table] = n
	}
	return got
}

func TestLoadDemoIfEmptyLoadsOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.NewDB(t)
	ds := demo.Generate(demo.Options{Seed: 1, Today: loadToday})
	want := expectedRows(ds)

	loaded, err := db.LoadDemoIfEmpty(ctx, ds)
	if err != nil || !loaded {
		t.Fatalf("first load: loaded %v, %v", loaded, err)
	}
	if diff := cmp.Diff(want, rowCounts(t, db, want)); diff != "" {
		t.Fatalf("row counts (-want +got):\n%s", diff)
	}
	for table, n := range want {
		if n == 0 {
			t.Errorf("the reference network has no %s", table)
		}
	}
	loaded, err = db.LoadDemoIfEmpty(ctx, demo.Generate(demo.Options{Seed: 2, Today: loadToday}))
	if err != nil || loaded {
		t.Fatalf("second load: loaded %v, %v", loaded, err)
	}
	if diff := cmp.Diff(want, rowCounts(t, db, want)); diff != "" {
		t.Fatalf("row counts after the second load (-want +got):\n%s", diff)
	}

	// Identity sequences continue after the loaded ids.
	var id int64
	err = db.Bun().NewRaw("INSERT INTO questions (text, theme, raised_by) VALUES ('Test ?', 'OTHER', 1) RETURNING id").Scan(ctx, &id)
	if err != nil || id != int64(len(ds.Questions)+1) {
		t.Fatalf("new question id %d, %v; want %d", id, err, len(ds.Questions)+1)
	}
	err = db.Bun().NewRaw("INSERT INTO business_links (from_id, to_id, kind, since, declared_by) VALUES (1, 2, 'REFERRAL', '2026-01-01', 1) RETURNING id").Scan(ctx, &id)
	if err != nil || id != int64(len(ds.Links)+1) {
		t.Fatalf("new link id %d, %v; want %d", id, err, len(ds.Links)+1)
	}
}

func TestLoadedDataRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.NewDB(t)
	ds := demo.Generate(demo.Options{Seed: 3, Today: loadToday})
	if _, err := db.LoadDemoIfEmpty(ctx, ds); err != nil {
		t.Fatal(err)
	}

	// Each (member, trade) row keeps its member's name and status.
	var rows, off int
	err := db.Bun().NewRaw(`SELECT count(*), count(*) FILTER (WHERE mt.member_name <> m.name OR mt.member_active <> (m.left_on IS NULL))
		FROM member_trades AS mt JOIN members AS m ON m.id = mt.member_id`).Scan(ctx, &rows, &off)
	if err != nil || rows == 0 || off != 0 {
		t.Errorf("member_trades: %d rows, %d off their member, %v", rows, off, err)
	}

	// A business link, column by column.
	l := ds.Links[len(ds.Links)/2]
	for _, link := range ds.Links {
		if link.Status == domain.LinkEnded && link.Note != "" && link.VolumeBand != "" {
			l = link
			break
		}
	}
	var row struct {
		FromID, ToID, DeclaredBy int64
		Kind, Status, Origin     string
		VolumeBand, Note         string
		Since, Until             string
		ConfirmedAt, CreatedAt   time.Time
	}
	err = db.Bun().NewRaw(`SELECT from_id, to_id, declared_by, kind, status, origin, volume_band, note,
		since::text, until::text, confirmed_at, created_at FROM business_links WHERE id = ?`, l.ID).
		Scan(ctx, &row.FromID, &row.ToID, &row.DeclaredBy, &row.Kind, &row.Status, &row.Origin, &row.VolumeBand, &row.Note,
			&row.Since, &row.Until, &row.ConfirmedAt, &row.CreatedAt)
	if err != nil {
		t.Fatal(err)
	}
	if row.FromID != l.FromID || row.ToID != l.ToID || row.DeclaredBy != l.DeclaredBy || row.Kind != string(l.Kind) ||
		row.Status != string(l.Status) || row.Origin != string(l.Origin) || row.VolumeBand != string(l.VolumeBand) ||
		row.Note != l.Note || row.Since != l.Since.Format(time.DateOnly) || row.Until != l.Until.Format(time.DateOnly) ||
		!row.ConfirmedAt.Equal(*l.ConfirmedAt) || !row.CreatedAt.Equal(l.CreatedAt) {
		t.Errorf("link %d loaded as %+v, want %+v", l.ID, row, l)
	}

	// JSON columns decode into the domain types they came from.
	m := ds.Meetings[len(ds.Meetings)-1]
	var agenda []byte
	if err := db.Bun().NewRaw("SELECT agenda FROM meetings WHERE id = ?", m.ID).Scan(ctx, &agenda); err != nil {
		t.Fatal(err)
	}
	var items []domain.AgendaItem
	if err := json.Unmarshal(agenda, &items); err != nil || !cmp.Equal(items, m.Agenda) {
		t.Errorf("agenda of meeting %d loaded as %s (%v), want %v", m.ID, agenda, err, m.Agenda)
	}
	p := ds.ActionPlans[0]
	var raw []byte
	var distributed int
	if err := db.Bun().NewRaw("SELECT items, distributed_to FROM action_plans WHERE id = ?", p.ID).Scan(ctx, &raw, &distributed); err != nil {
		t.Fatal(err)
	}
	var actions []domain.ActionItem
	if err := json.Unmarshal(raw, &actions); err != nil || !cmp.Equal(actions, p.Items) || distributed != p.DistributedTo {
		t.Errorf("plan %d loaded as %s, %d (%v), want %+v", p.ID, raw, distributed, err, p.Items)
	}

	// A training's seats taken are its registrations, attended ones included.
	var seatsOff int
	if err := db.Bun().NewRaw(`SELECT count(*) FROM trainings AS tr
		WHERE tr.registration_count <> (SELECT count(*) FROM training_registrations AS r WHERE r.training_id = tr.id)`).Scan(ctx, &seatsOff); err != nil || seatsOff != 0 {
		t.Errorf("%d trainings whose registration count is off, %v", seatsOff, err)
	}

	// The trade shows, their exhibitors (with the trades of those that are
	// not members) and leads; every converted lead names a link of origin
	// TRADE_SHOW created after its show began.
	var shows, exhibitors, exhibitorTrades, leads, converted, badLinks int
	err = db.Bun().NewRaw(`SELECT (SELECT count(*) FROM trade_shows), (SELECT count(*) FROM exhibitors),
		(SELECT count(*) FROM exhibitor_trades), (SELECT count(*) FROM leads), (SELECT count(converted_link_id) FROM leads),
		(SELECT count(*) FROM leads AS ld JOIN trade_shows AS s ON s.id = ld.trade_show_id JOIN business_links AS l ON l.id = ld.converted_link_id
		 WHERE l.origin <> 'TRADE_SHOW' OR l.created_at < s.starts_on OR s.year <> extract(year FROM s.starts_on))`).
		Scan(ctx, &shows, &exhibitors, &exhibitorTrades, &leads, &converted, &badLinks)
	if err != nil {
		t.Fatal(err)
	}
	wantTrades, wantConverted := 0, 0
	for _, e := range ds.Exhibitors {
		wantTrades += len(e.TradeIDs)
	}
	for _, l := range ds.Leads {
		if l.ConvertedLinkID != nil {
			wantConverted++
		}
	}
	if shows != len(ds.TradeShows) || exhibitors != len(ds.Exhibitors) || exhibitorTrades != wantTrades || leads != len(ds.Leads) ||
		converted != wantConverted || converted == 0 || badLinks != 0 {
		t.Errorf("loaded %d shows, %d exhibitors, %d exhibitor trades, %d leads (%d converted, %d to odd links), want %d, %d, %d, %d (%d)",
			shows, exhibitors, exhibitorTrades, leads, converted, badLinks, len(ds.TradeShows), len(ds.Exhibitors), wantTrades, len(ds.Leads), wantConverted)
	}

	// A campaign, read back with the totals of its commitments.
	sc := domain.WithViewer(ctx, domain.Viewer{Role: domain.RoleStaff})
	for _, c := range ds.Campaigns {
		if c.Status != domain.CampaignOrdered {
			continue
		}
		total, members := 0, 0
		for _, cm := range ds.Commitments {
			if cm.CampaignID == c.ID {
				total, members = total+cm.Quantity, members+1
			}
		}
		got, err := db.Purchasing().CampaignsByIDs(sc, []int64{c.ID})
		if err != nil {
			t.Fatal(err)
		}
		g := got[c.ID]
		if g == nil || g.Title != c.Title || g.Status != c.Status || !g.ClosesAt.Equal(c.ClosesAt) || !g.OpensAt.Equal(*c.OpensAt) ||
			g.ListPrice != c.ListPrice || g.NegotiatedPrice != c.NegotiatedPrice || g.TotalQuantity != total || g.CommittedMembers != members ||
			!cmp.Equal(g.GroupID, c.GroupID) || g.Description != c.Description || g.Category != c.Category {
			t.Errorf("campaign %d loaded as %+v, want %+v with %d units from %d members", c.ID, g, c, total, members)
		}
		break
	}

	// Statuses derived in the database agree with the dataset.
	var lapsed int
	if err := db.Bun().NewRaw("SELECT count(*) FROM members WHERE status = 'LAPSED'").Scan(ctx, &lapsed); err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, m := range ds.Members {
		if m.Status == domain.StatusLapsed {
			want++
		}
	}
	if lapsed != want {
		t.Errorf("%d LAPSED members loaded, want %d", lapsed, want)
	}
}

// schema lists the indexes and constraints of the public tables.
func schema(t *testing.T, db *postgres.DB) []string {
	t.Helper()
	var defs []string
	err := db.Bun().NewRaw(`SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'
		UNION ALL SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)
		FROM pg_constraint WHERE connamespace = 'public'::regnamespace
		ORDER BY 1`).Scan(context.Background(), &defs)
	if err != nil {
		t.Fatal(err)
	}
	return defs
}

// TestReplaceWithDemo replaces a loaded network with a bigger one, whose
// large tables load with their indexes and foreign keys built after the
// COPY: the schema must come back as it was.
func TestReplaceWithDemo(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.NewDB(t)
	before := schema(t, db)
	if _, err := db.LoadDemoIfEmpty(ctx, demo.Generate(demo.Options{Seed: 4, Today: loadToday})); err != nil {
		t.Fatal(err)
	}
	ds := demo.Generate(demo.Options{Members: 2000, Seed: 5, Today: loadToday})
	if len(ds.Links) < 10_000 {
		t.Fatalf("%d links: too few to load in bulk", len(ds.Links))
	}
	if err := db.ReplaceWithDemo(ctx, ds); err != nil {
		t.Fatal(err)
	}
	want := expectedRows(ds)
	if diff := cmp.Diff(want, rowCounts(t, db, want)); diff != "" {
		t.Fatalf("row counts after replace (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(before, schema(t, db)); diff != "" {
		t.Fatalf("indexes and constraints after a bulk load (-before +after):\n%s", diff)
	}
	// The rebuilt unique index still refuses a duplicate live link.
	var l domain.BusinessLink
	for _, x := range ds.Links {
		if x.Status == domain.LinkConfirmed && !x.Kind.Symmetric() {
			l = x
			break
		}
	}
	_, err := db.Bun().ExecContext(ctx, "INSERT INTO business_links (from_id, to_id, kind, status, since, declared_by) VALUES (?, ?, ?, 'PENDING', '2026-01-01', ?)",
		l.FromID, l.ToID, string(l.Kind), l.FromID)
	if err == nil {
		t.Fatal("a duplicate live link was accepted after a bulk load")
	}
}
