package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"grappe/postgres/pgtest"
)

// wsClient is a graphql-transport-ws client for the tests: one
// connection, its messages read in the background.
type wsClient struct {
	t        testing.TB
	conn     *websocket.Conn
	messages chan wsMessage
	closed   chan struct{}
	closeErr error
}

// wsMessage is a message of the graphql-transport-ws protocol.
type wsMessage struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// dialWS opens a connection to app's /graphql and sends connection_init
// with token (none when empty); it returns once the server acknowledged.
func dialWS(t testing.TB, baseURL, token string) *wsClient {
	t.Helper()
	c, _, err := dialWSWith(baseURL, token, nil)
	if err != nil {
		t.Fatal(err)
	}
	c.t = t
	if m := c.next(5 * time.Second); m.Type != "connection_ack" {
		t.Fatalf("connection_init answered %+v", m)
	}
	return c
}

// dialWSWith opens a connection with the given request headers and sends
// connection_init with token (none when empty); when the upgrade fails,
// it returns the HTTP response.
func dialWSWith(baseURL, token string, header http.Header) (*wsClient, *http.Response, error) {
	payload := map[string]any{}
	if token != "" {
		payload["Authorization"] = "Bearer " + token
	}
	return dialWSPayload(baseURL, header, payload)
}

// dialWSPayload opens a connection with the given request headers and
// sends connection_init with payload.
func dialWSPayload(baseURL string, header http.Header, payload map[string]any) (*wsClient, *http.Response, error) {
	conn, resp, err := dialRaw(baseURL, header)
	if err != nil {
		return nil, resp, err
	}
	c := &wsClient{conn: conn, messages: make(chan wsMessage, 1000), closed: make(chan struct{})}
	go c.read()
	if err := wsjson.Write(context.Background(), conn, map[string]any{"type": "connection_init", "payload": payload}); err != nil {
		return nil, nil, err
	}
	return c, nil, nil
}

// dialRaw opens a graphql-transport-ws connection to /graphql.
func dialRaw(baseURL string, header http.Header) (*websocket.Conn, *http.Response, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, resp, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(baseURL, "http")+"/graphql",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}, HTTPHeader: header})
	if err != nil {
		return nil, resp, err
	}
	conn.SetReadLimit(64 << 20)
	return conn, resp, nil
}

// read receives messages until the connection closes, answering pings.
func (c *wsClient) read() {
	defer close(c.closed)
	for {
		var m wsMessage
		if err := wsjson.Read(context.Background(), c.conn, &m); err != nil {
			c.closeErr = err
			return
		}
		if m.Type == "ping" {
			_ = wsjson.Write(context.Background(), c.conn, map[string]any{"type": "pong"})
			continue
		}
		c.messages <- m
	}
}

// subscribe starts a subscription with id.
func (c *wsClient) subscribe(id, query string, vars map[string]any) {
	c.t.Helper()
	err := wsjson.Write(context.Background(), c.conn, map[string]any{"id": id, "type": "subscribe",
		"payload": map[string]any{"query": query, "variables": vars}})
	if err != nil {
		c.t.Fatal(err)
	}
}

// next returns the next message, or one of type "timeout".
func (c *wsClient) next(wait time.Duration) wsMessage {
	select {
	case m := <-c.messages:
		return m
	case <-c.closed:
		return wsMessage{Type: "closed"}
	case <-time.After(wait):
		return wsMessage{Type: "timeout"}
	}
}

// data returns the data of the next message, which must be a "next".
func (c *wsClient) data(wait time.Duration) map[string]any {
	c.t.Helper()
	m := c.next(wait)
	if m.Type != "next" {
		c.t.Fatalf("got %s %s, want an event", m.Type, m.Payload)
	}
	return c.decode(m)
}

// decode returns the data of an event without errors.
func (c *wsClient) decode(m wsMessage) map[string]any {
	c.t.Helper()
	var p struct {
		Data   map[string]any
		Errors []any
	}
	if err := json.Unmarshal(m.Payload, &p); err != nil || len(p.Errors) > 0 {
		c.t.Fatalf("event %s: %v", m.Payload, err)
	}
	return p.Data
}

