package postgres

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"grappe/domain"
)

// testSealer returns a sealer with a fixed key, for tests without a
// database.
func testSealer(t testing.TB) *cursorSealer {
	t.Helper()
	k, err := newCursorSealer(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// sealRaw seals arbitrary bytes as the plaintext of a cursor: a cursor
// the server could have made only if its JSON were these bytes.
func (k *cursorSealer) sealRaw(plain []byte) string {
	n := k.aead.NonceSize()
	nonce := make([]byte, n)
	_, _ = rand.Read(nonce)
	return base64.RawURLEncoding.EncodeToString(k.aead.Seal(nonce, nonce, plain, nil))
}

// FuzzDecodeCursor feeds arbitrary strings as the after cursor of every
// kind of keyset, either as they are or sealed as a cursor's plaintext
// (what only the server can make): each is refused as BAD_USER_INPUT
// naming the argument, or decodes to a value PostgreSQL can read, and the
// cursors the server makes decode to what they hold.
func FuzzDecodeCursor(f *testing.F) {
	members := &MemberService{}
	keysets := []keyset{
		members.memberKeyset(domain.MemberOrder{}, domain.MemberFilter{}),
		members.memberKeyset(domain.MemberOrder{Field: domain.OrderByJoinedOn}, domain.MemberFilter{}),
		members.memberKeyset(domain.MemberOrder{Field: domain.OrderByHeadcount, Descending: true}, domain.MemberFilter{}),
		members.memberKeyset(domain.MemberOrder{}, domain.MemberFilter{Search: "fixture ?"}),
		linkKeyset(linksList, false), partnerKeyset, groupKeyset, meetingKeyset, planKeyset, questionKeyset,
		members.memberKeyset(domain.MemberOrder{Field: domain.OrderByDistance}, domain.MemberFilter{Near: &domain.Near{Lat: 45.76, Lng: 4.84, RadiusKm: 50}}),
	}
	k := testSealer(f)
	const role = domain.RoleStaff
	f.Add(`{"s":"members:NAME:ASC","v":"Alpha","i":1,"r":"STAFF"}`, true, uint8(0))
	f.Add(`{"s":"members:JOINED_ON:ASC","v":"2020-01-31","i":2,"r":"STAFF"}`, true, uint8(1))
	f.Add(`{"s":"members:JOINED_ON:ASC","v":"0000-01-01","i":2,"r":"STAFF"}`, true, uint8(1))
	f.Add(`{"s":"members:HEADCOUNT:DESC","v":12,"i":3,"r":"STAFF"}`, true, uint8(2))
	f.Add(`{"s":"members:RANK:fixture ?","v":0.5,"i":4,"r":"STAFF"}`, true, uint8(3))
	f.Add(`{"s":"members:DISTANCE:ASC:45.76,4.84","v":12.5,"i":4,"r":"STAFF"}`, true, uint8(11))
	f.Add(`{"s":"members:DISTANCE:ASC:45.76,4.84","v":"12.5","i":4,"r":"STAFF"}`, true, uint8(11))
	f.Add(`{"s":"members:NAME:ASC","v":"a\u0000b","i":1,"r":"STAFF"}`, true, uint8(0))
	f.Add(`{"s":"members:NAME:ASC","v":"Alpha","i":1,"r":"PUBLIC"}`, true, uint8(0))
	f.Add(k.encode(keysets[4].Name, role, "2026-01-02T03:04:05.123456Z", 5), false, uint8(4))
	f.Add(k.encode(keysets[0].Name, role, "Alpha", 1), false, uint8(0))
	f.Add(`{"s":"members:NAME:ASC","v":"Alpha","i":1,"r":"STAFF"}`, false, uint8(0))
	f.Add("garbage", false, uint8(0))
	f.Fuzz(func(t *testing.T, s string, sealed bool, which uint8) {
		keys := keysets[int(which)%len(keysets)]
		if sealed {
			s = k.sealRaw([]byte(s))
		}
		plan, err := newPagePlan(k, role, keys, domain.PageRequest{After: s})
		if err != nil {
			var de *domain.Error
			if !errors.As(err, &de) || de.Code != domain.CodeBadUserInput || de.Field != "after" {
				t.Fatalf("%q: error %v, want BAD_USER_INPUT on after", s, err)
			}
			return
		}
		if s == "" {
			if plan.after != nil {
				t.Fatal("an empty after is a cursor")
			}
			return
		}
		switch v := plan.after.Value.(type) {
		case string:
			if strings.ContainsRune(v, 0) || !utf8.ValidString(v) {
				t.Fatalf("%q: accepted a text value PostgreSQL cannot hold: %q", s, v)
			}
		case time.Time:
			if y := v.UTC().Year(); y < 1 || y > 9999 {
				t.Fatalf("%q: accepted a time of year %d", s, v.UTC().Year())
			}
		case float64, int64:
		default:
			t.Fatalf("%q: value of type %T", s, v)
		}
		if plan.after.ID <= 0 {
			t.Fatalf("%q: id %d", s, plan.after.ID)
		}
		if plan.after.Sort != keys.Name || plan.after.Role != role {
			t.Fatalf("%q: accepted a cursor of %q for %s", s, plan.after.Sort, plan.after.Role)
		}
		// What the server would hand out for that item decodes the same.
		again, err := k.decode("after", k.encode(keys.Name, role, plan.after.Value, plan.after.ID), keys.Name, role)
		if err != nil || again.ID != plan.after.ID {
			t.Fatalf("%q: re-encoded cursor: %v", s, err)
		}
	})
}
