package main

import (
	"context"
	"errors"
	"fmt"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"grappe/auth"
	"grappe/demo"
	"grappe/documents"
	"grappe/domain"
	"grappe/export"
	"grappe/globalid"
	"grappe/graph"
	"grappe/httpapi"
	"grappe/metrics"
	"grappe/network"
	"grappe/pgserver"
	"grappe/postgres"
	"grappe/telemetry"
	"grappe/web"
	"grappe/wiring"
)

// serve runs the server until ctx is cancelled, then shuts it down.
func serve(ctx context.Context, cfg Config, log *slog.Logger, tracing telemetry.Provider, stdout io.Writer) error {
	app := &App{Config: cfg, Log: log, Tracing: tracing}
	if err := app.Start(ctx); err != nil {
		return errors.Join(err, app.Close())
	}
	fmt.Fprintln(stdout, app.readyLine())
	select {
	case <-ctx.Done():
		log.Info("shutting down")
	case err := <-app.serveErr:
		log.Error("http server stopped", "err", err)
	}
	return app.Close()
}

// readyLine is what serve prints once the server is ready: where GraphQL
// answers and, outside production, where GraphiQL is (production serves no
// GraphiQL: / is a 404 there), and where the console is when it is on.
func (a *App) readyLine() string {
	var at []string
	if !a.Config.Production() {
		at = append(at, fmt.Sprintf("GraphiQL at %s/", a.URL()))
	}
	if a.Config.Console {
		at = append(at, fmt.Sprintf("the console at %s/console", a.URL()))
	}
	at = append(at, fmt.Sprintf("GraphQL at %s/graphql", a.URL()))
	if len(at) > 1 {
		at = append(at[:len(at)-2], at[len(at)-2]+" and "+at[len(at)-1])
	}
	return "grappe is ready: " + strings.Join(at, ", ")
}

// App is a running grappe: its database (and the private PostgreSQL it
// started, if any) and its HTTP server.
type App struct {
	Config Config
	Log    *slog.Logger
	// Tracing receives the spans of requests, operations, SQL statements
	// and network jobs (OpenTelemetry); off when zero.
	Tracing telemetry.Provider

	store           *store         // the private PostgreSQL, and the pool for the server's own work
	requests        *postgres.DB   // the pool for requests
	probe           *postgres.DB   // one connection for the readiness check
	docs            *documents.Set // trusted documents
	network         *network.Store
	events          *graph.Events      // feeds the subscriptions
	streams         *graph.Streams     // the subscription connections
	stop            context.CancelFunc // stops the network graph's rebuilds and the small-world job
	jobs            sync.WaitGroup     // the background jobs, waited for by Close
	server          *http.Server
	listener        net.Listener
	serveErr        chan error
	ready           atomic.Bool
	dbCheck         dbCheck
	dbWatch         *dbWatch         // logs database outages, once each
	metrics         *metrics.Metrics // nil without GRAPPE_METRICS_ADDR
	metricsServer   *http.Server
	metricsListener net.Listener
}

