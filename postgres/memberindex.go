package postgres

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"
)

// A MEMBER token names its member, and a token naming a member that does
// not exist must not be served: it would read what members read. Looking
// the member up with every request would add a statement to each, so the
// server keeps the ids of all members (8 bytes each, sorted) and checks
// tokens against them.
//
// Members are never deleted (a member that leaves is LAPSED, and still
// reads), so the kept ids only grow: a member created through this process
// is added at once; one created outside it (another server on the same
// database, SQL by hand) is unknown until a load, which asking for an
// unknown id causes. Such a load begins after the question was asked, so an
// id it does not find does not exist; loads are a second apart at least,
// and the unknown ids asked for meanwhile wait for the next one together.
// The only change that removes members, the replacement of all data (demo
// loads, `seed --replace`), is seen at once when made through this pool and
// within memberIndexTTL otherwise.

const (
	// memberIndexTTL bounds how long the kept ids may outlive a
	// replacement of the data made outside this process.
	memberIndexTTL = time.Minute
	// memberIndexRetry is the shortest time between the starts of two
	// loads: tokens naming members that do not exist cost one statement a
	// second at most, whatever their number.
	memberIndexRetry = time.Second
	// memberIndexLoadTimeout bounds a load, which serves every request
	// waiting for it rather than the one that started it.
	memberIndexLoadTimeout = 10 * time.Second
)

// memberIndex holds the ids of all members.
type memberIndex struct {
	mu       sync.Mutex
	ids      []int64   // sorted
	loadedAt time.Time // when the statement of the last load began; zero: to load
	tried    time.Time // when the statement of the last load, failed or not, began
	gen      int64     // bumped when the data is replaced (membersReplaced)
	loading  bool      // a load is running: members created meanwhile are also in added
	added    []int64
	flight   singleflight.Group
	loads    atomic.Int64 // loads run, for tests
}

// MemberExists reports whether the member id exists, ACTIVE or LAPSED,
// from the kept ids: it runs no statement for a known member. An unknown id
// is looked for in a load of all ids that begins after the call (a second
// at most after the previous load), shared with the other calls waiting. An
// error means the answer is unknown (the database is unavailable), not
// that the member does not exist.
func (db *DB) MemberExists(ctx context.Context, id int64) (bool, error) {
	ix := &db.members
	asked := time.Now()
	for {
		ix.mu.Lock()
		loaded := !ix.loadedAt.IsZero()
		fresh := loaded && time.Since(ix.loadedAt) <= memberIndexTTL
		_, known := slices.BinarySearch(ix.ids, id)
		loadedSince := !ix.loadedAt.Before(asked)
		ix.mu.Unlock()
		if fresh && (known || loadedSince) {
			return known, nil
		}
		load := func() (any, error) { return nil, db.loadMemberIndex(ctx) }
		if loaded && known {
			// Stale but known: members are only removed by a replacement of
			// the data, so answer now and refresh in the background.
			ix.flight.DoChan("members", load)
			return true, nil
		}
		ch := ix.flight.DoChan("members", load)
		select {
		case <-ctx.Done():
			return false, mapError(ctx.Err(), "member index")
		case res := <-ch:
			if res.Err != nil {
				return false, res.Err
			}
		}
	}
}

// loadMemberIndex reads the ids of all members into the index, once
// memberIndexRetry has passed since the previous load began. The load is
// shared by the callers waiting for it: it is not cancelled with the one
// that started it.
func (db *DB) loadMemberIndex(ctx context.Context) error {
	ix := &db.members
	ix.mu.Lock()
	wait := memberIndexRetry - time.Since(ix.tried)
	ix.mu.Unlock()
	if wait > 0 {
		time.Sleep(wait)
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), memberIndexLoadTimeout)
	defer cancel()

	ix.mu.Lock()
	start := time.Now()
	ix.tried, ix.loading, ix.added = start, true, nil
	gen := ix.gen
	ix.mu.Unlock()

	var ids []int64
	err := db.bun.NewSelect().Model((*memberRow)(nil)).Column("id").Order("id").Scan(ctx, &ids)
	ix.loads.Add(1)

	ix.mu.Lock()
	defer ix.mu.Unlock()
	added := ix.added
	ix.loading, ix.added = false, nil
	if err != nil {
		return mapError(err, "member index")
	}
	for _, id := range added {
		ids = insertSorted(ids, id)
	}
	ix.ids = ids
	if gen == ix.gen {
		ix.loadedAt = start
	} else {
		ix.loadedAt = time.Time{} // replaced while loading: load again
	}
	return nil
}

// memberCreated adds the id of a member just created through this pool.
func (db *DB) memberCreated(id int64) {
	ix := &db.members
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.ids = insertSorted(ix.ids, id)
	if ix.loading {
		ix.added = append(ix.added, id)
	}
}

// membersReplaced makes the next use reload the ids: the data was
// replaced, and members may have gone.
func (db *DB) membersReplaced() {
	ix := &db.members
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.gen++
	ix.loadedAt = time.Time{}
}

// insertSorted inserts id into the sorted ids, unless it is there.
func insertSorted(ids []int64, id int64) []int64 {
	if i, found := slices.BinarySearch(ids, id); !found {
		ids = slices.Insert(ids, i, id)
	}
	return ids
}
