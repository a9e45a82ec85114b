// Package auth turns the Bearer JWT of a request into the domain.Viewer that
// the rest of grappe authorizes against.
//
// Tokens are either grappe's own, signed HS256 with a shared secret (see
// Issue and the `grappe token` command), or an identity provider's, signed
// RS256 and checked with its public key. A request without a token is served
// as the anonymous PUBLIC viewer; a request with a bad token is refused with
// 401 and never downgraded to PUBLIC. A MEMBER token is good only while
// its member exists: the verifier asks a MemberExists given by the program's
// wiring, which keeps auth free of any database.
package auth

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"grappe/domain"
	"grappe/globalid"
	"grappe/httpapi"
)

// Default claim names used when Config leaves them empty.
const (
	DefaultRoleClaim   = "role"
	DefaultMemberClaim = "member"
)

// Config configures token verification and issuing. Exactly the keys that
// are set are accepted: HS256 tokens when Secret is set, RS256 tokens when
// PublicKey is set, both when both are set. No other algorithm, and never
// "none", is accepted.
type Config struct {
	// Secret is the HS256 shared secret. Use at least 32 random bytes.
	Secret []byte
	// PublicKey is the RS256 verification key, typically an identity
	// provider's.
	PublicKey *rsa.PublicKey
	// Issuer, when set, must equal the token's "iss" claim.
	Issuer string
	// Audience, when set, must be one of the token's "aud" values.
	Audience string
	// RoleClaim names the claim holding the role; DefaultRoleClaim when empty.
	RoleClaim string
	// MemberClaim names the claim holding the member's global id;
	// DefaultMemberClaim when empty.
	MemberClaim string
	// Leeway is the clock skew allowed when checking exp, nbf and iat.
	Leeway time.Duration
}

// withDefaults returns cfg with empty claim names defaulted, after checking
// what NewVerifier and Issue both need.
func (cfg Config) withDefaults() (Config, error) {
	if cfg.RoleClaim == "" {
		cfg.RoleClaim = DefaultRoleClaim
	}
	if cfg.MemberClaim == "" {
		cfg.MemberClaim = DefaultMemberClaim
	}
	if cfg.RoleClaim == cfg.MemberClaim {
		return cfg, fmt.Errorf("auth: role claim and member claim are both %q", cfg.RoleClaim)
	}
	if cfg.Leeway < 0 {
		return cfg, fmt.Errorf("auth: negative leeway %s", cfg.Leeway)
	}
	return cfg, nil
}

// ParseRSAPublicKey parses a PEM-encoded RSA public key, either a PKIX
// "PUBLIC KEY" block or a PKCS #1 "RSA PUBLIC KEY" block. Only the first PEM
// block is read.
func ParseRSAPublicKey(pemBytes []byte) (*rsa.PublicKey, error) {
	block, _ := pem.Decode(pemBytes)
	if block == nil {
		return nil, errors.New("auth: no PEM block found in public key")
	}
	switch block.Type {
	case "PUBLIC KEY":
		key, err := x509.ParsePKIXPublicKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("auth: parse PKIX public key: %w", err)
		}
		rsaKey, ok := key.(*rsa.PublicKey)
		if !ok {
			return nil, fmt.Errorf("auth: public key is a %T, not an RSA key", key)
		}
		return rsaKey, nil
	case "RSA PUBLIC KEY":
		key, err := x509.ParsePKCS1PublicKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("auth: parse PKCS #1 public key: %w", err)
		}
		return key, nil
	}
	return nil, fmt.Errorf("auth: PEM block is %q, want \"PUBLIC KEY\" or \"RSA PUBLIC KEY\"", block.Type)
}

// MemberExists reports whether the member with the given id exists (ACTIVE
// or LAPSED). The Verifier asks it for the member of every MEMBER token, so
// it must answer from memory for known members. An error means it cannot
// tell now (the database is unavailable), not that the member is unknown.
type MemberExists func(ctx context.Context, id int64) (bool, error)

// Verifier checks Bearer tokens and turns them into viewers. It is safe for
// concurrent use.
type Verifier struct {
	cfg          Config
	methods      []string
	parser       *jwt.Parser
	memberExists MemberExists
}

