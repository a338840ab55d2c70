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
	"testing"
	"time"

	"github.com/orama-network/orama/sdk/auth"
	"github.com/orama-network/orama/sdk/auth/jwtverify"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
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
	tests := []plugintest.Case[Env]{
		{Name: "Challenge", Test: testChallenge},
		{Name: "ChallengeInvalid", Test: testChallengeInvalid},
		{Name: "VerifyETH", Test: testVerifyETH},
		{Name: "VerifyETHRecoveryID01", Test: testVerifyETHRecoveryID01},
		{Name: "VerifyETHSpellings", Test: testVerifyETHSpellings},
		{Name: "VerifySOL", Test: testVerifySOL},
		{Name: "Replay", Test: testReplay},
		{Name: "ExpiredNonce", Test: testExpiredNonce},
		{Name: "UnknownNonce", Test: testUnknownNonce},
		{Name: "NonceOfAnotherWallet", Test: testNonceOfAnotherWallet},
		{Name: "NonceOfAnotherNamespace", Test: testNonceOfAnotherNamespace},
		{Name: "TamperedSignature", Test: testTamperedSignature},
		{Name: "WrongChainType", Test: testWrongChainType},
		{Name: "ConcurrentVerify", Test: testConcurrentVerify},
		{Name: "NamespaceOwnership", Test: testNamespaceOwnership},
		{Name: "OperatorOwnsNamespace", Test: testOperatorOwnsNamespace},
		{Name: "Members", Test: testMembers},
		{Name: "MemberOwners", Test: testMemberOwners},
		{Name: "ReservedNamespaces", Test: testReservedNamespaces},
		{Name: "ChallengeCaps", Test: testChallengeCaps},
		{Name: "CreateAPIKey", Test: testCreateAPIKey},
		{Name: "OperatorKeys", Test: testOperatorKeys},
		{Name: "RevokeKey", Test: testRevokeKey},
		{Name: "BadAPIKeys", Test: testBadAPIKeys},
		{Name: "TokenForKey", Test: testTokenForKey},
		{Name: "TokenNamesItsKey", Test: testTokenNamesItsKey},
		{Name: "RefreshRotates", Test: testRefreshRotates},
		{Name: "RefreshReuseRevokesFamily", Test: testRefreshReuseRevokesFamily},
		{Name: "RefreshBadTokens", Test: testRefreshBadTokens},
		{Name: "LogoutOne", Test: testLogoutOne},
		{Name: "LogoutAll", Test: testLogoutAll},
		{Name: "Keys", Test: testKeys},
		{Name: "SimpleKey", Test: testSimpleKey},
		{Name: "Register", Test: testRegister},
		{Name: "Health", Test: testHealth},
	}
	plugintest.RunCases(t, func(t *testing.T) Env {
		e := newEnv(t)
		if e.NonceTTL == 0 {
			e.NonceTTL = auth.DefaultNonceTTL
		}
		if e.Now == nil {
			e.Now = time.Now
		}
		return e
	}, tests...)
}

// verifier verifies e's access tokens as the host does.
func verifier(e Env) *jwtverify.Verifier {
	return &jwtverify.Verifier{Keys: e.Auth.Keys, Issuer: e.Issuer, Audience: e.Audience, Now: e.Now}
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
