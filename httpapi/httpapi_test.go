package httpapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"grappe/domain"
	"grappe/httpapi"
)

func TestNegotiate(t *testing.T) {
	t.Parallel()
	const gr, js = httpapi.MediaGraphQLResponse, httpapi.MediaJSON
	cases := []struct {
		accept string
		want   string // "" for not acceptable
	}{
		{"", js},
		{gr, gr},
		{js, js},
		{gr + ", application/json;q=0.9", gr},
		{"application/json, " + gr, gr},
		{gr + ";q=0.8, application/json", js},
		{"*/*", js},
		{"application/*", js},
		{"application/json, */*", js},
		{gr + ", */*;q=0.1", gr},
		{"text/html", ""},
		{"text/html, application/xhtml+xml", ""},
		{"*/*;q=0", ""},
		{"application/json;q=0, */*", gr},
		{gr + ";charset=utf-8", gr},
		{gr + ";charset=latin1", ""},
		{"garbage;;;, application/json", js},
	}
	for _, c := range cases {
		req := httptest.NewRequest(http.MethodPost, "/graphql", nil)
		if c.accept != "" {
			req.Header.Set("Accept", c.accept)
		}
		got, ok := httpapi.Negotiate(req)
		if !ok {
			got = ""
		}
		if got != c.want {
			t.Errorf("Accept %q: %q, want %q", c.accept, got, c.want)
		}
	}
}

// ok is a handler that answers 200.
var ok = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })

// withViewer sets the viewer, as the token middleware does.
func withViewer(v *domain.Viewer, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if v != nil {
			r = r.WithContext(domain.WithViewer(r.Context(), *v))
		}
		next.ServeHTTP(w, r)
	})
}

// TestRateLimit sends requests until the limit answers 429 with
// Retry-After and a RATE_LIMITED GraphQL error, and checks that other
// clients are not held back by it.
func TestRateLimit(t *testing.T) {
	t.Parallel()
	const limit = 10
	h := httpapi.RateLimit(limit, time.Minute)(ok)
	alice := &domain.Viewer{Role: domain.RoleMember, MemberID: 1, Subject: "TWVtYmVyOjE="}
	bob := &domain.Viewer{Role: domain.RoleMember, MemberID: 2, Subject: "TWVtYmVyOjI="}
	send := func(v *domain.Viewer, addr string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/graphql", nil)
		req.RemoteAddr = addr
		req.Header.Set("Accept", httpapi.MediaGraphQLResponse)
		rec := httptest.NewRecorder()
		withViewer(v, h).ServeHTTP(rec, req)
		return rec
	}

	var limited *httptest.ResponseRecorder
	for i := 0; i < 2*limit; i++ {
		if rec := send(alice, "192.0.2.1:1000"); rec.Code == http.StatusTooManyRequests {
			limited = rec
			if i != limit {
				t.Errorf("limited after %d requests, want %d", i, limit)
			}
			break
		} else if rec.Code != http.StatusOK {
			t.Fatalf("request %d: %d", i, rec.Code)
		}
	}
	if limited == nil {
		t.Fatalf("never limited")
	}
	if s, err := strconv.Atoi(limited.Header().Get("Retry-After")); err != nil || s <= 0 || s > 60 {
		t.Errorf("Retry-After %q", limited.Header().Get("Retry-After"))
	}
	if ct := limited.Header().Get("Content-Type"); ct != httpapi.MediaGraphQLResponse {
		t.Errorf("Content-Type %q", ct)
	}
	var body struct {
		Errors []httpapi.Error `json:"errors"`
	}
	if err := json.Unmarshal(limited.Body.Bytes(), &body); err != nil || len(body.Errors) != 1 ||
		body.Errors[0].Extensions["code"] != httpapi.CodeRateLimited || !strings.Contains(body.Errors[0].Message, "10 requests per 1m0s") {
		t.Errorf("body %s", limited.Body)
	}

	// Another token from the same address, and anonymous clients, are not limited.
	if rec := send(bob, "192.0.2.1:1000"); rec.Code != http.StatusOK {
		t.Errorf("another token: %d", rec.Code)
	}
	if rec := send(nil, "192.0.2.1:1000"); rec.Code != http.StatusOK {
		t.Errorf("anonymous from the same address: %d", rec.Code)
	}
	// The same token from another address is.
	if rec := send(alice, "198.51.100.7:2000"); rec.Code != http.StatusTooManyRequests {
		t.Errorf("same token elsewhere: %d", rec.Code)
	}
	// Anonymous clients count by address (an IPv6 address by its /64).
	for i := 0; i < limit; i++ {
		send(nil, "[2001:db8::1]:1")
	}
	if rec := send(nil, "[2001:db8::2]:1"); rec.Code != http.StatusTooManyRequests {
		t.Errorf("anonymous IPv6 neighbour: %d", rec.Code)
	}
	if rec := send(nil, "198.51.100.8:1"); rec.Code != http.StatusOK {
		t.Errorf("anonymous from another address: %d", rec.Code)
	}
}

// TestRateLimitDefaultAllowsBusyDashboard checks that the default limit
// (600 requests per 5 s) lets one token send 100 requests a second for
// five seconds, and that 0 turns the limit off.
func TestRateLimitDefaultAllowsBusyDashboard(t *testing.T) {
	t.Parallel()
	staff := &domain.Viewer{Role: domain.RoleStaff, Subject: "local:staff"}
	for _, limit := range []int{600, 0} {
		h := withViewer(staff, httpapi.RateLimit(limit, 5*time.Second)(ok))
		for i := 0; i < 500; i++ {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/graphql", nil))
			if rec.Code != http.StatusOK {
				t.Fatalf("limit %d: request %d answered %d", limit, i, rec.Code)
			}
		}
	}
}

