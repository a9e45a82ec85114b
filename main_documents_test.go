package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"grappe/auth"
	"grappe/documents"
	"grappe/domain"
	"grappe/postgres/pgtest"
)

// writeFiles writes name → text files under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestDocumentsCommand checks that `grappe documents add` stores valid
// documents under their hash, refuses invalid ones naming the file, and
// that a stored document that is not valid fails the server's start.
func TestDocumentsCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	store := filepath.Join(dir, "documents")
	vars := map[string]string{"GRAPPE_DATA_DIR": filepath.Join(dir, "data"), "GRAPPE_DOCUMENTS_DIR": store}
	const viewer = "query Viewer { viewer { role } }\n"
	const trades = "query Trades { trades { code name(lang: FR) } }\n"
	writeFiles(t, dir, map[string]string{"app/viewer.graphql": viewer, "app/screens/trades.graphql": trades})

	out := runCommand(t, vars, "documents", "add", filepath.Join(dir, "app"))
	want := documents.Hash(trades) + "  " + filepath.Join(dir, "app/screens/trades.graphql") + "\n" +
		documents.Hash(viewer) + "  " + filepath.Join(dir, "app/viewer.graphql") + "\n"
	if out != want {
		t.Fatalf("documents add printed\n%s\nwant\n%s", out, want)
	}
	for _, text := range []string{viewer, trades} {
		if b, err := os.ReadFile(filepath.Join(store, documents.Hash(text)+".graphql")); err != nil || string(b) != text {
			t.Fatalf("stored %q, %v; want %q", b, err, text)
		}
	}
	if out := runCommand(t, vars, "documents", "list"); !strings.Contains(out, documents.Hash(viewer)+"  query Viewer\n") {
		t.Fatalf("documents list printed %q", out)
	}

	// An invalid document is refused, named, and nothing is stored.
	bad := filepath.Join(dir, "bad.graphql")
	writeFiles(t, dir, map[string]string{"bad.graphql": "query Bad { viewer { secret } }", "good.graphql": "{ trades { code } }"})
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"documents", "add", filepath.Join(dir, "good.graphql"), bad}, testEnv(vars), &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), bad+`: line 1, column 22: Cannot query field "secret" on type "Viewer".`) {
		t.Fatalf("documents add of an invalid file: %v", err)
	}
	if stored, _ := documents.List(store); len(stored) != 2 {
		t.Fatalf("%d documents stored after a refused add, want 2", len(stored))
	}
	if err := run(context.Background(), []string{"documents", "add"}, testEnv(vars), &stdout, &stderr); err != errUsage {
		t.Fatalf("documents add without files: %v", err)
	}

	// A stored document that no longer validates fails the start, with
	// one line naming it, before the database is opened.
	stale := filepath.Join(store, documents.Hash("{ viewer { secret } }")+".graphql")
	writeFiles(t, store, map[string]string{filepath.Base(stale): "{ viewer { secret } }"})
	vars["DATABASE_URL"] = "postgres://unused.invalid/grappe"
	err = run(context.Background(), nil, testEnv(vars), &stdout, &stderr)
	if err == nil || !strings.HasPrefix(err.Error(), "trusted documents: "+stale+": line 1, column 12:") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("start with an invalid stored document: %v", err)
	}
}

// TestTrustedDocumentsWired starts the program in allowlist mode and checks
// that a PUBLIC caller gets registered documents by id only, while STAFF
// keeps ad-hoc queries.
func TestTrustedDocumentsWired(t *testing.T) {
	t.Parallel()
	const secret = "documents-test-secret-documents-test"
	dir := t.TempDir()
	vars := map[string]string{
		"DATABASE_URL": pgtest.NewURL(t), "PORT": "0", "GRAPPE_HOST": "127.0.0.1", "GRAPPE_DEMO": "false",
		"GRAPPE_JWT_SECRET": secret, "GRAPPE_DATA_DIR": filepath.Join(dir, "data"),
		"GRAPPE_DOCUMENTS_DIR": filepath.Join(dir, "documents"), "GRAPPE_TRUSTED_DOCUMENTS": "on",
	}
	const viewer = "query Viewer { viewer { role } }"
	writeFiles(t, dir, map[string]string{"viewer.graphql": viewer})
	runCommand(t, vars, "documents", "add", filepath.Join(dir, "viewer.graphql"))
	app := startApp(t, vars)
	defer app.Close()
	staff, err := auth.Issue(auth.Config{Secret: []byte(secret)}, domain.RoleStaff, "", time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}

	send := func(tok string, body map[string]any) (int, string, string) {
		t.Helper()
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest(http.MethodPost, app.URL()+"/graphql", bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/graphql-response+json")
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out struct {
			Data   struct{ Viewer struct{ Role string } }
			Errors []struct{ Extensions struct{ Code string } }
		}
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
			t.Fatal(err)
		}
		code := ""
		if len(out.Errors) > 0 {
			code = out.Errors[0].Extensions.Code
		}
		return resp.StatusCode, code, out.Data.Viewer.Role
	}
	if status, code, _ := send("", map[string]any{"query": viewer}); status != 400 || code != "PERSISTED_QUERY_REQUIRED" {
		t.Errorf("PUBLIC ad-hoc: %d %s", status, code)
	}
	if status, code, role := send("", map[string]any{"documentId": documents.Hash(viewer)}); status != 200 || code != "" || role != "PUBLIC" {
		t.Errorf("PUBLIC documentId: %d %s %s", status, code, role)
	}
	if status, code, role := send(staff, map[string]any{"query": "{ viewer { role } }"}); status != 200 || code != "" || role != "STAFF" {
		t.Errorf("STAFF ad-hoc: %d %s %s", status, code, role)
	}
}
