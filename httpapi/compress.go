package httpapi

import (
	"compress/gzip"
	"net/http"
	"strings"

	"github.com/klauspost/compress/gzhttp"
)

// CompressMinSize is the smallest response body Compress compresses:
// below it, compressing costs more CPU than the bytes it saves on the wire
// are worth (most GraphQL answers are a few kilobytes).
const CompressMinSize = 64 << 10

// Compress gzips the responses of at least CompressMinSize bytes for the
// clients that accept it (a whole network graph, an export: megabytes of
// JSON, CSV or GraphML that shrink five- to tenfold). It leaves streams
// alone: WebSocket upgrades and server-sent events pass through untouched,
// so that each event leaves as soon as it is written.
func Compress(next http.Handler) http.Handler {
	wrap, err := gzhttp.NewWrapper(gzhttp.MinSize(CompressMinSize), gzhttp.CompressionLevel(gzip.BestSpeed),
		gzhttp.ExceptContentTypes([]string{"text/event-stream"}))
	if err != nil {
		panic("httpapi: gzip options: " + err.Error()) // constant options: a programming error
	}
	compressed := wrap(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") != "" || strings.Contains(r.Header.Get("Accept"), "text/event-stream") {
			next.ServeHTTP(w, r)
			return
		}
		compressed.ServeHTTP(w, r)
	})
}
