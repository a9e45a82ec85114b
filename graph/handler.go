package graph

import (
	"context"
	"errors"
	"fmt"
	"go.opentelemetry.io/otel/trace"
	"log/slog"
	"runtime/debug"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"grappe/documents"
	"grappe/domain"
	"grappe/graph/generated"
	"grappe/graph/model"
)

// HandlerOptions configures the GraphQL handler.
type HandlerOptions struct {
	// Introspection enables schema introspection (off in production).
	Introspection bool
	// QueryCacheSize is the number of parsed documents kept (LRU).
	QueryCacheSize int
	// APQCacheSize is the number of automatic persisted queries kept (LRU).
	APQCacheSize int
	// Limits bound each operation (depth, aliases, root fields, complexity,
	// parser tokens).
	Limits Limits
	// MaxBodyBytes bounds a POST body (0: no limit).
	MaxBodyBytes int64
	// DisableSuggestions keeps validation errors from suggesting names
	// ("Did you mean …?"), as in production.
	DisableSuggestions bool
	// Documents are the trusted documents, served by id to anyone.
	Documents *documents.Set
	// TrustedOnly is the allowlist mode: PUBLIC and MEMBER callers may
	// send only the ids of Documents.
	TrustedOnly bool
	// Logger receives unexpected errors and panics; slog's default logger
	// when nil.
	Logger *slog.Logger
	// MapError, when set, turns failures of the layers below (a timeout,
	// the database unreachable) into application errors before they are
	// presented; it returns other errors unchanged.
	MapError func(error) error
	// Tracer, when set, gets a span per GraphQL response (operationSpans).
	Tracer trace.TracerProvider
	// Subscriptions, when set, serves the Subscription type over
	// WebSocket and Server-Sent Events; without, subscriptions are refused.
	Subscriptions *SubscriptionOptions
}

// NewHandler returns the GraphQL HTTP handler: OPTIONS and the
// GraphQL-over-HTTP GET and POST transport, a parsed-query cache, trusted
// documents, APQ, the operation limits, and the error presenter that turns
// every error into a coded one.
func NewHandler(r *Resolver, opts HandlerOptions) *handler.Server {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	cfg := generated.Config{Resolvers: r}
	cfg.Directives.Withheld = withheld
	setComplexity(&cfg.Complexity)

	srv := handler.New(generated.NewExecutableSchema(cfg))
	srv.AddTransport(transport.Options{})
	if opts.Subscriptions != nil {
		r.Events = opts.Subscriptions.Events
		addSubscriptionTransports(srv, *opts.Subscriptions, opts.Logger)
		srv.AroundResponses(r.freshLoadersPerEvent)
	}
	srv.AddTransport(httpTransport{maxBodyBytes: opts.MaxBodyBytes})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](opts.QueryCacheSize))
	srv.SetParserTokenLimit(opts.Limits.Tokens)
	if opts.DisableSuggestions {
		srv.SetDisableSuggestion(true)
		srv.SetValidationRulesFn(rulesWithoutSuggestions)
	}
	srv.Use(trustedDocuments{docs: opts.Documents, allowlist: opts.TrustedOnly})
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](opts.APQCacheSize)})
	if opts.Introspection {
		srv.Use(extension.Introspection{})
	} else {
		srv.Use(noIntrospection{})
	}
	srv.Use(&limitsExtension{limits: opts.Limits})
	srv.Use(AuditTrail{})
	srv.AroundFields(lookAhead)
	if opts.Tracer != nil {
		srv.Use(operationSpans{tracer: opts.Tracer.Tracer("grappe/graph")})
	}
	srv.SetErrorPresenter(errorPresenter(opts.Logger, opts.MapError))
	srv.SetRecoverFunc(recoverFunc(opts.Logger))
	return srv
}

// withheld implements @withheld: a field that storage withheld from the
// viewer when it read the object (its domain.Redaction says so) resolves
// to null with that FORBIDDEN error, without running its resolver.
func withheld(ctx context.Context, obj any, next graphql.Resolver) (any, error) {
	if r, ok := obj.(interface{ Withheld(field string) error }); ok {
		if err := r.Withheld(graphql.GetFieldContext(ctx).Field.Name); err != nil {
			return nil, err
		}
	}
	return next(ctx)
}

// callListCost is the call list's own cost on top of its page: it
// computes the engagement of every ACTIVE member, as a dashboard block does.
const callListCost = 1000