// NewVerifier returns a Verifier for cfg, which checks the member of MEMBER
// tokens with memberExists. It fails when memberExists is nil, when neither
// Secret nor PublicKey is set, or when the claim names or leeway make no
// sense.
//
// Tokens must carry an "exp" claim: grappe's own tokens always do (Issue
// sets it), and an identity provider's token without an expiry would be a
// credential valid forever. "nbf" and "iat" are checked when present.
func NewVerifier(cfg Config, memberExists MemberExists) (*Verifier, error) {
	if memberExists == nil {
		return nil, errors.New("auth: no way to check that a token's member exists")
	}
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	var methods []string
	if len(cfg.Secret) > 0 {
		cfg.Secret = append([]byte(nil), cfg.Secret...)
		methods = append(methods, jwt.SigningMethodHS256.Alg())
	} else {
		cfg.Secret = nil
	}
	if cfg.PublicKey != nil {
		methods = append(methods, jwt.SigningMethodRS256.Alg())
	}
	if len(methods) == 0 {
		return nil, errors.New("auth: no verification key: set a secret or a public key")
	}
	opts := []jwt.ParserOption{
		jwt.WithValidMethods(methods),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(cfg.Leeway),
	}
	if cfg.Issuer != "" {
		opts = append(opts, jwt.WithIssuer(cfg.Issuer))
	}
	if cfg.Audience != "" {
		opts = append(opts, jwt.WithAudience(cfg.Audience))
	}
	return &Verifier{cfg: cfg, methods: methods, parser: jwt.NewParser(opts...), memberExists: memberExists}, nil
}

// key is the jwt.Keyfunc of v: the configured key matching the token's
// algorithm. The parser has already refused algorithms outside v.methods;
// checking the method's type as well keeps an HMAC token from ever being
// verified with the RSA key and the other way round.
func (v *Verifier) key(t *jwt.Token) (any, error) {
	switch m := t.Method.(type) {
	case *jwt.SigningMethodHMAC:
		if m.Alg() == jwt.SigningMethodHS256.Alg() && v.cfg.Secret != nil {
			return v.cfg.Secret, nil
		}
	case *jwt.SigningMethodRSA:
		if m.Alg() == jwt.SigningMethodRS256.Alg() && v.cfg.PublicKey != nil {
			return v.cfg.PublicKey, nil
		}
	}
	return nil, fmt.Errorf("auth: no key for signing algorithm %s", t.Method.Alg())
}

// errMemberUncheckable is the error of a MEMBER token whose member cannot be
// looked for now: the request may succeed later, and the token is not
// refused.
var errMemberUncheckable = domain.Errorf(domain.CodeUnavailable, "the token's member cannot be checked now; retry shortly")

// unauthenticated returns the UNAUTHENTICATED error with the given message.
func unauthenticated(format string, args ...any) *domain.Error {
	return domain.Errorf(domain.CodeUnauthenticated, format, args...)
}

// Verify checks the raw token (without the "Bearer " prefix) and returns the
// viewer it speaks for. Any problem with the token yields a *domain.Error
// with code UNAUTHENTICATED and a short message fit for the caller, such as
// "token expired", "token signature is invalid" or "the token's member does
// not exist"; when whether the member exists cannot be told, the error has
// code UNAVAILABLE.
//
// The role claim must name a role exactly, in upper case as the schema
// spells it ("STAFF", not "staff"): a token is a machine's word, and an
// identity provider sending another spelling is misconfigured. A MEMBER
// token must carry a member claim holding the global id of a member that
// exists, which becomes Viewer.MemberID; other roles ignore the member
// claim. Viewer.Subject is the "sub" claim, Viewer.Expires the "exp" claim
// (without the leeway allowed for clock skew).
func (v *Verifier) Verify(ctx context.Context, raw string) (domain.Viewer, error) {
	if raw == "" {
		return domain.Viewer{}, unauthenticated("token is empty")
	}
	claims := jwt.MapClaims{}
	token, err := v.parser.ParseWithClaims(raw, claims, v.key)
	if err != nil {
		return domain.Viewer{}, v.explain(token, claims, err)
	}

	sub, err := claims.GetSubject()
	if err != nil {
		return domain.Viewer{}, unauthenticated("sub claim is not a string")
	}
	viewer := domain.Viewer{Subject: sub}
	if exp, err := claims.GetExpirationTime(); err == nil && exp != nil {
		viewer.Expires = exp.Time
	}

	rawRole, ok := claims[v.cfg.RoleClaim]
	if !ok || rawRole == nil || rawRole == "" {
		return domain.Viewer{}, unauthenticated("token has no role claim")
	}
	roleName, ok := rawRole.(string)
	if !ok {
		return domain.Viewer{}, unauthenticated("role claim is not a string")
	}
	role := domain.Role(roleName)
	if !role.Valid() {
		return domain.Viewer{}, unauthenticated("unknown role %q", truncate(roleName))
	}
	viewer.Role = role

	if role == domain.RoleMember {
		rawMember, ok := claims[v.cfg.MemberClaim]
		if !ok || rawMember == nil || rawMember == "" {
			return domain.Viewer{}, unauthenticated("MEMBER token has no member claim")
		}
		gid, ok := rawMember.(string)
		if !ok {
			return domain.Viewer{}, unauthenticated("member claim is not a member id")
		}
		id, err := globalid.DecodeAs(v.cfg.MemberClaim, globalid.TypeMember, gid)
		if err != nil {
			return domain.Viewer{}, unauthenticated("member claim is not a member id")
		}
		exists, err := v.memberExists(ctx, id)
		if err != nil {
			return domain.Viewer{}, errMemberUncheckable
		}
		if !exists {
			return domain.Viewer{}, unauthenticated("the token's member does not exist")
		}
		viewer.MemberID = id
	}
	return viewer, nil
}

