package graph

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/complexity"
	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/validator/rules"
)

// Codes of the refusals of an operation that exceeds a limit. Each
// message names the limit.
const (
	CodeQueryTooDeep      = "QUERY_TOO_DEEP"
	CodeTooManyAliases    = "TOO_MANY_ALIASES"
	CodeTooManyRootFields = "TOO_MANY_ROOT_FIELDS"
	CodeQueryTooComplex   = "QUERY_TOO_COMPLEX"
	CodeTooManyTokens     = "TOO_MANY_TOKENS"
)

// Limits bounds what one operation may ask. A zero field means no limit.
type Limits struct {
	// Depth is the deepest nesting of fields (introspection fields aside:
	// gqlparser bounds those itself).
	Depth int
	// Aliases is the most aliased fields, counted once per use of the
	// fragment holding them.
	Aliases int
	// RootFields is the most fields selected at the root of the operation.
	RootFields int
	// Complexity is the highest estimated cost (see setComplexity).
	Complexity int
	// Tokens is the most lexical tokens in a document; longer documents
	// are refused by the parser before any work is spent on them.
	Tokens int
}

// limitsExtension refuses operations beyond Limits once they are parsed
// and validated, before anything runs.
type limitsExtension struct {
	limits Limits
	schema graphql.ExecutableSchema
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = &limitsExtension{}

// ExtensionName names the extension in gqlgen's list.
func (e *limitsExtension) ExtensionName() string { return "QueryLimits" }

// Validate keeps the schema, needed to compute complexity.
func (e *limitsExtension) Validate(schema graphql.ExecutableSchema) error {
	e.schema = schema
	return nil
}

// MutateOperationContext checks the operation against each limit, the
// cheap ones first.
func (e *limitsExtension) MutateOperationContext(ctx context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	op := opCtx.Operation
	if op == nil {
		return nil
	}
	w := newDocWalker(opCtx.Doc.Fragments)
	if l := e.limits.Depth; l > 0 {
		if d := w.depth(op.SelectionSet); d > l {
			return limitError(CodeQueryTooDeep, "query depth %d exceeds the limit of %d", d, l)
		}
	}
	if l := e.limits.Aliases; l > 0 {
		if n := w.aliases(op.SelectionSet); n > l {
			return limitError(CodeTooManyAliases, "query has %d aliases, more than the limit of %d", n, l)
		}
	}
	if l := e.limits.RootFields; l > 0 {
		if n := w.fields(op.SelectionSet); n > l {
			return limitError(CodeTooManyRootFields, "query selects %d root fields, more than the limit of %d", n, l)
		}
	}
	if l := e.limits.Complexity; l > 0 {
		if c := complexity.Calculate(ctx, e.schema, op, opCtx.Variables); c > l {
			return limitError(CodeQueryTooComplex, "query complexity %d exceeds the limit of %d", c, l)
		}
	}
	return nil
}

// limitError is the refusal of an operation beyond a limit.
func limitError(code, format string, args ...any) *gqlerror.Error {
	err := gqlerror.Errorf(format, args...)
	err.Extensions = map[string]any{"code": code}
	return err
}

// tokenLimitError recodes the parser's refusal of a document beyond the
// token limit, which gqlgen reports as a mere parse failure.
func tokenLimitError(err *gqlerror.Error) {
	if err.Extensions["code"] == errcode.ParseFailed && strings.HasPrefix(err.Message, "exceeded token limit") {
		err.Message = strings.Replace(err.Message, "exceeded token limit", "document exceeds the token limit", 1)
		err.Extensions["code"] = CodeTooManyTokens
	}
}

// docWalker measures selection sets, fragments included. Each fragment is
// measured once (memoised), so a document whose fragments spread each
// other many times costs no more than its size; counts saturate instead
// of overflowing.
type docWalker struct {
	fragments     ast.FragmentDefinitionList
	depthMemo     map[string]int
	aliasMemo     map[string]int
	rootFieldMemo map[string]int
}

func newDocWalker(fragments ast.FragmentDefinitionList) *docWalker {
	return &docWalker{fragments: fragments, depthMemo: map[string]int{}, aliasMemo: map[string]int{}, rootFieldMemo: map[string]int{}}
}

// saturated is where counts stop growing.
const saturated = 1 << 30

func add(a, b int) int { return min(a+b, saturated) }

// depth returns the deepest field nesting of set.
func (w *docWalker) depth(set ast.SelectionSet) int {
	d := 0
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if s.Name == "__schema" || s.Name == "__type" {
				continue
			}
			d = max(d, 1+w.depth(s.SelectionSet))
		case *ast.InlineFragment:
			d = max(d, w.depth(s.SelectionSet))
		case *ast.FragmentSpread:
			d = max(d, w.fragment(s.Name, w.depthMemo, w.depth))
		}
	}
	return d
}

// aliases returns the number of aliased fields of set.
func (w *docWalker) aliases(set ast.SelectionSet) int {
	n := 0
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if s.Alias != "" && s.Alias != s.Name {
				n = add(n, 1)
			}
			n = add(n, w.aliases(s.SelectionSet))
		case *ast.InlineFragment:
			n = add(n, w.aliases(s.SelectionSet))
		case *ast.FragmentSpread:
			n = add(n, w.fragment(s.Name, w.aliasMemo, w.aliases))
		}
	}
	return n
}

// fields returns the number of fields selected at the level of set,
// through its fragments.
func (w *docWalker) fields(set ast.SelectionSet) int {
	n := 0
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if s.Name != "__typename" {
				n = add(n, 1)
			}
		case *ast.InlineFragment:
			n = add(n, w.fields(s.SelectionSet))
		case *ast.FragmentSpread:
			n = add(n, w.fragment(s.Name, w.rootFieldMemo, w.fields))
		}
	}
	return n
}

// fragment measures the fragment called name with measure, once. Fragment
// cycles are refused by validation before; an unknown fragment counts 0.
func (w *docWalker) fragment(name string, memo map[string]int, measure func(ast.SelectionSet) int) int {
	if v, ok := memo[name]; ok {
		return v
	}
	memo[name] = 0 // guards against a cycle, should one get through
	f := w.fragments.ForName(name)
	if f == nil {
		return 0
	}
	v := measure(f.SelectionSet)
	memo[name] = v
	return v
}

// rulesWithoutSuggestions returns gqlparser's validation rules with the
// variants that do not suggest names ("Did you mean …?"), so that a
// production server does not spell out its schema to someone probing it.
// gqlgen itself swaps the FieldsOnCorrectType and ScalarLeafs rules when
// suggestions are disabled.
func rulesWithoutSuggestions() *rules.Rules {
	r := rules.NewDefaultRules()
	r.ReplaceRule(rules.KnownArgumentNamesRule.Name, rules.KnownArgumentNamesRuleWithoutSuggestions.RuleFunc)
	r.ReplaceRule(rules.KnownTypeNamesRule.Name, rules.KnownTypeNamesRuleWithoutSuggestions.RuleFunc)
	r.ReplaceRule(rules.ValuesOfCorrectTypeRule.Name, rules.ValuesOfCorrectTypeRuleWithoutSuggestions.RuleFunc)
	return r
}
