package main

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // the cluster's time zone works on machines without tzdata
)

// Config is grappe's whole configuration, read from the environment only
// (see the table in docs/configuration.md). Defaults live in loadConfig.
type Config struct {
	Env         string // development or production
	Host        string
	Port        int
	DatabaseURL string
	DataDir     string

	JWTSecret      string
	JWTPublicKey   string // PEM text or a path to a PEM file
	JWTIssuer      string
	JWTAudience    string
	JWTRoleClaim   string
	JWTMemberClaim string

	Demo     bool
	DemoSeed uint64

	DBMaxConns int
	// DBPoolWait bounds a request's wait for a free database connection.
	DBPoolWait time.Duration
	// DashboardCache is how long a dashboard block is kept (0: not kept).
	DashboardCache time.Duration
	// RequestTimeout is the deadline of each GraphQL request, and the
	// statement_timeout of the server's database connections.
	RequestTimeout time.Duration
	// PGRestart restarts the private PostgreSQL when its process dies.
	PGRestart       bool
	GroupCapacity   int
	ComplexityLimit int
	// Limits of one operation and one request (0: none).
	MaxDepth      int
	MaxAliases    int
	MaxRootFields int
	MaxTokens     int
	MaxBodyBytes  int
	// RateLimit requests per RateWindow and client (0: no limit).
	RateLimit  int
	RateWindow time.Duration
	// TrustedProxies is the number of proxies in front of the server
	// appending to X-Forwarded-For (0: the peer address is the client's).
	TrustedProxies int
	// CORSOrigins may call the API from a browser (none: same origin only).
	CORSOrigins     []string
	ShutdownTimeout time.Duration
	// TrustedDocuments is the allowlist mode: PUBLIC and MEMBER callers
	// may send only the ids of the documents kept in DocumentsDir.
	TrustedDocuments bool
	DocumentsDir     string
	// Console serves the console at /console (on in development, off in
	// production unless GRAPPE_CONSOLE=on).
	Console bool
	// MetricsAddr is where /metrics is served, apart from the API ("":
	// no metrics).
	MetricsAddr string
	// SubscriptionWriteTimeout bounds each write to a subscriber: one that
	// reads nothing for that long is disconnected (0: no deadline).
	SubscriptionWriteTimeout time.Duration
	// SubscriptionKeepAlive is the interval of the pings and keep-alive
	// messages of subscription connections (0: none).
	SubscriptionKeepAlive time.Duration
	// MaxSubscriptionsPerConnection bounds the subscriptions of one
	// WebSocket connection, MaxSubscriptionConnections the WebSocket and
	// SSE connections of the server (0: no limit).
	MaxSubscriptionsPerConnection int
	MaxSubscriptionConnections    int
	// SmallWorldInterval is how often the small-world coefficients are
	// recomputed in the background (sooner after big changes).
	SmallWorldInterval time.Duration
	// TimeZone is the cluster's time zone: dashboard periods, "today" and
	// retention years are counted in it.
	TimeZone  *time.Location
	LogLevel  slog.Level
	LogFormat string
	// DebugStatementCount adds the number of SQL statements a GraphQL
	// request ran as the X-Statement-Count response header (benchmarks).
	DebugStatementCount bool
}

// Production reports whether the server runs in production mode.
func (c Config) Production() bool { return c.Env == "production" }

