package main

import (
	"bytes"
	"context"
	"encoding/json"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"grappe/domain"
	"grappe/headless"
	"grappe/postgres/pgtest"
)

// The console's browser tests drive /console in a headless chromium
// (scripts/ensure-chromium installs it), one browser for the whole run, a
// tab per test, and check what it shows against what the API answers with
// the same token. Each view's screenshot is kept in the artefacts
// directory: GRAPPE_TEST_ARTIFACTS/console, by default
// $TMPDIR/grappe-test-artifacts/console (.ci/run keeps them in
// .ci/artifacts).

const (
	// hookTimeout bounds every wait for the page: a hook that does not
	// appear fails the test with its name, not the test binary's timeout.
	hookTimeout = 30 * time.Second
	// browserStartTimeout bounds chromium's start.
	browserStartTimeout = 30 * time.Second
)

// sharedBrowser is the chromium of the run, started by the first test
// that needs it and closed once the tests are done (TestMain).
var sharedBrowser struct {
	once sync.Once
	b    *headless.Browser
	err  error
}

func browser(t *testing.T) *headless.Browser {
	t.Helper()
	sharedBrowser.once.Do(func() { sharedBrowser.b, sharedBrowser.err = headless.Start(browserStartTimeout) })
	if sharedBrowser.err != nil {
		t.Fatal(sharedBrowser.err)
	}
	return sharedBrowser.b
}

// closeBrowser stops the shared chromium, if it was started.
func closeBrowser() {
	if sharedBrowser.b != nil {
		sharedBrowser.b.Close()
	}
}

// artifactsDir is where the console's screenshots go.
func artifactsDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("GRAPPE_TEST_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "grappe-test-artifacts")
	}
	dir = filepath.Join(dir, "console")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// consoleTab is one test's tab on the console, with what the page wrote
// to its console (exceptions, CSP refusals, errors) for the failures.
type consoleTab struct {
	t    *testing.T
	ctx  context.Context
	mu   sync.Mutex
	logs []chromedp.ConsoleMessage
}

// openConsole opens url (a /console page) in a new tab of the shared
// browser, after the actions given (e.g. a viewport); the tab closes at the
// end of the test.
func openConsole(t *testing.T, url string, before ...chromedp.Action[chromedp.Void]) *consoleTab {
	t.Helper()
	ctx, cancel, err := browser(t).Tab()
	if err != nil {
		t.Fatal(err)
	}
	c := &consoleTab{t: t, ctx: ctx}
	messages := chromedp.Console(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for m, err := range messages {
			if err != nil {
				return
			}
			c.mu.Lock()
			c.logs = append(c.logs, m)
			c.mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	c.do("prepare the tab", before...)
	c.navigate(url)
	return c
}

func (c *consoleTab) navigate(url string) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(c.ctx, hookTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		c.fatalf("open %s: %v", url, err)
	}
}

// fatalf fails the test after saving a screenshot of the page and logging
// what the page wrote to its console and its error hook.
func (c *consoleTab) fatalf(format string, args ...any) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(c.ctx, 5*time.Second)
	defer cancel()
	if shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()); err == nil {
		path := filepath.Join(artifactsDir(c.t), "failed-"+strings.ReplaceAll(c.t.Name(), "/", "-")+".png")
		if os.WriteFile(path, shot, 0o644) == nil {
			c.t.Logf("screenshot of the failure: %s", path)
		}
	}
	if msg, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`(document.querySelector('[data-testid="error"]') || {}).textContent || ""`)); err == nil && msg != "" {
		c.t.Logf("the page's error hook says: %s", msg)
	}
	c.mu.Lock()
	for _, m := range c.logs {
		c.t.Logf("page console: %s", m)
	}
	c.mu.Unlock()
	c.t.Fatalf(format, args...)
}

// waitHook waits for a hook (data-testid) to be visible.
func (c *consoleTab) waitHook(name string) {
	c.t.Helper()
	if err := headless.WaitHook(c.ctx, name, hookTimeout); err != nil {
		c.fatalf("%v", err)
	}
}

