package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"grappe/globalid"
	"grappe/postgres/pgtest"
)

// TestMemberTokensWired checks that the server's every entry point taking a
// token, the API and the exports, refuses a MEMBER token whose member does
// not exist, and serves one whose member was just created through the API.
func TestMemberTokensWired(t *testing.T) {
	vars := map[string]string{
		"DATABASE_URL": pgtest.NewURL(t), "PORT": "0", "GRAPPE_HOST": "127.0.0.1", "GRAPPE_DEMO": "false",
		"GRAPPE_JWT_SECRET": "tokens-test-secret-tokens-test-secret",
	}
	app := startApp(t, vars)
	defer app.Close()
	send := func(method, path, tok, query string) (int, string) {
		t.Helper()
		var body io.Reader
		if query != "" {
			b, _ := json.Marshal(map[string]any{"query": query})
			body = bytes.NewReader(b)
		}
		req, _ := http.NewRequest(method, app.URL()+path, body)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}

	// The token command takes the role in any case.
	staff := strings.TrimSpace(runCommand(t, vars, "token", "--role", "staff"))
	created := post(t, app.URL(), staff, `mutation { createMember(input: {name: "Nouvelle SARL", kind: COMPANY}) { member { id } } }`, nil)
	id := created["createMember"].(map[string]any)["member"].(map[string]any)["id"].(string)

	member := strings.TrimSpace(runCommand(t, vars, "token", "--role", "MEMBER", "--member", id))
	viewer := post(t, app.URL(), member, `{ viewer { role member { name } } }`, nil)["viewer"].(map[string]any)
	if viewer["role"] != "MEMBER" || viewer["member"].(map[string]any)["name"] != "Nouvelle SARL" {
		t.Fatalf("new member's viewer: %v", viewer)
	}

	ghost := strings.TrimSpace(runCommand(t, vars, "token", "--role", "MEMBER", "--member", globalid.Encode(globalid.TypeMember, 987654)))
	for _, c := range []struct{ method, path, query string }{
		{http.MethodPost, "/graphql", `{ viewer { role } members { edges { node { name } } } }`},
		{http.MethodGet, "/export/members.csv", ""},
		{http.MethodGet, "/export/network.graphml", ""},
	} {
		code, body := send(c.method, c.path, ghost, c.query)
		if code != http.StatusUnauthorized || !strings.Contains(body, "UNAUTHENTICATED") || !strings.Contains(body, "the token's member does not exist") ||
			strings.Contains(body, "Nouvelle") {
			t.Errorf("%s %s with a token of a member that does not exist: %d %s", c.method, c.path, code, body)
		}
	}
}
