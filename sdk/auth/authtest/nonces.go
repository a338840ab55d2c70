package authtest

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/auth"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

func testReplay(t *testing.T, e Env) {
	w, ns := NewETHWallet(), plugintest.Unique("replay")
	p := w.Proof(challenge(t, e, w.Address(), ns))
	if _, err := e.Auth.Verify(t.Context(), p); err != nil {
		t.Fatal(err)
	}
	_, err := e.Auth.Verify(t.Context(), p)
	plugintest.WantCode(t, err, "replayed proof", sdk.CodeUnauthorized)
	_, err = e.Auth.CreateAPIKey(t.Context(), p, "free")
	plugintest.WantCode(t, err, "replayed proof for CreateAPIKey", sdk.CodeUnauthorized)
}

func testExpiredNonce(t *testing.T, e Env) {
	w, ns := NewETHWallet(), plugintest.Unique("expired")
	p := w.Proof(challenge(t, e, w.Address(), ns))
	switch {
	case e.Advance != nil:
		e.Advance(e.NonceTTL + time.Second)
	case e.NonceTTL <= 3*time.Second:
		time.Sleep(e.NonceTTL + time.Second)
	default:
		t.Skipf("NonceTTL %v: set Env.Advance, or configure a NonceTTL of at most 3s", e.NonceTTL)
	}
	_, err := e.Auth.Verify(t.Context(), p)
	plugintest.WantCode(t, err, "expired nonce", sdk.CodeUnauthorized)
}

func testUnknownNonce(t *testing.T, e Env) {
	w, ns := NewETHWallet(), plugintest.Unique("unknown")
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	c := auth.Challenge{Wallet: w.Address(), Namespace: ns, Nonce: base64.RawURLEncoding.EncodeToString(b)}
	_, err := e.Auth.Verify(t.Context(), w.Proof(c))
	plugintest.WantCode(t, err, "nonce never issued", sdk.CodeUnauthorized)
}

func testNonceOfAnotherWallet(t *testing.T, e Env) {
	a, b, ns := NewETHWallet(), NewETHWallet(), plugintest.Unique("other-wallet")
	c := challenge(t, e, a.Address(), ns)

	// b signs a's nonce and presents itself: the nonce is not b's.
	_, err := e.Auth.Verify(t.Context(), b.Proof(c))
	plugintest.WantCode(t, err, "b's proof over a's nonce", sdk.CodeUnauthorized)

	// b signs a's nonce and claims to be a: the signature is not a's.
	p := b.Proof(c)
	p.Wallet = a.Address()
	_, err = e.Auth.Verify(t.Context(), p)
	plugintest.WantCode(t, err, "b's signature presented as a's", sdk.CodeUnauthorized)

	// A SOL wallet's nonce cannot serve an ETH wallet either.
	s := NewSOLWallet()
	cs := challenge(t, e, s.Address(), ns)
	_, err = e.Auth.Verify(t.Context(), b.Proof(cs))
	plugintest.WantCode(t, err, "ETH proof over a SOL wallet's nonce", sdk.CodeUnauthorized)
}

func testNonceOfAnotherNamespace(t *testing.T, e Env) {
	w, ns1, ns2 := NewETHWallet(), plugintest.Unique("ns-a"), plugintest.Unique("ns-b")
	c := challenge(t, e, w.Address(), ns1)
	p := w.Proof(c)
	p.Namespace = ns2
	_, err := e.Auth.Verify(t.Context(), p)
	plugintest.WantCode(t, err, "nonce of ns1 used in ns2", sdk.CodeUnauthorized)
}

