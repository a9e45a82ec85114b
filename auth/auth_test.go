package auth_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"grappe/auth"
	"grappe/domain"
	"grappe/globalid"
)

var (
	secret      = []byte("0123456789abcdef0123456789abcdef")
	otherSecret = []byte("fedcba9876543210fedcba9876543210")

	// rsaKey and otherRSAKey are generated once: key generation is slow.
	rsaKey      = sync.OnceValue(func() *rsa.PrivateKey { return genRSA() })
	otherRSAKey = sync.OnceValue(func() *rsa.PrivateKey { return genRSA() })
)

func genRSA() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
}

// pkixPEM returns the PKIX "PUBLIC KEY" PEM encoding of pub.
func pkixPEM(t *testing.T, pub any) []byte {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

// sign returns claims signed with method and key.
func sign(t *testing.T, method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(method, claims).SignedString(key)
	if err != nil {
		t.Fatalf("sign: %v", err)
	}
	return s
}

// claims returns valid registered claims for sub plus extra.
func claims(extra jwt.MapClaims) jwt.MapClaims {
	now := time.Now()
	c := jwt.MapClaims{
		"sub": "user-1",
		"iat": now.Unix(),
		"exp": now.Add(time.Hour).Unix(),
	}
	for k, v := range extra {
		if v == nil {
			delete(c, k)
			continue
		}
		c[k] = v
	}
	return c
}

// memberSet is a set of member ids, and the MemberExists over it.
type memberSet map[int64]bool

func (m memberSet) exists(_ context.Context, id int64) (bool, error) { return m[id], nil }

// members holds the members the tests' tokens name.
var members = memberSet{1: true, 7: true, 42: true, 1234: true}.exists

// ignoreExpiry leaves Viewer.Expires out of comparisons of tokens signed
// at the time of the test; TestIssueRoundTrip checks it.
var ignoreExpiry = cmpopts.IgnoreFields(domain.Viewer{}, "Expires")

// unauth is the expected UNAUTHENTICATED error with msg.
func unauth(msg string) *domain.Error {
	return &domain.Error{Code: domain.CodeUnauthenticated, Message: msg}
}

// asDomainError returns err as a *domain.Error, failing the test otherwise.
func asDomainError(t *testing.T, err error) *domain.Error {
	t.Helper()
	if err == nil {
		return nil
	}
	var de *domain.Error
	if !errors.As(err, &de) {
		t.Fatalf("error %v (%T) is not a *domain.Error", err, err)
	}
	return de
}

func TestVerify(t *testing.T) {
	member42 := globalid.Encode(globalid.TypeMember, 42)
	pub := &rsaKey().PublicKey
	pubPEM := pkixPEM(t, pub)
	hs := auth.Config{Secret: secret}
	rs := auth.Config{PublicKey: pub, Issuer: "https://idp.example", Audience: "grappe"}
	both := auth.Config{Secret: otherSecret, PublicKey: pub}
	custom := auth.Config{Secret: secret, RoleClaim: "https://grappe/role", MemberClaim: "org_member"}
	hour := time.Hour
	now := time.Now()

	tests := []struct {
		name    string
		cfg     auth.Config
		token   func(t *testing.T) string
		want    domain.Viewer
		wantErr *domain.Error
	}{
		{
			name: "HS256 PUBLIC",
			cfg:  hs,
			token: func(t *testing.T) string {
				return sign(t, jwt.SigningMethodHS256, secret, claims(jwt.MapClaims{"role": "PUBLIC"}))
			},
			want: domain.Viewer{Role: domain.RolePublic, Subject: "user-1"},
		},
		{
			name: "HS256 MEMBER with member claim",
			cfg:  hs,
			token: func(t *testing.T) string {
				return sign(t, jwt.SigningMethodHS256, secret, claims(jwt.MapClaims{"role": "MEMBER", "member": member42}))
			},
			want: domain.Viewer{Role: domain.RoleMember, MemberID: 42, Subject: "user-1"},
		},
		{
			name: "HS256 ANALYST",
			cfg:  hs,
			token: func(t *testing.T) string {
				return sign(t, jwt.SigningMethodHS256, secret, claims(jwt.MapClaims{"role": "ANALYST"}))
			},
			want: domain.Viewer{Role: domain.RoleAnalyst, Subject: "user-1"},
		},
		{
			name: "HS256 STAFF",
			cfg:  hs,
			token: func(t *testing.T) string {
				return sign(t, jwt.SigningMethodHS256, secret, claims(jwt.MapClaims{"role": "STAFF"}))
			},
			want: domain.Viewer{Role: domain.RoleStaff, Subject: "user-1"},
		},
		{
			name: "role in lower case",
			cfg:  hs,
			token: func(t *testing.T) string {
				return sign(t, jwt.SigningMethodHS256, secret, claims(jwt.MapClaims{"role": "staff"}))
			},
			wantErr: unauth(`unknown role "staff"`),
		},
		{
			name: "role in mixed case",
			cfg:  hs,
			token: func(t *testing.T) string {
				return sign(t, jwt.SigningMethodHS256, secret, claims(jwt.MapClaims{"role": "Staff"}))
			},
			wantErr: unauth(`unknown role "Staff"`),
		},
		{
			name: "role with Unicode folding",
			cfg:  hs,
			token: func(t *testing.T) string {
				return sign(t, jwt.SigningMethodHS256, secret, claims(jwt.MapClaims{"role": "ſtaff"}))
			},
			wantErr: unauth(`unknown role "ſtaff"`),
		},
		{
			name: "non-MEMBER ignores member claim",
			cfg:  hs,
			token: func(t *testing.T) string {
				return sign(t, jwt.SigningMethodHS256, secret, claims(jwt.MapClaims{"role": "ANALYST", "member": "not an id"}))
			},
			want: domain.Viewer{Role: domain.RoleAnalyst, Subject: "user-1"},
		},
		{
			name: "no sub claim",
			cfg:  hs,
			token: func(t *testing.T) string {
				return sign(t, jwt.SigningMethodHS256, secret, claims(jwt.MapClaims{"role": "STAFF", "sub": nil}))
			},
			want: domain.Viewer{Role: domain.RoleStaff},
		},
		{
			name: "expired",
			cfg:  hs,
			token: func(t *testing.T) string {
				return sign(t, jwt.SigningMethodHS256, secret, claims(jwt.MapClaims{"role": "STAFF", "iat": now.Add(-2 * hour).Unix(), "exp": now.Add(-hour).Unix()}))
			},
			wantErr: unauth("token expired"),
		},
		{
			name: "expired within leeway",
			cfg:  auth.Config{Secret: secret, Leeway: time.Minute},
			token: func(t *testing.T) string {
				return sign(t, jwt.SigningMethodHS256, secret, claims(jwt.MapClaims{"role": "STAFF", "exp": now.Add(-10 * time.Second).Unix()}))
			},
			want: domain.Viewer{Role: domain.RoleStaff, Subject: "user-1"},
		},
		{
			name: "not valid yet",
			cfg:  hs,
			token: func(t *testing.T) string {
				return sign(t, jwt.SigningMethodHS256, secret, claims(jwt.MapClaims{"role": "STAFF", "nbf": now.Add(hour / 2).Unix()}))
			},
			wantErr: unauth("token is not valid yet"),
		},
		{
			name: "issued in the future",
			cfg:  hs,
			token: func(t *testing.T) string {
				return sign(t, jwt.SigningMethodHS256, secret, claims(jwt.MapClaims{"role": "STAFF", "iat": now.Add(hour / 2).Unix()}))
			},
			wantErr: unauth("token is issued in the future"),
		},
		{
			name: "no exp claim",
			cfg:  hs,
			token: func(t *testing.T) string {
				return sign(t, jwt.SigningMethodHS256, secret, claims(jwt.MapClaims{"role": "STAFF", "exp": nil}))
			},
			wantErr: unauth("token has no exp claim"),
		},
		{
			name: "alg none",
			cfg:  hs,
			token: func(t *testing.T) string {
				return sign(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, claims(jwt.MapClaims{"role": "STAFF"}))
			},
			wantErr: unauth("unsupported signing algorithm none"),
		},
		{
			name: "HS512 not accepted",
			cfg:  hs,
			token: func(t *testing.T) string {
				return sign(t, jwt.SigningMethodHS512, secret, claims(jwt.MapClaims{"role": "STAFF"}))
			},
			wantErr: unauth("unsupported signing algorithm HS512"),
		},
		{
			name: "wrong secret",
			cfg:  hs,
			token: func(t *testing.T) string {
				return sign(t, jwt.SigningMethodHS256, otherSecret, claims(jwt.MapClaims{"role": "STAFF"}))
			},
			wantErr: unauth("token signature is invalid"),
		},
		{
			name: "algorithm confusion: HS256 keyed with the RSA public key, only PublicKey configured",
			cfg:  auth.Config{PublicKey: pub},
			token: func(t *testing.T) string {
				return sign(t, jwt.SigningMethodHS256, pubPEM, claims(jwt.MapClaims{"role": "STAFF"}))
			},
			wantErr: unauth("unsupported signing algorithm HS256"),
		},
		{
			name: "algorithm confusion: HS256 keyed with the RSA public key, both keys configured",
			cfg:  both,
			token: func(t *testing.T) string {
				return sign(t, jwt.SigningMethodHS256, pubPEM, claims(jwt.MapClaims{"role": "STAFF"}))
			},
			wantErr: unauth("token signature is invalid"),
		},
		{
			name: "RS256 with issuer and audience",
			cfg:  rs,
			token: func(t *testing.T) string {
				return sign(t, jwt.SigningMethodRS256, rsaKey(), claims(jwt.MapClaims{"role": "ANALYST", "iss": "https://idp.example", "aud": []string{"other", "grappe"}}))
			},
			want: domain.Viewer{Role: domain.RoleAnalyst, Subject: "user-1"},
		},
		{
			name: "RS256 and HS256 both configured: RS256 accepted",
			cfg:  both,
			token: func(t *testing.T) string {
				return sign(t, jwt.SigningMethodRS256, rsaKey(), claims(jwt.MapClaims{"role": "STAFF"}))
			},
			want: domain.Viewer{Role: domain.RoleStaff, Subject: "user-1"},
		},
		{
			name: "RS256 and HS256 both configured: HS256 accepted",
			cfg:  both,
			token: func(t *testing.T) string {
				return sign(t, jwt.SigningMethodHS256, otherSecret, claims(jwt.MapClaims{"role": "STAFF"}))
			},
			want: domain.Viewer{Role: domain.RoleStaff, Subject: "user-1"},
		},
		{
			name: "RS256 wrong issuer",
			cfg:  rs,
			token: func(t *testing.T) string {
				return sign(t, jwt.SigningMethodRS256, rsaKey(), claims(jwt.MapClaims{"role": "STAFF", "iss": "https://evil.example", "aud": "grappe"}))
			},
			wantErr: unauth("token issuer is not accepted"),
		},
		{
			name: "RS256 wrong audience",
			cfg:  rs,
			token: func(t *testing.T) string {
				return sign(t, jwt.SigningMethodRS256, rsaKey(), claims(jwt.MapClaims{"role": "STAFF", "iss": "https://idp.example", "aud": "other"}))
			},
			wantErr: unauth("token audience is not accepted"),
		},
		{
			name: "RS256 missing issuer",
			cfg:  rs,
			token: func(t *testing.T) string {
				return sign(t, jwt.SigningMethodRS256, rsaKey(), claims(jwt.MapClaims{"role": "STAFF", "aud": "grappe"}))
			},
			wantErr: unauth("token has no iss claim"),
		},
		{
			name: "RS256 missing audience",
			cfg:  rs,
			token: func(t *testing.T) string {
				return sign(t, jwt.SigningMethodRS256, rsaKey(), claims(jwt.MapClaims{"role": "STAFF", "iss": "https://idp.example"}))
			},
			wantErr: unauth("token has no aud claim"),
		},
		{
			name: "RS256 signed by another key",
			cfg:  rs,
			token: func(t *testing.T) string {
				return sign(t, jwt.SigningMethodRS256, otherRSAKey(), claims(jwt.MapClaims{"role": "STAFF", "iss": "https://idp.example", "aud": "grappe"}))
			},
			wantErr: unauth("token signature is invalid"),
		},
		{
			name: "RS256 when only a secret is configured",
			cfg:  hs,
			token: func(t *testing.T) string {
				return sign(t, jwt.SigningMethodRS256, rsaKey(), claims(jwt.MapClaims{"role": "STAFF"}))
			},
			wantErr: unauth("unsupported signing algorithm RS256"),
		},
		{
			name: "custom claim names",
			cfg:  custom,
			token: func(t *testing.T) string {
				return sign(t, jwt.SigningMethodHS256, secret, claims(jwt.MapClaims{"https://grappe/role": "MEMBER", "org_member": member42, "member": "ignored"}))
			},
			want: domain.Viewer{Role: domain.RoleMember, MemberID: 42, Subject: "user-1"},
		},
		{
			name: "custom claim names: default names are not read",
			cfg:  custom,
			token: func(t *testing.T) string {
				return sign(t, jwt.SigningMethodHS256, secret, claims(jwt.MapClaims{"role": "MEMBER", "member": member42}))
			},
			wantErr: unauth("token has no role claim"),
		},
		{
			name: "unknown role",
			cfg:  hs,
			token: func(t *testing.T) string {
				return sign(t, jwt.SigningMethodHS256, secret, claims(jwt.MapClaims{"role": "ADMIN"}))
			},
			wantErr: unauth(`unknown role "ADMIN"`),
		},
		{
			name: "unicode case folding does not name a role",
			cfg:  hs,
			token: func(t *testing.T) string {
				return sign(t, jwt.SigningMethodHS256, secret, claims(jwt.MapClaims{"role": "ſtaff"}))
			},
			wantErr: unauth(`unknown role "ſtaff"`),
		},
		{
			name:    "missing role",
			cfg:     hs,
			token:   func(t *testing.T) string { return sign(t, jwt.SigningMethodHS256, secret, claims(nil)) },
			wantErr: unauth("token has no role claim"),
		},
		{
			name: "role is not a string",
			cfg:  hs,
			token: func(t *testing.T) string {
				return sign(t, jwt.SigningMethodHS256, secret, claims(jwt.MapClaims{"role": []string{"STAFF"}}))
			},
			wantErr: unauth("role claim is not a string"),
		},
		{
			name: "MEMBER without member claim",
			cfg:  hs,
			token: func(t *testing.T) string {
				return sign(t, jwt.SigningMethodHS256, secret, claims(jwt.MapClaims{"role": "MEMBER"}))
			},
			wantErr: unauth("MEMBER token has no member claim"),
		},
		{
			name: "MEMBER with the id of another type",
			cfg:  hs,
			token: func(t *testing.T) string {
				return sign(t, jwt.SigningMethodHS256, secret, claims(jwt.MapClaims{"role": "MEMBER", "member": globalid.Encode(globalid.TypeTrade, 42)}))
			},
			wantErr: unauth("member claim is not a member id"),
		},
		{
			name: "MEMBER whose member does not exist",
			cfg:  hs,
			token: func(t *testing.T) string {
				return sign(t, jwt.SigningMethodHS256, secret, claims(jwt.MapClaims{"role": "MEMBER", "member": globalid.Encode(globalid.TypeMember, 43)}))
			},
			wantErr: unauth("the token's member does not exist"),
		},
		{
			name: "MEMBER with a raw database id",
			cfg:  hs,
			token: func(t *testing.T) string {
				return sign(t, jwt.SigningMethodHS256, secret, claims(jwt.MapClaims{"role": "MEMBER", "member": 42}))
			},
			wantErr: unauth("member claim is not a member id"),
		},
		{
			name:    "garbage",
			cfg:     hs,
			token:   func(*testing.T) string { return "not-a-jwt" },
			wantErr: unauth("token is malformed"),
		},
		{
			name:    "empty",
			cfg:     hs,
			token:   func(*testing.T) string { return "" },
			wantErr: unauth("token is empty"),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, err := auth.NewVerifier(tc.cfg, members)
			if err != nil {
				t.Fatalf("NewVerifier: %v", err)
			}
			got, err := v.Verify(context.Background(), tc.token(t))
			if diff := cmp.Diff(tc.wantErr, asDomainError(t, err)); diff != "" {
				t.Fatalf("Verify error (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.want, got, ignoreExpiry); diff != "" {
				t.Errorf("Verify viewer (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNewVerifierErrors(t *testing.T) {
	tests := []struct {
		name string
		cfg  auth.Config
	}{
		{name: "no key", cfg: auth.Config{Issuer: "x"}},
		{name: "empty secret", cfg: auth.Config{Secret: []byte{}}},
		{name: "same claim names", cfg: auth.Config{Secret: secret, RoleClaim: "x", MemberClaim: "x"}},
		{name: "negative leeway", cfg: auth.Config{Secret: secret, Leeway: -time.Second}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if v, err := auth.NewVerifier(tc.cfg, members); err == nil {
				t.Fatalf("NewVerifier = %v, want an error", v)
			}
		})
	}
	t.Run("no member check", func(t *testing.T) {
		if v, err := auth.NewVerifier(auth.Config{Secret: secret}, nil); err == nil {
			t.Fatalf("NewVerifier = %v, want an error", v)
		}
	})
}

// TestVerifyMemberCheck: the member of a MEMBER token is looked for, and
// only it; when it cannot be, the token is not refused but the request
// cannot be served now.
func TestVerifyMemberCheck(t *testing.T) {
	var asked []int64
	var fail error
	v, err := auth.NewVerifier(auth.Config{Secret: secret}, func(_ context.Context, id int64) (bool, error) {
		asked = append(asked, id)
		return id == 7, fail
	})
	if err != nil {
		t.Fatal(err)
	}
	issue := func(role domain.Role, member int64) string {
		gid := ""
		if member != 0 {
			gid = globalid.Encode(globalid.TypeMember, member)
		}
		tok, err := auth.Issue(auth.Config{Secret: secret}, role, gid, time.Hour, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	ctx := context.Background()
	for _, role := range []domain.Role{domain.RolePublic, domain.RoleAnalyst, domain.RoleStaff} {
		if _, err := v.Verify(ctx, issue(role, 0)); err != nil {
			t.Fatalf("%s: %v", role, err)
		}
	}
	if len(asked) != 0 {
		t.Fatalf("members looked for without a MEMBER token: %v", asked)
	}
	if got, err := v.Verify(ctx, issue(domain.RoleMember, 7)); err != nil || got.MemberID != 7 {
		t.Fatalf("member 7: %+v, %v", got, err)
	}
	_, err = v.Verify(ctx, issue(domain.RoleMember, 8))
	if diff := cmp.Diff(unauth("the token's member does not exist"), asDomainError(t, err)); diff != "" {
		t.Errorf("member 8 (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int64{7, 8}, asked); diff != "" {
		t.Errorf("members looked for (-want +got):\n%s", diff)
	}

	fail = errors.New("connection refused")
	_, err = v.Verify(ctx, issue(domain.RoleMember, 7))
	if code := domain.ErrorCode(err); code != domain.CodeUnavailable {
		t.Errorf("member check failing: %v (code %s), want UNAVAILABLE", err, code)
	}
}

func TestParseRSAPublicKey(t *testing.T) {
	pub := &rsaKey().PublicKey
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		pem     []byte
		wantErr bool
	}{
		{name: "PKIX", pem: pkixPEM(t, pub)},
		{name: "PKCS1", pem: pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(pub)})},
		{name: "not PEM", pem: []byte("hello"), wantErr: true},
		{name: "EC key", pem: pkixPEM(t, &ec.PublicKey), wantErr: true},
		{name: "private key block", pem: pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(rsaKey())}), wantErr: true},
		{name: "corrupt PKIX", pem: pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: []byte("junk")}), wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := auth.ParseRSAPublicKey(tc.pem)
			if tc.wantErr {
				if err == nil {
					t.Fatal("ParseRSAPublicKey succeeded, want an error")
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseRSAPublicKey: %v", err)
			}
			if !got.Equal(pub) {
				t.Error("ParseRSAPublicKey returned another key")
			}
		})
	}
}

// gqlError is the body of a 401 response.
type gqlError struct {
	Errors []struct {
		Message    string `json:"message"`
		Extensions struct {
			Code string `json:"code"`
		} `json:"extensions"`
	} `json:"errors"`
}

func TestMiddleware(t *testing.T) {
	v, err := auth.NewVerifier(auth.Config{Secret: secret}, members)
	if err != nil {
		t.Fatal(err)
	}
	member := globalid.Encode(globalid.TypeMember, 7)
	valid, err := auth.Issue(auth.Config{Secret: secret}, domain.RoleMember, member, time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	unknown, err := auth.Issue(auth.Config{Secret: secret}, domain.RoleMember, globalid.Encode(globalid.TypeMember, 8), time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	lowerRole := sign(t, jwt.SigningMethodHS256, secret, claims(jwt.MapClaims{"role": "staff"}))

	tests := []struct {
		name       string
		headers    []string
		wantViewer *domain.Viewer // nil: the handler must not run
		wantMsg    string
	}{
		{name: "no header", wantViewer: &domain.Anonymous},
		{name: "valid", headers: []string{"Bearer " + valid}, wantViewer: &domain.Viewer{Role: domain.RoleMember, MemberID: 7, Subject: member}},
		{name: "lower-case scheme", headers: []string{"bearer " + valid}, wantViewer: &domain.Viewer{Role: domain.RoleMember, MemberID: 7, Subject: member}},
		{name: "Basic", headers: []string{"Basic dXNlcjpwYXNz"}, wantMsg: "Authorization header is not a Bearer token"},
		{name: "empty header", headers: []string{""}, wantMsg: "Authorization header is not a Bearer token"},
		{name: "Bearer without token", headers: []string{"Bearer "}, wantMsg: "Bearer token is empty"},
		{name: "garbage token", headers: []string{"Bearer garbage"}, wantMsg: "token is malformed"},
		{name: "two headers", headers: []string{"Bearer " + valid, "Bearer " + valid}, wantMsg: "more than one Authorization header"},
		{name: "member does not exist", headers: []string{"Bearer " + unknown}, wantMsg: "the token's member does not exist"},
		{name: "lower-case role", headers: []string{"Bearer " + lowerRole}, wantMsg: `unknown role "staff"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var seen *domain.Viewer
			h := v.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				vw := domain.ViewerFrom(r.Context())
				seen = &vw
				w.WriteHeader(http.StatusNoContent)
			}))
			req := httptest.NewRequest(http.MethodPost, "/graphql", nil)
			for _, hv := range tc.headers {
				req.Header.Add("Authorization", hv)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)

			if tc.wantViewer != nil {
				if rec.Code != http.StatusNoContent {
					t.Fatalf("status = %d, want %d; body %s", rec.Code, http.StatusNoContent, rec.Body)
				}
				if diff := cmp.Diff(tc.wantViewer, seen, ignoreExpiry); diff != "" {
					t.Errorf("viewer (-want +got):\n%s", diff)
				}
				return
			}
			if seen != nil {
				t.Errorf("handler ran with viewer %+v, want a 401", *seen)
			}
			if rec.Code != http.StatusUnauthorized {
				t.Fatalf("status = %d, want 401", rec.Code)
			}
			gotHeaders := map[string]string{
				"Content-Type":     rec.Header().Get("Content-Type"),
				"WWW-Authenticate": rec.Header().Get("WWW-Authenticate"),
			}
			wantHeaders := map[string]string{
				"Content-Type":     "application/json",
				"WWW-Authenticate": `Bearer error="invalid_token"`,
			}
			if diff := cmp.Diff(wantHeaders, gotHeaders); diff != "" {
				t.Errorf("headers (-want +got):\n%s", diff)
			}
			var body gqlError
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatalf("body %q: %v", rec.Body, err)
			}
			var want gqlError
			want.Errors = make([]struct {
				Message    string `json:"message"`
				Extensions struct {
					Code string `json:"code"`
				} `json:"extensions"`
			}, 1)
			want.Errors[0].Message = tc.wantMsg
			want.Errors[0].Extensions.Code = domain.CodeUnauthenticated
			if diff := cmp.Diff(want, body); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
		})
	}
}

func TestIssueRoundTrip(t *testing.T) {
	member := globalid.Encode(globalid.TypeMember, 1234)
	plain := auth.Config{Secret: secret}
	full := auth.Config{Secret: secret, Issuer: "grappe", Audience: "grappe-api", RoleClaim: "https://grappe/role", MemberClaim: "org_member"}
	tests := []struct {
		name   string
		cfg    auth.Config
		role   domain.Role
		member string
		want   domain.Viewer
	}{
		{name: "PUBLIC", cfg: plain, role: domain.RolePublic, want: domain.Viewer{Role: domain.RolePublic, Subject: "local:public"}},
		{name: "MEMBER", cfg: plain, role: domain.RoleMember, member: member, want: domain.Viewer{Role: domain.RoleMember, MemberID: 1234, Subject: member}},
		{name: "ANALYST", cfg: plain, role: domain.RoleAnalyst, want: domain.Viewer{Role: domain.RoleAnalyst, Subject: "local:analyst"}},
		{name: "STAFF", cfg: plain, role: domain.RoleStaff, want: domain.Viewer{Role: domain.RoleStaff, Subject: "local:staff"}},
		{name: "lower-case role typed", cfg: plain, role: "staff", want: domain.Viewer{Role: domain.RoleStaff, Subject: "local:staff"}},
		{name: "MEMBER, issuer, audience, custom claims", cfg: full, role: domain.RoleMember, member: member, want: domain.Viewer{Role: domain.RoleMember, MemberID: 1234, Subject: member}},
	}
	issued := time.Now().Truncate(time.Second) // exp has a resolution of seconds
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tok, err := auth.Issue(tc.cfg, tc.role, tc.member, time.Hour, issued)
			if err != nil {
				t.Fatalf("Issue: %v", err)
			}
			tc.want.Expires = issued.Add(time.Hour)
			v, err := auth.NewVerifier(tc.cfg, members)
			if err != nil {
				t.Fatal(err)
			}
			got, err := v.Verify(context.Background(), tok)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("viewer (-want +got):\n%s", diff)
			}
		})
	}

	t.Run("the token carries the canonical role", func(t *testing.T) {
		for _, typed := range []domain.Role{"staff", "Staff", "STAFF"} {
			tok, err := auth.Issue(plain, typed, "", time.Hour, time.Now())
			if err != nil {
				t.Fatalf("Issue(%q): %v", typed, err)
			}
			c := jwt.MapClaims{}
			if _, _, err := jwt.NewParser().ParseUnverified(tok, c); err != nil {
				t.Fatal(err)
			}
			if c["role"] != "STAFF" {
				t.Errorf("Issue(%q) role claim = %v, want STAFF", typed, c["role"])
			}
		}
	})

	t.Run("issuer and audience are enforced", func(t *testing.T) {
		tok, err := auth.Issue(plain, domain.RoleStaff, "", time.Hour, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		v, err := auth.NewVerifier(auth.Config{Secret: secret, Issuer: "grappe"}, members)
		if err != nil {
			t.Fatal(err)
		}
		_, err = v.Verify(context.Background(), tok)
		if diff := cmp.Diff(unauth("token has no iss claim"), asDomainError(t, err)); diff != "" {
			t.Errorf("Verify error (-want +got):\n%s", diff)
		}
	})

	t.Run("expired when issued long ago", func(t *testing.T) {
		tok, err := auth.Issue(plain, domain.RoleStaff, "", time.Hour, time.Now().Add(-2*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		v, err := auth.NewVerifier(plain, members)
		if err != nil {
			t.Fatal(err)
		}
		_, err = v.Verify(context.Background(), tok)
		if diff := cmp.Diff(unauth("token expired"), asDomainError(t, err)); diff != "" {
			t.Errorf("Verify error (-want +got):\n%s", diff)
		}
	})
}

func TestIssueErrors(t *testing.T) {
	member := globalid.Encode(globalid.TypeMember, 1)
	tests := []struct {
		name      string
		cfg       auth.Config
		role      domain.Role
		member    string
		ttl       time.Duration
		wantCode  string
		wantField string
	}{
		{name: "unknown role", cfg: auth.Config{Secret: secret}, role: "ADMIN", ttl: time.Hour, wantCode: domain.CodeBadUserInput, wantField: "role"},
		{name: "MEMBER without member id", cfg: auth.Config{Secret: secret}, role: domain.RoleMember, ttl: time.Hour, wantCode: domain.CodeBadUserInput, wantField: "member"},
		{name: "STAFF with member id", cfg: auth.Config{Secret: secret}, role: domain.RoleStaff, member: member, ttl: time.Hour, wantCode: domain.CodeBadUserInput, wantField: "member"},
		{name: "malformed member id", cfg: auth.Config{Secret: secret}, role: domain.RoleMember, member: "42", ttl: time.Hour, wantCode: domain.CodeBadUserInput, wantField: "member"},
		{name: "id of another type", cfg: auth.Config{Secret: secret}, role: domain.RoleMember, member: globalid.Encode(globalid.TypeTrade, 1), ttl: time.Hour, wantCode: domain.CodeBadUserInput, wantField: "member"},
		{name: "zero ttl", cfg: auth.Config{Secret: secret}, role: domain.RoleStaff, wantCode: domain.CodeBadUserInput, wantField: "ttl"},
		{name: "no secret", cfg: auth.Config{PublicKey: &rsaKey().PublicKey}, role: domain.RoleStaff, ttl: time.Hour, wantCode: domain.CodeInternal},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tok, err := auth.Issue(tc.cfg, tc.role, tc.member, tc.ttl, time.Now())
			if err == nil {
				t.Fatalf("Issue = %q, want an error", tok)
			}
			type result struct{ Code, Field string }
			got := result{Code: domain.ErrorCode(err)}
			var de *domain.Error
			if errors.As(err, &de) {
				got.Field = de.Field
			}
			if diff := cmp.Diff(result{tc.wantCode, tc.wantField}, got); diff != "" {
				t.Errorf("Issue error %v (-want +got):\n%s", err, diff)
			}
		})
	}
}

// TestMiddlewareMemberUncheckable: a MEMBER token whose member cannot be
// looked for is answered 503 UNAVAILABLE, to be retried, not 401.
func TestMiddlewareMemberUncheckable(t *testing.T) {
	v, err := auth.NewVerifier(auth.Config{Secret: secret}, func(context.Context, int64) (bool, error) {
		return false, errors.New("connection refused")
	})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := auth.Issue(auth.Config{Secret: secret}, domain.RoleMember, globalid.Encode(globalid.TypeMember, 7), time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	h := v.Middleware(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		t.Error("handler ran")
	}))
	req := httptest.NewRequest(http.MethodPost, "/graphql", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" || rec.Header().Get("WWW-Authenticate") != "" {
		t.Fatalf("status %d, headers %v", rec.Code, rec.Header())
	}
	var body gqlError
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || len(body.Errors) != 1 || body.Errors[0].Extensions.Code != domain.CodeUnavailable {
		t.Fatalf("body %s: %v", rec.Body, err)
	}
}

// TestMiddlewareNegotiatesMediaType: a 401 (and a 503) is in the media type
// the client accepts, as every answer of the GraphQL endpoint:
// application/graphql-response+json when preferred, else application/json.
func TestMiddlewareNegotiatesMediaType(t *testing.T) {
	v, err := auth.NewVerifier(auth.Config{Secret: secret}, members)
	if err != nil {
		t.Fatal(err)
	}
	down, err := auth.NewVerifier(auth.Config{Secret: secret}, func(context.Context, int64) (bool, error) {
		return false, errors.New("connection refused")
	})
	if err != nil {
		t.Fatal(err)
	}
	memberTok, err := auth.Issue(auth.Config{Secret: secret}, domain.RoleMember, globalid.Encode(globalid.TypeMember, 7), time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	const gr, js = "application/graphql-response+json", "application/json"
	for _, c := range []struct {
		name, accept, want string
		verifier           *auth.Verifier
		token              string
		status             int
	}{
		{"401, graphql-response+json", gr, gr, v, "garbage", http.StatusUnauthorized},
		{"401, recommended Accept", gr + ", application/json;q=0.9", gr, v, "garbage", http.StatusUnauthorized},
		{"401, application/json", js, js, v, "garbage", http.StatusUnauthorized},
		{"401, no Accept", "", js, v, "garbage", http.StatusUnauthorized},
		{"401, */*", "*/*", js, v, "garbage", http.StatusUnauthorized},
		{"401, neither acceptable", "text/html", js, v, "garbage", http.StatusUnauthorized},
		{"503, graphql-response+json", gr, gr, down, memberTok, http.StatusServiceUnavailable},
		{"503, application/json", js, js, down, memberTok, http.StatusServiceUnavailable},
	} {
		h := c.verifier.Middleware(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
			t.Errorf("%s: handler ran", c.name)
		}))
		req := httptest.NewRequest(http.MethodPost, "/graphql", nil)
		req.Header.Set("Authorization", "Bearer "+c.token)
		if c.accept != "" {
			req.Header.Set("Accept", c.accept)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var body gqlError
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || len(body.Errors) != 1 || body.Errors[0].Extensions.Code == "" {
			t.Errorf("%s: body %s: %v", c.name, rec.Body, err)
		}
		if rec.Code != c.status || rec.Header().Get("Content-Type") != c.want {
			t.Errorf("%s: %d %q, want %d %q", c.name, rec.Code, rec.Header().Get("Content-Type"), c.status, c.want)
		}
	}
}