// Start binds the port, opens the database, migrates it, loads the demo
// network into an empty one, and starts serving HTTP.
func (a *App) Start(ctx context.Context) error {
	if err := a.Config.checkProduction(); err != nil {
		return err
	}
	if a.Tracing.TracerProvider == nil {
		a.Tracing = telemetry.Off()
	}
	if a.Config.weakSecret() {
		a.Log.Warn("GRAPPE_JWT_SECRET is shorter than 32 bytes: accepted in development, refused in production",
			"bytes", len(a.Config.JWTSecret))
	}
	// The port before anything else: a server that cannot listen starts no
	// PostgreSQL and leaves no data directory behind. Connections wait in
	// the listen queue until the server is ready.
	if err := a.listen(); err != nil {
		return err
	}
	if err := a.listenMetrics(); err != nil {
		return err
	}
	authCfg, err := authConfig(a.Config)
	if err != nil {
		return err
	}
	verifier, err := auth.NewVerifier(authCfg, a.memberExists)
	if err != nil {
		return fmt.Errorf("token verification: %w", err)
	}
	if a.docs, err = loadDocuments(a.Config, a.Log); err != nil {
		return err
	}
	if a.metricsListener != nil {
		a.metrics = metrics.New(a.docs.OperationNames())
	}
	// Three pools: a small one without time limits for the work of the
	// server itself (migrations, demo load, the network graph, exports),
	// one for requests, whose statements the database cancels past the
	// request timeout and whose wait for a connection is bounded, and one
	// connection for the readiness check, which neither can hold up.
	if a.store, err = openStore(ctx, a.Config, a.Log, postgres.Options{MaxOpenConns: backgroundConns, Tracer: a.Tracing.IfOn()}); err != nil {
		return err
	}
	db := a.store.db
	a.requests, err = postgres.Open(ctx, a.store.url, postgres.Options{
		MaxOpenConns: a.Config.DBMaxConns, GroupCapacity: a.Config.GroupCapacity, Location: a.Config.TimeZone,
		StatementTimeout: a.Config.RequestTimeout, PoolWait: a.Config.DBPoolWait, DashboardCache: a.Config.DashboardCache,
		Tracer: a.Tracing.IfOn(),
	})
	if err != nil {
		return err
	}
	if a.probe, err = postgres.Open(ctx, a.store.url, postgres.Options{MaxOpenConns: 1}); err != nil {
		return err
	}
	applied, err := db.MigrateUp(ctx)
	if err != nil {
		return err
	}
	if len(applied) > 0 {
		a.Log.Info("migrations applied", "migrations", applied)
	}
	if a.Config.Demo {
		ds := demo.Generate(demo.Options{Seed: a.Config.DemoSeed, Today: time.Now().UTC()})
		loaded, err := db.LoadDemoIfEmpty(ctx, ds)
		if err != nil {
			return fmt.Errorf("load demo network: %w", err)
		}
		if loaded {
			a.Log.Info("demo network loaded", "members", len(ds.Members), "trades", len(ds.Trades), "seed", a.Config.DemoSeed)
		}
	}

	// The analytics graph: built before the server reports ready, then
	// rebuilt in the background after every write that changes it.
	netCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	a.stop = stop
	a.dbWatch = newDBWatch(netCtx, a.Log, &a.jobs, a.probe.Ping)
	// Changes committed by other servers or by hand reach what this one
	// keeps (the graph, the taxonomy, dashboard blocks): listening starts
	// before the graph is first read, so that none is missed.
	a.network = wiring.NewNetwork(db, a.requests, a.Log)
	if a.Tracing.On {
		a.network.Tracer = a.Tracing.Tracer("grappe/network")
	}
	if a.metrics != nil {
		a.network.SetTimings(network.Timings{Rebuild: a.metrics.ObserveRebuild, Measure: a.metrics.ObserveMeasure, Lag: a.metrics.ObserveLag})
	}
	// The subscriptions hear of the same changes, and of the graph's versions.
	a.events = graph.NewEvents(db, a.Log)
	a.network.Watch(a.events.NetworkBuilt)
	a.jobs.Go(func() { a.events.Run(netCtx) })
	// Purchasing campaigns close at their closesAt: every server watches
	// for it, and each campaign closes once whichever server gets there
	// first. A campaign opened or changed anywhere wakes the closers.
	closer := postgres.NewCampaignCloser(db, a.Log, 0)
	changes, err := db.WatchChanges(netCtx, a.Log, func(batch domain.DataChanges) {
		a.requests.DataChanged(batch)
		db.DataChanged(batch)
		a.network.DataChanged(batch)
		a.events.Publish(batch)
		if batch.Touches("purchasing_campaigns") {
			closer.Wake()
		}
	})
	if err != nil {
		return fmt.Errorf("listen to changes: %w", err)
	}
	a.jobs.Go(func() { changes.Run(netCtx) })
	a.jobs.Go(func() { closer.Run(netCtx) })
	if err := a.network.Start(netCtx); err != nil {
		return err
	}

	// The small-world coefficients: too costly for a request, computed in
	// the background now that the first snapshot is built, then on a
	// schedule and after big changes.
	job := &network.SmallWorldJob{
		Store: a.network, Log: a.Log, Interval: a.Config.SmallWorldInterval,
		Save: func(ctx context.Context, run network.SmallWorldRun) (*network.SmallWorldRun, error) {
			return db.SaveSmallWorld(ctx, run)
		},
	}
	// One server of the database computes them (it holds a connection of
	// the background pool for the lock); another takes over if it stops.
	a.jobs.Go(func() { db.RunAlone(netCtx, postgres.SmallWorldLockKey, job.Run) })

	a.streams = graph.NewStreams(a.Config.MaxSubscriptionConnections)
	a.server = &http.Server{
		Handler:           a.routes(verifier, authCfg),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      max(60*time.Second, a.Config.RequestTimeout+10*time.Second),
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(a.Log.Handler(), slog.LevelWarn),
	}
	// Shutdown waits for requests, not for hijacked WebSocket connections
	// nor for streams, which last until their client leaves: they end now.
	a.server.RegisterOnShutdown(a.streams.Shutdown)
	a.serveErr = make(chan error, 2)
	go func() {
		if err := a.server.Serve(a.listener); !errors.Is(err, http.ErrServerClosed) {
			a.serveErr <- err
		}
	}()
	if a.metrics != nil {
		a.serveMetrics()
	}
	a.ready.Store(true)
	a.Log.Info("grappe ready", "addr", a.listener.Addr().String(), "env", a.Config.Env)
	return nil
}

