// Command bench runs grappe's load benchmark (issue 7) and writes its
// results into BENCHMARKS.md. Run it from the module root:
//
//	go run ./bench [-db URL] [-members 1000,10000] [-scenarios directory,shapes,...]
//	               [-duration 10s] [-warmup 2s] [-concurrency 8] [-rounds 1]
//	               [-peer postgraphile] [-raw profile,directory] [-out BENCHMARKS.md]
//	go run ./bench -console [-members 10000] [-console-loads 5]
//
// It builds the grappe binary, starts it against the database in
// production mode (rate limit off, statement counts in a response header),
// and loads it with vegeta at a fixed concurrency: see BENCHMARKS.md for
// what each column means.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	neturl "net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"grappe/network"
	"grappe/pgserver"
	"grappe/postgres"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		stop()
		os.Exit(1)
	}
}

// config is the command line.
type config struct {
	DB          string
	Members     []int
	Scenarios   []scenario
	Duration    time.Duration
	Warmup      time.Duration
	Concurrency int
	Rounds      int
	Peers       []string
	Raw         map[string]bool
	RawSamples  int
	Out         string
	Seed        uint64
	Settle      time.Duration
	Explain     bool
	Replica     bool
	Traces      bool
	// Console measures the console's load time instead of a load.
	Console      bool
	ConsoleLoads int
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.DB, "db", "", "PostgreSQL URL of the database to benchmark; empty: a throwaway cluster in a temporary directory")
	members := fs.String("members", "", "datasets to seed, comma-separated member counts (e.g. 1000,10000,100000); each REPLACES the data of -db before its run. Empty: benchmark -db as it is (1000 without -db)")
	scenarioList := fs.String("scenarios", "all", "comma-separated scenarios and groups of them ("+strings.Join(groupNames(), ", ")+"): "+strings.Join(scenarioOrder, ","))
	fs.DurationVar(&c.Duration, "duration", 10*time.Second, "measured load per server, scenario and round")
	fs.DurationVar(&c.Warmup, "warmup", 2*time.Second, "unmeasured load per server and scenario before measuring")
	fs.IntVar(&c.Concurrency, "concurrency", 8, "concurrent clients, each sending its next request when the previous one is answered")
	fs.IntVar(&c.Rounds, "rounds", 1, "measured rounds per scenario; in each, grappe then every peer runs for -duration")
	registered := strings.Join(peerNames(), ", ")
	if registered == "" {
		registered = "none registered in this build"
	}
	peerList := fs.String("peer", "", "comma-separated peers to run side by side, on the same database ("+registered+")")
	rawList := fs.String("raw", "profile,directory", `scenarios whose SQL is also run directly over the driver ("none": no raw comparison)`)
	fs.IntVar(&c.RawSamples, "raw-samples", 200, "requests recorded per raw scenario, replayed at random")
	fs.StringVar(&c.Out, "out", "BENCHMARKS.md", `file to write the results into, after the marker line ("-": standard output)`)
	fs.Uint64Var(&c.Seed, "seed", 1, "seed of the datasets and of the variables drawn")
	fs.BoolVar(&c.Explain, "explain", false, "instead of a load, print the plan (EXPLAIN ANALYZE) of every statement of one request of each scenario, on -db as it is")
	fs.BoolVar(&c.Replica, "replica", false, "run a second grappe server on the database during the write scenario, and measure how long a change made through the first takes to reach the second's network graph")
	fs.BoolVar(&c.Traces, "traces", false, "the grappe servers trace every request and export the spans over OTLP/HTTP to a sink in the harness that discards them")
	fs.BoolVar(&c.Console, "console", false, "instead of a load, time the console (/console) loading each dataset in a headless chromium until its explorer is ready, and print a Markdown table")
	fs.IntVar(&c.ConsoleLoads, "console-loads", 5, "loads of the console per dataset with -console, each in a new tab (the first with an empty cache)")
	fs.DurationVar(&c.Settle, "settle", 10*time.Minute, "longest wait for a server to get idle (2 s in a row under a tenth of a core) before each measure: background network jobs (0: no wait)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if c.Concurrency < 1 || c.Rounds < 1 || c.Duration <= 0 || c.Warmup < 0 || c.RawSamples < 1 || c.ConsoleLoads < 1 {
		return c, errors.New("-concurrency, -rounds, -raw-samples, -console-loads and -duration must be positive, -warmup not negative")
	}
	var err error
	if c.Scenarios, err = selectScenarios(*scenarioList); err != nil {
		return c, err
	}
	for _, s := range splitList(*members) {
		n, err := strconv.Atoi(s)
		if err != nil || n < 2 {
			return c, fmt.Errorf("-members: %q is not a member count", s)
		}
		c.Members = append(c.Members, n)
	}
	if len(c.Members) == 0 && c.DB == "" {
		c.Members = []int{1000}
	}
	for _, p := range splitList(*peerList) {
		if _, ok := peers[p]; !ok {
			return c, fmt.Errorf("-peer: unknown peer %q (%s)", p, registered)
		}
		c.Peers = append(c.Peers, p)
	}
	c.Raw = map[string]bool{}
	if *rawList != "none" {
		for _, s := range splitList(*rawList) {
			if s != "profile" && s != "directory" && s != "nested" && s != "search" {
				return c, fmt.Errorf("-raw: %q: only profile, directory, nested and search can run as raw SQL", s)
			}
			c.Raw[s] = true
		}
	}
	return c, nil
}

