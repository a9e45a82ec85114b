package main

import (
	"encoding/xml"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

// TestExportEndToEnd downloads the GraphML export of the demo network from
// the running program with a STAFF token: every ACTIVE member a node, as
// many edges as the network has links; an anonymous caller is refused.
func TestExportEndToEnd(t *testing.T) {
	dir := reachableTempDir(t)
	vars := map[string]string{"PORT": "0", "GRAPPE_DATA_DIR": filepath.Join(dir, "data"), "GRAPPE_HOST": "127.0.0.1"}
	app := startApp(t, vars)
	defer app.Close()
	url := app.URL() + "/export/network.graphml"

	if code, body := get(t, url); code != http.StatusUnauthorized || !strings.Contains(body, "UNAUTHENTICATED") {
		t.Fatalf("anonymous export = %d %s", code, body)
	}
	staff := strings.TrimSpace(runCommand(t, vars, "token", "--role", "STAFF"))
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+staff)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("export = %d %v %.300s", resp.StatusCode, err, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/graphml+xml; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	var doc struct {
		Graph struct {
			Nodes []struct {
				ID   string `xml:"id,attr"`
				Data []struct {
					Key   string `xml:"key,attr"`
					Value string `xml:",chardata"`
				} `xml:"data"`
			} `xml:"node"`
			Edges []struct{} `xml:"edge"`
		} `xml:"graph"`
	}
	if err := xml.Unmarshal(body, &doc); err != nil {
		t.Fatalf("GraphML: %v", err)
	}
	if n := len(doc.Graph.Nodes); n != 182 {
		t.Fatalf("GraphML of the demo network has %d nodes, want 182", n)
	}
	named := 0
	for _, n := range doc.Graph.Nodes {
		for _, d := range n.Data {
			if d.Key == "name" && d.Value != "" {
				named++
			}
		}
	}
	if named != 182 {
		t.Errorf("%d nodes carry a name, want 182", named)
	}
	nw := post(t, app.URL(), staff, `{ network { memberCount linkCount } }`, nil)["network"].(map[string]any)
	if links := int(nw["linkCount"].(float64)); len(doc.Graph.Edges) != links || links == 0 {
		t.Errorf("GraphML has %d edges, the network %d links", len(doc.Graph.Edges), links)
	}
}
