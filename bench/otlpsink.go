package main

import (
	"io"
	"net"
	"net/http"
	"sync/atomic"
)

// otlpSink is an OTLP/HTTP traces endpoint that reads every export and
// discards it, so that -traces measures a server that records, batches,
// encodes and sends its spans, without the cost of a collector.
type otlpSink struct {
	server   *http.Server
	URL      string
	requests atomic.Int64
	bytes    atomic.Int64
}

// startOTLPSink listens on a free local port.
func startOTLPSink() (*otlpSink, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &otlpSink{URL: "http://" + ln.Addr().String()}
	s.server = &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		s.requests.Add(1)
		s.bytes.Add(n)
		// An empty ExportTraceServiceResponse: everything accepted.
		w.Header().Set("Content-Type", "application/x-protobuf")
		w.WriteHeader(http.StatusOK)
	})}
	go func() { _ = s.server.Serve(ln) }()
	return s, nil
}

// Close stops the sink.
func (s *otlpSink) Close() error { return s.server.Close() }
