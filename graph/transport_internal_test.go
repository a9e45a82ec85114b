package graph

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// TestEncodeResponse: the response encoder that writes the executor's data
// as it is says the same as json.Marshal, for every shape of response.
func TestEncodeResponse(t *testing.T) {
	yes := true
	for name, resp := range map[string]*graphql.Response{
		"data":             {Data: json.RawMessage(`{"members":{"edges":[{"node":{"name":"A & B <SARL>"}}]}}`)},
		"no data":          {},
		"errors":           {Errors: gqlerror.List{{Message: "nope", Extensions: map[string]any{"code": "FORBIDDEN"}}}},
		"errors and data":  {Errors: gqlerror.List{{Message: "partly"}}, Data: json.RawMessage(`{"a":null}`)},
		"extensions":       {Data: json.RawMessage(`{"a":1}`), Extensions: map[string]any{"cost": 12}},
		"incremental (fb)": {Data: json.RawMessage(`{"a":1}`), HasNext: &yes, Label: "x"},
	} {
		got, err := encodeResponse(resp)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want, _ := json.Marshal(resp)
		var g, w any
		if err := json.Unmarshal(got, &g); err != nil {
			t.Fatalf("%s: not JSON: %s", name, got)
		}
		_ = json.Unmarshal(want, &w)
		if !reflect.DeepEqual(g, w) {
			t.Errorf("%s:\n got %s\nwant %s", name, got, want)
		}
	}
}
