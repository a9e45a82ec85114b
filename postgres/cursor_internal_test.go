package postgres

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"grappe/domain"
)

// refusedCursor fails unless err is BAD_USER_INPUT on field, with a message
// holding want.
func refusedCursor(t *testing.T, name string, err error, field, want string) {
	t.Helper()
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != domain.CodeBadUserInput || de.Field != field {
		t.Errorf("%s: error %v, want BAD_USER_INPUT on %s", name, err, field)
		return
	}
	if !strings.Contains(de.Message, want) {
		t.Errorf("%s: message %q, want it to say %q", name, de.Message, want)
	}
}

// TestCursorIsSealed: a cursor holds neither its sort value nor anything
// readable, two cursors of the same item differ, and it opens to what it
// was made of.
func TestCursorIsSealed(t *testing.T) {
	k := testSealer(t)
	const sort = "members:HEADCOUNT:DESC"
	a := k.encode(sort, domain.RolePublic, 1789, 64)
	b := k.encode(sort, domain.RolePublic, 1789, 64)
	if a == b {
		t.Error("two cursors of the same item are equal: the nonce is not random")
	}
	raw, err := base64.RawURLEncoding.DecodeString(a)
	if err != nil {
		t.Fatal(err)
	}
	if json.Valid(raw) || bytes.Contains(raw, []byte("1789")) || bytes.Contains(raw, []byte("HEADCOUNT")) || bytes.Contains(raw, []byte("PUBLIC")) {
		t.Errorf("cursor is readable: %q", raw)
	}
	c, err := k.decode("after", a, sort, domain.RolePublic)
	if err != nil || c.Value != float64(1789) || c.ID != 64 {
		t.Fatalf("decode: %+v, %v", c, err)
	}
	other, _ := newCursorSealer(bytes.Repeat([]byte{8}, 32))
	if _, err := other.decode("after", a, sort, domain.RolePublic); err == nil {
		t.Error("a cursor opens with another key")
	}
}

// TestCursorRefused: foreign, tampered and malformed cursors are
// BAD_USER_INPUT naming the argument, never a panic.
func TestCursorRefused(t *testing.T) {
	k := testSealer(t)
	const sort = "members:NAME:ASC"
	good := k.encode(sort, domain.RoleStaff, "Alpha", 1)
	refusedCursor(t, "another order", decodeErr(k, "after", good, "members:NAME:DESC", domain.RoleStaff), "after", "another list or order")
	refusedCursor(t, "another list", decodeErr(k, "before", good, "questions:raised_at:DESC", domain.RoleStaff), "before", "another list or order")
	for _, role := range []domain.Role{domain.RolePublic, domain.RoleMember, domain.RoleAnalyst, ""} {
		refusedCursor(t, "role "+string(role), decodeErr(k, "after", good, sort, role), "after", "another viewer role")
	}
	raw, _ := base64.RawURLEncoding.DecodeString(good)
	for i := range raw {
		flipped := bytes.Clone(raw)
		flipped[i] ^= 0x01
		refusedCursor(t, "byte flipped", decodeErr(k, "after", base64.RawURLEncoding.EncodeToString(flipped), sort, domain.RoleStaff), "after", "not a valid cursor")
	}
	for name, s := range map[string]string{
		"truncated":   good[:len(good)-2],
		"extended":    good + "AA",
		"padded":      base64.URLEncoding.EncodeToString(raw),
		"std base64":  base64.StdEncoding.EncodeToString(raw),
		"garbage":     "garbage",
		"short":       "AAAA",
		"nonce only":  base64.RawURLEncoding.EncodeToString(raw[:12]),
		"plain JSON":  base64.RawURLEncoding.EncodeToString([]byte(`{"s":"members:NAME:ASC","v":"A","i":1,"r":"STAFF"}`)),
		"huge":        strings.Repeat("A", 100_000),
		"huge sealed": k.encode(sort, domain.RoleStaff, strings.Repeat("x", maxCursorLen), 1),
		"NUL":         "\x00",
	} {
		refusedCursor(t, name, decodeErr(k, "after", s, sort, domain.RoleStaff), "after", "not a valid cursor")
	}
}

func decodeErr(k *cursorSealer, field, s, sort string, role domain.Role) error {
	_, err := k.decode(field, s, sort, role)
	return err
}

// BenchmarkCursor encodes and decodes the cursor of a member by name.
func BenchmarkCursor(b *testing.B) {
	k := testSealer(b)
	const sort = "members:NAME:ASC"
	b.ReportAllocs()
	for b.Loop() {
		s := k.encode(sort, domain.RoleStaff, "Société de métrologie du Val-d'Oise", 123456)
		if _, err := k.decode("after", s, sort, domain.RoleStaff); err != nil {
			b.Fatal(err)
		}
	}
}
