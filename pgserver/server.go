// Package pgserver runs a private PostgreSQL server for grappe from the
// PostgreSQL binaries installed on the machine. It is used when DATABASE_URL
// is unset: the cluster lives in a directory under the grappe data directory,
// is created with initdb on first start, and is served by a postgres child
// process that listens on a free port of 127.0.0.1 only.
package pgserver

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/uptrace/bun/driver/pgdriver"
)

const (
	// superuser is the PostgreSQL superuser role that initdb creates and
	// that Server.URL connects as.
	superuser = "postgres"
	// osUser is the unprivileged account that initdb and postgres run as
	// when grappe itself runs as root.
	osUser = "postgres"
	// defaultStartTimeout bounds how long Start waits for the server to
	// accept connections.
	defaultStartTimeout = 30 * time.Second
	// stopTimeout is how long Stop waits after a fast shutdown request
	// before escalating.
	stopTimeout = 30 * time.Second
	// killTimeout is how long to wait after an immediate shutdown request
	// (SIGQUIT) before sending SIGKILL.
	killTimeout = 5 * time.Second
	// portAttempts is how many times Start tries to launch postgres on a
	// freshly picked port when the port turns out to be taken.
	portAttempts = 4
	// maxLogSize is the size above which the server log is moved aside to
	// <log>.1 when the server starts.
	maxLogSize = 16 << 20
	// logTailLines is how many lines of the server log are quoted in
	// startup errors.
	logTailLines = 20
)

// Options configures Start.
type Options struct {
	// Dir is the cluster (PGDATA) directory, e.g. <GRAPPE_DATA_DIR>/postgres.
	// It is created on first start. Start also uses two files next to it:
	// Dir+".password" (the superuser password) and Dir+".log" (the server
	// log).
	Dir string
	// BinDir is the directory holding initdb and postgres. When empty,
	// Start uses /usr/lib/postgresql/<major>/bin for an existing cluster of
	// that major version if present, and FindBinaries otherwise.
	BinDir string
	// Logger receives progress messages. It is optional.
	Logger *slog.Logger
	// Fast trades durability for speed, for throwaway test clusters:
	// initdb --no-sync, fsync=off, synchronous_commit=off and
	// full_page_writes=off.
	Fast bool
	// Settings are extra server settings, passed to postgres as -c
	// name=value. They override the defaults, except port and
	// listen_addresses, which Start manages and which may not be set here.
	Settings map[string]string
	// StartTimeout bounds how long Start waits for the server to accept
	// connections. It defaults to 30 seconds.
	StartTimeout time.Duration
	// Port is the port to listen on; 0 picks a free one.
	Port int
	// Supervise restarts the server whenever its process exits other than
	// through Stop (a crash, a kill, an administrator's shutdown): on the
	// same port with the same cluster, after PostgreSQL's crash recovery,
	// retrying with a backoff from 100 ms up to 5 s until it is up again or
	// Stop is called.
	Supervise bool
}

// Server is a running PostgreSQL server started by Start. Its methods are
// safe for concurrent use.
type Server struct {
	dir      string
	logPath  string
	password string
	port     int
	logger   *slog.Logger
	binDir   string
	settings [][2]string
	acc      account
	timeout  time.Duration

	mu       sync.Mutex
	cur      *process // the running (or last) postgres process
	restarts int

	done     chan struct{} // closed when the server is down for good
	doneOnce sync.Once
	quit     context.Context // cancelled by Stop: ends the supervision
	quitNow  context.CancelFunc
	watching chan struct{} // closed when the supervisor has returned; nil without supervision

	stopOnce sync.Once
	stopErr  error
}

// process is one run of the postmaster.
type process struct {
	proc    *os.Process
	started time.Time
	done    chan struct{} // closed when the process has exited
	waitErr error         // result of Wait; valid once done is closed
}

// Supervision backoff: the first restart is immediate, the next ones wait
// from minRestartDelay, doubling up to maxRestartDelay. A server that ran
// for stableAfter before dying starts again from the first delay.
const (
	minRestartDelay = 100 * time.Millisecond
	maxRestartDelay = 5 * time.Second
	stableAfter     = 30 * time.Second
)

// account is the OS account that initdb and postgres run as.
type account struct {
	name     string
	uid, gid uint32
	home     string
	// switchTo is true when grappe runs as root and the child processes
	// must drop privileges to this account.
	switchTo bool
}

