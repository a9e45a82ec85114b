package graph_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"grappe/domain"
)

const (
	mediaGR   = "application/graphql-response+json"
	mediaJSON = "application/json"
)

// httpCase is one raw HTTP request to /graphql and what must come back.
type httpCase struct {
	name        string
	method      string
	query       url.Values // GET parameters
	contentType string     // POST
	accept      string
	body        string
	chunked     bool // POST without a Content-Length
	tok         string

	status    int
	mediaType string // the response's Content-Type, "" for any
	code      string // extensions.code of the first error, "" for none
	message   string // part of the first error's message
	allow     string // the Allow header
	data      string // the data entry: "absent", "null", "present" (not null) or "" for any
}

// send runs c against a's handler and returns the response.
func (a *api) send(c httpCase) *http.Response {
	a.t.Helper()
	target := "/graphql"
	if c.query != nil {
		target += "?" + c.query.Encode()
	}
	var body io.Reader = http.NoBody
	if c.body != "" {
		body = strings.NewReader(c.body)
	}
	req := httptest.NewRequest(c.method, target, body)
	if c.chunked {
		req.ContentLength = -1
		req.Body = io.NopCloser(req.Body)
	}
	if c.contentType != "" {
		req.Header.Set("Content-Type", c.contentType)
	}
	if c.accept != "" {
		req.Header.Set("Accept", c.accept)
	}
	if c.tok != "" {
		req.Header.Set("Authorization", "Bearer "+c.tok)
	}
	rec := httptest.NewRecorder()
	a.handler.ServeHTTP(rec, req)
	return rec.Result()
}

// check asserts c's expectations on resp.
func (c httpCase) check(t *testing.T, resp *http.Response) {
	t.Helper()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != c.status {
		t.Errorf("%s: status %d, want %d (%s)", c.name, resp.StatusCode, c.status, b)
	}
	if c.mediaType != "" && resp.Header.Get("Content-Type") != c.mediaType {
		t.Errorf("%s: Content-Type %q, want %q", c.name, resp.Header.Get("Content-Type"), c.mediaType)
	}
	if c.allow != "" && resp.Header.Get("Allow") != c.allow {
		t.Errorf("%s: Allow %q, want %q", c.name, resp.Header.Get("Allow"), c.allow)
	}
	var out response
	if err := json.Unmarshal(b, &out); err != nil {
		t.Errorf("%s: body is not a GraphQL response: %q", c.name, b)
		return
	}
	if c.data != "" {
		var entries map[string]json.RawMessage
		_ = json.Unmarshal(b, &entries)
		data, ok := entries["data"]
		got := "present"
		switch {
		case !ok:
			got = "absent"
		case string(data) == "null":
			got = "null"
		}
		if got != c.data {
			t.Errorf("%s: data entry %s, want %s (%s)", c.name, got, c.data, b)
		}
	}
	if out.code() != c.code {
		t.Errorf("%s: code %q, want %q (%s)", c.name, out.code(), c.code, b)
	}
	if c.message != "" && (len(out.Errors) == 0 || !strings.Contains(out.Errors[0].Message, c.message)) {
		t.Errorf("%s: errors %+v, want a message with %q", c.name, out.Errors, c.message)
	}
}

