package main

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5/middleware"

	"grappe/domain"
	"grappe/graph"
	"grappe/httpapi"
	"grappe/metrics"
	"grappe/postgres"
)

// Outcomes of a GraphQL request, as the access log names them.
const (
	outcomeOK            = "ok"             // answered, without errors
	outcomeRefused       = "refused"        // answered with errors of the client's making (input, permissions, limits, token…)
	outcomeTimeout       = "timeout"        // past GRAPPE_REQUEST_TIMEOUT: TIMEOUT
	outcomePoolExhausted = "pool_exhausted" // no database connection free within GRAPPE_DB_POOL_WAIT
	outcomeUnavailable   = "unavailable"    // the database could not serve it
	outcomeInternal      = "internal"       // a failure of the server: INTERNAL or a 5xx
	outcomeClientGone    = "client_gone"    // the client went away before the answer
)

// accessLog writes one line per GraphQL request (/graphql) once it is
// answered:
//
//	msg=graphql request_id=… op=MemberProfile op_type=query role=MEMBER status=200 code="" sql=2 duration=3.1ms outcome=ok
//
// op and op_type are the operation's name and type ("" when the document
// did not parse), role the viewer's ("" when the token was refused), code
// the distinct extensions.code of the response's errors joined by commas,
// sql the number of SQL statements it ran. The level tells who has
// something to do: INFO for answers, client errors included; WARN for
// timeouts, an exhausted connection pool, a database failing while it is
// not known to be down, and failures of the server (whose cause is logged
// at ERROR on a line of its own with the same request_id); a client that
// went away is INFO with msg="client gone". Nothing the client sent as
// data is logged: no variables, no token, no query text, no URL query.
//
// Other paths (probes, exports, GraphiQL) and CORS preflights get a DEBUG
// line. accessLog also
// counts the request's SQL statements (postgres.WithRequestStats), tells
// db of the requests that found the database unavailable, and records
// what it logs in m (nil: no metrics).
func accessLog(log *slog.Logger, db *dbWatch, m *metrics.Metrics) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			ctx, stats := postgres.WithRequestStats(r.Context())
			ctx, access := httpapi.WithAccess(ctx)
			ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
			next.ServeHTTP(ww, r.WithContext(ctx))
			elapsed := time.Since(start)
			status := ww.Status()
			if status == 0 {
				status = http.StatusOK
			}
			reqID := middleware.GetReqID(r.Context())
			if status == http.StatusTooManyRequests {
				m.RateLimited(limitedPath(r.URL.Path))
			}
			if r.URL.Path != "/graphql" || r.Method == http.MethodOptions {
				log.LogAttrs(r.Context(), slog.LevelDebug, "request",
					slog.String("method", r.Method), slog.String("path", r.URL.Path),
					slog.Int("status", status), slog.Duration("duration", elapsed),
					slog.String("request_id", reqID))
				return
			}
			outcome := requestOutcome(r.Context(), status, access, stats)
			level, msg := slog.LevelInfo, "graphql"
			switch outcome {
			case outcomeTimeout, outcomePoolExhausted, outcomeInternal:
				level = slog.LevelWarn
			case outcomeUnavailable:
				// The outage itself is logged once, at ERROR, by db; while
				// it lasts, each request it fails is a mere consequence.
				if !db.suspect() {
					level = slog.LevelWarn
				}
			case outcomeClientGone:
				msg = "client gone"
			}
			name, typ := access.Operation()
			codes := access.Codes()
			m.ObserveRequest(metrics.Request{Operation: name, Type: typ, Outcome: outcome, Codes: codes,
				Duration: elapsed, Statements: stats.Statements.Load()})
			log.LogAttrs(context.WithoutCancel(r.Context()), level, msg,
				slog.String("request_id", reqID),
				slog.String("op", name), slog.String("op_type", typ), slog.String("role", access.Role()),
				slog.Int("status", status), slog.String("code", strings.Join(codes, ",")),
				slog.Int64("sql", stats.Statements.Load()), slog.Duration("duration", elapsed),
				slog.String("outcome", outcome))
		})
	}
}

// limitedPath is the path label of a rate-limited request: graphql or
// export (the only paths with a rate limit), other for anything else.
func limitedPath(path string) string {
	switch {
	case path == "/graphql":
		return "graphql"
	case strings.HasPrefix(path, "/export"):
		return "export"
	}
	return "other"
}

// requestOutcome classifies an answered GraphQL request.
func requestOutcome(ctx context.Context, status int, access *httpapi.Access, stats *postgres.RequestStats) string {
	switch {
	case ctx.Err() != nil:
		// The server cancels a request's context when its client's
		// connection closes: the answer went nowhere.
		return outcomeClientGone
	case access.HasCode(domain.CodeTimeout):
		return outcomeTimeout
	case stats.PoolWaits.Load() > 0:
		return outcomePoolExhausted
	case access.HasCode(domain.CodeUnavailable):
		return outcomeUnavailable
	case access.HasCode(domain.CodeInternal), access.HasCode(graph.CodeCancelled), status >= 500:
		return outcomeInternal
	case len(access.Codes()) > 0 || status >= 400:
		return outcomeRefused
	}
	return outcomeOK
}
