package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// postgraphileStartTimeout bounds how long PostGraphile may take to
// introspect the database and answer its first request.
const postgraphileStartTimeout = 60 * time.Second

// startPostGraphile starts PostGraphile 5 (dir/server.mjs, see
// dir/README.md) serving dbURL on 127.0.0.1:port, port 0 meaning a free
// one, and waits until it answers a GraphQL request. It installs dir's
// node_modules with npm ci first when they are missing. stop ends the
// server's process group and waits for it.
func startPostGraphile(ctx context.Context, dir, dbURL string, port int) (endpoint string, stop func() error, err error) {
	node := filepath.Join(dir, "node_modules", ".bin", "node")
	if _, err := os.Stat(node); err != nil {
		if err := npmCI(ctx, dir); err != nil {
			return "", nil, err
		}
	}
	if port == 0 {
		if port, err = freePort(); err != nil {
			return "", nil, err
		}
	}
	out := &tailBuffer{max: 16 << 10}
	cmd := exec.Command(node, "server.mjs")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"DATABASE_URL="+dbURL, "PORT="+strconv.Itoa(port), "HOST=127.0.0.1",
		"GRAPHILE_ENV=production", "NODE_ENV=production")
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return "", nil, fmt.Errorf("start postgraphile: %w", err)
	}
	exited := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); close(exited) }()
	var once sync.Once
	var stopErr error
	stop = func() error {
		once.Do(func() {
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
			select {
			case <-exited:
			case <-time.After(5 * time.Second):
				_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
				<-exited
			}
			var exit *exec.ExitError
			if waitErr != nil && !(errors.As(waitErr, &exit) && !exit.Exited()) {
				stopErr = fmt.Errorf("postgraphile: %w", waitErr)
			}
		})
		return stopErr
	}
	endpoint = fmt.Sprintf("http://127.0.0.1:%d/graphql", port)
	if err := waitForGraphQL(ctx, endpoint, exited); err != nil {
		_ = stop()
		return "", nil, fmt.Errorf("postgraphile did not start: %w\n%s", err, out.String())
	}
	return endpoint, stop, nil
}

// npmCI installs dir's locked dependencies (PostGraphile and Node 22).
func npmCI(ctx context.Context, dir string) error {
	cmd := exec.CommandContext(ctx, "npm", "ci", "--no-audit", "--no-fund")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("npm ci in %s: %w\n%s", dir, err, out)
	}
	return nil
}

// waitForGraphQL polls endpoint with a trivial query until it answers 200,
// the process exits, ctx ends or postgraphileStartTimeout passes.
func waitForGraphQL(ctx context.Context, endpoint string, exited <-chan struct{}) error {
	ctx, cancel := context.WithTimeout(ctx, postgraphileStartTimeout)
	defer cancel()
	client := &http.Client{Timeout: 2 * time.Second}
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(`{"query":"{__typename}"}`))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-exited:
			return errors.New("the server exited")
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
}

// PostGraphile's documents for the scenarios it can express. Each asks for
// the rows and fields of grappe's document of the same name (see
// bench/postgraphile/README.md for the few differences of order):
//
//   - grappe lists ACTIVE members by name then id: status condition and
//     orderBy [NAME_ASC, ROW_ID_ASC];
//   - a member's business links on either side, newest first, with the other
//     party: the grappe_peer.member_links view (setup.sql);
//   - a member's current working groups, newest first: the
//     grappe_peer.current_participations view;
//   - search: the grappe_peer.search_members function, grappe's SQL.
const (
	pgDirectoryQuery = `query Directory($filter: MemberFilter) {
  allMembers(first: 20, orderBy: [NAME_ASC, ROW_ID_ASC], condition: {status: "ACTIVE"}, filter: $filter) {
    nodes { name sizeClass city memberTradesByMemberId { nodes { tradeByTradeId { code } } } }
  }
}`
	pgProfileQuery = `query Profile($id: BigInt!) {
  memberByRowId(rowId: $id) {
    name
    contactsByMemberId { nodes { name role email phone } }
    memberTradesByMemberId { nodes { tradeByTradeId { code } } }
    memberLinksByOwnerId(first: 10, condition: {status: "CONFIRMED"}, orderBy: [CREATED_AT_DESC, ROW_ID_DESC]) {
      nodes { kind since memberByCounterpartId { name } }
    }
    currentParticipationsByMemberId(first: 20, orderBy: [FORMED_AT_DESC, GROUP_ID_DESC]) {
      nodes { workingGroupByGroupId { name status } }
    }
  }
}`
	pgNestedQuery = `query Nested {
  allMembers(first: 50, orderBy: [NAME_ASC, ROW_ID_ASC], condition: {status: "ACTIVE"}) {
    nodes {
      name
      memberLinksByOwnerId(first: 10, orderBy: [CREATED_AT_DESC, ROW_ID_DESC]) {
        nodes { kind memberByCounterpartId { name memberTradesByMemberId { nodes { tradeByTradeId { code } } } } }
      }
    }
  }
}`
	pgSearchQuery = `query Search($words: String!) {
  searchMembers(words: $words, first: 20) {
    nodes { name sizeClass city memberTradesByMemberId { nodes { tradeByTradeId { code } } } }
  }
}`
)

// postgraphileScenarios returns PostGraphile's documents for the scenarios
// it shares with grappe, by scenario name. Grappe's side must be read by an
// ANALYST (or STAFF) viewer: PostGraphile serves every link and contact.
func postgraphileScenarios() map[string]PeerScenario {
	out := postgraphileShapes()
	for name, ps := range postgraphileWorkload() {
		out[name] = ps
	}
	return out
}

// postgraphileWorkload returns PostGraphile's documents for issue 7's
// workload.
func postgraphileWorkload() map[string]PeerScenario {
	return map[string]PeerScenario{
		"directory": {Query: pgDirectoryQuery, Vars: postgraphileDirectoryVars},
		"profile": {Query: pgProfileQuery, Vars: func(s Sample) map[string]any {
			return map[string]any{"id": strconv.FormatInt(s.MemberID, 10)}
		}},
		"nested": {Query: pgNestedQuery, Vars: func(Sample) map[string]any { return nil }},
		"search": {Query: pgSearchQuery, Vars: func(s Sample) map[string]any {
			return map[string]any{"words": s.Word}
		}},
	}
}

// postgraphileDirectoryVars turns a sample into the directory's filter. A
// trade matches its sub-trades as in grappe: a member qualifies when one of
// its trades is a sample trade or a child of one, which covers grappe's
// two-level taxonomy (a deeper tree would need one more parentId level).
func postgraphileDirectoryVars(s Sample) map[string]any {
	filter := map[string]any{}
	if len(s.Regions) > 0 {
		filter["region"] = map[string]any{"in": s.Regions}
	}
	if len(s.TradeIDs) > 0 {
		ids := make([]string, len(s.TradeIDs))
		for i, id := range s.TradeIDs {
			ids[i] = strconv.FormatInt(id, 10)
		}
		filter["memberTradesByMemberId"] = map[string]any{"some": map[string]any{
			"tradeByTradeId": map[string]any{"or": []any{
				map[string]any{"rowId": map[string]any{"in": ids}},
				map[string]any{"parentId": map[string]any{"in": ids}},
			}},
		}}
	}
	if len(filter) == 0 {
		return nil // the filter plugin refuses an empty filter object
	}
	return map[string]any{"filter": filter}
}
