// Package documents keeps the trusted GraphQL documents: the operations a
// client build registers ahead of time, each identified by the SHA-256 of
// its exact text (the id of GraphQL trusted documents and of APQ's
// sha256Hash). They are stored in a directory, one file per document named
// <hash>.graphql.
package documents

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
)

// Ext is the extension of document files.
const Ext = ".graphql"

// Hash returns the id of a document: the lowercase hex SHA-256 of its
// exact text.
func Hash(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])
}

// ParseID returns the hash an id names: ids are the 64 hex digits of a
// SHA-256, optionally prefixed with "sha256:" as the trusted documents
// convention allows. ok is false for anything else.
func ParseID(id string) (hash string, ok bool) {
	hash = strings.ToLower(strings.TrimPrefix(id, "sha256:"))
	if len(hash) != sha256.Size*2 {
		return "", false
	}
	if _, err := hex.DecodeString(hash); err != nil {
		return "", false
	}
	return hash, true
}

// Validate parses text and validates it against schema. The error, on one
// line, gives the position and message of each problem.
func Validate(schema *ast.Schema, text string) error {
	if strings.TrimSpace(text) == "" {
		return errors.New("empty document")
	}
	_, errs := gqlparser.LoadQuery(schema, text)
	if len(errs) == 0 {
		return nil
	}
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = describe(e)
	}
	return errors.New(strings.Join(msgs, "; "))
}

// describe is a parse or validation error with its first position.
func describe(e *gqlerror.Error) string {
	if len(e.Locations) > 0 {
		return fmt.Sprintf("line %d, column %d: %s", e.Locations[0].Line, e.Locations[0].Column, e.Message)
	}
	return e.Message
}

// Set is a read-only set of trusted documents, safe for concurrent use.
// The nil Set is empty.
type Set struct {
	docs map[string]string // by hash
}

// NewSet returns the set of texts, which are not validated.
func NewSet(texts ...string) *Set {
	s := &Set{docs: make(map[string]string, len(texts))}
	for _, t := range texts {
		s.docs[Hash(t)] = t
	}
	return s
}

// Get returns the text of the document with hash.
func (s *Set) Get(hash string) (string, bool) {
	if s == nil {
		return "", false
	}
	t, ok := s.docs[hash]
	return t, ok
}

// FromManifest reads a manifest of persisted documents (see readManifest;
// name names it in errors), validates each document against schema, and
// returns them as a set.
func FromManifest(name string, b []byte, schema *ast.Schema) (*Set, error) {
	files, err := readManifest(name, b)
	if err != nil {
		return nil, err
	}
	texts := make([]string, 0, len(files))
	for _, f := range files {
		if err := Validate(schema, f.Text); err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
		texts = append(texts, f.Text)
	}
	return NewSet(texts...), nil
}

// Union returns a set of the documents of s and of others.
func (s *Set) Union(others ...*Set) *Set {
	u := &Set{docs: map[string]string{}}
	for _, set := range append([]*Set{s}, others...) {
		if set != nil {
			maps.Copy(u.docs, set.docs)
		}
	}
	return u
}

// Len returns the number of documents.
func (s *Set) Len() int {
	if s == nil {
		return 0
	}
	return len(s.docs)
}

// Load reads every document stored in dir and validates each against
// schema. A missing dir is an empty set. The error names the first file
// that is not a valid document or not named after its hash.
func Load(dir string, schema *ast.Schema) (*Set, error) {
	stored, err := List(dir)
	if err != nil {
		return nil, err
	}
	s := &Set{docs: make(map[string]string, len(stored))}
	for _, d := range stored {
		if d.Hash != Hash(d.Text) {
			return nil, fmt.Errorf("%s: the file is not named after the SHA-256 of its text (%s): add documents with `grappe documents add`", d.Path, Hash(d.Text))
		}
		if err := Validate(schema, d.Text); err != nil {
			return nil, fmt.Errorf("%s: %w", d.Path, err)
		}
		s.docs[d.Hash] = d.Text
	}
	return s, nil
}

// Stored is a document file of a store directory.
type Stored struct {
	Hash string // from the file name
	Path string
	Text string
}

// Operations returns the names of the document's operations, "(anonymous)"
// for one without a name; nil if the text does not parse.
func (d Stored) Operations() []string {
	doc, err := parser.ParseQuery(&ast.Source{Input: d.Text})
	if err != nil {
		return nil
	}
	var names []string
	for _, op := range doc.Operations {
		name := op.Name
		if name == "" {
			name = "(anonymous)"
		}
		names = append(names, string(op.Operation)+" "+name)
	}
	return names
}

