package pgserver

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gofrs/flock"
)

// lockFileName is the name of the lock file that Lock creates inside the data
// directory.
const lockFileName = "grappe.lock"

// ErrDirInUse is wrapped by the error Lock returns when another process
// holds the data directory's lock.
var ErrDirInUse = errors.New("in use by another grappe process")

// DirLock is an exclusive advisory lock on a grappe data directory. It is held
// until Unlock is called or the process exits.
type DirLock struct {
	fl *flock.Flock
}

// Lock takes an exclusive, non-blocking lock on dataDir, so that two grappe
// processes never share one data directory (and thus one PostgreSQL cluster).
// It creates dataDir with mode 0755 if it does not exist, and uses the lock
// file dataDir/grappe.lock; it touches nothing else. If another process holds
// the lock, Lock fails at once with a one-line error naming the directory and
// the lock file.
func Lock(dataDir string) (*DirLock, error) {
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	path := filepath.Join(dataDir, lockFileName)
	fl := flock.New(path)
	ok, err := fl.TryLock()
	if err != nil {
		return nil, fmt.Errorf("lock data directory %s: %w", dataDir, err)
	}
	if !ok {
		return nil, fmt.Errorf("data directory %s is %w (lock held on %s)", dataDir, ErrDirInUse, path)
	}
	return &DirLock{fl: fl}, nil
}

// Unlock releases the lock and closes the lock file. The lock file itself is
// left in place. Calling Unlock more than once is harmless.
func (l *DirLock) Unlock() error {
	if l == nil || l.fl == nil {
		return nil
	}
	if err := l.fl.Unlock(); err != nil {
		return fmt.Errorf("unlock data directory: %w", err)
	}
	return nil
}
