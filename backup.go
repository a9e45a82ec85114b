package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"grappe/pgserver"
	"grappe/postgres"
)

// backupCommand runs `grappe backup FILE`: pg_dump's custom format of the
// database, on DATABASE_URL or the private cluster. While a server runs on
// the data directory, it reaches that server's cluster through what the
// server recorded there, without its lock; otherwise it starts the cluster
// for the dump.
func backupCommand(ctx context.Context, cfg Config, log *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) != 1 || strings.HasPrefix(args[0], "-") {
		return errUsage
	}
	file := args[0]
	pgDump, err := pgserver.FindTool("pg_dump")
	if err != nil {
		return err
	}
	dbURL := cfg.DatabaseURL
	if dbURL == "" {
		cluster := filepath.Join(cfg.DataDir, "postgres")
		if _, err := os.Stat(filepath.Join(cluster, "PG_VERSION")); errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("no PostgreSQL cluster in %s: nothing to back up (set GRAPPE_DATA_DIR or DATABASE_URL)", cluster)
		}
		s, err := openStore(ctx, cfg, log, bulkOptions(cfg))
		switch {
		case errors.Is(err, pgserver.ErrDirInUse):
			if dbURL, err = pgserver.RunningURL(filepath.Join(cfg.DataDir, "postgres"), "grappe"); err != nil {
				return err
			}
		case err != nil:
			return err
		default:
			defer s.Close()
			dbURL = s.url
		}
	}
	start := time.Now()
	// Dump into a temporary file next to FILE, renamed once complete, so
	// that a failed dump never leaves a truncated FILE.
	tmp := file + ".partial"
	if err := runPG(ctx, pgDump, dbURL, "--format=custom", "--file="+tmp); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("backup: %w", err)
	}
	if err := os.Rename(tmp, file); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("backup: %w", err)
	}
	fi, err := os.Stat(file)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up %s to %s (%d bytes) in %s\n", maskURL(dbURL), file, fi.Size(), time.Since(start).Round(time.Millisecond))
	return nil
}

// restoreCommand runs `grappe restore FILE [--replace]`: pg_restore of a
// `grappe backup` into the database, on DATABASE_URL or the private
// cluster (whose server must not be running). It refuses a database that
// holds tables unless --replace, which drops every schema of the database
// in the transaction that restores the dump, and a dump made by a newer
// PostgreSQL than the installed one.
func restoreCommand(ctx context.Context, cfg Config, log *slog.Logger, args []string, stdout io.Writer) error {
	var file string
	replace := false
	for _, a := range args {
		switch {
		case a == "--replace" || a == "-replace":
			replace = true
		case strings.HasPrefix(a, "-") || file != "":
			return errUsage
		default:
			file = a
		}
	}
	if file == "" {
		return errUsage
	}
	pgRestore, err := pgserver.FindTool("pg_restore")
	if err != nil {
		return err
	}
	h, err := readDumpHeader(file)
	if err != nil {
		return err
	}
	installed, err := toolVersion(ctx, pgRestore)
	if err != nil {
		return err
	}
	if newer(h.DumpVersion, installed) || newer(h.ServerVersion, installed) {
		return fmt.Errorf("%s was made by PostgreSQL %s (pg_dump %s), newer than the installed PostgreSQL %s (%s): restore it with PostgreSQL %s or later",
			file, shortVersion(h.ServerVersion), shortVersion(h.DumpVersion), installed, filepath.Dir(pgRestore), major(h.DumpVersion, h.ServerVersion))
	}
	// Read the whole table of contents before touching the database.
	if out, err := exec.CommandContext(ctx, pgRestore, "--list", file).CombinedOutput(); err != nil {
		return fmt.Errorf("%s is not a readable backup: %s", file, lastLine(string(out)))
	}
	s, err := openStore(ctx, cfg, log, bulkOptions(cfg))
	if errors.Is(err, pgserver.ErrDirInUse) {
		return fmt.Errorf("%w: stop the server before restoring", err)
	}
	if err != nil {
		return err
	}
	defer s.Close()
	start := time.Now()
	tables, err := countTables(ctx, s.db)
	if err != nil {
		return err
	}
	var prelude string
	if tables > 0 {
		if !replace {
			return fmt.Errorf("the database already holds %d tables: use --replace to overwrite it", tables)
		}
		if prelude, err = dropSchemasSQL(ctx, s.db); err != nil {
			return err
		}
	}
	if err := restoreInOneTransaction(ctx, pgRestore, s.url, file, prelude); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	fmt.Fprintf(stdout, "restored %s (PostgreSQL %s) into %s in %s\n", file, shortVersion(h.ServerVersion), maskURL(s.url), time.Since(start).Round(time.Millisecond))
	return nil
}

// runPG runs a PostgreSQL client program on the database at dbURL, the
// password passed in PGPASSWORD rather than on the command line. Its
// error is the program's last line of standard error.
func runPG(ctx context.Context, program, dbURL string, args ...string) error {
	return runPGWithInput(ctx, program, dbURL, nil, args...)
}

