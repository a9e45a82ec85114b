package postgres

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"grappe/domain"
)

// Cursors are opaque: the JSON of a keysetCursor sealed with AES-256-GCM
// under a key kept in the database (table server_keys), so that a reader
// learns nothing from one (not the sort value of the item, which may be a
// field the viewer may not read) and cannot make one up, and every server
// of the database accepts the cursors of the others, across restarts. A
// cursor is base64url (unpadded) of nonce || ciphertext.

// cursorKeyName names the key sealing cursors in server_keys.
const cursorKeyName = "cursor"

// maxCursorLen bounds the length of a cursor the server reads. The longest
// the server makes (a relevance order, whose name holds a 200-character
// search) is well under it.
const maxCursorLen = 4096

// keysetCursor is the decoded form of an opaque pagination cursor: the sort
// the page was read in, the sort key of the item, its id and the role of
// the viewer it was made for.
type keysetCursor struct {
	Sort  string      `json:"s"`
	Value any         `json:"v"`
	ID    int64       `json:"i"`
	Role  domain.Role `json:"r"`
}

// cursorSealer seals and opens cursors with one key.
type cursorSealer struct {
	aead cipher.AEAD
}

// newCursorSealer returns the sealer of a 32-byte key.
func newCursorSealer(key []byte) (*cursorSealer, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("cursor key: %d bytes, want 32", len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("cursor key: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("cursor key: %w", err)
	}
	return &cursorSealer{aead: aead}, nil
}

// encode returns the opaque cursor of an item of a page read in sort for a
// viewer of role.
func (k *cursorSealer) encode(sort string, role domain.Role, value any, id int64) string {
	b, _ := json.Marshal(keysetCursor{Sort: sort, Value: value, ID: id, Role: role})
	n := k.aead.NonceSize()
	out := make([]byte, n, n+len(b)+k.aead.Overhead())
	_, _ = rand.Read(out) // never fails (crypto/rand)
	out = k.aead.Seal(out, out[:n], b, nil)
	return base64.RawURLEncoding.EncodeToString(out)
}

// decode opens a cursor that must have been made for sort and a viewer of
// role. Returns BAD_USER_INPUT naming field for a malformed or foreign
// cursor.
func (k *cursorSealer) decode(field, s, sort string, role domain.Role) (*keysetCursor, error) {
	invalid := domain.InvalidField(field, "%s is not a valid cursor", field)
	if len(s) > maxCursorLen {
		return nil, invalid
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	n := k.aead.NonceSize()
	if err != nil || len(raw) < n+k.aead.Overhead() {
		return nil, invalid
	}
	plain, err := k.aead.Open(raw[n:n], raw[:n], raw[n:], nil)
	var c keysetCursor
	if err != nil || !utf8.Valid(plain) || json.Unmarshal(plain, &c) != nil || c.ID <= 0 || c.Value == nil {
		return nil, invalid
	}
	if v, ok := c.Value.(string); ok && strings.ContainsRune(v, 0) {
		// PostgreSQL text cannot hold NUL: no cursor the server made has one.
		return nil, invalid
	}
	if c.Sort != sort {
		return nil, domain.InvalidField(field, "%s is a cursor of another list or order", field)
	}
	if c.Role != role {
		return nil, domain.InvalidField(field, "%s is a cursor of another viewer role", field)
	}
	return &c, nil
}

// cursors returns the sealer of db's cursors, reading (or, on the first use
// of the database, creating) its key on first use. An error is not kept:
// the next call tries again.
func (db *DB) cursors(ctx context.Context) (*cursorSealer, error) {
	if k := db.cursorKey.Load(); k != nil {
		return k, nil
	}
	db.cursorKeyMu.Lock()
	defer db.cursorKeyMu.Unlock()
	if k := db.cursorKey.Load(); k != nil {
		return k, nil
	}
	key, err := db.serverKey(ctx, cursorKeyName)
	if err != nil {
		return nil, err
	}
	k, err := newCursorSealer(key)
	if err != nil {
		return nil, err
	}
	db.cursorKey.Store(k)
	return k, nil
}

// serverKey returns the 32-byte key named name of server_keys, creating it
// when missing; concurrent servers agree on the first one inserted. The
// statements run on the pool itself, outside the statement counters and
// write counter: they belong to no request and change no data a reader
// sees.
func (db *DB) serverKey(ctx context.Context, name string) ([]byte, error) {
	if db.poolWait > 0 {
		ctx = poolWaitHook{wait: db.poolWait}.BeforeQuery(ctx, nil)
	}
	const read = `SELECT key FROM server_keys WHERE name = $1`
	var key []byte
	err := db.bun.DB.QueryRowContext(ctx, read, name).Scan(&key)
	if errors.Is(err, sql.ErrNoRows) {
		fresh := make([]byte, 32)
		_, _ = rand.Read(fresh)
		if _, err = db.bun.DB.ExecContext(ctx, `INSERT INTO server_keys (name, key) VALUES ($1, $2)
			ON CONFLICT (name) DO NOTHING`, name, fresh); err == nil {
			err = db.bun.DB.QueryRowContext(ctx, read, name).Scan(&key)
		}
	}
	if err != nil {
		return nil, mapError(err, "server key "+name)
	}
	return key, nil
}
