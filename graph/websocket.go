package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/coder/websocket"
	"github.com/go-chi/chi/v5/middleware"
)

// WebSocket close codes grappe sends besides those of RFC 6455.
const (
	// CloseForbidden (graphql-transport-ws's Forbidden) ends a connection
	// whose token is refused at connection_init or expires later. A
	// graphql-ws client retries it, asking for its connection parameters
	// (a fresh token) again.
	CloseForbidden = 4403
	// closeGoingAway is RFC 6455's 1001: the server shuts down.
	closeGoingAway = 1001
	// closeTryAgainLater is RFC 6455's 1013: the token could not be
	// checked now (the database is unavailable).
	closeTryAgainLater = 1013
	// maxCloseReason is the longest close reason, in bytes (RFC 6455 §5.5).
	maxCloseReason = 123
)

// originAllowed reports whether r may open a WebSocket: a request without
// an Origin header (not from a browser), one from a page of the server's
// own host, or one whose origin matches a pattern. It is coder/websocket's
// check (AcceptOptions.OriginPatterns), run first so that a refusal is a
// GraphQL error: a pattern with "://" is matched against the origin's
// scheme and host, one without against its host, ignoring case, with
// path.Match's wildcards ("*" matches any origin).
func originAllowed(r *http.Request, patterns []string) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil {
		return false
	}
	if strings.EqualFold(r.Host, u.Host) {
		return true
	}
	for _, p := range patterns {
		target := u.Host
		if strings.Contains(p, "://") {
			target = u.Scheme + "://" + u.Host
		}
		if ok, _ := path.Match(strings.ToLower(p), strings.ToLower(target)); ok {
			return true
		}
	}
	return false
}

// websocketAcceptor is the WebSocket implementation of gqlgen's
// transport, over coder/websocket as gqlgen's own, but for two things: each
// write has a deadline, past which the connection is cut (a client that
// does not read is not buffered for without bound), and a connection ended
// by its token's expiry or the server's shutdown closes with the code
// that says so instead of 1000.
type websocketAcceptor struct {
	origins      []string      // coder's OriginPatterns
	writeTimeout time.Duration // 0: none
	log          *slog.Logger
}

var _ transport.WebsocketImplementation = websocketAcceptor{}

// Accept upgrades r; the connection's context is r's.
func (a websocketAcceptor) Accept(w http.ResponseWriter, r *http.Request, opts transport.WebsocketAcceptOptions) (transport.WebsocketConn, error) {
	for key, values := range opts.ResponseHeader {
		for _, v := range values {
			w.Header().Add(key, v)
		}
	}
	conn, err := websocket.Accept(w, r, &websocket.AcceptOptions{
		Subprotocols:   slices.Clone(opts.Subprotocols),
		OriginPatterns: a.origins,
	})
	if err != nil {
		return nil, err
	}
	return &websocketConn{conn: conn, ctx: r.Context(), writeTimeout: a.writeTimeout, log: a.log}, nil
}

// websocketConn is one connection, as gqlgen's transport uses it.
type websocketConn struct {
	conn         *websocket.Conn
	ctx          context.Context // cancelled with the cause of the connection's end
	writeTimeout time.Duration
	log          *slog.Logger

	mu           sync.Mutex
	readDeadline *time.Timer
	closing      bool // WriteClose started the close handshake
	slow         bool // a write timed out
}

var (
	_ transport.WebsocketConn          = (*websocketConn)(nil)
	_ transport.WebsocketReadLimiter   = (*websocketConn)(nil)
	_ transport.WebsocketReadDeadliner = (*websocketConn)(nil)
)

// NextReader reads the next message; a normal close by the client is
// transport.ErrWebsocketClosed.
func (c *websocketConn) NextReader() (int, io.Reader, error) {
	typ, data, err := c.conn.Read(context.Background())
	if err != nil {
		switch websocket.CloseStatus(err) {
		case websocket.StatusNormalClosure, websocket.StatusNoStatusRcvd:
			return int(typ), nil, transport.ErrWebsocketClosed
		}
		return int(typ), nil, err
	}
	return int(typ), bytes.NewReader(data), nil
}

// WriteJSON sends v as a text message, within the write timeout: past it
// coder/websocket closes the connection, and the transport, failing to
// read, ends it with its subscriptions.
func (c *websocketConn) WriteJSON(v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	ctx := context.Background()
	if c.writeTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.writeTimeout)
		defer cancel()
	}
	err = c.conn.Write(ctx, websocket.MessageText, data)
	if err != nil && errors.Is(err, context.DeadlineExceeded) {
		c.mu.Lock()
		first := !c.slow
		c.slow = true
		c.mu.Unlock()
		if first {
			c.log.InfoContext(c.ctx, "subscriptions: a client read nothing for the write timeout; its connection is cut",
				"timeout", c.writeTimeout, "request_id", middleware.GetReqID(c.ctx))
		}
	}
	return err
}

// WriteClose starts the close handshake with code and reason, in the
// background (coder/websocket waits up to 5 s for the client's answer).
// When the connection's context was cancelled because the token expired
// or the server shuts down, the code and reason say so instead of the
// transport's 1000.
func (c *websocketConn) WriteClose(code int, reason string) error {
	c.stopReadDeadline()
	switch cause := context.Cause(c.ctx); {
	case errors.Is(cause, errTokenExpired):
		code, reason = CloseForbidden, "token expired"
	case errors.Is(cause, errShuttingDown):
		code, reason = closeGoingAway, "server shutting down"
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closing {
		return nil
	}
	c.closing = true
	go func() { _ = c.conn.Close(websocket.StatusCode(code), truncateReason(reason)) }()
	return nil
}

// truncateReason cuts a close reason to the 123 bytes a close frame holds,
// on a rune boundary.
func truncateReason(s string) string {
	if len(s) <= maxCloseReason {
		return s
	}
	s = s[:maxCloseReason]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

// Close closes the connection at once, unless WriteClose's handshake owns
// its end.
func (c *websocketConn) Close() error {
	c.stopReadDeadline()
	c.mu.Lock()
	closing := c.closing
	c.mu.Unlock()
	if closing {
		return nil
	}
	return c.conn.CloseNow()
}

// Subprotocol returns the negotiated subprotocol.
func (c *websocketConn) Subprotocol() string { return c.conn.Subprotocol() }

// SetReadLimit bounds the size of a message from the client.
func (c *websocketConn) SetReadLimit(limit int64) { c.conn.SetReadLimit(limit) }

// SetReadDeadline closes the connection at t unless it is called again
// before (the transport waits so for a pong); a zero t clears it.
func (c *websocketConn) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.readDeadline != nil {
		c.readDeadline.Stop()
		c.readDeadline = nil
	}
	if !t.IsZero() {
		c.readDeadline = time.AfterFunc(time.Until(t), func() { _ = c.conn.CloseNow() })
	}
	return nil
}

// stopReadDeadline clears the read deadline.
func (c *websocketConn) stopReadDeadline() { _ = c.SetReadDeadline(time.Time{}) }
