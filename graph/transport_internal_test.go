package graph

import (
	"bytes"
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
		got, err := encodeResponse(resp, true)
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

// TestEncodeRequestError: without its data entry, a response has only its
// errors (and extensions), and is valid JSON.
func TestEncodeRequestError(t *testing.T) {
	for name, c := range map[string]struct {
		resp *graphql.Response
		want string
	}{
		"errors":            {&graphql.Response{Errors: gqlerror.List{{Message: "nope", Extensions: map[string]any{"code": "X"}}}}, `{"errors":[{"message":"nope","extensions":{"code":"X"}}]}`},
		"errors, extension": {&graphql.Response{Errors: gqlerror.List{{Message: "nope"}}, Extensions: map[string]any{"a": 1}}, `{"errors":[{"message":"nope"}],"extensions":{"a":1}}`},
		"extension only":    {&graphql.Response{Extensions: map[string]any{"a": 1}}, `{"extensions":{"a":1}}`},
		"nothing":           {&graphql.Response{}, `{}`},
	} {
		got, err := encodeResponse(c.resp, false)
		if err != nil || string(got) != c.want {
			t.Errorf("%s: %s, %v; want %s", name, got, err, c.want)
		}
	}
}

// BenchmarkEncodeResponse measures writing a 50-member nested response.
func BenchmarkEncodeResponse(b *testing.B) {
	var data bytes.Buffer
	data.WriteString(`{"members":{"edges":[`)
	for i := range 50 {
		if i > 0 {
			data.WriteByte(',')
		}
		data.WriteString(`{"node":{"name":"Métrologie Sud-Ouest","businessLinks":{"edges":[`)
		for j := range 10 {
			if j > 0 {
				data.WriteByte(',')
			}
			data.WriteString(`{"counterpart":{"name":"Capteurs & Bancs <Lyon>","trades":[{"code":"MANUFACTURER.SENSORS"}]},"node":{"kind":"SUPPLY"}}`)
		}
		data.WriteString(`]}}}`)
	}
	data.WriteString(`]}}`)
	resp := &graphql.Response{Data: data.Bytes()}
	b.SetBytes(int64(data.Len()))
	b.ReportAllocs()
	for range b.N {
		if _, err := encodeResponse(resp, true); err != nil {
			b.Fatal(err)
		}
	}
}
