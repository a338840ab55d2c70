package wallet_test

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/orama-network/orama/plugins/auth/wallet"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/auth"
	"github.com/orama-network/orama/sdk/auth/authtest"
)

func code(err error) sdk.Code {
	var e *sdk.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

func TestSOL(t *testing.T) {
	w := authtest.NewSOLWallet()
	sig := w.Sign("nonce-1")
	if err := wallet.Verify(auth.ChainSOL, w.Address(), "nonce-1", base64.StdEncoding.EncodeToString(sig)); err != nil {
		t.Fatal(err)
	}
	if err := wallet.Verify(auth.ChainSOL, w.Address(), "nonce-1", base64.RawStdEncoding.EncodeToString(sig)); err != nil {
		t.Errorf("unpadded base64: %v", err)
	}
	bad := append([]byte(nil), sig...)
	bad[0] ^= 1
	for name, c := range map[string][3]string{
		"flipped bit":   {w.Address(), "nonce-1", base64.StdEncoding.EncodeToString(bad)},
		"other message": {w.Address(), "nonce-2", base64.StdEncoding.EncodeToString(sig)},
		"other wallet":  {authtest.NewSOLWallet().Address(), "nonce-1", base64.StdEncoding.EncodeToString(sig)},
		"short":         {w.Address(), "nonce-1", base64.StdEncoding.EncodeToString(sig[:63])},
		"not base64":    {w.Address(), "nonce-1", "!!!"},
		"eth wallet":    {"0x" + strings.Repeat("ab", 20), "nonce-1", base64.StdEncoding.EncodeToString(sig)},
	} {
		if err := wallet.Verify(auth.ChainSOL, c[0], c[1], c[2]); code(err) != sdk.CodeUnauthorized {
			t.Errorf("%s: %v, want unauthorized", name, err)
		}
	}
}

func TestETHMalformed(t *testing.T) {
	w := authtest.NewETHWallet()
	for name, sig := range map[string]string{
		"empty":    "",
		"short":    "0x" + strings.Repeat("ab", 64),
		"long":     "0x" + strings.Repeat("ab", 66),
		"not hex":  "0x" + strings.Repeat("zz", 65),
		"v 29":     "0x" + strings.Repeat("11", 64) + "1d",
		"v 37":     "0x" + strings.Repeat("11", 64) + "25",
		"zeroes":   "0x" + strings.Repeat("00", 65),
		"r over n": "0x" + strings.Repeat("ff", 64) + "1b",
	} {
		if err := wallet.Verify(auth.ChainETH, w.Address(), "m", sig); code(err) != sdk.CodeUnauthorized {
			t.Errorf("%s: %v, want unauthorized", name, err)
		}
	}
	if err := wallet.Verify("BTC", w.Address(), "m", "x"); code(err) != sdk.CodeInvalid {
		t.Errorf("unknown chain: %v, want invalid", err)
	}
}

func TestCanonical(t *testing.T) {
	eth := authtest.NewETHWallet().Address()
	lower := strings.ToLower(eth)
	for _, in := range []string{eth, lower, lower[2:], "0X" + strings.ToUpper(lower[2:])} {
		got, err := wallet.Canonical(auth.ChainETH, in)
		if err != nil || got != lower {
			t.Errorf("Canonical(ETH, %q) = %q, %v; want %q", in, got, err, lower)
		}
		if got, err := wallet.CanonicalAny(in); err != nil || got != lower {
			t.Errorf("CanonicalAny(%q) = %q, %v", in, got, err)
		}
	}
	sol := authtest.NewSOLWallet().Address()
	if got, err := wallet.Canonical(auth.ChainSOL, sol); err != nil || got != sol {
		t.Errorf("Canonical(SOL) = %q, %v", got, err)
	}
	if got, err := wallet.CanonicalAny(sol); err != nil || got != sol {
		t.Errorf("CanonicalAny(SOL) = %q, %v", got, err)
	}
	for _, bad := range []string{"", "0x123", "hello", strings.Repeat("1", 100), "0x" + strings.Repeat("g", 40)} {
		if _, err := wallet.CanonicalAny(bad); code(err) != sdk.CodeInvalid {
			t.Errorf("CanonicalAny(%q): %v, want invalid", bad, err)
		}
	}
	if _, err := wallet.Canonical(auth.ChainSOL, eth); code(err) != sdk.CodeInvalid {
		t.Errorf("an ETH address as SOL: %v", err)
	}
	if _, err := wallet.Canonical(auth.ChainETH, sol); code(err) != sdk.CodeInvalid {
		t.Errorf("a SOL address as ETH: %v", err)
	}
}
