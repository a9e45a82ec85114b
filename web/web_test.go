package web

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

func get(t *testing.T, h http.Handler, target string, hdr map[string]string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var (
	scriptSrcRE = regexp.MustCompile(`<script\b[^>]*\bsrc="([^"]*)"`)
	linkHrefRE  = regexp.MustCompile(`<link\b[^>]*\brel="stylesheet"[^>]*\bhref="([^"]*)"`)
	iconHrefRE  = regexp.MustCompile(`<link\b[^>]*\brel="icon"[^>]*\bhref="([^"]*)"`)
	srcHrefRE   = regexp.MustCompile(`(?i)\b(?:src|href)\s*=\s*["']?\s*([^"'\s>]*)`)
	schemeRE    = regexp.MustCompile(`(?i)^(?:[a-z][a-z0-9+.-]*:|//)`)
)

// referencedAssets returns the script and stylesheet URLs in page.
func referencedAssets(page string) (scripts, styles []string) {
	for _, m := range scriptSrcRE.FindAllStringSubmatch(page, -1) {
		scripts = append(scripts, strings.ReplaceAll(m[1], "&amp;", "&"))
	}
	for _, m := range linkHrefRE.FindAllStringSubmatch(page, -1) {
		styles = append(styles, strings.ReplaceAll(m[1], "&amp;", "&"))
	}
	return scripts, styles
}

func TestIndex(t *testing.T) {
	h := GraphiQL("Grappe <API>", "/graphql")
	resp := get(t, h, "/", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /: status %d", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("GET /: Content-Type %q", ct)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("GET /: Cache-Control %q, want no-cache", cc)
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self';") {
		t.Errorf("GET /: Content-Security-Policy %q", csp)
	}
	page := body(t, resp)

	for _, want := range []string{
		`<title>Grappe &lt;API&gt;</title>`,
		`data-endpoint="/graphql"`,
		`data-default-headers="{}"`,
		`members(first: 5)`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}

	scripts, styles := referencedAssets(page)
	wantScripts := []string{"react.production.min.js", "react-dom.production.min.js", "graphiql.min.js", "graphiql-init.js"}
	if len(scripts) != len(wantScripts) {
		t.Fatalf("script tags %q, want %d", scripts, len(wantScripts))
	}
	for i, name := range wantScripts {
		if !strings.HasPrefix(scripts[i], "/static/"+name+"?v=") {
			t.Errorf("script %d = %q, want /static/%s?v=...", i, scripts[i], name)
		}
	}
	if len(styles) != 1 || !strings.HasPrefix(styles[0], "/static/graphiql.min.css?v=") {
		t.Errorf("stylesheets %q", styles)
	}
}

func TestIndexLoadsNothingRemote(t *testing.T) {
	page := body(t, get(t, GraphiQL("API", "/graphql"), "/", nil))
	attrs := srcHrefRE.FindAllStringSubmatch(page, -1)
	if len(attrs) < 5 {
		t.Fatalf("found only %d src/href attributes; regexp broken?", len(attrs))
	}
	for _, m := range attrs {
		if schemeRE.MatchString(m[1]) {
			t.Errorf("page references %q; all assets must be served locally", m[0])
		}
	}
	if strings.Contains(page, "http://") || strings.Contains(page, "https://") {
		t.Errorf("page contains an absolute http(s) URL")
	}
}

func TestAssets(t *testing.T) {
	h := GraphiQL("API", "/graphql")
	page := body(t, get(t, h, "/", nil))
	scripts, styles := referencedAssets(page)

	check := func(u, wantCT string, minSize int) {
		t.Helper()
		resp := get(t, h, u, nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: status %d", u, resp.StatusCode)
		}
		if ct := resp.Header.Get("Content-Type"); ct != wantCT {
			t.Errorf("GET %s: Content-Type %q, want %q", u, ct, wantCT)
		}
		if cc := resp.Header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
			t.Errorf("GET %s: Cache-Control %q", u, cc)
		}
		etag := resp.Header.Get("ETag")
		if etag == "" {
			t.Errorf("GET %s: no ETag", u)
		}
		if n := len(body(t, resp)); n < minSize {
			t.Errorf("GET %s: %d bytes, want at least %d", u, n, minSize)
		}
		// Revalidation.
		resp = get(t, h, u, map[string]string{"If-None-Match": etag})
		if resp.StatusCode != http.StatusNotModified {
			t.Errorf("GET %s with If-None-Match: status %d, want 304", u, resp.StatusCode)
		}
	}
	for _, u := range scripts {
		min := 100_000
		if strings.Contains(u, "graphiql-init.js") {
			min = 300
		} else if strings.Contains(u, "/react.production") {
			min = 5_000
		}
		check(u, "text/javascript; charset=utf-8", min)
	}
	for _, u := range styles {
		check(u, "text/css; charset=utf-8", 100_000)
	}
	icons := iconHrefRE.FindAllStringSubmatch(page, -1)
	if len(icons) != 1 {
		t.Fatalf("want one icon link, got %q", icons)
	}
	check(icons[0][1], "image/svg+xml", 200)
}

