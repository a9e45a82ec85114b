package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"time"

	"grappe/domain"
)

// replicaProbe measures how long a change committed through one grappe
// server takes to reach the network graph of a second server on the same
// database, as a client sees it: every 100 ms it creates a member on the
// first (STAFF) and, once answered, asks the second every 2 ms for the
// path from that member to itself, which its current graph answers once it
// holds the member (null before).
type replicaProbe struct {
	first, second string // GraphQL endpoints
	token         string
	client        *http.Client
	lags          []time.Duration
	lost          int // members not seen within 10 s
	failed        error
}

func newReplicaProbe(first, second string, tok *tokens) *replicaProbe {
	return &replicaProbe{first: first, second: second, token: tok.get(domain.RoleStaff, ""),
		client: &http.Client{Timeout: 10 * time.Second}}
}

// run probes until ctx ends.
func (p *replicaProbe) run(ctx context.Context) {
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for i := 0; ; i++ {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if err := p.probe(ctx, i); err != nil {
			if ctx.Err() == nil && p.failed == nil {
				p.failed = err
			}
			return
		}
	}
}

// probe creates one member on the first server and waits for the second's
// graph to hold it.
func (p *replicaProbe) probe(ctx context.Context, i int) error {
	var created struct {
		CreateMember struct{ Member struct{ ID string } }
	}
	name := fmt.Sprintf("Replica probe %d %d", time.Now().UnixNano(), i)
	if err := p.post(ctx, p.first, `mutation($name: String!) { createMember(input: {name: $name, kind: COMPANY}) { member { id } } }`,
		map[string]any{"name": name}, &created); err != nil {
		return err
	}
	committed := time.Now()
	id := created.CreateMember.Member.ID
	for time.Since(committed) < 10*time.Second {
		var held struct{ Path *struct{ Hops int } }
		if err := p.post(ctx, p.second, `query($id: ID!) { path(from: $id, to: $id) { hops } }`, map[string]any{"id": id}, &held); err != nil {
			return err
		}
		if held.Path != nil {
			p.lags = append(p.lags, time.Since(committed))
			return nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(2 * time.Millisecond):
		}
	}
	p.lost++
	return nil
}

// post sends a GraphQL request and decodes its data into out (when not
// nil); an error answer is an error.
func (p *replicaProbe) post(ctx context.Context, endpoint, query string, vars map[string]any, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(gqlBody(query, vars)))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+p.token)
	resp, err := p.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var body struct {
		Data   json.RawMessage
		Errors []struct{ Message string }
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return fmt.Errorf("%s: status %d: %w", endpoint, resp.StatusCode, err)
	}
	if len(body.Errors) > 0 {
		return fmt.Errorf("%s: %s", endpoint, body.Errors[0].Message)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(body.Data, out)
}

// Note says what the probe measured.
func (p *replicaProbe) Note() string {
	if len(p.lags) == 0 {
		return fmt.Sprintf("second server: no lag measured (%v)", p.failed)
	}
	lags := slices.Sorted(slices.Values(p.lags))
	q := func(f float64) string {
		return fmt.Sprintf("%.1f ms", float64(lags[min(len(lags)-1, int(f*float64(len(lags))))].Microseconds())/1000)
	}
	note := fmt.Sprintf("with a second grappe server on the database, a member created on the first every 100 ms during the measured write load was in the second's network graph (its answer to `path(from: $member, to: $member)`, asked every 2 ms) in p50 %s, p99 %s, max %s over %d probes",
		q(0.5), q(0.99), q(1), len(lags))
	if p.lost > 0 {
		note += fmt.Sprintf("; %d not within 10 s", p.lost)
	}
	if p.failed != nil {
		note += fmt.Sprintf("; the probe stopped: %v", p.failed)
	}
	return note
}