// waitReady waits until the view has loaded and drawn its data, and
// returns window.grappeConsole.
func (c *consoleTab) waitReady(view string) headless.State {
	c.t.Helper()
	if err := headless.WaitTrue(c.ctx, "window.grappeConsole.ready on the "+view, headless.ReadyExpr(view), hookTimeout); err != nil {
		c.fatalf("%v", err)
	}
	return c.state()
}

func (c *consoleTab) waitTrue(what, expr string) {
	c.t.Helper()
	if err := headless.WaitTrue(c.ctx, what, expr, hookTimeout); err != nil {
		c.fatalf("%v", err)
	}
}

func (c *consoleTab) state() headless.State {
	c.t.Helper()
	s, err := headless.ReadState(c.bounded())
	if err != nil {
		c.fatalf("%v", err)
	}
	return s
}

// bounded returns the tab's context with the hook timeout; the timer
// ends with the test.
func (c *consoleTab) bounded() context.Context {
	ctx, cancel := context.WithTimeout(c.ctx, hookTimeout)
	c.t.Cleanup(cancel)
	return ctx
}

// do runs actions, failing the test with what on error.
func (c *consoleTab) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	c.t.Helper()
	if err := chromedp.Do(c.bounded(), actions...); err != nil {
		c.fatalf("%s: %v", what, err)
	}
}

// attr reads an attribute of a hook.
func (c *consoleTab) attr(hook, name string) string {
	c.t.Helper()
	sel := headless.Hook(hook)
	c.waitTrue(sel+" with "+name, onElement(sel, `return !!e && e.hasAttribute(`+jsString(name)+`)`))
	v, err := chromedp.Run(c.bounded(), chromedp.Evaluate[*string](onElement(sel, `return e ? e.getAttribute(`+jsString(name)+`) : null`)))
	if err != nil || v == nil {
		c.fatalf("%s has no attribute %s (%v)", sel, name, err)
	}
	return *v
}

// text reads the text of a selector.
func (c *consoleTab) text(sel string) string {
	c.t.Helper()
	expr := onElement(sel, `return e ? e.textContent : null`)
	var v *string
	err := headless.WaitTrue(c.ctx, sel+" on the page", onElement(sel, `return !!e`), hookTimeout)
	if err == nil {
		v, err = chromedp.Run(c.bounded(), chromedp.Evaluate[*string](expr))
	}
	if err != nil {
		c.fatalf("text of %s: %v", sel, err)
	}
	if v == nil {
		return ""
	}
	return strings.TrimSpace(*v)
}

// click clicks the element the selector matches, once it is on the page
// and enabled (see onElement: a panel redrawn as its answer comes would
// otherwise lose the node between the query and the click).
func (c *consoleTab) click(sel string) {
	c.t.Helper()
	expr := onElement(sel, `if (!e || e.disabled) return false; e.click(); return true`)
	if err := headless.WaitTrue(c.ctx, "click "+sel, expr, hookTimeout); err != nil {
		c.fatalf("%v", err)
	}
}

// count returns how many elements match the CSS selector.
func (c *consoleTab) count(sel string) int {
	c.t.Helper()
	n, err := chromedp.Run(c.bounded(), chromedp.Evaluate[int](`document.querySelectorAll(`+jsString(sel)+`).length`))
	if err != nil {
		c.fatalf("count %s: %v", sel, err)
	}
	return n
}

// waitText waits until the element's trimmed text is want, failing the
// test with the text it last read.
func (c *consoleTab) waitText(sel, want string) {
	c.t.Helper()
	expr := onElement(sel, `return !!e && e.textContent.trim() === `+jsString(want))
	if err := headless.WaitTrue(c.ctx, sel+" reading "+want, expr, hookTimeout); err != nil {
		c.t.Errorf("%s reads %q, want %q: %v", sel, c.text(sel), want, err)
	}
}

// onElement is a JavaScript expression that runs body with e the first
// element the CSS selector matches (null when none): one evaluation finds
// and reads it, so a redraw cannot take the node away in between.
func onElement(sel, body string) string {
	return `(() => { const e = document.querySelector(` + jsString(sel) + `); ` + body + ` })()`
}

