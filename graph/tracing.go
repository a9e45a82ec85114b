package graph

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

// operationSpans gives each GraphQL response a span, child of the
// request's and parent of the SQL statements its resolvers run: one per
// query or mutation, one per event of a subscription.
type operationSpans struct{ tracer trace.Tracer }

var (
	_ graphql.HandlerExtension    = operationSpans{}
	_ graphql.ResponseInterceptor = operationSpans{}
)

// ExtensionName implements graphql.HandlerExtension.
func (operationSpans) ExtensionName() string { return "OperationSpans" }

// Validate implements graphql.HandlerExtension.
func (operationSpans) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptResponse runs the response within its operation's span, named
// "graphql <type> <name>", and marks the span failed when the response
// holds errors, with their codes.
func (o operationSpans) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	if !graphql.HasOperationContext(ctx) {
		return next(ctx)
	}
	oc := graphql.GetOperationContext(ctx)
	typ, name := "query", oc.OperationName
	if oc.Operation != nil {
		typ = string(oc.Operation.Operation)
		if name == "" {
			name = oc.Operation.Name
		}
	}
	spanName := "graphql " + typ
	if name != "" {
		spanName += " " + name
	}
	ctx, span := o.tracer.Start(ctx, spanName, trace.WithAttributes(
		attribute.String("graphql.operation.type", typ), attribute.String("graphql.operation.name", name)))
	defer span.End()
	resp := next(ctx)
	if resp != nil && len(resp.Errors) > 0 {
		var codesSeen []string
		for _, e := range resp.Errors {
			if c, ok := e.Extensions["code"].(string); ok {
				codesSeen = append(codesSeen, c)
			}
		}
		span.SetAttributes(attribute.StringSlice("graphql.error.codes", codesSeen))
		span.SetStatus(codes.Error, strings.Join(codesSeen, ","))
	}
	return resp
}
