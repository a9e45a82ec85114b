package pgserver

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// ErrNoBinaries is returned by FindBinaries (and by Start when Options.BinDir
// is empty) when no directory holding the PostgreSQL server binaries exists.
var ErrNoBinaries = errors.New("PostgreSQL server binaries (initdb, postgres) not found on PATH or in /usr/lib/postgresql/*/bin: install PostgreSQL (apt-get install postgresql) or set DATABASE_URL")

// requiredBinaries are the programs that must all live in the directory that
// FindBinaries returns.
var requiredBinaries = []string{"initdb", "pg_ctl", "postgres"}

// debianGlob matches the per-version binary directories of Debian and Ubuntu
// PostgreSQL packages, which are not on PATH by default.
const debianGlob = "/usr/lib/postgresql/*/bin"

// FindBinaries returns the directory holding initdb, pg_ctl and postgres. It
// first looks up initdb and postgres on PATH, resolving symlinks (so that
// /usr/local/bin/initdb -> /usr/lib/postgresql/15/bin/initdb yields
// /usr/lib/postgresql/15/bin), and returns the first resolved directory in
// which all three programs exist. Failing that, it returns the
// highest-version /usr/lib/postgresql/*/bin directory that holds all three.
// When there is none, it returns ErrNoBinaries.
func FindBinaries() (string, error) {
	for _, name := range []string{"initdb", "postgres"} {
		p, err := exec.LookPath(name)
		if err != nil {
			continue
		}
		if abs, err := filepath.Abs(p); err == nil {
			p = abs
		}
		// Try the resolved directory first, then the directory of the PATH
		// entry itself (in case all three are symlinked side by side).
		var dirs []string
		if real, err := filepath.EvalSymlinks(p); err == nil {
			dirs = append(dirs, filepath.Dir(real))
		}
		dirs = append(dirs, filepath.Dir(p))
		for _, dir := range dirs {
			if hasBinaries(dir) {
				return dir, nil
			}
		}
	}

	matches, _ := filepath.Glob(debianGlob)
	slices.SortFunc(matches, func(a, b string) int {
		// Descending by version: "15" before "9.6".
		return compareVersions(versionOf(b), versionOf(a))
	})
	for _, dir := range matches {
		if hasBinaries(dir) {
			return dir, nil
		}
	}
	return "", ErrNoBinaries
}

// hasBinaries reports whether dir holds an executable regular file for each
// of requiredBinaries.
func hasBinaries(dir string) bool {
	for _, name := range requiredBinaries {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm()&0o111 == 0 {
			return false
		}
	}
	return true
}

// versionOf extracts the version components from a
// /usr/lib/postgresql/<version>/bin path, e.g. [9 6] or [15]. Components
// that are not numbers are treated as 0.
func versionOf(binDir string) []int {
	v := filepath.Base(filepath.Dir(binDir))
	var out []int
	for _, part := range strings.Split(v, ".") {
		n, _ := strconv.Atoi(part)
		out = append(out, n)
	}
	return out
}

// compareVersions compares two versions component by component.
func compareVersions(a, b []int) int {
	return slices.Compare(a, b)
}