func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// run is the whole benchmark.
func run(ctx context.Context, args []string, stderr io.Writer) error {
	c, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	logf := func(format string, a ...any) { fmt.Fprintf(stderr, time.Now().Format("15:04:05 ")+format+"\n", a...) }
	if c.Explain {
		if c.DB == "" {
			return errors.New("-explain needs -db: a migrated, seeded database")
		}
		return explain(ctx, c.DB, c.Scenarios, c.Seed, os.Stdout)
	}

	root, err := moduleRoot()
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "grappe-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	// A throwaway cluster runs as the postgres user when the harness runs
	// as root: it must be able to reach the directory.
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	if c.Traces {
		sink, err := startOTLPSink()
		if err != nil {
			return err
		}
		defer func() {
			logf("OTLP sink: %d exports, %d bytes of spans received", sink.requests.Load(), sink.bytes.Load())
			sink.Close()
		}()
		// The servers inherit the harness's environment (grappeEnv).
		os.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", sink.URL)
		os.Setenv("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
	}
	logf("building grappe")
	bin, err := buildGrappe(ctx, root, tmp)
	if err != nil {
		return err
	}
	dbURL := c.DB
	if dbURL == "" {
		logf("starting a throwaway PostgreSQL")
		pg, err := pgserver.Start(ctx, pgserver.Options{Dir: filepath.Join(tmp, "pg")})
		if err != nil {
			return err
		}
		defer pg.Stop()
		admin, err := postgres.Open(ctx, pg.URL("postgres"), postgres.Options{MaxOpenConns: 1})
		if err != nil {
			return err
		}
		err = admin.EnsureDatabase(ctx, "grappe")
		admin.Close()
		if err != nil {
			return err
		}
		dbURL = pg.URL("grappe")
	}
	secret := []byte(randomHex(32))
	if c.Console {
		return consoleBench(ctx, c, bin, dbURL, secret, filepath.Join(tmp, "data"), logf, os.Stdout)
	}
	rep := &report{
		Command:     "go run ./bench " + strings.Join(redactArgs(args), " "),
		Date:        time.Now(),
		Machine:     machine(),
		GoVersion:   runtime.Version(),
		Commit:      gitCommit(root),
		Concurrency: c.Concurrency, Duration: c.Duration, Warmup: c.Warmup, Rounds: c.Rounds,
		Peers: c.Peers,
	}
	datasets := c.Members
	if len(datasets) == 0 {
		datasets = []int{0}
	}
	for _, n := range datasets {
		d, err := runDataset(ctx, c, rep, bin, dbURL, secret, filepath.Join(tmp, "data"), n, logf)
		if err != nil {
			return err
		}
		rep.Datasets = append(rep.Datasets, d)
		// Write after each dataset, so a long run keeps what it measured.
		if err := writeReport(c.Out, rep); err != nil {
			return err
		}
	}
	if c.Out != "-" {
		logf("results written to %s", c.Out)
	}
	return nil
}

// runDataset seeds n members (unless n is 0), starts the servers and
// measures every scenario.
func runDataset(ctx context.Context, c config, rep *report, bin, dbURL string, secret []byte, dataDir string, n int, logf func(string, ...any)) (*dataset, error) {
	d := &dataset{}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	env := grappeEnv(dbURL, string(secret), dataDir, port)
	if n > 0 {
		logf("seeding %d members", n)
		start := time.Now()
		if _, err := runGrappe(ctx, bin, env, "seed", "--members", strconv.Itoa(n), "--seed", strconv.FormatUint(c.Seed, 10), "--replace"); err != nil {
			return nil, err
		}
		d.Seeded = fmt.Sprintf("`grappe seed --members %d --seed %d --replace` (%s)", n, c.Seed, time.Since(start).Round(time.Second))
	}
	db, err := postgres.Open(ctx, dbURL, postgres.Options{MaxOpenConns: 2})
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if rep.Postgres == "" {
		_ = db.Bun().NewRaw("SELECT version()").Scan(ctx, &rep.Postgres)
	}
	samples, err := loadSampler(ctx, db.Bun(), c.Seed)
	if err != nil {
		return nil, err
	}
	d.Members = samples.Members()
	_ = db.Bun().NewRaw("SELECT count(*) FROM business_links").Scan(ctx, &d.Links)
	tok := newTokens(secret)

	logf("starting grappe (%d members)", d.Members)
	started := time.Now()
	srv, err := startGrappe(ctx, bin, env, port)
	if err != nil {
		return nil, err
	}
	defer srv.Stop()
	ready := time.Since(started)
	busy, idle := waitIdle(srv.PID(), c.Settle)
	note := fmt.Sprintf("grappe started and got ready in %s, then was busy with background work (the network measures of its first graph snapshot; the small-world coefficients up to %d members) for %s before the first measure",
		ready.Round(10*time.Millisecond), network.ExactLimit, busy.Round(time.Second))
	if !idle {
		note += ", and still was"
	}
	d.Notes = append(d.Notes, note+".")
	servers := []target{{Name: "grappe", Endpoint: srv.endpoint, PID: srv.PID()}}
	var replica *grappeServer
	if c.Replica {
		rport, err := freePort()
		if err != nil {
			return nil, err
		}
		logf("starting a second grappe server")
		replica, err = startGrappe(ctx, bin, grappeEnv(dbURL, string(secret), filepath.Join(dataDir, "replica"), rport), rport)
		if err != nil {
			return nil, err
		}
		defer replica.Stop()
	}
	peerScenarios := map[string]map[string]PeerScenario{}
	for _, name := range c.Peers {
		p := peers[name]
		pport, err := freePort()
		if err != nil {
			return nil, err
		}
		logf("starting %s", name)
		endpoint, stop, err := p.Start(ctx, dbURL, pport)
		if err != nil {
			return nil, fmt.Errorf("start %s: %w", name, err)
		}
		defer stop()
		pid, err := listeningPID(pport)
		if err != nil {
			d.Notes = append(d.Notes, fmt.Sprintf("%s: its process was not found (%v), so its CPU and memory are not reported.", name, err))
		}
		servers = append(servers, target{Name: name, Endpoint: endpoint, PID: pid})
		peerScenarios[name] = p.Scenarios()
	}

	opts := attackOptions{Concurrency: c.Concurrency, Duration: c.Duration}
	warm := attackOptions{Concurrency: c.Concurrency, Duration: c.Warmup}
	for _, sc := range c.Scenarios {
		// What each server runs for this scenario.
		type job struct {
			t        target
			m        *measure
			targeter vegeta.Targeter
			onResult func(*vegeta.Result)
			conflict bool
			note     func() string
		}
		var jobs []*job
		for _, t := range servers {
			j := &job{t: t, m: &measure{Scenario: sc.Name, Server: t.Name}}
			switch {
			case t.Name == "grappe" && sc.Name == "write":
				w := newWriter(t.Endpoint, samples, tok)
				j.targeter, j.onResult, j.conflict, j.note = w.Targeter(), w.OnResult, true, w.Note
			case t.Name == "grappe":
				j.targeter = grappeTargeter(t.Endpoint, sc, samples, tok)
			default:
				ps, ok := peerScenarios[t.Name][sc.Name]
				if !ok {
					continue
				}
				j.targeter = peerTargeter(t.Endpoint, ps, samples)
			}
			jobs = append(jobs, j)
		}
		for _, j := range jobs {
			if c.Warmup > 0 {
				if _, idle := waitIdle(j.t.PID, c.Settle); !idle {
					logf("%s still busy after %s", j.t.Name, c.Settle)
				}
				logf("%s on %s: warming up", sc.Name, j.t.Name)
				attack(j.t, j.targeter, warm, &measure{Scenario: sc.Name}, j.conflict, j.onResult)
			}
		}
		for round := 1; round <= c.Rounds; round++ {
			for _, j := range jobs {
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				if _, idle := waitIdle(j.t.PID, c.Settle); !idle {
					d.Notes = append(d.Notes, fmt.Sprintf("%s on %s: the server was still busy after %s of waiting (background work).", sc.Name, j.t.Name, c.Settle))
				}
				logf("%s on %s: round %d/%d", sc.Name, j.t.Name, round, c.Rounds)
				stopProbe := func() {}
				if replica != nil && sc.Name == "write" && j.t.Name == "grappe" {
					probe := newReplicaProbe(j.t.Endpoint, replica.endpoint, tok)
					pctx, cancel := context.WithCancel(ctx)
					done := make(chan struct{})
					go func() { probe.run(pctx); close(done) }()
					stopProbe = func() {
						cancel()
						<-done
						d.Notes = append(d.Notes, fmt.Sprintf("write, round %d: %s.", round, probe.Note()))
					}
				}
				attack(j.t, j.targeter, opts, j.m, j.conflict, j.onResult)
				stopProbe()
				logf("%s on %s: %d requests, %.0f/s, %d errors", sc.Name, j.t.Name, j.m.Requests, j.m.RPS(), j.m.Errors)
			}
		}
		for _, j := range jobs {
			if j.note != nil {
				j.m.Note = j.note()
			}
			j.m.close()
			d.Measures = append(d.Measures, j.m)
		}
		if c.Raw[sc.Name] {
			logf("%s as raw SQL: recording %d requests", sc.Name, c.RawSamples)
			reqs, err := recordSQL(ctx, dbURL, sc, samples, tok, secret, c.RawSamples)
			if err != nil {
				return nil, err
			}
			m := &measure{Scenario: sc.Name, Server: rawServer}
			_, _ = waitIdle(srv.PID(), c.Settle)
			if c.Warmup > 0 {
				if err := runRaw(ctx, dbURL, reqs, warm, &measure{}); err != nil {
					return nil, err
				}
			}
			for range c.Rounds {
				if err := runRaw(ctx, dbURL, reqs, opts, m); err != nil {
					return nil, err
				}
			}
			m.close()
			logf("%s as raw SQL: %d requests, %.0f/s, %d errors", sc.Name, m.Requests, m.RPS(), m.Errors)
			d.Raw = append(d.Raw, m)
		}
	}
	return d, nil
}

// redactArgs hides the password of the -db URL.
func redactArgs(args []string) []string {
	out := slices.Clone(args)
	for i, a := range out {
		name, value, inline := strings.Cut(a, "=")
		if strings.TrimLeft(name, "-") != "db" || name == "db" {
			continue
		}
		if !inline {
			if i+1 >= len(out) {
				continue
			}
			i, value = i+1, out[i+1]
		}
		if u, err := neturl.Parse(value); err == nil {
			value = u.Redacted()
		}
		if inline {
			out[i] = name + "=" + value
		} else {
			out[i] = value
		}
	}
	return out
}

// gitCommit returns the commit of the module's checkout, marked when the
// tree has changes.
func gitCommit(root string) string {
	out, err := exec.Command("git", "-C", root, "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return "unknown"
	}
	commit := strings.TrimSpace(string(out))
	if st, err := exec.Command("git", "-C", root, "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(strings.TrimSpace(string(st))) > 0 {
		commit += " (with uncommitted changes)"
	}
	return commit
}

// randomHex returns n random bytes, hex-encoded.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