// Start starts a private PostgreSQL server for the cluster in opts.Dir and
// waits until it accepts connections.
//
// On first start (no PG_VERSION in opts.Dir) it creates the cluster with
// initdb: superuser postgres with a random password stored in
// opts.Dir+".password" (mode 0600), scram-sha-256 authentication, encoding
// UTF8 and locale C.UTF-8 when the system has it, C otherwise. initdb runs in
// the sibling directory opts.Dir+".initdb", which is renamed to opts.Dir only
// once initdb has succeeded, so an interrupted first start leaves no
// half-made cluster behind; if opts.Dir already exists (say, a mount point)
// it must be empty, and initdb runs in it directly. An existing cluster is
// reused as is.
//
// The server runs as a child process (postgres -D opts.Dir, in its own
// process group) listening on a free port of 127.0.0.1 only, with no Unix
// socket. Its output is appended to the server log opts.Dir+".log", which is
// moved to opts.Dir+".log.1" at start when it exceeds 16 MiB. If the chosen
// port turns out to be taken, Start retries with another one. If the server
// exits or does not accept connections within opts.StartTimeout, Start stops
// it and returns an error that quotes the tail of the server log.
//
// When grappe runs as root, initdb and postgres (which refuse to run as root)
// run as the OS user postgres, which must exist and be able to traverse every
// parent directory of opts.Dir; the cluster directory and the password and
// log files are owned by that user.
//
// ctx bounds only the startup: once Start has returned, the server runs
// until Stop is called. If grappe dies without calling Stop, the server gets
// SIGINT (a fast shutdown) from the kernel.
func Start(ctx context.Context, opts Options) (*Server, error) {
	if opts.Dir == "" {
		return nil, errors.New("start postgres: no cluster directory given")
	}
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("start postgres: %w", err)
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	timeout := opts.StartTimeout
	if timeout <= 0 {
		timeout = defaultStartTimeout
	}
	settings, err := serverSettings(opts)
	if err != nil {
		return nil, err
	}
	acc, err := runAccount()
	if err != nil {
		return nil, err
	}

	// Check the parent directories before creating missing ones (so a
	// doomed start leaves nothing behind), and again after (the umask may
	// have made new ones unreachable).
	parent := filepath.Dir(dir)
	if acc.switchTo {
		if err := checkTraversable(parent, acc); err != nil {
			return nil, err
		}
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("create cluster parent directory: %w", err)
	}
	if acc.switchTo {
		if err := checkTraversable(parent, acc); err != nil {
			return nil, err
		}
	}

	pgVersion, err := clusterVersion(dir)
	if err != nil {
		return nil, err
	}
	binDir := opts.BinDir
	if binDir != "" {
		for _, name := range []string{"initdb", "postgres"} {
			if _, err := os.Stat(filepath.Join(binDir, name)); err != nil {
				return nil, fmt.Errorf("PostgreSQL binary %s not found in %s", name, binDir)
			}
		}
	}
	if binDir == "" && pgVersion != "" {
		if d := filepath.Join("/usr/lib/postgresql", pgVersion, "bin"); hasBinaries(d) {
			binDir = d
		}
	}
	if binDir == "" {
		if binDir, err = FindBinaries(); err != nil {
			return nil, err
		}
	}

	pwPath := dir + ".password"
	var password string
	if pgVersion == "" {
		password, err = initCluster(ctx, logger, dir, pwPath, binDir, acc, opts.Fast)
		if err != nil {
			return nil, err
		}
	} else {
		if err := checkOwner(dir, acc); err != nil {
			return nil, err
		}
		b, err := os.ReadFile(pwPath)
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("PostgreSQL cluster %s exists but its password file %s is missing", dir, pwPath)
		}
		if err != nil {
			return nil, fmt.Errorf("read postgres password: %w", err)
		}
		password = strings.TrimSpace(string(b))
		if password == "" {
			return nil, fmt.Errorf("postgres password file %s is empty", pwPath)
		}
	}

	s := &Server{
		dir: dir, logPath: dir + ".log", password: password, logger: logger,
		binDir: binDir, settings: settings, acc: acc, timeout: timeout,
		done: make(chan struct{}),
	}
	for attempt := 1; ; attempt++ {
		s.port = opts.Port
		if s.port == 0 {
			if s.port, err = freePort(); err != nil {
				return nil, err
			}
		}
		p, err := s.launch(ctx)
		if err == nil {
			s.cur = p
			break
		}
		if errors.Is(err, errPortTaken) && attempt < portAttempts && opts.Port == 0 {
			logger.Warn("postgres port was taken, retrying with another", "port", s.port)
			continue
		}
		return nil, err
	}
	s.quit, s.quitNow = context.WithCancel(context.Background())
	if opts.Supervise {
		s.watching = make(chan struct{})
		go s.supervise()
	} else {
		go func() {
			<-s.cur.done
			s.closeDone()
		}()
	}
	return s, nil
}

