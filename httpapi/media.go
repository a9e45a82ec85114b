// Package httpapi holds the HTTP side of the GraphQL endpoint that is not
// GraphQL itself: response media type negotiation, GraphQL-shaped error
// bodies, the per-client rate limit and CORS.
package httpapi

import (
	"encoding/json"
	"mime"
	"net/http"
	"strconv"
	"strings"
)

// Response media types of the GraphQL-over-HTTP specification.
const (
	// MediaGraphQLResponse is the specification's own response media type:
	// with it, request errors get 4xx statuses.
	MediaGraphQLResponse = "application/graphql-response+json"
	// MediaJSON is the legacy media type: with it, every well-formed
	// request gets 200, whatever its GraphQL errors.
	MediaJSON = "application/json"
)

// Codes of the refusals made at the HTTP level.
const (
	CodeBadRequest           = "BAD_REQUEST"
	CodeRequestTooLarge      = "REQUEST_TOO_LARGE"
	CodeMethodNotAllowed     = "METHOD_NOT_ALLOWED"
	CodeNotAcceptable        = "NOT_ACCEPTABLE"
	CodeUnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE"
	CodeRateLimited          = "RATE_LIMITED"
)

// Negotiate returns the response media type for r's Accept header, and
// false when r accepts neither. Without an Accept header it is
// application/json (the legacy default). Otherwise the type with the higher
// quality wins; between equals, one named explicitly beats one matched by
// a wildcard, and application/graphql-response+json beats application/json
// when both are named. A bare wildcard ("*/*", as curl and browsers send)
// gives application/json, which every client understands.
func Negotiate(r *http.Request) (string, bool) {
	accept := strings.Join(r.Header.Values("Accept"), ",")
	if strings.TrimSpace(accept) == "" {
		return MediaJSON, true
	}
	gr := quality(accept, MediaGraphQLResponse)
	js := quality(accept, MediaJSON)
	switch {
	case gr.q == 0 && js.q == 0:
		return "", false
	case gr.q != js.q:
		if gr.q > js.q {
			return MediaGraphQLResponse, true
		}
		return MediaJSON, true
	case gr.explicit:
		return MediaGraphQLResponse, true
	default:
		return MediaJSON, true
	}
}

// match is how an Accept header takes one media type: its quality (0 for
// not at all) and whether it names the type itself.
type match struct {
	q        float64
	explicit bool
}

// quality returns how accept takes media: the most specific range that
// matches it decides (RFC 9110 §12.5.1).
func quality(accept, media string) match {
	typ, _, _ := strings.Cut(media, "/")
	best, specificity := match{}, -1
	for part := range strings.SplitSeq(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		spec := -1
		switch mt {
		case media:
			spec = 2
		case typ + "/*":
			spec = 1
		case "*/*":
			spec = 0
		}
		if spec < specificity || spec < 0 {
			continue
		}
		if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
			continue
		}
		q := 1.0
		if v, ok := params["q"]; ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil && f >= 0 && f <= 1 {
				q = f
			}
		}
		best, specificity = match{q: q, explicit: spec == 2}, spec
	}
	return best
}

// Error is one GraphQL error of an error body.
type Error struct {
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

// WriteError answers status with a GraphQL response holding one error
// with message and extensions.code = code, as media (application/json
// when empty).
func WriteError(w http.ResponseWriter, media string, status int, code, message string) {
	if media == "" {
		media = MediaJSON
	}
	body, _ := json.Marshal(struct {
		Errors []Error `json:"errors"`
	}{[]Error{{Message: message, Extensions: map[string]any{"code": code}}}})
	h := w.Header()
	h.Set("Content-Type", media)
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n'))
}

// WriteErrorFor is WriteError with the media type negotiated for r, or
// application/json when r accepts neither; the code is recorded in r's
// Access, if any.
func WriteErrorFor(w http.ResponseWriter, r *http.Request, status int, code, message string) {
	media, _ := Negotiate(r)
	AccessFrom(r.Context()).AddCode(code)
	WriteError(w, media, status, code, message)
}
