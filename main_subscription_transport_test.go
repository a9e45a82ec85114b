package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"grappe/auth"
	"grappe/documents"
	"grappe/domain"
	"grappe/globalid"
	"grappe/graph"
	"grappe/postgres/pgtest"
)

// This file tests what the subscription transports guard: token expiry,
// slow clients, the limits, the origin check, SSE, the shutdown, and the
// trusted documents mode.

// issueToken signs a token with testSecret as if issued at now.
func issueToken(t testing.TB, role domain.Role, member string, ttl time.Duration, now time.Time) string {
	t.Helper()
	tok, err := auth.Issue(auth.Config{Secret: []byte(testSecret)}, role, member, ttl, now)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// planEvents is a staff subscription to published action plans.
const planEvents = `subscription { actionPlanPublished { id summary } }`

// publishPlan inserts an action plan with summary (and its member,
// question and group) by SQL, as another program would.
func publishPlan(t testing.TB, db *sql.DB, summary string) {
	t.Helper()
	_, err := db.Exec(`WITH m AS (INSERT INTO members (name, kind, joined_on) VALUES ('Raiser', 'COMPANY', current_date) RETURNING id),
		q AS (INSERT INTO questions (text, theme, raised_by, status) SELECT 'Buy together?', 'PURCHASING', id, 'GROUP_FORMED' FROM m RETURNING id),
		g AS (INSERT INTO working_groups (question_id, name, theme) SELECT id, 'Purchasing', 'PURCHASING' FROM q RETURNING id)
		INSERT INTO action_plans (group_id, summary, items, distributed_to) SELECT id, $1, '[{"title": "Ask"}]', 1 FROM g`, summary)
	if err != nil {
		t.Fatal(err)
	}
}

// openDB opens url for SQL by hand, closed at the end of the test.
func openDB(t testing.TB, url string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pg", url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestSubscriptionTokenExpiry: a connection whose token expires, sent in
// connection_init or with the upgrade request, is closed with 4403 "token
// expired" once acknowledged; a token refused at connection_init (expired,
// even within the clock-skew leeway of single requests, forged, not a
// Bearer token, naming no member) closes the connection with 4403 at once.
func TestSubscriptionTokenExpiry(t *testing.T) {
	t.Parallel()
	app := startApp(t, appVars(pgtest.NewURL(t), nil))
	defer app.Close()

	short := strings.TrimSpace(runCommand(t, map[string]string{"GRAPPE_JWT_SECRET": testSecret}, "token", "--role", "STAFF", "--ttl", "5s"))
	c := dialWS(t, app.URL(), short)
	defer c.close()
	c.subscribe("1", planEvents, nil)
	// A client that can set headers may send the token with the upgrade
	// request instead: it is as good, and expires as well.
	h, _, err := dialWSPayload(app.URL(), http.Header{"Authorization": {"Bearer " + short}}, map[string]any{})
	if err != nil {
		t.Fatal(err)
	}
	h.t = t
	defer h.close()
	if m := h.next(5 * time.Second); m.Type != "connection_ack" {
		t.Fatalf("connection_init after a token in the header answered %+v", m)
	}
	h.subscribe("1", planEvents, nil)
	waitFor(t, "both subscriptions running", 5*time.Second, func() bool { return app.events.Subscriptions() == 2 })
	for _, conn := range []*wsClient{c, h} {
		if code, reason := conn.closeStatus(15 * time.Second); code != graph.CloseForbidden || reason != "token expired" {
			t.Errorf("at the token's expiry: close %d %q, want 4403 \"token expired\"", code, reason)
		}
	}
	waitFor(t, "the connections released", 5*time.Second, func() bool { return app.streams.Len() == 0 })

	now := time.Now()
	bearer := func(tok string) map[string]any { return map[string]any{"Authorization": "Bearer " + tok} }
	otherKey, err := auth.Issue(auth.Config{Secret: []byte("another secret, another secret!!")}, domain.RoleStaff, "", time.Hour, now)
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		payload map[string]any
		reason  string
	}{
		"expired":                  {bearer(issueToken(t, domain.RoleStaff, "", time.Hour, now.Add(-2*time.Hour))), "token expired"},
		"expired within the skew":  {bearer(issueToken(t, domain.RoleStaff, "", 10*time.Second, now.Add(-15*time.Second))), "token expired"},
		"signed with another key":  {bearer(otherKey), "token signature is invalid"},
		"not a Bearer token":       {map[string]any{"Authorization": "Basic Zm9vOmJhcg=="}, "Authorization is not a Bearer token"},
		"names no existing member": {bearer(issueToken(t, domain.RoleMember, globalid.Encode(globalid.TypeMember, 999999), time.Hour, now)), "the token's member does not exist"},
	} {
		c, _, err := dialWSPayload(app.URL(), nil, tc.payload)
		if err != nil {
			t.Fatal(err)
		}
		c.t = t
		if m := c.next(5 * time.Second); m.Type != "closed" {
			t.Errorf("%s: connection_init answered %s %s, want the connection closed", name, m.Type, m.Payload)
		}
		if code, reason := c.closeStatus(5 * time.Second); code != graph.CloseForbidden || reason != tc.reason {
			t.Errorf("%s: close %d %q, want 4403 %q", name, code, reason, tc.reason)
		}
	}
}

// TestSubscriptionSlowConsumer: a client that stops reading, over
// WebSocket or SSE, is disconnected once a write to it waits past
// GRAPPE_SUBSCRIPTION_WRITE_TIMEOUT, while another client of the same
// events goes on receiving every one.
func TestSubscriptionSlowConsumer(t *testing.T) {
	t.Parallel()
	url := pgtest.NewURL(t)
	// No pings: a client that answers none is disconnected too, but later.
	app, logs := startLoggedApp(t, appVars(url, map[string]string{"GRAPPE_SUBSCRIPTION_WRITE_TIMEOUT": "2s", "GRAPPE_SUBSCRIPTION_KEEP_ALIVE": "0",
		"GRAPPE_RATE_LIMIT": noRateLimit}))
	defer app.Close()
	staff := staffToken(t)

	// Each event carries the summary 20 times: about 800 kB, so that a
	// few of them fill the buffers of a connection nobody reads.
	var q strings.Builder
	q.WriteString("subscription { actionPlanPublished { id")
	for i := range 20 {
		fmt.Fprintf(&q, " s%d: summary", i)
	}
	q.WriteString(" } }")

	reader := dialWS(t, app.URL(), staff)
	defer reader.close()
	reader.subscribe("1", q.String(), nil)

	stalled := dialStalled(t, app.URL(), staff, q.String(), http.Header{"X-Request-Id": {"t-stalled"}})
	defer stalled.CloseNow()
	// An SSE client whose body nobody reads.
	stalledSSE := postSSE(t, app.URL(), staff, q.String())
	defer stalledSSE.Body.Close()
	waitFor(t, "the subscriptions registered", 10*time.Second, func() bool { return app.events.Subscriptions() == 3 })

	db := openDB(t, url)
	const plans = 20
	summary := strings.Repeat("Buy calibration gas in spring. ", 1300) // 40 kB
	for i := range plans {
		publishPlan(t, db, fmt.Sprintf("%d %s", i, summary))
	}
	for i := range plans {
		m := reader.next(30 * time.Second)
		if m.Type != "next" || !bytes.Contains(m.Payload, []byte(fmt.Sprintf(`"s19":"%d Buy`, i))) {
			t.Fatalf("event %d of the reading client: %s %.200s", i, m.Type, m.Payload)
		}
	}
	waitFor(t, "the stalled clients disconnected", 60*time.Second, func() bool { return app.streams.Len() == 1 })
	waitFor(t, "their subscriptions ended", 10*time.Second, func() bool { return app.events.Subscriptions() == 1 })
	// What the stalled client finds once it reads again: the messages
	// that were on their way, then the end of a connection cut without a
	// close frame.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		_, _, err := stalled.Read(ctx)
		if err == nil {
			continue
		}
		if ctx.Err() != nil || websocket.CloseStatus(err) != -1 {
			t.Errorf("the stalled client's connection: %v, want it cut", err)
		}
		break
	}

	cut := false
	for _, l := range logLines(t, logs.String()) {
		cut = cut || l["msg"] == "subscriptions: a client read nothing for the write timeout; its connection is cut" && l["request_id"] == "t-stalled"
		if l["level"] == "ERROR" || l["level"] == "WARN" {
			t.Errorf("logged at %s: %v", l["level"], l)
		}
	}
	if !cut {
		t.Error("no log line tells of the stalled WebSocket client cut off")
	}

	// The reading client is still served.
	publishPlan(t, db, "after")
	if m := reader.next(10 * time.Second); m.Type != "next" || !bytes.Contains(m.Payload, []byte(`"s0":"after"`)) {
		t.Errorf("after the stalled client left: %s %.200s", m.Type, m.Payload)
	}
}

