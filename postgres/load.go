package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/driver/pgdriver"

	"grappe/domain"
)

// demoLockKey serialises demo loads across processes ("demo" in ASCII).
const demoLockKey = 0x64656d6f

// dataTables are the tables a load fills, in an order that respects
// their foreign keys.
var dataTables = []string{
	"trades", "trade_complements", "members", "member_trades", "contacts", "business_links",
	"questions", "question_supports", "working_groups", "group_participants",
	"meetings", "meeting_attendees", "action_plans", "trainings", "training_registrations", "touchpoints",
	"trade_shows", "exhibitors", "exhibitor_trades", "leads",
	"purchasing_campaigns", "campaign_commitments",
}

// identityTables are the data tables with an identity id.
var identityTables = []string{
	"trades", "members", "contacts", "business_links", "questions", "working_groups", "meetings", "action_plans",
	"trainings", "touchpoints", "trade_shows", "exhibitors", "leads", "purchasing_campaigns", "campaign_commitments",
}

// LoadDemoIfEmpty loads the dataset when the database holds no member and
// no trade, and reports whether it did. Concurrent callers load it once.
func (db *DB) LoadDemoIfEmpty(ctx context.Context, ds *domain.Dataset) (bool, error) {
	loaded := false
	err := db.inLoadTx(ctx, func(ctx context.Context, conn bun.Conn, tx bun.Tx) error {
		var empty bool
		err := tx.NewRaw("SELECT NOT EXISTS (SELECT 1 FROM members) AND NOT EXISTS (SELECT 1 FROM trades)").Scan(ctx, &empty)
		if err != nil || !empty {
			return err
		}
		loaded = true
		return loadDataset(ctx, conn, tx, ds)
	})
	if err == nil && loaded {
		db.tradesChanged()
		db.membersReplaced()
		err = db.vacuumData(ctx)
	}
	return loaded, err
}

// ReplaceWithDemo empties the database's data and loads the dataset, in one
// transaction.
func (db *DB) ReplaceWithDemo(ctx context.Context, ds *domain.Dataset) error {
	err := db.inLoadTx(ctx, func(ctx context.Context, conn bun.Conn, tx bun.Tx) error {
		if _, err := tx.ExecContext(ctx, "TRUNCATE "+strings.Join(dataTables, ", ")+" RESTART IDENTITY CASCADE"); err != nil {
			return fmt.Errorf("empty database: %w", err)
		}
		return loadDataset(ctx, conn, tx, ds)
	})
	if err != nil {
		return err
	}
	db.tradesChanged()
	db.membersReplaced()
	return db.vacuumData(ctx)
}

// inLoadTx runs f in a transaction on one connection, under the demo lock.
// COPY runs on the connection, inside the transaction.
func (db *DB) inLoadTx(ctx context.Context, f func(context.Context, bun.Conn, bun.Tx) error) error {
	conn, err := db.bun.Conn(ctx)
	if err != nil {
		return fmt.Errorf("demo load: %w", err)
	}
	defer conn.Close()
	return conn.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(?)", demoLockKey); err != nil {
			return fmt.Errorf("take demo lock: %w", err)
		}
		return f(ctx, conn, tx)
	})
}

// vacuumData marks freshly copied rows all-visible, so that index-only
// scans (the dashboard's engagement) need no heap visits, and refreshes
// the planner's statistics. It cannot run inside the load's transaction.
func (db *DB) vacuumData(ctx context.Context) error {
	if _, err := db.bun.ExecContext(ctx, "VACUUM (ANALYZE) "+strings.Join(dataTables, ", ")); err != nil {
		return fmt.Errorf("vacuum after the demo load: %w", err)
	}
	return nil
}

// copyBatch is the most rows one COPY statement loads, so that each
// statement (its foreign key checks run at its end) finishes well within
// the driver's read timeout.
const copyBatch = 20_000

