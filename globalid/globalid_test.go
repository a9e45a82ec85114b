package globalid

import (
	"testing"

	"grappe/domain"
)

func TestRoundTrip(t *testing.T) {
	gid := Encode(TypeMember, 42)
	typ, id, err := Decode("id", gid)
	if err != nil || typ != TypeMember || id != 42 {
		t.Fatalf("Decode(%q) = %s %d %v", gid, typ, id, err)
	}
	if _, err := DecodeAs("id", TypeTrade, gid); domain.ErrorCode(err) != domain.CodeBadUserInput {
		t.Fatalf("member id as trade: %v", err)
	}
}

func TestDecodeRejectsMalformedIDs(t *testing.T) {
	for _, gid := range []string{"", "!!", "TWVtYmVy", Encode("Member", 0), "TWVtYmVyOi0x", "TWVtYmVyOjAx", "TWVtYmVyOjk5OTk5OTk5OTk5OTk5OTk5OTk5", "OjE"} {
		if _, _, err := Decode("id", gid); domain.ErrorCode(err) != domain.CodeBadUserInput {
			t.Errorf("Decode(%q) = %v, want BAD_USER_INPUT", gid, err)
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(Encode(TypeMember, 1))
	f.Add("garbage")
	f.Add(Encode(TypeTrade, 1<<62))
	f.Add("TWVtYmVyOjE=")
	f.Add("TWVtYmVyOjE\n")
	f.Add("TWVtYmVyOiAx")
	f.Fuzz(func(t *testing.T, gid string) {
		typ, id, err := Decode("id", gid)
		_, asErr := DecodeAs("id", TypeMember, gid)
		if err != nil {
			if domain.ErrorCode(err) != domain.CodeBadUserInput || domain.ErrorCode(asErr) != domain.CodeBadUserInput {
				t.Fatalf("unexpected error codes: %v, %v", err, asErr)
			}
			return
		}
		if Encode(typ, id) != gid || id <= 0 || !isTypeName(typ) {
			t.Fatalf("%q decodes to %s:%d which encodes differently", gid, typ, id)
		}
		if (typ == TypeMember) != (asErr == nil) {
			t.Fatalf("%q is a %s but DecodeAs Member says %v", gid, typ, asErr)
		}
	})
}