// supervise restarts the server each time its process exits, until Stop.
func (s *Server) supervise() {
	defer close(s.watching)
	delay := time.Duration(0)
	for {
		p := s.current()
		select {
		case <-s.quit.Done():
			return
		case <-p.done:
		}
		if s.quit.Err() != nil {
			return
		}
		if time.Since(p.started) >= stableAfter {
			delay = 0
		}
		s.logger.Warn("postgres exited unexpectedly, restarting it", "port", s.port, "exit", p.waitErr)
		// Backends and auxiliary processes of a postmaster that was killed
		// stay attached to its shared memory until they notice, and a new
		// postmaster refuses to start until they are gone: end them now.
		// They are the rest of the dead postmaster's process group, whose
		// id no new process can get while a member lives.
		_ = syscall.Kill(-p.proc.Pid, syscall.SIGKILL)
		down := time.Now()
		for attempt := 1; ; attempt++ {
			select {
			case <-s.quit.Done():
				return
			case <-time.After(delay):
			}
			delay = min(max(2*delay, minRestartDelay), maxRestartDelay)
			np, err := s.launch(s.quit)
			if err == nil {
				s.mu.Lock()
				s.cur = np
				s.restarts++
				s.mu.Unlock()
				s.logger.Info("postgres restarted", "port", s.port, "attempts", attempt,
					"down", time.Since(down).Round(time.Millisecond))
				break
			}
			if s.quit.Err() != nil {
				return
			}
			s.logger.Warn("postgres restart failed, retrying", "port", s.port, "attempt", attempt, "in", delay, "err", err)
		}
	}
}

// current returns the running (or last) postgres process.
func (s *Server) current() *process {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cur
}

// closeDone closes the Done channel once.
func (s *Server) closeDone() { s.doneOnce.Do(func() { close(s.done) }) }

// Running reports whether the server's process is up: false from the
// moment it exits until a supervised restart has it accepting connections
// again.
func (s *Server) Running() bool {
	select {
	case <-s.current().done:
		return false
	default:
		return true
	}
}

// PID returns the process id of the running postmaster (the last one if it
// has exited).
func (s *Server) PID() int { return s.current().proc.Pid }

// Restarts returns how many times supervision has restarted the server.
func (s *Server) Restarts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.restarts
}

// URL returns the connection URL for database as the superuser postgres,
// e.g. postgres://postgres:<password>@127.0.0.1:<port>/<database>?sslmode=disable.
func (s *Server) URL(database string) string {
	u := url.URL{
		Scheme:   "postgres",
		User:     url.UserPassword(superuser, s.password),
		Host:     net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port)),
		Path:     "/" + database,
		RawQuery: "sslmode=disable",
	}
	return u.String()
}

// Port returns the TCP port the server listens on at 127.0.0.1.
func (s *Server) Port() int { return s.port }

// LogPath returns the path of the server log file.
func (s *Server) LogPath() string { return s.logPath }

// Done returns a channel that is closed when the server is down for good:
// when its process exits, through Stop or on its own, or, under
// supervision, once Stop has stopped it.
func (s *Server) Done() <-chan struct{} { return s.done }

// Stop shuts the server down: it sends SIGINT (fast shutdown: active
// sessions are disconnected and the data is checkpointed) to the postgres
// process this Server started, waits up to 30 seconds, then sends SIGQUIT
// (immediate shutdown) and, 5 seconds later, SIGKILL. It returns nil once
// the server has shut down cleanly. Stop is idempotent: later calls return
// the result of the first. If the server had already exited on its own,
// Stop reports how it exited.
func (s *Server) Stop() error {
	s.stopOnce.Do(func() {
		s.stopErr = s.stop()
	})
	return s.stopErr
}

