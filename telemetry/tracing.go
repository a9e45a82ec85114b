// Package telemetry sets up OpenTelemetry tracing from the standard OTEL_*
// environment variables and carries the trace into grappe's logs.
package telemetry

import (
	"context"
	"log/slog"
	"strings"

	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"
)

// Propagator reads and writes the W3C traceparent and baggage headers.
var Propagator = propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})

// Enabled reports whether env asks for traces: an OTLP endpoint is set
// (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) and
// OTEL_TRACES_EXPORTER, OTEL_SDK_DISABLED do not turn them off.
func Enabled(env func(string) string) bool {
	if strings.EqualFold(env("OTEL_SDK_DISABLED"), "true") || env("OTEL_TRACES_EXPORTER") == "none" {
		return false
	}
	return env("OTEL_EXPORTER_OTLP_ENDPOINT") != "" || env("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != ""
}

// Provider is a tracer provider and how to flush and stop it.
type Provider struct {
	trace.TracerProvider
	// On says whether spans are exported: off, the server adds no tracing
	// at all to its requests and statements.
	On bool
	// Shutdown exports the spans still buffered and stops the provider.
	Shutdown func(context.Context) error
}

// Off is the provider of a server without tracing: spans cost nothing.
func Off() Provider {
	return Provider{TracerProvider: noop.NewTracerProvider(), Shutdown: func(context.Context) error { return nil }}
}

// NewProvider returns the tracer provider the environment asks for: spans
// batched to the OTLP/HTTP exporter, which reads the OTEL_EXPORTER_OTLP_*
// variables itself (endpoint, headers, timeout, protocol details), the
// sampler OTEL_TRACES_SAMPLER says (parent-based, always on by default),
// and the service named OTEL_SERVICE_NAME ("grappe" by default) with
// OTEL_RESOURCE_ATTRIBUTES. Off when Enabled says so.
func NewProvider(ctx context.Context, env func(string) string, version string) (Provider, error) {
	if !Enabled(env) {
		return Off(), nil
	}
	exporter, err := otlptracehttp.New(ctx)
	if err != nil {
		return Provider{}, err
	}
	return NewProviderWith(exporter, env, version, false)
}

// NewProviderWith returns a provider exporting to exporter, batched or
// (for tests) synchronously.
func NewProviderWith(exporter sdktrace.SpanExporter, env func(string) string, version string, sync bool) (Provider, error) {
	name := env("OTEL_SERVICE_NAME")
	if name == "" {
		name = "grappe"
	}
	res, err := resource.Merge(resource.Default(), resource.NewWithAttributes(semconv.SchemaURL,
		semconv.ServiceName(name), semconv.ServiceVersion(version)))
	if err != nil {
		return Provider{}, err
	}
	export := sdktrace.WithBatcher(exporter)
	if sync {
		export = sdktrace.WithSyncer(exporter)
	}
	tp := sdktrace.NewTracerProvider(export, sdktrace.WithResource(res))
	return Provider{TracerProvider: tp, On: true, Shutdown: tp.Shutdown}, nil
}

// IfOn returns the tracer provider when spans are exported, nil otherwise.
func (p Provider) IfOn() trace.TracerProvider {
	if !p.On {
		return nil
	}
	return p.TracerProvider
}

// LogHandler adds to every record logged with a context that holds a span
// its trace_id and span_id, so that a request's log lines lead to its
// trace.
func LogHandler(h slog.Handler) slog.Handler { return traceLogHandler{h} }

type traceLogHandler struct{ slog.Handler }

func (h traceLogHandler) Handle(ctx context.Context, r slog.Record) error {
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
		r.AddAttrs(slog.String("trace_id", sc.TraceID().String()), slog.String("span_id", sc.SpanID().String()))
	}
	return h.Handler.Handle(ctx, r)
}

func (h traceLogHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return traceLogHandler{h.Handler.WithAttrs(attrs)}
}

func (h traceLogHandler) WithGroup(name string) slog.Handler {
	return traceLogHandler{h.Handler.WithGroup(name)}
}
