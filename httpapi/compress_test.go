package httpapi_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"grappe/httpapi"
)

// TestCompress: a large answer is gzipped for a client that accepts it,
// and reads back whole; a small one, a client without gzip, server-sent
// events and a WebSocket upgrade get the body as written.
func TestCompress(t *testing.T) {
	t.Parallel()
	large := `{"data":{"graph":"` + strings.Repeat("abcdefgh", httpapi.CompressMinSize/8+1) + `"}}`
	small := `{"data":{"viewer":null}}`
	h := httpapi.Compress(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ct := "application/json"
		if strings.Contains(r.Header.Get("Accept"), "text/event-stream") {
			ct = "text/event-stream"
		}
		w.Header().Set("Content-Type", ct)
		io.WriteString(w, r.URL.Query().Get("body"))
		if r.URL.Query().Get("size") == "large" {
			io.WriteString(w, large)
		} else {
			io.WriteString(w, small)
		}
	}))
	for _, c := range []struct {
		name, size, accept, upgrade string
		gzip                        bool
		want                        string
	}{
		{"large", "large", "application/json", "", true, large},
		{"small", "small", "application/json", "", false, small},
		{"events", "large", "text/event-stream", "", false, large},
		{"upgrade", "large", "", "websocket", false, large},
		{"no gzip", "large", "application/json", "", false, large},
	} {
		req := httptest.NewRequest(http.MethodGet, "/graphql?size="+c.size, nil)
		req.Header.Set("Accept", c.accept)
		if c.name != "no gzip" {
			req.Header.Set("Accept-Encoding", "gzip")
		}
		if c.upgrade != "" {
			req.Header.Set("Upgrade", c.upgrade)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		body := rec.Body.Bytes()
		if got := rec.Header().Get("Content-Encoding") == "gzip"; got != c.gzip {
			t.Errorf("%s: gzipped %v, want %v", c.name, got, c.gzip)
			continue
		}
		if c.gzip {
			if len(body) >= len(large)/10 {
				t.Errorf("%s: %d bytes gzipped from %d", c.name, len(body), len(large))
			}
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if body, err = io.ReadAll(zr); err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
		}
		if string(body) != c.want {
			t.Errorf("%s: body of %d bytes, want %d", c.name, len(body), len(c.want))
		}
	}
}