func (s *Server) stop() error {
	// End the supervision first (a restart in progress is abandoned and
	// its process killed), so that nothing starts the server again.
	s.quitNow()
	defer s.closeDone()
	if s.watching != nil {
		select {
		case <-s.watching:
		case <-time.After(s.timeout + killTimeout + time.Second):
			s.logger.Warn("postgres supervisor did not return in time", "port", s.port)
		}
	}
	p := s.current()
	select {
	case <-p.done:
		if p.waitErr != nil {
			return fmt.Errorf("postgres had already exited: %w", p.waitErr)
		}
		return nil
	default:
	}
	s.logger.Debug("stopping postgres", "port", s.port)
	_ = p.proc.Signal(syscall.SIGINT)
	select {
	case <-p.done:
		if p.waitErr != nil {
			return fmt.Errorf("stop postgres: %w", p.waitErr)
		}
		return nil
	case <-time.After(stopTimeout):
	}
	s.logger.Warn("postgres did not shut down in time, forcing it", "port", s.port)
	p.kill()
	return fmt.Errorf("stop postgres: no fast shutdown within %s, killed it (see %s)", stopTimeout, s.logPath)
}

// kill requests an immediate shutdown, escalates to SIGKILL if needed, and
// waits until the process has exited. It signals only this process, and
// only while it has not been reaped.
func (p *process) kill() {
	_ = p.proc.Signal(syscall.SIGQUIT)
	select {
	case <-p.done:
		return
	case <-time.After(killTimeout):
	}
	_ = p.proc.Signal(syscall.SIGKILL)
	<-p.done
}

// errPortTaken marks a launch that failed because the port was in use.
var errPortTaken = errors.New("port already in use")

// launch starts postgres on s.port and waits until it accepts connections.
func (s *Server) launch(ctx context.Context) (*process, error) {
	dir, logPath, acc, port := s.dir, s.logPath, s.acc, s.port
	if fi, err := os.Stat(logPath); err == nil && fi.Size() > maxLogSize {
		_ = os.Rename(logPath, logPath+".1")
	}
	logFile, err := os.OpenFile(logPath, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open postgres log: %w", err)
	}
	defer logFile.Close()
	if err := chownTo(logPath, acc); err != nil {
		return nil, err
	}
	logStart, err := logFile.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, fmt.Errorf("open postgres log: %w", err)
	}

	args := []string{"-D", dir,
		"-c", "listen_addresses=127.0.0.1",
		"-c", "port=" + strconv.Itoa(port),
	}
	for _, kv := range s.settings {
		args = append(args, "-c", kv[0]+"="+kv[1])
	}
	cmd := exec.Command(filepath.Join(s.binDir, "postgres"), args...)
	cmd.Dir = "/"
	cmd.Env = childEnv(acc)
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	// Own process group: a Ctrl-C in the terminal reaches grappe only,
	// which then stops the server in order. Pdeathsig: if grappe dies
	// without stopping it, the postmaster gets a fast shutdown request.
	// (Linux sends it when the forking thread exits; Go threads live as
	// long as the process unless a goroutine exits while locked to one
	// with runtime.LockOSThread, so do not call Start from such a
	// goroutine.)
	cmd.SysProcAttr = sysProcAttr(acc, syscall.SIGINT)

	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start postgres: %w", err)
	}
	p := &process{proc: cmd.Process, started: start, done: make(chan struct{})}
	go func() {
		p.waitErr = cmd.Wait()
		close(p.done)
	}()

	if err := s.waitReady(ctx, p, logStart); err != nil {
		p.kill()
		return nil, err
	}
	s.logger.Info("postgres ready", "port", port, "dir", dir, "elapsed", time.Since(start).Round(time.Millisecond))
	return p, nil
}

