package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"grappe/auth"
	"grappe/domain"
)

// target is a GraphQL server under load.
type target struct {
	Name     string // "grappe" or the peer's name
	Endpoint string // GraphQL URL
	PID      int    // its process, for CPU and memory; 0 if unknown
}

// measure accumulates what one server did on one scenario, over one or
// more attacks.
type measure struct {
	Scenario string
	Server   string

	Requests  int
	Errors    int
	Conflicts int    // write: CONFLICT answers, counted as served
	FirstErr  string // an example error
	Note      string // said under the table
	Elapsed   time.Duration
	Latencies vegeta.Metrics // latencies only

	Statements     int64 // sum of X-Statement-Count
	StatementCount int   // responses that carried it

	CPUTicks int64 // the server's CPU time over the attacks
	DBTicks  int64 // the local PostgreSQL's CPU time over the attacks
	DBProcs  int
	PeakRSS  int64 // the server's peak resident memory, bytes
	// LoadTicks is the harness's own CPU time over the attacks: the load
	// generator shares the machine.
	LoadTicks int64
}

// RPS returns requests per second.
func (m *measure) RPS() float64 {
	if m.Elapsed <= 0 {
		return 0
	}
	return float64(m.Requests) / m.Elapsed.Seconds()
}

// close computes the latency quantiles once every attack is added.
func (m *measure) close() { m.Latencies.Close() }

// attackOptions are the load's shape: a fixed number of workers, each
// sending its next request as soon as the previous one is answered.
type attackOptions struct {
	Concurrency int
	Duration    time.Duration
}

// attack runs one attack on t with the targeter and adds it to m.
// allowConflict counts CONFLICT answers as served; onResult sees every
// result before its body is dropped.
func attack(t target, tr vegeta.Targeter, opts attackOptions, m *measure, allowConflict bool, onResult func(*vegeta.Result)) {
	n := uint64(opts.Concurrency)
	a := vegeta.NewAttacker(
		vegeta.Workers(n), vegeta.MaxWorkers(n),
		vegeta.Connections(opts.Concurrency), vegeta.MaxConnections(opts.Concurrency),
		vegeta.KeepAlive(true), vegeta.Timeout(60*time.Second),
	)
	cpu0, _ := cpuTicks(t.PID)
	db0 := readPostgresCPU()
	self0, _ := cpuTicks(os.Getpid())
	rssReset := t.PID > 0 && resetPeakRSS(t.PID)
	start := time.Now()
	for r := range a.Attack(tr, vegeta.Rate{Freq: 0}, opts.Duration, m.Scenario) {
		m.Requests++
		ok := r.Error == "" && r.Code == http.StatusOK
		if ok && bytes.Contains(r.Body, []byte(`"errors"`)) {
			code, msg := graphqlError(r.Body)
			if allowConflict && code == "CONFLICT" {
				m.Conflicts++
			} else if code != "" || msg != "" {
				ok = false
				r.Error = code + ": " + msg
			}
		}
		if !ok {
			m.Errors++
			if m.FirstErr == "" {
				m.FirstErr = r.Error
				if m.FirstErr == "" {
					m.FirstErr = strconv.Itoa(int(r.Code))
				}
			}
		}
		if v := r.Headers.Get("X-Statement-Count"); v != "" {
			if c, err := strconv.ParseInt(v, 10, 64); err == nil {
				m.Statements += c
				m.StatementCount++
			}
		}
		if onResult != nil {
			onResult(r)
		}
		r.Body = nil
		m.Latencies.Add(r)
	}
	m.Elapsed += time.Since(start)
	if self1, err := cpuTicks(os.Getpid()); err == nil {
		m.LoadTicks += self1 - self0
	}
	if t.PID > 0 {
		if cpu1, err := cpuTicks(t.PID); err == nil {
			m.CPUTicks += cpu1 - cpu0
		}
		if rss, err := peakRSS(t.PID); err == nil && (rssReset || m.PeakRSS == 0) {
			m.PeakRSS = max(m.PeakRSS, rss)
		}
	}
	if ticks, procs := readPostgresCPU().since(db0); procs > 0 {
		m.DBTicks += ticks
		m.DBProcs = procs
	}
}

// graphqlError returns the code and message of the first error of a
// GraphQL response, or "" when it has none.
func graphqlError(body []byte) (code, msg string) {
	var resp struct {
		Errors []struct {
			Message    string
			Extensions struct{ Code string }
		}
	}
	if err := json.Unmarshal(body, &resp); err != nil {
		return "", "response is not JSON: " + err.Error()
	}
	if len(resp.Errors) == 0 {
		return "", ""
	}
	return resp.Errors[0].Extensions.Code, resp.Errors[0].Message
}

// gqlBody encodes a GraphQL request.
func gqlBody(query string, vars map[string]any) []byte {
	b, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	return b
}

// tokens signs grappe tokens with the server's secret, one per role and
// member, kept for the run.
type tokens struct {
	cfg   auth.Config
	mu    sync.Mutex
	cache map[string]string
}

