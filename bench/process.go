package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// clockTicks is the kernel's USER_HZ, the unit of /proc/<pid>/stat times:
// 100 on every Linux architecture Go supports.
const clockTicks = 100

// grappeServer is the grappe binary running as a process of its own.
type grappeServer struct {
	cmd      *exec.Cmd
	endpoint string
	exited   chan struct{}
	stderr   *tailBuffer
}

// grappeEnv is the server's environment: production-like, against dbURL,
// the rate limit off (the harness is one client sending thousands of
// requests a second), statement counts in a response header, metrics on
// as in production but on a free port (two servers run side by side with
// -replica; GRAPPE_METRICS_ADDR=off in the harness's environment measures
// without them).
func grappeEnv(dbURL, secret, dataDir string, port int) []string {
	metrics := "127.0.0.1:0"
	if v := os.Getenv("GRAPPE_METRICS_ADDR"); v != "" {
		metrics = v
	}
	return append(os.Environ(),
		"GRAPPE_METRICS_ADDR="+metrics,
		"DATABASE_URL="+dbURL,
		"PORT="+strconv.Itoa(port),
		"GRAPPE_HOST=127.0.0.1",
		"GRAPPE_ENV=production",
		"GRAPPE_JWT_SECRET="+secret,
		"GRAPPE_DEMO=false",
		"GRAPPE_RATE_LIMIT=0",
		"GRAPPE_DEBUG_STATEMENT_COUNT=true",
		"GRAPPE_DATA_DIR="+dataDir,
		"GRAPPE_LOG_LEVEL=warn",
	)
}

// buildGrappe builds the grappe binary of the module at root into dir.
func buildGrappe(ctx context.Context, root, dir string) (string, error) {
	bin := filepath.Join(dir, "grappe")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, ".")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build grappe: %w\n%s", err, out)
	}
	return bin, nil
}

// moduleRoot returns the directory of grappe's go.mod, from the working
// directory up.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && bytes.HasPrefix(b, []byte("module grappe\n")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("run the benchmark from grappe's module (go run ./bench)")
		}
		dir = parent
	}
}

// runGrappe runs a grappe subcommand to completion (seed, migrate).
func runGrappe(ctx context.Context, bin string, env []string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("grappe %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	return string(out), nil
}

// startGrappe starts the server and waits until /readyz answers 200.
func startGrappe(ctx context.Context, bin string, env []string, port int) (*grappeServer, error) {
	s := &grappeServer{exited: make(chan struct{}), stderr: &tailBuffer{max: 8 << 10}}
	s.cmd = exec.Command(bin, "serve")
	s.cmd.Env = env
	s.cmd.Stdout = io.Discard
	s.cmd.Stderr = s.stderr
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start grappe: %w", err)
	}
	go func() { _ = s.cmd.Wait(); close(s.exited) }()
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	s.endpoint = base + "/graphql"
	if err := waitReady(ctx, base+"/readyz", s.exited, 10*time.Minute); err != nil {
		_ = s.Stop()
		return nil, fmt.Errorf("grappe did not get ready: %w\n%s", err, s.stderr)
	}
	return s, nil
}

// PID returns the server's process id.
func (s *grappeServer) PID() int { return s.cmd.Process.Pid }

// Stop sends SIGTERM and waits for the server to exit.
func (s *grappeServer) Stop() error {
	select {
	case <-s.exited:
		return nil
	default:
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(30 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
	return nil
}

// waitReady polls url until it answers 200, the process exits or the
// timeout passes.
func waitReady(ctx context.Context, url string, exited <-chan struct{}, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-exited:
			return errors.New("the process exited")
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s not ready after %s", url, timeout)
		}
	}
}

// freePort returns a TCP port free on 127.0.0.1 right now.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > t.max {
		t.buf = t.buf[len(t.buf)-t.max:]
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}

// cpuTicks returns the user and system CPU time of process pid, in clock
// ticks.
func cpuTicks(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	return statTicks(b)
}

// statTicks reads utime+stime from the text of /proc/<pid>/stat.
func statTicks(b []byte) (int64, error) {
	// The command name is in parentheses and may hold spaces: fields
	// count from after the last ')'. utime and stime are fields 14 and 15.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, errors.New("malformed stat")
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0, errors.New("malformed stat")
	}
	u, err1 := strconv.ParseInt(f[11], 10, 64)
	s, err2 := strconv.ParseInt(f[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, err
	}
	return u + s, nil
}

// postgresCPU is the CPU time of the local processes named "postgres"
// (the database's backends), by process id.
type postgresCPU map[int]int64

// readPostgresCPU reads the CPU time of every local postgres process: none
// when the database runs elsewhere.
func readPostgresCPU() postgresCPU {
	out := postgresCPU{}
	dirs, _ := os.ReadDir("/proc")
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil || !bytes.Contains(b, []byte("(postgres)")) {
			continue
		}
		if t, err := statTicks(b); err == nil {
			out[pid] = t
		}
	}
	return out
}

// since returns the CPU ticks the postgres processes used between before
// and now, and how many processes there are now. Processes that exited in
// between are not counted; new ones count whole.
func (now postgresCPU) since(before postgresCPU) (ticks int64, procs int) {
	for pid, t := range now {
		ticks += t - before[pid]
	}
	return ticks, len(now)
}

// resetPeakRSS resets the peak resident set size of pid (Linux 4.0+);
// without it, VmHWM is the peak over the process's life.
func resetPeakRSS(pid int) bool {
	return os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0) == nil
}

// peakRSS returns VmHWM of pid in bytes.
func peakRSS(pid int) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10, err
		}
	}
	return 0, errors.New("no VmHWM in status")
}

// listeningPID returns the process listening on 127.0.0.1 or any address
// at port, from /proc: the socket's inode, then the process holding it.
func listeningPID(port int) (int, error) {
	inodes := map[string]bool{}
	for _, file := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		b, err := os.ReadFile(file)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(b), "\n")[1:] {
			f := strings.Fields(line)
			if len(f) < 10 || f[3] != "0A" { // 0A: LISTEN
				continue
			}
			addr := f[1]
			if j := strings.LastIndexByte(addr, ':'); j >= 0 {
				if p, err := strconv.ParseInt(addr[j+1:], 16, 32); err == nil && int(p) == port {
					inodes["socket:["+f[9]+"]"] = true
				}
			}
		}
	}
	if len(inodes) == 0 {
		return 0, fmt.Errorf("nothing listens on port %d", port)
	}
	dirs, _ := os.ReadDir("/proc")
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		fds, _ := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
		for _, fd := range fds {
			if link, err := os.Readlink(fmt.Sprintf("/proc/%d/fd/%s", pid, fd.Name())); err == nil && inodes[link] {
				return pid, nil
			}
		}
	}
	return 0, fmt.Errorf("no process found for the socket on port %d", port)
}

// machine describes the computer: CPU model, cores, memory.
func machine() string {
	model := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
	}
	mem := ""
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "MemTotal:"); ok {
				kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
				mem = fmt.Sprintf(", %.1f GiB RAM", float64(kb)/(1<<20))
			}
		}
	}
	return fmt.Sprintf("%s, %d cores%s", model, runtime.NumCPU(), mem)
}
