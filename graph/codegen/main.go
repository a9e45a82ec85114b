// Command codegen generates the GraphQL executor from gqlgen.yml with
// gqlgen, resolving the fields of an object in the goroutine that
// marshals it:
//
//   - the fields of an object that a response may hold many of (one
//     reached through a list, at any depth) are resolved one after the
//     other (gqlgen's DisableConcurrency, which it sets for mutations
//     only), instead of a goroutine per field with a resolver; an object
//     met once per response (the roots, the dashboard, the network
//     summary, the viewer) keeps its fields resolved concurrently, so
//     that its independent reads overlap and its lists share batches;
//   - the elements of a list are marshalled one after the other
//     (serial.MarshalSlice in place of graphql.MarshalSliceConcurrently);
//   - objects make no @defer group, which only fields resolved
//     concurrently use: @defer is accepted and its fields are sent with
//     the rest of the response, as the GraphQL-over-HTTP transport has no
//     incremental delivery.
//
// The look-ahead reads the relations of a level in one batch before its
// objects are marshalled (graph/batch.go), so resolving them in turn
// waits no longer, and saves a goroutine, a stack and a path per object.
//
//	go run ./graph/codegen   (go generate ./... runs it)
package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/99designs/gqlgen/api"
	"github.com/99designs/gqlgen/codegen"
	"github.com/99designs/gqlgen/codegen/config"
	"github.com/vektah/gqlparser/v2/ast"
	"golang.org/x/tools/imports"
)

func main() {
	if err := run("gqlgen.yml"); err != nil {
		fmt.Fprintln(os.Stderr, "codegen:", err)
		os.Exit(1)
	}
}

func run(configFile string) error {
	cfg, err := config.LoadConfig(configFile)
	if err != nil {
		return err
	}
	if err := api.Generate(cfg, api.AddPlugin(inTurn{})); err != nil {
		return err
	}
	return rewriteExecutor(cfg.Exec.Dir())
}

// inTurn is the gqlgen plugin that resolves the fields of the objects a
// response may hold many of in the goroutine marshalling them.
type inTurn struct{}

func (inTurn) Name() string { return "inturn" }

// GenerateCode runs before gqlgen writes the executor.
func (inTurn) GenerateCode(data *codegen.Data) error {
	many := listed(data.Schema)
	for _, o := range data.Objects {
		if many[o.Name] {
			o.DisableConcurrency = true
		}
	}
	return nil
}

// listed returns the object types a response may hold many of: the
// elements of a list field, and what the fields of those lead to.
func listed(schema *ast.Schema) map[string]bool {
	many := map[string]bool{}
	var mark func(name string)
	mark = func(name string) {
		def := schema.Types[name]
		if def == nil || many[name] || (def.Kind != ast.Object && def.Kind != ast.Interface && def.Kind != ast.Union) {
			return
		}
		many[name] = true
		for _, p := range schema.PossibleTypes[name] {
			mark(p.Name)
		}
		for _, f := range def.Fields {
			mark(f.Type.Name())
		}
	}
	for _, def := range schema.Types {
		if def.BuiltIn {
			continue
		}
		for _, f := range def.Fields {
			if f.Type.Elem != nil {
				mark(f.Type.Name())
			}
		}
	}
	return many
}

// rewriteExecutor makes, in the generated files of dir, the lists
// marshalled in turn, and leaves out the @defer group of each object that
// resolves its fields in turn (only fields resolved concurrently use it).
func rewriteExecutor(dir string) error {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return err
	}
	var lists, groups int
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		funcs := bytes.SplitAfter(src, []byte("\nfunc "))
		for i, f := range funcs {
			lists += bytes.Count(f, concurrentSlice)
			f = bytes.ReplaceAll(f, concurrentSlice, serialSlice)
			if !bytes.Contains(f, []byte("&deferred")) && bytes.Contains(f, newGroup) {
				groups++
				f = bytes.Replace(f, newGroup, noGroup, 1)
			}
			funcs[i] = f
		}
		out := bytes.Join(funcs, nil)
		if bytes.Equal(out, src) {
			continue
		}
		if out, err = imports.Process(name, out, nil); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if err := os.WriteFile(name, out, 0o644); err != nil {
			return err
		}
	}
	if lists == 0 || groups == 0 {
		return fmt.Errorf("found %d lists and %d @defer groups to rewrite: gqlgen's executor changed, review graph/codegen", lists, groups)
	}
	return nil
}

var (
	concurrentSlice = []byte("graphql.MarshalSliceConcurrently(")
	serialSlice     = []byte("serial.MarshalSlice(")
	newGroup        = []byte("deferred := graphql.NewDeferredGroup(ctx)")
	noGroup         = []byte("var deferred graphql.DeferredGroup")
)
