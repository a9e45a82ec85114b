package documents_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"grappe/documents"
)

var schema = gqlparser.MustLoadSchema(&ast.Source{Input: `type Query { hello(name: String): String! }`})

func TestParseID(t *testing.T) {
	t.Parallel()
	h := documents.Hash("{ hello }")
	for _, c := range []struct {
		id   string
		want string
		ok   bool
	}{
		{h, h, true},
		{"sha256:" + h, h, true},
		{strings.ToUpper(h), h, true},
		{h[:63], "", false},
		{h + "0", "", false},
		{strings.Repeat("g", 64), "", false},
		{"md5:" + h, "", false},
		{"", "", false},
	} {
		if got, ok := documents.ParseID(c.id); got != c.want || ok != c.ok {
			t.Errorf("ParseID(%q) = %q, %v; want %q, %v", c.id, got, ok, c.want, c.ok)
		}
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	for text, want := range map[string]string{
		"query Hello { hello }":               "",
		"{ goodbye }":                         `line 1, column 3: Cannot query field "goodbye" on type "Query".`,
		"{ hello ":                            "line 1, column 9: Expected Name, found <EOF>",
		"  \n":                                "empty document",
		"query A { hello } query A { hello }": `There can be only one operation named "A".`,
	} {
		err := documents.Validate(schema, text)
		if want == "" && err != nil || want != "" && (err == nil || !strings.Contains(err.Error(), want)) {
			t.Errorf("Validate(%q) = %v, want %q", text, err, want)
		}
	}
}

func TestAddAndLoad(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "documents")
	if set, err := documents.Load(dir, schema); err != nil || set.Len() != 0 {
		t.Fatalf("Load(missing dir) = %v, %v", set, err)
	}
	files := []documents.File{{Name: "a.graphql", Text: "query A { hello }\n"}, {Name: "b.graphql", Text: "query B($n: String) { hello(name: $n) }"}}
	hashes, err := documents.Add(dir, schema, files)
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range files {
		if hashes[i] != documents.Hash(f.Text) {
			t.Errorf("hash of %s = %s", f.Name, hashes[i])
		}
		b, err := os.ReadFile(filepath.Join(dir, hashes[i]+".graphql"))
		if err != nil || string(b) != f.Text {
			t.Errorf("stored %s: %q, %v", f.Name, b, err)
		}
	}
	set, err := documents.Load(dir, schema)
	if err != nil || set.Len() != 2 {
		t.Fatalf("Load = %v, %v", set, err)
	}
	if text, ok := set.Get(hashes[1]); !ok || text != files[1].Text {
		t.Errorf("Get = %q, %v", text, ok)
	}

	// All or nothing: one invalid file stores none, and is named.
	_, err = documents.Add(dir, schema, []documents.File{{Name: "c.graphql", Text: "{ hello }"}, {Name: "bad.graphql", Text: "{ nope }"}})
	if err == nil || !strings.HasPrefix(err.Error(), "bad.graphql: line 1, column 3:") {
		t.Fatalf("Add(invalid) = %v", err)
	}
	if stored, _ := documents.List(dir); len(stored) != 2 {
		t.Fatalf("stored %d documents after a refused add", len(stored))
	}

	// A stored document that no longer validates, or was edited, fails
	// the load with its file named.
	bad := filepath.Join(dir, documents.Hash("{ nope }")+".graphql")
	if err := os.WriteFile(bad, []byte("{ nope }"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := documents.Load(dir, schema); err == nil || !strings.HasPrefix(err.Error(), bad+": line 1") {
		t.Fatalf("Load(invalid) = %v", err)
	}
	if err := os.WriteFile(bad, []byte("{ hello }"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := documents.Load(dir, schema); err == nil || !strings.Contains(err.Error(), "not named after the SHA-256") {
		t.Fatalf("Load(renamed) = %v", err)
	}
}

func TestReadFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for name, text := range map[string]string{"b.graphql": "{ hello }", "sub/a.graphql": "query A { hello }", "notes.txt": "x"} {
		path := filepath.Join(dir, name)
		_ = os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	files, err := documents.ReadFiles([]string{dir})
	if err != nil || len(files) != 2 || files[0].Name != filepath.Join(dir, "b.graphql") || files[1].Name != filepath.Join(dir, "sub/a.graphql") {
		t.Fatalf("ReadFiles = %+v, %v", files, err)
	}
	if _, err := documents.ReadFiles([]string{filepath.Join(dir, "sub", "nothing")}); err == nil {
		t.Fatal("ReadFiles(missing) succeeded")
	}
}

func TestReadManifest(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	a, b := "query A { hello }", "query B { hello(name: \"b\") }"
	ha, hb := documents.Hash(a), documents.Hash(b)
	for name, manifest := range map[string]string{
		"relay.json":  fmt.Sprintf(`{%q: %q, %q: %q}`, hb, b, "sha256:"+ha, a),
		"apollo.json": fmt.Sprintf(`{"format": "apollo-persisted-query-manifest", "version": 1, "operations": [{"id": %q, "name": "B", "type": "query", "body": %q}, {"id": %q, "name": "A", "type": "query", "body": %q}]}`, hb, b, ha, a),
	} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(manifest), 0o644); err != nil {
			t.Fatal(err)
		}
		files, err := documents.ReadFiles([]string{path})
		got := map[string]string{}
		for _, f := range files {
			got[f.Text] = f.Name
		}
		if err != nil || len(files) != 2 || !strings.HasPrefix(got[a], path+"#") || !strings.HasSuffix(got[b], "#"+hb) {
			t.Errorf("%s: %+v, %v", name, files, err)
		}
	}
	for name, manifest := range map[string]string{
		"md5.json":   fmt.Sprintf(`{"0cc175b9c0f1b6a831c399e269772661": %q}`, a),
		"wrong.json": fmt.Sprintf(`{%q: %q}`, hb, a),
		"list.json":  `[1, 2]`,
		"empty.json": `{}`,
		"types.json": fmt.Sprintf(`{%q: 42}`, ha),
	} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(manifest), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := documents.ReadFiles([]string{path}); err == nil || !strings.HasPrefix(err.Error(), path+": ") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestFromManifestAndUnion: a manifest's documents are validated and make
// a set, which a union joins to another; an invalid document is named.
func TestFromManifestAndUnion(t *testing.T) {
	t.Parallel()
	a, b := "{ hello }", `query Named { hello(name: "x") }`
	manifest := fmt.Sprintf(`{%q: %q, %q: %q}`, documents.Hash(a), a, documents.Hash(b), b)
	set, err := documents.FromManifest("app.json", []byte(manifest), schema)
	if err != nil || set.Len() != 2 {
		t.Fatalf("FromManifest: %d documents, %v", set.Len(), err)
	}
	stored := documents.NewSet("{ hello(name: \"y\") }", a)
	u := stored.Union(set, nil)
	if u.Len() != 3 {
		t.Errorf("union of 2 and 2 documents sharing 1: %d", u.Len())
	}
	for _, text := range []string{a, b, "{ hello(name: \"y\") }"} {
		if got, ok := u.Get(documents.Hash(text)); !ok || got != text {
			t.Errorf("the union lacks %s", text)
		}
	}
	if stored.Len() != 2 {
		t.Errorf("the union changed its receiver: %d documents", stored.Len())
	}
	bad := "{ goodbye }"
	_, err = documents.FromManifest("app.json", []byte(fmt.Sprintf(`{%q: %q}`, documents.Hash(bad), bad)), schema)
	if err == nil || !strings.Contains(err.Error(), "app.json#"+documents.Hash(bad)) || !strings.Contains(err.Error(), "goodbye") {
		t.Errorf("an invalid document: %v", err)
	}
}