// waitReady polls the server with a real login until it succeeds, the
// process exits, ctx ends or timeout passes.
func (s *Server) waitReady(ctx context.Context, p *process, logStart int64) error {
	db := sql.OpenDB(pgdriver.NewConnector(
		pgdriver.WithDSN(s.URL("postgres")),
		pgdriver.WithTimeout(2*time.Second),
		pgdriver.WithTracing(false),
	))
	defer db.Close()

	// Poll postmaster.pid, where the postmaster announces "ready" (as
	// pg_ctl does), and confirm with a real login. Logging in only once the
	// file says so keeps the log free of "the database system is starting
	// up" and never talks to whatever else may hold the port when ours
	// fails to bind it. After a second, also try a login now and then, in
	// case the file's format ever changes.
	const poll = 5 * time.Millisecond
	const fallbackAfter = time.Second
	const fallbackEvery = 250 * time.Millisecond
	began := time.Now()
	deadline := began.Add(s.timeout)
	var lastErr error
	var lastPing, badPassword time.Time
	for {
		select {
		case <-p.done:
			return s.exitError(p, logStart)
		default:
		}

		ready := s.pidFileReady(p)
		if ready || (time.Since(began) >= fallbackAfter && time.Since(lastPing) >= fallbackEvery) {
			lastPing = time.Now()
			pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
			err := db.PingContext(pctx)
			cancel()
			if err == nil {
				return nil
			}
			lastErr = err
			// A wrong password is final when our server said it was
			// ready, or when it persists: otherwise another server may
			// briefly hold the port before ours gives up.
			var pgErr pgdriver.Error
			if errors.As(err, &pgErr) && pgErr.Field('C') == "28P01" {
				if badPassword.IsZero() {
					badPassword = time.Now()
				}
				if ready || time.Since(badPassword) > time.Second {
					return fmt.Errorf("postgres rejected the password stored in %s.password: %w", s.dir, err)
				}
			}
		}

		if time.Now().After(deadline) {
			return fmt.Errorf("postgres did not accept connections within %s (last error: %v); last lines of %s:\n%s",
				s.timeout, lastErr, s.logPath, logTail(s.logPath, logStart))
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("start postgres: %w", ctx.Err())
		case <-p.done:
		case <-time.After(poll):
		}
	}
}

// pidFileReady reports whether postmaster.pid names process p and says it
// is ready to accept connections.
func (s *Server) pidFileReady(p *process) bool {
	b, err := os.ReadFile(filepath.Join(s.dir, "postmaster.pid"))
	if err != nil {
		return false
	}
	lines := strings.Split(string(b), "\n")
	// Line 1 is the PID, line 8 the status (LOCK_FILE_LINE_PM_STATUS).
	return len(lines) >= 8 && strings.TrimSpace(lines[0]) == strconv.Itoa(p.proc.Pid) &&
		strings.TrimSpace(lines[7]) == "ready"
}

// exitError describes an exit of postgres during startup; it wraps
// errPortTaken when the log says the port was in use.
func (s *Server) exitError(p *process, logStart int64) error {
	tail := logTail(s.logPath, logStart)
	if strings.Contains(tail, "Address already in use") || strings.Contains(tail, "could not create any TCP/IP sockets") {
		return fmt.Errorf("postgres exited during startup: %w (port %d)", errPortTaken, s.port)
	}
	return fmt.Errorf("postgres exited during startup (%v); last lines of %s:\n%s", p.waitErr, s.logPath, tail)
}

