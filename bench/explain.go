package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"strings"

	"github.com/uptrace/bun/driver/pgdriver"

	"grappe/postgres"
)

// explain writes, for one request of each scenario, the plan PostgreSQL
// runs for every statement grappe sends (EXPLAIN (ANALYZE, BUFFERS)), in
// Markdown: the figures BENCHMARKS.md gives for each connection. A
// statement grappe prepares is explained as a prepared statement under
// grappe's session settings, so the plan shown is the generic plan it runs.
func explain(ctx context.Context, dbURL string, scs []scenario, seed uint64, w io.Writer) error {
	db, err := postgres.Open(ctx, dbURL, postgres.Options{MaxOpenConns: 2})
	if err != nil {
		return err
	}
	defer db.Close()
	s, err := loadSampler(ctx, db.Bun(), seed)
	if err != nil {
		return err
	}
	secret := []byte(randomHex(32))
	tok := newTokens(secret)
	sqldb := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(dbURL), pgdriver.WithApplicationName("grappe-bench-explain"),
		pgdriver.WithConnParams(map[string]any{"plan_cache_mode": "force_generic_plan"})))
	defer sqldb.Close()
	conn, err := sqldb.Conn(ctx) // one session: PREPARE and EXECUTE meet
	if err != nil {
		return err
	}
	defer conn.Close()
	for _, sc := range scs {
		if sc.Name == "write" {
			continue
		}
		// The second request: the first also reads what a server keeps
		// (the taxonomy, the cursor key).
		reqs, err := recordSQL(ctx, dbURL, sc, s, tok, secret, 2)
		if err != nil { // the analytics shapes need the network graph, not built here
			fmt.Fprintf(w, "### %s\n\nNot explained: %v\n\n", sc.Name, err)
			continue
		}
		req := reqs[1]
		fmt.Fprintf(w, "### %s\n\n%d statement(s).\n\n", sc.Name, len(req))
		for i, st := range req {
			if q := strings.ToUpper(strings.TrimSpace(st.Query)); !strings.HasPrefix(q, "SELECT") && !strings.HasPrefix(q, "WITH") {
				fmt.Fprintf(w, "```sql\n%s\n```\n\n", strings.TrimSpace(st.Query)) // BEGIN, COMMIT, SET…
				continue
			}
			plan, err := explainStatement(ctx, conn, st, i)
			if err != nil {
				return fmt.Errorf("%s, statement %d: %w", sc.Name, i+1, err)
			}
			fmt.Fprintf(w, "```sql\n%s\n```\n\n```\n%s\n```\n\n", strings.TrimSpace(st.Query), plan)
		}
	}
	return nil
}

// explainStatement returns the plan of st, run on conn.
func explainStatement(ctx context.Context, conn *sql.Conn, st statement, n int) (string, error) {
	query := "EXPLAIN (ANALYZE, BUFFERS) " + st.Query
	var args []any
	if len(st.Args) > 0 {
		name := fmt.Sprintf("explained_%d", n)
		if _, err := conn.ExecContext(ctx, "DEALLOCATE ALL"); err != nil {
			return "", err
		}
		if _, err := conn.ExecContext(ctx, "PREPARE "+name+" AS "+st.Query); err != nil {
			return "", err
		}
		marks := make([]string, len(st.Args))
		for i := range marks {
			marks[i] = fmt.Sprintf("$%d", i+1)
		}
		query, args = "EXPLAIN (ANALYZE, BUFFERS) EXECUTE "+name+"("+strings.Join(marks, ", ")+")", st.Args
	}
	rows, err := conn.QueryContext(ctx, query, args...)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return "", err
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n"), rows.Err()
}
