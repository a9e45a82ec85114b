package postgres_test

import (
	"context"
	"database/sql"
	"log/slog"
	"slices"
	"testing"
	"time"

	"grappe/domain"
	"grappe/postgres"
	"grappe/postgres/pgtest"
)

// TestChangesNameTheirRows: every statement that changes rows, by SQL by
// hand as through the API, is announced with its table, its operation and
// the rows' keys; a statement of too many rows announces its table and
// operation alone, and one that changes nothing announces nothing.
func TestChangesNameTheirRows(t *testing.T) {
	t.Parallel()
	url := pgtest.NewURL(t)
	db, err := postgres.Open(context.Background(), url, postgres.Options{MaxOpenConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	batches := make(chan domain.DataChanges, 100)
	watch, err := db.WatchChanges(ctx, slog.New(slog.DiscardHandler), func(b domain.DataChanges) { batches <- b })
	if err != nil {
		t.Fatal(err)
	}
	go watch.Run(ctx)
	sqlDB, err := sql.Open("pg", url)
	if err != nil {
		t.Fatal(err)
	}
	defer sqlDB.Close()
	// announced runs q and returns what was announced of it.
	announced := func(q string) domain.DataChanges {
		t.Helper()
		if _, err := sqlDB.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		select {
		case b := <-batches:
			return b
		case <-time.After(5 * time.Second):
			return domain.DataChanges{}
		}
	}
	want := func(q string, want ...domain.DataChange) {
		t.Helper()
		got := announced(q)
		if !slices.EqualFunc(got, want, func(a, b domain.DataChange) bool {
			return a.Table == b.Table && a.Op == b.Op && slices.Equal(a.IDs, b.IDs) && a.Whole() == b.Whole() &&
				a.Xid != 0 && a.Xid == got[0].Xid && time.Since(a.At).Abs() < time.Minute
		}) {
			t.Errorf("%s:\n got %+v\nwant %+v", q, got, want)
		}
	}
	want(`INSERT INTO members (id, name, kind, joined_on) VALUES (901, 'A', 'COMPANY', current_date), (902, 'B', 'COMPANY', current_date)`,
		domain.DataChange{Table: "members", Op: domain.ChangeInsert, IDs: []int64{901, 902}})
	want(`UPDATE members SET city = 'Lyon' WHERE id = 902`,
		domain.DataChange{Table: "members", Op: domain.ChangeUpdate, IDs: []int64{902}})
	want(`INSERT INTO business_links (id, from_id, to_id, kind, since, declared_by) VALUES (77, 901, 902, 'SUPPLY', current_date, 901)`,
		domain.DataChange{Table: "business_links", Op: domain.ChangeInsert, IDs: []int64{77}})
	// A transaction announces each of its statements, at its commit, with
	// its id.
	want(`BEGIN; UPDATE business_links SET status = 'CONFIRMED' WHERE id = 77; DELETE FROM business_links WHERE id = 77; COMMIT`,
		domain.DataChange{Table: "business_links", Op: domain.ChangeUpdate, IDs: []int64{77}},
		domain.DataChange{Table: "business_links", Op: domain.ChangeDelete, IDs: []int64{77}})
	want(`INSERT INTO trades (id, code, name_en, name_fr) VALUES (801, 'T801', 'One', 'Un'), (802, 'T802', 'Two', 'Deux')`,
		domain.DataChange{Table: "trades", Op: domain.ChangeInsert, IDs: []int64{801, 802}})
	// A table of pairs names its first key.
	want(`INSERT INTO member_trades (member_id, trade_id) VALUES (901, 801), (901, 802)`,
		domain.DataChange{Table: "member_trades", Op: domain.ChangeInsert, IDs: []int64{901}})
	// Too many rows: the table and operation alone.
	want(`INSERT INTO members (name, kind, joined_on) SELECT 'Bulk ' || i, 'COMPANY', current_date FROM generate_series(1, 400) i`,
		domain.DataChange{Table: "members", Op: domain.ChangeInsert})
	want(`TRUNCATE trade_complements`, domain.DataChange{Table: "trade_complements", Op: domain.ChangeTruncate})
	// Trainings by id, registrations by their training.
	want(`INSERT INTO trainings (id, title, theme, starts_at, duration_minutes, capacity) VALUES (61, 'CGV', 'OTHER', now(), 60, 5)`,
		domain.DataChange{Table: "trainings", Op: domain.ChangeInsert, IDs: []int64{61}})
	want(`INSERT INTO training_registrations (training_id, member_id) VALUES (61, 901)`,
		domain.DataChange{Table: "training_registrations", Op: domain.ChangeInsert, IDs: []int64{61}})
	want(`BEGIN; UPDATE training_registrations SET attended = true WHERE training_id = 61; UPDATE trainings SET status = 'HELD' WHERE id = 61; COMMIT`,
		domain.DataChange{Table: "training_registrations", Op: domain.ChangeUpdate, IDs: []int64{61}},
		domain.DataChange{Table: "trainings", Op: domain.ChangeUpdate, IDs: []int64{61}})
	want(`DELETE FROM training_registrations WHERE member_id = 901`,
		domain.DataChange{Table: "training_registrations", Op: domain.ChangeDelete, IDs: []int64{61}})
	// Nothing changed, nothing announced: the next batch is the next change.
	want(`UPDATE members SET city = 'Nowhere' WHERE id = -1; DELETE FROM members WHERE id = 902`,
		domain.DataChange{Table: "members", Op: domain.ChangeDelete, IDs: []int64{902}})
}

// TestDataChangesIDs: the keys a batch names for a table, and when it
// cannot name them.
func TestDataChangesIDs(t *testing.T) {
	t.Parallel()
	batch := domain.DataChanges{
		{Table: "business_links", Op: domain.ChangeInsert, IDs: []int64{3, 1}},
		{Table: "members", Op: domain.ChangeUpdate, IDs: []int64{9}},
		{Table: "business_links", Op: domain.ChangeUpdate, IDs: []int64{1, 2}},
	}
	if ids, known := batch.IDs("business_links", 0); !known || !slices.Equal(ids, []int64{1, 2, 3}) {
		t.Errorf("links: %v %v", ids, known)
	}
	if ids, known := batch.IDs("business_links", domain.ChangeUpdate); !known || !slices.Equal(ids, []int64{1, 2}) {
		t.Errorf("updated links: %v %v", ids, known)
	}
	if ids, known := batch.IDs("meetings", 0); !known || len(ids) != 0 {
		t.Errorf("meetings: %v %v", ids, known)
	}
	whole := append(batch, domain.DataChange{Table: "members", Op: domain.ChangeInsert})
	if _, known := whole.IDs("members", 0); known {
		t.Error("a change without keys names its rows")
	}
	if _, known := domain.DataChanges(nil).IDs("members", 0); known {
		t.Error("an unknown batch names rows")
	}
	if !domain.DataChanges(nil).Touches("trades") || batch.Touches("trades") || !batch.Touches("trades", "members") {
		t.Error("Touches")
	}
}

// TestWatchChangesListensOnReturn: a change committed on another
// connection as soon as WatchChanges returns is announced (the driver
// sends LISTEN without waiting for the database to take it: WatchChanges
// waits), on every one of many new watches, and a watch's check channel
// announces nothing.
func TestWatchChangesListensOnReturn(t *testing.T) {
	t.Parallel()
	url := pgtest.NewURL(t)
	db, err := postgres.Open(context.Background(), url, postgres.Options{MaxOpenConns: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sqlDB, err := sql.Open("pg", url)
	if err != nil {
		t.Fatal(err)
	}
	defer sqlDB.Close()
	for i := range 20 {
		ctx, cancel := context.WithCancel(context.Background())
		batches := make(chan domain.DataChanges, 100)
		watch, err := db.WatchChanges(ctx, slog.New(slog.DiscardHandler), func(b domain.DataChanges) { batches <- b })
		if err != nil {
			cancel()
			t.Fatal(err)
		}
		done := make(chan struct{})
		go func() { watch.Run(ctx); close(done) }()
		id := int64(1000 + i)
		if _, err := sqlDB.Exec(`INSERT INTO members (id, name, kind, joined_on) VALUES ($1, 'Listened', 'COMPANY', current_date)`, id); err != nil {
			t.Fatal(err)
		}
		select {
		case b := <-batches:
			if len(b) != 1 || b[0].Table != "members" || !slices.Equal(b[0].IDs, []int64{id}) {
				t.Errorf("watch %d: announced %+v, want the insert of member %d alone", i, b, id)
			}
		case <-time.After(5 * time.Second):
			t.Errorf("watch %d: the insert of member %d committed after WatchChanges returned was not announced", i, id)
		}
		cancel()
		<-done
	}
}
