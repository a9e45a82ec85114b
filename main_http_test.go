package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"grappe/auth"
	"grappe/domain"
	"grappe/postgres/pgtest"
)

// TestHTTPProtectionsWired starts the program in production mode with
// small limits from the environment and checks that each protection is in
// the server's handler stack: query limits, body size, content type,
// suggestions, CORS and the rate limit.
func TestHTTPProtectionsWired(t *testing.T) {
	const secret = "wired-test-secret-wired-test-secret"
	app := startApp(t, map[string]string{
		"DATABASE_URL": pgtest.NewURL(t), "PORT": "0", "GRAPPE_HOST": "127.0.0.1",
		"GRAPPE_ENV": "production", "GRAPPE_JWT_SECRET": secret,
		"GRAPPE_MAX_DEPTH": "3", "GRAPPE_MAX_BODY_BYTES": "1000",
		"GRAPPE_RATE_LIMIT": "5", "GRAPPE_RATE_LIMIT_WINDOW": "1m",
		"GRAPPE_CORS_ORIGINS": "https://app.example.org",
		// Not production's default 127.0.0.1:9090: the tests run side by side.
		"GRAPPE_METRICS_ADDR": "127.0.0.1:0",
	})
	defer app.Close()
	url := app.URL() + "/graphql"
	staff, err := auth.Issue(auth.Config{Secret: []byte(secret)}, domain.RoleStaff, "", time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}

	type result struct {
		status  int
		header  http.Header
		code    string
		message string
	}
	send := func(method, contentType, tok, body string, header map[string]string) result {
		t.Helper()
		req, _ := http.NewRequest(method, url, strings.NewReader(body))
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		for k, v := range header {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		var out struct {
			Errors []struct {
				Message    string
				Extensions struct{ Code string }
			}
		}
		_ = json.Unmarshal(b, &out)
		r := result{status: resp.StatusCode, header: resp.Header}
		if len(out.Errors) > 0 {
			r.code, r.message = out.Errors[0].Extensions.Code, out.Errors[0].Message
		}
		return r
	}
	query := func(q string) string { b, _ := json.Marshal(map[string]string{"query": q}); return string(b) }

	for _, c := range []struct {
		name, contentType, body, code, message string
		status                                 int
	}{
		{"too deep", "application/json", query(`{ trades { parent { parent { code } } } }`), "QUERY_TOO_DEEP", "limit of 3", 200},
		{"too large", "application/json", query(`{ trades { code } }` + strings.Repeat(" ", 1000)), "REQUEST_TOO_LARGE", "1000 bytes", 413},
		{"form", "application/x-www-form-urlencoded", "query=%7B%20trades%20%7B%20code%20%7D%20%7D", "UNSUPPORTED_MEDIA_TYPE", "", 415},
		{"no suggestions", "application/json", query(`{ trade { code } }`), "GRAPHQL_VALIDATION_FAILED", "Cannot query field", 200},
	} {
		r := send(http.MethodPost, c.contentType, staff, c.body, nil)
		if r.status != c.status || r.code != c.code || !strings.Contains(r.message, c.message) || strings.Contains(r.message, "Did you mean") {
			t.Errorf("%s: %+v", c.name, r)
		}
	}

	// Introspection is off in production: a request error (the anonymous
	// caller's first request of the burst below).
	if r := send(http.MethodPost, "application/json", "", query(`{ __schema { queryType { name } } }`), nil); r.status != 200 ||
		r.code != "INTROSPECTION_DISABLED" || !strings.Contains(r.message, "introspection is disabled") {
		t.Errorf("introspection in production: %+v", r)
	}

	preflight := func(origin string) string {
		return send(http.MethodOptions, "", "", "", map[string]string{
			"Origin": origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization,content-type",
		}).header.Get("Access-Control-Allow-Origin")
	}
	if got := preflight("https://app.example.org"); got != "https://app.example.org" {
		t.Errorf("preflight from the allowed origin: %q", got)
	}
	if got := preflight("https://evil.example"); got != "" {
		t.Errorf("preflight from another origin: %q", got)
	}

	// Anonymous requests from this address: the sixth is refused; the
	// staff token is not held back.
	var limited result
	for i := 0; i < 10 && limited.status == 0; i++ {
		if r := send(http.MethodPost, "application/json", "", query(`{ trades { code } }`), nil); r.status == http.StatusTooManyRequests {
			limited = r
		}
	}
	if limited.code != "RATE_LIMITED" || limited.header.Get("Retry-After") == "" || !strings.Contains(limited.message, "5 requests") {
		t.Errorf("rate limit: %+v", limited)
	}
	if r := send(http.MethodPost, "application/json", staff, query(`{ trades { code } }`), nil); r.status != http.StatusOK {
		t.Errorf("staff after the anonymous burst: %+v", r)
	}
}

// TestDebugStatementCount checks that GRAPPE_DEBUG_STATEMENT_COUNT adds the
// number of SQL statements of a request as a response header.
func TestDebugStatementCount(t *testing.T) {
	app := startApp(t, map[string]string{
		"DATABASE_URL": pgtest.NewURL(t), "PORT": "0", "GRAPPE_HOST": "127.0.0.1",
		"GRAPPE_DEMO": "false", "GRAPPE_DEBUG_STATEMENT_COUNT": "true",
	})
	defer app.Close()
	resp, err := http.Post(app.URL()+"/graphql", "application/json", strings.NewReader(`{"query":"{ trades { code } }"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if got := resp.Header.Get("X-Statement-Count"); got != "1" {
		t.Errorf("X-Statement-Count = %q, want 1", got)
	}
}