// runPGWithInput is runPG with stdin as the program's standard input.
func runPGWithInput(ctx context.Context, program, dbURL string, stdin io.Reader, args ...string) error {
	u, err := url.Parse(dbURL)
	if err != nil {
		return fmt.Errorf("parse database URL: %w", err)
	}
	env := os.Environ()
	if pw, ok := u.User.Password(); ok {
		env = append(env, "PGPASSWORD="+pw)
		u.User = url.User(u.User.Username())
	}
	cmd := exec.CommandContext(ctx, program, append([]string{"--dbname=" + u.String()}, args...)...)
	cmd.Env = env
	cmd.Stdin = stdin
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if msg := lastLine(stderr.String()); msg != "" {
			return errors.New(msg)
		}
		return fmt.Errorf("%s: %w", filepath.Base(program), err)
	}
	return nil
}

// lastLine returns the last non-empty line of s.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// countTables returns how many tables the database holds outside the
// system schemas.
func countTables(ctx context.Context, db *postgres.DB) (int, error) {
	var n int
	err := db.Bun().NewRaw(`SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'`).Scan(ctx, &n)
	if err != nil {
		return 0, fmt.Errorf("count tables: %w", err)
	}
	return n, nil
}

// dropSchemasSQL returns the statements that drop every schema of the
// database but the system ones, with all they hold, and recreate an empty
// public schema.
func dropSchemasSQL(ctx context.Context, db *postgres.DB) (string, error) {
	var schemas []string
	if err := db.Bun().NewRaw(`SELECT nspname FROM pg_namespace
		WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\_%'`).Scan(ctx, &schemas); err != nil {
		return "", fmt.Errorf("list schemas: %w", err)
	}
	var b strings.Builder
	for _, name := range schemas {
		b.WriteString("DROP SCHEMA " + quoteIdent(name) + " CASCADE;\n")
	}
	b.WriteString("CREATE SCHEMA public;\n")
	return b.String(), nil
}

// restoreInOneTransaction restores file into the database at dbURL in a
// single transaction that begins with prelude (the drops of --replace):
// pg_restore writes the dump as SQL, which psql runs, stopping at the
// first error, between a BEGIN and a COMMIT that is sent only once
// pg_restore has written everything and exited cleanly. A failure
// anywhere (a truncated dump, a statement refused) leaves the database as
// it was.
func restoreInOneTransaction(ctx context.Context, pgRestore, dbURL, file, prelude string) error {
	psql, err := pgserver.FindTool("psql")
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	script := exec.CommandContext(ctx, pgRestore, "--no-owner", "--no-privileges", "--file=-", file)
	var restoreErr bytes.Buffer
	script.Stderr = &restoreErr
	out, err := script.StdoutPipe()
	if err != nil {
		return err
	}
	if err := script.Start(); err != nil {
		return err
	}
	sql := &commitAfter{script: out, wait: func() error {
		if err := script.Wait(); err != nil {
			if msg := lastLine(restoreErr.String()); msg != "" {
				return errors.New(msg)
			}
			return fmt.Errorf("pg_restore: %w", err)
		}
		return nil
	}}
	stdin := io.MultiReader(strings.NewReader("BEGIN;\n"+prelude), sql)
	err = runPGWithInput(ctx, psql, dbURL, stdin, "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--output=/dev/null")
	if !sql.waited {
		cancel() // psql stopped early: end pg_restore, which may be blocked writing
		_ = sql.finish()
	}
	if sql.err != nil {
		return sql.err // the dump could not be read: psql saw no COMMIT
	}
	return err
}

// commitAfter reads pg_restore's script, then "COMMIT;" if pg_restore
// exited cleanly; otherwise it ends with pg_restore's error, so that psql
// reaches the end of its input inside the open transaction, which the
// server then rolls back.
type commitAfter struct {
	script io.Reader
	wait   func() error
	tail   io.Reader
	waited bool
	err    error
}

func (c *commitAfter) Read(p []byte) (int, error) {
	if c.tail == nil {
		n, err := c.script.Read(p)
		if err != io.EOF {
			return n, err
		}
		if c.finish() != nil {
			return n, c.err
		}
		c.tail = strings.NewReader("COMMIT;\n")
		if n > 0 {
			return n, nil
		}
	}
	return c.tail.Read(p)
}

// finish waits for pg_restore once and records its error.
func (c *commitAfter) finish() error {
	if !c.waited {
		c.waited, c.err = true, c.wait()
	}
	return c.err
}

