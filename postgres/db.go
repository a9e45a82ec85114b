// Package postgres implements grappe's domain services on PostgreSQL through
// bun. bun models stay inside this package; converters turn them into domain
// types.
package postgres

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"github.com/uptrace/bun/extra/bunotel"
	"go.opentelemetry.io/otel/trace"
	"maps"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/driver/pgdriver"

	"grappe/domain"
)

// Options tunes the connection pool.
type Options struct {
	MaxOpenConns  int            // 0 leaves database/sql's default (unlimited)
	ConnTimeout   time.Duration  // dial timeout; 0 means 5s
	ReadTimeout   time.Duration  // longest wait for a statement's answer; 0 means 30s
	GroupCapacity int            // most participants of a working group; 0 means domain.DefaultGroupCapacity
	Location      *time.Location // the cluster's time zone for dates; nil means UTC
	// StatementTimeout is PostgreSQL's statement_timeout on every
	// connection, so the server itself cancels a statement that outlives
	// the request it serves (the driver only stops waiting for it). 0
	// leaves the server's setting (none by default): bulk loads and
	// migrations.
	StatementTimeout time.Duration
	// DashboardCache is how long a dashboard block is kept (dashcache.go);
	// 0 computes every block afresh.
	DashboardCache time.Duration
	// PoolWait bounds how long a statement whose context has a deadline
	// waits for a free connection when all MaxOpenConns are busy; it then
	// fails with UNAVAILABLE (ErrPoolBusy). 0: the wait ends only with the
	// context. A pool with a pool wait cannot run pgdriver.CopyFrom.
	PoolWait time.Duration
	// Tracer, when set, gets a span per SQL statement (bunotel), child of
	// the span of the request or job that runs it.
	Tracer trace.TracerProvider
}

// DB is grappe's PostgreSQL database.
type DB struct {
	bun *bun.DB
	// Now returns the current time; tests may replace it.
	Now func() time.Time
	// GroupCapacity is the most participants a working group holds.
	GroupCapacity int
	// Location is the cluster's time zone: "today", dashboard periods and
	// retention years are counted in it.
	Location *time.Location
	// OnNetworkChange, when set, is called after a committed write that may
	// change the network graph (a link confirmed, declined or ended, a
	// member created or lapsed). It must not block.
	OnNetworkChange func()

	stmts   *statementCache // prepared lookups (prepared.go)
	trades  tradeTree       // the taxonomy, for the member filter (tradetree.go)
	members memberIndex     // the ids of all members, for MEMBER tokens (memberindex.go)

	writes     atomic.Int64    // writes committed through this pool (writeCounter)
	dashboards *dashboardCache // nil: no dashboard cache
	poolWait   time.Duration   // Options.PoolWait

	cursorKey   atomic.Pointer[cursorSealer] // nil until first read (cursor.go)
	cursorKeyMu sync.Mutex                   // held while reading it
}

// networkChanged signals a committed change of the network graph.
func (db *DB) networkChanged() {
	if db.OnNetworkChange != nil {
		db.OnNetworkChange()
	}
}