// LogValue masks secrets when the configuration is logged.
func (c Config) LogValue() slog.Value {
	mask := func(s string) string {
		if s == "" {
			return ""
		}
		return "********"
	}
	return slog.GroupValue(
		slog.String("env", c.Env), slog.String("host", c.Host), slog.Int("port", c.Port),
		slog.String("database_url", maskURL(c.DatabaseURL)), slog.String("data_dir", c.DataDir),
		slog.String("jwt_secret", mask(c.JWTSecret)), slog.Bool("jwt_public_key", c.JWTPublicKey != ""),
		slog.String("jwt_issuer", c.JWTIssuer), slog.String("jwt_audience", c.JWTAudience),
		slog.Bool("demo", c.Demo), slog.Uint64("demo_seed", c.DemoSeed),
		slog.Int("db_max_conns", c.DBMaxConns), slog.Duration("db_pool_wait", c.DBPoolWait),
		slog.Duration("request_timeout", c.RequestTimeout), slog.Bool("pg_restart", c.PGRestart),
		slog.Duration("dashboard_cache", c.DashboardCache),
		slog.Int("complexity_limit", c.ComplexityLimit),
		slog.Int("max_depth", c.MaxDepth), slog.Int("max_aliases", c.MaxAliases),
		slog.Int("max_root_fields", c.MaxRootFields), slog.Int("max_tokens", c.MaxTokens),
		slog.Int("max_body_bytes", c.MaxBodyBytes),
		slog.Int("rate_limit", c.RateLimit), slog.Duration("rate_limit_window", c.RateWindow),
		slog.Int("trusted_proxies", c.TrustedProxies), slog.Any("cors_origins", c.CORSOrigins),
		slog.Duration("subscription_write_timeout", c.SubscriptionWriteTimeout),
		slog.Duration("subscription_keep_alive", c.SubscriptionKeepAlive),
		slog.Int("max_subscriptions_per_connection", c.MaxSubscriptionsPerConnection),
		slog.Int("max_subscription_connections", c.MaxSubscriptionConnections),
		slog.Bool("trusted_documents", c.TrustedDocuments), slog.String("documents_dir", c.DocumentsDir),
		slog.Duration("small_world_interval", c.SmallWorldInterval),
		slog.String("time_zone", c.TimeZone.String()),
		slog.Bool("debug_statement_count", c.DebugStatementCount),
		slog.String("metrics_addr", c.MetricsAddr),
		slog.Bool("console", c.Console),
	)
}

// maskURL hides the password of a database URL.
func maskURL(s string) string {
	if i := strings.Index(s, "://"); i >= 0 {
		if at := strings.LastIndex(s, "@"); at > i {
			if colon := strings.Index(s[i+3:at], ":"); colon >= 0 {
				return s[:i+3+colon+1] + "********" + s[at:]
			}
		}
	}
	return s
}