// jsString is s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// screenshot saves a screenshot of the whole page (beyond the window) as
// an artefact named after the view, and returns the PNG of the selector
// (the page when "").
func (c *consoleTab) screenshot(view, sel string) []byte {
	c.t.Helper()
	page, err := chromedp.Run(c.bounded(), chromedp.FullScreenshot(100)) // 100: PNG
	if err != nil {
		c.fatalf("screenshot of the %s: %v", view, err)
	}
	path := filepath.Join(artifactsDir(c.t), view+".png")
	if err := os.WriteFile(path, page, 0o644); err != nil {
		c.t.Fatal(err)
	}
	c.t.Logf("screenshot of the %s: %s", view, path)
	if sel == "" {
		return page
	}
	shot, err := chromedp.Run(c.bounded(), chromedp.Screenshot(chromedp.CSS(sel)))
	if err != nil {
		c.fatalf("screenshot of %s: %v", sel, err)
	}
	return shot
}

// checkNoErrors fails on an uncaught exception, a refusal of the page's
// Content-Security-Policy or a request that failed (a missing asset).
func (c *consoleTab) checkNoErrors() {
	c.t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, m := range c.logs {
		if m.IsException() || m.Source == "security" || strings.Contains(m.Text, "Content Security Policy") ||
			(m.Source == "network" && m.Type == "error") {
			c.t.Errorf("the page reported: %s", m)
		}
	}
}

// drawnPixels counts the pixels of a PNG that differ from its background,
// the colour of most of its pixels.
func drawnPixels(t *testing.T, shot []byte) (drawn, total int) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("decode the screenshot: %v", err)
	}
	counts := map[color.RGBA]int{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			counts[color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)]++
		}
	}
	var bg color.RGBA
	for c, n := range counts {
		if n > counts[bg] {
			bg = c
		}
	}
	total = b.Dx() * b.Dy()
	return total - counts[bg], total
}

// devConsole starts a development server with the demo network and returns
// its URL and the demo tokens of its console page.
func devConsole(t *testing.T) (string, map[string]string) {
	t.Helper()
	app := startApp(t, appVars(pgtest.NewURL(t), map[string]string{"GRAPPE_DEMO": "true", "GRAPPE_RATE_LIMIT": "0"}))
	t.Cleanup(func() { _ = app.Close() })
	tokens := consoleTokens(t, app.URL())
	if tokens == nil {
		t.Fatal("the development console page has no demo tokens")
	}
	return app.URL(), tokens
}

// TestConsoleExplorerDrawsTheNetwork: the explorer opens on the demo
// network as ANALYST without a click, its canvas is not blank, and the
// node count it shows is the API's memberCount for the same token.
func TestConsoleExplorerDrawsTheNetwork(t *testing.T) {
	t.Parallel()
	url, tokens := devConsole(t)
	c := openConsole(t, url+"/console")
	c.waitHook("graph")
	c.waitHook("node-count")
	s := c.waitReady("explorer")
	if s.Role != "ANALYST" {
		t.Errorf("window.grappeConsole.role = %q, want ANALYST (data-default-role)", s.Role)
	}
	nw := post(t, url, tokens["ANALYST"], `{ network { memberCount linkCount } }`, nil)["network"].(map[string]any)
	want := int(nw["memberCount"].(float64))
	shown, err := strconv.Atoi(c.attr("node-count", "data-count"))
	if err != nil || shown != want {
		t.Errorf("node-count data-count = %d (%v), want the API's memberCount %d", shown, err, want)
	}
	if s.NodeCount != want {
		t.Errorf("window.grappeConsole.nodeCount = %d, want %d", s.NodeCount, want)
	}
	if edges, err := strconv.Atoi(c.attr("edge-count", "data-count")); err != nil || edges != int(nw["linkCount"].(float64)) {
		t.Errorf("edge-count data-count = %d (%v), want the API's linkCount %v", edges, err, nw["linkCount"])
	}
	drawn, total := drawnPixels(t, c.screenshot("explorer", headless.Hook("graph")))
	if drawn < total/200 {
		c.fatalf("the graph's canvas is blank: %d of %d pixels differ from the background", drawn, total)
	}
	t.Logf("the graph: %d of %d pixels drawn", drawn, total)
	c.checkNoErrors()
}