// listen binds the HTTP port.
func (a *App) listen() error {
	addr := net.JoinHostPort(a.Config.Host, strconv.Itoa(a.Config.Port))
	l, err := net.Listen("tcp", addr)
	if errors.Is(err, syscall.EADDRINUSE) {
		return fmt.Errorf("port %d is already in use on %s: stop what listens there, or set PORT (0: any free port)", a.Config.Port, addr)
	}
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	a.listener = l
	return nil
}

// memberExists checks the member of a MEMBER token (on the API and the
// exports) against the member index of the requests' pool, the pool
// through which createMember adds members: they can use their tokens at
// once. It is called only once the server serves, after the pool is open.
func (a *App) memberExists(ctx context.Context, id int64) (bool, error) {
	return a.requests.MemberExists(ctx, id)
}

// URL returns the base URL the server answers on.
func (a *App) URL() string {
	port := a.listener.Addr().(*net.TCPAddr).Port
	host := a.Config.Host
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, strconv.Itoa(port))
}

// Close shuts the HTTP server down gracefully, then closes the database
// and stops the PostgreSQL it started.
func (a *App) Close() error {
	a.ready.Store(false)
	var errs []error
	if a.server != nil {
		ctx, cancel := context.WithTimeout(context.Background(), a.Config.ShutdownTimeout)
		defer cancel()
		if err := a.server.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("http shutdown: %w", err))
		}
	} else if a.listener != nil {
		_ = a.listener.Close() // the start failed before serving
	}
	if a.metricsServer != nil {
		errs = append(errs, a.metricsServer.Close())
	} else if a.metricsListener != nil {
		_ = a.metricsListener.Close()
	}
	if a.stop != nil {
		a.stop()
	}
	a.jobs.Wait()
	for _, db := range []*postgres.DB{a.requests, a.probe} {
		if db != nil {
			errs = append(errs, db.Close())
		}
	}
	if a.store != nil {
		errs = append(errs, a.store.Close())
	}
	if a.Tracing.Shutdown != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		errs = append(errs, a.Tracing.Shutdown(ctx))
	}
	return errors.Join(errs...)
}