// List returns the documents stored in dir, by hash. A missing dir holds
// none.
func List(dir string) ([]Stored, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read documents directory: %w", err)
	}
	var out []Stored
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, Ext) {
			continue
		}
		path := filepath.Join(dir, name)
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("read document: %w", err)
		}
		out = append(out, Stored{Hash: strings.TrimSuffix(name, Ext), Path: path, Text: string(b)})
	}
	return out, nil
}

// File is a document to add, read from Name.
type File struct {
	Name string
	Text string
}

// ReadFiles reads the documents named by paths: files, directories whose
// *.graphql files (at any depth) are read in name order, and .json
// manifests of persisted documents (see readManifest).
func ReadFiles(paths []string) ([]File, error) {
	var out []File
	read := func(path string) error {
		b, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("read document: %w", err)
		}
		if strings.HasSuffix(path, ".json") {
			files, err := readManifest(path, b)
			out = append(out, files...)
			return err
		}
		out = append(out, File{Name: path, Text: string(b)})
		return nil
	}
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("read document: %w", err)
		}
		if !info.IsDir() {
			if err := read(p); err != nil {
				return nil, err
			}
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && strings.HasSuffix(d.Name(), Ext) {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("read documents: %w", err)
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("%s: no %s files", p, Ext)
		}
		slices.Sort(found)
		for _, path := range found {
			if err := read(path); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// Add validates every file against schema and, only if all are valid,
// stores each in dir under its hash. It returns the hashes in the order of
// files. The error names every invalid file, one a line.
func Add(dir string, schema *ast.Schema, files []File) ([]string, error) {
	var errs []error
	for _, f := range files {
		if err := Validate(schema, f.Text); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", f.Name, err))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create documents directory: %w", err)
	}
	hashes := make([]string, len(files))
	for i, f := range files {
		hashes[i] = Hash(f.Text)
		if err := write(filepath.Join(dir, hashes[i]+Ext), f.Text); err != nil {
			return nil, err
		}
	}
	return hashes, nil
}

// write stores text at path atomically: a server starting meanwhile reads
// either no file or the whole document.
func write(path, text string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".document-*")
	if err != nil {
		return fmt.Errorf("store document: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(text); err != nil {
		tmp.Close()
		return fmt.Errorf("store document: %w", err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("store document: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("store document: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("store document: %w", err)
	}
	return nil
}

// readManifest reads a manifest of persisted documents as client build
// tools write them: a JSON object of id → text (Relay's
// persisted_queries.json, GraphQL Code Generator's
// persisted-documents.json) or Apollo's persisted query manifest
// ({"operations": [{"id", "name", "body"}]}). Every id must be the
// SHA-256 of its text, the id the server will be sent. Each document is
// named path#id.
func readManifest(path string, b []byte) ([]File, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		return nil, fmt.Errorf("%s: not a JSON object of persisted documents", path)
	}
	byID := map[string]string{}
	if ops, ok := top["operations"]; ok {
		var apollo []struct{ ID, Body string }
		if err := json.Unmarshal(ops, &apollo); err != nil {
			return nil, fmt.Errorf("%s: operations is not a list of {id, body}", path)
		}
		for _, op := range apollo {
			byID[op.ID] = op.Body
		}
	} else {
		for id, raw := range top {
			var text string
			if err := json.Unmarshal(raw, &text); err != nil {
				return nil, fmt.Errorf("%s: the value of %q is not a document's text", path, id)
			}
			byID[id] = text
		}
	}
	if len(byID) == 0 {
		return nil, fmt.Errorf("%s: no documents", path)
	}
	var files []File
	for _, id := range slices.Sorted(maps.Keys(byID)) {
		text := byID[id]
		if hash, ok := ParseID(id); !ok || hash != Hash(text) {
			return nil, fmt.Errorf("%s: id %q is not the SHA-256 of its document (%s): make the client hash documents with SHA-256", path, id, Hash(text))
		}
		files = append(files, File{Name: path + "#" + id, Text: text})
	}
	return files, nil
}

// OperationNames returns the names of the named operations of the set's
// documents, each once, sorted.
func (s *Set) OperationNames() []string {
	if s == nil {
		return nil
	}
	var names []string
	for _, text := range s.docs {
		doc, err := parser.ParseQuery(&ast.Source{Input: text})
		if err != nil {
			continue
		}
		for _, op := range doc.Operations {
			if op.Name != "" {
				names = append(names, op.Name)
			}
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}