// setComplexity makes list fields cost their page size times their children.
func setComplexity(c *generated.ComplexityRoot) {
	c.Query.Members = func(child int, first *int, _ *string, last *int, _ *string, _ *model.MemberFilter, _ *model.MemberOrder) int {
		return pageCost(first, last, child)
	}
	c.Query.Nodes = func(child int, ids []string) int { return 1 + len(ids)*child }
	c.Query.BusinessLinks = func(child int, first *int, _ *string, _ *model.BusinessLinkFilter) int {
		return pageCost(first, nil, child)
	}
	c.Query.Questions = func(child int, first *int, _ *string, _ *model.QuestionFilter) int {
		return pageCost(first, nil, child)
	}
	c.Query.Groups = func(child int, first *int, _ *string, _ *model.GroupFilter) int {
		return pageCost(first, nil, child)
	}
	c.Query.ActionPlans = func(child int, first *int, _ *string) int { return pageCost(first, nil, child) }
	c.Member.BusinessLinks = func(child int, first *int, _ *string, _ *domain.LinkDirection, _ []domain.LinkKind, _ []domain.LinkStatus) int {
		return pageCost(first, nil, child)
	}
	c.Member.Partners = func(child int, first *int, _ *string) int { return pageCost(first, nil, child) }
	c.Member.Groups = func(child int, first *int, _ *string) int { return pageCost(first, nil, child) }
	c.Member.Touchpoints = func(child int, first *int, _ *string) int { return pageCost(first, nil, child) }
	c.Query.CallList = func(child int, first *int, _ *string) int { return callListCost + pageCost(first, nil, child) }
	c.Trade.Members = func(child int, first *int, _ *string) int { return pageCost(first, nil, child) }
	c.Viewer.PendingConfirmations = func(child int, first *int, _ *string) int { return pageCost(first, nil, child) }
	c.Viewer.UpcomingMeetings = func(child int, first *int) int { return pageCost(first, nil, child) }
	c.WorkingGroup.Meetings = func(child int, first *int, _ *string) int { return pageCost(first, nil, child) }
	c.Query.Trainings = func(child int, first *int, _ *string, _ *model.TrainingFilter) int {
		return pageCost(first, nil, child)
	}
	c.Training.Registrations = func(child int, first *int, _ *string) int { return pageCost(first, nil, child) }
	c.Query.TradeShows = func(child int, first *int, _ *string) int { return pageCost(first, nil, child) }
	c.TradeShow.Exhibitors = func(child int, first *int, _ *string) int { return pageCost(first, nil, child) }
	c.TradeShow.Leads = func(child int, first *int, _ *string) int { return pageCost(first, nil, child) }
	setAnalyticsComplexity(c)
	setDashboardComplexity(c)
	setAuditComplexity(c)
	setPurchasingComplexity(c)
}

// Costs of the network graph fields. They read the in-memory graph, not the
// database, but their results can be large and their measures are costly
// to compute the first time: asking them for a page of members at once is
// refused by the default limit (members(first: 100) { centrality } costs
// over 25,000).
const (
	centralityCost  = 250  // fixed, on top of its fields
	pathCost        = 50   // times the cost of the path's fields
	networkCost     = 1000 // fixed, on top of its fields
	memberListCost  = 100  // estimated size of a list of members of the network
	communitiesCost = 20   // estimated number of communities
	recommendCost   = 250  // fixed, on top of first times its fields
	graphCost       = 5000 // Network.graph: fixed whatever the network's size
)

// setAnalyticsComplexity prices the network graph fields.
func setAnalyticsComplexity(c *generated.ComplexityRoot) {
	c.Member.Centrality = func(child int) int { return centralityCost + child }
	c.Member.Neighborhood = func(child int, _ *int, maxNodes *int) int {
		n := max(1, min(intOr(maxNodes, domain.DefaultNeighborhoodSize), domain.MaxNeighborhoodSize))
		return 10 + n*child
	}
	c.Query.Path = func(child int, _, _ string, _ *int) int { return 1 + pathCost*child }
	c.Query.Network = func(child int) int { return networkCost + child }
	c.Network.Communities = func(child int) int { return 1 + communitiesCost*child }
	c.Network.Brokers = func(child int, first *int) int { return 1 + rankedCount(first)*child }
	c.Network.Central = func(child int, _ model.CentralityMeasure, first *int) int {
		return 1 + rankedCount(first)*child
	}
	c.Network.ArticulationMembers = func(child int) int { return 1 + memberListCost*child }
	c.Network.IsolatedMembers = func(child int) int { return 1 + memberListCost*child }
	c.Community.Members = func(child int) int { return 1 + memberListCost*child }
	// The whole graph costs the same at any size: the console's query
	// (graph/statements_test.go) stays well within the default limit, but
	// its members' selection counts as a list of members, so that asking
	// every node's connections or centrality is refused.
	c.Network.Graph = func(child int) int { return graphCost + child }
	c.NetworkNode.Member = func(child int) int { return 1 + memberListCost*child }
	// members(first: 100) { recommendedPartners { score } } costs over
	// 26,000: refused by the default limit.
	c.Member.RecommendedPartners = func(child int, first *int) int {
		n := max(1, min(intOr(first, domain.DefaultRecommendations), domain.MaxRecommendations))
		return recommendCost + n*child
	}
}

