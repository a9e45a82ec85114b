package graph_test

import (
	"encoding/json"
	"io"
	"net/url"
	"testing"

	"grappe/documents"
	"grappe/domain"
	"grappe/graph"
)

// viewerDoc is the trusted document of the tests.
const viewerDoc = "query Viewer { viewer { role member { name } } }\n"

// newDocumentsAPI returns an API serving viewerDoc as a trusted document,
// in allowlist mode or not.
func newDocumentsAPI(t *testing.T, allowlist bool) *api {
	t.Helper()
	return newAPIWith(t, func(o *graph.HandlerOptions) {
		o.Documents = documents.NewSet(viewerDoc)
		o.TrustedOnly = allowlist
	})
}

// jsonBody encodes a request body.
func jsonBody(v map[string]any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// apq is APQ's persistedQuery extension for hash.
func apq(hash string) map[string]any {
	return map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash}}
}

// viewerName sends c, which must succeed, and returns the viewer's role
// and member name.
func (a *api) viewerOf(c httpCase) (role, name string) {
	a.t.Helper()
	resp := a.send(c)
	b, _ := io.ReadAll(resp.Body)
	var out struct {
		Data struct {
			Viewer struct {
				Role   string
				Member *struct{ Name string }
			}
		}
		Errors []gqlError
	}
	if err := json.Unmarshal(b, &out); err != nil || resp.StatusCode != 200 || len(out.Errors) > 0 {
		a.t.Fatalf("%s: status %d, body %s", c.name, resp.StatusCode, b)
	}
	if out.Data.Viewer.Member != nil {
		name = out.Data.Viewer.Member.Name
	}
	return out.Data.Viewer.Role, name
}

// TestTrustedDocumentsAllowlist checks that, in allowlist mode, PUBLIC and
// MEMBER callers get trusted documents only, by id, while ANALYST and
// STAFF keep ad-hoc queries.
func TestTrustedDocumentsAllowlist(t *testing.T) {
	t.Parallel()
	a := newDocumentsAPI(t, true)
	m := a.create(map[string]any{"name": "Métronix", "kind": "COMPANY"})
	member := token(t, domain.RoleMember, m.ID)
	analyst := token(t, domain.RoleAnalyst, "")
	staff := token(t, domain.RoleStaff, "")
	id := documents.Hash(viewerDoc)
	adHoc := jsonBody(map[string]any{"query": `{ viewer { role } }`})
	other := "query Other { trades { code } }"

	refused := []httpCase{
		{name: "MEMBER ad-hoc", method: "POST", contentType: mediaJSON, accept: mediaGR, body: adHoc, tok: member,
			status: 400, mediaType: mediaGR, code: graph.CodePersistedQueryRequired, message: "MEMBER"},
		{name: "MEMBER ad-hoc, legacy", method: "POST", contentType: mediaJSON, body: adHoc, tok: member,
			status: 200, mediaType: mediaJSON, code: graph.CodePersistedQueryRequired},
		{name: "PUBLIC ad-hoc", method: "POST", contentType: mediaJSON, accept: mediaGR, body: adHoc,
			status: 400, code: graph.CodePersistedQueryRequired, message: "PUBLIC"},
		{name: "MEMBER ad-hoc GET", method: "GET", query: url.Values{"query": {`{ viewer { role } }`}}, accept: mediaGR, tok: member,
			status: 400, code: graph.CodePersistedQueryRequired},
		{name: "MEMBER empty request", method: "POST", contentType: mediaJSON, accept: mediaGR, body: `{}`, tok: member,
			status: 400, code: graph.CodePersistedQueryRequired},
		{name: "unknown documentId", method: "POST", contentType: mediaJSON, accept: mediaGR, tok: member,
			body:   jsonBody(map[string]any{"documentId": documents.Hash(other)}),
			status: 400, code: graph.CodePersistedQueryNotFound, message: documents.Hash(other)},
		{name: "unknown APQ hash", method: "POST", contentType: mediaJSON, accept: mediaGR, tok: member,
			body:   jsonBody(map[string]any{"extensions": apq(documents.Hash(other))}),
			status: 400, code: graph.CodePersistedQueryNotFound},
		{name: "malformed id", method: "POST", contentType: mediaJSON, accept: mediaGR,
			body:   jsonBody(map[string]any{"documentId": "'; DROP TABLE members; --"}),
			status: 400, code: graph.CodePersistedQueryNotFound, message: "SHA-256"},
		{name: "documentId not a string", method: "POST", contentType: mediaJSON, accept: mediaGR, tok: member,
			body: `{"documentId": 42}`, status: 400, code: "BAD_REQUEST", message: `"documentId" must be a string`},
		{name: "query not matching its id", method: "POST", contentType: mediaJSON, accept: mediaGR, tok: member,
			body:   jsonBody(map[string]any{"documentId": id, "query": `{ viewer { role } }`}),
			status: 400, code: domain.CodeBadUserInput},
	}
	for _, c := range refused {
		c.check(t, a.send(c))
	}

	// A trusted document, by each kind of id, GET and POST.
	ok := []httpCase{
		{name: "documentId", method: "POST", contentType: mediaJSON, accept: mediaGR, tok: member,
			body: jsonBody(map[string]any{"documentId": id})},
		{name: "prefixed documentId", method: "POST", contentType: mediaJSON, tok: member,
			body: jsonBody(map[string]any{"documentId": "sha256:" + id, "operationName": "Viewer"})},
		{name: "APQ hash", method: "POST", contentType: mediaJSON, tok: member,
			body: jsonBody(map[string]any{"extensions": apq(id)})},
		{name: "APQ hash with its query", method: "POST", contentType: mediaJSON, tok: member,
			body: jsonBody(map[string]any{"query": viewerDoc, "extensions": apq(id)})},
		{name: "GET documentId", method: "GET", query: url.Values{"documentId": {id}}, tok: member},
		{name: "GET APQ hash", method: "GET", query: url.Values{"extensions": {jsonBody(apq(id))}}, tok: member},
	}
	for _, c := range ok {
		if role, name := a.viewerOf(c); role != "MEMBER" || name != "Métronix" {
			t.Errorf("%s: viewer %s %q", c.name, role, name)
		}
	}
	if role, _ := a.viewerOf(httpCase{name: "PUBLIC documentId", method: "GET", query: url.Values{"documentId": {id}}}); role != "PUBLIC" {
		t.Errorf("PUBLIC documentId: role %s", role)
	}

	// ANALYST and STAFF keep ad-hoc queries.
	for _, tok := range []string{analyst, staff} {
		c := httpCase{name: "ad-hoc", method: "POST", contentType: mediaJSON, accept: mediaGR, body: adHoc, tok: tok, status: 200}
		c.check(t, a.send(c))
	}

	// A MEMBER cannot register a document through APQ: refused, and not
	// registered for anyone.
	register := httpCase{name: "MEMBER APQ registration", method: "POST", contentType: mediaJSON, accept: mediaGR, tok: member,
		body:   jsonBody(map[string]any{"query": other, "extensions": apq(documents.Hash(other))}),
		status: 400, code: graph.CodePersistedQueryRequired, message: "not registered"}
	register.check(t, a.send(register))
	for _, tok := range []string{member, analyst} {
		c := httpCase{name: "hash after a refused registration", method: "POST", contentType: mediaJSON, accept: mediaGR, tok: tok,
			body: jsonBody(map[string]any{"extensions": apq(documents.Hash(other))}), status: 400, code: graph.CodePersistedQueryNotFound}
		c.check(t, a.send(c))
	}

	// An ANALYST's APQ registration is for APQ: it serves the ANALYST, but
	// does not make the document trusted.
	register = httpCase{name: "ANALYST APQ registration", method: "POST", contentType: mediaJSON, tok: analyst,
		body: jsonBody(map[string]any{"query": other, "extensions": apq(documents.Hash(other))}), status: 200}
	register.check(t, a.send(register))
	byHash := httpCase{name: "ANALYST APQ hash", method: "POST", contentType: mediaJSON, tok: analyst,
		body: jsonBody(map[string]any{"extensions": apq(documents.Hash(other))}), status: 200}
	byHash.check(t, a.send(byHash))
	byHash.name, byHash.tok, byHash.status, byHash.code = "MEMBER hash of an APQ document", member, 200, graph.CodePersistedQueryNotFound
	byHash.check(t, a.send(byHash))
}

