package graph

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"

	"grappe/domain"
	"grappe/httpapi"
)

// SubscriptionOptions configures the subscription transports.
type SubscriptionOptions struct {
	// Events feeds the subscriptions.
	Events *Events
	// Authenticate verifies the token a WebSocket client sends in its
	// connection_init payload ({"Authorization": "Bearer …"}).
	Authenticate func(ctx context.Context, token string) (domain.Viewer, error)
	// KeepAlive is the interval of the server's pings (graphql-transport-ws:
	// a client that answers none with a pong for two intervals is
	// disconnected) and keep-alive messages (legacy graphql-ws, SSE); 0:
	// none.
	KeepAlive time.Duration
	// WriteTimeout bounds each write to a subscriber (a WebSocket message,
	// an SSE event): a client that reads nothing for that long is
	// disconnected. 0: no deadline.
	WriteTimeout time.Duration
	// MaxSubscriptions is the most subscriptions a WebSocket connection
	// holds at once (0: no limit).
	MaxSubscriptions int
	// Streams counts the connections and bounds their number; nil: no
	// limit, and nothing ends them when the server shuts down.
	Streams *Streams
	// Origins are the browser origins, besides the server's own host,
	// whose pages may open a WebSocket: patterns as GRAPPE_CORS_ORIGINS
	// holds them ("https://*.example.org", or "*" for any).
	Origins []string
}

// addSubscriptionTransports adds to srv the graphql-sse transport
// (distinct connections mode) and the graphql-transport-ws (and legacy
// graphql-ws) WebSocket transport, before the HTTP transport, with their
// guards: the origin check, the limits, the write deadline, and the end of
// a connection when its token expires.
func addSubscriptionTransports(srv *handler.Server, opts SubscriptionOptions, log *slog.Logger) {
	if opts.Streams == nil {
		opts.Streams = NewStreams(0)
	}
	srv.AddTransport(sseTransport{
		SSE:     transport.SSE{KeepAlivePingInterval: opts.KeepAlive},
		streams: opts.Streams, writeTimeout: opts.WriteTimeout,
	})
	srv.AddTransport(websocketTransport{
		Websocket: transport.Websocket{
			Implementation:        websocketAcceptor{origins: opts.Origins, writeTimeout: opts.WriteTimeout, log: log},
			InitFunc:              wsAuthenticate(opts.Authenticate),
			InitTimeout:           10 * time.Second,
			KeepAlivePingInterval: opts.KeepAlive,
			PingPongInterval:      opts.KeepAlive,
		},
		streams: opts.Streams, origins: opts.Origins,
	})
	srv.Use(subscriptionGuard{max: opts.MaxSubscriptions})
}

// wsAuthenticate returns the connection_init handler. The viewer is the
// one of the payload's Authorization entry, else the one of the upgrade
// request's Authorization header (which the HTTP middleware checked), else
// anonymous (and refused by every subscription). A token that does not
// verify, or has expired, is refused with close code 4403 (1013 when it
// cannot be checked now); a connection whose token expires later closes
// with 4403 then.
func wsAuthenticate(authenticate func(context.Context, string) (domain.Viewer, error)) transport.WebsocketInitFunc {
	return func(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
		v, err := initViewer(ctx, p, authenticate)
		if err == nil && !v.Expires.IsZero() && !time.Now().Before(v.Expires) {
			err = domain.Errorf(domain.CodeUnauthenticated, "token expired")
		}
		if err != nil {
			code := CloseForbidden
			if domain.ErrorCode(err) == domain.CodeUnavailable {
				code = closeTryAgainLater
			}
			ctx = transport.AppendCloseReason(transport.WithWebsocketCloseCode(ctx, code), domain.ErrorMessage(err))
			return ctx, nil, err
		}
		if st := streamFrom(ctx); st != nil {
			st.expireAt(v.Expires)
		}
		httpapi.AccessFrom(ctx).SetRole(string(v.Role))
		return domain.WithViewer(ctx, v), nil, nil
	}
}

// initViewer returns the viewer of a connection_init payload.
func initViewer(ctx context.Context, p transport.InitPayload, authenticate func(context.Context, string) (domain.Viewer, error)) (domain.Viewer, error) {
	raw := strings.TrimSpace(p.Authorization())
	if raw == "" {
		return domain.ViewerFrom(ctx), nil
	}
	if authenticate == nil {
		return domain.Anonymous, nil
	}
	scheme, token, _ := strings.Cut(raw, " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return domain.Viewer{}, domain.Errorf(domain.CodeUnauthenticated, "Authorization is not a Bearer token")
	}
	return authenticate(ctx, strings.TrimSpace(token))
}

// freshLoadersPerEvent gives each event of a subscription loaders of its
// own, so that what it reads is read afresh, never from the cache of the
// connection or of an earlier event.
func (r *Resolver) freshLoadersPerEvent(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	if !graphql.HasOperationContext(ctx) {
		return next(ctx)
	}
	if oc := graphql.GetOperationContext(ctx); oc.Operation != nil && oc.Operation.Operation == ast.Subscription {
		ctx = context.WithValue(ctx, loadersKey{}, NewLoaders(r))
	}
	return next(ctx)
}
