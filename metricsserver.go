package main

import (
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"grappe/metrics"
	"grappe/postgres"
)

// listenMetrics binds GRAPPE_METRICS_ADDR, if set: like the API's port,
// before anything else is started.
func (a *App) listenMetrics() error {
	if a.Config.MetricsAddr == "" {
		return nil
	}
	l, err := net.Listen("tcp", a.Config.MetricsAddr)
	if err != nil {
		return fmt.Errorf("GRAPPE_METRICS_ADDR: listen on %s: %w", a.Config.MetricsAddr, err)
	}
	a.metricsListener = l
	return nil
}

// serveMetrics registers what is read at each scrape (the pools, the
// network graph, the subscriptions) and serves /metrics on the metrics
// address.
func (a *App) serveMetrics() {
	stats := func(db *postgres.DB) func() sql.DBStats { return func() sql.DBStats { return db.Bun().Stats() } }
	a.metrics.Pools(map[string]func() sql.DBStats{
		"requests": stats(a.requests), "background": stats(a.store.db), "probe": stats(a.probe),
	})
	a.metrics.WatchNetwork(metrics.Network{
		Snapshot: func() (uint64, time.Time, bool) {
			snap := a.network.Snapshot()
			if snap == nil {
				return 0, time.Time{}, false
			}
			return snap.Version, snap.AsOf, true
		},
		Rebuilds: a.network.Rebuilds,
	})
	a.metrics.WatchSubscriptions(metrics.Subscriptions{
		Active: a.events.Subscriptions, Connections: a.streams.Len,
		Events: a.events.Sent, Dropped: a.events.Dropped,
	})
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", a.metrics.Handler())
	a.metricsServer = &http.Server{
		Handler: mux, ReadHeaderTimeout: 5 * time.Second, WriteTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute,
	}
	go func() {
		if err := a.metricsServer.Serve(a.metricsListener); !errors.Is(err, http.ErrServerClosed) {
			a.serveErr <- fmt.Errorf("metrics: %w", err)
		}
	}()
	a.Log.Info("metrics served", "url", a.MetricsURL())
}

// MetricsURL returns the URL of /metrics, "" without metrics.
func (a *App) MetricsURL() string {
	if a.metricsListener == nil {
		return ""
	}
	return "http://" + a.metricsListener.Addr().String() + "/metrics"
}
