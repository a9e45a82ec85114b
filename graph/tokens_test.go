package graph_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"grappe/domain"
	"grappe/globalid"
)

// TestMemberTokens: a MEMBER token is served only while its member exists
// (ACTIVE or LAPSED), whoever created the member.
func TestMemberTokens(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	staff := token(t, domain.RoleStaff, "")
	other := a.create(map[string]any{"name": "Other", "kind": "COMPANY"})
	a.ok(staff, `mutation($in: AddContactInput!) { addContact(input: $in) { contact { id } } }`, map[string]any{"in": map[string]any{
		"memberId": other.ID, "name": "Claire Dubois", "email": "claire@other.example",
	}}, nil)
	const contacts = `query($id: ID!) { viewer { role } member(id: $id) { contacts { name } } }`
	vars := map[string]any{"id": other.ID}
	readsContacts := func(who, tok string) {
		t.Helper()
		var out struct {
			Member struct{ Contacts []struct{ Name string } }
		}
		a.ok(tok, contacts, vars, &out)
		if len(out.Member.Contacts) != 1 || out.Member.Contacts[0].Name != "Claire Dubois" {
			t.Fatalf("%s: contacts %+v", who, out)
		}
	}
	refused := func(who, tok, msg string) {
		t.Helper()
		resp := a.do(tok, contacts, vars)
		if resp.Status != http.StatusUnauthorized || resp.code() != domain.CodeUnauthenticated || len(resp.Errors) != 1 || resp.Errors[0].Message != msg {
			t.Fatalf("%s: %d %+v", who, resp.Status, resp.Errors)
		}
		if len(resp.Data) != 0 && string(resp.Data) != "null" {
			t.Fatalf("%s: data %s", who, resp.Data)
		}
	}

	// A member that does not exist reads nothing.
	refused("member that does not exist", token(t, domain.RoleMember, globalid.Encode(globalid.TypeMember, 424242)), "the token's member does not exist")

	// A member created by staff through the API reads at once.
	created := a.create(map[string]any{"name": "Created", "kind": "COMPANY", "joinedOn": "2012-01-01"})
	createdTok := token(t, domain.RoleMember, created.ID)
	readsContacts("member created through the API", createdTok)
	// Checking a known member costs no statement.
	if n := countStatements(t, a, createdTok, `{ viewer { role } }`); n != 0 {
		t.Fatalf("a MEMBER token's check ran %d statements, want none", n)
	}

	// A LAPSED member still reads.
	a.ok(staff, `mutation($id: ID!) { endMembership(input: {memberId: $id, leftOn: "2020-01-01"}) { member { status } } }`, map[string]any{"id": created.ID}, nil)
	readsContacts("LAPSED member", token(t, domain.RoleMember, created.ID))

	// A member inserted outside the server (another server on the
	// database) is found by the reload its first token causes.
	var id int64
	if err := a.db.Bun().NewRaw(`INSERT INTO members (name, kind, joined_on) VALUES ('Outside', 'COMPANY', '2020-01-01') RETURNING id`).Scan(t.Context(), &id); err != nil {
		t.Fatal(err)
	}
	readsContacts("member inserted by SQL", token(t, domain.RoleMember, globalid.Encode(globalid.TypeMember, id)))
	refused("member that does not exist, after the reload", token(t, domain.RoleMember, globalid.Encode(globalid.TypeMember, id+1)), "the token's member does not exist")
}

// TestRoleClaimExact: the role claim names a role exactly.
func TestRoleClaimExact(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	signed := func(role string) string {
		tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
			"sub": "user-1", "role": role, "iat": time.Now().Unix(), "exp": time.Now().Add(time.Hour).Unix(),
		}).SignedString(authConfig.Secret)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	var out struct{ Viewer struct{ Role string } }
	a.ok(signed("STAFF"), `{ viewer { role } }`, nil, &out)
	if out.Viewer.Role != "STAFF" {
		t.Fatalf("STAFF token: viewer %+v", out)
	}
	for _, role := range []string{"staff", "Staff", "member"} {
		resp := a.do(signed(role), `{ viewer { role } }`, nil)
		if resp.Status != http.StatusUnauthorized || resp.code() != domain.CodeUnauthenticated || len(resp.Errors) != 1 || !strings.HasPrefix(resp.Errors[0].Message, "unknown role") {
			t.Errorf("role %q: %d %+v %s", role, resp.Status, resp.Errors, resp.Data)
		}
	}
}
