package postgres

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/uptrace/bun"

	"grappe/network"
)

// smallWorldRow is a row of the small_world table: one background
// computation of the small-world coefficients.
type smallWorldRow struct {
	bun.BaseModel `bun:"table:small_world,alias:sw"`

	ID              int64     `bun:"id,pk,autoincrement"`
	ComputedAt      time.Time `bun:"computed_at"`
	Seed            int64     `bun:"seed"`
	Niter           int       `bun:"niter"`
	Nrand           int       `bun:"nrand"`
	RandomGraphs    int       `bun:"random_graphs"`
	Sigma           float64   `bun:"sigma"`
	Omega           float64   `bun:"omega"`
	MemberCount     int       `bun:"member_count"`
	SnapshotVersion int64     `bun:"snapshot_version"`
}

func (r *smallWorldRow) toRun() *network.SmallWorldRun {
	return &network.SmallWorldRun{
		ID: r.ID, ComputedAt: r.ComputedAt, RandomGraphs: r.RandomGraphs,
		SnapshotVersion: uint64(r.SnapshotVersion),
		SmallWorld: network.SmallWorld{
			Sigma: r.Sigma, Omega: r.Omega, Seed: uint64(r.Seed),
			Niter: r.Niter, Nrand: r.Nrand, MemberCount: r.MemberCount,
		},
	}
}

// SaveSmallWorld stores a small-world computation and returns it with its id.
func (db *DB) SaveSmallWorld(ctx context.Context, run network.SmallWorldRun) (*network.SmallWorldRun, error) {
	row := &smallWorldRow{
		ComputedAt: run.ComputedAt, Seed: int64(run.Seed), Niter: run.Niter, Nrand: run.Nrand,
		RandomGraphs: run.RandomGraphs, Sigma: run.Sigma, Omega: run.Omega,
		MemberCount: run.MemberCount, SnapshotVersion: int64(run.SnapshotVersion),
	}
	if row.ComputedAt.IsZero() {
		row.ComputedAt = db.Now()
	}
	if _, err := db.bun.NewInsert().Model(row).Returning("id").Exec(ctx); err != nil {
		return nil, mapError(err, "small-world computation")
	}
	return row.toRun(), nil
}

// LatestSmallWorld returns the latest stored small-world computation, nil
// when there is none yet: one statement.
func (db *DB) LatestSmallWorld(ctx context.Context) (*network.SmallWorldRun, error) {
	row := &smallWorldRow{}
	err := db.bun.NewSelect().Model(row).OrderExpr("computed_at DESC, id DESC").Limit(1).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, mapError(err, "small-world computation")
	}
	return row.toRun(), nil
}