// TestSubscriptionLimits: the 21st subscription of a connection is refused
// with an error message coded TOO_MANY_SUBSCRIPTIONS while the others go
// on, and one more is accepted once one completes; past
// GRAPPE_MAX_SUBSCRIPTION_CONNECTIONS, WebSocket and SSE connections alike
// are refused with 503, Retry-After and a GraphQL error.
func TestSubscriptionLimits(t *testing.T) {
	t.Parallel()
	url := pgtest.NewURL(t)
	app := startApp(t, appVars(url, map[string]string{"GRAPPE_MAX_SUBSCRIPTION_CONNECTIONS": "2", "GRAPPE_RATE_LIMIT": noRateLimit}))
	defer app.Close()
	staff := staffToken(t)

	c := dialWS(t, app.URL(), staff)
	defer c.close()
	for i := 1; i <= 20; i++ {
		c.subscribe(fmt.Sprint(i), planEvents, nil)
	}
	// Subscriptions start concurrently: which of several sent at once is
	// the one too many is not told. The 21st is sent once 20 run.
	waitFor(t, "20 subscriptions", 10*time.Second, func() bool { return app.events.Subscriptions() == 20 })
	c.subscribe("21", planEvents, nil)
	m := c.next(5 * time.Second)
	var errs []struct {
		Message    string
		Extensions map[string]any
	}
	if err := json.Unmarshal(m.Payload, &errs); err != nil || m.Type != "error" || m.ID != "21" || len(errs) != 1 ||
		errs[0].Extensions["code"] != graph.CodeTooManySubscriptions || !strings.Contains(errs[0].Message, "at most 20 subscriptions") {
		t.Fatalf("the 21st subscription: %s %s %s, want an error coded %s", m.Type, m.ID, m.Payload, graph.CodeTooManySubscriptions)
	}
	// Completing one makes room at once.
	if err := wsjson.Write(context.Background(), c.conn, map[string]any{"id": "1", "type": "complete"}); err != nil {
		t.Fatal(err)
	}
	c.subscribe("22", planEvents, nil)
	waitFor(t, "20 subscriptions", 10*time.Second, func() bool { return app.events.Subscriptions() == 20 })
	publishPlan(t, openDB(t, url), "Buy in spring")
	heard := map[string]bool{}
	for len(heard) < 20 {
		m := c.next(10 * time.Second)
		if m.Type == "complete" && m.ID == "1" {
			continue // gqlgen confirms the client's complete
		}
		if m.Type != "next" {
			t.Fatalf("got %s %s %s, want an event", m.Type, m.ID, m.Payload)
		}
		heard[m.ID] = true
	}
	if heard["1"] || !heard["22"] || !heard["20"] || len(heard) != 20 {
		t.Errorf("the subscriptions that heard of the plan: %v; want 2 to 20 and 22", heard)
	}

	// One more connection fits (an SSE stream), then none.
	sse := openSSE(t, app.URL(), staff, planEvents)
	defer sse.close()
	waitFor(t, "two connections", 5*time.Second, func() bool { return app.streams.Len() == 2 })
	_, resp, err := dialWSWith(app.URL(), staff, nil)
	if err == nil {
		t.Fatal("a third connection was accepted")
	}
	checkRefused(t, "WebSocket", resp)
	resp = postSSE(t, app.URL(), staff, planEvents)
	checkRefused(t, "SSE", resp)
	resp.Body.Close()

	sse.close()
	waitFor(t, "the SSE stream released", 5*time.Second, func() bool { return app.streams.Len() == 1 })
	d := dialWS(t, app.URL(), staff)
	d.close()
}