// initCluster creates a new cluster in dir with initdb and returns the
// superuser password it stored in pwPath.
func initCluster(ctx context.Context, logger *slog.Logger, dir, pwPath, binDir string, acc account, fast bool) (string, error) {
	// initdb runs in a sibling directory that is renamed into place once
	// complete, unless dir already exists (it may be a mount point), in
	// which case it must be empty and initdb runs in it directly.
	target := dir + ".initdb"
	entries, err := os.ReadDir(dir)
	switch {
	case err == nil && len(entries) > 0:
		return "", fmt.Errorf("directory %s is not empty but holds no PostgreSQL cluster (no PG_VERSION): remove it or use another data directory", dir)
	case err == nil:
		target = dir
		if err := os.Chmod(dir, 0o700); err != nil {
			return "", fmt.Errorf("prepare cluster directory: %w", err)
		}
	case errors.Is(err, os.ErrNotExist):
		if err := os.RemoveAll(target); err != nil {
			return "", fmt.Errorf("remove leftover %s: %w", target, err)
		}
		if err := os.Mkdir(target, 0o700); err != nil {
			return "", fmt.Errorf("create cluster directory: %w", err)
		}
	default:
		return "", fmt.Errorf("inspect cluster directory: %w", err)
	}
	if err := chownTo(target, acc); err != nil {
		return "", err
	}
	cleanup := func() {
		if target != dir {
			_ = os.RemoveAll(target)
		}
	}

	password := rand.Text()
	_ = os.Remove(pwPath) // so that the new file gets mode 0600 for sure
	if err := os.WriteFile(pwPath, []byte(password+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("write postgres password: %w", err)
	}
	if err := chownTo(pwPath, acc); err != nil {
		return "", err
	}

	args := []string{
		"-D", target,
		"-U", superuser,
		"--pwfile=" + pwPath,
		"--auth=scram-sha-256",
		"--encoding=UTF8",
		"--locale=" + chooseLocale(),
	}
	if fast {
		args = append(args, "--no-sync")
	}
	cmd := exec.CommandContext(ctx, filepath.Join(binDir, "initdb"), args...)
	cmd.Dir = "/"
	cmd.Env = childEnv(acc)
	cmd.SysProcAttr = sysProcAttr(acc, syscall.SIGKILL)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	start := time.Now()
	logger.Info("creating PostgreSQL cluster", "dir", dir, "bin", binDir)
	if err := cmd.Run(); err != nil {
		cleanup()
		if ctx.Err() != nil {
			return "", fmt.Errorf("initdb: %w", ctx.Err())
		}
		return "", fmt.Errorf("initdb: %w; output:\n%s", err, lastLines(out.String(), logTailLines))
	}
	if target != dir {
		if err := os.Rename(target, dir); err != nil {
			cleanup()
			return "", fmt.Errorf("move new cluster into place: %w", err)
		}
	}
	logger.Info("created PostgreSQL cluster", "dir", dir, "elapsed", time.Since(start).Round(time.Millisecond))
	return password, nil
}

// clusterVersion returns the contents of dir/PG_VERSION (the major version
// of an existing cluster) or "" when there is no cluster yet.
func clusterVersion(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, "PG_VERSION"))
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read cluster version: %w", err)
	}
	v := strings.TrimSpace(string(b))
	if v == "" || strings.ContainsAny(v, "/\\") {
		return "", fmt.Errorf("cluster %s has an invalid PG_VERSION file", dir)
	}
	return v, nil
}

// serverSettings returns the -c settings for postgres (other than
// listen_addresses and port), sorted by name.
func serverSettings(opts Options) ([][2]string, error) {
	m := map[string]string{
		"shared_buffers":          "128MB",
		"max_connections":         "100",
		"unix_socket_directories": "",
	}
	if opts.Fast {
		m["fsync"] = "off"
		m["synchronous_commit"] = "off"
		m["full_page_writes"] = "off"
	}
	for k, v := range opts.Settings {
		name := strings.ToLower(strings.TrimSpace(k))
		switch {
		case name == "" || strings.ContainsAny(name, "= \t\n"):
			return nil, fmt.Errorf("invalid postgres setting name %q", k)
		case name == "port" || name == "listen_addresses":
			return nil, fmt.Errorf("postgres setting %s is managed by pgserver and cannot be overridden", name)
		}
		m[name] = v
	}
	out := make([][2]string, 0, len(m))
	for k, v := range m {
		out = append(out, [2]string{k, v})
	}
	slices.SortFunc(out, func(a, b [2]string) int { return strings.Compare(a[0], b[0]) })
	return out, nil
}

// runAccount returns the account that initdb and postgres run as: the
// current user, or the postgres user when running as root.
func runAccount() (account, error) {
	if os.Geteuid() != 0 {
		acc := account{uid: uint32(os.Geteuid()), gid: uint32(os.Getegid())}
		acc.name = strconv.Itoa(os.Geteuid())
		if u, err := user.Current(); err == nil {
			acc.name = u.Username
		}
		return acc, nil
	}
	u, err := user.Lookup(osUser)
	if err != nil {
		return account{}, fmt.Errorf("running as root, but there is no %q OS user to run PostgreSQL as (initdb and postgres refuse to run as root): create it (useradd --system %s) or set DATABASE_URL", osUser, osUser)
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err1 != nil || err2 != nil {
		return account{}, fmt.Errorf("OS user %s has a non-numeric uid %q or gid %q", osUser, u.Uid, u.Gid)
	}
	home := u.HomeDir
	if home == "" {
		home = "/"
	}
	return account{name: u.Username, uid: uint32(uid), gid: uint32(gid), home: home, switchTo: true}, nil
}

// sysProcAttr returns the process attributes for initdb and postgres: own
// process group, parent-death signal, and the account's credentials when
// dropping root privileges.
func sysProcAttr(acc account, deathSig syscall.Signal) *syscall.SysProcAttr {
	attr := &syscall.SysProcAttr{Setpgid: true, Pdeathsig: deathSig}
	if acc.switchTo {
		attr.Credential = &syscall.Credential{Uid: acc.uid, Gid: acc.gid, Groups: []uint32{acc.gid}}
	}
	return attr
}

// childEnv returns the environment for initdb and postgres: the current one
// without PG* variables (which would point them at other clusters), and with
// HOME, USER and LOGNAME of the account when dropping root privileges.
func childEnv(acc account) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "PG") {
			continue
		}
		if acc.switchTo && (name == "HOME" || name == "USER" || name == "LOGNAME") {
			continue
		}
		env = append(env, kv)
	}
	if acc.switchTo {
		env = append(env, "HOME="+acc.home, "USER="+acc.name, "LOGNAME="+acc.name)
	}
	return env
}

