package main

import (
	"database/sql"
	"fmt"
	"testing"
	"time"

	"grappe/globalid"
	"grappe/postgres"
	"grappe/postgres/pgtest"
)

// TestCampaignsCloseOnceAcrossServers: two servers on one database close
// the purchasing campaigns at their closesAt, without any request: each
// server hears of the campaigns opened (by itself or the other), sleeps
// until the first closesAt and closes what is due; every campaign closes
// once, with one entry in the audit trail, whichever server got there
// first.
func TestCampaignsCloseOnceAcrossServers(t *testing.T) {
	t.Parallel()
	url := pgtest.NewURL(t)
	vars := appVars(url, map[string]string{"GRAPPE_RATE_LIMIT": noRateLimit})
	a, b := startApp(t, vars), startApp(t, vars)
	defer a.Close()
	defer b.Close()
	sqlDB, err := sql.Open("pg", url)
	if err != nil {
		t.Fatal(err)
	}
	defer sqlDB.Close()
	if _, err := sqlDB.Exec(`INSERT INTO members (name, kind, joined_on) SELECT 'M' || g, 'COMPANY', '2020-01-01' FROM generate_series(1, 4) g`); err != nil {
		t.Fatal(err)
	}
	var members []string
	rows, err := sqlDB.Query(`SELECT id FROM members ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		members = append(members, globalid.Encode(globalid.TypeMember, id))
	}
	staff := staffToken(t)

	// Six campaigns created on A and opened on B, closing over the next
	// seconds; members commit through both.
	const n = 6
	const lead = 8 * time.Second // time enough to set them up, on a busy machine
	start := time.Now()
	var ids []string
	for i := range n {
		closes := start.Add(lead + time.Duration(i)*200*time.Millisecond).UTC().Format(time.RFC3339Nano)
		d := post(t, a.URL(), staff, `mutation($c: Time!, $t: String!) { createPurchasingCampaign(input: {title: $t, supplier: "S",
			unit: "litre", listPrice: 1000, negotiatedPrice: 800, closesAt: $c}) { campaign { id } } }`,
			map[string]any{"c": closes, "t": fmt.Sprintf("Campagne %d", i)})
		id := d["createPurchasingCampaign"].(map[string]any)["campaign"].(map[string]any)["id"].(string)
		post(t, b.URL(), staff, `mutation($id: ID!) { openPurchasingCampaign(input: {campaignId: $id}) { campaign { id } } }`, map[string]any{"id": id})
		for j, m := range members {
			app := []*App{a, b}[j%2]
			post(t, app.URL(), staff, `mutation($c: ID!, $m: ID!, $q: Int!) { commitToCampaign(input: {campaignId: $c, memberId: $m, quantity: $q}) {
				campaign { totalQuantity } } }`, map[string]any{"c": id, "m": m, "q": j + 1})
		}
		ids = append(ids, id)
	}
	if time.Since(start) > lead {
		t.Skipf("the machine is too slow: the campaigns were set up in %v", time.Since(start))
	}

	status := func(app *App, id string) map[string]any {
		return post(t, app.URL(), staff, `query($id: ID!) { node(id: $id) { ... on PurchasingCampaign { status closesAt closedAt totalQuantity } } }`,
			map[string]any{"id": id})["node"].(map[string]any)
	}
	closedAt := waitFor(t, "every campaign closed", 20*time.Second, func() bool {
		for _, id := range ids {
			if status(b, id)["status"] != "CLOSED" {
				return false
			}
		}
		return true
	})
	t.Logf("the last campaign closed %v after its closesAt", closedAt.Sub(start.Add(lead+(n-1)*200*time.Millisecond)).Round(time.Millisecond))
	for _, id := range ids {
		s := status(a, id)
		if s["closedAt"] != s["closesAt"] || s["totalQuantity"] != float64(10) {
			t.Errorf("campaign %s: %v", id, s)
		}
	}
	// One closing each in the audit trail, by the servers themselves.
	time.Sleep(200 * time.Millisecond) // a second closing would be committed by now
	log := post(t, b.URL(), staff, `{ auditLog(first: 100, filter: {mutations: ["closePurchasingCampaign"]}) {
		totalCount edges { node { subject targetId role } } } }`, nil)["auditLog"].(map[string]any)
	if log["totalCount"] != float64(n) {
		t.Fatalf("%v closings recorded for %d campaigns: %v", log["totalCount"], n, log["edges"])
	}
	seen := map[string]bool{}
	for _, e := range log["edges"].([]any) {
		node := e.(map[string]any)["node"].(map[string]any)
		if node["subject"] != postgres.CampaignCloserSubject || seen[node["targetId"].(string)] {
			t.Errorf("closing entry %v", node)
		}
		seen[node["targetId"].(string)] = true
	}
}