// checkRefused checks a refusal for too many connections.
func checkRefused(t *testing.T, what string, resp *http.Response) {
	t.Helper()
	if resp == nil {
		t.Fatalf("%s: no response", what)
	}
	var body struct {
		Errors []struct {
			Message    string
			Extensions map[string]any
		}
	}
	b, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(b, &body); err != nil || resp.StatusCode != http.StatusServiceUnavailable ||
		resp.Header.Get("Retry-After") == "" || len(body.Errors) != 1 || body.Errors[0].Extensions["code"] != domain.CodeUnavailable {
		t.Errorf("%s over the limit: %d, Retry-After %q, %s", what, resp.StatusCode, resp.Header.Get("Retry-After"), b)
	}
}

// TestSubscriptionOrigin: a browser page may open a WebSocket from the
// server's own host or an origin of GRAPPE_CORS_ORIGINS, not from
// elsewhere; "*" allows any.
func TestSubscriptionOrigin(t *testing.T) {
	t.Parallel()
	url := pgtest.NewURL(t)
	app := startApp(t, appVars(url, map[string]string{"GRAPPE_CORS_ORIGINS": "https://*.example.org"}))
	defer app.Close()
	staff := staffToken(t)
	for origin, allowed := range map[string]bool{
		"":                          true, // not a browser
		app.URL():                   true,
		"https://app.example.org":   true,
		"https://APP.Example.org":   true,
		"http://app.example.org":    false,
		"https://example.org.evil":  false,
		"https://evil.example":      false,
		"null":                      false,
		"http://localhost:1/other/": false,
	} {
		header := http.Header{}
		if origin != "" {
			header.Set("Origin", origin)
		}
		c, resp, err := dialWSWith(app.URL(), staff, header)
		if !allowed {
			if err == nil {
				c.close()
				t.Errorf("origin %q: accepted", origin)
				continue
			}
			var body struct {
				Errors []struct{ Extensions map[string]any }
			}
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusForbidden || json.Unmarshal(b, &body) != nil || len(body.Errors) != 1 ||
				body.Errors[0].Extensions["code"] != domain.CodeForbidden {
				t.Errorf("origin %q: %d %s, want 403 FORBIDDEN", origin, resp.StatusCode, b)
			}
			continue
		}
		if err != nil {
			t.Errorf("origin %q: %v", origin, err)
			continue
		}
		c.t = t
		if m := c.next(5 * time.Second); m.Type != "connection_ack" {
			t.Errorf("origin %q: %s", origin, m.Type)
		}
		c.close()
	}

	anyOrigin := startApp(t, appVars(url, map[string]string{"GRAPPE_CORS_ORIGINS": "*"}))
	defer anyOrigin.Close()
	c, _, err := dialWSWith(anyOrigin.URL(), staff, http.Header{"Origin": {"https://anywhere.example"}})
	if err != nil {
		t.Fatalf("GRAPPE_CORS_ORIGINS=*: %v", err)
	}
	c.close()
}