// searchAndSelect types a name in the search box, clicks the result of
// member id and waits for its panel.
func (c *consoleTab) searchAndSelect(id, name string) {
	c.t.Helper()
	c.do("type "+name+" in the search box",
		// Empty first, as a person would (chromedp.Clear leaves the value).
		chromedp.Evaluate[chromedp.Void](`(() => {
			const input = document.querySelector('`+headless.Hook("search")+`');
			input.value = "";
			input.dispatchEvent(new Event("input", {bubbles: true}));
		})()`),
		chromedp.Click(chromedp.CSS(headless.Hook("search"))),
		chromedp.SendKeys(chromedp.CSS(headless.Hook("search")), name))
	result := headless.Hook("search-result") + `[data-id="` + id + `"]`
	c.waitTrue("a search-result for "+name, `document.querySelector('`+result+`')`)
	c.click(result)
	c.waitHook("member-panel")
	c.waitTrue("the panel of "+name, `window.grappeConsole.selected === "`+id+`"`)
}

// demoMembers returns ids and names of the first members by name.
func demoMembers(t *testing.T, url, token string, n int) (ids, names []string) {
	t.Helper()
	data := post(t, url, token, `query($n: Int) { members(first: $n) { edges { node { id name } } } }`, map[string]any{"n": n})
	for _, e := range data["members"].(map[string]any)["edges"].([]any) {
		node := e.(map[string]any)["node"].(map[string]any)
		ids, names = append(ids, node["id"].(string)), append(names, node["name"].(string))
	}
	return ids, names
}

// TestConsoleSearchOpensTheMemberPanel: a search by a member's name, then a
// click on the result, opens that member's panel.
func TestConsoleSearchOpensTheMemberPanel(t *testing.T) {
	t.Parallel()
	url, tokens := devConsole(t)
	ids, names := demoMembers(t, url, tokens["ANALYST"], 1)
	c := openConsole(t, url+"/console")
	c.waitReady("explorer")
	c.searchAndSelect(ids[0], names[0])
	if got := c.text(headless.Hook("member-panel") + " " + headless.Hook("member-name")); got != names[0] {
		t.Errorf("member-name = %q, want %q", got, names[0])
	}
	c.screenshot("member-panel", "")
	c.checkNoErrors()
}

// TestConsoleShortestPath: two members set as the ends of a path show the
// API's path, its links highlighted in the graph.
func TestConsoleShortestPath(t *testing.T) {
	t.Parallel()
	url, tokens := devConsole(t)
	ids, names := demoMembers(t, url, tokens["ANALYST"], 30)
	// The first member and the first other one at least two hops away.
	from, to, hops := 0, -1, 0
	for i := 1; i < len(ids) && to < 0; i++ {
		p, _ := post(t, url, tokens["ANALYST"], `query($a: ID!, $b: ID!) { path(from: $a, to: $b) { hops } }`,
			map[string]any{"a": ids[from], "b": ids[i]})["path"].(map[string]any)
		if p != nil && p["hops"].(float64) >= 2 {
			to, hops = i, int(p["hops"].(float64))
		}
	}
	if to < 0 {
		t.Fatalf("no member of %q is two hops or more from %s", names, names[from])
	}
	c := openConsole(t, url+"/console")
	c.waitReady("explorer")
	c.searchAndSelect(ids[from], names[from])
	c.click(headless.Hook("member-panel") + " " + headless.Hook("path-from"))
	c.searchAndSelect(ids[to], names[to])
	c.click(headless.Hook("member-panel") + " " + headless.Hook("path-to"))
	c.waitHook("path-result")
	if got, err := strconv.Atoi(c.attr("path-result", "data-hops")); err != nil || got != hops {
		t.Errorf("path-result data-hops = %d (%v), want the API's %d (%s to %s)", got, err, hops, names[from], names[to])
	}
	c.waitTrue("the path's edges highlighted", `window.grappeConsole.path && window.grappeConsole.path.highlightedEdges > 0`)
	s := c.state()
	if s.Path == nil || s.Path.Hops != hops || s.Path.HighlightedEdges != hops || s.Path.From != ids[from] || s.Path.To != ids[to] ||
		len(s.Path.Members) != hops+1 {
		t.Errorf("window.grappeConsole.path = %+v, want %d hops from %s to %s, as many edges highlighted", s.Path, hops, ids[from], ids[to])
	}
	c.screenshot("path", "")
	c.checkNoErrors()
}