// Open connects to the database at url and checks it answers.
func Open(ctx context.Context, url string, opts Options) (*DB, error) {
	if opts.ConnTimeout == 0 {
		opts.ConnTimeout = 5 * time.Second
	}
	if opts.ReadTimeout == 0 {
		opts.ReadTimeout = 30 * time.Second
	}
	pgc := pgdriver.NewConnector(
		pgdriver.WithDSN(url),
		pgdriver.WithDialTimeout(opts.ConnTimeout),
		pgdriver.WithReadTimeout(opts.ReadTimeout),
		pgdriver.WithWriteTimeout(opts.ReadTimeout),
		pgdriver.WithApplicationName("grappe"),
		pgdriver.WithResetSessionFunc(checkConn),
	)
	// Set on each new connection, after the DSN's own parameters.
	params := maps.Clone(pgc.Config().ConnParams)
	if params == nil {
		params = map[string]any{}
	}
	if opts.StatementTimeout > 0 {
		params["statement_timeout"] = strconv.FormatInt(opts.StatementTimeout.Milliseconds(), 10)
	}
	// Only the prepared lookups are affected (see prepared.go).
	params["plan_cache_mode"] = "force_generic_plan"
	pgdriver.WithConnParams(params)(pgc.Config())
	var connector driver.Connector = pgc
	if opts.PoolWait > 0 {
		connector = waitConnector{pgc}
	}
	sqldb := sql.OpenDB(connector)
	if opts.MaxOpenConns > 0 {
		sqldb.SetMaxOpenConns(opts.MaxOpenConns)
		sqldb.SetMaxIdleConns(opts.MaxOpenConns)
	}
	sqldb.SetConnMaxIdleTime(5 * time.Minute)
	bdb := bun.NewDB(sqldb, pgdialect.New())
	bdb.AddQueryHook(statementCounter{})
	if opts.PoolWait > 0 {
		bdb.AddQueryHook(poolWaitHook{wait: opts.PoolWait})
	}
	if opts.Tracer != nil {
		bdb.AddQueryHook(bunotel.NewQueryHook(bunotel.WithTracerProvider(opts.Tracer), bunotel.WithDBName("grappe")))
	}
	if err := bdb.PingContext(ctx); err != nil {
		_ = bdb.Close()
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	loc := opts.Location
	if loc == nil {
		loc = time.UTC
	}
	db := &DB{bun: bdb, Now: time.Now, GroupCapacity: groupCapacity(opts.GroupCapacity), Location: loc,
		stmts: newStatementCache(), poolWait: opts.PoolWait, dashboards: newDashboardCache(opts.DashboardCache)}
	bdb.AddQueryHook(writeCounter{db})
	return db, nil
}

// groupCapacity applies the default capacity.
func groupCapacity(n int) int {
	if n <= 0 {
		return domain.DefaultGroupCapacity
	}
	return n
}

// Close closes the prepared statements and the connection pool.
func (db *DB) Close() error {
	db.stmts.close()
	return db.bun.Close()
}

// Ping checks the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.bun.PingContext(ctx) }

// Bun returns the underlying bun handle, for tests and tools.
func (db *DB) Bun() *bun.DB { return db.bun }

// today returns the current date in the cluster's time zone, as midnight UTC
// (the form of every date value).
func (db *DB) today() time.Time {
	y, m, d := db.Now().In(db.Location).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

type statementCountKey struct{}

// WithStatementCounter returns a context in which every SQL statement run
// by this package increments the returned counter.
func WithStatementCounter(ctx context.Context) (context.Context, *atomic.Int64) {
	n := new(atomic.Int64)
	return context.WithValue(ctx, statementCountKey{}, n), n
}

// RequestStats is what one request did with the database, for the access
// log: the statements it ran and the statements that found no free
// connection within the pool wait (Options.PoolWait).
type RequestStats struct {
	Statements atomic.Int64
	PoolWaits  atomic.Int64
}

type requestStatsKey struct{}

// WithRequestStats returns a context in which the statements run by this
// package are counted in the returned RequestStats.
func WithRequestStats(ctx context.Context) (context.Context, *RequestStats) {
	s := new(RequestStats)
	return context.WithValue(ctx, requestStatsKey{}, s), s
}

// RequestStatsFrom returns the RequestStats of ctx, or nil.
func RequestStatsFrom(ctx context.Context) *RequestStats {
	s, _ := ctx.Value(requestStatsKey{}).(*RequestStats)
	return s
}

type statementObserverKey struct{}

// A StatementObserver sees each statement run for a context: its text and,
// for a prepared statement, its parameters (nil for bun's statements, whose
// values are in the text). Benchmarks record the SQL of a request with it.
type StatementObserver func(query string, args []any)

// WithStatementObserver returns a context in which every SQL statement run
// by this package is passed to observe first.
func WithStatementObserver(ctx context.Context, observe StatementObserver) context.Context {
	return context.WithValue(ctx, statementObserverKey{}, observe)
}

// statementCounter is a bun query hook counting statements per context
// (and showing them to its observer).
type statementCounter struct{}

func (statementCounter) BeforeQuery(ctx context.Context, e *bun.QueryEvent) context.Context {
	countStatement(ctx, e.Query, nil)
	return ctx
}

func (statementCounter) AfterQuery(context.Context, *bun.QueryEvent) {}

// countStatement counts a statement in the counter of ctx, if any, and
// shows it to the observer of ctx, if any.
func countStatement(ctx context.Context, query string, args []any) {
	if n, ok := ctx.Value(statementCountKey{}).(*atomic.Int64); ok {
		n.Add(1)
	}
	if s := RequestStatsFrom(ctx); s != nil {
		s.Statements.Add(1)
	}
	if observe, ok := ctx.Value(statementObserverKey{}).(StatementObserver); ok {
		observe(query, args)
	}
}

// writeCounter is a bun query hook counting the writes made through the
// pool: each commit, and each data-changing statement (those outside a
// transaction commit by themselves). Kept dashboard blocks computed before
// a write are not served after it.
type writeCounter struct{ db *DB }

func (writeCounter) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context { return ctx }

func (w writeCounter) AfterQuery(_ context.Context, e *bun.QueryEvent) {
	verb := strings.TrimSpace(e.Query)
	if i := strings.IndexFunc(verb, unicode.IsSpace); i > 0 {
		verb = verb[:i]
	}
	switch strings.ToUpper(verb) {
	case "COMMIT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "MERGE", "COPY":
		w.db.writes.Add(1)
	}
}

// beforeStatement does for a statement run outside bun (a prepared one)
// what the query hooks do for bun's: count it and bound its pool wait.
func (db *DB) beforeStatement(ctx context.Context, query string, args []any) context.Context {
	countStatement(ctx, query, args)
	if db.poolWait > 0 {
		ctx = poolWaitHook{wait: db.poolWait}.BeforeQuery(ctx, nil)
	}
	return ctx
}

// New wraps an open database handle, for tools and tests that manage the
// connection themselves.
func New(sqldb *sql.DB) *DB {
	bdb := bun.NewDB(sqldb, pgdialect.New())
	bdb.AddQueryHook(statementCounter{})
	db := &DB{bun: bdb, Now: time.Now, GroupCapacity: domain.DefaultGroupCapacity, Location: time.UTC,
		stmts: newStatementCache()}
	bdb.AddQueryHook(writeCounter{db})
	return db
}

// EnsureDatabase creates database name unless it exists.
func (db *DB) EnsureDatabase(ctx context.Context, name string) error {
	var exists bool
	if err := db.bun.NewRaw("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = ?)", name).Scan(ctx, &exists); err != nil {
		return fmt.Errorf("look for database %s: %w", name, err)
	}
	if exists {
		return nil
	}
	if _, err := db.bun.ExecContext(ctx, "CREATE DATABASE ?", bun.Ident(name)); err != nil {
		return fmt.Errorf("create database %s: %w", name, err)
	}
	return nil
}
