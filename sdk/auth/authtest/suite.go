// Package authtest is the conformance suite of the auth domain: Run checks
// that an implementation of auth.Auth keeps the contract documented in
// package auth and API.md — wallet sign-in with real signatures (ETH
// EIP-191 with secp256k1, SOL ed25519), nonces bound to wallet and
// namespace, unexpired, single use and consumed atomically; API keys in
// the documented format, validated, listed without secrets, revocable;
// access tokens that verify with the public keys from Keys (through
// jwtverify, as the host verifies them); refresh-token rotation with reuse
// detection; logout; namespace ownership and membership; bounds on
// outstanding challenges; simple keys forbidden by default.
//
// The package also offers ETHWallet and SOLWallet, which sign challenges
// like browser wallets do, for any test that needs to sign in.
package authtest

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/auth"
	"github.com/orama-network/orama/sdk/auth/jwtverify"
)

// Env is an implementation under test and what the suite must know about
// how it was configured.
type Env struct {
	Auth auth.Auth
	// Issuer and Audience are the iss and aud its tokens carry.
	Issuer, Audience string
	// NonceTTL is its nonce lifetime (0: auth.DefaultNonceTTL).
	NonceTTL time.Duration
	// Now is its clock (nil: time.Now). Tokens are verified against it.
	Now func() time.Time
	// Advance moves its clock forward. When nil, the expiry subtest
	// sleeps NonceTTL instead, which it does only for a NonceTTL of at
	// most 3 s (configure the implementation so) and skips otherwise.
	Advance func(d time.Duration)
	// SimpleKeys is true when it was configured to allow SimpleKey; the
	// suite then expects keys from it, and forbidden otherwise.
	SimpleKeys bool
	// MaxChallengesPerWallet and MaxChallengesPerIP are its bounds on
	// outstanding challenges; the suite checks them when set (an
	// implementation must have some bound: 0 fails ChallengeCaps).
	MaxChallengesPerWallet, MaxChallengesPerIP int
}

// Run runs the conformance suite. newEnv is called once per subtest; it
// may return a fresh implementation or a shared one (every subtest uses
// namespaces and wallets of its own) and should register its own cleanup.
// Sharing one whose clock Advance moves is fine: only nonces of the
// subtest that advances it expire.
func Run(t *testing.T, newEnv func(t *testing.T) Env) {
	t.Helper()
	tests := []struct {
		name string
		fn   func(t *testing.T, e Env)
	}{
		{"Challenge", testChallenge},
		{"ChallengeInvalid", testChallengeInvalid},
		{"VerifyETH", testVerifyETH},
		{"VerifyETHRecoveryID01", testVerifyETHRecoveryID01},
		{"VerifyETHSpellings", testVerifyETHSpellings},
		{"VerifySOL", testVerifySOL},
		{"Replay", testReplay},
		{"ExpiredNonce", testExpiredNonce},
		{"UnknownNonce", testUnknownNonce},
		{"NonceOfAnotherWallet", testNonceOfAnotherWallet},
		{"NonceOfAnotherNamespace", testNonceOfAnotherNamespace},
		{"TamperedSignature", testTamperedSignature},
		{"WrongChainType", testWrongChainType},
		{"ConcurrentVerify", testConcurrentVerify},
		{"NamespaceOwnership", testNamespaceOwnership},
		{"OperatorOwnsNamespace", testOperatorOwnsNamespace},
		{"Members", testMembers},
		{"MemberOwners", testMemberOwners},
		{"ReservedNamespaces", testReservedNamespaces},
		{"ChallengeCaps", testChallengeCaps},
		{"CreateAPIKey", testCreateAPIKey},
		{"OperatorKeys", testOperatorKeys},
		{"RevokeKey", testRevokeKey},
		{"BadAPIKeys", testBadAPIKeys},
		{"TokenForKey", testTokenForKey},
		{"TokenNamesItsKey", testTokenNamesItsKey},
		{"RefreshRotates", testRefreshRotates},
		{"RefreshReuseRevokesFamily", testRefreshReuseRevokesFamily},
		{"RefreshBadTokens", testRefreshBadTokens},
		{"LogoutOne", testLogoutOne},
		{"LogoutAll", testLogoutAll},
		{"Keys", testKeys},
		{"SimpleKey", testSimpleKey},
		{"Register", testRegister},
		{"Health", testHealth},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			if e.NonceTTL == 0 {
				e.NonceTTL = auth.DefaultNonceTTL
			}
			if e.Now == nil {
				e.Now = time.Now
			}
			tc.fn(t, e)
		})
	}
}

// runID keeps names apart when several processes share one backend.
var runID = func() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}()

var seq atomic.Int64

// unique returns a namespace no other subtest uses.
func unique(prefix string) string {
	return fmt.Sprintf("%s-%s-%d", prefix, runID, seq.Add(1))
}

// verifier verifies e's access tokens as the host does.
func verifier(e Env) *jwtverify.Verifier {
	return &jwtverify.Verifier{Keys: e.Auth.Keys, Issuer: e.Issuer, Audience: e.Audience, Now: e.Now}
}

// codeOf returns err's code, or "" when err is not an *sdk.Error.
func codeOf(err error) sdk.Code {
	var e *sdk.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// wantCode fails unless err is an *sdk.Error with one of codes.
func wantCode(t *testing.T, err error, what string, codes ...sdk.Code) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: got no error, want %v", what, codes)
		return
	}
	got := codeOf(err)
	for _, c := range codes {
		if got == c {
			return
		}
	}
	t.Errorf("%s: got %T %v, want an *sdk.Error with code %v", what, err, err, codes)
}

// challenge issues a challenge or fails the test.
func challenge(t *testing.T, e Env, wallet, namespace string) auth.Challenge {
	t.Helper()
	c, err := e.Auth.Challenge(t.Context(), wallet, "login", namespace, "")
	if err != nil {
		t.Fatalf("Challenge(%s, %s): %v", wallet, namespace, err)
	}
	return c
}

// signIn runs challenge and verify for a new ETH wallet in namespace.
func signIn(t *testing.T, e Env, w *ETHWallet, namespace string) auth.Session {
	t.Helper()
	s, err := e.Auth.Verify(t.Context(), w.Proof(challenge(t, e, w.Address(), namespace)))
	if err != nil {
		t.Fatalf("Verify(%s, %s): %v", w.Address(), namespace, err)
	}
	return s
}
