package graph

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"grappe/domain"
	"grappe/httpapi"
)

// httpTransport serves GraphQL over GET and POST as the GraphQL-over-HTTP
// specification (draft) says, where gqlgen's own transports differ:
//
//   - the response is application/graphql-response+json or
//     application/json as the Accept header prefers (406 if neither);
//   - with application/graphql-response+json, a request that fails before
//     execution (parse, validation, variables, limits) gets 400 and a
//     response without a data entry; with application/json it gets 200
//     and "data": null, as legacy clients expect;
//   - a body that is not one JSON object gets 400 (batches are not
//     accepted), one over maxBodyBytes 413, a POST without a JSON content
//     type 415 (so a plain HTML form cannot post to the API);
//   - GET runs queries only: a mutation gets 405 with Allow: POST;
//   - a subscription gets 400: it is served as Server-Sent Events (a POST
//     with Accept: text/event-stream) or over a WebSocket;
//   - a documentId parameter (GET or POST) names a trusted document
//     instead of a query (see trustedDocuments).
//
// OPTIONS is left to gqlgen's Options transport, added before this one.
type httpTransport struct {
	maxBodyBytes int64 // 0: no limit
}

var _ graphql.Transport = httpTransport{}

// Supports takes every request but websocket upgrades, so that any other
// method gets 405 rather than gqlgen's 400 "transport not supported".
func (t httpTransport) Supports(r *http.Request) bool { return r.Header.Get("Upgrade") == "" }

// Do serves one request.
func (t httpTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	access := httpapi.AccessFrom(r.Context())
	access.SetRole(string(domain.ViewerFrom(r.Context()).Role))
	media, ok := httpapi.Negotiate(r)
	if !ok {
		access.AddCode(httpapi.CodeNotAcceptable)
		httpapi.WriteError(w, httpapi.MediaJSON, http.StatusNotAcceptable, httpapi.CodeNotAcceptable,
			"the Accept header allows neither application/graphql-response+json nor application/json")
		return
	}
	start := graphql.Now()
	var (
		params     *graphql.RawParams
		documentID string // a trusted document's id, instead of a query
		bad        *requestError
	)
	switch r.Method {
	case http.MethodGet:
		params, documentID, bad = getParams(r)
	case http.MethodPost:
		params, documentID, bad = t.postParams(w, r)
	default:
		w.Header().Set("Allow", "GET, POST, OPTIONS")
		bad = &requestError{http.StatusMethodNotAllowed, httpapi.CodeMethodNotAllowed,
			fmt.Sprintf("method %s is not allowed: use GET for queries or POST", r.Method)}
	}
	if bad != nil {
		access.AddCode(bad.code)
		httpapi.WriteError(w, media, bad.status, bad.code, bad.message)
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}

	ctx := withDocumentID(r.Context(), documentID)
	opCtx, errs := exec.CreateOperationContext(ctx, params)
	if opCtx != nil && opCtx.Operation != nil {
		access.SetOperation(opCtx.Operation.Name, string(opCtx.Operation.Operation))
	}
	if errs != nil {
		// A request error: nothing was executed. The specification's media
		// type says so with 400 and a response without a data entry;
		// legacy clients of application/json get 200 and "data": null.
		resp := exec.DispatchError(graphql.WithOperationContext(ctx, opCtx), errs)
		recordCodes(access, resp)
		if media == httpapi.MediaGraphQLResponse {
			writeResponse(w, media, http.StatusBadRequest, resp, false)
			return
		}
		writeResponse(w, media, http.StatusOK, resp, true)
		return
	}
	if r.Method == http.MethodGet && opCtx.Operation.Operation != ast.Query {
		w.Header().Set("Allow", "POST")
		access.AddCode(httpapi.CodeMethodNotAllowed)
		httpapi.WriteError(w, media, http.StatusMethodNotAllowed, httpapi.CodeMethodNotAllowed,
			fmt.Sprintf("GET runs queries only: send this %s with POST", opCtx.Operation.Operation))
		return
	}
	if opCtx.Operation.Operation == ast.Subscription {
		// Its events need a stream, which the SSE and WebSocket transports
		// before this one serve: answered here, it would wait for its
		// first event until the request's deadline.
		access.AddCode(httpapi.CodeBadRequest)
		httpapi.WriteError(w, media, http.StatusBadRequest, httpapi.CodeBadRequest,
			"a subscription needs a stream: POST it with Accept: text/event-stream (Server-Sent Events), or open a WebSocket (graphql-transport-ws)")
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, opCtx)
	resp := responses(ctx)
	recordCodes(access, resp)
	writeResponse(w, media, http.StatusOK, resp, true)
}

// recordCodes records the codes of resp's errors for the access log.
func recordCodes(access *httpapi.Access, resp *graphql.Response) {
	if access == nil || resp == nil {
		return
	}
	for _, e := range resp.Errors {
		if code, ok := e.Extensions["code"].(string); ok {
			access.AddCode(code)
		}
	}
}

// requestError is a request refused before GraphQL sees it.
type requestError struct {
	status  int
	code    string
	message string
}

func badRequest(format string, args ...any) *requestError {
	return &requestError{http.StatusBadRequest, httpapi.CodeBadRequest, fmt.Sprintf(format, args...)}
}

