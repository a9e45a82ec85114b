package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"grappe/postgres/pgtest"
	"grappe/telemetry"
)

// TestProductionRefusesShortSecret: production refuses an HS256 secret
// under 32 bytes at start, with a one-line reason, before touching anything.
func TestProductionRefusesShortSecret(t *testing.T) {
	t.Parallel()
	for _, secret := range []string{"abc", strings.Repeat("x", 31)} {
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), nil, testEnv(map[string]string{
			"GRAPPE_ENV": "production", "GRAPPE_JWT_SECRET": secret, "DATABASE_URL": "postgres://unused",
		}), &stdout, &stderr)
		if err == nil || !strings.Contains(err.Error(), "GRAPPE_JWT_SECRET is "+strconv.Itoa(len(secret))+" bytes") ||
			!strings.Contains(err.Error(), "at least 32") || strings.Contains(err.Error(), "\n") {
			t.Errorf("%d-byte secret in production: %v", len(secret), err)
		}
		if strings.Contains(err.Error(), secret) || strings.Contains(stderr.String(), secret) {
			t.Errorf("the secret is shown: %v %s", err, stderr.String())
		}
	}
	cfg, err := loadConfig(testEnv(map[string]string{"GRAPPE_ENV": "production", "GRAPPE_JWT_SECRET": strings.Repeat("x", 32)}))
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.checkProduction(); err != nil {
		t.Errorf("32-byte secret in production: %v", err)
	}
}

// TestDevelopmentWarnsShortSecret: development accepts a short secret,
// with a warning that does not show it.
func TestDevelopmentWarnsShortSecret(t *testing.T) {
	t.Parallel()
	const secret = "short-dev-secret"
	var logs syncWriter
	logs.w = new(bytes.Buffer)
	cfg, err := loadConfig(testEnv(map[string]string{
		"DATABASE_URL": pgtest.NewURL(t), "PORT": "0", "GRAPPE_HOST": "127.0.0.1", "GRAPPE_DEMO": "false",
		"GRAPPE_JWT_SECRET": secret,
	}))
	if err != nil {
		t.Fatal(err)
	}
	app := &App{Config: cfg, Log: slog.New(slog.NewTextHandler(&logs, nil))}
	if err := app.Start(context.Background()); err != nil {
		_ = app.Close()
		t.Fatalf("start: %v", err)
	}
	defer app.Close()
	out := logs.String()
	if !strings.Contains(out, "level=WARN") || !strings.Contains(out, "shorter than 32 bytes") {
		t.Errorf("no warning of the short secret:\n%s", out)
	}
	if strings.Contains(out, secret) {
		t.Errorf("the secret is logged:\n%s", out)
	}
}

// TestPortTakenStartsNothing: with the port taken, the server fails at
// once with a one-line reason: no private PostgreSQL is started and no
// data directory is created.
func TestPortTakenStartsNothing(t *testing.T) {
	t.Parallel()
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	port := taken.Addr().(*net.TCPAddr).Port
	dataDir := filepath.Join(t.TempDir(), "data")
	cfg, err := loadConfig(testEnv(map[string]string{
		"PORT": strconv.Itoa(port), "GRAPPE_HOST": "127.0.0.1", "GRAPPE_DATA_DIR": dataDir,
	}))
	if err != nil {
		t.Fatal(err)
	}
	app := &App{Config: cfg, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	err = app.Start(context.Background())
	if cerr := app.Close(); cerr != nil {
		t.Errorf("close: %v", cerr)
	}
	if err == nil || !strings.Contains(err.Error(), "already in use") || !strings.Contains(err.Error(), strconv.Itoa(port)) ||
		strings.Contains(err.Error(), "\n") {
		t.Fatalf("start on a taken port: %v", err)
	}
	if _, err := os.Stat(dataDir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("data directory after a failed listen: %v", err)
	}
}

// TestReadyLineTrueToMode: the line printed when the server is ready names
// GraphiQL and the console in development, where / and /console serve
// them, and not in production, where both are 404s.
func TestReadyLineTrueToMode(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		env      string
		graphiql bool
	}{{"development", true}, {"production", false}} {
		t.Run(c.env, func(t *testing.T) {
			t.Parallel()
			vars := appVars(pgtest.NewURL(t), map[string]string{"GRAPPE_ENV": c.env})
			cfg, err := loadConfig(testEnv(vars))
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			stdout := &syncWriter{w: new(bytes.Buffer)}
			done := make(chan error, 1)
			go func() {
				done <- serve(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), telemetry.Off(), stdout)
			}()
			defer func() {
				cancel()
				if err := <-done; err != nil {
					t.Errorf("serve: %v", err)
				}
			}()
			var line string
			waitFor(t, "the ready line", 30*time.Second, func() bool {
				select {
				case err := <-done:
					done <- err
					t.Fatalf("serve returned: %v", err)
				default:
				}
				line, _, _ = strings.Cut(stdout.String(), "\n")
				return strings.Contains(stdout.String(), "\n")
			})
			if !strings.HasPrefix(line, "grappe is ready: ") || !strings.HasSuffix(line, "/graphql") {
				t.Fatalf("ready line %q", line)
			}
			if got := strings.Contains(line, "GraphiQL"); got != c.graphiql {
				t.Errorf("ready line %q names GraphiQL: %v, want %v", line, got, c.graphiql)
			}
			url := strings.TrimSuffix(line[strings.LastIndex(line, " ")+1:], "/graphql")
			want := http.StatusNotFound
			if c.graphiql {
				want = http.StatusOK
			}
			if code, _ := get(t, url+"/"); code != want {
				t.Errorf("GET / = %d, want %d", code, want)
			}
			if got := strings.Contains(line, "the console at "+url+"/console"); got != c.graphiql {
				t.Errorf("ready line %q names the console: %v, want %v", line, got, c.graphiql)
			}
			if code, _ := get(t, url+"/console"); code != want {
				t.Errorf("GET /console = %d, want %d", code, want)
			}
		})
	}
}
