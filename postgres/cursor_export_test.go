package postgres

import "context"

// SealCursor seals raw as the plaintext of a cursor with db's key: a cursor
// holding exactly raw, which only the server could make, for the external
// tests of what the server does with odd contents.
func (db *DB) SealCursor(ctx context.Context, raw string) (string, error) {
	k, err := db.cursors(ctx)
	if err != nil {
		return "", err
	}
	return k.sealRaw([]byte(raw)), nil
}
