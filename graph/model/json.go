package model

import (
	"encoding/json"
	"io"

	"github.com/99designs/gqlgen/graphql"
)

// MarshalJSON writes any value of the JSON scalar as JSON.
func MarshalJSON(v any) graphql.Marshaler {
	b, err := json.Marshal(v)
	if err != nil {
		b = []byte("null")
	}
	return graphql.WriterFunc(func(w io.Writer) { _, _ = w.Write(b) })
}

// UnmarshalJSON reads a JSON scalar as decoded by the transport.
func UnmarshalJSON(v any) (any, error) { return v, nil }
