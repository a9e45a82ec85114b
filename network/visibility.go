package network

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Visibility says which transactions a read of the database saw: what
// PostgreSQL's pg_current_snapshot() returns, "xmin:xmax:xip,...". The
// zero value saw none.
type Visibility struct {
	Xmin, Xmax uint64
	InProgress []uint64 // between Xmin and Xmax, not committed yet
}

// ParseVisibility reads pg_current_snapshot()'s text.
func ParseVisibility(s string) (Visibility, error) {
	f := strings.Split(s, ":")
	if len(f) != 3 {
		return Visibility{}, fmt.Errorf("snapshot %q: want xmin:xmax:xip", s)
	}
	var v Visibility
	var err error
	if v.Xmin, err = strconv.ParseUint(f[0], 10, 64); err != nil {
		return Visibility{}, fmt.Errorf("snapshot %q: %w", s, err)
	}
	if v.Xmax, err = strconv.ParseUint(f[1], 10, 64); err != nil {
		return Visibility{}, fmt.Errorf("snapshot %q: %w", s, err)
	}
	if f[2] != "" {
		for x := range strings.SplitSeq(f[2], ",") {
			xid, err := strconv.ParseUint(x, 10, 64)
			if err != nil {
				return Visibility{}, fmt.Errorf("snapshot %q: %w", s, err)
			}
			v.InProgress = append(v.InProgress, xid)
		}
	}
	return v, nil
}

// Holds reports whether the read saw what the committed transaction xid
// wrote.
func (v Visibility) Holds(xid uint64) bool {
	switch {
	case xid == 0 || v.Xmax == 0:
		return false
	case xid < v.Xmin:
		return true
	case xid >= v.Xmax:
		return false
	}
	return !slices.Contains(v.InProgress, xid)
}
