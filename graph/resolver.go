// Package graph is grappe's GraphQL adapter: thin resolvers that read
// arguments, call the domain services and map the results.
package graph

import (
	"sync"

	"grappe/domain"
)

// Resolver is the root resolver; it holds the domain services.
type Resolver struct {
	Members       domain.MemberService
	MemberDetails domain.MemberDetailService
	Trades        domain.TradeService
	TradeWrites   domain.TradeWriteService
	Links         domain.LinkService
	Groups        domain.GroupService
	Trainings     domain.TrainingService
	Analytics     domain.NetworkService
	SmallWorlds   SmallWorldSource
	Dashboards    domain.DashboardService
	Audit         domain.AuditService
	Touchpoints   domain.TouchpointService
	TradeShows    domain.TradeShowService
	Purchasing    domain.PurchasingService
	// Events feeds the subscriptions (nil: subscriptions are refused).
	Events *Events

	relsOnce  sync.Once
	relations *relations
}