// rankedCount is the number of members a ranking returns.
func rankedCount(first *int) int {
	return max(1, min(intOr(first, domain.DefaultRanked), domain.MaxRanked))
}

// pageCost estimates a connection: the page size times the cost of an item.
func pageCost(first, last *int, child int) int {
	n := domain.DefaultPageSize
	if first != nil {
		n = *first
	} else if last != nil {
		n = *last
	}
	n = max(1, min(n, domain.MaxPageSize))
	return 1 + n*child
}

// CodeCancelled is the code of the errors of a request whose client went
// away before the answer: nobody reads them, but they are not INTERNAL.
const CodeCancelled = "CANCELLED"

// errorPresenter shows application errors with their code (and field), keeps
// GraphQL's own parse and validation errors, and turns anything else into
// "internal error", logged with the request id. A failure caused by the
// client going away (its request's context cancelled) is CANCELLED and not
// logged as a failure of the server: the access log tells of it.
func errorPresenter(log *slog.Logger, mapError func(error) error) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		if mapError != nil {
			err = mapError(err)
		}
		if clientGone(ctx, err) {
			log.DebugContext(ctx, "request abandoned by its client", "path", gqlErr.Path.String(),
				"request_id", middleware.GetReqID(ctx))
			gqlErr.Message = "the request was cancelled: the client went away"
			gqlErr.Extensions = map[string]any{"code": CodeCancelled}
			return gqlErr
		}
		var appErr *domain.Error
		if errors.As(err, &appErr) {
			gqlErr.Message = appErr.Message
			gqlErr.Extensions = map[string]any{"code": appErr.Code}
			if appErr.Field != "" {
				gqlErr.Extensions["field"] = appErr.Field
			}
			return gqlErr
		}
		if gqlErr.Err == nil {
			// A GraphQL-level error (parse, validation, coercion, limits):
			// its text is safe.
			if gqlErr.Extensions == nil {
				gqlErr.Extensions = map[string]any{}
			}
			switch {
			case gqlErr.Extensions["code"] == nil, isVariableError(gqlErr):
				gqlErr.Extensions["code"] = domain.CodeBadUserInput
			default:
				tokenLimitError(gqlErr)
			}
			return gqlErr
		}
		log.ErrorContext(ctx, "request failed", "err", err, "path", gqlErr.Path.String(),
			"request_id", middleware.GetReqID(ctx))
		gqlErr.Message = "internal error"
		gqlErr.Extensions = map[string]any{"code": domain.CodeInternal}
		return gqlErr
	}
}

// clientGone reports whether err is the doing of the client going away:
// the request's context is cancelled (not past its deadline) and err is not
// an application error of its own, or is one of the timeout or
// unavailability errors that a cancelled statement turns into.
func clientGone(ctx context.Context, err error) bool {
	if !errors.Is(ctx.Err(), context.Canceled) {
		return false
	}
	var appErr *domain.Error
	if !errors.As(err, &appErr) {
		return true
	}
	return appErr.Code == domain.CodeTimeout || appErr.Code == domain.CodeUnavailable
}

// isVariableError reports whether err is gqlparser's refusal of a variable
// value (an unknown enum value, a missing required variable, a wrong type).
// gqlgen codes those GRAPHQL_VALIDATION_FAILED, but the document is valid:
// the input is not, so grappe codes them BAD_USER_INPUT.
func isVariableError(err *gqlerror.Error) bool {
	return err.Extensions["code"] == errcode.ValidationFailed &&
		len(err.Path) > 0 && err.Path[0] == ast.PathName("variable")
}

// recoverFunc logs a panic with its stack and reports an internal error.
func recoverFunc(log *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		log.ErrorContext(ctx, "panic in resolver", "panic", fmt.Sprint(p), "stack", string(debug.Stack()),
			"request_id", middleware.GetReqID(ctx))
		return errors.New("internal error")
	}
}
