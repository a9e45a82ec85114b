// Package wiring connects the GraphQL adapter to the PostgreSQL services
// and the network graph: the one place that builds the API's parts, shared
// by the server, its tests and the load benchmark.
package wiring

import (
	"context"
	"log/slog"
	"net/http"

	"grappe/graph"
	"grappe/network"
	"grappe/postgres"
)

// GraphQL returns the GraphQL endpoint over db's services and the network
// graph g (nil where no request reads the graph): the executor with opts
// behind the per-request loaders. Authentication and the HTTP protections
// are the caller's.
func GraphQL(db *postgres.DB, g network.Source, opts graph.HandlerOptions) http.Handler {
	r := Resolver(db, g)
	return r.Middleware(graph.NewHandler(r, opts))
}

// Network builds the network graph from reads, before returning, and
// rebuilds it in the background after every write made through writes
// (the pool requests write through; it may be reads), until ctx ends.
func Network(ctx context.Context, reads, writes *postgres.DB, log *slog.Logger) (*network.Store, error) {
	store := NewNetwork(reads, writes, log)
	if err := store.Start(ctx); err != nil {
		return nil, err
	}
	return store, nil
}

// NewNetwork returns the network graph of reads, to be started, told of
// every write made through writes: the changes the database announces can
// reach it before it starts.
func NewNetwork(reads, writes *postgres.DB, log *slog.Logger) *network.Store {
	store := network.NewStore(reads.NetworkGraph, log)
	writes.OnNetworkChange = func() { store.Invalidate() }
	return store
}

// Resolver builds the GraphQL resolver over the database's services and the
// network graph g (nil where no request reads the graph).
func Resolver(db *postgres.DB, g network.Source) *graph.Resolver {
	return &graph.Resolver{
		Analytics:     network.Analytics{Source: g, Recommender: db.Recommendations()},
		SmallWorlds:   db,
		Members:       db.Members(),
		MemberDetails: db.MemberDetails(),
		Trades:        db.Trades(),
		TradeWrites:   db.TradeWrites(),
		Links:         db.Links(),
		Groups:        db.Groups(),
		Trainings:     db.Trainings(),
		Dashboards:    db.Dashboards(),
		Audit:         db.Audit(),
		Touchpoints:   db.Touchpoints(),
		TradeShows:    db.TradeShows(),
		Purchasing:    db.Purchasing(),
	}
}