// TestGraphQLOverHTTP checks media types, methods and status codes against
// the GraphQL-over-HTTP specification.
func TestGraphQLOverHTTP(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	post := func(query string) string {
		b, _ := json.Marshal(map[string]any{"query": query})
		return string(b)
	}
	ok := post(`{ trades { code } }`)
	badEnum := `{"query": "query($k: [MemberKind!]) { members(filter: {kinds: $k}) { totalCount } }", "variables": {"k": ["SHOP"]}}`
	huge := `{"query": "{ trades { code } }", "variables": {"pad": "` + strings.Repeat("x", 1<<20) + `"}}`
	mutation := `mutation { createTrade(input: {code: "X", nameEn: "X", nameFr: "X"}) { trade { id } } }`

	cases := []httpCase{
		// Media type negotiation.
		{name: "no Accept: application/json", method: "POST", contentType: mediaJSON, body: ok, status: 200, mediaType: mediaJSON, data: "present"},
		{name: "Accept graphql-response+json", method: "POST", contentType: mediaJSON, accept: mediaGR, body: ok, status: 200, mediaType: mediaGR, data: "present"},
		{name: "recommended Accept", method: "POST", contentType: mediaJSON, accept: mediaGR + ", application/json;q=0.9", body: ok, status: 200, mediaType: mediaGR},
		{name: "json preferred by quality", method: "POST", contentType: mediaJSON, accept: mediaGR + ";q=0.5, application/json", body: ok, status: 200, mediaType: mediaJSON},
		{name: "Accept application/json", method: "POST", contentType: mediaJSON, accept: mediaJSON, body: ok, status: 200, mediaType: mediaJSON},
		{name: "Accept */*", method: "POST", contentType: mediaJSON, accept: "*/*", body: ok, status: 200, mediaType: mediaJSON},
		{name: "Accept nothing usable", method: "POST", contentType: mediaJSON, accept: "text/html", body: ok, status: 406, code: "NOT_ACCEPTABLE", message: "application/graphql-response+json"},
		{name: "Accept refusing both", method: "POST", contentType: mediaJSON, accept: "application/json;q=0, */*;q=0", body: ok, status: 406, code: "NOT_ACCEPTABLE"},

		// Request errors: 400 with graphql-response+json, 200 with application/json.
		{name: "parse error", method: "POST", contentType: mediaJSON, accept: mediaGR, body: post(`{ trades {`), status: 400, mediaType: mediaGR, code: "GRAPHQL_PARSE_FAILED", data: "absent"},
		{name: "parse error, legacy", method: "POST", contentType: mediaJSON, body: post(`{ trades {`), status: 200, mediaType: mediaJSON, code: "GRAPHQL_PARSE_FAILED", data: "null"},
		{name: "validation error", method: "POST", contentType: mediaJSON, accept: mediaGR, body: post(`{ tradez { code } }`), status: 400, code: "GRAPHQL_VALIDATION_FAILED", data: "absent"},
		{name: "validation error, legacy", method: "POST", contentType: mediaJSON, body: post(`{ tradez { code } }`), status: 200, code: "GRAPHQL_VALIDATION_FAILED", data: "null"},
		{name: "unknown enum value in variables", method: "POST", contentType: mediaJSON, accept: mediaGR, body: badEnum, status: 400, code: domain.CodeBadUserInput, message: "SHOP", data: "absent"},
		{name: "unknown enum value in variables, legacy", method: "POST", contentType: mediaJSON, body: badEnum, status: 200, code: domain.CodeBadUserInput, data: "null"},
		{name: "unknown operation name", method: "POST", contentType: mediaJSON, accept: mediaGR, body: `{"query": "query A { trades { code } }", "operationName": "B"}`, status: 400, code: "GRAPHQL_VALIDATION_FAILED", data: "absent"},
		{name: "limit exceeded", method: "POST", contentType: mediaJSON, accept: mediaGR, body: post(nested(14)), status: 400, code: "QUERY_TOO_DEEP", data: "absent"},
		{name: "field error keeps 200", method: "POST", contentType: mediaJSON, accept: mediaGR, body: post(`{ network { memberCount } }`), status: 200, code: domain.CodeForbidden, data: "null"},

		// Unreadable bodies.
		{name: "malformed JSON", method: "POST", contentType: mediaJSON, body: `{"query": "{ trades { code } }"`, status: 400, code: "BAD_REQUEST", message: "truncated JSON"},
		{name: "not JSON", method: "POST", contentType: mediaJSON, accept: mediaGR, body: `query=x`, status: 400, mediaType: mediaGR, code: "BAD_REQUEST", message: "JSON object"},
		{name: "invalid JSON", method: "POST", contentType: mediaJSON, accept: mediaGR, body: `{"query": secret}`, status: 400, mediaType: mediaGR, code: "BAD_REQUEST", message: "not valid JSON (at byte 11)"},
		{name: "query not a string", method: "POST", contentType: mediaJSON, body: `{"query": 42}`, status: 400, code: "BAD_REQUEST", message: `"query" must be a string`},
		{name: "variables not an object", method: "POST", contentType: mediaJSON, body: `{"query": "{ trades { code } }", "variables": [1]}`, status: 400, code: "BAD_REQUEST", message: `"variables" must be an object`},
		{name: "JSON null", method: "POST", contentType: mediaJSON, body: "null", status: 400, code: "BAD_REQUEST", message: "JSON object"},
		{name: "JSON string", method: "POST", contentType: mediaJSON, body: `"{ trades { code } }"`, status: 400, code: "BAD_REQUEST", message: "JSON object"},
		{name: "two JSON values", method: "POST", contentType: mediaJSON, body: ok + ok, status: 400, code: "BAD_REQUEST"},
		{name: "empty body", method: "POST", contentType: mediaJSON, status: 400, code: "BAD_REQUEST", message: "empty"},
		{name: "batch", method: "POST", contentType: mediaJSON, body: "[" + ok + "," + ok + "]", status: 400, code: "BAD_REQUEST", message: "batched requests are not supported"},
		{name: "body over the limit", method: "POST", contentType: mediaJSON, body: huge, status: 413, code: "REQUEST_TOO_LARGE", message: "1048576 bytes"},
		{name: "chunked body over the limit", method: "POST", contentType: mediaJSON, body: huge, chunked: true, status: 413, code: "REQUEST_TOO_LARGE", message: "1048576 bytes"},

		// POST needs a JSON content type: no simple form can reach the API.
		{name: "form", method: "POST", contentType: "application/x-www-form-urlencoded", body: "query=" + url.QueryEscape(mutation), status: 415, code: "UNSUPPORTED_MEDIA_TYPE"},
		{name: "multipart form", method: "POST", contentType: "multipart/form-data; boundary=x", body: "--x--", status: 415, code: "UNSUPPORTED_MEDIA_TYPE"},
		{name: "text/plain", method: "POST", contentType: "text/plain", body: ok, status: 415, code: "UNSUPPORTED_MEDIA_TYPE"},
		{name: "no content type", method: "POST", body: ok, status: 415, code: "UNSUPPORTED_MEDIA_TYPE"},
		{name: "latin-1 JSON", method: "POST", contentType: "application/json; charset=iso-8859-1", body: ok, status: 415, code: "UNSUPPORTED_MEDIA_TYPE"},
		{name: "utf-8 JSON", method: "POST", contentType: "application/json; charset=UTF-8", body: ok, status: 200},

		// GET runs queries only.
		{name: "GET query", method: "GET", query: url.Values{"query": {`{ trades { code } }`}}, accept: mediaGR, status: 200, mediaType: mediaGR},
		{name: "GET with variables", method: "GET", query: url.Values{"query": {`query($f: Int) { members(first: $f) { totalCount } }`}, "variables": {`{"f": 1}`}}, status: 200},
		{name: "GET bad variables", method: "GET", query: url.Values{"query": {`{ trades { code } }`}, "variables": {`{`}}, status: 400, code: "BAD_REQUEST"},
		{name: "GET mutation", method: "GET", query: url.Values{"query": {mutation}}, tok: token(t, domain.RoleStaff, ""), status: 405, allow: "POST", code: "METHOD_NOT_ALLOWED", message: "POST"},
		{name: "GET mutation, graphql-response+json", method: "GET", query: url.Values{"query": {mutation}}, accept: mediaGR, status: 405, allow: "POST", mediaType: mediaGR, code: "METHOD_NOT_ALLOWED"},
		{name: "PUT", method: "PUT", contentType: mediaJSON, body: ok, status: 405, allow: "GET, POST, OPTIONS", code: "METHOD_NOT_ALLOWED"},

		// Authentication.
		{name: "bad token", method: "POST", contentType: mediaJSON, accept: mediaGR, body: ok, tok: "not-a-token", status: 401, mediaType: mediaGR, code: domain.CodeUnauthenticated},
		{name: "bad token, legacy", method: "POST", contentType: mediaJSON, body: ok, tok: "not-a-token", status: 401, mediaType: mediaJSON, code: domain.CodeUnauthenticated},
	}
	for _, c := range cases {
		c.check(t, a.send(c))
	}

	// The mutation refused over GET did not run.
	var out struct{ Trades []struct{ Code string } }
	a.ok("", `{ trades { code } }`, nil, &out)
	if len(out.Trades) != 0 {
		t.Fatalf("GET ran a mutation: %+v", out.Trades)
	}
	// The server still answers after the oversized bodies.
	if resp := a.send(httpCase{method: "POST", contentType: mediaJSON, body: ok}); resp.StatusCode != 200 {
		t.Fatalf("after the large bodies: %d", resp.StatusCode)
	}
}