// routes builds the HTTP router: GraphiQL, the console, GraphQL, the graph
// exports and the probes. authCfg signs the console's demo tokens in
// development.
func (a *App) routes(verifier *auth.Verifier, authCfg auth.Config) http.Handler {
	gql := wiring.GraphQL(a.requests, a.network, graph.HandlerOptions{
		Introspection:  !a.Config.Production(),
		QueryCacheSize: 1000,
		APQCacheSize:   1000,
		Limits: graph.Limits{
			Depth: a.Config.MaxDepth, Aliases: a.Config.MaxAliases, RootFields: a.Config.MaxRootFields,
			Complexity: a.Config.ComplexityLimit, Tokens: a.Config.MaxTokens,
		},
		MaxBodyBytes:       int64(a.Config.MaxBodyBytes),
		DisableSuggestions: a.Config.Production(),
		Documents:          a.docs,
		TrustedOnly:        a.Config.TrustedDocuments,
		Logger:             a.Log,
		MapError:           postgres.MapTransient,
		Tracer:             a.Tracing.IfOn(),
		Subscriptions: &graph.SubscriptionOptions{
			Events: a.events, Authenticate: verifier.Verify,
			KeepAlive: a.Config.SubscriptionKeepAlive, WriteTimeout: a.Config.SubscriptionWriteTimeout,
			MaxSubscriptions: a.Config.MaxSubscriptionsPerConnection, Streams: a.streams,
			Origins: a.Config.CORSOrigins,
		},
	})
	// Clients are limited after authentication: by token subject, else by
	// address. One limiter for the API and the exports.
	rateLimit := httpapi.RateLimit(a.Config.RateLimit, a.Config.RateWindow)
	cors := httpapi.CORS(a.Config.CORSOrigins)

	r := chi.NewRouter()
	r.Use(middleware.RequestID, accessLog(a.Log, a.dbWatch, a.metrics), middleware.Recoverer, httpapi.ClientIP(a.Config.TrustedProxies))
	r.Get("/healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok\n") })
	r.Get("/readyz", a.readyz)
	api := r.With(httpapi.Compress, cors, verifier.Middleware, rateLimit, requestTimeout(a.Config.RequestTimeout))
	if a.Config.DebugStatementCount {
		api = api.With(statementCount)
	}
	api.Handle("/graphql", gql)
	exports := export.New(a.network.Snapshot, a.network.Measured, a.store.db.ExportMembers)
	exports.Log = a.Log
	exports.MeasuresWait = a.Config.RequestTimeout
	r.With(httpapi.Compress, cors, verifier.Middleware, rateLimit).Mount("/export", exports)
	if !a.Config.Production() {
		graphiql := web.GraphiQL("grappe", "/graphql")
		r.Handle("/", graphiql)
		r.Handle("/static/*", graphiql)
	}
	if a.Config.Console {
		opts := web.ConsoleOptions{Endpoint: "/graphql", ExportBase: "/export"}
		if !a.Config.Production() && len(authCfg.Secret) > 0 {
			opts.DemoTokens, opts.DefaultRole = a.demoTokens(authCfg), string(domain.RoleAnalyst)
		}
		console := web.Console(opts)
		r.Handle("/console", console)
		r.Handle("/console/", console)
		r.Handle("/console/static/*", console)
	}
	if !a.Tracing.On {
		return r
	}
	// The trace of a request starts outside everything else, so that its
	// log lines carry its trace id; health checks are not traced.
	return otelhttp.NewHandler(r, "grappe", otelhttp.WithTracerProvider(a.Tracing), otelhttp.WithPropagators(telemetry.Propagator),
		otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string { return r.Method + " " + r.URL.Path }),
		otelhttp.WithFilter(func(r *http.Request) bool { return r.URL.Path != "/healthz" && r.URL.Path != "/readyz" }))
}

// demoTokenTTL is how long the console's demo tokens are valid.
const demoTokenTTL = 12 * time.Hour

// demoTokens mints, at each render of the console page in development, a
// token for each demo role: the MEMBER one names the member with the most
// confirmed partners in the current network graph (none without links).
func (a *App) demoTokens(ac auth.Config) func() (map[string]string, error) {
	return func() (map[string]string, error) {
		now := time.Now()
		tokens := map[string]string{}
		issue := func(role domain.Role, member string) error {
			tok, err := auth.Issue(ac, role, member, demoTokenTTL, now)
			tokens[string(role)] = tok
			return err
		}
		for _, role := range []domain.Role{domain.RoleAnalyst, domain.RoleStaff, domain.RolePublic} {
			if err := issue(role, ""); err != nil {
				return nil, err
			}
		}
		if id, ok := mostPartners(a.network.Snapshot()); ok {
			if err := issue(domain.RoleMember, globalid.Encode(globalid.TypeMember, id)); err != nil {
				return nil, err
			}
		}
		return tokens, nil
	}
}

// mostPartners returns the member of the graph with the most partners, the
// lowest id among equals; false when the graph has no edge.
func mostPartners(snap *network.Snapshot) (int64, bool) {
	if snap == nil {
		return 0, false
	}
	degree := make(map[int64]int, snap.NodeCount())
	for a, b := range snap.Edges() {
		degree[a]++
		degree[b]++
	}
	var best int64
	for id, d := range degree {
		if d > degree[best] || (d == degree[best] && id < best) {
			best = id
		}
	}
	return best, best != 0
}

// loadDocuments loads the trusted documents, each validated against the
// schema: one that is not valid fails the start.
func loadDocuments(cfg Config, log *slog.Logger) (*documents.Set, error) {
	docs, err := documents.Load(cfg.DocumentsDir, graph.Schema())
	if err != nil {
		return nil, fmt.Errorf("trusted documents: %w", err)
	}
	switch {
	case cfg.TrustedDocuments && docs.Len() == 0:
		log.Warn("trusted documents only, but none is registered: PUBLIC and MEMBER callers can send nothing", "dir", cfg.DocumentsDir)
	case docs.Len() > 0:
		log.Info("trusted documents loaded", "documents", docs.Len(), "dir", cfg.DocumentsDir, "allowlist", cfg.TrustedDocuments)
	}
	if cfg.Console {
		// The console's own documents, so that it works in allowlist mode.
		own, err := documents.FromManifest("the console's documents.json", web.ConsoleDocuments(), graph.Schema())
		if err != nil {
			return nil, fmt.Errorf("console: %w", err)
		}
		docs = docs.Union(own)
	}
	return docs, nil
}

