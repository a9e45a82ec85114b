// Package wiring connects the GraphQL adapter to the PostgreSQL services:
// the one place that lists which service serves which part of the schema,
// shared by the server, its tests and the load benchmark.
package wiring

import (
	"grappe/graph"
	"grappe/postgres"
)

// Resolver builds the GraphQL resolver over the database's services and the
// network graph g (nil where no request reads the graph).
func Resolver(db *postgres.DB, g graph.NetworkGraph) *graph.Resolver {
	return &graph.Resolver{
		Graph:         g,
		SmallWorlds:   db,
		Members:       db.Members(),
		MemberDetails: db.MemberDetails(),
		Trades:        db.Trades(),
		TradeWrites:   db.TradeWrites(),
		Links:         db.Links(),
		Groups:        db.Groups(),
		Recommender:   db.Recommendations(),
		Dashboards:    db.Dashboards(),
		Audit:         db.Audit(),
	}
}