// loadDataset copies a dataset whose ids are already assigned into the
// tables, then moves the identity sequences past them; the statistics are
// refreshed after the commit (vacuumData).
func loadDataset(ctx context.Context, conn bun.Conn, tx bun.Tx, ds *domain.Dataset) error {
	for _, c := range datasetCopies(ds) {
		query := "COPY " + c.table + " (" + c.columns + ") FROM STDIN"
		var restore []string
		if c.rows >= bulkRows {
			var err error
			if restore, err = dropIndexesAndForeignKeys(ctx, tx, c.table); err != nil {
				return fmt.Errorf("load %s: %w", c.table, err)
			}
		}
		for start := 0; start < c.rows; start += copyBatch {
			r := &copyReader{next: start, n: min(start+copyBatch, c.rows), row: c.row}
			if _, err := pgdriver.CopyFrom(ctx, conn, r, query); err != nil {
				return fmt.Errorf("load %s: %w", c.table, err)
			}
			if r.err != nil {
				return fmt.Errorf("load %s: %w", c.table, r.err)
			}
		}
		for _, ddl := range restore {
			if _, err := tx.ExecContext(ctx, ddl); err != nil {
				return fmt.Errorf("load %s: %s: %w", c.table, ddl, err)
			}
		}
	}
	for _, table := range identityTables {
		_, err := tx.ExecContext(ctx, fmt.Sprintf(
			"SELECT setval(pg_get_serial_sequence('%[1]s', 'id'), coalesce((SELECT max(id) FROM %[1]s), 0) + 1, false)", table))
		if err != nil {
			return fmt.Errorf("reset %s ids: %w", table, err)
		}
	}
	return nil
}

// bulkRows is the number of rows from which a table's secondary indexes
// and foreign keys are dropped before its COPY and created again after it:
// building an index or checking a foreign key once over all the rows is
// faster than maintaining it row by row, and checks the same.
const bulkRows = 10_000

// dropIndexesAndForeignKeys drops the indexes of table that back no
// constraint, and its foreign keys, and returns the statements that create
// them again, as the schema defines them.
func dropIndexesAndForeignKeys(ctx context.Context, tx bun.Tx, table string) ([]string, error) {
	var indexes []struct{ Name, Def string }
	err := tx.NewRaw(`SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
		FROM pg_index AS i
		WHERE i.indrelid = ?::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint AS c WHERE c.conindid = i.indexrelid)
		ORDER BY 1`, table).Scan(ctx, &indexes)
	if err != nil {
		return nil, fmt.Errorf("list indexes: %w", err)
	}
	var keys []struct{ Name, Def string }
	err = tx.NewRaw(`SELECT quote_ident(conname) AS name, pg_get_constraintdef(oid) AS def
		FROM pg_constraint WHERE conrelid = ?::regclass AND contype = 'f' ORDER BY conname`, table).Scan(ctx, &keys)
	if err != nil {
		return nil, fmt.Errorf("list foreign keys: %w", err)
	}
	restore := make([]string, 0, len(indexes)+len(keys))
	for _, ix := range indexes {
		if _, err := tx.ExecContext(ctx, "DROP INDEX "+ix.Name); err != nil {
			return nil, fmt.Errorf("drop index %s: %w", ix.Name, err)
		}
		restore = append(restore, ix.Def)
	}
	for _, fk := range keys {
		if _, err := tx.ExecContext(ctx, "ALTER TABLE "+table+" DROP CONSTRAINT "+fk.Name); err != nil {
			return nil, fmt.Errorf("drop foreign key %s: %w", fk.Name, err)
		}
		restore = append(restore, "ALTER TABLE "+table+" ADD CONSTRAINT "+fk.Name+" "+fk.Def)
	}
	return restore, nil
}

// tableCopy is the COPY of one table: its columns and how to write row i.
type tableCopy struct {
	table   string
	columns string
	rows    int
	row     func(w *copyRow, i int) error
}

