package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// CodeIntrospectionDisabled refuses an operation that selects __schema or
// __type where introspection is off (production).
const CodeIntrospectionDisabled = "INTROSPECTION_DISABLED"

// noIntrospection refuses, before anything runs, the operations that
// introspect the schema (__schema, __type) where introspection is off: a
// request error (400 with application/graphql-response+json, 200 with
// application/json) coded INTROSPECTION_DISABLED. Without it gqlgen would
// start executing and fail the field with an unexpected error, answered
// INTERNAL and logged as a failure of the server. __typename stays
// allowed: clients such as Apollo and Relay add it to every selection.
type noIntrospection struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = noIntrospection{}

// ExtensionName names the extension in gqlgen's list.
func (noIntrospection) ExtensionName() string { return "NoIntrospection" }

// Validate implements graphql.HandlerExtension.
func (noIntrospection) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext refuses an operation that selects __schema or
// __type anywhere, through its fragments too.
func (noIntrospection) MutateOperationContext(_ context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	if opCtx.Operation == nil {
		return nil
	}
	seen := map[string]bool{}
	if field := introspects(opCtx.Operation.SelectionSet, opCtx.Doc.Fragments, seen); field != "" {
		err := gqlerror.Errorf("introspection is disabled on this server (%s)", field)
		err.Extensions = map[string]any{"code": CodeIntrospectionDisabled}
		return err
	}
	return nil
}

// introspects returns the first introspection field (__schema or __type)
// selected in set or the fragments it spreads, or "". Each fragment is
// looked into once.
func introspects(set ast.SelectionSet, fragments ast.FragmentDefinitionList, seen map[string]bool) string {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if s.Name == "__schema" || s.Name == "__type" {
				return s.Name
			}
			if f := introspects(s.SelectionSet, fragments, seen); f != "" {
				return f
			}
		case *ast.InlineFragment:
			if f := introspects(s.SelectionSet, fragments, seen); f != "" {
				return f
			}
		case *ast.FragmentSpread:
			if seen[s.Name] {
				continue
			}
			seen[s.Name] = true
			if def := fragments.ForName(s.Name); def != nil {
				if f := introspects(def.SelectionSet, fragments, seen); f != "" {
					return f
				}
			}
		}
	}
	return ""
}
