package graph_test

import (
	"context"
	"testing"
	"time"

	"grappe/domain"
	"grappe/network"
)

const smallWorldQuery = `{ network { smallWorld { sigma omega computedAt seed randomGraphs memberCount } } }`

type smallWorldData struct {
	Network struct {
		SmallWorld *struct {
			Sigma, Omega                    float64
			ComputedAt                      time.Time
			Seed, RandomGraphs, MemberCount int
		}
	}
}

func TestSmallWorldThroughAPI(t *testing.T) {
	t.Parallel()
	n := newSmallNetwork(t)
	a := n.a
	analyst := token(t, domain.RoleAnalyst, "")

	// Before the first computation: null, without error.
	var out smallWorldData
	a.ok(analyst, smallWorldQuery, nil, &out)
	if out.Network.SmallWorld != nil {
		t.Fatalf("before any computation: %+v, want null", out.Network.SmallWorld)
	}

	// The background job, run once here.
	job := &network.SmallWorldJob{
		Store: a.net, Options: network.SmallWorldOptions{Seed: 99},
		Save: func(ctx context.Context, run network.SmallWorldRun) (*network.SmallWorldRun, error) {
			return a.db.SaveSmallWorld(ctx, run)
		},
	}
	run, err := job.RunOnce(context.Background())
	if err != nil || run == nil {
		t.Fatalf("RunOnce = %+v, %v", run, err)
	}

	for _, tc := range []struct {
		name, tok string
		code      string
	}{
		{"PUBLIC", "", domain.CodeForbidden},
		{"MEMBER", n.tok(n.alpha), domain.CodeForbidden},
		{"ANALYST", analyst, ""},
		{"STAFF", token(t, domain.RoleStaff, ""), ""},
	} {
		if resp := a.do(tc.tok, smallWorldQuery, nil); resp.code() != tc.code {
			t.Errorf("%s: code %q, want %q (%+v)", tc.name, resp.code(), tc.code, resp.Errors)
		}
	}
	a.ok(analyst, smallWorldQuery, nil, &out)
	sw := out.Network.SmallWorld
	if sw == nil {
		t.Fatal("after a computation: null")
	}
	// The largest component is Alpha, Bravo, Charlie, Delta.
	if sw.Sigma != run.Sigma || sw.Omega != run.Omega || sw.Seed != 99 || sw.RandomGraphs != network.SmallWorldNrand ||
		sw.MemberCount != 4 || !sw.ComputedAt.Equal(run.ComputedAt.Truncate(time.Microsecond)) {
		t.Errorf("smallWorld = %+v, computed %+v", sw, run)
	}
}
