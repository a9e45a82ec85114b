package main

import (
	"encoding/json"
	"html"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"grappe/postgres/pgtest"
)

var (
	consoleDivRE = regexp.MustCompile(`<div id="console"[^>]*>`)
	dataTokensRE = regexp.MustCompile(`\bdata-tokens="([^"]*)"`)
)

// consoleTokens reads the demo tokens of the console page at url; nil when
// the page has none.
func consoleTokens(t testing.TB, url string) map[string]string {
	t.Helper()
	resp, err := http.Get(url + "/console")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var page strings.Builder
	if _, err := io.Copy(&page, resp.Body); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /console: %d, %v", resp.StatusCode, err)
	}
	m := dataTokensRE.FindStringSubmatch(consoleDivRE.FindString(page.String()))
	if m == nil {
		return nil
	}
	var tokens map[string]string
	if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &tokens); err != nil {
		t.Fatalf("data-tokens %q: %v", m[1], err)
	}
	return tokens
}

// TestConsoleDemoTokens: in development /console carries a token for each
// demo role, valid on the API, the MEMBER one naming a member with
// partners, and the ANALYST role chosen; its policy lets the page open
// WebSockets to its own host.
func TestConsoleDemoTokens(t *testing.T) {
	t.Parallel()
	app := startApp(t, appVars(pgtest.NewURL(t), map[string]string{"GRAPPE_DEMO": "true"}))
	defer app.Close()
	url := app.URL()
	resp, err := http.Get(url + "/console")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	host := strings.TrimPrefix(url, "http://")
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "connect-src 'self' ws://"+host+" wss://"+host+";") {
		t.Errorf("CSP %q", csp)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q, want no-store (the page holds tokens)", cc)
	}
	_, page := get(t, url+"/console")
	if div := consoleDivRE.FindString(page); !strings.Contains(div, `data-default-role="ANALYST"`) || !strings.Contains(div, `data-endpoint="/graphql"`) {
		t.Errorf("console element %s", div)
	}

	tokens := consoleTokens(t, url)
	if len(tokens) != 4 {
		t.Fatalf("demo tokens for %d roles, want 4: %v", len(tokens), tokens)
	}
	for _, role := range []string{"ANALYST", "STAFF", "MEMBER", "PUBLIC"} {
		v := post(t, url, tokens[role], `{ viewer { role member { name partners(first: 1) { totalCount } } } }`, nil)["viewer"].(map[string]any)
		if v["role"] != role {
			t.Errorf("%s token acts as %v", role, v["role"])
		}
		if role != "MEMBER" {
			continue
		}
		m, _ := v["member"].(map[string]any)
		if m == nil || m["partners"].(map[string]any)["totalCount"].(float64) < 1 {
			t.Errorf("the MEMBER token's member: %v", m)
		}
	}
}

// TestConsoleInProduction: production serves no console unless
// GRAPPE_CONSOLE=on, and then without demo tokens.
func TestConsoleInProduction(t *testing.T) {
	t.Parallel()
	for _, on := range []bool{false, true} {
		vars := appVars(pgtest.NewURL(t), map[string]string{"GRAPPE_ENV": "production", "GRAPPE_METRICS_ADDR": "off"})
		if on {
			vars["GRAPPE_CONSOLE"] = "on"
		}
		app := startApp(t, vars)
		defer app.Close()
		for _, path := range []string{"/console", "/console/", "/console/static/console.js"} {
			want := http.StatusNotFound
			if on {
				want = http.StatusOK
			}
			if code, _ := get(t, app.URL()+path); code != want {
				t.Errorf("GRAPPE_CONSOLE on %v: GET %s = %d, want %d", on, path, code, want)
			}
		}
		if !on {
			continue
		}
		_, page := get(t, app.URL()+"/console")
		if div := consoleDivRE.FindString(page); div == "" || strings.Contains(div, "data-tokens") || strings.Contains(div, "data-default-role") {
			t.Errorf("production console element %q", div)
		}
	}
}
