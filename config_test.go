package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestSmallWorldIntervalConfig(t *testing.T) {
	cfg, err := loadConfig(testEnv(nil))
	if err != nil || cfg.SmallWorldInterval != 6*time.Hour {
		t.Errorf("default: %v, %v; want 6h", cfg.SmallWorldInterval, err)
	}
	cfg, err = loadConfig(testEnv(map[string]string{"GRAPPE_SMALL_WORLD_INTERVAL": "30m"}))
	if err != nil || cfg.SmallWorldInterval != 30*time.Minute {
		t.Errorf("30m: %v, %v", cfg.SmallWorldInterval, err)
	}
	for _, bad := range []string{"6", "-1h", "0s", "soon"} {
		if _, err := loadConfig(testEnv(map[string]string{"GRAPPE_SMALL_WORLD_INTERVAL": bad})); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestTimeZoneConfig(t *testing.T) {
	cfg, err := loadConfig(testEnv(nil))
	if err != nil || cfg.TimeZone.String() != "Europe/Paris" {
		t.Errorf("default: %v, %v; want Europe/Paris", cfg.TimeZone, err)
	}
	cfg, err = loadConfig(testEnv(map[string]string{"GRAPPE_TIME_ZONE": "America/Montreal"}))
	if err != nil || cfg.TimeZone.String() != "America/Montreal" {
		t.Errorf("America/Montreal: %v, %v", cfg.TimeZone, err)
	}
	if _, err := loadConfig(testEnv(map[string]string{"GRAPPE_TIME_ZONE": "Mars/Olympus"})); err == nil {
		t.Error("unknown zone accepted")
	}
}

// TestProtectionDefaults checks that every limit is on by default, with
// room for a dashboard sending 100 requests a second, and that bad values
// are refused.
func TestProtectionDefaults(t *testing.T) {
	cfg, err := loadConfig(testEnv(nil))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.MaxDepth != 15 || cfg.MaxAliases != 50 || cfg.MaxRootFields != 20 || cfg.MaxTokens != 10000 ||
		cfg.ComplexityLimit != 20000 || cfg.MaxBodyBytes != 1<<20 || cfg.TrustedProxies != 0 || len(cfg.CORSOrigins) != 0 {
		t.Errorf("defaults: %+v", cfg)
	}
	if perSecond := float64(cfg.RateLimit) / cfg.RateWindow.Seconds(); perSecond < 100 {
		t.Errorf("default rate limit %d per %s: %.0f requests/s, want at least 100", cfg.RateLimit, cfg.RateWindow, perSecond)
	}
	cfg, err = loadConfig(testEnv(map[string]string{"GRAPPE_CORS_ORIGINS": " https://a.example, ,https://b.example ", "GRAPPE_RATE_LIMIT": "0"}))
	if err != nil || len(cfg.CORSOrigins) != 2 || cfg.CORSOrigins[1] != "https://b.example" || cfg.RateLimit != 0 {
		t.Errorf("CORS origins %q, rate limit %d, %v", cfg.CORSOrigins, cfg.RateLimit, err)
	}
	for key, bad := range map[string]string{
		"GRAPPE_RATE_LIMIT_WINDOW": "500ms", "GRAPPE_MAX_DEPTH": "-1", "GRAPPE_MAX_BODY_BYTES": "1MB", "GRAPPE_RATE_LIMIT": "many",
	} {
		if _, err := loadConfig(testEnv(map[string]string{key: bad})); err == nil {
			t.Errorf("%s=%q accepted", key, bad)
		}
	}
}

// TestTrustedDocumentsConfig checks that the allowlist is off by default
// and that documents live in the data directory unless told otherwise.
func TestTrustedDocumentsConfig(t *testing.T) {
	cfg, err := loadConfig(testEnv(map[string]string{"GRAPPE_DATA_DIR": "/srv/grappe"}))
	if err != nil || cfg.TrustedDocuments || cfg.DocumentsDir != "/srv/grappe/documents" {
		t.Errorf("default: %v %q, %v", cfg.TrustedDocuments, cfg.DocumentsDir, err)
	}
	cfg, err = loadConfig(testEnv(map[string]string{"GRAPPE_TRUSTED_DOCUMENTS": "on", "GRAPPE_DOCUMENTS_DIR": "/etc/grappe/documents"}))
	if err != nil || !cfg.TrustedDocuments || cfg.DocumentsDir != "/etc/grappe/documents" {
		t.Errorf("on: %v %q, %v", cfg.TrustedDocuments, cfg.DocumentsDir, err)
	}
	if _, err := loadConfig(testEnv(map[string]string{"GRAPPE_TRUSTED_DOCUMENTS": "yes please"})); err == nil {
		t.Error("GRAPPE_TRUSTED_DOCUMENTS=yes please accepted")
	}
}

func TestTimeAndLoadConfig(t *testing.T) {
	cfg, err := loadConfig(testEnv(nil))
	if err != nil || cfg.RequestTimeout != 15*time.Second || cfg.DBPoolWait != 5*time.Second || !cfg.PGRestart {
		t.Errorf("defaults: request timeout %v, pool wait %v, pg restart %v, %v; want 15s, 5s, true",
			cfg.RequestTimeout, cfg.DBPoolWait, cfg.PGRestart, err)
	}
	cfg, err = loadConfig(testEnv(map[string]string{
		"GRAPPE_REQUEST_TIMEOUT": "0", "GRAPPE_DB_POOL_WAIT": "250ms", "GRAPPE_PG_RESTART": "false",
	}))
	if err != nil || cfg.RequestTimeout != 0 || cfg.DBPoolWait != 250*time.Millisecond || cfg.PGRestart {
		t.Errorf("overrides: %v %v %v, %v", cfg.RequestTimeout, cfg.DBPoolWait, cfg.PGRestart, err)
	}
	for key, bad := range map[string]string{"GRAPPE_REQUEST_TIMEOUT": "15", "GRAPPE_DB_POOL_WAIT": "-1s", "GRAPPE_PG_RESTART": "maybe"} {
		if _, err := loadConfig(testEnv(map[string]string{key: bad})); err == nil {
			t.Errorf("%s=%q accepted", key, bad)
		}
	}
}

// TestSubscriptionConfig checks the defaults of the subscription
// transports, that 0 turns each off, and that bad values are refused.
func TestSubscriptionConfig(t *testing.T) {
	cfg, err := loadConfig(testEnv(nil))
	if err != nil || cfg.SubscriptionWriteTimeout != 10*time.Second || cfg.SubscriptionKeepAlive != 25*time.Second ||
		cfg.MaxSubscriptionsPerConnection != 20 || cfg.MaxSubscriptionConnections != 1000 {
		t.Errorf("defaults: write timeout %s, keep-alive %s, %d per connection, %d connections, %v",
			cfg.SubscriptionWriteTimeout, cfg.SubscriptionKeepAlive, cfg.MaxSubscriptionsPerConnection, cfg.MaxSubscriptionConnections, err)
	}
	cfg, err = loadConfig(testEnv(map[string]string{"GRAPPE_SUBSCRIPTION_WRITE_TIMEOUT": "0", "GRAPPE_SUBSCRIPTION_KEEP_ALIVE": "0",
		"GRAPPE_MAX_SUBSCRIPTIONS_PER_CONNECTION": "0", "GRAPPE_MAX_SUBSCRIPTION_CONNECTIONS": "0"}))
	if err != nil || cfg.SubscriptionWriteTimeout != 0 || cfg.SubscriptionKeepAlive != 0 ||
		cfg.MaxSubscriptionsPerConnection != 0 || cfg.MaxSubscriptionConnections != 0 {
		t.Errorf("all off: %+v, %v", cfg, err)
	}
	for key, bad := range map[string]string{
		"GRAPPE_SUBSCRIPTION_WRITE_TIMEOUT": "10", "GRAPPE_SUBSCRIPTION_KEEP_ALIVE": "-1s",
		"GRAPPE_MAX_SUBSCRIPTIONS_PER_CONNECTION": "-1", "GRAPPE_MAX_SUBSCRIPTION_CONNECTIONS": "many",
	} {
		if _, err := loadConfig(testEnv(map[string]string{key: bad})); err == nil {
			t.Errorf("%s=%q accepted", key, bad)
		}
	}
}

// TestConfigurationDocumented checks that docs/configuration.md has a row
// for every variable config.go reads.
func TestConfigurationDocumented(t *testing.T) {
	code, err := os.ReadFile("config.go")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile("docs/configuration.md")
	if err != nil {
		t.Fatal(err)
	}
	read := regexp.MustCompile(`"((?:GRAPPE_|DATABASE_URL|PORT)[A-Z_]*)"`).FindAllStringSubmatch(string(code), -1)
	if len(read) < 30 {
		t.Fatalf("found %d variables in config.go: the pattern is stale", len(read))
	}
	for _, m := range read {
		if !strings.Contains(string(doc), "| `"+m[1]+"` |") {
			t.Errorf("%s is read by config.go but has no row in docs/configuration.md", m[1])
		}
	}
}

func TestMetricsAddrConfig(t *testing.T) {
	for _, c := range []struct {
		vars map[string]string
		want string
	}{
		{nil, ""},
		{map[string]string{"GRAPPE_METRICS_ADDR": "127.0.0.1:9100"}, "127.0.0.1:9100"},
		{map[string]string{"GRAPPE_ENV": "production"}, "127.0.0.1:9090"},
		{map[string]string{"GRAPPE_ENV": "production", "GRAPPE_METRICS_ADDR": "off"}, ""},
		{map[string]string{"GRAPPE_ENV": "production", "GRAPPE_METRICS_ADDR": ""}, ""},
		{map[string]string{"GRAPPE_METRICS_ADDR": ""}, ""},
		{map[string]string{"GRAPPE_ENV": "production", "GRAPPE_METRICS_ADDR": ":9200"}, ":9200"},
	} {
		cfg, _ := loadConfig(testEnv(c.vars))
		if cfg.MetricsAddr != c.want {
			t.Errorf("%v: metrics address %q; want %q", c.vars, cfg.MetricsAddr, c.want)
		}
	}
}

// TestConsoleConfig checks that the console is on in development and off
// in production unless GRAPPE_CONSOLE turns it on.
func TestConsoleConfig(t *testing.T) {
	for _, c := range []struct {
		vars map[string]string
		want bool
	}{
		{nil, true},
		{map[string]string{"GRAPPE_CONSOLE": "off"}, false},
		{map[string]string{"GRAPPE_ENV": "production"}, false},
		{map[string]string{"GRAPPE_ENV": "production", "GRAPPE_CONSOLE": "on"}, true},
		{map[string]string{"GRAPPE_ENV": "production", "GRAPPE_CONSOLE": "TRUE"}, true},
	} {
		cfg, err := loadConfig(testEnv(c.vars))
		if err != nil || cfg.Console != c.want {
			t.Errorf("%v: console %v, %v; want %v", c.vars, cfg.Console, err, c.want)
		}
	}
	if _, err := loadConfig(testEnv(map[string]string{"GRAPPE_CONSOLE": "sometimes"})); err == nil {
		t.Error("GRAPPE_CONSOLE=sometimes accepted")
	}
}
