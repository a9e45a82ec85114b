package postgres_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"grappe/domain"
	"grappe/postgres"
	"grappe/postgres/pgtest"
)

// cursorRefused fails unless err is BAD_USER_INPUT on field.
func cursorRefused(t *testing.T, name string, err error, field string) {
	t.Helper()
	var de *domain.Error
	if !errorAs(err, &de) || de.Code != domain.CodeBadUserInput || de.Field != field {
		t.Errorf("%s: error %v, want BAD_USER_INPUT on %s", name, err, field)
	}
}

// TestCursorsHideSortValues: the cursors of members ordered by headcount,
// join date or name hold neither value (nor the name), and are not JSON:
// a member gets them (anonymous callers may not sort on headcount or join
// date at all) and so does an anonymous caller ordering by name.
func TestCursorsHideSortValues(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	joined := time.Date(1987, 6, 5, 0, 0, 0, 0, time.UTC)
	_, err := db.Members().CreateMember(staff, domain.MemberInput{Name: "Métrologie Quatremare", Kind: domain.KindCompany,
		Headcount: intp(1789), JoinedOn: &joined})
	if err != nil {
		t.Fatal(err)
	}
	anonymous := domain.WithViewer(context.Background(), domain.Anonymous)
	member := domain.WithViewer(context.Background(), domain.Viewer{Role: domain.RoleMember, MemberID: 1})
	for _, c := range []struct {
		ctx   context.Context
		order domain.MemberOrder
	}{
		{member, domain.MemberOrder{Field: domain.OrderByHeadcount, Descending: true}},
		{member, domain.MemberOrder{Field: domain.OrderByJoinedOn}},
		{anonymous, domain.MemberOrder{Field: domain.OrderByName}},
	} {
		order, ctx := c.order, c.ctx
		p, err := db.Members().Members(ctx, domain.MemberFilter{}, order, domain.PageRequest{First: intp(5)})
		if err != nil || len(p.Items) != 1 {
			t.Fatalf("%v: %+v, %v", order, p, err)
		}
		raw, err := base64.RawURLEncoding.DecodeString(p.Cursor(0))
		if err != nil {
			t.Fatalf("%v: cursor %q is not base64url: %v", order, p.Cursor(0), err)
		}
		if json.Valid(raw) {
			t.Errorf("%v: cursor is JSON: %s", order, raw)
		}
		for _, plain := range []string{"1789", "1987", "06-05", "Quatremare", "HEADCOUNT", "JOINED_ON", "members", "PUBLIC", "MEMBER"} {
			if bytes.Contains(raw, []byte(plain)) || bytes.Contains([]byte(p.Cursor(0)), []byte(plain)) {
				t.Errorf("%v: cursor holds %q", order, plain)
			}
		}
		// And it pages on.
		next, err := db.Members().Members(ctx, domain.MemberFilter{}, order, domain.PageRequest{First: intp(5), After: p.Cursor(0)})
		if err != nil || len(next.Items) != 0 || !next.HasPreviousPage {
			t.Errorf("%v: next page %+v, %v", order, next, err)
		}
	}
}

// TestCursorsSharedAcrossServers: handles opened on one database (servers
// sharing it, or one server restarted) agree on the key, even when they
// first need it at the same time, and accept each other's cursors.
func TestCursorsSharedAcrossServers(t *testing.T) {
	t.Parallel()
	url := pgtest.NewURL(t)
	open := func() *postgres.DB {
		db, err := postgres.Open(context.Background(), url, postgres.Options{MaxOpenConns: 4})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = db.Close() })
		return db
	}
	servers := []*postgres.DB{open(), open(), open()}
	createMembers(t, servers[0], "Alpha", "Bravo", "Charlie", "Delta")
	order := domain.MemberOrder{Field: domain.OrderByHeadcount}
	firsts := make([]*domain.Page[*domain.Member], len(servers))
	errs := make([]error, len(servers))
	var wg sync.WaitGroup
	for i, db := range servers {
		wg.Go(func() {
			firsts[i], errs[i] = db.Members().Members(staff, domain.MemberFilter{}, order, domain.PageRequest{First: intp(1)})
		})
	}
	wg.Wait()
	for i := range servers {
		if errs[i] != nil {
			t.Fatalf("server %d: %v", i, errs[i])
		}
		for j, other := range servers {
			p, err := other.Members().Members(staff, domain.MemberFilter{}, order, domain.PageRequest{First: intp(2), After: firsts[i].Cursor(0)})
			if err != nil || len(p.Items) != 2 || p.Items[0].Name != "Bravo" {
				t.Fatalf("cursor of server %d on server %d: %+v, %v", i, j, p, err)
			}
		}
	}
	// A server started later (a restart) reads the same key.
	_ = servers[0].Close()
	restarted := open()
	p, err := restarted.Members().Members(staff, domain.MemberFilter{}, order, domain.PageRequest{Last: intp(1), Before: firsts[0].Cursor(0)})
	if err == nil && len(p.Items) != 0 {
		t.Errorf("before the first: %+v", p.Items)
	}
	if err != nil {
		t.Fatalf("cursor after a restart: %v", err)
	}
	var keys int
	if err := restarted.Bun().NewRaw("SELECT count(*) FROM server_keys").Scan(context.Background(), &keys); err != nil || keys != 1 {
		t.Errorf("server_keys has %d rows, %v; want 1", keys, err)
	}
}

