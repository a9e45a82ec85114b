package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chromedp/chromedp"

	"grappe/headless"
)

// consoleLoad is one load of the console's explorer in a new tab.
type consoleLoad struct {
	Ready       time.Duration // from the navigation's start to window.grappeConsole.ready
	PageReady   float64       // the same by the page's clock (performance.now(), from the navigation's start), ms
	LoadMs      float64       // window.grappeConsole.loadMs: the page's own count, from its script's start
	LayoutDone  time.Duration // from the navigation's start until the layout stops (0: still running at the limit)
	Nodes       int
	Edges       int
	GraphMs     float64 // the longest GraphQL request of the load, as the browser timed it
	GraphBytes  int     // its body as sent (encodedBodySize)
	GraphDecode int     // and decoded
}

// consoleBench measures the console's time to interactive in a headless
// chromium, for each dataset: grappe in development mode on the seeded
// database (so that the page carries the demo ANALYST token, as a
// developer opens it), idle first; then loads of /console in new tabs of
// one browser, the first with a cold cache. It prints a Markdown table.
func consoleBench(ctx context.Context, c config, bin, dbURL string, secret []byte, dataDir string, logf func(string, ...any), out io.Writer) error {
	b, err := headless.Start(time.Minute)
	if err != nil {
		return err
	}
	defer b.Close()
	fmt.Fprintf(out, "chromium %s, %d loads per dataset (the first with an empty cache), grappe idle before the first\n\n",
		strings.Join(headless.Flags(), " "), c.ConsoleLoads)
	fmt.Fprintln(out, "| members | nodes | edges | ready p50 | ready min–max | first load (cold) | ready by the page's clock p50 | loadMs p50 | layout stopped p50 | graph request p50 | graph body |")
	fmt.Fprintln(out, "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
	datasets := c.Members
	if len(datasets) == 0 {
		datasets = []int{0}
	}
	for _, n := range datasets {
		port, err := freePort()
		if err != nil {
			return err
		}
		env := append(grappeEnv(dbURL, string(secret), dataDir, port), "GRAPPE_ENV=development", "GRAPPE_CONSOLE=on")
		if n > 0 {
			logf("seeding %d members", n)
			if _, err := runGrappe(ctx, bin, env, "seed", "--members", strconv.Itoa(n), "--seed", strconv.FormatUint(c.Seed, 10), "--replace"); err != nil {
				return err
			}
		}
		logf("starting grappe")
		srv, err := startGrappe(ctx, bin, env, port)
		if err != nil {
			return err
		}
		if busy, idle := waitIdle(srv.PID(), c.Settle); !idle {
			logf("grappe still busy after %s", busy)
		}
		url := strings.TrimSuffix(srv.endpoint, "/graphql") + "/console"
		var loads []consoleLoad
		for i := range c.ConsoleLoads {
			l, err := loadConsole(ctx, b, url)
			if err != nil {
				_ = srv.Stop()
				return fmt.Errorf("load %d of %s: %w", i+1, url, err)
			}
			logf("load %d: ready after %s (page clock %.0f ms, loadMs %.0f), %d nodes, %d edges, layout stopped after %s, graph request %.0f ms, %d bytes",
				i+1, l.Ready.Round(time.Millisecond), l.PageReady, l.LoadMs, l.Nodes, l.Edges, l.LayoutDone.Round(time.Millisecond), l.GraphMs, l.GraphBytes)
			loads = append(loads, l)
		}
		_ = srv.Stop()
		fmt.Fprintln(out, consoleRow(n, loads))
	}
	return nil
}

// consoleRow is the table's row of a dataset's loads (members: as
// seeded, 0 for the database as it is).
func consoleRow(members int, loads []consoleLoad) string {
	median := func(f func(consoleLoad) float64) float64 {
		v := make([]float64, len(loads))
		for i, l := range loads {
			v[i] = f(l)
		}
		slices.Sort(v)
		if len(v)%2 == 1 {
			return v[len(v)/2]
		}
		return (v[len(v)/2-1] + v[len(v)/2]) / 2
	}
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	ready := func(l consoleLoad) float64 { return ms(l.Ready) }
	lo, hi := ready(loads[0]), ready(loads[0])
	layout := "still running"
	for _, l := range loads {
		lo, hi = min(lo, ready(l)), max(hi, ready(l))
	}
	if !slices.ContainsFunc(loads, func(l consoleLoad) bool { return l.LayoutDone == 0 }) {
		layout = fmt.Sprintf("%.0f ms", median(func(l consoleLoad) float64 { return ms(l.LayoutDone) }))
	}
	last := loads[len(loads)-1]
	return fmt.Sprintf("| %d | %d | %d | %.0f ms | %.0f–%.0f ms | %.0f ms | %.0f ms | %.0f ms | %s | %.0f ms | %.1f MB (%.1f MB decoded) |",
		members, last.Nodes, last.Edges, median(ready), lo, hi, ready(loads[0]),
		median(func(l consoleLoad) float64 { return l.PageReady }),
		median(func(l consoleLoad) float64 { return l.LoadMs }), layout,
		median(func(l consoleLoad) float64 { return l.GraphMs }), float64(last.GraphBytes)/1e6, float64(last.GraphDecode)/1e6)
}

// consoleTimeout bounds each wait of a load.
const consoleTimeout = 2 * time.Minute

// loadConsole opens the console in a new tab and times it until the
// explorer is ready, then until its layout stops.
func loadConsole(ctx context.Context, b *headless.Browser, url string) (consoleLoad, error) {
	var l consoleLoad
	tab, cancel, err := b.Tab()
	if err != nil {
		return l, err
	}
	defer cancel()
	stop := context.AfterFunc(ctx, cancel)
	defer stop()
	start := time.Now()
	nctx, ncancel := context.WithTimeout(tab, consoleTimeout)
	defer ncancel()
	if err := chromedp.Do(nctx, chromedp.Navigate(url)); err != nil {
		return l, err
	}
	for l.PageReady <= 0 {
		at, err := chromedp.Run(nctx, chromedp.Evaluate[float64](`(`+headless.ReadyExpr("explorer")+`) ? performance.now() : -1`))
		if err == nil && at > 0 {
			l.Ready, l.PageReady = time.Since(start), at
			break
		}
		select {
		case <-nctx.Done():
			return l, fmt.Errorf("window.grappeConsole.ready on the explorer: %w", nctx.Err())
		case <-time.After(10 * time.Millisecond):
		}
	}
	s, err := headless.ReadState(nctx)
	if err != nil {
		return l, err
	}
	l.LoadMs, l.Nodes, l.Edges = s.LoadMs, s.NodeCount, s.EdgeCount
	if headless.WaitTrue(nctx, "the layout stopped", `window.grappeConsole.layoutRunning === false`, consoleTimeout) == nil {
		l.LayoutDone = time.Since(start)
	}
	type entry struct {
		Duration float64 `json:"duration"`
		Encoded  int     `json:"encodedBodySize"`
		Decoded  int     `json:"decodedBodySize"`
	}
	entries, err := chromedp.Run(nctx, chromedp.Evaluate[[]entry](`performance.getEntriesByType("resource")
		.filter(e => new URL(e.name).pathname === "/graphql")
		.map(e => ({duration: e.duration, encodedBodySize: e.encodedBodySize, decodedBodySize: e.decodedBodySize}))`))
	if err != nil {
		return l, err
	}
	for _, e := range entries {
		if e.Duration > l.GraphMs {
			l.GraphMs, l.GraphBytes, l.GraphDecode = e.Duration, e.Encoded, e.Decoded
		}
	}
	return l, nil
}