// sseStream is a graphql-sse subscription in distinct connections mode.
type sseStream struct {
	resp   *http.Response
	events chan sseEvent // closed when the stream ends
}

// sseEvent is one event of an SSE stream.
type sseEvent struct {
	Event string
	Data  string
}

// postSSE posts a subscription asking for an event stream.
func postSSE(t testing.TB, baseURL, token, query string) *http.Response {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query})
	req, _ := http.NewRequest(http.MethodPost, baseURL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// openSSE starts a subscription over SSE and reads its events in the
// background.
func openSSE(t testing.TB, baseURL, token, query string) *sseStream {
	t.Helper()
	resp := postSSE(t, baseURL, token, query)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		t.Fatalf("SSE: %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
	s := &sseStream{resp: resp, events: make(chan sseEvent, 100)}
	go func() {
		defer close(s.events)
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 16<<20)
		var ev sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if ev.Event != "" {
					s.events <- ev
				}
				ev = sseEvent{}
			case strings.HasPrefix(line, "event: "):
				ev.Event = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				ev.Data += strings.TrimPrefix(line, "data: ")
			}
		}
	}()
	return s
}

// next returns the next event, or one named "timeout" or "end".
func (s *sseStream) next(wait time.Duration) sseEvent {
	select {
	case ev, ok := <-s.events:
		if !ok {
			return sseEvent{Event: "end"}
		}
		return ev
	case <-time.After(wait):
		return sseEvent{Event: "timeout"}
	}
}

