package graph_test

import (
	"fmt"
	"strings"
	"testing"

	"grappe/graph"
)

// testLimits are the server's default limits (see loadConfig).
var testLimits = graph.Limits{Depth: 15, Aliases: 50, RootFields: 20, Complexity: 20000, Tokens: 10000}

// nested returns `{ trades { parent { … { code } } } }` with n parents:
// a query of depth n+2.
func nested(n int) string {
	return "{ trades { " + strings.Repeat("parent { ", n) + "code" + strings.Repeat(" }", n) + " } }"
}

// repeat joins n copies of format, each given its index.
func repeat(n int, format string) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = fmt.Sprintf(format, i)
	}
	return strings.Join(parts, " ")
}

// TestQueryLimits checks that each limit refuses the operation just over
// it with its own code and the limit in the message, and lets the one at
// the limit through.
func TestQueryLimits(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	// Fragments spread into each other: 55 aliases once expanded (B has
	// 4 + 3×4 + 2 = 18, C three times B and one more).
	fragmentBomb := `{ trades { ...C } }
	  fragment A on Trade { a: code b: code c: code d: code }
	  fragment B on Trade { ...A parent { ...A } p2: parent { ...A } p3: parent { ...A } }
	  fragment C on Trade { ...B children { ...B } c2: children { ...B } }`
	cases := []struct {
		name, query, code, limit string
	}{
		{"depth at the limit", nested(13), "", ""},
		{"too deep", nested(14), graph.CodeQueryTooDeep, "limit of 15"},
		{"too deep through fragments", `{ trades { ...F } } fragment F on Trade { ` + nested(14)[len("{ trades { "):len(nested(14))-len(" } }")] + ` }`,
			graph.CodeQueryTooDeep, "limit of 15"},
		{"aliases at the limit", "{ trades { " + repeat(50, "c%d: code") + " } }", "", ""},
		{"too many aliases", "{ trades { " + repeat(51, "c%d: code") + " } }", graph.CodeTooManyAliases, "limit of 50"},
		{"alias bomb through fragments", fragmentBomb, graph.CodeTooManyAliases, "limit of 50"},
		{"root fields at the limit", "{ " + strings.Repeat("trades { code } ", 20) + "}", "", ""},
		{"too many root fields", "{ " + strings.Repeat("trades { code } ", 21) + "}", graph.CodeTooManyRootFields, "limit of 20"},
		{"too many root fields through a fragment", "{ ...Q } fragment Q on Query { " + strings.Repeat("trades { code } ", 21) + "}",
			graph.CodeTooManyRootFields, "limit of 20"},
		{"too complex", `{ members(first: 100) { edges { node { trades { members(first: 100) { edges { node { name } } } } } } } }`,
			graph.CodeQueryTooComplex, "limit of 20000"},
		{"too many tokens", "{ trades { " + strings.Repeat("code ", 10000) + "} }", graph.CodeTooManyTokens, "limit of 10000"},
		{"introspection is not counted as depth", "{ __schema { types { fields { type { " + strings.Repeat("ofType { ", 12) + "name" + strings.Repeat(" }", 16) + " }", "", ""},
	}
	for _, c := range cases {
		resp := a.do("", c.query, nil)
		if c.code == "" {
			if len(resp.Errors) > 0 {
				t.Errorf("%s: refused: %+v", c.name, resp.Errors)
			}
			continue
		}
		if resp.code() != c.code || !strings.Contains(resp.Errors[0].Message, c.limit) || resp.Status != 200 {
			t.Errorf("%s: status %d errors %+v, want %s naming %q", c.name, resp.Status, resp.Errors, c.code, c.limit)
		}
		if resp.Data != nil && string(resp.Data) != "null" {
			t.Errorf("%s: refused operation ran: %s", c.name, resp.Data)
		}
	}
}

// TestLimitsOff checks that zero limits are no limits.
func TestLimitsOff(t *testing.T) {
	t.Parallel()
	a := newAPIWith(t, func(o *graph.HandlerOptions) { o.Limits = graph.Limits{} })
	for _, q := range []string{nested(20), "{ trades { " + repeat(60, "c%d: code") + " } }", "{ " + strings.Repeat("trades { code } ", 30) + "}"} {
		if resp := a.do("", q, nil); len(resp.Errors) > 0 {
			t.Errorf("%.40s…: %+v", q, resp.Errors)
		}
	}
}

// TestSuggestions checks that validation errors name no schema element
// they were not given when suggestions are off (production), and do when
// they are on.
func TestSuggestions(t *testing.T) {
	t.Parallel()
	queries := []string{
		`{ trade { code } }`,                                     // FieldsOnCorrectType
		`{ members(frist: 1) { totalCount } }`,                   // KnownArgumentNames
		`{ node(id: "x") { ...F } } fragment F on Membr { id }`,  // KnownTypeNames
		`{ members(filter: {kinds: [COMPANI]}) { totalCount } }`, // ValuesOfCorrectType
		`{ members }`, // ScalarLeafs
	}
	on := newAPI(t)
	off := newAPIWith(t, func(o *graph.HandlerOptions) { o.DisableSuggestions = true })
	for _, q := range queries {
		if resp := on.do("", q, nil); len(resp.Errors) == 0 {
			t.Errorf("%s: accepted", q)
		} else if !strings.Contains(resp.Errors[0].Message, "Did you mean") {
			t.Errorf("%s with suggestions: %q suggests nothing", q, resp.Errors[0].Message)
		}
		resp := off.do("", q, nil)
		if resp.code() != "GRAPHQL_VALIDATION_FAILED" {
			t.Errorf("%s without suggestions: %+v", q, resp.Errors)
			continue
		}
		for _, e := range resp.Errors {
			if strings.Contains(e.Message, "Did you mean") {
				t.Errorf("%s without suggestions: %q", q, e.Message)
			}
		}
	}
}