func testTamperedSignature(t *testing.T, e Env) {
	w, ns := NewETHWallet(), plugintest.Unique("tamper")
	c := challenge(t, e, w.Address(), ns)
	good := w.SignPersonal(c.Nonce)
	flip := func(i int) []byte {
		b := append([]byte(nil), good...)
		b[i] ^= 0x01
		return b
	}
	for name, sig := range map[string][]byte{
		"bit of r flipped":     flip(5),
		"bit of s flipped":     flip(40),
		"recovery id flipped":  flip(64),
		"signed another nonce": w.SignPersonal(c.Nonce + "x"),
	} {
		p := w.Proof(c)
		p.Signature = "0x" + hex.EncodeToString(sig)
		_, err := e.Auth.Verify(t.Context(), p)
		plugintest.WantCode(t, err, name, sdk.CodeUnauthorized)
	}
	for name, sig := range map[string]string{
		"64 bytes":   "0x" + hex.EncodeToString(good[:64]),
		"v of 29":    "0x" + hex.EncodeToString(append(append([]byte(nil), good[:64]...), 29)),
		"not hex":    "0x" + strings.Repeat("zz", 65),
		"empty":      "",
		"all zeroes": "0x" + hex.EncodeToString(make([]byte, 65)),
	} {
		p := w.Proof(c)
		p.Signature = sig
		_, err := e.Auth.Verify(t.Context(), p)
		plugintest.WantCode(t, err, "malformed signature: "+name, sdk.CodeUnauthorized, sdk.CodeInvalid)
	}
	// SOL: one flipped bit.
	s := NewSOLWallet()
	cs := challenge(t, e, s.Address(), ns)
	sig := s.Sign(cs.Nonce)
	sig[10] ^= 0x80
	p := s.Proof(cs)
	p.Signature = base64.StdEncoding.EncodeToString(sig)
	_, err := e.Auth.Verify(t.Context(), p)
	plugintest.WantCode(t, err, "SOL signature with a flipped bit", sdk.CodeUnauthorized)
}

func testWrongChainType(t *testing.T, e Env) {
	w, s, ns := NewETHWallet(), NewSOLWallet(), plugintest.Unique("chain")
	p := w.Proof(challenge(t, e, w.Address(), ns))
	p.ChainType = auth.ChainSOL
	_, err := e.Auth.Verify(t.Context(), p)
	plugintest.WantCode(t, err, "ETH proof sent as SOL", sdk.CodeUnauthorized, sdk.CodeInvalid)
	p.ChainType = "BTC"
	_, err = e.Auth.Verify(t.Context(), p)
	plugintest.WantCode(t, err, "unknown chain type", sdk.CodeUnauthorized, sdk.CodeInvalid)

	ps := s.Proof(challenge(t, e, s.Address(), ns))
	ps.ChainType = auth.ChainETH
	_, err = e.Auth.Verify(t.Context(), ps)
	plugintest.WantCode(t, err, "SOL proof sent as ETH", sdk.CodeUnauthorized, sdk.CodeInvalid)
	ps.ChainType = ""
	_, err = e.Auth.Verify(t.Context(), ps)
	plugintest.WantCode(t, err, "SOL proof with the default chain type (ETH)", sdk.CodeUnauthorized, sdk.CodeInvalid)
}

func testConcurrentVerify(t *testing.T, e Env) {
	const n = 8
	w, ns := NewETHWallet(), plugintest.Unique("race")
	p := w.Proof(challenge(t, e, w.Address(), ns))
	var wg sync.WaitGroup
	errs := make([]error, n)
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, errs[i] = e.Auth.Verify(t.Context(), p)
		}()
	}
	close(start)
	wg.Wait()
	ok := 0
	for i, err := range errs {
		if err == nil {
			ok++
			continue
		}
		if plugintest.Code(err) != sdk.CodeUnauthorized {
			t.Errorf("verify %d: %v, want success or unauthorized", i, err)
		}
	}
	if ok != 1 {
		t.Errorf("%d of %d concurrent verifies of one nonce succeeded, want exactly 1", ok, n)
	}
}

func testNamespaceOwnership(t *testing.T, e Env) {
	a, b, ns := NewETHWallet(), NewETHWallet(), plugintest.Unique("owned")
	signIn(t, e, a, ns) // a claims ns
	_, err := e.Auth.Verify(t.Context(), b.Proof(challenge(t, e, b.Address(), ns)))
	plugintest.WantCode(t, err, "another wallet signs in to an owned namespace", sdk.CodeForbidden)
	_, err = e.Auth.CreateAPIKey(t.Context(), b.Proof(challenge(t, e, b.Address(), ns)), "free")
	plugintest.WantCode(t, err, "another wallet creates a key in an owned namespace", sdk.CodeForbidden)
	// The owner keeps signing in; b has namespaces of its own.
	signIn(t, e, a, ns)
	signIn(t, e, b, plugintest.Unique("owned-b"))
}
