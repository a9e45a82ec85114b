package graph

import (
	"context"

	"grappe/graph/model"
	"grappe/network"
)

// SmallWorldSource gives the small-world coefficients computed in the
// background.
type SmallWorldSource interface {
	// LatestSmallWorld returns the latest computation, nil before the first.
	LatestSmallWorld(ctx context.Context) (*network.SmallWorldRun, error)
}

// smallWorldOf maps a stored small-world computation.
func smallWorldOf(run *network.SmallWorldRun) *model.SmallWorld {
	return &model.SmallWorld{
		Sigma: run.Sigma, Omega: run.Omega, ComputedAt: run.ComputedAt,
		Seed: int(run.Seed), RandomGraphs: run.RandomGraphs, MemberCount: run.MemberCount,
	}
}
