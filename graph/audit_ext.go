package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/vektah/gqlparser/v2/ast"

	"grappe/domain"
	"grappe/graph/generated"
	"grappe/graph/model"
)

// AuditTrail is a gqlgen handler extension that names each root field of a
// mutation operation, with the request id set by chi's RequestID
// middleware, in the context its resolver runs in: the services record
// them in the audit trail (domain.WithAudit). Register it with
// srv.Use(AuditTrail{}).
type AuditTrail struct{}

var (
	_ graphql.HandlerExtension     = AuditTrail{}
	_ graphql.RootFieldInterceptor = AuditTrail{}
)

// ExtensionName implements graphql.HandlerExtension.
func (AuditTrail) ExtensionName() string { return "AuditTrail" }

// Validate implements graphql.HandlerExtension.
func (AuditTrail) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptRootField implements graphql.RootFieldInterceptor.
func (AuditTrail) InterceptRootField(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
	op := graphql.GetOperationContext(ctx)
	field := graphql.GetRootFieldContext(ctx)
	if op != nil && op.Operation != nil && op.Operation.Operation == ast.Mutation && field != nil {
		ctx = domain.WithAudit(ctx, field.Field.Name, middleware.GetReqID(ctx))
	}
	return next(ctx)
}

// setAuditComplexity prices the audit trail's connection like the others:
// its page size times the cost of an entry.
func setAuditComplexity(c *generated.ComplexityRoot) {
	c.Query.AuditLog = func(child int, first *int, _ *string, _ *model.AuditFilter) int {
		return pageCost(first, nil, child)
	}
}
