package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
)

// asset is one embedded file served under a static prefix.
type asset struct {
	name        string
	data        []byte
	contentType string
	hash        string // hex sha256 prefix, used as version and ETag

	gzOnce sync.Once
	gz     []byte // gzip-compressed data, nil if not worth it
}

// gzipped returns the compressed representation, computed on first use.
func (a *asset) gzipped() []byte {
	a.gzOnce.Do(func() {
		if len(a.data) < 1024 {
			return
		}
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(a.data)
		zw.Close()
		if buf.Len() < len(a.data)*9/10 {
			a.gz = buf.Bytes()
		}
	})
	return a.gz
}

var contentTypes = map[string]string{
	".js":    "text/javascript; charset=utf-8",
	".mjs":   "text/javascript; charset=utf-8",
	".css":   "text/css; charset=utf-8",
	".txt":   "text/plain; charset=utf-8",
	".svg":   "image/svg+xml",
	".map":   "application/json; charset=utf-8",
	".json":  "application/json; charset=utf-8",
	".png":   "image/png",
	".woff2": "font/woff2",
	".woff":  "font/woff",
	".wasm":  "application/wasm",
}

// assetSet is a set of embedded files served under one URL prefix, each
// at a hash-versioned URL.
type assetSet struct {
	prefix string // e.g. "/static/"
	byName map[string]*asset
}

func newAssetSet(prefix string) *assetSet {
	return &assetSet{prefix: prefix, byName: map[string]*asset{}}
}

// add indexes one file; its content type comes from its extension.
func (s *assetSet) add(name string, data []byte) error {
	ct, ok := contentTypes[path.Ext(name)]
	if !ok {
		if ct = mime.TypeByExtension(path.Ext(name)); ct == "" {
			return fmt.Errorf("no content type for embedded asset %s", name)
		}
	}
	sum := sha256.Sum256(data)
	s.byName[name] = &asset{name: name, data: data, contentType: ct, hash: hex.EncodeToString(sum[:8])}
	return nil
}

// addDir indexes every file below dir of fsys, named by its path under dir.
func (s *assetSet) addDir(fsys fs.FS, dir string) error {
	return fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		return s.add(strings.TrimPrefix(p, dir+"/"), data)
	})
}

// url returns the versioned, root-relative URL of an asset. It panics for
// unknown names so that a typo in a page template fails at startup.
func (s *assetSet) url(name string) string {
	a, ok := s.byName[name]
	if !ok {
		panic("web: page references unknown asset " + name)
	}
	return s.prefix + name + "?v=" + a.hash
}

// lookup returns the asset a request path names under the prefix, or nil.
func (s *assetSet) lookup(urlPath string) *asset {
	name, ok := strings.CutPrefix(urlPath, s.prefix)
	if !ok {
		return nil
	}
	return s.byName[name]
}

// getOrHead answers 405 to any method but GET and HEAD, and reports
// whether the request may go on.
func getOrHead(w http.ResponseWriter, r *http.Request) bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return true
	}
	w.Header().Set("Allow", "GET, HEAD")
	http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
	return false
}

// servePage answers an HTML page under its Content-Security-Policy.
// cacheControl is "no-cache" for a page that may be revalidated by its
// ETag, "no-store" for one that holds secrets (demo tokens).
func servePage(w http.ResponseWriter, r *http.Request, page []byte, csp, cacheControl string) {
	sum := sha256.Sum256(page)
	hdr := w.Header()
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Content-Type", "text/html; charset=utf-8")
	hdr.Set("Cache-Control", cacheControl)
	hdr.Set("ETag", `"`+hex.EncodeToString(sum[:8])+`"`)
	hdr.Set("Content-Security-Policy", csp)
	hdr.Set("Referrer-Policy", "no-referrer")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(page))
}

// serveAsset answers an embedded file: immutable when asked for at its
// current version, gzip-compressed when the client accepts it.
func serveAsset(w http.ResponseWriter, r *http.Request, a *asset) {
	hdr := w.Header()
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Content-Type", a.contentType)
	if r.URL.Query().Get("v") == a.hash {
		// The URL changes whenever the content does.
		hdr.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		hdr.Set("Cache-Control", "no-cache")
	}
	data, etag := a.data, a.hash
	if gz := a.gzipped(); gz != nil {
		hdr.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r) {
			hdr.Set("Content-Encoding", "gzip")
			data, etag = gz, a.hash+"-gz"
		}
	}
	hdr.Set("ETag", `"`+etag+`"`)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
}

// acceptsGzip reports whether the request's Accept-Encoding allows gzip.
func acceptsGzip(r *http.Request) bool {
	for _, v := range r.Header.Values("Accept-Encoding") {
		for part := range strings.SplitSeq(v, ",") {
			coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
				continue
			}
			// Honour an explicit "gzip;q=0".
			for p := range strings.SplitSeq(params, ";") {
				if k, v, ok := strings.Cut(strings.TrimSpace(p), "="); ok && strings.EqualFold(k, "q") {
					if q, err := strconv.ParseFloat(v, 64); err == nil && q <= 0 {
						return false
					}
				}
			}
			return true
		}
	}
	return false
}
