package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"grappe/postgres/pgtest"
)

// scrape returns the body of GET url.
func scrape(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, b)
	}
	return string(b)
}

// sample returns the value of the sample of family name whose labels
// include every label of want (e.g. `type="query"`), and whether one is
// found.
func sample(body, name string, want ...string) (float64, bool) {
	for _, line := range strings.Split(body, "\n") {
		rest, ok := strings.CutPrefix(line, name)
		if !ok || (rest != "" && rest[0] != '{' && rest[0] != ' ') {
			continue
		}
		labels, value := "", rest
		if strings.HasPrefix(rest, "{") {
			end := strings.LastIndex(rest, "}")
			labels, value = rest[1:end], rest[end+1:]
		}
		match := true
		for _, w := range want {
			if !strings.Contains(","+labels+",", ","+w+",") {
				match = false
				break
			}
		}
		if match {
			v, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
			return v, err == nil
		}
	}
	return 0, false
}

// families returns the names of the families of a scrape.
func families(body string) map[string]bool {
	out := map[string]bool{}
	for _, line := range strings.Split(body, "\n") {
		if f := strings.Fields(line); len(f) >= 3 && f[0] == "#" && f[1] == "TYPE" {
			out[f[2]] = true
		}
	}
	return out
}

// TestMetrics: with GRAPPE_METRICS_ADDR, /metrics on its own address
// counts the GraphQL requests by operation, type, outcome and code, their
// durations and SQL statements, the rate-limited ones, and shows the
// pools, the network graph's snapshot, the subscriptions and the Go
// runtime, every family named grappe_*; the API's port serves no
// /metrics. The Grafana dashboard and the Metrics section of
// docs/operations.md name only families that exist, and the section every
// family of grappe's own.
func TestMetrics(t *testing.T) {
	t.Parallel()
	app := startApp(t, appVars(pgtest.NewURL(t), map[string]string{
		"GRAPPE_METRICS_ADDR": "127.0.0.1:0", "GRAPPE_RATE_LIMIT": "4", "GRAPPE_RATE_LIMIT_WINDOW": "1m",
	}))
	defer app.Close()
	if app.MetricsURL() == "" {
		t.Fatal("no metrics URL")
	}
	base, staff := app.URL(), staffToken(t)
	auth := map[string]string{"Authorization": "Bearer " + staff}
	body := func(op, query string, vars map[string]any) string {
		b, _ := json.Marshal(map[string]any{"operationName": op, "query": query, "variables": vars})
		return string(b)
	}
	if status, out := rawPost(t, base, body("NewMember", `mutation NewMember { createMember(input: {name: "Métrique SARL", kind: COMPANY}) { member { id } } }`, nil), auth); status != 200 || strings.Contains(out, `"errors"`) {
		t.Fatalf("createMember: %d %s", status, out)
	}
	for range 2 {
		if status, out := rawPost(t, base, body("Count", `query Count { members { totalCount } }`, nil), auth); status != 200 || strings.Contains(out, `"errors"`) {
			t.Fatalf("Count: %d %s", status, out)
		}
	}
	// Refused: a variable of the wrong type.
	rawPost(t, base, body("Find", `query Find($first: Int) { members(first: $first) { totalCount } }`, map[string]any{"first": "x"}), auth)
	// Rate-limited: anonymous requests past the fourth within the window.
	limited := 0
	for range 6 {
		if status, _ := rawPost(t, base, body("", `{ __typename }`, nil), nil); status == http.StatusTooManyRequests {
			limited++
		}
	}
	if limited == 0 {
		t.Fatal("no request was rate-limited")
	}
	if resp, err := http.Get(base + "/metrics"); err != nil || resp.StatusCode == http.StatusOK {
		t.Fatalf("the API's port serves /metrics: %v", err)
	} else {
		resp.Body.Close()
	}

	before := app.network.Snapshot().Version
	out := scrape(t, app.MetricsURL())
	after := app.network.Snapshot().Version

	for name := range families(out) {
		if !strings.HasPrefix(name, "grappe_") {
			t.Errorf("family %s is not named grappe_*", name)
		}
	}
	checks := []struct {
		name   string
		labels []string
		want   func(float64) bool
	}{
		{"grappe_requests_total", []string{`operation="Count"`, `type="query"`, `outcome="ok"`, `code=""`}, func(v float64) bool { return v == 2 }},
		{"grappe_requests_total", []string{`operation="NewMember"`, `type="mutation"`, `outcome="ok"`}, func(v float64) bool { return v == 1 }},
		{"grappe_requests_total", []string{`operation="Find"`, `outcome="refused"`, `code="BAD_USER_INPUT"`}, func(v float64) bool { return v == 1 }},
		{"grappe_requests_total", []string{`operation="anonymous"`, `outcome="refused"`, `code="RATE_LIMITED"`}, func(v float64) bool { return v == float64(limited) }},
		{"grappe_refused_requests_total", []string{`code="RATE_LIMITED"`}, func(v float64) bool { return v == float64(limited) }},
		{"grappe_refused_requests_total", []string{`code="BAD_USER_INPUT"`}, func(v float64) bool { return v == 1 }},
		{"grappe_rate_limited_requests_total", []string{`path="graphql"`}, func(v float64) bool { return v == float64(limited) }},
		{"grappe_rate_limited_requests_total", []string{`path="export"`}, func(v float64) bool { return v == 0 }},
		{"grappe_request_duration_seconds_count", []string{`operation="Count"`, `type="query"`}, func(v float64) bool { return v == 2 }},
		{"grappe_request_sql_statements_count", []string{`operation="Count"`, `type="query"`}, func(v float64) bool { return v == 2 }},
		{"grappe_request_sql_statements_sum", []string{`operation="Count"`, `type="query"`}, func(v float64) bool { return v >= 2 }},
		{"grappe_request_sql_statements_bucket", []string{`operation="Find"`, `le="0"`}, func(v float64) bool { return v == 1 }},
		{"grappe_db_pool_max_connections", []string{`pool="requests"`}, func(v float64) bool { return v == 20 }},
		{"grappe_db_pool_max_connections", []string{`pool="probe"`}, func(v float64) bool { return v == 1 }},
		{"grappe_db_pool_connections", []string{`pool="requests"`, `state="idle"`}, func(v float64) bool { return v >= 1 }},
		{"grappe_db_pool_connections", []string{`pool="background"`, `state="in_use"`}, func(v float64) bool { return v >= 0 }},
		{"grappe_db_pool_waits_total", []string{`pool="requests"`}, func(v float64) bool { return v >= 0 }},
		{"grappe_db_pool_wait_seconds_total", []string{`pool="requests"`}, func(v float64) bool { return v >= 0 }},
		{"grappe_network_snapshot_version", nil, func(v float64) bool { return before != after || v == float64(before) }},
		{"grappe_network_snapshot_age_seconds", nil, func(v float64) bool { return v >= 0 }},
		{"grappe_network_rebuilds_total", nil, func(v float64) bool { return v >= 1 }},
		{"grappe_network_rebuild_duration_seconds_count", nil, func(v float64) bool { return v >= 1 }},
		{"grappe_network_measure_duration_seconds_count", nil, func(v float64) bool { return v >= 0 }},
		{"grappe_network_commit_lag_seconds_count", nil, func(v float64) bool { return v >= 0 }},
		{"grappe_subscriptions", nil, func(v float64) bool { return v == 0 }},
		{"grappe_subscription_connections", nil, func(v float64) bool { return v == 0 }},
		{"grappe_subscription_events_total", nil, func(v float64) bool { return v == 0 }},
		{"grappe_subscriptions_dropped_total", nil, func(v float64) bool { return v == 0 }},
		{"grappe_go_goroutines", nil, func(v float64) bool { return v > 0 }},
		{"grappe_process_cpu_seconds_total", nil, func(v float64) bool { return v > 0 }},
	}
	for _, c := range checks {
		v, ok := sample(out, c.name, c.labels...)
		if !ok || !c.want(v) {
			t.Errorf("%s%v = %v (found %v)", c.name, c.labels, v, ok)
		}
	}
	if t.Failed() {
		t.Logf("scrape:\n%s", out)
	}

	// What the docs and the dashboard name exists; the docs name every
	// family of grappe's own (not the Go runtime's nor the process's).
	fams := families(out)
	exists := func(name string) bool {
		for _, suffix := range []string{"", "_bucket", "_sum", "_count"} {
			if base, ok := strings.CutSuffix(name, suffix); ok && fams[base] {
				return true
			}
		}
		return false
	}
	metricName := regexp.MustCompile(`grappe_[a-z_]+[a-z]`)
	dashboard, err := os.ReadFile("docs/grafana-dashboard.json")
	if err != nil {
		t.Fatal(err)
	}
	var board struct {
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(dashboard, &board); err != nil {
		t.Fatalf("docs/grafana-dashboard.json: %v", err)
	}
	exprs := 0
	for _, p := range board.Panels {
		for _, target := range p.Targets {
			exprs++
			for _, name := range metricName.FindAllString(target.Expr, -1) {
				if !exists(name) {
					t.Errorf("dashboard panel %q: no family %s", p.Title, name)
				}
			}
		}
	}
	if exprs == 0 {
		t.Error("the dashboard has no queries")
	}
	doc, err := os.ReadFile("docs/operations.md")
	if err != nil {
		t.Fatal(err)
	}
	_, ops, _ := strings.Cut(string(doc), "\n## Metrics\n")
	ops, _, _ = strings.Cut(ops, "\n## ")
	if ops == "" {
		t.Fatal("docs/operations.md has no Metrics section")
	}
	for _, name := range metricName.FindAllString(ops, -1) {
		if !exists(name) && !strings.HasPrefix(name, "grappe_go") && !strings.HasPrefix(name, "grappe_process") {
			t.Errorf("docs/operations.md names %s, which is no family", name)
		}
	}
	for name := range fams {
		if !strings.HasPrefix(name, "grappe_go") && !strings.HasPrefix(name, "grappe_process") && !strings.Contains(ops, "`"+name+"`") {
			t.Errorf("docs/operations.md does not describe %s", name)
		}
	}
}