// getParams reads the query, operationName, variables, extensions and
// documentId parameters of a GET.
func getParams(r *http.Request) (*graphql.RawParams, string, *requestError) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, "", badRequest("the URL query string is malformed")
	}
	for _, vs := range q {
		for _, v := range vs {
			if !utf8.ValidString(v) {
				return nil, "", badRequest("the URL query string is not valid UTF-8")
			}
		}
	}
	p := &graphql.RawParams{Query: q.Get("query"), OperationName: q.Get("operationName")}
	if v := q.Get("variables"); v != "" {
		if err := decodeJSON([]byte(v), &p.Variables); err != nil {
			return nil, "", badRequest("the variables parameter is not a JSON object")
		}
	}
	if v := q.Get("extensions"); v != "" {
		if err := decodeJSON([]byte(v), &p.Extensions); err != nil {
			return nil, "", badRequest("the extensions parameter is not a JSON object")
		}
	}
	return p, q.Get("documentId"), nil
}

// postParams reads the JSON body of a POST, and its documentId.
func (t httpTransport) postParams(w http.ResponseWriter, r *http.Request) (*graphql.RawParams, string, *requestError) {
	mt, mparams, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" || (mparams["charset"] != "" && !strings.EqualFold(mparams["charset"], "utf-8")) {
		return nil, "", &requestError{http.StatusUnsupportedMediaType, httpapi.CodeUnsupportedMediaType,
			"a POST must have Content-Type: application/json (UTF-8)"}
	}
	tooLarge := &requestError{http.StatusRequestEntityTooLarge, httpapi.CodeRequestTooLarge,
		fmt.Sprintf("request body exceeds the limit of %d bytes", t.maxBodyBytes)}
	body := r.Body
	if t.maxBodyBytes > 0 {
		if r.ContentLength > t.maxBodyBytes {
			return nil, "", tooLarge
		}
		body = http.MaxBytesReader(w, r.Body, t.maxBodyBytes)
	}
	b, err := io.ReadAll(body)
	if maxErr := (*http.MaxBytesError)(nil); errors.As(err, &maxErr) {
		return nil, "", tooLarge
	} else if err != nil {
		return nil, "", badRequest("request body could not be read")
	}
	b = bytes.TrimSpace(b)
	switch {
	case !utf8.Valid(b):
		// encoding/json would quietly turn the bad bytes into U+FFFD and
		// store that: refuse the request instead.
		return nil, "", badRequest("request body is not valid UTF-8")
	case len(b) == 0:
		return nil, "", badRequest("request body is empty: send a JSON object with a query")
	case b[0] == '[':
		return nil, "", badRequest("batched requests are not supported: send one operation per request")
	case b[0] != '{':
		return nil, "", badRequest("request body must be a JSON object with a query")
	}
	var p struct {
		Query         string         `json:"query"`
		OperationName string         `json:"operationName"`
		Variables     map[string]any `json:"variables"`
		Extensions    map[string]any `json:"extensions"`
		DocumentID    string         `json:"documentId"`
	}
	if err := decodeJSON(b, &p); err != nil {
		return nil, "", badRequest("%s", describeJSONError(err))
	}
	return &graphql.RawParams{Query: p.Query, OperationName: p.OperationName, Variables: p.Variables, Extensions: p.Extensions},
		p.DocumentID, nil
}

// decodeJSON decodes exactly one JSON value from b into v, numbers kept as
// json.Number as gqlgen expects.
func decodeJSON(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errTrailingData
	}
	return nil
}

var errTrailingData = errors.New("trailing data")

// describeJSONError tells what is wrong with a request body without
// echoing it or naming Go types.
func describeJSONError(err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return fmt.Sprintf("request body is not valid JSON (at byte %d)", syntax.Offset)
	case errors.As(err, &typ) && typ.Field != "":
		want := "a string"
		if typ.Field == "variables" || typ.Field == "extensions" {
			want = "an object"
		}
		return fmt.Sprintf("%q must be %s, not %s", typ.Field, want, typ.Value)
	case errors.Is(err, errTrailingData):
		return "request body holds more than one JSON value"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "request body is truncated JSON"
	}
	return "request body must be a JSON object with a query"
}

// writeResponse writes a GraphQL response as media with status, with its
// data entry (null when the response has none) when withData is set.
func writeResponse(w http.ResponseWriter, media string, status int, resp *graphql.Response, withData bool) {
	b, err := encodeResponse(resp, withData)
	if err != nil {
		httpapi.WriteError(w, media, http.StatusInternalServerError, domain.CodeInternal, "internal error")
		return
	}
	w.Header().Set("Content-Type", media)
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// encodeResponse encodes a response as json.Marshal does, but writes the
// data, which the executor has already encoded, as it is: json.Marshal
// would scan and compact it again, a cost that grows with the response.
// Without withData the response has no data entry at all (a request error
// answered as application/graphql-response+json).
func encodeResponse(resp *graphql.Response, withData bool) ([]byte, error) {
	if resp.Label != "" || resp.Path != nil || resp.HasNext != nil {
		return json.Marshal(resp) // incremental delivery: not served here
	}
	var b bytes.Buffer
	b.Grow(len(resp.Data) + 64)
	b.WriteByte('{')
	if len(resp.Errors) > 0 {
		errs, err := json.Marshal(resp.Errors)
		if err != nil {
			return nil, err
		}
		b.WriteString(`"errors":`)
		b.Write(errs)
	}
	if withData {
		if len(resp.Errors) > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"data":`)
		if resp.Data == nil {
			b.WriteString("null")
		} else {
			b.Write(resp.Data)
		}
	}
	if len(resp.Extensions) > 0 {
		ext, err := json.Marshal(resp.Extensions)
		if err != nil {
			return nil, err
		}
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		b.WriteString(`"extensions":`)
		b.Write(ext)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}