// chownTo gives path to the account when dropping root privileges.
func chownTo(path string, acc account) error {
	if !acc.switchTo {
		return nil
	}
	if err := os.Chown(path, int(acc.uid), int(acc.gid)); err != nil {
		return fmt.Errorf("give %s to user %s: %w", path, acc.name, err)
	}
	return nil
}

// checkOwner verifies that an existing cluster directory belongs to the
// account postgres runs as, which postgres insists on.
func checkOwner(dir string, acc account) error {
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("inspect cluster directory: %w", err)
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || st.Uid == acc.uid {
		return nil
	}
	return fmt.Errorf("PostgreSQL cluster %s is owned by uid %d, but PostgreSQL runs as user %s (uid %d): chown -R %d %s", dir, st.Uid, acc.name, acc.uid, acc.uid, dir)
}

// checkTraversable verifies that acc may traverse every existing directory
// from / to dir (both the path as given and with symlinks resolved), judging
// by the owner, group and other permission bits.
func checkTraversable(dir string, acc account) error {
	paths := ancestors(dir)
	if real, err := filepath.EvalSymlinks(dir); err == nil && real != dir {
		paths = append(paths, ancestors(real)...)
	}
	for _, p := range paths {
		fi, err := os.Stat(p)
		if errors.Is(err, os.ErrNotExist) {
			break // nor do the ones below it
		}
		if err != nil {
			return fmt.Errorf("inspect %s: %w", p, err)
		}
		st, ok := fi.Sys().(*syscall.Stat_t)
		if !ok {
			continue
		}
		perm := fi.Mode().Perm()
		var bit os.FileMode
		switch {
		case st.Uid == acc.uid:
			bit = 0o100
		case st.Gid == acc.gid:
			bit = 0o010
		default:
			bit = 0o001
		}
		if perm&bit == 0 {
			return fmt.Errorf("PostgreSQL runs as user %s, which cannot traverse %s (mode %04o): use a data directory it can reach or chmod o+x %s", acc.name, p, uint32(perm), p)
		}
	}
	return nil
}

// ancestors returns /, then each directory down to and including dir, which
// must be absolute and clean.
func ancestors(dir string) []string {
	var out []string
	for p := dir; ; p = filepath.Dir(p) {
		out = append(out, p)
		if p == filepath.Dir(p) {
			break
		}
	}
	slices.Reverse(out)
	return out
}

// chooseLocale returns C.UTF-8 when the system provides it and C otherwise.
func chooseLocale() string {
	for _, p := range []string{"/usr/lib/locale/C.utf8", "/usr/lib/locale/C.UTF-8"} {
		if _, err := os.Stat(p); err == nil {
			return "C.UTF-8"
		}
	}
	if out, err := exec.Command("locale", "-a").Output(); err == nil {
		for _, l := range strings.Fields(string(out)) {
			if strings.EqualFold(strings.ReplaceAll(l, "-", ""), "C.utf8") {
				return "C.UTF-8"
			}
		}
	}
	return "C"
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("pick a port for postgres: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// logTail returns the last lines written to the log at path since offset.
func logTail(path string, offset int64) string {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Sprintf("(cannot read log: %v)", err)
	}
	defer f.Close()
	const maxRead = 16 << 10
	if fi, err := f.Stat(); err == nil && fi.Size()-offset > maxRead {
		offset = fi.Size() - maxRead
	}
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		return fmt.Sprintf("(cannot read log: %v)", err)
	}
	b, _ := io.ReadAll(f)
	if len(bytes.TrimSpace(b)) == 0 {
		return "(log is empty)"
	}
	return lastLines(string(b), logTailLines)
}

// lastLines returns the last n lines of s, indented.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return "  " + strings.Join(lines, "\n  ")
}
