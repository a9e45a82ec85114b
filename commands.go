package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"grappe/auth"
	"grappe/demo"
	"grappe/documents"
	"grappe/domain"
	"grappe/graph"
	"grappe/postgres"
)

// bulkTimeout bounds one statement of a migration or a bulk load.
const bulkTimeout = 30 * time.Minute

// bulkOptions configures the pool of the migrate and seed commands: no
// statement timeout, no pool wait, a long read timeout.
func bulkOptions(cfg Config) postgres.Options {
	return postgres.Options{MaxOpenConns: cfg.DBMaxConns, ReadTimeout: bulkTimeout}
}

// migrateCommand runs `grappe migrate up|down|status`.
func migrateCommand(ctx context.Context, cfg Config, log *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) != 1 {
		return errUsage
	}
	s, err := openStore(ctx, cfg, log, bulkOptions(cfg))
	if err != nil {
		return err
	}
	defer s.Close()
	switch args[0] {
	case "up":
		applied, err := s.db.MigrateUp(ctx)
		for _, m := range applied {
			fmt.Fprintln(stdout, "applied", m)
		}
		if err == nil && len(applied) == 0 {
			fmt.Fprintln(stdout, "nothing to apply")
		}
		return err
	case "down":
		rolled, err := s.db.MigrateDown(ctx)
		for _, m := range rolled {
			fmt.Fprintln(stdout, "rolled back", m)
		}
		if err == nil && len(rolled) == 0 {
			fmt.Fprintln(stdout, "nothing to roll back")
		}
		return err
	case "status":
		ms, err := s.db.Migrations(ctx)
		for _, m := range ms {
			state := "pending"
			if m.Applied {
				state = "applied"
			}
			fmt.Fprintf(stdout, "%-8s %s_%s\n", state, m.Name, m.Comment)
		}
		return err
	}
	return errUsage
}

// seedCommand runs `grappe seed`: it loads a generated network into an
// empty database, or replaces the data with --replace.
func seedCommand(ctx context.Context, cfg Config, log *slog.Logger, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	members := fs.Int("members", 0, "number of ACTIVE members (0: the 182 of the reference network)")
	seed := fs.Uint64("seed", cfg.DemoSeed, "random seed; the same seed gives the same network")
	replace := fs.Bool("replace", false, "delete the existing data first")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || *members < 0 {
		return errUsage
	}
	s, err := openStore(ctx, cfg, log, bulkOptions(cfg))
	if err != nil {
		return err
	}
	defer s.Close()
	if _, err := s.db.MigrateUp(ctx); err != nil {
		return err
	}
	start := time.Now()
	ds := demo.Generate(demo.Options{Members: *members, Seed: *seed, Today: time.Now().UTC()})
	if *replace {
		err = s.db.ReplaceWithDemo(ctx, ds)
	} else {
		var loaded bool
		if loaded, err = s.db.LoadDemoIfEmpty(ctx, ds); err == nil && !loaded {
			err = errors.New("the database already holds data: use --replace to overwrite it")
		}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "loaded %d members, %d trades, %d business links, %d questions, %d working groups, %d meetings, %d action plans, "+
		"%d trainings with %d registrations, %d touchpoints and %d trade shows with %d exhibitors and %d leads (seed %d) in %s\n",
		len(ds.Members), len(ds.Trades), len(ds.Links), len(ds.Questions), len(ds.Groups), len(ds.Meetings), len(ds.ActionPlans),
		len(ds.Trainings), len(ds.Registrations), len(ds.Touchpoints), len(ds.TradeShows), len(ds.Exhibitors), len(ds.Leads),
		*seed, time.Since(start).Round(time.Millisecond))
	return nil
}

// tokenCommand runs `grappe token`: it prints a signed token, and only the
// token, on stdout. It needs no database.
func tokenCommand(cfg Config, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("token", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	role := fs.String("role", "", "PUBLIC, MEMBER, ANALYST or STAFF")
	member := fs.String("member", "", "global id of the member (MEMBER only)")
	ttl := fs.Duration("ttl", 24*time.Hour, "validity")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || *role == "" {
		return errUsage
	}
	ac, err := authConfig(cfg)
	if err != nil {
		return err
	}
	if len(ac.Secret) == 0 {
		return errors.New("token needs GRAPPE_JWT_SECRET to sign with")
	}
	tok, err := auth.Issue(ac, domain.Role(*role), *member, *ttl, time.Now())
	if err != nil {
		return errors.New(domain.ErrorMessage(err))
	}
	fmt.Fprintf(stderr, "token for %s valid %s\n", *role, *ttl)
	_, err = fmt.Fprintln(stdout, tok)
	return err
}

// documentsCommand runs `grappe documents add FILE|DIR…`, which validates
// documents against the schema and stores them under their hash (all or
// none), printing "hash  file" lines, and `grappe documents list`. It
// needs no database.
func documentsCommand(cfg Config, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errUsage
	}
	switch args[0] {
	case "add":
		if len(args) == 1 {
			return errUsage
		}
		files, err := documents.ReadFiles(args[1:])
		if err != nil {
			return err
		}
		hashes, err := documents.Add(cfg.DocumentsDir, graph.Schema(), files)
		if err != nil {
			return fmt.Errorf("no document stored:\n%w", err)
		}
		for i, f := range files {
			fmt.Fprintf(stdout, "%s  %s\n", hashes[i], f.Name)
		}
		fmt.Fprintf(stderr, "%d documents stored in %s\n", len(files), cfg.DocumentsDir)
		return nil
	case "list":
		if len(args) != 1 {
			return errUsage
		}
		stored, err := documents.List(cfg.DocumentsDir)
		for _, d := range stored {
			fmt.Fprintf(stdout, "%s  %s\n", d.Hash, strings.Join(d.Operations(), ", "))
		}
		return err
	}
	return errUsage
}

// randomHex returns n random bytes, hex-encoded.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
