package web

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

var (
	dataTokensRE = regexp.MustCompile(`\bdata-tokens="([^"]*)"`)
	consoleDiv   = regexp.MustCompile(`<div id="console"[^>]*>`)
)

func demoConsole() http.Handler {
	return Console(ConsoleOptions{
		Endpoint: "/graphql", ExportBase: "/export", DefaultRole: "ANALYST",
		DemoTokens: func() (map[string]string, error) {
			return map[string]string{"ANALYST": "a.b.c", "MEMBER": `m'"<x>`}, nil
		},
	})
}

func TestConsolePageWithDemoTokens(t *testing.T) {
	h := demoConsole()
	for _, u := range []string{"/console", "/console/"} {
		resp := get(t, h, u, nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: status %d", u, resp.StatusCode)
		}
		for k, want := range map[string]string{
			"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store",
			"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
		} {
			if got := resp.Header.Get(k); got != want {
				t.Errorf("GET %s: %s %q, want %q", u, k, got, want)
			}
		}
		page := body(t, resp)
		div := consoleDiv.FindString(page)
		for _, want := range []string{`data-endpoint="/graphql"`, `data-export-base="/export"`, `data-default-role="ANALYST"`} {
			if !strings.Contains(div, want) {
				t.Errorf("%s lacks %s", div, want)
			}
		}
		m := dataTokensRE.FindStringSubmatch(div)
		if m == nil {
			t.Fatalf("no data-tokens in %s", div)
		}
		var tokens map[string]string
		if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &tokens); err != nil || tokens["ANALYST"] != "a.b.c" || tokens["MEMBER"] != `m'"<x>` {
			t.Errorf("data-tokens %q: %v, %v", m[1], tokens, err)
		}
		if strings.Contains(page, "<x>") {
			t.Error("a token is not HTML-escaped")
		}
	}
}

func TestConsolePageWithoutTokens(t *testing.T) {
	h := Console(ConsoleOptions{Endpoint: "/graphql", ExportBase: "/export", DefaultRole: "ANALYST"})
	resp := get(t, h, "/console", nil)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != "no-cache" || resp.Header.Get("ETag") == "" {
		t.Fatalf("GET /console: %d, Cache-Control %q, ETag %q", resp.StatusCode, resp.Header.Get("Cache-Control"), resp.Header.Get("ETag"))
	}
	page := body(t, resp)
	if strings.Contains(page, "data-tokens") || strings.Contains(page, "data-default-role") {
		t.Errorf("page without demo tokens: %s", consoleDiv.FindString(page))
	}
	if resp := get(t, h, "/console", map[string]string{"If-None-Match": resp.Header.Get("ETag")}); resp.StatusCode != http.StatusNotModified {
		t.Errorf("revalidation: status %d", resp.StatusCode)
	}
}

func TestConsoleCSP(t *testing.T) {
	h := demoConsole()
	req := httptest.NewRequest(http.MethodGet, "/console", nil)
	req.Host = "localhost:8080"
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	want := "default-src 'none'; script-src 'self'; worker-src 'self' blob:; style-src 'self' 'unsafe-inline'; " +
		"img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self' ws://localhost:8080 wss://localhost:8080; " +
		"base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
	if got := rec.Header().Get("Content-Security-Policy"); got != want {
		t.Errorf("CSP\n%s\nwant\n%s", got, want)
	}
	// A Host header that is not a host is named nowhere.
	for _, host := range []string{"evil; script-src *", "a b", "x'y"} {
		req.Host = host
		rec = httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "connect-src 'self'; ") || strings.Contains(csp, "ws:") {
			t.Errorf("Host %q: CSP %q", host, csp)
		}
	}
}

func TestConsoleAssets(t *testing.T) {
	h := demoConsole()
	page := body(t, get(t, h, "/console", nil))
	scripts, styles := referencedAssets(page)
	if len(scripts) != 1 || !strings.HasPrefix(scripts[0], "/console/static/console.js?v=") {
		t.Fatalf("scripts %q", scripts)
	}
	if len(styles) != 1 || !strings.HasPrefix(styles[0], "/console/static/console.css?v=") {
		t.Fatalf("styles %q", styles)
	}
	// The stylesheet, the script and an empty icon (no request for /favicon.ico).
	if attrs := srcHrefRE.FindAllStringSubmatch(page, -1); len(attrs) != 3 || !strings.Contains(page, `<link rel="icon" href="data:,">`) {
		t.Errorf("src/href attributes %q", attrs)
	}
	if strings.Contains(page, "<script>") || strings.Contains(page, "http://") || strings.Contains(page, "https://") {
		t.Error("page holds an inline script or an absolute URL")
	}
	for u, ct := range map[string]string{scripts[0]: "text/javascript; charset=utf-8", styles[0]: "text/css; charset=utf-8"} {
		resp := get(t, h, u, nil)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != ct ||
			resp.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: %d %v", u, resp.StatusCode, resp.Header)
		}
	}
	// Every file of the bundle is served by its plain name too.
	for name := range consoleAssets.byName {
		if resp := get(t, h, "/console/static/"+name, nil); resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != "no-cache" {
			t.Errorf("GET /console/static/%s: %d, Cache-Control %q", name, resp.StatusCode, resp.Header.Get("Cache-Control"))
		}
	}
	for _, u := range []string{"/console/index.html", "/console/static/", "/console/static/nope.js", "/console/static/../console.html", "/console/x"} {
		if resp := get(t, h, u, nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", u, resp.StatusCode)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/console", nil))
	if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "GET, HEAD" {
		t.Errorf("POST /console: %d, Allow %q", rec.Code, rec.Header().Get("Allow"))
	}
}

// TestConsoleScripts runs the console's own unit tests (web/console/test,
// on modules that import nothing, so node_modules is not needed) with
// node --test: the colours that live updates keep, for instance.
func TestConsoleScripts(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is needed to run the console's unit tests: run scripts/ensure-node, or apt-get install nodejs")
	}
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "--test", "test/")
	cmd.Dir = "console"
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node --test web/console/test: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "# fail 0") {
		t.Fatalf("node --test web/console/test reported failures:\n%s", out)
	}
}
