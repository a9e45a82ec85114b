// Package wiring connects the GraphQL adapter to the PostgreSQL services:
// the one place that lists which service serves which part of the schema,
// shared by the server, its tests and the load benchmark.
package wiring

import (
	"grappe/graph"
	"grappe/network"
	"grappe/postgres"
)

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
		Dashboards:    db.Dashboards(),
		Audit:         db.Audit(),
	}
}
