// Package metrics exposes grappe's metrics in the Prometheus format: the
// requests the access log records, the database pools, the network graph's
// snapshots, the subscriptions, and the Go runtime and process. Every
// family is named grappe_*.
//
// Recording a request costs a map lookup under a read lock and the
// observations themselves: the gauges of the pools, the graph and the
// subscriptions are read only when /metrics is scraped.
package metrics

import (
	"database/sql"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Prefix starts the name of every family.
const Prefix = "grappe_"

// MaxOperations is how many operation names outside the trusted documents
// get a label value of their own; later ones fold into Other.
const MaxOperations = 200

// Other is the label value of the operation names folded together, and
// Anonymous the one of an operation without a name.
const (
	Other     = "other"
	Anonymous = "anonymous"
)

// Metrics is the registry of grappe's metrics. A nil *Metrics records
// nothing, so that code running without metrics need not check.
type Metrics struct {
	reg *prometheus.Registry
	ops operations

	requests    *prometheus.CounterVec
	duration    *prometheus.HistogramVec
	statements  *prometheus.HistogramVec
	refused     *prometheus.CounterVec
	rateLimited *prometheus.CounterVec
	rebuild     prometheus.Histogram
	measure     prometheus.Histogram
	lag         prometheus.Histogram
}

// New returns the metrics of a server, with the Go runtime and process
// collectors registered. trusted are the operation names of the trusted
// documents: each always has a label value of its own.
func New(trusted []string) *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry(), ops: newOperations(trusted)}
	prefixed := prometheus.WrapRegistererWithPrefix(Prefix, m.reg)
	prefixed.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))

	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: Prefix + "requests_total",
		Help: "GraphQL requests answered, by operation name, operation type, outcome and first error code (\"\" without errors).",
	}, []string{"operation", "type", "outcome", "code"})
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    Prefix + "request_duration_seconds",
		Help:    "Time to answer a GraphQL request, by operation name and type.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
	}, []string{"operation", "type"})
	m.statements = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    Prefix + "request_sql_statements",
		Help:    "SQL statements run by a GraphQL request, by operation name and type.",
		Buckets: []float64{0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 100},
	}, []string{"operation", "type"})
	m.refused = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: Prefix + "refused_requests_total",
		Help: "GraphQL requests answered with errors of the client's making, once per distinct error code (RATE_LIMITED, FORBIDDEN, BAD_USER_INPUT…).",
	}, []string{"code"})
	m.rateLimited = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: Prefix + "rate_limited_requests_total",
		Help: "Requests refused by the rate limit (429), by path (graphql, export).",
	}, []string{"path"})
	m.rebuild = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    Prefix + "network_rebuild_duration_seconds",
		Help:    "Time to load and build a snapshot of the network graph.",
		Buckets: prometheus.ExponentialBuckets(.001, 4, 10),
	})
	m.measure = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    Prefix + "network_measure_duration_seconds",
		Help:    "Time to compute the measures of a snapshot of the network graph.",
		Buckets: prometheus.ExponentialBuckets(.001, 4, 10),
	})
	m.lag = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    Prefix + "network_commit_lag_seconds",
		Help:    "Time from an announced change's statement (the database's clock) to the first snapshot of the network graph holding it.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60},
	})
	m.reg.MustRegister(m.requests, m.duration, m.statements, m.refused, m.rateLimited, m.rebuild, m.measure, m.lag)
	// Shown at 0 before the first: a rate that stays 0 is a rate.
	m.rateLimited.WithLabelValues("graphql")
	m.rateLimited.WithLabelValues("export")
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// Request is what the access log knows of an answered GraphQL request.
type Request struct {
	Operation  string   // the operation's name, "" when anonymous or not parsed
	Type       string   // query, mutation, subscription; "" when not parsed
	Outcome    string   // ok, refused, timeout…: see the access log
	Codes      []string // the distinct error codes of the response
	Duration   time.Duration
	Statements int64
}

// ObserveRequest records an answered GraphQL request.
func (m *Metrics) ObserveRequest(r Request) {
	if m == nil {
		return
	}
	op := m.ops.label(r.Operation)
	code := ""
	if len(r.Codes) > 0 {
		code = r.Codes[0]
	}
	m.requests.WithLabelValues(op, r.Type, r.Outcome, code).Inc()
	m.duration.WithLabelValues(op, r.Type).Observe(r.Duration.Seconds())
	m.statements.WithLabelValues(op, r.Type).Observe(float64(r.Statements))
	if r.Outcome == "refused" {
		for _, c := range r.Codes {
			m.refused.WithLabelValues(c).Inc()
		}
	}
}

// RateLimited records a request refused by the rate limit on path.
func (m *Metrics) RateLimited(path string) {
	if m == nil {
		return
	}
	m.rateLimited.WithLabelValues(path).Inc()
}

// ObserveRebuild records the time a snapshot of the network graph took to build.
func (m *Metrics) ObserveRebuild(d time.Duration) {
	if m != nil {
		m.rebuild.Observe(d.Seconds())
	}
}

// ObserveMeasure records the time the measures of a snapshot took.
func (m *Metrics) ObserveMeasure(d time.Duration) {
	if m != nil {
		m.measure.Observe(d.Seconds())
	}
}