// explain turns a parse error into the UNAUTHENTICATED error shown to the
// caller. token and claims hold whatever was parsed before the failure.
func (v *Verifier) explain(token *jwt.Token, claims jwt.MapClaims, err error) *domain.Error {
	if token == nil || errors.Is(err, jwt.ErrTokenMalformed) {
		return unauthenticated("token is malformed")
	}
	alg, ok := token.Header["alg"].(string)
	if !ok || alg == "" {
		return unauthenticated("token has no signing algorithm")
	}
	if !v.accepts(alg) {
		return unauthenticated("unsupported signing algorithm %s", printableAlg(alg))
	}
	switch {
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return unauthenticated("token signature is invalid")
	case errors.Is(err, jwt.ErrTokenUnverifiable):
		return unauthenticated("token signature cannot be verified")
	case errors.Is(err, jwt.ErrInvalidType):
		return unauthenticated("token has a malformed registered claim")
	case errors.Is(err, jwt.ErrTokenExpired):
		return unauthenticated("token expired")
	case errors.Is(err, jwt.ErrTokenNotValidYet):
		return unauthenticated("token is not valid yet")
	case errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		return unauthenticated("token is issued in the future")
	case errors.Is(err, jwt.ErrTokenInvalidIssuer):
		return unauthenticated("token issuer is not accepted")
	case errors.Is(err, jwt.ErrTokenInvalidAudience):
		return unauthenticated("token audience is not accepted")
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		for _, name := range []string{"exp", "iss", "aud"} {
			if _, ok := claims[name]; !ok {
				return unauthenticated("token has no %s claim", name)
			}
		}
		return unauthenticated("token is missing a required claim")
	}
	return unauthenticated("token is invalid")
}

// accepts reports whether alg is one of the algorithms v is configured for.
func (v *Verifier) accepts(alg string) bool {
	for _, m := range v.methods {
		if m == alg {
			return true
		}
	}
	return false
}

// printableAlg returns alg as is when it looks like an algorithm name, and
// quoted and truncated otherwise, so a hostile header cannot shape the
// message.
func printableAlg(alg string) string {
	if len(alg) > 16 {
		return fmt.Sprintf("%q", truncate(alg))
	}
	for _, c := range alg {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return fmt.Sprintf("%q", alg)
		}
	}
	return alg
}

// truncate shortens a claim value quoted back in an error message.
func truncate(s string) string {
	const max = 40
	if len(s) > max {
		return strings.ToValidUTF8(s[:max], "") + "…"
	}
	return s
}

// parseRoleName returns the role a person typed as s, ignoring ASCII case
// only, so that no Unicode folding trick (such as "ſtaff") names a role. It
// is for Issue: a token's role claim is matched exactly (Verify).
func parseRoleName(s string) (domain.Role, bool) {
	for _, r := range []domain.Role{domain.RolePublic, domain.RoleMember, domain.RoleAnalyst, domain.RoleStaff} {
		if asciiEqualFold(s, string(r)) {
			return r, true
		}
	}
	return "", false
}

// asciiEqualFold reports whether a and b are equal ignoring ASCII case.
func asciiEqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lower(a[i]) != lower(b[i]) {
			return false
		}
	}
	return true
}

