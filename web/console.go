package web

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"regexp"
	"sync"
)

// The console is the single-page app of the npm project in console/ (the
// network explorer and the dashboard's charts). Its bundle, console/dist/,
// is committed, so building the Go binary does not need npm. To refresh it:
//
//	cd web/console && npm ci && npm run build

// consolePrefix is where the console is mounted, and consoleStatic where
// every file of its bundle is served.
const (
	consolePrefix = "/console"
	consoleStatic = consolePrefix + "/static/"
)

//go:embed console/dist console.html
var consoleFiles embed.FS

var (
	consoleAssets = newAssetSet(consoleStatic)
	consoleTmpl   *template.Template
)

var loadConsole = sync.OnceFunc(func() {
	if err := consoleAssets.addDir(consoleFiles, "console/dist"); err != nil {
		panic("web: reading the console's bundle: " + err.Error())
	}
	consoleTmpl = template.Must(template.New("console.html").Funcs(template.FuncMap{
		"asset": consoleAssets.url,
	}).ParseFS(consoleFiles, "console.html"))
})

// ConsoleDocuments returns the GraphQL documents the console sends, as a
// trusted documents manifest (id → text, written by web/console/build.mjs
// from src/documents.js): a server that serves the console trusts them, so
// that the console works for MEMBER callers in allowlist mode.
func ConsoleDocuments() []byte {
	b, err := consoleFiles.ReadFile("console/dist/documents.json")
	if err != nil {
		panic("web: the console bundle has no documents.json: rebuild it (web/console: npm run build)")
	}
	return b
}

// ConsoleOptions describe the console page.
type ConsoleOptions struct {
	Endpoint   string // the GraphQL path, e.g. "/graphql"
	ExportBase string // the exports' path, e.g. "/export"
	// DemoTokens, when set (development only), mints the demo tokens the
	// page offers, by role name, each time it is rendered; DefaultRole is
	// the one the console opens with. Without it the page carries neither
	// and the console asks for a token.
	DemoTokens  func() (map[string]string, error)
	DefaultRole string
}

type consoleHandler struct {
	opts ConsoleOptions
	page []byte // rendered once when there are no demo tokens
}

// Console returns an http.Handler serving the console page at /console
// (and /console/) and the files of its bundle under /console/static/. It
// must be mounted at those paths of the server's root.
func Console(opts ConsoleOptions) http.Handler {
	loadConsole()
	h := &consoleHandler{opts: opts}
	if opts.DemoTokens == nil {
		h.opts.DefaultRole = ""
		page, err := h.render(nil)
		if err != nil {
			panic("web: rendering console.html: " + err.Error())
		}
		h.page = page
	}
	return h
}

func (h *consoleHandler) render(tokens map[string]string) ([]byte, error) {
	data := struct {
		Endpoint, ExportBase, Tokens, DefaultRole string
	}{Endpoint: h.opts.Endpoint, ExportBase: h.opts.ExportBase, DefaultRole: h.opts.DefaultRole}
	if tokens != nil {
		b, err := json.Marshal(tokens)
		if err != nil {
			return nil, err
		}
		data.Tokens = string(b)
	}
	var buf bytes.Buffer
	if err := consoleTmpl.Execute(&buf, data); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (h *consoleHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	if p != consolePrefix && p != consolePrefix+"/" {
		a := consoleAssets.lookup(p)
		if a == nil {
			http.NotFound(w, r)
			return
		}
		if getOrHead(w, r) {
			serveAsset(w, r, a)
		}
		return
	}
	if !getOrHead(w, r) {
		return
	}
	csp := consoleCSP(r.Host)
	if h.page != nil {
		servePage(w, r, h.page, csp, "no-cache")
		return
	}
	tokens, err := h.opts.DemoTokens()
	if err == nil {
		var page []byte
		if page, err = h.render(tokens); err == nil {
			// The page holds tokens: kept by no cache.
			servePage(w, r, page, csp, "no-store")
			return
		}
	}
	http.Error(w, fmt.Sprintf("console: demo tokens: %v", err), http.StatusInternalServerError)
}

// hostRE matches what a Host header may hold to be named in the policy: a
// host name, an IPv4 address or a bracketed IPv6 address, and a port.
var hostRE = regexp.MustCompile(`^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$`)

// consoleCSP is the console page's Content-Security-Policy: code, styles
// and images from this origin only (workers also from blob: URLs, inline
// styles for the charts), requests to this origin, and the subscriptions'
// WebSocket to the page's own host.
func consoleCSP(host string) string {
	connect := "'self'"
	if hostRE.MatchString(host) {
		connect += " ws://" + host + " wss://" + host
	}
	return "default-src 'none'; script-src 'self'; worker-src 'self' blob:; style-src 'self' 'unsafe-inline'; " +
		"img-src 'self' data: blob:; font-src 'self' data:; connect-src " + connect + "; " +
		"base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
}