func newTokens(secret []byte) *tokens {
	return &tokens{cfg: auth.Config{Secret: secret}, cache: map[string]string{}}
}

// get returns a token for role (and the member's global id for MEMBER).
func (t *tokens) get(role domain.Role, member string) string {
	key := string(role) + " " + member
	t.mu.Lock()
	defer t.mu.Unlock()
	if tok, ok := t.cache[key]; ok {
		return tok
	}
	tok, err := auth.Issue(t.cfg, role, member, 12*time.Hour, time.Now())
	if err != nil {
		panic(err) // only valid roles and ids are asked for
	}
	t.cache[key] = tok
	return tok
}

// grappeTargeter sends sc to grappe with a new sample per request.
func grappeTargeter(endpoint string, sc scenario, s *sampler, tok *tokens) vegeta.Targeter {
	return func(t *vegeta.Target) error {
		sm := s.Sample()
		member := sc.viewerOf(sm)
		*t = vegeta.Target{
			Method: http.MethodPost, URL: endpoint, Body: gqlBody(sc.Query, sc.Vars(sm)),
			Header: http.Header{
				"Content-Type":  {"application/json"},
				"Authorization": {"Bearer " + tok.get(sc.Role, member)},
			},
		}
		return nil
	}
}

// peerTargeter sends a peer's version of a scenario, without a token.
func peerTargeter(endpoint string, ps PeerScenario, s *sampler) vegeta.Targeter {
	return func(t *vegeta.Target) error {
		*t = vegeta.Target{
			Method: http.MethodPost, URL: endpoint, Body: gqlBody(ps.Query, ps.Vars(s.Sample())),
			Header: http.Header{"Content-Type": {"application/json"}},
		}
		return nil
	}
}

// writer is the write scenario: a member declares a link, and the other
// member confirms it. Declared links wait in a queue; each request confirms
// the oldest waiting link, or declares a new one when none waits.
type writer struct {
	endpoint string
	s        *sampler
	tok      *tokens
	pending  chan pendingLink

	declared, confirmed atomic.Int64 // requests sent
}

type pendingLink struct{ id, to string }

func newWriter(endpoint string, s *sampler, tok *tokens) *writer {
	return &writer{endpoint: endpoint, s: s, tok: tok, pending: make(chan pendingLink, 1<<14)}
}

// Targeter returns the next declaration or confirmation.
func (w *writer) Targeter() vegeta.Targeter {
	return func(t *vegeta.Target) error {
		var body []byte
		var member string
		select {
		case l := <-w.pending:
			w.confirmed.Add(1)
			body, member = gqlBody(confirmLink, map[string]any{"id": l.id}), l.to
		default:
			w.declared.Add(1)
			sm := w.s.Sample()
			body, member = gqlBody(declareLink, declareVars(sm)), memberID(sm.MemberID)
		}
		*t = vegeta.Target{
			Method: http.MethodPost, URL: w.endpoint, Body: body,
			Header: http.Header{
				"Content-Type":  {"application/json"},
				"Authorization": {"Bearer " + w.tok.get(domain.RoleMember, member)},
			},
		}
		return nil
	}
}

// Note says what the write requests were.
func (w *writer) Note() string {
	return fmt.Sprintf("each request declares a REFERRAL link between two random members (with the declarer's MEMBER token) or confirms a declared one (with the other member's): %d declarations and %d confirmations sent, warm-up included",
		w.declared.Load(), w.confirmed.Load())
}

// OnResult queues the links that were declared, for confirmation.
func (w *writer) OnResult(r *vegeta.Result) {
	if !bytes.Contains(r.Body, []byte(`"declareBusinessLink"`)) {
		return
	}
	var resp struct {
		Data struct {
			DeclareBusinessLink struct {
				Link *struct {
					ID string
					To struct{ ID string }
				}
			}
		}
	}
	if json.Unmarshal(r.Body, &resp) == nil && resp.Data.DeclareBusinessLink.Link != nil {
		l := resp.Data.DeclareBusinessLink.Link
		select {
		case w.pending <- pendingLink{id: l.ID, to: l.To.ID}:
		default:
		}
	}
}

// waitIdle waits until process pid has used less than a tenth of a core
// for two seconds in a row (the network graph rebuilt after writes, the
// small-world job done), at most limit. It returns how long it waited and
// whether the process got idle. A limit of 0 does not wait.
func waitIdle(pid int, limit time.Duration) (time.Duration, bool) {
	start := time.Now()
	if pid <= 0 || limit <= 0 {
		return 0, true
	}
	const step, quiet = 500 * time.Millisecond, 4 // 4 steps: 2 s
	prev, err := cpuTicks(pid)
	if err != nil {
		return 0, true
	}
	for calm := 0; calm < quiet; {
		if time.Since(start) > limit {
			return time.Since(start), false
		}
		time.Sleep(step)
		cur, err := cpuTicks(pid)
		if err != nil {
			return time.Since(start), true
		}
		if float64(cur-prev)/clockTicks < step.Seconds()/10 {
			calm++
		} else {
			calm = 0
		}
		prev = cur
	}
	return time.Since(start), true
}