func (s *sseStream) close() { s.resp.Body.Close() }

// TestSubscriptionsOverSSE: a member subscribes with POST and Accept:
// text/event-stream and its bearer token, outlives the request timeout,
// hears of a link another member declares, and its stream ends with an
// UNAUTHENTICATED error and complete when its token expires. A
// subscription posted without asking for a stream is refused at once.
func TestSubscriptionsOverSSE(t *testing.T) {
	t.Parallel()
	url := pgtest.NewURL(t)
	app := startApp(t, appVars(url, map[string]string{"GRAPPE_REQUEST_TIMEOUT": "2s", "GRAPPE_RATE_LIMIT": noRateLimit}))
	defer app.Close()
	staff := staffToken(t)
	ids := make([]string, 2)
	for i := range ids {
		d := post(t, app.URL(), staff, createMember, map[string]any{"name": fmt.Sprintf("Member %c", 'A'+i)})
		ids[i] = d["createMember"].(map[string]any)["member"].(map[string]any)["id"].(string)
	}

	s := openSSE(t, app.URL(), memberToken(t, ids[1]), linkEvents)
	defer s.close()
	waitFor(t, "the subscription registered", 5*time.Second, func() bool { return app.events.Subscriptions() == 1 })
	time.Sleep(2500 * time.Millisecond) // past the request timeout
	post(t, app.URL(), memberToken(t, ids[0]), `mutation($f: ID!, $t: ID!) { declareBusinessLink(input: {fromId: $f, toId: $t, kind: SUPPLY}) { link { id } } }`,
		map[string]any{"f": ids[0], "t": ids[1]})
	ev := s.next(10 * time.Second)
	var p struct {
		Data struct {
			BusinessLinkChanged struct {
				Kind string
				Link struct{ From struct{ Name string } }
			}
		}
		Errors []any
	}
	if ev.Event != "next" || json.Unmarshal([]byte(ev.Data), &p) != nil || len(p.Errors) > 0 ||
		p.Data.BusinessLinkChanged.Kind != "DECLARED" || p.Data.BusinessLinkChanged.Link.From.Name != "Member A" {
		t.Fatalf("event: %s %s", ev.Event, ev.Data)
	}

	// Without Accept: text/event-stream: refused at once.
	body, _ := json.Marshal(map[string]any{"query": planEvents})
	req, _ := http.NewRequest(http.MethodPost, app.URL()+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+staff)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(b), `"BAD_REQUEST"`) {
		t.Errorf("a subscription without a stream: %d %s, want 400 BAD_REQUEST", resp.StatusCode, b)
	}

	// Without a token: refused in the stream, which completes.
	anon := openSSE(t, app.URL(), "", linkEvents)
	defer anon.close()
	if ev := anon.next(5 * time.Second); ev.Event != "next" || !strings.Contains(ev.Data, `"UNAUTHENTICATED"`) {
		t.Errorf("anonymous: %s %s", ev.Event, ev.Data)
	}
	if ev := anon.next(5 * time.Second); ev.Event != "complete" {
		t.Errorf("anonymous, then: %s %s", ev.Event, ev.Data)
	}

	// A token that expires ends the stream, saying why.
	short := issueToken(t, domain.RoleStaff, "", 3*time.Second, time.Now())
	exp := openSSE(t, app.URL(), short, planEvents)
	defer exp.close()
	ev = exp.next(15 * time.Second)
	if ev.Event != "next" || !strings.Contains(ev.Data, `"token expired: subscribe again with a new token"`) || !strings.Contains(ev.Data, `"UNAUTHENTICATED"`) {
		t.Errorf("at the token's expiry: %s %s", ev.Event, ev.Data)
	}
	if ev := exp.next(5 * time.Second); ev.Event != "complete" {
		t.Errorf("after the expiry: %s %s", ev.Event, ev.Data)
	}
}