// datasetCopies returns the copies that load a dataset, in foreign key order.
func datasetCopies(ds *domain.Dataset) []tableCopy {
	// The member's name and status go with each of its trades (see the
	// member_trades_page_idx migration): given here, the insert trigger
	// does not look them up row by row.
	type memberTrade struct {
		member, trade int64
		name          string
		active        bool
	}
	var memberTrades []memberTrade
	for i := range ds.Members {
		m := &ds.Members[i]
		for _, t := range m.TradeIDs {
			memberTrades = append(memberTrades, memberTrade{m.ID, t, m.Name, m.LeftOn == nil})
		}
	}
	type attendee struct{ meeting, member int64 }
	var attendees []attendee
	for i := range ds.Meetings {
		for _, id := range ds.Meetings[i].AttendeeIDs {
			attendees = append(attendees, attendee{ds.Meetings[i].ID, id})
		}
	}
	var exhibitorTrades [][2]int64 // the trades of the exhibitors that are not members
	for i := range ds.Exhibitors {
		for _, t := range ds.Exhibitors[i].TradeIDs {
			exhibitorTrades = append(exhibitorTrades, [2]int64{ds.Exhibitors[i].ID, t})
		}
	}
	return []tableCopy{
		{"trades", "id, code, name_en, name_fr, parent_id", len(ds.Trades), func(w *copyRow, i int) error {
			t := &ds.Trades[i]
			w.Int(t.ID).Text(t.Code).Text(t.NameEN).Text(t.NameFR).OptInt(t.ParentID)
			return nil
		}},
		{"trade_complements", "trade_low, trade_high, kind, description", len(ds.Complements), func(w *copyRow, i int) error {
			c := &ds.Complements[i]
			w.Int(c.TradeID).Int(c.OtherID).Text(string(c.Kind)).TextOrNull(c.Description)
			return nil
		}},
		{"members", "id, name, legal_id, kind, headcount, foreign_parent_country, city, postal_code, department, region, " +
			"country, lat, lng, website, description, joined_on, left_on", len(ds.Members), func(w *copyRow, i int) error {
			m := &ds.Members[i]
			w.Int(m.ID).Text(m.Name).TextOrNull(m.LegalID).Text(string(m.Kind))
			if m.Headcount != nil {
				w.Int(int64(*m.Headcount))
			} else {
				w.Null()
			}
			w.TextOrNull(m.ForeignParentCountry).TextOrNull(m.Address.City).TextOrNull(m.Address.PostalCode).
				TextOrNull(m.Address.Department).TextOrNull(m.Address.Region).TextOrNull(m.Address.Country)
			if m.Location != nil {
				w.Float(m.Location.Lat).Float(m.Location.Lng)
			} else {
				w.Null().Null()
			}
			w.TextOrNull(m.Website).TextOrNull(m.Description).Date(m.JoinedOn).OptDate(m.LeftOn)
			return nil
		}},
		{"member_trades", "member_id, trade_id, member_name, member_active", len(memberTrades), func(w *copyRow, i int) error {
			mt := &memberTrades[i]
			w.Int(mt.member).Int(mt.trade).Text(mt.name).Bool(mt.active)
			return nil
		}},
		{"contacts", "id, member_id, name, role, email, phone", len(ds.Contacts), func(w *copyRow, i int) error {
			c := &ds.Contacts[i]
			w.Int(c.ID).Int(c.MemberID).Text(c.Name).TextOrNull(c.Role).TextOrNull(c.Email).TextOrNull(c.Phone)
			return nil
		}},
		{"business_links", "id, from_id, to_id, kind, status, since, until, volume_band, origin, declared_by, " +
			"confirmed_at, note, created_at, updated_at", len(ds.Links), func(w *copyRow, i int) error {
			l := &ds.Links[i]
			updated := l.CreatedAt
			if l.ConfirmedAt != nil {
				updated = *l.ConfirmedAt
			}
			w.Int(l.ID).Int(l.FromID).Int(l.ToID).Text(string(l.Kind)).Text(string(l.Status)).Date(l.Since).OptDate(l.Until).
				TextOrNull(string(l.VolumeBand)).Text(string(l.Origin)).Int(l.DeclaredBy).OptTime(l.ConfirmedAt).
				TextOrNull(l.Note).Time(l.CreatedAt).Time(updated)
			return nil
		}},
		{"questions", "id, text, theme, raised_by, raised_at, status", len(ds.Questions), func(w *copyRow, i int) error {
			q := &ds.Questions[i]
			w.Int(q.ID).Text(q.Text).Text(string(q.Theme)).Int(q.RaisedBy).Time(q.RaisedAt).Text(string(q.Status))
			return nil
		}},
		{"question_supports", "question_id, member_id, supported_at", len(ds.Supports), func(w *copyRow, i int) error {
			s := &ds.Supports[i]
			w.Int(s.QuestionID).Int(s.MemberID).Time(s.At)
			return nil
		}},
		{"working_groups", "id, question_id, name, theme, status, formed_at, closed_at", len(ds.Groups), func(w *copyRow, i int) error {
			g := &ds.Groups[i]
			w.Int(g.ID).Int(g.QuestionID).Text(g.Name).Text(string(g.Theme)).Text(string(g.Status)).Time(g.FormedAt).OptTime(g.ClosedAt)
			return nil
		}},
		{"group_participants", "group_id, member_id, role, joined_at", len(ds.Participants), func(w *copyRow, i int) error {
			p := &ds.Participants[i]
			w.Int(p.GroupID).Int(p.MemberID).Text(string(p.Role)).Time(p.JoinedAt)
			return nil
		}},
		{"meetings", "id, group_id, title, starts_at, duration_minutes, agenda, expected_outcome, status, outcome",
			len(ds.Meetings), func(w *copyRow, i int) error {
				m := &ds.Meetings[i]
				w.Int(m.ID).Int(m.GroupID).Text(m.Title).Time(m.StartsAt).Int(int64(m.DurationMinutes))
				if err := w.JSON(m.Agenda); err != nil {
					return err
				}
				w.Text(m.ExpectedOutcome).Text(string(m.Status)).TextOrNull(m.Outcome)
				return nil
			}},
		{"meeting_attendees", "meeting_id, member_id", len(attendees), func(w *copyRow, i int) error {
			w.Int(attendees[i].meeting).Int(attendees[i].member)
			return nil
		}},
		{"action_plans", "id, group_id, summary, items, published_at, distributed_to", len(ds.ActionPlans), func(w *copyRow, i int) error {
			p := &ds.ActionPlans[i]
			w.Int(p.ID).Int(p.GroupID).Text(p.Summary)
			if err := w.JSON(p.Items); err != nil {
				return err
			}
			w.Time(p.PublishedAt).Int(int64(p.DistributedTo))
			return nil
		}},
		{"trainings", "id, title, theme, description, starts_at, duration_minutes, place, capacity, registration_count, status",
			len(ds.Trainings), func(w *copyRow, i int) error {
				t := &ds.Trainings[i]
				w.Int(t.ID).Text(t.Title).Text(string(t.Theme)).TextOrNull(t.Description).Time(t.StartsAt).
					Int(int64(t.DurationMinutes)).TextOrNull(t.Place).Int(int64(t.Capacity)).Int(int64(t.RegistrationCount)).
					Text(string(t.Status))
				return nil
			}},
		{"training_registrations", "training_id, member_id, registered_at, attended", len(ds.Registrations), func(w *copyRow, i int) error {
			r := &ds.Registrations[i]
			w.Int(r.TrainingID).Int(r.MemberID).Time(r.RegisteredAt).Bool(r.Attended)
			return nil
		}},
		{"touchpoints", "id, member_id, contact_id, by_subject, channel, at, summary, follow_up_on, done", len(ds.Touchpoints), func(w *copyRow, i int) error {
			t := &ds.Touchpoints[i]
			w.Int(t.ID).Int(t.MemberID).OptInt(t.ContactID).Text(t.By).Text(string(t.Channel)).Time(t.At).Text(t.Summary).
				OptDate(t.FollowUpOn).Bool(t.Done)
			return nil
		}},
		{"purchasing_campaigns", "id, title, description, category, supplier, unit, list_price, negotiated_price, currency, " +
			"minimum_quantity, opens_at, closes_at, closed_at, status, group_id", len(ds.Campaigns), func(w *copyRow, i int) error {
			c := &ds.Campaigns[i]
			w.Int(c.ID).Text(c.Title).TextOrNull(c.Description).Text(string(c.Category)).Text(c.Supplier).Text(c.Unit).
				Int(int64(c.ListPrice)).Int(int64(c.NegotiatedPrice)).Text(c.Currency).Int(int64(c.MinimumQuantity)).
				OptTime(c.OpensAt).Time(c.ClosesAt).OptTime(c.ClosedAt).Text(string(c.Status)).OptInt(c.GroupID)
			return nil
		}},
		{"campaign_commitments", "id, campaign_id, member_id, quantity, committed_at", len(ds.Commitments), func(w *copyRow, i int) error {
			c := &ds.Commitments[i]
			w.Int(c.ID).Int(c.CampaignID).Int(c.MemberID).Int(int64(c.Quantity)).Time(c.CommittedAt)
			return nil
		}},
		{"trade_shows", "id, edition, city, venue, starts_on, ends_on, visitor_count", len(ds.TradeShows), func(w *copyRow, i int) error {
			s := &ds.TradeShows[i]
			w.Int(s.ID).Int(int64(s.Edition)).Text(s.City).Text(s.Venue).Date(s.StartsOn).Date(s.EndsOn).Int(int64(s.VisitorCount))
			return nil
		}},
		{"exhibitors", "id, trade_show_id, member_id, name, booth", len(ds.Exhibitors), func(w *copyRow, i int) error {
			e := &ds.Exhibitors[i]
			w.Int(e.ID).Int(e.TradeShowID).OptInt(e.MemberID).Text(e.Name).Text(e.Booth)
			return nil
		}},
		{"exhibitor_trades", "exhibitor_id, trade_id", len(exhibitorTrades), func(w *copyRow, i int) error {
			w.Int(exhibitorTrades[i][0]).Int(exhibitorTrades[i][1])
			return nil
		}},
		{"leads", "id, trade_show_id, exhibitor_id, visitor_member_id, visitor_company, scanned_at, note, converted_link_id",
			len(ds.Leads), func(w *copyRow, i int) error {
				l := &ds.Leads[i]
				w.Int(l.ID).Int(l.TradeShowID).Int(l.ExhibitorID).OptInt(l.VisitorMemberID).TextOrNull(l.VisitorCompany).
					Time(l.ScannedAt).TextOrNull(l.Note).OptInt(l.ConvertedLinkID)
				return nil
			}},
	}
}