// readyz answers 200 once the server is started, the analytics graph is
// built, the database answers and every migration is applied; 503
// otherwise, for instance while the database is down or restarting, and
// 200 again by itself once it is back.
func (a *App) readyz(w http.ResponseWriter, r *http.Request) {
	if !a.ready.Load() || a.network.Snapshot() == nil {
		http.Error(w, "starting", http.StatusServiceUnavailable)
		return
	}
	if a.store.pg != nil && !a.store.pg.Running() {
		a.dbWatch.suspect()
		http.Error(w, "database restarting", http.StatusServiceUnavailable)
		return
	}
	if msg := a.dbCheck.check(r.Context(), a.probe); msg != "" {
		if msg == msgDBUnreachable {
			a.dbWatch.suspect()
		}
		http.Error(w, msg, http.StatusServiceUnavailable)
		return
	}
	_, _ = io.WriteString(w, "ready\n")
}

const (
	// backgroundConns is the size of the pool for the server's own work.
	backgroundConns = 4
	// readyCheckTimeout bounds the readiness check of the database, and
	// readyCheckEvery is how long its answer is reused: probes every
	// second or so cost one ping.
	readyCheckTimeout = time.Second
	readyCheckEvery   = time.Second
)

// msgDBUnreachable is /readyz's answer when the database does not answer.
const msgDBUnreachable = "database unreachable"

// dbCheck is the readiness check of the database, cached briefly.
type dbCheck struct {
	mu      sync.Mutex
	checked time.Time
	msg     string // "" when ready
}

// check returns why the database is not ready, or "".
func (c *dbCheck) check(ctx context.Context, db *postgres.DB) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if time.Since(c.checked) < readyCheckEvery {
		return c.msg
	}
	ctx, cancel := context.WithTimeout(ctx, readyCheckTimeout)
	defer cancel()
	c.msg = ""
	if err := db.Ping(ctx); err != nil {
		c.msg = msgDBUnreachable
	} else if n, err := db.PendingMigrations(ctx); err != nil || n > 0 {
		c.msg = "migrations pending"
	}
	c.checked = time.Now()
	return c.msg
}

// requestTimeout gives each request a deadline d from its start (none if d
// is 0): the database work it does is cancelled past it. Subscriptions
// have none.
func requestTimeout(d time.Duration) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch {
			case streaming(r):
				// A subscription lasts as long as its client wants: no
				// request timeout, and none of the server's deadlines.
				rc := http.NewResponseController(w)
				_ = rc.SetReadDeadline(time.Time{})
				_ = rc.SetWriteDeadline(time.Time{})
				next.ServeHTTP(w, r)
			case d <= 0:
				next.ServeHTTP(w, r)
			default:
				ctx, cancel := context.WithTimeout(r.Context(), d)
				defer cancel()
				next.ServeHTTP(w, r.WithContext(ctx))
			}
		})
	}
}

// streaming reports whether r opens a subscription: a WebSocket upgrade, or
// a POST asking for Server-Sent Events.
func streaming(r *http.Request) bool {
	return r.Header.Get("Upgrade") != "" || strings.Contains(r.Header.Get("Accept"), "text/event-stream")
}

// statementCount adds the number of SQL statements the request ran as the
// X-Statement-Count header (GRAPPE_DEBUG_STATEMENT_COUNT, for benchmarks),
// from the count the access log keeps (postgres.WithRequestStats). The
// header is set when the response starts: gqlgen writes it once every
// resolver is done.
func statementCount(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, stats := r.Context(), postgres.RequestStatsFrom(r.Context())
		if stats == nil {
			ctx, stats = postgres.WithRequestStats(ctx)
		}
		next.ServeHTTP(&countingWriter{ResponseWriter: w, stats: stats}, r.WithContext(ctx))
	})
}

// countingWriter sets X-Statement-Count before the response's header goes out.
type countingWriter struct {
	http.ResponseWriter
	stats   *postgres.RequestStats
	written bool
}

