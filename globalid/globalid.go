// Package globalid encodes and decodes the opaque Relay global ids of grappe:
// base64url (unpadded) of "<Type>:<database id>".
package globalid

import (
	"encoding/base64"
	"strconv"
	"strings"

	"grappe/domain"
)

// Node type names used in global ids.
const (
	TypeMember       = "Member"
	TypeTrade        = "Trade"
	TypeBusinessLink = "BusinessLink"
	TypeQuestion     = "Question"
	TypeWorkingGroup = "WorkingGroup"
	TypeMeeting      = "Meeting"
	TypeActionPlan   = "ActionPlan"
	TypeContact      = "Contact"
	TypeTouchpoint   = "Touchpoint"
	TypeTraining     = "Training"
	TypeTradeShow    = "TradeShow"
	TypeExhibitor    = "Exhibitor"
	TypeLead         = "Lead"
)

// TypePurchasingCampaign is the node type of purchasing campaigns.
const TypePurchasingCampaign = "PurchasingCampaign"

// Encode returns the global id of the typ object with database id id.
func Encode(typ string, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(typ + ":" + strconv.FormatInt(id, 10)))
}

// Decode splits a global id into its type and database id. Returns
// BAD_USER_INPUT for anything that is not a well-formed global id.
func Decode(field, gid string) (typ string, id int64, err error) {
	bad := domain.InvalidField(field, "%q is not a valid id", truncate(gid))
	raw, derr := base64.RawURLEncoding.Strict().DecodeString(gid)
	if derr != nil || len(gid) > 64 {
		return "", 0, bad
	}
	typ, num, ok := strings.Cut(string(raw), ":")
	if !ok || !isTypeName(typ) {
		return "", 0, bad
	}
	id, perr := strconv.ParseInt(num, 10, 64)
	if perr != nil || id <= 0 || Encode(typ, id) != gid {
		// Only the canonical encoding is accepted (no padding, line breaks,
		// leading zeros or stray bits).
		return "", 0, bad
	}
	return typ, id, nil
}

// DecodeAs decodes a global id that must be of type want. Returns
// BAD_USER_INPUT for a malformed id or an id of another type.
func DecodeAs(field, want, gid string) (int64, error) {
	typ, id, err := Decode(field, gid)
	if err != nil {
		return 0, err
	}
	if typ != want {
		return 0, domain.InvalidField(field, "%q is not the id of a %s", truncate(gid), want)
	}
	return id, nil
}

// truncate shortens an id quoted back in an error message.
func truncate(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// isTypeName reports whether s looks like a GraphQL type name: an ASCII
// capital followed by ASCII letters.
func isTypeName(s string) bool {
	if s == "" || len(s) > 32 || s[0] < 'A' || s[0] > 'Z' {
		return false
	}
	for _, c := range []byte(s) {
		if (c < 'A' || c > 'Z') && (c < 'a' || c > 'z') {
			return false
		}
	}
	return true
}