// TestClientKey checks who a client is.
func TestClientKey(t *testing.T) {
	t.Parallel()
	cases := []struct {
		viewer *domain.Viewer
		addr   string
		want   string
	}{
		{nil, "192.0.2.1:5", "ip:192.0.2.1"},
		{&domain.Viewer{Role: domain.RolePublic, Subject: "local:public"}, "192.0.2.1:5", "ip:192.0.2.1"},
		{&domain.Viewer{Role: domain.RoleAnalyst, Subject: "alice@idp"}, "192.0.2.1:5", "sub:alice@idp"},
		{&domain.Viewer{Role: domain.RoleMember, MemberID: 7}, "192.0.2.1:5", "role:MEMBER:7"},
	}
	for _, c := range cases {
		var got string
		h := withViewer(c.viewer, http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
			got, _ = httpapi.ClientKey(r)
		}))
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.RemoteAddr = c.addr
		h.ServeHTTP(httptest.NewRecorder(), req)
		if got != c.want {
			t.Errorf("%+v from %s: %q, want %q", c.viewer, c.addr, got, c.want)
		}
	}
	// Behind one trusted proxy, the address it appended counts; what the
	// client wrote before it does not.
	var got string
	h := httpapi.ClientIP(1)(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { got, _ = httpapi.ClientKey(r) }))
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.RemoteAddr = "10.0.0.2:80"
	req.Header.Set("X-Forwarded-For", "203.0.113.9, 198.51.100.3")
	h.ServeHTTP(httptest.NewRecorder(), req)
	if got != "ip:198.51.100.3" {
		t.Errorf("behind a proxy: %q", got)
	}
}

// TestCORS checks preflights from allowed and other origins, and that no
// allowlist means no cross-origin access.
func TestCORS(t *testing.T) {
	t.Parallel()
	preflight := func(h http.Handler, origin string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodOptions, "/graphql", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "authorization, content-type")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	allowed := httpapi.CORS([]string{"https://app.example.org", "https://*.grappe.example"})(ok)
	for _, origin := range []string{"https://app.example.org", "https://staff.grappe.example"} {
		rec := preflight(allowed, origin)
		h := rec.Header()
		if h.Get("Access-Control-Allow-Origin") != origin || !strings.Contains(h.Get("Access-Control-Allow-Methods"), "POST") ||
			!strings.Contains(strings.ToLower(h.Get("Access-Control-Allow-Headers")), "authorization") ||
			h.Get("Access-Control-Allow-Credentials") != "" {
			t.Errorf("preflight from %s: %d %v", origin, rec.Code, h)
		}
	}
	for _, c := range []struct {
		name   string
		h      http.Handler
		origin string
	}{
		{"other origin", allowed, "https://evil.example"},
		{"no allowlist", httpapi.CORS(nil)(ok), "https://app.example.org"},
	} {
		if rec := preflight(c.h, c.origin); rec.Header().Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("%s: preflight allowed: %v", c.name, rec.Header())
		}
		req := httptest.NewRequest(http.MethodPost, "/graphql", nil)
		req.Header.Set("Origin", c.origin)
		rec := httptest.NewRecorder()
		c.h.ServeHTTP(rec, req)
		if rec.Header().Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("%s: request allowed: %v", c.name, rec.Header())
		}
	}
	// An allowed origin's actual request can read the rate limit headers.
	req := httptest.NewRequest(http.MethodPost, "/graphql", nil)
	req.Header.Set("Origin", "https://app.example.org")
	rec := httptest.NewRecorder()
	allowed.ServeHTTP(rec, req)
	if rec.Header().Get("Access-Control-Allow-Origin") != "https://app.example.org" ||
		!strings.Contains(rec.Header().Get("Access-Control-Expose-Headers"), "Retry-After") {
		t.Errorf("request from an allowed origin: %v", rec.Header())
	}
}

// TestAccess: the access record keeps the operation, the role and the
// distinct error codes in order, WriteErrorFor records its code, and a
// nil record ignores everything.
func TestAccess(t *testing.T) {
	ctx, a := httpapi.WithAccess(context.Background())
	if httpapi.AccessFrom(ctx) != a || httpapi.AccessFrom(context.Background()) != nil {
		t.Fatal("AccessFrom")
	}
	a.SetOperation("Profile", "query")
	a.SetRole("MEMBER")
	a.AddCode("FORBIDDEN")
	a.AddCode("")
	req := httptest.NewRequest(http.MethodPost, "/graphql", nil).WithContext(ctx)
	httpapi.WriteErrorFor(httptest.NewRecorder(), req, http.StatusTooManyRequests, httpapi.CodeRateLimited, "slow down")
	a.AddCode("FORBIDDEN")
	if name, typ := a.Operation(); name != "Profile" || typ != "query" || a.Role() != "MEMBER" {
		t.Errorf("operation %q %q, role %q", name, typ, a.Role())
	}
	if got := strings.Join(a.Codes(), ","); got != "FORBIDDEN,RATE_LIMITED" || !a.HasCode("RATE_LIMITED") || a.HasCode("INTERNAL") {
		t.Errorf("codes %q", got)
	}
	var none *httpapi.Access
	none.SetOperation("x", "query")
	none.AddCode("X")
	if name, _ := none.Operation(); name != "" || none.Codes() != nil || none.HasCode("X") || none.Role() != "" {
		t.Error("a nil Access records")
	}
}