// ObserveLag records a commit-to-snapshot lag.
func (m *Metrics) ObserveLag(d time.Duration) {
	if m != nil {
		m.lag.Observe(d.Seconds())
	}
}

// Pools reports the database pools, by name (requests, background, probe),
// read from their Stats when scraped.
func (m *Metrics) Pools(pools map[string]func() sql.DBStats) {
	m.reg.MustRegister(&poolCollector{pools: pools})
}

// Network is what the network graph tells when scraped.
type Network struct {
	// Snapshot returns the current snapshot's version and build time
	// (ok false before the first).
	Snapshot func() (version uint64, asOf time.Time, ok bool)
	// Rebuilds returns the number of snapshots built.
	Rebuilds func() uint64
}

// WatchNetwork reports the network graph's snapshot.
func (m *Metrics) WatchNetwork(n Network) {
	version := func() float64 {
		v, _, _ := n.Snapshot()
		return float64(v)
	}
	age := func() float64 {
		_, at, ok := n.Snapshot()
		if !ok {
			return 0
		}
		return time.Since(at).Seconds()
	}
	m.reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: Prefix + "network_snapshot_version",
			Help: "Version of the current snapshot of the network graph (the changes it reflects)."}, version),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: Prefix + "network_snapshot_age_seconds",
			Help: "Time since the current snapshot of the network graph was built."}, age),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: Prefix + "network_rebuilds_total",
			Help: "Snapshots of the network graph built."}, func() float64 { return float64(n.Rebuilds()) }),
	)
}

// Subscriptions is what the subscriptions tell when scraped.
type Subscriptions struct {
	Active      func() int    // subscriptions served
	Connections func() int    // WebSocket and SSE connections open
	Events      func() uint64 // events sent to subscribers
	Dropped     func() uint64 // subscriptions ended for falling behind
}

// WatchSubscriptions reports the subscriptions.
func (m *Metrics) WatchSubscriptions(s Subscriptions) {
	m.reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: Prefix + "subscriptions",
			Help: "Subscriptions this server serves."}, func() float64 { return float64(s.Active()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: Prefix + "subscription_connections",
			Help: "Subscription connections open (WebSocket and SSE)."}, func() float64 { return float64(s.Connections()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: Prefix + "subscription_events_total",
			Help: "Events sent to subscribers."}, func() float64 { return float64(s.Events()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: Prefix + "subscriptions_dropped_total",
			Help: "Subscriptions ended because their client fell behind."}, func() float64 { return float64(s.Dropped()) }),
	)
}

// operations bounds the operation label: the trusted documents' names,
// and the first MaxOperations others seen; the rest is Other.
type operations struct {
	mu    sync.RWMutex
	known map[string]bool
	seen  int // names outside the trusted ones
}

func newOperations(trusted []string) operations {
	known := make(map[string]bool, len(trusted))
	for _, n := range trusted {
		known[n] = true
	}
	return operations{known: known}
}

// label returns the label value of operation name.
func (o *operations) label(name string) string {
	if name == "" {
		return Anonymous
	}
	o.mu.RLock()
	ok := o.known[name]
	o.mu.RUnlock()
	if ok {
		return name
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	switch {
	case o.known[name]:
		return name
	case o.seen >= MaxOperations:
		return Other
	}
	o.seen++
	o.known[name] = true
	return name
}

// poolCollector reads the pools' statistics at each scrape.
type poolCollector struct {
	pools map[string]func() sql.DBStats
}

var (
	poolOpen = prometheus.NewDesc(Prefix+"db_pool_connections",
		"Connections of a database pool, by state (in_use, idle).", []string{"pool", "state"}, nil)
	poolMax = prometheus.NewDesc(Prefix+"db_pool_max_connections",
		"Most connections a database pool opens.", []string{"pool"}, nil)
	poolWaits = prometheus.NewDesc(Prefix+"db_pool_waits_total",
		"Times a statement waited for a connection of a database pool.", []string{"pool"}, nil)
	poolWaitTime = prometheus.NewDesc(Prefix+"db_pool_wait_seconds_total",
		"Total time statements waited for a connection of a database pool.", []string{"pool"}, nil)
)

func (c *poolCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- poolOpen
	ch <- poolMax
	ch <- poolWaits
	ch <- poolWaitTime
}

func (c *poolCollector) Collect(ch chan<- prometheus.Metric) {
	for name, stats := range c.pools {
		s := stats()
		ch <- prometheus.MustNewConstMetric(poolOpen, prometheus.GaugeValue, float64(s.InUse), name, "in_use")
		ch <- prometheus.MustNewConstMetric(poolOpen, prometheus.GaugeValue, float64(s.Idle), name, "idle")
		ch <- prometheus.MustNewConstMetric(poolMax, prometheus.GaugeValue, float64(s.MaxOpenConnections), name)
		ch <- prometheus.MustNewConstMetric(poolWaits, prometheus.CounterValue, float64(s.WaitCount), name)
		ch <- prometheus.MustNewConstMetric(poolWaitTime, prometheus.CounterValue, s.WaitDuration.Seconds(), name)
	}
}