// dashboardCharts are the chart hooks of the contract.
var dashboardCharts = []string{"growth", "sizeClasses", "kinds", "regions", "trades", "links", "groups", "engagement"}

// TestConsoleDashboardCharts: the dashboard draws each of its charts, and
// draws the API's figures.
func TestConsoleDashboardCharts(t *testing.T) {
	t.Parallel()
	url, tokens := devConsole(t)
	// A window tall enough for every chart in the screenshot.
	c := openConsole(t, url+"/console#/dashboard", chromedp.EmulateViewport(1280, 2800))
	c.waitHook("dashboard")
	s := c.waitReady("dashboard")
	for _, name := range dashboardCharts {
		hook := "chart-" + name
		c.waitHook(hook)
		// A chart is drawn when its svg holds shapes, or its canvas pixels.
		expr := `(() => {
			const el = document.querySelector('` + headless.Hook(hook) + `');
			const svg = el.querySelector('svg');
			if (svg) return svg.querySelectorAll('path, rect, circle, line, polyline, polygon').length > 0;
			const cv = el.querySelector('canvas');
			if (!cv || cv.width === 0 || cv.height === 0) return false;
			const g = cv.getContext('2d');
			if (!g) return true;
			const d = g.getImageData(0, 0, cv.width, cv.height).data;
			for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return true;
			return false;
		})()`
		c.waitTrue(headless.Hook(hook)+" holding a drawn canvas or svg", expr)
	}
	d := post(t, url, tokens["ANALYST"], `{ dashboard { memberCount byKind { kind count } bySizeClass { sizeClass count } } }`, nil)["dashboard"].(map[string]any)
	for chart, block := range map[string]string{"kinds": "byKind", "sizeClasses": "bySizeClass"} {
		var want []float64
		for _, e := range d[block].([]any) {
			if n := e.(map[string]any)["count"].(float64); n > 0 {
				want = append(want, n)
			}
		}
		plot, ok := s.Charts[chart]
		var got []float64
		for _, v := range plot.Values {
			if v > 0 {
				got = append(got, v)
			}
		}
		slices.Sort(want)
		slices.Sort(got)
		if !ok || !slices.Equal(got, want) {
			t.Errorf("window.grappeConsole.charts.%s = %+v, want the counts of the API's dashboard.%s %v", chart, plot, block, want)
		}
	}
	c.screenshot("dashboard", "")
	c.checkNoErrors()
}

