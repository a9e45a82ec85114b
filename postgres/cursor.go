package postgres

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"unicode/utf8"

	"grappe/domain"
)

// keysetCursor is the decoded form of an opaque pagination cursor: the sort
// the page was read in, the sort key of the item and its id.
type keysetCursor struct {
	Sort  string `json:"s"`
	Value any    `json:"v"`
	ID    int64  `json:"i"`
}

// encodeCursor returns the opaque cursor of an item.
func encodeCursor(sort string, value any, id int64) string {
	b, _ := json.Marshal(keysetCursor{Sort: sort, Value: value, ID: id})
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor decodes a cursor that must have been produced for sort.
// Returns BAD_USER_INPUT naming field for a malformed or foreign cursor.
func decodeCursor(field, s, sort string) (*keysetCursor, error) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	var c keysetCursor
	if err != nil || len(s) > 4096 || !utf8.Valid(raw) || json.Unmarshal(raw, &c) != nil || c.ID <= 0 || c.Value == nil {
		return nil, domain.InvalidField(field, "%s is not a valid cursor", field)
	}
	if v, ok := c.Value.(string); ok && strings.ContainsRune(v, 0) {
		// PostgreSQL text cannot hold NUL: no cursor the server made has one.
		return nil, domain.InvalidField(field, "%s is not a valid cursor", field)
	}
	if c.Sort != sort {
		return nil, domain.InvalidField(field, "%s is a cursor of another list or order", field)
	}
	return &c, nil
}
