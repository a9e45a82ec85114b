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