// TestConsoleDashboardTablesShowMore: staff read the call list past its
// first page with "Show more", rows in the API's order, with phone
// numbers; the at-risk list offers more only while the API holds more.
func TestConsoleDashboardTablesShowMore(t *testing.T) {
	t.Parallel()
	url, tokens := devConsole(t)
	c := openConsole(t, url+"/console?role=STAFF#/dashboard")
	c.waitReady("dashboard")
	api := post(t, url, tokens["STAFF"], `{ dashboard { engagement { atRiskCount } }
		callList(first: 100) { totalCount edges { node { member { id } } } } }`, nil)
	atRisk := int(api["dashboard"].(map[string]any)["engagement"].(map[string]any)["atRiskCount"].(float64))
	calls := api["callList"].(map[string]any)
	total := int(calls["totalCount"].(float64))
	var want []string
	for _, e := range calls["edges"].([]any) {
		want = append(want, e.(map[string]any)["node"].(map[string]any)["member"].(map[string]any)["id"].(string))
	}
	if total <= 25 || atRisk == 0 {
		t.Fatalf("the demo network has %d members to call and %d at risk: the test needs more than 25 and some", total, atRisk)
	}
	rows := func(table string) []string {
		ids, err := chromedp.Run(c.bounded(), chromedp.Evaluate[[]string](`[...document.querySelectorAll('`+headless.Hook(table)+` tbody tr')].map((r) => r.dataset.id)`))
		if err != nil {
			c.fatalf("rows of %s: %v", table, err)
		}
		return ids
	}
	more := func(table string) int { return c.count(headless.Hook(table + "-more")) }
	if got, wantRows := len(rows("at-risk")), min(atRisk, 25); got != wantRows {
		t.Errorf("the at-risk table shows %d rows, want %d", got, wantRows)
	}
	if n := more("at-risk"); (atRisk > 25) != (n == 1) {
		t.Errorf("%d at-risk-more buttons with %d members at risk", n, atRisk)
	}
	shown := 25
	for {
		if got := rows("call-list"); !slices.Equal(got, want[:shown]) {
			t.Fatalf("the call list shows %v, want the API's first %d: %v", got, shown, want[:shown])
		}
		if shown == min(total, len(want)) {
			break
		}
		c.click(headless.Hook("call-list-more"))
		shown = min(shown+25, total, len(want))
		c.waitTrue("the call list's next page", `document.querySelectorAll('`+headless.Hook("call-list")+` tbody tr').length === `+strconv.Itoa(shown))
	}
	if shown == total && more("call-list") != 0 {
		t.Errorf("a call-list-more button with the whole list (%d) shown", total)
	}
	if n := c.count(headless.Hook("call-list") + ` td.phone a[href^="tel:"]`); n == 0 {
		t.Errorf("staff see no phone link in the call list")
	}
	c.screenshot("dashboard-call-list", headless.Hook("call-list"))
	c.checkNoErrors()
}

// TestConsoleTradeFilterTakesSubTrades: the explorer's trade filter lists
// the taxonomy as a tree, and a trade keeps the members of its sub-trades,
// as the API counts them (Dashboard.byTrade with sub-trades).
func TestConsoleTradeFilterTakesSubTrades(t *testing.T) {
	t.Parallel()
	url, tokens := devConsole(t)
	c := openConsole(t, url+"/console")
	c.waitReady("explorer")
	// Once the force layout has run: it moves the isolated members, and
	// once took their other attributes (trades, label, colour) away.
	c.waitTrue("the force layout done", `window.grappeConsole.layoutRunning === false`)
	d := post(t, url, tokens["ANALYST"], `{ dashboard { byTrade(includeSubTrades: true) { trade { id children { id } } count }
		exact: byTrade(includeSubTrades: false) { trade { id } count } } }`, nil)["dashboard"].(map[string]any)
	exact := map[string]int{}
	for _, e := range d["exact"].([]any) {
		e := e.(map[string]any)
		exact[e["trade"].(map[string]any)["id"].(string)] = int(e["count"].(float64))
	}
	var parent string
	var want int
	for _, e := range d["byTrade"].([]any) {
		e := e.(map[string]any)
		tr := e["trade"].(map[string]any)
		id, n := tr["id"].(string), int(e["count"].(float64))
		if len(tr["children"].([]any)) > 0 && n > exact[id] && n > want {
			parent, want = id, n
		}
	}
	if parent == "" {
		t.Fatal("the demo network has no trade whose sub-trades hold members")
	}
	c.do("choose the trade "+parent, chromedp.Evaluate[chromedp.Void](`(() => {
		const sel = document.querySelector('`+headless.Hook("filter-trade")+`');
		sel.value = `+jsString(parent)+`;
		sel.dispatchEvent(new Event("change", {bubbles: true}));
	})()`))
	c.waitTrue("the filter applied", `window.grappeConsole.filtered !== null`)
	if s := c.state(); s.Filtered == nil || *s.Filtered != want {
		got := "none"
		if s.Filtered != nil {
			got = strconv.Itoa(*s.Filtered)
		}
		t.Errorf("the trade filter keeps %s members, want the API's %d (%d with the trade itself)", got, want, exact[parent])
	}
	option := c.text(headless.Hook("filter-trade") + ` option[value=` + jsString(parent) + `]`)
	if !strings.HasSuffix(option, "("+strconv.Itoa(want)+")") {
		t.Errorf("the trade's option reads %q, want its count (%d)", option, want)
	}
	c.checkNoErrors()
}