// copyReader produces rows next to n-1 of a COPY in PostgreSQL's text
// format, a chunk at a time, so that a large table never sits in memory as
// text.
type copyReader struct {
	next, n int
	row     func(w *copyRow, i int) error
	w       copyRow
	off     int
	err     error // the first error a row returned; the COPY then ends early
}

// copyChunk is the size the reader fills its buffer to before handing it out.
const copyChunk = 64 << 10

// Read implements io.Reader.
func (r *copyReader) Read(p []byte) (int, error) {
	for r.off == len(r.w.buf) {
		if r.next == r.n || r.err != nil {
			return 0, io.EOF
		}
		r.w.buf, r.off = r.w.buf[:0], 0
		for r.next < r.n && len(r.w.buf) < copyChunk {
			r.w.start()
			if err := r.row(&r.w, r.next); err != nil {
				r.err = fmt.Errorf("row %d: %w", r.next, err)
				return 0, io.EOF
			}
			r.w.buf = append(r.w.buf, '\n')
			r.next++
		}
	}
	k := copy(p, r.w.buf[r.off:])
	r.off += k
	return k, nil
}

// copyRow appends the columns of one row in COPY text format.
type copyRow struct {
	buf   []byte
	empty bool // no column yet in this row
}

// start begins a row.
func (w *copyRow) start() { w.empty = true }