// quoteIdent quotes a SQL identifier.
func quoteIdent(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// dumpHeader is what the header of a pg_dump custom-format file says.
type dumpHeader struct {
	Archive       [3]int // archive format version, e.g. 1.14.0
	ServerVersion string // version of the server dumped, e.g. "15.14 (Debian 15.14-1)"
	DumpVersion   string // version of pg_dump, e.g. "15.14 (Debian 15.14-1)"
	Length        int    // bytes of the header read, up to the versions
}

// readDumpHeader reads the header of the pg_dump custom-format file path
// (pg_backup_archiver.c, ReadHead): "PGDMP", the archive version, the
// sizes of integers and offsets, the format, the compression, the
// creation time, the database name, then the server's and pg_dump's
// versions.
func readDumpHeader(path string) (dumpHeader, error) {
	var h dumpHeader
	f, err := os.Open(path)
	if err != nil {
		return h, err
	}
	defer f.Close()
	r := &countingReader{r: bufio.NewReader(f)}
	bad := fmt.Errorf("%s is not a backup made by grappe backup (pg_dump's custom format)", path)
	head := make([]byte, 11)
	if _, err := io.ReadFull(r, head); err != nil || string(head[:5]) != "PGDMP" {
		return h, bad
	}
	h.Archive = [3]int{int(head[5]), int(head[6]), int(head[7])}
	intSize, format := int(head[8]), head[10]
	if h.Archive[0] == 1 && h.Archive[1] > 16 {
		// PostgreSQL 17 writes archive 1.16; a later header may differ.
		return h, fmt.Errorf("%s was made by a newer pg_dump (archive format %d.%d) than grappe reads (1.16, PostgreSQL 17): restore it with that PostgreSQL's pg_restore",
			path, h.Archive[0], h.Archive[1])
	}
	if h.Archive[0] != 1 || h.Archive[1] < 12 || intSize < 1 || intSize > 8 || format != 1 {
		return h, fmt.Errorf("%s: unsupported archive version %d.%d or format %d (a grappe backup is pg_dump's custom format, PostgreSQL 12 or later)",
			path, h.Archive[0], h.Archive[1], format)
	}
	readInt := func() (int64, error) {
		b := make([]byte, 1+intSize)
		if _, err := io.ReadFull(r, b); err != nil {
			return 0, err
		}
		var v int64
		for i := intSize; i >= 1; i-- {
			v = v<<8 | int64(b[i])
		}
		if b[0] != 0 {
			v = -v
		}
		return v, nil
	}
	readStr := func() (string, error) {
		n, err := readInt()
		if err != nil || n < 0 {
			return "", err
		}
		if n > 1<<16 {
			return "", bad
		}
		b := make([]byte, n)
		_, err = io.ReadFull(r, b)
		return string(b), err
	}
	// Compression: one byte from archive 1.15 (PostgreSQL 16), an
	// integer before.
	if h.Archive[1] >= 15 {
		if _, err := io.ReadFull(r, make([]byte, 1)); err != nil {
			return h, bad
		}
	} else if _, err := readInt(); err != nil {
		return h, bad
	}
	for range 7 { // creation time: sec, min, hour, mday, mon, year, isdst
		if _, err := readInt(); err != nil {
			return h, bad
		}
	}
	if _, err := readStr(); err != nil { // database name
		return h, bad
	}
	if h.ServerVersion, err = readStr(); err != nil {
		return h, bad
	}
	if h.DumpVersion, err = readStr(); err != nil {
		return h, bad
	}
	h.Length = r.n
	return h, nil
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// versionRE matches the leading number of a PostgreSQL version string.
var versionRE = regexp.MustCompile(`^(\d+)(?:\.(\d+))?`)

// toolVersion returns the version a PostgreSQL program prints with
// --version, e.g. "15.14" from "pg_restore (PostgreSQL) 15.14 (Debian…)".
func toolVersion(ctx context.Context, program string) (string, error) {
	out, err := exec.CommandContext(ctx, program, "--version").Output()
	if err != nil {
		return "", fmt.Errorf("%s --version: %w", program, err)
	}
	if i := strings.Index(string(out), ") "); i >= 0 {
		if f := strings.Fields(string(out)[i+2:]); len(f) > 0 {
			return f[0], nil
		}
	}
	return "", fmt.Errorf("%s --version: unexpected output %q", program, strings.TrimSpace(string(out)))
}

// shortVersion returns the number of a version string: "15.14" from
// "15.14 (Debian 15.14-1)".
func shortVersion(v string) string {
	if f := strings.Fields(v); len(f) > 0 {
		return f[0]
	}
	return v
}

// majorOf returns the major version of a version string: 15 for "15.14",
// 9 for "9.6.24"; 0 when it has none.
func majorOf(v string) int {
	m := versionRE.FindStringSubmatch(strings.TrimSpace(v))
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// newer reports whether version v has a higher major version than
// installed.
func newer(v, installed string) bool {
	return majorOf(v) > majorOf(installed)
}

// major returns the highest major version among versions, as text.
func major(versions ...string) string {
	best := 0
	for _, v := range versions {
		best = max(best, majorOf(v))
	}
	return strconv.Itoa(best)
}
