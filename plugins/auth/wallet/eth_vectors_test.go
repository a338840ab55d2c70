package wallet_test

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/orama-network/orama/plugins/auth/wallet"
	"github.com/orama-network/orama/sdk/auth"
	"github.com/orama-network/orama/sdk/auth/authtest"
)

// vector is one signature made by ethers.js (testdata/make_vectors.mjs).
type vector struct {
	PrivateKey, Address, Message, Signature string
}

func loadVectors(t *testing.T) []vector {
	t.Helper()
	b, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var vs []vector
	if err := json.Unmarshal(b, &vs); err != nil {
		t.Fatal(err)
	}
	if len(vs) == 0 {
		t.Fatal("no vectors")
	}
	return vs
}

func TestEthersVectorsVerify(t *testing.T) {
	for _, v := range loadVectors(t) {
		if err := wallet.Verify(auth.ChainETH, v.Address, v.Message, v.Signature); err != nil {
			t.Errorf("%s signing %q: %v", v.Address, v.Message, err)
		}
		got, err := wallet.RecoverPersonal(v.Message, v.Signature)
		if err != nil || !strings.EqualFold("0x"+hex.EncodeToString(got), v.Address) {
			t.Errorf("recovered %x (%v), want %s", got, err, v.Address)
		}
		// The same signature with v 0/1 and without 0x.
		sig, _ := hex.DecodeString(v.Signature[2:])
		sig[64] -= 27
		if err := wallet.Verify(auth.ChainETH, strings.ToLower(v.Address[2:]), v.Message, hex.EncodeToString(sig)); err != nil {
			t.Errorf("%s with v 0/1: %v", v.Address, err)
		}
	}
}

func TestEthersVectorsTampered(t *testing.T) {
	vs := loadVectors(t)
	for i, v := range vs {
		sig, _ := hex.DecodeString(v.Signature[2:])
		for _, pos := range []int{0, 31, 32, 63, 64} {
			bad := append([]byte(nil), sig...)
			bad[pos] ^= 0x01
			if err := wallet.Verify(auth.ChainETH, v.Address, v.Message, "0x"+hex.EncodeToString(bad)); err == nil {
				t.Errorf("vector %d with byte %d flipped verifies", i, pos)
			}
		}
		if err := wallet.Verify(auth.ChainETH, v.Address, v.Message+" ", v.Signature); err == nil {
			t.Errorf("vector %d verifies for another message", i)
		}
		other := vs[(i+len(vs)/3+1)%len(vs)].Address
		if !strings.EqualFold(other, v.Address) {
			if err := wallet.Verify(auth.ChainETH, other, v.Message, v.Signature); err == nil {
				t.Errorf("vector %d verifies for another wallet", i)
			}
		}
	}
}

// TestTestWalletMatchesEthers checks the suite's signer against ethers:
// both use RFC 6979 nonces and low s, so the signatures are identical.
func TestTestWalletMatchesEthers(t *testing.T) {
	for _, v := range loadVectors(t) {
		w, err := authtest.ETHWalletFromHex(v.PrivateKey)
		if err != nil {
			t.Fatal(err)
		}
		if w.Address() != v.Address {
			t.Errorf("authtest address %s, ethers %s (EIP-55 case included)", w.Address(), v.Address)
		}
		if got := "0x" + hex.EncodeToString(w.SignPersonal(v.Message)); got != v.Signature {
			t.Errorf("authtest signature of %q:\n%s\nethers:\n%s", v.Message, got, v.Signature)
		}
	}
}