// TestConsoleMemberSeesNoDashboard: a MEMBER token has no dashboard tab,
// and the dashboard's address shows that it is not for it.
func TestConsoleMemberSeesNoDashboard(t *testing.T) {
	t.Parallel()
	url, _ := devConsole(t)
	c := openConsole(t, url+"/console?role=MEMBER")
	s := c.waitReady("explorer")
	if s.Role != "MEMBER" {
		t.Errorf("window.grappeConsole.role = %q with ?role=MEMBER", s.Role)
	}
	c.waitHook("tab-explorer")
	if n := c.count(headless.Hook("tab-dashboard")); n != 0 {
		t.Errorf("a MEMBER sees %d dashboard tabs", n)
	}
	c.screenshot("member-explorer", "")
	c.do("go to #/dashboard", chromedp.Evaluate[chromedp.Void](`location.hash = "#/dashboard"`))
	c.waitHook("forbidden")
	if n := c.count(`[data-testid^="chart-"]`); n != 0 {
		t.Errorf("a MEMBER on #/dashboard sees %d charts", n)
	}
	c.screenshot("member-dashboard-forbidden", "")
	c.checkNoErrors()
}

// TestConsoleLiveRedraw: a member created through the API while the
// explorer is open appears in it without a reload (networkChanged), and
// the selected member's panel stays open.
func TestConsoleLiveRedraw(t *testing.T) {
	t.Parallel()
	url, tokens := devConsole(t)
	ids, names := demoMembers(t, url, tokens["ANALYST"], 1)
	c := openConsole(t, url+"/console")
	before := c.waitReady("explorer")
	c.waitTrue("the live subscription connected", `window.grappeConsole.live === "connected"`)
	c.searchAndSelect(ids[0], names[0])
	// Made as soon as the socket is open, perhaps before the subscription
	// reaches the server: the console checks the server's version a second
	// after connecting, so it is drawn either way.
	post(t, url, tokens["STAFF"], `mutation($name: String!) { createMember(input: {name: $name, kind: COMPANY}) { member { id } } }`,
		map[string]any{"name": "Mesures en direct"})
	if err := headless.WaitTrue(c.ctx, "the new member drawn",
		`window.grappeConsole.nodeCount === `+strconv.Itoa(before.NodeCount+1), 15*time.Second); err != nil {
		c.fatalf("a member created through the API is not drawn (%d members drawn): %v", c.state().NodeCount, err)
	}
	s := c.state()
	if s.Selected == nil || *s.Selected != ids[0] {
		t.Errorf("after the redraw, selected = %v, want %s (%s)", s.Selected, ids[0], names[0])
	}
	c.waitText(headless.Hook("member-panel")+" "+headless.Hook("member-name"), names[0])
	c.checkNoErrors()
}

// TestConsoleSpeaksFrench: a browser whose language is French gets the
// console's French labels (and the page's lang attribute says so).
func TestConsoleSpeaksFrench(t *testing.T) {
	t.Parallel()
	url, _ := devConsole(t)
	french := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{
			UserAgent: "Mozilla/5.0 (X11; Linux x86_64) grappe-test", AcceptLanguage: "fr-FR"})
		return err
	})
	c := openConsole(t, url+"/console", french)
	c.waitReady("explorer")
	for hook, want := range map[string]string{"tab-explorer": "Réseau", "tab-dashboard": "Tableau de bord"} {
		if got := c.text(headless.Hook(hook)); got != want {
			t.Errorf("%s reads %q, want %q", hook, got, want)
		}
	}
	if lang, err := chromedp.Run(c.bounded(), chromedp.Evaluate[string](`document.documentElement.lang`)); err != nil || lang != "fr" {
		t.Errorf("<html lang=%q> (%v), want fr", lang, err)
	}
	c.checkNoErrors()
}