// TestSubscriptionsEndOnShutdown: when the server shuts down, a WebSocket
// closes with 1001 and an SSE stream completes, and the shutdown does not
// wait for them.
func TestSubscriptionsEndOnShutdown(t *testing.T) {
	t.Parallel()
	app := startApp(t, appVars(pgtest.NewURL(t), map[string]string{"GRAPPE_SHUTDOWN_TIMEOUT_SECONDS": "60"}))
	staff := staffToken(t)
	c := dialWS(t, app.URL(), staff)
	defer c.close()
	c.subscribe("1", planEvents, nil)
	s := openSSE(t, app.URL(), staff, planEvents)
	defer s.close()
	waitFor(t, "both subscriptions registered", 5*time.Second, func() bool { return app.events.Subscriptions() == 2 })

	closed := make(chan error, 1)
	go func() { closed <- app.Close() }()
	if code, reason := c.closeStatus(10 * time.Second); code != websocket.StatusGoingAway || reason != "server shutting down" {
		t.Errorf("WebSocket: close %d %q, want 1001", code, reason)
	}
	if ev := s.next(10 * time.Second); ev.Event != "complete" {
		t.Errorf("SSE: %s %s, want complete", ev.Event, ev.Data)
	}
	select {
	case err := <-closed:
		if err != nil {
			t.Errorf("Close: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the shutdown waits for the subscriptions")
	}
}

// TestTrustedDocumentsOverWebSocket: with GRAPPE_TRUSTED_DOCUMENTS on, a
// member may subscribe with a registered document's id only; staff keep
// ad-hoc subscriptions.
func TestTrustedDocumentsOverWebSocket(t *testing.T) {
	t.Parallel()
	url := pgtest.NewURL(t)
	dir := t.TempDir()
	store := filepath.Join(dir, "documents")
	writeFiles(t, dir, map[string]string{"links.graphql": linkEvents})
	runCommand(t, map[string]string{"GRAPPE_DOCUMENTS_DIR": store, "GRAPPE_DATA_DIR": filepath.Join(dir, "data")}, "documents", "add", filepath.Join(dir, "links.graphql"))
	app := startApp(t, appVars(url, map[string]string{"GRAPPE_TRUSTED_DOCUMENTS": "on", "GRAPPE_DOCUMENTS_DIR": store, "GRAPPE_RATE_LIMIT": noRateLimit}))
	defer app.Close()
	staff := staffToken(t)
	ids := make([]string, 2)
	for i := range ids {
		d := post(t, app.URL(), staff, createMember, map[string]any{"name": fmt.Sprintf("Member %c", 'A'+i)})
		ids[i] = d["createMember"].(map[string]any)["member"].(map[string]any)["id"].(string)
	}

	c := dialWS(t, app.URL(), memberToken(t, ids[1]))
	defer c.close()
	c.subscribe("text", linkEvents, nil)
	if code := c.errorCode(5 * time.Second); code != graph.CodePersistedQueryRequired {
		t.Errorf("a member's query text: %s, want %s", code, graph.CodePersistedQueryRequired)
	}
	if m := c.next(5 * time.Second); m.Type != "complete" || m.ID != "text" {
		t.Errorf("after the refusal: %s %s", m.Type, m.ID)
	}
	subscribeByID := func(id, hash string) {
		err := wsjson.Write(context.Background(), c.conn, map[string]any{"id": id, "type": "subscribe", "payload": map[string]any{
			"extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash}}}})
		if err != nil {
			t.Fatal(err)
		}
	}
	subscribeByID("unknown", documents.Hash("subscription { networkChanged { version } }"))
	if code := c.errorCode(5 * time.Second); code != graph.CodePersistedQueryNotFound {
		t.Errorf("an unknown id: %s, want %s", code, graph.CodePersistedQueryNotFound)
	}
	if m := c.next(5 * time.Second); m.Type != "complete" {
		t.Errorf("after the refusal: %s %s", m.Type, m.ID)
	}
	subscribeByID("trusted", documents.Hash(linkEvents))
	staffConn := dialWS(t, app.URL(), staff)
	defer staffConn.close()
	staffConn.subscribe("adhoc", `subscription { businessLinkChanged { kind } }`, nil)
	waitFor(t, "both subscriptions registered", 5*time.Second, func() bool { return app.events.Subscriptions() == 2 })

	post(t, app.URL(), staff, `mutation($f: ID!, $t: ID!) { declareBusinessLink(input: {fromId: $f, toId: $t, kind: SUPPLY}) { link { id } } }`,
		map[string]any{"f": ids[0], "t": ids[1]})
	if ev := c.data(10 * time.Second)["businessLinkChanged"].(map[string]any); ev["kind"] != "DECLARED" {
		t.Errorf("member, trusted document: %v", ev)
	}
	if ev := staffConn.data(10 * time.Second)["businessLinkChanged"].(map[string]any); ev["kind"] != "DECLARED" {
		t.Errorf("staff, ad-hoc: %v", ev)
	}
}

// dialStalled opens a connection that subscribes to query, then reads
// nothing more, as a client that hangs: what the server sends piles up in
// the buffers until its writes block.
func dialStalled(t *testing.T, baseURL, token, query string, header http.Header) *websocket.Conn {
	t.Helper()
	conn, _, err := dialRaw(baseURL, header)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := wsjson.Write(ctx, conn, map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer " + token}}); err != nil {
		t.Fatal(err)
	}
	var ack wsMessage
	if err := wsjson.Read(ctx, conn, &ack); err != nil || ack.Type != "connection_ack" {
		t.Fatalf("connection_init answered %+v, %v", ack, err)
	}
	if err := wsjson.Write(ctx, conn, map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{"query": query}}); err != nil {
		t.Fatal(err)
	}
	return conn
}

// TestSubscriptionAccessLines: a WebSocket connection and an SSE stream
// each have an access line when they end, with op_type subscription, the
// viewer's role and the codes of the refusals they met.
func TestSubscriptionAccessLines(t *testing.T) {
	t.Parallel()
	app, logs := startLoggedApp(t, appVars(pgtest.NewURL(t), map[string]string{"GRAPPE_MAX_SUBSCRIPTIONS_PER_CONNECTION": "1"}))
	defer app.Close()
	staff := staffToken(t)

	c, _, err := dialWSWith(app.URL(), staff, http.Header{"X-Request-Id": {"t-ws"}})
	if err != nil {
		t.Fatal(err)
	}
	c.t = t
	if m := c.next(5 * time.Second); m.Type != "connection_ack" {
		t.Fatalf("connection_init answered %+v", m)
	}
	c.subscribe("1", planEvents, nil)
	waitFor(t, "the subscription registered", 5*time.Second, func() bool { return app.events.Subscriptions() == 1 })
	c.subscribe("2", planEvents, nil)
	if m := c.next(5 * time.Second); m.Type != "error" || m.ID != "2" {
		t.Fatalf("the second subscription: %s %s %s", m.Type, m.ID, m.Payload)
	}
	c.close()

	body, _ := json.Marshal(map[string]any{"query": planEvents})
	req, _ := http.NewRequest(http.MethodPost, app.URL()+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Authorization", "Bearer "+memberTokenFor(t, app))
	req.Header.Set("X-Request-Id", "t-sse")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the SSE stream open", 5*time.Second, func() bool { return app.streams.Len() == 1 })
	resp.Body.Close()

	for id, want := range map[string]struct{ role, status, code string }{
		"t-ws":  {"STAFF", "101", graph.CodeTooManySubscriptions},
		"t-sse": {"MEMBER", "200", ""},
	} {
		var line map[string]any
		waitFor(t, "the access line of "+id, 10*time.Second, func() bool {
			line = accessLine(logLines(t, logs.String()), id)
			return line != nil
		})
		if line["op_type"] != "subscription" || line["role"] != want.role || fmt.Sprint(line["status"]) != want.status || line["code"] != want.code {
			t.Errorf("%s: access line %v, want op_type subscription, role %s, status %s, code %q", id, line, want.role, want.status, want.code)
		}
	}
}

// memberTokenFor creates a member on app and returns its token.
func memberTokenFor(t *testing.T, app *App) string {
	t.Helper()
	d := post(t, app.URL(), staffToken(t), createMember, map[string]any{"name": "Subscriber"})
	return memberToken(t, d["createMember"].(map[string]any)["member"].(map[string]any)["id"].(string))
}