// errorCode returns the code of the error the next message holds.
func (c *wsClient) errorCode(wait time.Duration) string {
	c.t.Helper()
	m := c.next(wait)
	var errs []struct{ Extensions map[string]any }
	if m.Type == "next" {
		var p struct{ Errors json.RawMessage }
		_ = json.Unmarshal(m.Payload, &p)
		m.Payload = p.Errors
	} else if m.Type != "error" {
		c.t.Fatalf("got %s %s, want an error", m.Type, m.Payload)
	}
	if err := json.Unmarshal(m.Payload, &errs); err != nil || len(errs) == 0 {
		c.t.Fatalf("error payload %s: %v", m.Payload, err)
	}
	code, _ := errs[0].Extensions["code"].(string)
	return code
}

func (c *wsClient) close() { _ = c.conn.Close(websocket.StatusNormalClosure, "") }

// closeStatus waits for the server to end the connection and returns its
// close code and reason (-1 when it sent no close frame), or fails the
// test.
func (c *wsClient) closeStatus(wait time.Duration) (websocket.StatusCode, string) {
	c.t.Helper()
	select {
	case <-c.closed:
	case <-time.After(wait):
		c.t.Fatalf("the connection is still open after %s", wait)
	}
	var ce websocket.CloseError
	if errors.As(c.closeErr, &ce) {
		return ce.Code, ce.Reason
	}
	return -1, ""
}

// memberToken signs a MEMBER token for the member with global id gid.
func memberToken(t testing.TB, gid string) string {
	t.Helper()
	return strings.TrimSpace(runCommand(t, map[string]string{"GRAPPE_JWT_SECRET": testSecret}, "token", "--role", "MEMBER", "--member", gid))
}

const linkEvents = `subscription($m: ID) { businessLinkChanged(memberId: $m) { kind link { id status from { name } to { name } } } }`

// TestSubscriptionsAcrossServers: a subscriber on server B hears of the
// link declared and confirmed on server A, and of one ended by SQL by
// hand; a third member hears nothing; a member may follow only itself.
func TestSubscriptionsAcrossServers(t *testing.T) {
	t.Parallel()
	url := pgtest.NewURL(t)
	vars := appVars(url, map[string]string{"GRAPPE_RATE_LIMIT": noRateLimit})
	a, b := startApp(t, vars), startApp(t, vars)
	defer a.Close()
	defer b.Close()
	staff := staffToken(t)
	ids := make([]string, 3)
	for i := range ids {
		d := post(t, a.URL(), staff, createMember, map[string]any{"name": fmt.Sprintf("Member %c", 'A'+i)})
		ids[i] = d["createMember"].(map[string]any)["member"].(map[string]any)["id"].(string)
	}
	tokA, tokB, tokC := memberToken(t, ids[0]), memberToken(t, ids[1]), memberToken(t, ids[2])

	subB := dialWS(t, b.URL(), tokB)
	defer subB.close()
	subB.subscribe("1", linkEvents, nil)
	subC := dialWS(t, b.URL(), tokC)
	defer subC.close()
	subC.subscribe("1", linkEvents, nil)
	subC.subscribe("2", linkEvents, map[string]any{"m": ids[1]})
	if code := subC.errorCode(5 * time.Second); code != "FORBIDDEN" {
		t.Errorf("following another member: %s, want FORBIDDEN", code)
	}
	if m := subC.next(5 * time.Second); m.Type != "complete" || m.ID != "2" {
		t.Errorf("after the refusal: %s %s, want subscription 2 complete", m.Type, m.ID)
	}
	time.Sleep(100 * time.Millisecond) // the subscriptions registered

	d := post(t, a.URL(), tokA, `mutation($f: ID!, $t: ID!) { declareBusinessLink(input: {fromId: $f, toId: $t, kind: SUPPLY}) { link { id } } }`,
		map[string]any{"f": ids[0], "t": ids[1]})
	linkID := d["declareBusinessLink"].(map[string]any)["link"].(map[string]any)["id"].(string)
	ev := subB.data(5 * time.Second)["businessLinkChanged"].(map[string]any)
	if ev["kind"] != "DECLARED" || ev["link"].(map[string]any)["id"] != linkID ||
		ev["link"].(map[string]any)["from"].(map[string]any)["name"] != "Member A" {
		t.Errorf("declared: %v", ev)
	}
	post(t, a.URL(), tokB, `mutation($id: ID!) { confirmBusinessLink(input: {id: $id}) { link { id } } }`, map[string]any{"id": linkID})
	if ev := subB.data(5 * time.Second)["businessLinkChanged"].(map[string]any); ev["kind"] != "CONFIRMED" {
		t.Errorf("confirmed: %v", ev)
	}
	sqlDB, err := sql.Open("pg", url)
	if err != nil {
		t.Fatal(err)
	}
	defer sqlDB.Close()
	if _, err := sqlDB.Exec(`UPDATE business_links SET status = 'ENDED', until = current_date`); err != nil {
		t.Fatal(err)
	}
	if ev := subB.data(5 * time.Second)["businessLinkChanged"].(map[string]any); ev["kind"] != "ENDED" {
		t.Errorf("ended by SQL: %v", ev)
	}
	if m := subC.next(300 * time.Millisecond); m.Type != "timeout" {
		t.Errorf("a member not party to the link heard %s %s", m.Type, m.Payload)
	}

	anon := dialWS(t, b.URL(), "")
	defer anon.close()
	anon.subscribe("1", linkEvents, nil)
	if code := anon.errorCode(5 * time.Second); code != "UNAUTHENTICATED" {
		t.Errorf("anonymous: %s, want UNAUTHENTICATED", code)
	}
}

