package graph

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"grappe/domain"
	"grappe/httpapi"
)

// This file holds what the subscription transports add to gqlgen's: the
// count of the server's subscription connections, the end of a connection
// when its token expires or the server shuts down, the limit of
// subscriptions per WebSocket connection, and the write deadline of SSE.

// CodeTooManySubscriptions refuses a subscription past the most one
// WebSocket connection may hold.
const CodeTooManySubscriptions = "TOO_MANY_SUBSCRIPTIONS"

// Why a subscription connection ends, as the cause of its context's
// cancellation: the WebSocket close code and the SSE stream's last event
// tell the client.
var (
	errTokenExpired = errors.New("token expired")
	errShuttingDown = errors.New("server shutting down")
)

// connectionRetryAfter is the Retry-After, in seconds, of a connection
// refused because the server holds as many as it may.
const connectionRetryAfter = "5"

// Streams holds the subscription connections of a server, WebSocket and
// SSE alike: it refuses those over its limit, and ends them all when the
// server shuts down. Make one with NewStreams.
type Streams struct {
	max int // 0: no limit

	mu     sync.Mutex
	live   map[*streamConn]struct{}
	closed bool
}

// NewStreams returns the registry of a server that holds at most max
// subscription connections at once (0: no limit).
func NewStreams(max int) *Streams {
	return &Streams{max: max, live: map[*streamConn]struct{}{}}
}

// Len returns how many subscription connections are open.
func (s *Streams) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.live)
}

// Shutdown ends every subscription connection, a WebSocket with close
// code 1001 (going away) and an SSE stream with its complete event, and
// refuses new ones. Register it with http.Server.RegisterOnShutdown:
// http.Server.Shutdown waits for SSE streams without ending them, and
// leaves hijacked (WebSocket) connections alone.
func (s *Streams) Shutdown() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	for st := range s.live {
		st.cancel(errShuttingDown)
	}
}

// streamConn is one subscription connection.
type streamConn struct {
	cancel    context.CancelCauseFunc
	websocket bool

	mu     sync.Mutex
	expiry *time.Timer
	subs   []context.Context // the contexts of a WebSocket's subscriptions
}

type streamKey struct{}

// streamFrom returns the subscription connection ctx belongs to, or nil.
func streamFrom(ctx context.Context) *streamConn {
	st, _ := ctx.Value(streamKey{}).(*streamConn)
	return st
}

// errTooManyConnections refuses a connection over the limit.
var errTooManyConnections = errors.New("too many subscription connections")

// open registers a connection and returns the context it runs in,
// cancelled with errTokenExpired or errShuttingDown when it must end. It
// fails when the server holds its limit or is shutting down.
func (s *Streams) open(ctx context.Context, websocket bool) (context.Context, *streamConn, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
		return nil, nil, errShuttingDown
	case s.max > 0 && len(s.live) >= s.max:
		return nil, nil, errTooManyConnections
	}
	ctx, cancel := context.WithCancelCause(ctx)
	st := &streamConn{cancel: cancel, websocket: websocket}
	s.live[st] = struct{}{}
	return context.WithValue(ctx, streamKey{}, st), st, nil
}

// close unregisters a connection that ended.
func (s *Streams) close(st *streamConn) {
	s.mu.Lock()
	delete(s.live, st)
	s.mu.Unlock()
	st.mu.Lock()
	if st.expiry != nil {
		st.expiry.Stop()
	}
	st.mu.Unlock()
	st.cancel(nil)
}

// refuse answers a connection that open refused: 503 with Retry-After
// and a GraphQL error coded UNAVAILABLE.
func (s *Streams) refuse(w http.ResponseWriter, r *http.Request, err error) {
	msg := "the server is shutting down: connect again"
	if errors.Is(err, errTooManyConnections) {
		msg = fmt.Sprintf("the server holds its most subscription connections (%d): retry later", s.max)
	}
	w.Header().Set("Retry-After", connectionRetryAfter)
	httpapi.WriteErrorFor(w, r, http.StatusServiceUnavailable, domain.CodeUnavailable, msg)
}

// expireAt ends the connection with errTokenExpired at t (never when t is
// zero).
func (st *streamConn) expireAt(t time.Time) {
	if t.IsZero() {
		return
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.expiry != nil {
		st.expiry.Stop()
	}
	st.expiry = time.AfterFunc(time.Until(t), func() { st.cancel(errTokenExpired) })
}

// acquire counts the subscription of ctx, unless the connection already
// holds max. A subscription whose context is cancelled (its client sent
// complete) no longer counts, even before it has wound down.
func (st *streamConn) acquire(ctx context.Context, max int) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	live := st.subs[:0]
	for _, sub := range st.subs {
		if sub.Err() == nil {
			live = append(live, sub)
		}
	}
	clear(st.subs[len(live):])
	st.subs = live
	if len(st.subs) >= max {
		return false
	}
	st.subs = append(st.subs, ctx)
	return true
}

// release stops counting the subscription of ctx.
func (st *streamConn) release(ctx context.Context) {
	st.mu.Lock()
	defer st.mu.Unlock()
	for i, sub := range st.subs {
		if sub == ctx {
			st.subs = append(st.subs[:i], st.subs[i+1:]...)
			return
		}
	}
}

