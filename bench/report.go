package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// resultsMarker separates BENCHMARKS.md's hand-written part from the
// results the harness writes: everything after it is replaced.
const resultsMarker = "<!-- bench results: everything below is written by go run ./bench -->"

// report is the outcome of one run of the harness.
type report struct {
	Command     string
	Date        time.Time
	Machine     string
	Postgres    string
	GoVersion   string
	Commit      string
	Concurrency int
	Duration    time.Duration
	Warmup      time.Duration
	Rounds      int
	Peers       []string
	Datasets    []*dataset
}

// dataset is the measures on one database.
type dataset struct {
	Members  int // ACTIVE members
	Links    int // business links
	Seeded   string
	Measures []*measure // per scenario: grappe, then each peer
	Raw      []*measure // raw PostgreSQL, per scenario
	Notes    []string
}

// find returns the measure of server on scenario, or nil.
func (d *dataset) find(scenario, server string) *measure {
	for _, m := range append(d.Measures, d.Raw...) {
		if m.Scenario == scenario && m.Server == server {
			return m
		}
	}
	return nil
}

// rawServer names the raw PostgreSQL rows.
const rawServer = "PostgreSQL (raw SQL)"

// render writes the report as markdown.
func (r *report) render(w io.Writer) {
	fmt.Fprintf(w, "## Results of %s\n\n", r.Date.UTC().Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(w, "- Command: `%s`\n", r.Command)
	fmt.Fprintf(w, "- Machine: %s\n", r.Machine)
	fmt.Fprintf(w, "- PostgreSQL: %s\n", r.Postgres)
	fmt.Fprintf(w, "- grappe: commit %s, built with %s\n", r.Commit, r.GoVersion)
	fmt.Fprintf(w, "- Load: %d concurrent clients, each sending its next request when the previous one is answered (vegeta, unlimited rate); %s of warm-up, then %s per server and scenario",
		r.Concurrency, r.Warmup, r.Duration)
	if r.Rounds > 1 {
		fmt.Fprintf(w, " in %d rounds, servers alternating", r.Rounds)
	}
	fmt.Fprintln(w)
	if len(r.Peers) > 0 {
		fmt.Fprintf(w, "- Peers: %s, serving the same database, measured alternately with grappe in the same run\n", strings.Join(r.Peers, ", "))
	}
	fmt.Fprintln(w)
	for _, d := range r.Datasets {
		d.render(w, r.Peers)
	}
}

func (d *dataset) render(w io.Writer, peers []string) {
	fmt.Fprintf(w, "### %s members, %s business links\n\n", thousands(d.Members), thousands(d.Links))
	if d.Seeded != "" {
		fmt.Fprintf(w, "Dataset: %s.\n\n", d.Seeded)
	}
	fmt.Fprintln(w, "| scenario | server | requests/s | p50 ms | p95 ms | p99 ms | errors | SQL statements/request | server CPU ms/request | PostgreSQL CPU ms/request | load generator CPU ms/request | server peak RSS MiB |")
	fmt.Fprintln(w, "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
	for _, m := range append(d.Measures, d.Raw...) {
		fmt.Fprintf(w, "| %s | %s | %.0f | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
			m.Scenario, m.Server, m.RPS(),
			ms(m.Latencies.Latencies.P50), ms(m.Latencies.Latencies.P95), ms(m.Latencies.Latencies.P99),
			errorsCell(m), statementsCell(m), cpuCell(m.CPUTicks, m), dbCPUCell(m), perRequest(m.LoadTicks, m), rssCell(m))
	}
	fmt.Fprintln(w)
	if len(peers) > 0 {
		fmt.Fprintln(w, "grappe against its peers (above 1: grappe serves more requests per second; below 1: grappe's p99 is lower):")
		fmt.Fprintln(w)
		fmt.Fprintln(w, "| scenario | peer | requests/s grappe/peer | p50 grappe/peer | p99 grappe/peer |")
		fmt.Fprintln(w, "|---|---|--:|--:|--:|")
		for _, g := range d.Measures {
			if g.Server != "grappe" {
				continue
			}
			for _, p := range peers {
				if pm := d.find(g.Scenario, p); pm != nil {
					fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", g.Scenario, p,
						ratio(g.RPS(), pm.RPS()),
						ratio(g.Latencies.Latencies.P50.Seconds(), pm.Latencies.Latencies.P50.Seconds()),
						ratio(g.Latencies.Latencies.P99.Seconds(), pm.Latencies.Latencies.P99.Seconds()))
				}
			}
		}
		fmt.Fprintln(w)
	}
	if len(d.Raw) > 0 {
		fmt.Fprintln(w, "grappe against its own SQL run directly over the driver (the cost of the GraphQL layer and HTTP):")
		fmt.Fprintln(w)
		fmt.Fprintln(w, "| scenario | grappe requests/s | raw SQL requests/s | grappe/raw |")
		fmt.Fprintln(w, "|---|--:|--:|--:|")
		for _, raw := range d.Raw {
			if g := d.find(raw.Scenario, "grappe"); g != nil {
				fmt.Fprintf(w, "| %s | %.0f | %.0f | %s |\n", raw.Scenario, g.RPS(), raw.RPS(), ratio(g.RPS(), raw.RPS()))
			}
		}
		fmt.Fprintln(w)
	}
	var notes []string
	for _, m := range append(d.Measures, d.Raw...) {
		if m.FirstErr != "" {
			notes = append(notes, fmt.Sprintf("%s on %s, first error: %s", m.Scenario, m.Server, truncate(m.FirstErr, 200)))
		}
		if m.Note != "" {
			notes = append(notes, fmt.Sprintf("%s on %s: %s.", m.Scenario, m.Server, m.Note))
		}
		if m.Conflicts > 0 {
			notes = append(notes, fmt.Sprintf("%s on %s: %d declarations answered CONFLICT (a live link already joined the pair), counted as served", m.Scenario, m.Server, m.Conflicts))
		}
	}
	notes = append(notes, d.Notes...)
	for _, n := range notes {
		fmt.Fprintf(w, "- %s\n", n)
	}
	if len(notes) > 0 {
		fmt.Fprintln(w)
	}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f", d.Seconds()*1000) }

func ratio(a, b float64) string {
	if b == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f", a/b)
}

func errorsCell(m *measure) string {
	if m.Errors == 0 {
		return "0"
	}
	return fmt.Sprintf("%d (%.1f%%)", m.Errors, 100*float64(m.Errors)/float64(max(m.Requests, 1)))
}

func statementsCell(m *measure) string {
	if m.StatementCount == 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f", float64(m.Statements)/float64(m.StatementCount))
}

func cpuCell(ticks int64, m *measure) string {
	if m.Server == rawServer {
		return "–"
	}
	return perRequest(ticks, m)
}

// perRequest turns CPU ticks into milliseconds per request.
func perRequest(ticks int64, m *measure) string {
	if m.Requests == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f", float64(ticks)/clockTicks*1000/float64(m.Requests))
}

func dbCPUCell(m *measure) string {
	if m.DBProcs == 0 || m.Requests == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f", float64(m.DBTicks)/clockTicks*1000/float64(m.Requests))
}

func rssCell(m *measure) string {
	if m.PeakRSS == 0 {
		return "–"
	}
	return fmt.Sprintf("%.0f", float64(m.PeakRSS)/(1<<20))
}

// thousands formats n with comma separators.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// writeReport writes the report into the file at path after resultsMarker,
// keeping what comes before it ("-": standard output).
func writeReport(path string, r *report) error {
	var b strings.Builder
	r.render(&b)
	if path == "-" {
		_, err := io.WriteString(os.Stdout, b.String())
		return err
	}
	head := "# Benchmarks\n\n"
	if old, err := os.ReadFile(path); err == nil {
		head = string(old)
	} else if !os.IsNotExist(err) {
		return err
	}
	if i := strings.Index(head, resultsMarker); i >= 0 {
		head = head[:i]
	} else if !strings.HasSuffix(head, "\n\n") {
		head = strings.TrimRight(head, "\n") + "\n\n"
	}
	return os.WriteFile(path, []byte(head+resultsMarker+"\n\n"+b.String()), 0o644)
}
