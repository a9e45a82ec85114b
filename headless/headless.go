// Package headless drives the console (/console) in Debian's chromium,
// headless, through the Chrome DevTools protocol (chromedp): for the
// browser tests of the root package and the console's load-time benchmark
// (bench -console). scripts/ensure-chromium installs chromium.
package headless

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
)

// ErrNoChromium says chromium is not installed.
var ErrNoChromium = errors.New("chromium is not installed: run scripts/ensure-chromium (as root it installs Debian's chromium package), or apt-get install chromium")

// ExecPath returns the path of chromium (Debian's package), or of another
// Chromium-based browser named by GRAPPE_CHROMIUM.
func ExecPath() (string, error) {
	name := "chromium"
	if v := os.Getenv("GRAPPE_CHROMIUM"); v != "" {
		name = v
	}
	p, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("%w (%v)", ErrNoChromium, err)
	}
	return p, nil
}

// Flags are the command-line flags chromium runs with, on top of chromedp's
// defaults (headless, no first-run, no background throttling…): a window
// of 1280×800 and WebGL without a GPU (ANGLE on SwiftShader, a software
// Vulkan), which sigma.js draws with; no sandbox as root, where chromium
// refuses to start with one.
func Flags() []string { return append([]string{"--headless"}, extraFlags()...) }

// extraFlags are the flags added to chromedp's defaults.
func extraFlags() []string {
	flags := []string{"--window-size=1280,800", "--use-angle=swiftshader", "--enable-unsafe-swiftshader"}
	if os.Geteuid() == 0 {
		flags = append(flags, "--no-sandbox")
	}
	return flags
}

// Browser is a running headless chromium, shared by tabs.
type Browser struct {
	ctx         context.Context // holds the browser; tabs are its children
	cancel      context.CancelFunc
	cancelAlloc context.CancelFunc
}

// Start starts chromium and waits, at most timeout, until it answers.
func Start(timeout time.Duration) (*Browser, error) {
	path, err := ExecPath()
	if err != nil {
		return nil, err
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path))
	for _, f := range extraFlags() {
		name, value, ok := strings.Cut(strings.TrimPrefix(f, "--"), "=")
		if ok {
			opts = append(opts, chromedp.Flag(name, value))
		} else {
			opts = append(opts, chromedp.Flag(name, true))
		}
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	b := &Browser{ctx: ctx, cancel: cancel, cancelAlloc: cancelAlloc}
	// The first Run binds the browser's life to its context: no timeout on
	// it, a timer instead.
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx) }()
	select {
	case err = <-started:
	case <-time.After(timeout):
		err = fmt.Errorf("chromium did not start within %s", timeout)
	}
	if err != nil {
		b.Close()
		return nil, fmt.Errorf("start chromium (%s %s): %w", path, strings.Join(Flags(), " "), err)
	}
	return b, nil
}

// Close stops chromium.
func (b *Browser) Close() {
	b.cancel()
	b.cancelAlloc()
}

// Tab opens a new tab; cancel closes it.
func (b *Browser) Tab() (context.Context, context.CancelFunc, error) {
	ctx, cancel := chromedp.NewContext(b.ctx)
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		return nil, nil, fmt.Errorf("open a tab: %w", err)
	}
	return ctx, cancel, nil
}

// Hook is the CSS selector of a test hook of the console (data-testid).
func Hook(name string) string { return `[data-testid="` + name + `"]` }

// WaitHook waits, at most timeout, until the hook is visible on the page.
func WaitHook(ctx context.Context, name string, timeout time.Duration) error {
	tctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := chromedp.Do(tctx, chromedp.WaitVisible(chromedp.CSS(Hook(name)))); err != nil {
		return fmt.Errorf("the console showed no %s within %s: %w", Hook(name), timeout, err)
	}
	return nil
}

// WaitTrue polls the JavaScript expression every 50 ms until it is true,
// at most timeout; what names it in the error.
func WaitTrue(ctx context.Context, what, expr string, timeout time.Duration) error {
	tctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var last error
	for {
		ok, err := chromedp.Run(tctx, chromedp.Evaluate[bool](`!!(`+expr+`)`))
		if err == nil && ok {
			return nil
		}
		if err != nil {
			last = err
		}
		select {
		case <-tctx.Done():
			if last != nil {
				return fmt.Errorf("%s: not true within %s (%s): %v", what, timeout, expr, last)
			}
			return fmt.Errorf("%s: not true within %s (%s)", what, timeout, expr)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// ReadyExpr is true once the console's view is loaded and drawn.
func ReadyExpr(view string) string {
	return `window.grappeConsole && window.grappeConsole.ready === true && window.grappeConsole.view === ` + quote(view)
}

// State is window.grappeConsole, the state the console shows the tests.
type State struct {
	Ready         bool            `json:"ready"`
	Role          string          `json:"role"`
	View          string          `json:"view"`
	NodeCount     int             `json:"nodeCount"`
	EdgeCount     int             `json:"edgeCount"`
	Selected      *string         `json:"selected"`
	Path          *PathState      `json:"path"`
	Charts        map[string]Plot `json:"charts"`
	LayoutRunning bool            `json:"layoutRunning"`
	LoadMs        float64         `json:"loadMs"`
	Filtered      *int            `json:"filtered"` // members passing the explorer's filters; nil without one
}

// PathState is window.grappeConsole.path.
type PathState struct {
	From             string   `json:"from"`
	To               string   `json:"to"`
	Hops             int      `json:"hops"`
	Members          []string `json:"members"`
	HighlightedEdges int      `json:"highlightedEdges"`
}

// Plot is what a chart draws.
type Plot struct {
	Labels []any     `json:"labels"`
	Values []float64 `json:"values"`
}

// ReadState reads window.grappeConsole.
func ReadState(ctx context.Context) (State, error) {
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](`window.grappeConsole === undefined ? null : JSON.parse(JSON.stringify(window.grappeConsole))`))
	var s State
	if err != nil {
		return s, fmt.Errorf("read window.grappeConsole: %w", err)
	}
	if string(raw) == "null" {
		return s, errors.New("the page has no window.grappeConsole")
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return s, fmt.Errorf("decode window.grappeConsole %s: %w", raw, err)
	}
	return s, nil
}

// quote returns s as a JavaScript string literal.
func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
