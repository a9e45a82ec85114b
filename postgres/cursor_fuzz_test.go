package postgres

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"grappe/domain"
)

// FuzzDecodeCursor feeds arbitrary strings as the after cursor of every
// kind of keyset: each is refused as BAD_USER_INPUT naming the argument,
// or decodes to a value PostgreSQL can read, and the cursors the server
// makes decode to what they hold.
func FuzzDecodeCursor(f *testing.F) {
	members := &MemberService{}
	keysets := []keyset{
		members.memberKeyset(domain.MemberOrder{}, ""),
		members.memberKeyset(domain.MemberOrder{Field: domain.OrderByJoinedOn}, ""),
		members.memberKeyset(domain.MemberOrder{Field: domain.OrderByHeadcount, Descending: true}, ""),
		members.memberKeyset(domain.MemberOrder{}, "fixture ?"),
		linkKeyset(linksList, false), partnerKeyset, groupKeyset, meetingKeyset, planKeyset, questionKeyset,
	}
	f.Add(encodeCursor(keysets[0].Name, "Alpha", 1), uint8(0))
	f.Add(encodeCursor(keysets[1].Name, "2020-01-31", 2), uint8(1))
	f.Add(encodeCursor(keysets[1].Name, "0000-01-01", 2), uint8(1))
	f.Add(encodeCursor(keysets[2].Name, 12, 3), uint8(2))
	f.Add(encodeCursor(keysets[3].Name, 0.5, 4), uint8(3))
	f.Add(encodeCursor(keysets[4].Name, "2026-01-02T03:04:05.123456Z", 5), uint8(4))
	f.Add(encodeCursor(keysets[0].Name, "a\x00b", 1), uint8(0))
	f.Add("garbage", uint8(0))
	f.Fuzz(func(t *testing.T, s string, which uint8) {
		keys := keysets[int(which)%len(keysets)]
		plan, err := planPage(keys, domain.PageRequest{After: s})
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
		// What the server would hand out for that item decodes the same.
		again, err := decodeCursor("after", encodeCursor(keys.Name, plan.after.Value, plan.after.ID), keys.Name)
		if err != nil || again.ID != plan.after.ID {
			t.Fatalf("%q: re-encoded cursor: %v", s, err)
		}
	})
}
