// Package export serves the network graph as files for graph tools
// (Gephi, NetworkX, yEd): GraphML, and a CSV edge list with a CSV node
// table, for ANALYST and STAFF.
//
// Every file is streamed: it is written through a buffered writer as the
// member rows arrive from the database and as the snapshot's edges are
// walked, never built whole in memory. The graph is the current snapshot
// (immutable, so nothing is locked while a slow client reads); its nodes
// are the ACTIVE members, its edges the pairs with a CONFIRMED link. The
// community of each member comes from the latest measured snapshot, and is
// left out for a member that snapshot does not hold yet.
package export

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"grappe/domain"
	"grappe/globalid"
	"grappe/network"
)

// SnapshotFunc returns a snapshot of the network graph; nil while none is
// built.
type SnapshotFunc func() *network.Snapshot

// MembersFunc streams the attributes of members, in ascending id order,
// to fn, stopping at fn's first error and returning it.
type MembersFunc func(ctx context.Context, fn func(domain.MemberAttributes) error) error

// Handler serves /network.graphml, /network.csv and /members.csv. Mount it
// behind the authentication middleware, which puts the viewer in the
// request context.
type Handler struct {
	snapshot SnapshotFunc
	measured SnapshotFunc
	members  MembersFunc
	router   chi.Router

	// Now gives the date in the file names; tests may replace it.
	Now func() time.Time
	// Log receives the errors met once a file is under way.
	Log *slog.Logger
	// WriteTimeout bounds the writing of one file, in place of the
	// server's shorter write timeout; 0 keeps the server's.
	WriteTimeout time.Duration
	// MeasuresWait bounds how long a request waits for the network's
	// measures (the communities in the files), computed in the background
	// after a start or a large change: minutes at 100,000 members. Past it
	// the answer is 503 UNAVAILABLE with a Retry-After.
	MeasuresWait time.Duration
}

// New returns the export handler. snapshot gives the current graph,
// measured the latest snapshot whose measures are computed (for the
// communities; nil to use snapshot), members the member attributes.
func New(snapshot, measured SnapshotFunc, members MembersFunc) *Handler {
	if measured == nil {
		measured = snapshot
	}
	h := &Handler{snapshot: snapshot, measured: measured, members: members, Now: time.Now, Log: slog.Default(), WriteTimeout: 10 * time.Minute,
		MeasuresWait: 15 * time.Second}
	r := chi.NewRouter()
	r.Get("/network.graphml", h.serve("network.graphml", "application/graphml+xml; charset=utf-8", h.writeGraphML))
	r.Get("/network.csv", h.serve("network.csv", "text/csv; charset=utf-8", h.writeEdges))
	r.Get("/members.csv", h.serve("members.csv", "text/csv; charset=utf-8", h.writeMembers))
	h.router = r
	return h
}

// ServeHTTP routes to the export files.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.router.ServeHTTP(w, r) }

// writeFunc writes one export of snap. It calls start before writing the
// first byte; an error returned before start was called is answered as a
// JSON error, one returned after aborts the response.
type writeFunc func(ctx context.Context, snap *network.Snapshot, comm communities, start func() *bufio.Writer) error

// serve checks the viewer's role, then streams the file written by write,
// named grappe-<base>-<date>.<extension> after file.
func (h *Handler) serve(file, contentType string, write writeFunc) http.HandlerFunc {
	base, ext, _ := strings.Cut(file, ".")
	return func(w http.ResponseWriter, r *http.Request) {
		viewer := domain.ViewerFrom(r.Context())
		switch {
		case len(r.Header.Values("Authorization")) == 0:
			w.Header().Set("WWW-Authenticate", "Bearer")
			writeError(w, http.StatusUnauthorized, domain.CodeUnauthenticated, "sign in as an analyst or staff to export the network")
			return
		case viewer.Role != domain.RoleAnalyst && viewer.Role != domain.RoleStaff:
			writeError(w, http.StatusForbidden, domain.CodeForbidden, "only analysts and staff may export the network")
			return
		}
		snap := h.snapshot()
		if snap == nil {
			writeError(w, http.StatusServiceUnavailable, domain.CodeUnavailable, "the network graph is not built yet")
			return
		}
		measured := h.measured()
		if !h.awaitMeasures(w, r, measured) {
			return
		}
		comm := communitiesOf(snap, measured)

		filename := fmt.Sprintf("grappe-%s-%s.%s", base, h.Now().UTC().Format("2006-01-02"), ext)
		var bw *bufio.Writer
		start := func() *bufio.Writer {
			if bw == nil {
				hd := w.Header()
				hd.Set("Content-Type", contentType)
				hd.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": filename}))
				hd.Set("Cache-Control", "no-store")
				hd.Set("X-Content-Type-Options", "nosniff")
				if h.WriteTimeout > 0 {
					// A large graph takes longer than a GraphQL answer.
					_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(h.WriteTimeout))
				}
				w.WriteHeader(http.StatusOK)
				bw = bufio.NewWriterSize(w, 32<<10)
			}
			return bw
		}
		err := write(r.Context(), snap, comm, start)
		if err == nil {
			err = start().Flush()
		}
		if err == nil {
			return
		}
		if bw == nil {
			h.Log.Error("export failed", "file", filename, "err", err)
			writeError(w, http.StatusInternalServerError, domain.CodeInternal, "the export failed")
			return
		}
		// The status is sent: abort the response so that the client sees a
		// broken transfer rather than a truncated file that looks whole.
		if !errors.Is(err, context.Canceled) {
			h.Log.Error("export interrupted", "file", filename, "err", err)
		}
		panic(http.ErrAbortHandler)
	}
}

