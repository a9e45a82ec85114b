package network

import (
	"context"
	"testing"
	"time"

	"grappe/domain"
)

// TestAwaitMeasures: a request whose deadline passes while a large
// network's measures are computed gets UNAVAILABLE instead of waiting on
// past it; the computation goes on, and a request with time finds the
// measures. Network and Centrality wait the same way.
func TestAwaitMeasures(t *testing.T) {
	t.Parallel()
	members, pairs := smallWorld(10000, 10, 0.1, 3)
	s := Build(members, pairs, 1, time.Now())
	a := Analytics{Source: fixed{s}}

	ctx, cancel := context.WithTimeout(as(domain.RoleAnalyst, 0), time.Millisecond)
	defer cancel()
	if _, err := a.Network(ctx); domain.ErrorCode(err) != domain.CodeUnavailable {
		t.Fatalf("Network past its deadline while measuring: %v, want UNAVAILABLE", err)
	}
	if err := s.AwaitMeasures(ctx); domain.ErrorCode(err) != domain.CodeUnavailable {
		t.Fatalf("AwaitMeasures past the deadline: %v, want UNAVAILABLE", err)
	}

	if err := s.AwaitMeasures(context.Background()); err != nil {
		t.Fatal(err)
	}
	for name, ready := range map[string]bool{"local": s.local.ready(), "pageRank": s.pr.ready(), "components": s.comps.ready(),
		"articulation": s.art.ready(), "communities": s.comms.ready()} {
		if !ready {
			t.Errorf("%s not computed after AwaitMeasures", name)
		}
	}
	if s.paths.ready() {
		t.Error("AwaitMeasures computed the path measures: they are the background's")
	}
	n, err := a.Network(as(domain.RoleAnalyst, 0))
	if err != nil || n.MemberCount() != 10000 || len(n.Communities()) < 2 {
		t.Fatalf("Network once measured: %v", err)
	}
}
