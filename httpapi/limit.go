package httpapi

import (
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5/middleware"
	"github.com/go-chi/cors"
	"github.com/go-chi/httprate"

	"grappe/domain"
)

// RateLimit returns a middleware that lets each client make at most
// requests in any window (httprate's sliding window: the previous window
// counts in proportion to its overlap), and answers the next ones 429 with
// Retry-After and a GraphQL error coded RATE_LIMITED. requests <= 0 turns
// the limit off.
//
// It must run after authentication: see ClientKey for who a client is.
func RateLimit(requests int, window time.Duration) func(http.Handler) http.Handler {
	if requests <= 0 {
		return func(next http.Handler) http.Handler { return next }
	}
	return httprate.LimitBy(requests, window, ClientKey,
		httprate.WithLimitHandler(func(w http.ResponseWriter, r *http.Request) {
			WriteErrorFor(w, r, http.StatusTooManyRequests, CodeRateLimited,
				fmt.Sprintf("rate limit of %d requests per %s exceeded: retry after %s s",
					requests, window, w.Header().Get("Retry-After")))
		}),
		httprate.WithErrorHandler(func(w http.ResponseWriter, r *http.Request, err error) {
			WriteErrorFor(w, r, http.StatusInternalServerError, domain.CodeInternal, "internal error")
		}),
	)
}

// ClientKey returns the rate limit key of r: the token's subject for an
// authenticated viewer (its role and member when the token has no
// subject), else the client's IP address (an IPv6 address by its /64). A
// PUBLIC token grants nothing more than no token, so it counts by address
// too.
func ClientKey(r *http.Request) (string, error) {
	v := domain.ViewerFrom(r.Context())
	switch {
	case v.Role != domain.RolePublic && v.Subject != "":
		return "sub:" + v.Subject, nil
	case v.Role != domain.RolePublic:
		return "role:" + string(v.Role) + ":" + strconv.FormatInt(v.MemberID, 10), nil
	}
	ip := middleware.GetClientIP(r.Context())
	if ip == "" {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil {
			host = r.RemoteAddr
		}
		ip = host
	}
	return "ip:" + httprate.CanonicalizeIP(ip), nil
}

// ClientIP returns the middleware that finds the client's address: the
// connection's peer when trustedProxies is 0, else the address that many
// hops from the right of X-Forwarded-For (the proxies in front of grappe
// append to it; what a client writes there itself is never trusted).
func ClientIP(trustedProxies int) func(http.Handler) http.Handler {
	if trustedProxies <= 0 {
		return middleware.ClientIPFromRemoteAddr
	}
	return middleware.ClientIPFromXFFTrustedProxies(trustedProxies)
}

// CORS returns the middleware that lets browser pages from origins call
// the API (GET and POST, with the Authorization and Content-Type headers)
// and read the rate limit headers. An origin may hold one "*" wildcard
// (https://*.example.org). No origins: no cross-origin access at all.
// Credentials (cookies) are never allowed: the API takes bearer tokens.
func CORS(origins []string) func(http.Handler) http.Handler {
	opts := cors.Options{
		AllowedOrigins: origins,
		AllowedMethods: []string{http.MethodGet, http.MethodPost},
		AllowedHeaders: []string{"Authorization", "Content-Type", "Accept"},
		ExposedHeaders: []string{"Retry-After", "X-Ratelimit-Limit", "X-Ratelimit-Remaining", "X-Ratelimit-Reset"},
		MaxAge:         600,
	}
	if len(origins) == 0 {
		// go-chi/cors reads an empty list as "any origin".
		opts.AllowOriginFunc = func(*http.Request, string) bool { return false }
	}
	return cors.Handler(opts)
}