// awaitMeasures waits, at most MeasuresWait, for the measures of
// measured, and reports whether they are there; if not, it has answered.
func (h *Handler) awaitMeasures(w http.ResponseWriter, r *http.Request, measured *network.Snapshot) bool {
	if measured == nil {
		return true
	}
	ctx, cancel := context.WithTimeout(r.Context(), h.MeasuresWait)
	defer cancel()
	err := measured.AwaitMeasures(ctx)
	var unavailable *domain.Error // past the wait; any other error: the client has gone
	if errors.As(err, &unavailable) {
		w.Header().Set("Retry-After", "60")
		writeError(w, http.StatusServiceUnavailable, unavailable.Code, unavailable.Message)
	}
	return err == nil
}

// errorBody is a GraphQL-shaped error response.
type errorBody struct {
	Errors []errorEntry `json:"errors"`
}

type errorEntry struct {
	Message    string            `json:"message"`
	Extensions map[string]string `json:"extensions"`
}

// writeError answers status with a GraphQL-shaped JSON error.
func writeError(w http.ResponseWriter, status int, code, message string) {
	body, _ := json.Marshal(errorBody{Errors: []errorEntry{{Message: message, Extensions: map[string]string{"code": code}}}})
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n'))
}

// communities holds the community of each node of a snapshot, by the
// node's position in Snapshot.Members; -1 when unknown.
type communities []int32

// communitiesOf maps the communities of measured onto the nodes of snap.
func communitiesOf(snap, measured *network.Snapshot) communities {
	ids := snap.Members()
	out := make(communities, len(ids))
	for i := range out {
		out[i] = -1
	}
	if measured == nil {
		return out
	}
	for _, c := range measured.Communities() {
		for _, id := range c.Members {
			if i, ok := slices.BinarySearch(ids, id); ok {
				out[i] = int32(c.ID)
			}
		}
	}
	return out
}

// eachNode calls fn for every node of snap, in ascending id order, with its
// position in snap.Members(), its attributes read by members (only the id
// when members has no row for it) and its community. Rows of members outside snap are skipped.
func (h *Handler) eachNode(ctx context.Context, snap *network.Snapshot, comm communities, fn func(i int, m domain.MemberAttributes, community int32) error) error {
	ids := snap.Members()
	k := 0
	err := h.members(ctx, func(m domain.MemberAttributes) error {
		for k < len(ids) && ids[k] < m.ID {
			if err := fn(k, domain.MemberAttributes{ID: ids[k]}, comm[k]); err != nil {
				return err
			}
			k++
		}
		if k < len(ids) && ids[k] == m.ID {
			k++
			return fn(k-1, m, comm[k-1])
		}
		return nil
	})
	if err != nil {
		return err
	}
	for ; k < len(ids); k++ {
		if err := fn(k, domain.MemberAttributes{ID: ids[k]}, comm[k]); err != nil {
			return err
		}
	}
	return nil
}

// memberGID is the global id of member id, the node id in every file.
func memberGID(id int64) string { return globalid.Encode(globalid.TypeMember, id) }

// communityText is the community as a CSV cell: empty when unknown.
func communityText(c int32) string {
	if c < 0 {
		return ""
	}
	return strconv.Itoa(int(c))
}