// TestTrustedDocumentsOff checks that without the allowlist anyone sends
// ad-hoc queries and APQ works as before, while trusted documents are
// still served by id.
func TestTrustedDocumentsOff(t *testing.T) {
	t.Parallel()
	a := newDocumentsAPI(t, false)
	m := a.create(map[string]any{"name": "Métronix", "kind": "COMPANY"})
	member := token(t, domain.RoleMember, m.ID)
	adHoc := jsonBody(map[string]any{"query": `{ viewer { role } }`})
	other := "query Other { viewer { role } }"

	for _, tok := range []string{"", member, token(t, domain.RoleAnalyst, ""), token(t, domain.RoleStaff, "")} {
		c := httpCase{name: "ad-hoc", method: "POST", contentType: mediaJSON, accept: mediaGR, body: adHoc, tok: tok, status: 200}
		c.check(t, a.send(c))
	}
	c := httpCase{name: "documentId", method: "POST", contentType: mediaJSON, tok: member,
		body: jsonBody(map[string]any{"documentId": documents.Hash(viewerDoc)})}
	if role, name := a.viewerOf(c); role != "MEMBER" || name != "Métronix" {
		t.Errorf("documentId: viewer %s %q", role, name)
	}
	cases := []httpCase{
		{name: "APQ hash before registration", method: "POST", contentType: mediaJSON, tok: member,
			body: jsonBody(map[string]any{"extensions": apq(documents.Hash(other))}), status: 200, code: graph.CodePersistedQueryNotFound},
		{name: "APQ registration", method: "POST", contentType: mediaJSON, tok: member,
			body: jsonBody(map[string]any{"query": other, "extensions": apq(documents.Hash(other))}), status: 200},
		{name: "APQ hash after registration", method: "POST", contentType: mediaJSON, tok: member,
			body: jsonBody(map[string]any{"extensions": apq(documents.Hash(other))}), status: 200},
		{name: "unknown documentId", method: "POST", contentType: mediaJSON, accept: mediaGR, tok: member,
			body: jsonBody(map[string]any{"documentId": documents.Hash(other)}), status: 400, code: graph.CodePersistedQueryNotFound},
	}
	for _, c := range cases {
		c.check(t, a.send(c))
	}
}
