package serial_test

import (
	"context"
	"testing"

	"github.com/99designs/gqlgen/graphql"

	"grappe/graph/serial"
)

func TestMarshalSlice(t *testing.T) {
	ctx := graphql.WithResponseContext(context.Background(), graphql.DefaultErrorPresenter, graphql.DefaultRecover)
	var order []int
	got := serial.MarshalSlice(ctx, 3, 0, false, func(ctx context.Context, i int) graphql.Marshaler {
		order = append(order, *graphql.GetFieldContext(ctx).Index)
		if i == 1 {
			panic("element 1")
		}
		return graphql.MarshalInt(i)
	})
	if len(order) != 3 || order[0] != 0 || order[1] != 1 || order[2] != 2 {
		t.Errorf("elements marshalled in order %v, want 0 1 2 with their index", order)
	}
	if got[0] == graphql.Null || got[1] != graphql.Null || got[2] == graphql.Null {
		t.Errorf("results %v: want the panicking element alone null", got)
	}
	if errs := graphql.GetErrors(ctx); len(errs) != 1 {
		t.Errorf("errors %v, want the panic reported once", errs)
	}
}