// loadConfig reads the configuration from the environment through lookup
// (os.LookupEnv's signature: a variable set to "" differs from an unset
// one) and checks it.
func loadConfig(lookup func(string) (string, bool)) (Config, error) {
	getenv := getenvOf(lookup)
	env := func(key, def string) string {
		if v := strings.TrimSpace(getenv(key)); v != "" {
			return v
		}
		return def
	}
	var errs []error
	integer := func(key string, def int) int {
		n, err := strconv.Atoi(env(key, strconv.Itoa(def)))
		if err != nil || n < 0 {
			errs = append(errs, fmt.Errorf("%s must be a non-negative integer", key))
		}
		return n
	}
	c := Config{
		Env:             env("GRAPPE_ENV", "development"),
		Host:            env("GRAPPE_HOST", ""),
		Port:            integer("PORT", 8080),
		DatabaseURL:     env("DATABASE_URL", ""),
		DataDir:         env("GRAPPE_DATA_DIR", ".grappe"),
		JWTSecret:       getenv("GRAPPE_JWT_SECRET"),
		JWTPublicKey:    env("GRAPPE_JWT_PUBLIC_KEY", ""),
		JWTIssuer:       env("GRAPPE_JWT_ISSUER", ""),
		JWTAudience:     env("GRAPPE_JWT_AUDIENCE", ""),
		JWTRoleClaim:    env("GRAPPE_JWT_ROLE_CLAIM", "role"),
		JWTMemberClaim:  env("GRAPPE_JWT_MEMBER_CLAIM", "member"),
		DBMaxConns:      integer("GRAPPE_DB_MAX_CONNS", 20),
		GroupCapacity:   integer("GRAPPE_GROUP_CAPACITY", 15),
		ComplexityLimit: integer("GRAPPE_COMPLEXITY_LIMIT", 20000),
		MaxDepth:        integer("GRAPPE_MAX_DEPTH", 15),
		MaxAliases:      integer("GRAPPE_MAX_ALIASES", 50),
		MaxRootFields:   integer("GRAPPE_MAX_ROOT_FIELDS", 20),
		MaxTokens:       integer("GRAPPE_MAX_TOKENS", 10000),
		MaxBodyBytes:    integer("GRAPPE_MAX_BODY_BYTES", 1<<20),
		RateLimit:       integer("GRAPPE_RATE_LIMIT", 600),
		TrustedProxies:  integer("GRAPPE_TRUSTED_PROXIES", 0),
		ShutdownTimeout: time.Duration(integer("GRAPPE_SHUTDOWN_TIMEOUT_SECONDS", 15)) * time.Second,
		LogFormat:       env("GRAPPE_LOG_FORMAT", "text"),
	}
	if c.Env != "development" && c.Env != "production" {
		errs = append(errs, fmt.Errorf("GRAPPE_ENV must be development or production, got %q", c.Env))
	}
	if c.Port > 65535 {
		errs = append(errs, errors.New("PORT must be at most 65535"))
	}
	demo, err := strconv.ParseBool(env("GRAPPE_DEMO", strconv.FormatBool(!c.Production())))
	if err != nil {
		errs = append(errs, errors.New("GRAPPE_DEMO must be true or false"))
	}
	c.Demo = demo
	c.MetricsAddr = metricsAddr(lookup, c.Production())
	if c.DemoSeed, err = strconv.ParseUint(env("GRAPPE_DEMO_SEED", "1"), 10, 64); err != nil {
		errs = append(errs, errors.New("GRAPPE_DEMO_SEED must be a non-negative integer"))
	}
	if err := c.LogLevel.UnmarshalText([]byte(env("GRAPPE_LOG_LEVEL", "info"))); err != nil {
		errs = append(errs, errors.New("GRAPPE_LOG_LEVEL must be debug, info, warn or error"))
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, errors.New("GRAPPE_LOG_FORMAT must be text or json"))
	}
	if c.TimeZone, err = time.LoadLocation(env("GRAPPE_TIME_ZONE", "Europe/Paris")); err != nil {
		errs = append(errs, errors.New("GRAPPE_TIME_ZONE must be an IANA time zone such as Europe/Paris"))
	}
	if c.SmallWorldInterval, err = time.ParseDuration(env("GRAPPE_SMALL_WORLD_INTERVAL", "6h")); err != nil || c.SmallWorldInterval <= 0 {
		errs = append(errs, errors.New("GRAPPE_SMALL_WORLD_INTERVAL must be a positive duration such as 6h or 30m"))
	}
	duration := func(key, def string) time.Duration {
		d, err := time.ParseDuration(env(key, def))
		if err != nil || d < 0 {
			errs = append(errs, fmt.Errorf("%s must be a non-negative duration such as %s (0 turns it off)", key, def))
		}
		return d
	}
	c.RequestTimeout = duration("GRAPPE_REQUEST_TIMEOUT", "15s")
	c.DBPoolWait = duration("GRAPPE_DB_POOL_WAIT", "5s")
	c.DashboardCache = duration("GRAPPE_DASHBOARD_CACHE", "30s")
	c.SubscriptionWriteTimeout = duration("GRAPPE_SUBSCRIPTION_WRITE_TIMEOUT", "10s")
	c.SubscriptionKeepAlive = duration("GRAPPE_SUBSCRIPTION_KEEP_ALIVE", "25s")
	c.MaxSubscriptionsPerConnection = integer("GRAPPE_MAX_SUBSCRIPTIONS_PER_CONNECTION", 20)
	c.MaxSubscriptionConnections = integer("GRAPPE_MAX_SUBSCRIPTION_CONNECTIONS", 1000)
	if c.DebugStatementCount, err = strconv.ParseBool(env("GRAPPE_DEBUG_STATEMENT_COUNT", "false")); err != nil {
		errs = append(errs, errors.New("GRAPPE_DEBUG_STATEMENT_COUNT must be true or false"))
	}
	if c.PGRestart, err = strconv.ParseBool(env("GRAPPE_PG_RESTART", "true")); err != nil {
		errs = append(errs, errors.New("GRAPPE_PG_RESTART must be true or false"))
	}
	if c.RateWindow, err = time.ParseDuration(env("GRAPPE_RATE_LIMIT_WINDOW", "5s")); err != nil || c.RateWindow < time.Second {
		errs = append(errs, errors.New("GRAPPE_RATE_LIMIT_WINDOW must be a duration of at least 1s such as 5s or 1m"))
	}
	for _, o := range strings.Split(env("GRAPPE_CORS_ORIGINS", ""), ",") {
		if o = strings.TrimSpace(o); o != "" {
			c.CORSOrigins = append(c.CORSOrigins, o)
		}
	}
	switch v := strings.ToLower(env("GRAPPE_TRUSTED_DOCUMENTS", "off")); v {
	case "on", "true":
		c.TrustedDocuments = true
	case "off", "false":
	default:
		errs = append(errs, errors.New("GRAPPE_TRUSTED_DOCUMENTS must be on or off"))
	}
	consoleDefault := "on"
	if c.Production() {
		consoleDefault = "off"
	}
	switch v := strings.ToLower(env("GRAPPE_CONSOLE", consoleDefault)); v {
	case "on", "true":
		c.Console = true
	case "off", "false":
	default:
		errs = append(errs, errors.New("GRAPPE_CONSOLE must be on or off"))
	}
	if c.DBMaxConns == 0 {
		c.DBMaxConns = 20
	}
	if abs, err := filepath.Abs(c.DataDir); err == nil {
		c.DataDir = abs
	}
	c.DocumentsDir = env("GRAPPE_DOCUMENTS_DIR", filepath.Join(c.DataDir, "documents"))
	if abs, err := filepath.Abs(c.DocumentsDir); err == nil {
		c.DocumentsDir = abs
	}
	return c, errors.Join(errs...)
}

