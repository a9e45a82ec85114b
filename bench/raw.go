package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
	"github.com/uptrace/bun/driver/pgdriver"

	"grappe/auth"
	"grappe/domain"
	"grappe/graph"
	"grappe/network"
	"grappe/postgres"
	"grappe/wiring"
)

// The raw PostgreSQL comparison (issue 7, item 4) runs the very SQL that
// grappe runs for a scenario, without the GraphQL layer: each request of a
// sample is served once in process by grappe's handler while a bun query
// statement observer records its statements, then the load loop replays
// the recorded statements over the driver, each request's statements in
// turn on one connection, at the same concurrency and for the same time as
// grappe's attack: the statements grappe prepares (those with parameters)
// are prepared once per connection too. Its throughput is the limit
// grappe's could reach.

// newHandler returns grappe's GraphQL handler over db, behind token
// verification with secret and the per-request loaders, as the server
// builds it (without the HTTP protections). g may be nil for scenarios that
// do not read the network graph.
func newHandler(db *postgres.DB, g network.Source, secret []byte) (http.Handler, error) {
	verifier, err := auth.NewVerifier(auth.Config{Secret: secret}, db.MemberExists)
	if err != nil {
		return nil, err
	}
	gql := wiring.GraphQL(db, g, graph.HandlerOptions{QueryCacheSize: 100, APQCacheSize: 100, MapError: postgres.MapTransient})
	return verifier.Middleware(gql), nil
}

// serveInProcess posts one request to h and returns the response body.
func serveInProcess(ctx context.Context, h http.Handler, body []byte, token string) ([]byte, int) {
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Body.Bytes(), rec.Code
}

// statement is one recorded statement: its text and, when grappe runs it
// as a prepared statement, its parameters.
type statement struct {
	Query string
	Args  []any
}

// capture collects the statements run for one request.
type capture struct {
	mu    sync.Mutex
	stmts []statement
}

func (c *capture) observe(query string, args []any) {
	c.mu.Lock()
	c.stmts = append(c.stmts, statement{query, args})
	c.mu.Unlock()
}

// recordSQL serves n samples of sc in process against the database at
// dbURL and returns the statements of each request.
func recordSQL(ctx context.Context, dbURL string, sc scenario, s *sampler, tok *tokens, secret []byte, n int) ([][]statement, error) {
	db, err := postgres.Open(ctx, dbURL, postgres.Options{MaxOpenConns: 8})
	if err != nil {
		return nil, err
	}
	defer db.Close()
	h, err := newHandler(db, nil, secret)
	if err != nil {
		return nil, err
	}
	var out [][]statement
	for range n {
		sm := s.Sample()
		member := ""
		if sc.Role == domain.RoleMember {
			// The token check reads the member index once per server,
			// not per request: that read is not the request's SQL.
			if _, err := db.MemberExists(ctx, sm.MemberID); err != nil {
				return nil, err
			}
			member = memberID(sm.MemberID)
		}
		c := &capture{}
		body, code := serveInProcess(postgres.WithStatementObserver(ctx, c.observe), h, gqlBody(sc.Query, sc.Vars(sm)), tok.get(sc.Role, member))
		if code != http.StatusOK || bytes.Contains(body, []byte(`"errors"`)) {
			return nil, fmt.Errorf("%s in process: %d %s", sc.Name, code, truncate(string(body), 300))
		}
		out = append(out, c.stmts)
	}
	return out, nil
}

// runRaw replays the recorded requests at the given concurrency for the
// given time and adds the measure to m.
func runRaw(ctx context.Context, dbURL string, reqs [][]statement, opts attackOptions, m *measure) error {
	// The session settings of grappe's own connections (postgres.Open).
	sqldb := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(dbURL), pgdriver.WithApplicationName("grappe-bench-raw"),
		pgdriver.WithConnParams(map[string]any{"plan_cache_mode": "force_generic_plan"})))
	defer sqldb.Close()
	sqldb.SetMaxOpenConns(opts.Concurrency)
	sqldb.SetMaxIdleConns(opts.Concurrency)

	type worker struct {
		results []vegeta.Result
		stmts   int64
		errors  int
		first   string
	}
	workers := make([]worker, opts.Concurrency)
	db0 := readPostgresCPU()
	self0, _ := cpuTicks(os.Getpid())
	start := time.Now()
	deadline := start.Add(opts.Duration)
	var wg sync.WaitGroup
	var openErr error
	var openOnce sync.Once
	for i := range workers {
		w := &workers[i]
		wg.Go(func() {
			conn, err := sqldb.Conn(ctx)
			if err != nil {
				openOnce.Do(func() { openErr = err })
				return
			}
			defer conn.Close()
			prepared := map[string]*sql.Stmt{}
			for time.Now().Before(deadline) {
				req := reqs[rand.IntN(len(reqs))]
				t0 := time.Now()
				var failed error
				for _, st := range req {
					if err := drain(ctx, conn, prepared, st); err != nil {
						failed = err
						break
					}
				}
				r := vegeta.Result{Timestamp: t0, Latency: time.Since(t0), Code: http.StatusOK}
				if failed != nil {
					w.errors++
					if w.first == "" {
						w.first = failed.Error()
					}
					r.Code, r.Error = 0, failed.Error()
				}
				w.stmts += int64(len(req))
				w.results = append(w.results, r)
			}
		})
	}
	wg.Wait()
	m.Elapsed += time.Since(start)
	if self1, err := cpuTicks(os.Getpid()); err == nil {
		m.LoadTicks += self1 - self0
	}
	if openErr != nil {
		return fmt.Errorf("raw SQL: %w", openErr)
	}
	if ticks, procs := readPostgresCPU().since(db0); procs > 0 {
		m.DBTicks += ticks
		m.DBProcs = procs
	}
	for i := range workers {
		w := &workers[i]
		for j := range w.results {
			m.Latencies.Add(&w.results[j])
		}
		m.Requests += len(w.results)
		m.StatementCount += len(w.results)
		m.Statements += w.stmts
		m.Errors += w.errors
		if m.FirstErr == "" {
			m.FirstErr = w.first
		}
	}
	return nil
}

// drain runs one statement, prepared on conn (and kept in prepared) when
// it has parameters, and reads every value of every row, as a client
// decoding the answer would.
func drain(ctx context.Context, conn *sql.Conn, prepared map[string]*sql.Stmt, st statement) error {
	var rows *sql.Rows
	var err error
	if st.Args == nil {
		rows, err = conn.QueryContext(ctx, st.Query)
	} else {
		stmt, ok := prepared[st.Query]
		if !ok {
			if stmt, err = conn.PrepareContext(ctx, st.Query); err != nil {
				return err
			}
			prepared[st.Query] = stmt
		}
		rows, err = stmt.QueryContext(ctx, st.Args...)
	}
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	vals := make([]sql.RawBytes, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
	}
	return rows.Err()
}

// truncate shortens s to n bytes for messages.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
