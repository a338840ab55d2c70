package wallets_test

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/hex"
	"testing"

	"github.com/mr-tron/base58"
	"github.com/orama-network/orama/sdk/auth"
	"github.com/orama-network/orama/sdk/auth/wallets"
)

// TestETHKnownVector checks the signer against a signature made by
// ethers.js 6.13.4 (plugins/auth/wallet/testdata/vectors.json) for the
// private key 1, whose address is well known.
func TestETHKnownVector(t *testing.T) {
	w, err := wallets.ETHFromHex("0x0000000000000000000000000000000000000000000000000000000000000001")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := w.Address(), "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf"; got != want {
		t.Errorf("Address = %s, want %s", got, want)
	}
	const msg = "q3Jm0xv1b2cZl4TtYy7N8pQe9rWk5uHs6aD0fGiJ2Lo"
	const want = "3b336503979dcea842e12f9fc8e524ecb480568321e798a421c2770723441d455d458d4b79e1dd004fbbc2d08d760e6d1adc2df58347b5db3d0c2c15f430a4ad1c"
	if got := hex.EncodeToString(w.SignPersonal(msg)); got != want {
		t.Errorf("SignPersonal = %s, want %s", got, want)
	}
	p := w.Proof(auth.Challenge{Nonce: msg, Namespace: "ns"})
	if p.Signature != "0x"+want || p.ChainType != auth.ChainETH || p.Wallet != w.Address() || p.Namespace != "ns" {
		t.Errorf("Proof = %+v", p)
	}
}

func TestSOL(t *testing.T) {
	w := wallets.NewSOL()
	pub, err := base58.Decode(w.Address())
	if err != nil || len(pub) != ed25519.PublicKeySize {
		t.Fatalf("Address %q: %v", w.Address(), err)
	}
	p := w.Proof(auth.Challenge{Nonce: "n", Namespace: "ns"})
	sig, err := base64.StdEncoding.DecodeString(p.Signature)
	if err != nil || !ed25519.Verify(pub, []byte("n"), sig) || p.ChainType != auth.ChainSOL {
		t.Errorf("Proof %+v does not verify: %v", p, err)
	}
}