// sep writes the column separator unless the column is the row's first.
func (w *copyRow) sep() {
	if !w.empty {
		w.buf = append(w.buf, '\t')
	}
	w.empty = false
}

// Null writes a NULL.
func (w *copyRow) Null() *copyRow {
	w.sep()
	w.buf = append(w.buf, `\N`...)
	return w
}

// Int writes an integer.
func (w *copyRow) Int(v int64) *copyRow {
	w.sep()
	w.buf = strconv.AppendInt(w.buf, v, 10)
	return w
}

// OptInt writes an integer, or NULL for nil.
func (w *copyRow) OptInt(v *int64) *copyRow {
	if v == nil {
		return w.Null()
	}
	return w.Int(*v)
}

// Bool writes a boolean.
func (w *copyRow) Bool(v bool) *copyRow {
	w.sep()
	if v {
		w.buf = append(w.buf, 't')
	} else {
		w.buf = append(w.buf, 'f')
	}
	return w
}

// Float writes a float exactly.
func (w *copyRow) Float(v float64) *copyRow {
	w.sep()
	w.buf = strconv.AppendFloat(w.buf, v, 'g', -1, 64)
	return w
}

// Text writes a string, escaping what the text format requires.
func (w *copyRow) Text(s string) *copyRow {
	w.sep()
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			w.buf = append(w.buf, `\\`...)
		case '\n':
			w.buf = append(w.buf, `\n`...)
		case '\r':
			w.buf = append(w.buf, `\r`...)
		case '\t':
			w.buf = append(w.buf, `\t`...)
		default:
			w.buf = append(w.buf, c)
		}
	}
	return w
}

// TextOrNull writes a string, or NULL for the empty string.
func (w *copyRow) TextOrNull(s string) *copyRow {
	if s == "" {
		return w.Null()
	}
	return w.Text(s)
}

// Date writes the date of t (YYYY-MM-DD).
func (w *copyRow) Date(t time.Time) *copyRow {
	w.sep()
	w.buf = t.AppendFormat(w.buf, time.DateOnly)
	return w
}

// OptDate writes a date, or NULL for nil.
func (w *copyRow) OptDate(t *time.Time) *copyRow {
	if t == nil {
		return w.Null()
	}
	return w.Date(*t)
}

// Time writes a timestamp with its time zone offset.
func (w *copyRow) Time(t time.Time) *copyRow {
	w.sep()
	w.buf = t.AppendFormat(w.buf, time.RFC3339Nano)
	return w
}

// OptTime writes a timestamp, or NULL for nil.
func (w *copyRow) OptTime(t *time.Time) *copyRow {
	if t == nil {
		return w.Null()
	}
	return w.Time(*t)
}

// JSON writes v as JSON text.
func (w *copyRow) JSON(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	w.Text(string(b))
	return nil
}
