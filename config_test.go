package main

import (
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
