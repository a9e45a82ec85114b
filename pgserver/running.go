package pgserver

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// RunningURL returns the URL of database on the cluster in dir that another
// process started, from what that process recorded: the port in the
// cluster's postmaster.pid and the superuser password in dir+".password".
// It takes no lock and starts nothing; it fails when the cluster is not
// running.
func RunningURL(dir, database string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, "postmaster.pid"))
	if err != nil {
		return "", fmt.Errorf("the PostgreSQL cluster %s is not running: %w", dir, err)
	}
	// postmaster.pid: pid, data directory, start time, port, socket
	// directory, listen address, shared memory key, status.
	lines := strings.Split(string(b), "\n")
	if len(lines) < 4 {
		return "", fmt.Errorf("the PostgreSQL cluster %s is starting: no port in its postmaster.pid yet", dir)
	}
	port, err := strconv.Atoi(strings.TrimSpace(lines[3]))
	if err != nil || port <= 0 {
		return "", fmt.Errorf("no port in %s", filepath.Join(dir, "postmaster.pid"))
	}
	pw, err := os.ReadFile(dir + ".password")
	if err != nil {
		return "", fmt.Errorf("read postgres password: %w", err)
	}
	u := url.URL{
		Scheme:   "postgres",
		User:     url.UserPassword(superuser, strings.TrimSpace(string(pw))),
		Host:     net.JoinHostPort("127.0.0.1", strconv.Itoa(port)),
		Path:     "/" + database,
		RawQuery: "sslmode=disable",
	}
	return u.String(), nil
}

// FindTool returns the path of a PostgreSQL client program (pg_dump,
// pg_restore): the one next to the installed server binaries, so that
// client and server are of one version, else the one on PATH.
func FindTool(name string) (string, error) {
	if dir, err := FindBinaries(); err == nil {
		p := filepath.Join(dir, name)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p, nil
		}
	}
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	return "", fmt.Errorf("%s not found next to the PostgreSQL server binaries nor on PATH: install the PostgreSQL client (apt-get install postgresql-client)", name)
}