// websocketTransport is gqlgen's WebSocket transport behind the origin
// check and the server's connection limit; its connection context ends
// when the token expires or the server shuts down.
type websocketTransport struct {
	transport.Websocket
	streams *Streams
	origins []string // besides the server's own host
}

// Do serves one WebSocket connection.
func (t websocketTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	if !originAllowed(r, t.origins) {
		httpapi.WriteErrorFor(w, r, http.StatusForbidden, domain.CodeForbidden,
			fmt.Sprintf("pages of origin %q may not open WebSocket connections to this server", r.Header.Get("Origin")))
		return
	}
	ctx, st, err := t.streams.open(r.Context(), true)
	if err != nil {
		t.streams.refuse(w, r, err)
		return
	}
	defer t.streams.close(st)
	// The access line of the connection, written when it ends; its role
	// is known at connection_init.
	httpapi.AccessFrom(ctx).SetOperation("", string(ast.Subscription))
	t.Websocket.Do(w, r.WithContext(ctx), exec)
}

// sseTransport is gqlgen's graphql-sse transport (distinct connections
// mode) behind the server's connection limit, with a deadline on each
// write; the stream ends when the token expires or the server shuts down.
type sseTransport struct {
	transport.SSE
	streams      *Streams
	writeTimeout time.Duration // 0: none
}

// Do serves one SSE subscription.
func (t sseTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ctx, st, err := t.streams.open(r.Context(), false)
	if err != nil {
		t.streams.refuse(w, r, err)
		return
	}
	defer t.streams.close(st)
	viewer := domain.ViewerFrom(ctx)
	access := httpapi.AccessFrom(ctx)
	access.SetOperation("", string(ast.Subscription))
	access.SetRole(string(viewer.Role))
	st.expireAt(viewer.Expires)
	if t.writeTimeout > 0 {
		w = &deadlineWriter{ResponseWriter: w, rc: http.NewResponseController(w), timeout: t.writeTimeout}
	}
	t.SSE.Do(w, r.WithContext(ctx), exec)
}

// deadlineWriter gives each write of an SSE stream, and its flush, a
// deadline: a client that does not read for that long is cut off, which
// cancels its request and so its subscription.
type deadlineWriter struct {
	http.ResponseWriter
	rc      *http.ResponseController
	timeout time.Duration
}

// Write writes p within the timeout.
func (w *deadlineWriter) Write(p []byte) (int, error) {
	_ = w.rc.SetWriteDeadline(time.Now().Add(w.timeout))
	return w.ResponseWriter.Write(p)
}

// Flush sends what was written within the timeout.
func (w *deadlineWriter) Flush() {
	_ = w.rc.SetWriteDeadline(time.Now().Add(w.timeout))
	_ = w.rc.Flush()
}

// Unwrap returns the ResponseWriter underneath, for
// http.ResponseController.
func (w *deadlineWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// subscriptionGuard bounds the subscriptions of each WebSocket connection
// (a refusal is the protocol's error message, coded
// TOO_MANY_SUBSCRIPTIONS: the connection and its other subscriptions go
// on), and ends an SSE stream whose token expired with an UNAUTHENTICATED
// error before its complete event.
type subscriptionGuard struct {
	max int // subscriptions per WebSocket connection; 0: no limit
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationInterceptor
} = subscriptionGuard{}

// ExtensionName names the extension in gqlgen's list.
func (subscriptionGuard) ExtensionName() string { return "SubscriptionGuard" }

// Validate accepts any schema.
func (subscriptionGuard) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptOperation counts a WebSocket connection's subscriptions, and
// watches an SSE stream for its token's expiry.
func (g subscriptionGuard) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	st := streamFrom(ctx)
	if st == nil || !graphql.HasOperationContext(ctx) {
		return next(ctx)
	}
	if op := graphql.GetOperationContext(ctx).Operation; op == nil || op.Operation != ast.Subscription {
		return next(ctx)
	}
	if !st.websocket {
		return expiryNotice(ctx, next(ctx))
	}
	if g.max <= 0 {
		return next(ctx)
	}
	if !st.acquire(ctx, g.max) {
		err := gqlerror.Errorf("a connection holds at most %d subscriptions: complete one before starting another", g.max)
		err.Extensions = map[string]any{"code": CodeTooManySubscriptions}
		httpapi.AccessFrom(ctx).AddCode(CodeTooManySubscriptions)
		transport.AddSubscriptionError(ctx, err)
		return func(context.Context) *graphql.Response { return nil }
	}
	release := sync.OnceFunc(func() { st.release(ctx) })
	context.AfterFunc(ctx, release)
	responses := next(ctx)
	return func(ctx context.Context) *graphql.Response {
		resp := responses(ctx)
		if resp == nil {
			release() // before the transport sends complete
		}
		return resp
	}
}

// expiryNotice passes on responses; when they end because the token
// expired, it adds an UNAUTHENTICATED error saying so.
func expiryNotice(ctx context.Context, responses graphql.ResponseHandler) graphql.ResponseHandler {
	told := false
	return func(rctx context.Context) *graphql.Response {
		resp := responses(rctx)
		if resp != nil || told || !errors.Is(context.Cause(ctx), errTokenExpired) {
			return resp
		}
		told = true
		err := gqlerror.Errorf("token expired: subscribe again with a new token")
		err.Extensions = map[string]any{"code": domain.CodeUnauthenticated}
		return &graphql.Response{Errors: gqlerror.List{err}}
	}
}