// TestActionPlanReachesEverySubscriber: 200 subscribers on one server
// each receive a plan published by SQL once.
func TestActionPlanReachesEverySubscriber(t *testing.T) {
	t.Parallel()
	url := pgtest.NewURL(t)
	app := startApp(t, appVars(url, map[string]string{"GRAPPE_RATE_LIMIT": noRateLimit}))
	defer app.Close()
	staff := staffToken(t)
	const subscribers = 200
	clients := make([]*wsClient, subscribers)
	for i := range clients {
		clients[i] = dialWS(t, app.URL(), staff)
		defer clients[i].close()
		clients[i].subscribe("plans", `subscription { actionPlanPublished { id summary group { name } } }`, nil)
	}
	waitFor(t, "every subscription registered", 10*time.Second, func() bool { return app.events.Subscriptions() == subscribers })
	sqlDB, err := sql.Open("pg", url)
	if err != nil {
		t.Fatal(err)
	}
	defer sqlDB.Close()
	_, err = sqlDB.Exec(`WITH m AS (INSERT INTO members (name, kind, joined_on) VALUES ('Raiser', 'COMPANY', current_date) RETURNING id),
		q AS (INSERT INTO questions (text, theme, raised_by, status) SELECT 'Buy gas together?', 'PURCHASING', id, 'GROUP_FORMED' FROM m RETURNING id),
		g AS (INSERT INTO working_groups (question_id, name, theme) SELECT id, 'Gas', 'PURCHASING' FROM q RETURNING id)
		INSERT INTO action_plans (group_id, summary, items, distributed_to) SELECT id, 'Buy in spring', '[{"title": "Ask"}]', 1 FROM g`)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i, c := range clients {
		wg.Go(func() {
			m := c.next(10 * time.Second)
			if m.Type != "next" || !strings.Contains(string(m.Payload), `"summary":"Buy in spring"`) || !strings.Contains(string(m.Payload), `"name":"Gas"`) {
				t.Errorf("subscriber %d: %s %s", i, m.Type, m.Payload)
				return
			}
			if m := c.next(200 * time.Millisecond); m.Type != "timeout" {
				t.Errorf("subscriber %d heard twice: %s %s", i, m.Type, m.Payload)
			}
		})
	}
	wg.Wait()
}