// lower returns the ASCII lower case of c.
func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// Middleware authenticates each request from its "Authorization: Bearer
// <token>" header and puts the viewer in the request context with
// domain.WithViewer. A request without an Authorization header gets
// domain.Anonymous. A request whose header is not a Bearer token, or whose
// token fails Verify, is answered 401 with a GraphQL-shaped error whose
// extensions.code is UNAUTHENTICATED and a WWW-Authenticate challenge, as
// application/graphql-response+json or application/json as the Accept
// header prefers (httpapi.Negotiate; application/json when it accepts
// neither); it is never served as PUBLIC. A MEMBER token whose member cannot be looked for
// now is answered 503 with UNAVAILABLE and Retry-After.
func (v *Verifier) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		values := r.Header.Values("Authorization")
		if len(values) == 0 {
			next.ServeHTTP(w, r.WithContext(domain.WithViewer(r.Context(), domain.Anonymous)))
			return
		}
		if len(values) > 1 {
			writeUnauthorized(w, r, unauthenticated("more than one Authorization header"))
			return
		}
		raw, err := bearerToken(values[0])
		if err != nil {
			writeUnauthorized(w, r, err)
			return
		}
		viewer, err := v.Verify(r.Context(), raw)
		if err != nil {
			if domain.ErrorCode(err) != domain.CodeUnauthenticated {
				writeUnavailable(w, r, err)
				return
			}
			writeUnauthorized(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(domain.WithViewer(r.Context(), viewer)))
	})
}

// bearerToken extracts the token of an Authorization header value. The
// scheme is case-insensitive (RFC 9110 §11.1).
func bearerToken(header string) (string, error) {
	header = strings.TrimSpace(header)
	scheme, rest, _ := strings.Cut(header, " ")
	if !asciiEqualFold(scheme, "Bearer") {
		return "", unauthenticated("Authorization header is not a Bearer token")
	}
	token := strings.TrimSpace(rest)
	if token == "" {
		return "", unauthenticated("Bearer token is empty")
	}
	return token, nil
}

// writeUnauthorized answers 401 with err's message as a GraphQL error, in
// the media type the client accepts (as the GraphQL endpoint does).
func writeUnauthorized(w http.ResponseWriter, r *http.Request, err error) {
	w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
	httpapi.WriteErrorFor(w, r, http.StatusUnauthorized, domain.CodeUnauthenticated, domain.ErrorMessage(err))
}

// writeUnavailable answers 503 with err's message as a GraphQL error coded
// UNAVAILABLE.
func writeUnavailable(w http.ResponseWriter, r *http.Request, err error) {
	w.Header().Set("Retry-After", "1")
	httpapi.WriteErrorFor(w, r, http.StatusServiceUnavailable, domain.CodeUnavailable, domain.ErrorMessage(err))
}

// Issue signs an HS256 token with cfg.Secret for local use, as the
// `grappe token` command does. The token carries sub, iat (now), exp
// (now+ttl), the role under cfg.RoleClaim and, for MEMBER only, the member's
// global id under cfg.MemberClaim; iss and aud are added when cfg sets
// Issuer and Audience. The subject is the member global id for a MEMBER and
// "local:<role>" otherwise.
//
// role is matched ignoring ASCII case, for the person typing it; the token
// carries its canonical upper-case name, the only one Verify accepts.
//
// Issue returns BAD_USER_INPUT domain errors for an unknown role, a MEMBER
// without a member id, another role with a member id, a member id that is
// not a Member global id, or a ttl under one second (exp has a resolution of
// seconds); it returns a plain error when cfg has no secret.
func Issue(cfg Config, role domain.Role, memberGlobalID string, ttl time.Duration, now time.Time) (string, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return "", err
	}
	if len(cfg.Secret) == 0 {
		return "", errors.New("auth: issuing a token needs a secret")
	}
	r, ok := parseRoleName(string(role))
	if !ok {
		return "", domain.InvalidField("role", "unknown role %q", truncate(string(role)))
	}
	if ttl < time.Second {
		return "", domain.InvalidField("ttl", "token lifetime must be at least 1s, got %s", ttl)
	}
	sub := "local:" + strings.ToLower(string(r))
	switch {
	case r == domain.RoleMember && memberGlobalID == "":
		return "", domain.InvalidField("member", "a MEMBER token needs a member id")
	case r != domain.RoleMember && memberGlobalID != "":
		return "", domain.InvalidField("member", "only a MEMBER token carries a member id, not %s", r)
	case r == domain.RoleMember:
		if _, err := globalid.DecodeAs("member", globalid.TypeMember, memberGlobalID); err != nil {
			return "", err
		}
		sub = memberGlobalID
	}

	claims := jwt.MapClaims{
		"sub":         sub,
		"iat":         now.Unix(),
		"exp":         now.Add(ttl).Unix(),
		cfg.RoleClaim: string(r),
	}
	if r == domain.RoleMember {
		claims[cfg.MemberClaim] = memberGlobalID
	}
	if cfg.Issuer != "" {
		claims["iss"] = cfg.Issuer
	}
	if cfg.Audience != "" {
		claims["aud"] = cfg.Audience
	}
	signed, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(cfg.Secret)
	if err != nil {
		return "", fmt.Errorf("auth: sign token: %w", err)
	}
	return signed, nil
}
