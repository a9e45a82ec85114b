package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"grappe/postgres/pgtest"
)

// clientsDir holds the Node harness that runs the npm subscription clients.
const clientsDir = "httpapi/clients"

// clientLine is one line httpapi/clients/subscribe.mjs prints.
type clientLine struct {
	Event   string          `json:"event"`
	Payload json.RawMessage `json:"payload"`
	Code    int             `json:"code"`
	Error   json.RawMessage `json:"error"`
}

// TestSubscriptionRealClients runs the npm clients graphql-ws (over
// WebSocket, with the server pinging every second) and graphql-sse
// (distinct connections mode), unmodified, against the server: a member
// subscribes to businessLinkChanged with its token, and hears of the link
// another member declares through a mutation. The graphql-ws client must
// answer the pings and keep its one connection. It needs node and npm
// (scripts/ensure-node installs them), and installs the harness's
// packages with npm ci when they are missing.
func TestSubscriptionRealClients(t *testing.T) {
	t.Parallel()
	node, errNode := exec.LookPath("node")
	npm, errNpm := exec.LookPath("npm")
	if errNode != nil || errNpm != nil {
		t.Fatal("node and npm are needed to run the subscription clients: run scripts/ensure-node, or apt-get install nodejs npm")
	}
	if _, err := os.Stat(filepath.Join(clientsDir, "node_modules", "graphql-ws", "package.json")); err != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, npm, "ci", "--no-audit", "--no-fund", "--loglevel=error")
		cmd.Dir = clientsDir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("npm ci in %s: %v\n%s", clientsDir, err, out)
		}
	}

	app := startApp(t, appVars(pgtest.NewURL(t), map[string]string{"GRAPPE_SUBSCRIPTION_KEEP_ALIVE": "1s", "GRAPPE_RATE_LIMIT": noRateLimit}))
	defer app.Close()
	staff := staffToken(t)
	ids := make([]string, 3)
	for i := range ids {
		d := post(t, app.URL(), staff, createMember, map[string]any{"name": fmt.Sprintf("Member %c", 'A'+i)})
		ids[i] = d["createMember"].(map[string]any)["member"].(map[string]any)["id"].(string)
	}
	declarer := memberToken(t, ids[0])

	for i, protocol := range []string{"ws", "sse"} {
		t.Run(protocol, func(t *testing.T) {
			subscriber := ids[i+1]
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, node, "subscribe.mjs", protocol, app.URL()+"/graphql", memberToken(t, subscriber), "1", linkEvents)
			cmd.Dir = clientsDir
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			lines := make(chan clientLine, 100)
			go func() {
				defer close(lines)
				sc := bufio.NewScanner(stdout)
				for sc.Scan() {
					var l clientLine
					if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
						l = clientLine{Event: "unreadable: " + sc.Text()}
					}
					lines <- l
				}
			}()
			nextLine := func() clientLine {
				select {
				case l, ok := <-lines:
					if !ok {
						t.Fatalf("the client exited: %v\n%s", cmd.Wait(), stderr.String())
					}
					return l
				case <-time.After(30 * time.Second):
					t.Fatalf("the client printed nothing for 30 s\n%s", stderr.String())
				}
				return clientLine{}
			}

			waitFor(t, "the subscription registered", 30*time.Second, func() bool { return app.events.Subscriptions() == 1 })
			connected := 0
			if protocol == "ws" {
				// Three pings answered: the connection outlived the
				// two seconds a client that answers none is given.
				for pings := 0; pings < 3; {
					switch l := nextLine(); l.Event {
					case "connected":
						connected++
					case "ping":
						pings++
					default:
						t.Fatalf("before any event: %+v", l)
					}
				}
			}
			post(t, app.URL(), declarer, `mutation($f: ID!, $t: ID!) { declareBusinessLink(input: {fromId: $f, toId: $t, kind: SUPPLY}) { link { id } } }`,
				map[string]any{"f": ids[0], "t": subscriber})
			for {
				l := nextLine()
				if l.Event == "connected" {
					connected++
					continue
				}
				if l.Event == "ping" {
					continue
				}
				var p struct {
					Data struct {
						BusinessLinkChanged struct {
							Kind string
							Link struct{ From, To struct{ Name string } }
						}
					}
					Errors []any
				}
				if l.Event != "next" || json.Unmarshal(l.Payload, &p) != nil || len(p.Errors) > 0 ||
					p.Data.BusinessLinkChanged.Kind != "DECLARED" || p.Data.BusinessLinkChanged.Link.From.Name != "Member A" {
					t.Fatalf("got %+v %s %s, want the DECLARED event", l, l.Payload, l.Error)
				}
				break
			}
			if protocol == "ws" && connected != 1 {
				t.Errorf("the client connected %d times, want once", connected)
			}
			for range lines {
				// Read to the end before Wait closes the pipe.
			}
			if err := cmd.Wait(); err != nil {
				t.Errorf("the client: %v\n%s", err, stderr.String())
			}
			waitFor(t, "the subscription ended", 10*time.Second, func() bool { return app.events.Subscriptions() == 0 })
		})
	}
}
