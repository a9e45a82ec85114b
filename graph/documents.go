package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"grappe/documents"
	"grappe/domain"
	"grappe/graph/generated"
)

// Codes of the refusals of the trusted documents mode.
const (
	// CodePersistedQueryRequired refuses a document sent as text by a
	// caller who may send only trusted document ids.
	CodePersistedQueryRequired = "PERSISTED_QUERY_REQUIRED"
	// CodePersistedQueryNotFound refuses an id that names no document
	// (the code gqlgen's APQ uses too).
	CodePersistedQueryNotFound = "PERSISTED_QUERY_NOT_FOUND"
)

// Schema returns the GraphQL schema, to validate documents against.
func Schema() *ast.Schema {
	return generated.NewExecutableSchema(generated.Config{}).Schema()
}

// trustedDocuments serves documents by id from the trusted set, and in
// allowlist mode refuses PUBLIC and MEMBER callers anything else.
//
// An id is the SHA-256 of a document's text, sent as the documentId
// parameter (GraphQL over HTTP's trusted documents) or as APQ's
// extensions.persistedQuery.sha256Hash. It runs before APQ: a trusted id
// never reaches APQ's cache, and in allowlist mode a restricted caller
// never reaches APQ at all, so cannot register documents there.
type trustedDocuments struct {
	docs      *documents.Set
	allowlist bool
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = trustedDocuments{}

// ExtensionName names the extension in gqlgen's list.
func (trustedDocuments) ExtensionName() string { return "TrustedDocuments" }

// Validate accepts any schema: documents are validated when loaded.
func (trustedDocuments) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationParameters replaces a trusted id by its document, and
// refuses what a restricted caller may not send.
func (e trustedDocuments) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	restricted := e.allowlist && !domain.ViewerFrom(ctx).Role.AtLeast(domain.RoleAnalyst)
	id, fromAPQ := documentIDFrom(ctx), false
	if id == "" {
		id, fromAPQ = apqHash(p.Extensions)
	}
	if id == "" {
		if restricted {
			return documentError(CodePersistedQueryRequired,
				"only trusted documents are accepted from %s callers: send a registered document id, not a query", domain.ViewerFrom(ctx).Role)
		}
		return nil
	}
	hash, valid := documents.ParseID(id)
	text, trusted := e.docs.Get(hash)
	switch {
	case trusted && p.Query != "" && p.Query != text:
		return documentError(domain.CodeBadUserInput, "the query does not match document %s", hash)
	case trusted:
		p.Query = text
		if fromAPQ {
			// Served: nothing left for APQ to look up or cache.
			delete(p.Extensions, "persistedQuery")
		}
		return nil
	case restricted && p.Query != "":
		// An APQ registration: not from this caller.
		return documentError(CodePersistedQueryRequired,
			"only trusted documents are accepted from %s callers: this document is not registered", domain.ViewerFrom(ctx).Role)
	case restricted || !fromAPQ:
		if !valid {
			return documentError(CodePersistedQueryNotFound, "persisted document not found: an id is the hex SHA-256 of the document")
		}
		return documentError(CodePersistedQueryNotFound, "persisted document %s not found", hash)
	}
	return nil // APQ's hash: its cache may know it
}

// apqHash returns the sha256Hash of APQ's persistedQuery extension, if any.
func apqHash(ext map[string]any) (string, bool) {
	pq, _ := ext["persistedQuery"].(map[string]any)
	h, _ := pq["sha256Hash"].(string)
	return h, h != ""
}

// documentError is a refusal of the trusted documents mode.
func documentError(code, format string, args ...any) *gqlerror.Error {
	err := gqlerror.Errorf(format, args...)
	err.Extensions = map[string]any{"code": code}
	return err
}

type documentIDKey struct{}

// withDocumentID returns a context carrying the request's documentId
// parameter, which gqlgen's RawParams has no field for.
func withDocumentID(ctx context.Context, id string) context.Context {
	if id == "" {
		return ctx
	}
	return context.WithValue(ctx, documentIDKey{}, id)
}

// documentIDFrom returns the documentId parameter of the request, or "".
func documentIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(documentIDKey{}).(string)
	return id
}