// TestCursorKeyErrorNotKept: a failure to read the key fails the page and
// is not remembered: once the table is back, pages work.
func TestCursorKeyErrorNotKept(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	createMembers(t, db, "Alpha")
	ctx := context.Background()
	if _, err := db.Bun().ExecContext(ctx, "ALTER TABLE server_keys RENAME TO server_keys_away"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Members().Members(staff, domain.MemberFilter{}, domain.DefaultMemberOrder, domain.PageRequest{}); err == nil {
		t.Fatal("a page without a key")
	}
	if _, err := db.Bun().ExecContext(ctx, "ALTER TABLE server_keys_away RENAME TO server_keys"); err != nil {
		t.Fatal(err)
	}
	p, err := db.Members().Members(staff, domain.MemberFilter{}, domain.DefaultMemberOrder, domain.PageRequest{})
	if err != nil || len(p.Items) != 1 {
		t.Fatalf("after the key is back: %+v, %v", p, err)
	}
}

// TestCursorsOfAnotherRoleOrList: a cursor made for one viewer role is
// refused for another, and one of a list or order on another, as
// BAD_USER_INPUT naming the argument; so is a tampered one.
func TestCursorsOfAnotherRoleOrList(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ms := createMembers(t, db, "Alpha", "Bravo", "Charlie")
	member := domain.WithViewer(context.Background(), domain.Viewer{Role: domain.RoleMember, MemberID: ms[0].ID})
	analyst := domain.WithViewer(context.Background(), domain.Viewer{Role: domain.RoleAnalyst})
	anonymous := domain.WithViewer(context.Background(), domain.Anonymous)
	viewers := map[domain.Role]context.Context{domain.RoleStaff: staff, domain.RoleMember: member, domain.RoleAnalyst: analyst, domain.RolePublic: anonymous}
	svc := db.Members()
	for role, ctx := range viewers {
		p, err := svc.Members(ctx, domain.MemberFilter{}, domain.DefaultMemberOrder, domain.PageRequest{First: intp(1)})
		if err != nil {
			t.Fatal(err)
		}
		c := p.Cursor(0)
		if _, err := svc.Members(ctx, domain.MemberFilter{}, domain.DefaultMemberOrder, domain.PageRequest{After: c}); err != nil {
			t.Errorf("%s: own cursor: %v", role, err)
		}
		for other, octx := range viewers {
			if other != role {
				_, err := svc.Members(octx, domain.MemberFilter{}, domain.DefaultMemberOrder, domain.PageRequest{After: c})
				cursorRefused(t, string(role)+" cursor used by "+string(other), err, "after")
			}
		}
		_, err = svc.Members(ctx, domain.MemberFilter{}, domain.MemberOrder{Field: domain.OrderByName, Descending: true}, domain.PageRequest{Last: intp(1), Before: c})
		cursorRefused(t, string(role)+" cursor on another order", err, "before")
		if role != domain.RolePublic { // questions are not public
			_, err = db.Groups().Questions(ctx, domain.QuestionFilter{}, domain.PageRequest{After: c})
			cursorRefused(t, string(role)+" cursor on another list", err, "after")
		}
		raw, _ := base64.RawURLEncoding.DecodeString(c)
		raw[len(raw)/2] ^= 0x80
		_, err = svc.Members(ctx, domain.MemberFilter{}, domain.DefaultMemberOrder, domain.PageRequest{After: base64.RawURLEncoding.EncodeToString(raw)})
		cursorRefused(t, string(role)+" tampered cursor", err, "after")
	}
}

// TestCursorForgedContents: cursors holding odd contents, which only the
// server could make (its key seals them), are refused as BAD_USER_INPUT
// on the argument or, when their value is one PostgreSQL reads, answered:
// never an internal error.
func TestCursorForgedContents(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	createMembers(t, db, "Alpha")
	members := func(order domain.MemberOrder, search string) func(string) error {
		return func(c string) error {
			_, err := db.Members().Members(staff, domain.MemberFilter{Search: search}, order, domain.PageRequest{First: intp(2), After: c})
			return err
		}
	}
	byName := members(domain.DefaultMemberOrder, "")
	questions := func(c string) error {
		_, err := db.Groups().Questions(staff, domain.QuestionFilter{}, domain.PageRequest{First: intp(2), After: c})
		return err
	}
	for _, c := range []struct {
		name, raw string
		list      func(string) error
		ok        bool
	}{
		{"empty object", `{}`, byName, false},
		{"not JSON", `members:NAME:ASC:A:1`, byName, false},
		{"no role", `{"s":"members:NAME:ASC","v":"A","i":1}`, byName, false},
		{"null value", `{"s":"members:NAME:ASC","v":null,"i":1,"r":"STAFF"}`, byName, false},
		{"value of the wrong type", `{"s":"members:NAME:ASC","v":5,"i":1,"r":"STAFF"}`, byName, false},
		{"value an object", `{"s":"members:NAME:ASC","v":{"a":1},"i":1,"r":"STAFF"}`, byName, false},
		{"id negative", `{"s":"members:NAME:ASC","v":"A","i":-1,"r":"STAFF"}`, byName, false},
		{"id overflowing", `{"s":"members:NAME:ASC","v":"A","i":1e30,"r":"STAFF"}`, byName, false},
		{"id a string", `{"s":"members:NAME:ASC","v":"A","i":"1","r":"STAFF"}`, byName, false},
		{"SQL in the sort", `{"s":"members:NAME:ASC; DROP TABLE members","v":"A","i":1,"r":"STAFF"}`, byName, false},
		{"NUL in the value", `{"s":"members:NAME:ASC","v":"a\u0000b","i":1,"r":"STAFF"}`, byName, false},
		{"invalid UTF-8 in the value", "{\"s\":\"members:NAME:ASC\",\"v\":\"a\xffb\",\"i\":1,\"r\":\"STAFF\"}", byName, false},
		{"role unknown", `{"s":"members:NAME:ASC","v":"A","i":1,"r":"ADMIN"}`, byName, false},
		{"well-formed", `{"s":"members:NAME:ASC","v":"A","i":1,"r":"STAFF"}`, byName, true},
		{"date of year 0", `{"s":"members:JOINED_ON:ASC","v":"0000-01-01","i":1,"r":"STAFF"}`, members(domain.MemberOrder{Field: domain.OrderByJoinedOn}, ""), false},
		{"date of year 9999", `{"s":"members:JOINED_ON:ASC","v":"9999-12-31","i":1,"r":"STAFF"}`, members(domain.MemberOrder{Field: domain.OrderByJoinedOn}, ""), true},
		{"headcount 2^63", `{"s":"members:HEADCOUNT:ASC","v":9223372036854775808,"i":1,"r":"STAFF"}`, members(domain.MemberOrder{Field: domain.OrderByHeadcount}, ""), false},
		{"time of year 0", `{"s":"questions:raised_at:DESC","v":"0000-01-01T00:00:00Z","i":1,"r":"STAFF"}`, questions, false},
		{"time past year 9999 in UTC", `{"s":"questions:raised_at:DESC","v":"9999-12-31T23:59:59-23:59","i":1,"r":"STAFF"}`, questions, false},
		{"rank 1e308", `{"s":"members:RANK:x","v":1e308,"i":1,"r":"STAFF"}`, members(domain.MemberOrder{}, "x"), true},
	} {
		sealed, err := db.SealCursor(context.Background(), c.raw)
		if err != nil {
			t.Fatal(err)
		}
		err = c.list(sealed)
		if c.ok {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		cursorRefused(t, c.name, err, "after")
	}
}
