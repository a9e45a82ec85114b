// Package serial is the executor support that the generated code calls
// in place of gqlgen's concurrent list marshalling (see graph/codegen):
// the elements of a list are marshalled one after the other, in the
// goroutine of the list's field.
//
// Running them concurrently gains nothing here: the relations of a list's
// elements are read in one batch by the look-ahead before the elements are
// marshalled (graph/batch.go), so an element waits at most for that batch,
// and a goroutine per element costs its start, a growing stack and a
// wait group on every list of every response.
package serial

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
)

// MarshalSlice marshals the length elements of a list with marshalElement,
// with the signature and results of graphql.MarshalSliceConcurrently: each
// element gets a field context holding its index, and an element whose
// marshalling panics (unless omitPanicHandler) is reported and null. The
// worker limit does not apply to a single goroutine.
func MarshalSlice(ctx context.Context, length int, _ int64, omitPanicHandler bool, marshalElement func(ctx context.Context, i int) graphql.Marshaler) graphql.Array {
	ret := make(graphql.Array, length)
	for i := range length {
		childCtx := graphql.WithFieldContext(ctx, &graphql.FieldContext{Index: &i})
		if omitPanicHandler {
			ret[i] = marshalElement(childCtx, i)
			continue
		}
		ret[i] = marshalRecovered(childCtx, i, marshalElement)
	}
	return ret
}

// marshalRecovered marshals element i, null when it panics.
func marshalRecovered(ctx context.Context, i int, marshalElement func(ctx context.Context, i int) graphql.Marshaler) (m graphql.Marshaler) {
	defer func() {
		if r := recover(); r != nil {
			graphql.AddError(ctx, graphql.Recover(ctx, r))
			m = graphql.Null
		}
	}()
	return marshalElement(ctx, i)
}