// TestConsoleExpiredToken: in production the console asks for a token; an
// expired one gets a plain message saying so, and the form again; a valid
// one opens the explorer.
func TestConsoleExpiredToken(t *testing.T) {
	t.Parallel()
	app := startApp(t, appVars(pgtest.NewURL(t), map[string]string{"GRAPPE_ENV": "production", "GRAPPE_CONSOLE": "on",
		"GRAPPE_METRICS_ADDR": "off", "GRAPPE_RATE_LIMIT": "0"}))
	t.Cleanup(func() { _ = app.Close() })
	c := openConsole(t, app.URL()+"/console")
	signIn := func(token string) {
		c.t.Helper()
		c.waitHook("token-form")
		c.do("paste a token", chromedp.SendKeys(chromedp.CSS(headless.Hook("token-input")), token),
			chromedp.Click(chromedp.CSS(headless.Hook("token-submit"))))
	}
	signIn(issueToken(t, domain.RoleAnalyst, "", time.Hour, time.Now().Add(-2*time.Hour)))
	c.waitHook("error")
	if msg := c.text(headless.Hook("error")); !strings.Contains(msg, "expired") {
		t.Errorf("the message for an expired token reads %q; want it to say the token expired", msg)
	}
	signIn(issueToken(t, domain.RoleAnalyst, "", time.Hour, time.Now()))
	if s := c.waitReady("explorer"); s.Role != "ANALYST" {
		t.Errorf("after a valid token, role %q, want ANALYST", s.Role)
	}
}

// TestConsoleMemberUnderAllowlist: with trusted documents only, a MEMBER
// may send nothing but registered documents; the console's own are
// trusted when it is served, so a member still sees its neighbourhood and
// its own panel, with no error.
func TestConsoleMemberUnderAllowlist(t *testing.T) {
	t.Parallel()
	app := startApp(t, appVars(pgtest.NewURL(t), map[string]string{"GRAPPE_ENV": "production", "GRAPPE_CONSOLE": "on",
		"GRAPPE_TRUSTED_DOCUMENTS": "on", "GRAPPE_METRICS_ADDR": "off", "GRAPPE_RATE_LIMIT": "0"}))
	t.Cleanup(func() { _ = app.Close() })
	staff := issueToken(t, domain.RoleStaff, "", time.Hour, time.Now())
	create := func(name string) string {
		d := post(t, app.URL(), staff, `mutation($name: String!) { createMember(input: {name: $name, kind: COMPANY}) { member { id } } }`,
			map[string]any{"name": name})
		return d["createMember"].(map[string]any)["member"].(map[string]any)["id"].(string)
	}
	me := create("Métrologie Vérifiée")
	// An ad-hoc query from the member is refused: the mode is on.
	resp := postResponse(t, app.URL(), issueToken(t, domain.RoleMember, me, time.Hour, time.Now()), `{ viewer { role } }`, nil)
	if errs, _ := resp["errors"].([]any); len(errs) == 0 || errs[0].(map[string]any)["extensions"].(map[string]any)["code"] != "PERSISTED_QUERY_REQUIRED" {
		t.Fatalf("a MEMBER's ad-hoc query in allowlist mode: %v, want PERSISTED_QUERY_REQUIRED", resp)
	}
	c := openConsole(t, app.URL()+"/console")
	c.waitHook("token-form")
	c.do("paste a MEMBER token", chromedp.SendKeys(chromedp.CSS(headless.Hook("token-input")), issueToken(t, domain.RoleMember, me, time.Hour, time.Now())),
		chromedp.Click(chromedp.CSS(headless.Hook("token-submit"))))
	s := c.waitReady("explorer")
	if s.Role != "MEMBER" || s.NodeCount != 1 {
		t.Errorf("a MEMBER under the allowlist: role %q, %d members drawn, want MEMBER and itself", s.Role, s.NodeCount)
	}
	c.searchAndSelect(me, "Métrologie Vérifiée")
	c.waitText(headless.Hook("member-panel")+" "+headless.Hook("member-name"), "Métrologie Vérifiée")
	c.checkNoErrors()
}
