package postgres_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/uptrace/bun/driver/pgdriver"

	"grappe/network"
	"grappe/postgres/pgtest"
)

// BenchmarkPathPostgresVersusMemory compares, in the same run and on the
// same generated graph, the shortest path between random pairs of members
// found by a PostgreSQL recursive CTE over business_links and by the
// in-memory bidirectional breadth-first search of network.Snapshot (what
// the path query uses). The graph is a small world: a ring of
// pathBenchNodes members each linked to its pathBenchDegree nearest, each
// link rewired to a random member with probability 0.1, loaded with COPY as
// CONFIRMED PARTNERSHIP links. It runs only with -bench, e.g.
//
//	go test -run '^$' -bench PathPostgres -benchtime 40x ./postgres
//
// and reports the p50 of each (ms), their ratio, and how many CTE queries
// hit their time cap (counted at the cap in the p50).
//
// The CTE is the plain breadth-first one: PostgreSQL evaluates a recursive
// CTE level by level, so the first row reaching the target is a shortest
// path; each row carries its path as an array to avoid cycles, and the
// depth is capped at 6. It does not deduplicate members across paths, so a
// level holds every simple path of that length: its cost grows as the
// degree to the power of the distance.
func BenchmarkPathPostgresVersusMemory(b *testing.B) {
	const (
		maxHops  = 6
		capAfter = 20 * time.Second // statement_timeout of one CTE query
	)
	n, degree := pathBenchNodes, pathBenchDegree
	ctx := context.Background()
	db := pgtest.NewDB(b)
	bdb := db.Bun()

	members, pairs := pathBenchGraph(n, degree, 0.1, 7)
	start := time.Now()
	if _, err := bdb.ExecContext(ctx, `INSERT INTO members (id, name, kind, joined_on)
		SELECT g, 'M' || g, 'COMPANY', '2020-01-01' FROM generate_series(1, ?::bigint) g`, n); err != nil {
		b.Fatal(err)
	}
	// A scratch database: the indexes and foreign keys the CTE does not
	// need go, so that the load takes seconds. from_idx and to_idx stay.
	for _, ddl := range []string{
		`DROP INDEX business_links_live_key, business_links_created_idx, business_links_declared_by_idx,
			business_links_status_idx, business_links_since_idx`,
		`ALTER TABLE business_links DROP CONSTRAINT business_links_from_id_fkey,
			DROP CONSTRAINT business_links_to_id_fkey, DROP CONSTRAINT business_links_declared_by_fkey`,
	} {
		if _, err := bdb.ExecContext(ctx, ddl); err != nil {
			b.Fatal(err)
		}
	}
	conn, err := bdb.Conn(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	const batch = 100_000
	var buf bytes.Buffer
	for lo := 0; lo < len(pairs); lo += batch {
		buf.Reset()
		for k, p := range pairs[lo:min(lo+batch, len(pairs))] {
			fmt.Fprintf(&buf, "%d\t%d\t%d\tPARTNERSHIP\tCONFIRMED\t2020-01-01\t%d\n", lo+k+1, p.A, p.B, p.A)
		}
		if _, err := pgdriver.CopyFrom(ctx, conn, &buf,
			"COPY business_links (id, from_id, to_id, kind, status, since, declared_by) FROM STDIN"); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := conn.ExecContext(ctx, "ANALYZE members, business_links"); err != nil {
		b.Fatal(err)
	}
	load := time.Since(start)
	start = time.Now()
	snap := network.Build(members, pairs, 1, time.Now())
	build := time.Since(start)
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("SET statement_timeout = %d", capAfter.Milliseconds())); err != nil {
		b.Fatal(err)
	}

	const cte = `WITH RECURSIVE walk (node, path) AS (
		SELECT ?::bigint, ARRAY[?::bigint]
		UNION ALL
		SELECT nb.id, w.path || nb.id
		FROM walk w
		CROSS JOIN LATERAL (
			SELECT l.to_id AS id FROM business_links l WHERE l.from_id = w.node AND l.status = 'CONFIRMED'
			UNION ALL
			SELECT l.from_id FROM business_links l WHERE l.to_id = w.node AND l.status = 'CONFIRMED'
		) nb
		WHERE cardinality(w.path) <= ? AND w.node <> ? AND nb.id <> ALL (w.path)
	)
	SELECT cardinality(path) - 1 FROM walk WHERE node = ? LIMIT 1`

	rng := rand.New(rand.NewPCG(1, 2))
	var sqlTimes, memTimes []time.Duration
	capped, mismatched := 0, 0
	// One pair per iteration. The body is a function of its own: written
	// inline in the b.Loop loop, it crashes Go 1.26.8's compiler.
	onePair := func() {
		from, to := int64(rng.IntN(n)+1), int64(rng.IntN(n)+1)

		t0 := time.Now()
		p, ok := snap.ShortestPath(from, to, maxHops)
		memTimes = append(memTimes, time.Since(t0))

		t0 = time.Now()
		var hops int
		err := conn.QueryRowContext(ctx, cte, from, from, maxHops, to, to).Scan(&hops)
		d := time.Since(t0)
		switch {
		case err == nil:
			if !ok || hops != p.Hops() {
				mismatched++
			}
		case isCanceled(err):
			capped++
			d = capAfter
		case errors.Is(err, sql.ErrNoRows): // none within maxHops
			if ok {
				mismatched++
			}
		default:
			b.Fatal(err)
		}
		sqlTimes = append(sqlTimes, d)
	}
	for b.Loop() {
		onePair()
	}
	sqlP50, memP50 := p50(sqlTimes), p50(memTimes)
	b.ReportMetric(float64(sqlP50)/1e6, "pg-p50-ms")
	b.ReportMetric(float64(memP50)/1e6, "mem-p50-ms")
	b.ReportMetric(float64(sqlP50)/float64(max(memP50, 1)), "pg/mem")
	b.ReportMetric(float64(capped), "pg-capped")
	b.ReportMetric(float64(mismatched), "hop-mismatches")
	b.ReportMetric(load.Seconds(), "pg-load-s")
	b.ReportMetric(build.Seconds(), "mem-build-s")
	b.ReportMetric(float64(snap.EdgeCount()), "edges")
}

// pathBenchNodes and pathBenchDegree size the graph: 100,000 members,
// 1,000,000 links before deduplication.
const (
	pathBenchNodes  = 100_000
	pathBenchDegree = 20
)

// isCanceled reports whether err is PostgreSQL's query_canceled (57014),
// which statement_timeout raises.
func isCanceled(err error) bool {
	var pgErr pgdriver.Error
	return errors.As(err, &pgErr) && pgErr.Field('C') == "57014"
}

func p50(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[(len(s)-1)/2]
}

// pathBenchGraph returns a deterministic small world: a ring of n members
// each linked to its k/2 next, each link's far end rewired to a random
// member with probability p; self-loops and duplicate pairs are dropped.
func pathBenchGraph(n, k int, p float64, seed uint64) ([]int64, []network.Pair) {
	rng := rand.New(rand.NewPCG(seed, seed))
	members := make([]int64, n)
	for i := range members {
		members[i] = int64(i + 1)
	}
	seen := make(map[[2]int64]bool, n*k/2)
	pairs := make([]network.Pair, 0, n*k/2)
	for i := range n {
		for j := 1; j <= k/2; j++ {
			to := (i + j) % n
			if rng.Float64() < p {
				to = rng.IntN(n)
			}
			a, c := int64(i+1), int64(to+1)
			key := [2]int64{min(a, c), max(a, c)}
			if a == c || seen[key] {
				continue
			}
			seen[key] = true
			pairs = append(pairs, network.Pair{A: a, B: c, Link: int64(len(pairs) + 1)})
		}
	}
	return members, pairs
}
