package graph

import (
	"context"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"

	"grappe/domain"
)

// SubscriptionOptions configures the subscription transports.
type SubscriptionOptions struct {
	// Events feeds the subscriptions.
	Events *Events
	// Authenticate verifies the token a WebSocket client sends in its
	// connection_init payload ({"Authorization": "Bearer …"}).
	Authenticate func(ctx context.Context, token string) (domain.Viewer, error)
	// KeepAlive is the interval of the server's pings (graphql-transport-ws)
	// and keep-alive messages (legacy graphql-ws, SSE).
	KeepAlive time.Duration
}

// addSubscriptionTransports adds to srv the graphql-transport-ws (and
// legacy graphql-ws) WebSocket transport and the graphql-sse transport
// (distinct connections mode), before the HTTP transport.
func addSubscriptionTransports(srv *handler.Server, opts SubscriptionOptions) {
	if opts.KeepAlive <= 0 {
		opts.KeepAlive = 25 * time.Second
	}
	srv.AddTransport(transport.SSE{KeepAlivePingInterval: opts.KeepAlive})
	srv.AddTransport(transport.Websocket{
		InitFunc:              wsAuthenticate(opts.Authenticate),
		InitTimeout:           10 * time.Second,
		KeepAlivePingInterval: opts.KeepAlive,
		PingPongInterval:      opts.KeepAlive,
	})
}

// wsAuthenticate returns the connection_init handler: a client without an
// Authorization entry is anonymous (and refused by every subscription);
// one with a token that does not verify is refused with its error.
func wsAuthenticate(authenticate func(context.Context, string) (domain.Viewer, error)) transport.WebsocketInitFunc {
	return func(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
		raw := strings.TrimSpace(p.Authorization())
		if raw == "" || authenticate == nil {
			return domain.WithViewer(ctx, domain.Anonymous), nil, nil
		}
		scheme, token, _ := strings.Cut(raw, " ")
		if !strings.EqualFold(scheme, "Bearer") {
			return ctx, nil, domain.Errorf(domain.CodeUnauthenticated, "Authorization is not a Bearer token")
		}
		v, err := authenticate(ctx, strings.TrimSpace(token))
		if err != nil {
			return transport.WithWebsocketCloseCode(ctx, 4403), nil, err
		}
		return domain.WithViewer(ctx, v), nil, nil
	}
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