func TestAssetContents(t *testing.T) {
	h := GraphiQL("API", "/graphql")
	for name, want := range map[string]string{
		"react.production.min.js":     "@license React",
		"react-dom.production.min.js": "@license React",
		"graphiql.min.js":             "graphiql v3.",
		"graphiql.min.css":            "graphiql v3.",
		"THIRD_PARTY_LICENSES.txt":    "Permission is hereby granted",
		"favicon.svg":                 "<svg",
	} {
		b := body(t, get(t, h, "/static/"+name, nil))
		if !strings.Contains(b[:min(len(b), 100_000)], want) {
			t.Errorf("/static/%s does not contain %q", name, want)
		}
	}
}

func TestUnversionedAssetNotImmutable(t *testing.T) {
	h := GraphiQL("API", "/graphql")
	for _, u := range []string{"/static/graphiql.min.js", "/static/graphiql.min.js?v=stale"} {
		resp := get(t, h, u, nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: status %d", u, resp.StatusCode)
		}
		if cc := resp.Header.Get("Cache-Control"); cc != "no-cache" {
			t.Errorf("GET %s: Cache-Control %q, want no-cache", u, cc)
		}
	}
}

func TestGzip(t *testing.T) {
	h := GraphiQL("API", "/graphql")
	plain := body(t, get(t, h, "/static/graphiql.min.js", nil))
	resp := get(t, h, "/static/graphiql.min.js", map[string]string{"Accept-Encoding": "br, gzip"})
	if ce := resp.Header.Get("Content-Encoding"); ce != "gzip" {
		t.Fatalf("Content-Encoding %q, want gzip", ce)
	}
	if v := resp.Header.Get("Vary"); v != "Accept-Encoding" {
		t.Errorf("Vary %q", v)
	}
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != plain {
		t.Error("gzip body does not decompress to the plain asset")
	}
	resp = get(t, h, "/static/graphiql.min.js", map[string]string{"Accept-Encoding": "gzip;q=0"})
	if ce := resp.Header.Get("Content-Encoding"); ce != "" {
		t.Errorf("gzip;q=0: Content-Encoding %q", ce)
	}
}

func TestNotFoundAndMethods(t *testing.T) {
	h := GraphiQL("API", "/graphql")
	for _, u := range []string{"/index.html", "/graphql", "/static/", "/static/nope.js", "/static/../web.go", "/static/graphiql/package.json"} {
		if resp := get(t, h, u, nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", u, resp.StatusCode)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/", strings.NewReader("{}")))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST /: status %d, want 405", rec.Code)
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodHead, "/static/graphiql.min.css", nil))
	if rec.Code != http.StatusOK || rec.Body.Len() != 0 {
		t.Errorf("HEAD: status %d, %d body bytes", rec.Code, rec.Body.Len())
	}
}

func TestEndpointEscaping(t *testing.T) {
	page := body(t, get(t, GraphiQL("API", `/graphql?x="><script>`), "/", nil))
	if strings.Contains(page, `"><script>`) {
		t.Error("endpoint is not HTML-escaped")
	}
}