func (w *countingWriter) WriteHeader(code int) {
	if !w.written {
		w.written = true
		w.Header().Set("X-Statement-Count", strconv.FormatInt(w.stats.Statements.Load(), 10))
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *countingWriter) Write(b []byte) (int, error) {
	if !w.written {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// store is the open database, with the private PostgreSQL and the data
// directory lock when DATABASE_URL is unset.
type store struct {
	db   *postgres.DB
	url  string // of the database, for more pools
	pg   *pgserver.Server
	lock *pgserver.DirLock
}

// openStore connects to DATABASE_URL, or else locks the data directory and
// starts (creating on first run) a private PostgreSQL in it, supervised
// when GRAPPE_PG_RESTART is on. opts configures the pool (the group
// capacity and time zone come from cfg): bulk loads and migrations give a
// long read timeout.
func openStore(ctx context.Context, cfg Config, log *slog.Logger, opts postgres.Options) (*store, error) {
	opts.GroupCapacity, opts.Location = cfg.GroupCapacity, cfg.TimeZone
	if cfg.DatabaseURL != "" {
		db, err := postgres.Open(ctx, cfg.DatabaseURL, opts)
		if err != nil {
			return nil, err
		}
		return &store{db: db, url: cfg.DatabaseURL}, nil
	}
	s := &store{}
	var err error
	if s.lock, err = pgserver.Lock(cfg.DataDir); err != nil {
		return nil, err
	}
	s.pg, err = pgserver.Start(ctx, pgserver.Options{Dir: filepath.Join(cfg.DataDir, "postgres"), Logger: log, Supervise: cfg.PGRestart})
	if err != nil {
		return nil, errors.Join(err, s.Close())
	}
	log.Info("private PostgreSQL started", "port", s.pg.Port(), "dir", filepath.Join(cfg.DataDir, "postgres"))
	if err := createDatabase(ctx, s.pg.URL("postgres"), "grappe"); err != nil {
		return nil, errors.Join(err, s.Close())
	}
	s.url = s.pg.URL("grappe")
	if s.db, err = postgres.Open(ctx, s.url, opts); err != nil {
		return nil, errors.Join(err, s.Close())
	}
	return s, nil
}

// createDatabase creates database name on the server at url unless it exists.
func createDatabase(ctx context.Context, url, name string) error {
	admin, err := postgres.Open(ctx, url, postgres.Options{MaxOpenConns: 1})
	if err != nil {
		return err
	}
	defer admin.Close()
	return admin.EnsureDatabase(ctx, name)
}

// Close closes the database, stops the private PostgreSQL and releases
// the data directory.
func (s *store) Close() error {
	var errs []error
	if s.db != nil {
		errs = append(errs, s.db.Close())
	}
	if s.pg != nil {
		errs = append(errs, s.pg.Stop())
	}
	if s.lock != nil {
		errs = append(errs, s.lock.Unlock())
	}
	return errors.Join(errs...)
}

// authConfig builds the token configuration. In development without a
// secret, a random one is kept in the data directory (created on first
// use), so that `grappe token` and the server agree.
func authConfig(cfg Config) (auth.Config, error) {
	ac := auth.Config{
		Secret: []byte(cfg.JWTSecret), Issuer: cfg.JWTIssuer, Audience: cfg.JWTAudience,
		RoleClaim: cfg.JWTRoleClaim, MemberClaim: cfg.JWTMemberClaim, Leeway: 30 * time.Second,
	}
	if cfg.JWTPublicKey != "" {
		pemBytes, err := readPEM(cfg.JWTPublicKey)
		if err != nil {
			return ac, err
		}
		if ac.PublicKey, err = auth.ParseRSAPublicKey(pemBytes); err != nil {
			return ac, fmt.Errorf("GRAPPE_JWT_PUBLIC_KEY: %w", err)
		}
	}
	if len(ac.Secret) == 0 && ac.PublicKey == nil && !cfg.Production() {
		secret, err := developmentSecret(cfg.DataDir)
		if err != nil {
			return ac, err
		}
		ac.Secret = secret
	}
	return ac, nil
}

// developmentSecret reads, or creates, the data directory's token secret.
func developmentSecret(dataDir string) ([]byte, error) {
	path := filepath.Join(dataDir, "jwt-secret")
	if b, err := os.ReadFile(path); err == nil && len(b) >= 32 {
		return b, nil
	}
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	secret := []byte(randomHex(32))
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return os.ReadFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("create development token secret: %w", err)
	}
	defer f.Close()
	if _, err := f.Write(secret); err != nil {
		return nil, fmt.Errorf("write development token secret: %w", err)
	}
	return secret, nil
}