// minSecretBytes is the shortest HS256 secret production accepts: 256
// bits, the size of the hash (RFC 7518 §3.2).
const minSecretBytes = 32

// checkProduction refuses a production configuration without a way to
// verify tokens, or with an HS256 secret short enough to be guessed.
func (c Config) checkProduction() error {
	if !c.Production() {
		return nil
	}
	if c.JWTSecret == "" && c.JWTPublicKey == "" {
		return errors.New("production needs GRAPPE_JWT_SECRET or GRAPPE_JWT_PUBLIC_KEY to verify tokens")
	}
	if c.weakSecret() {
		return fmt.Errorf("GRAPPE_JWT_SECRET is %d bytes: production needs at least %d (for instance the output of `openssl rand -hex 32`)",
			len(c.JWTSecret), minSecretBytes)
	}
	return nil
}

// weakSecret reports whether an HS256 secret is set and shorter than
// minSecretBytes (refused in production, warned about in development).
func (c Config) weakSecret() bool {
	return c.JWTSecret != "" && len(c.JWTSecret) < minSecretBytes
}

// readPEM returns the PEM text of a value that is either PEM or a file path.
func readPEM(v string) ([]byte, error) {
	if strings.HasPrefix(strings.TrimSpace(v), "-----BEGIN") {
		return []byte(v), nil
	}
	b, err := os.ReadFile(v)
	if err != nil {
		return nil, fmt.Errorf("read GRAPPE_JWT_PUBLIC_KEY: %w", err)
	}
	return b, nil
}

// metricsAddr returns where /metrics listens: GRAPPE_METRICS_ADDR when set,
// "" (off) when it is set to "" or "off", and when unset 127.0.0.1:9090 in
// production, off in development.
func metricsAddr(lookup func(string) (string, bool), production bool) string {
	v, set := lookup("GRAPPE_METRICS_ADDR")
	v = strings.TrimSpace(v)
	switch {
	case !set && production:
		return "127.0.0.1:9090"
	case v == "off":
		return ""
	default:
		return v
	}
}

// getenvOf returns an os.Getenv-like function over lookup: "" when unset.
func getenvOf(lookup func(string) (string, bool)) func(string) string {
	return func(key string) string {
		v, _ := lookup(key)
		return v
	}
}
