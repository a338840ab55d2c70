package auth_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/auth"
)

func TestParseAPIKey(t *testing.T) {
	secret := "ak_" + strings.Repeat("Ab-_", 6) // 24 base64url characters = 18 bytes
	s, ns, err := auth.ParseAPIKey(secret + ":my-ns")
	if err != nil || s != secret || ns != "my-ns" {
		t.Fatalf("ParseAPIKey = %q, %q, %v", s, ns, err)
	}
	if got := auth.FormatAPIKey(secret, "my-ns"); got != secret+":my-ns" {
		t.Errorf("FormatAPIKey = %q", got)
	}
	for name, key := range map[string]string{
		"empty":            "",
		"no colon":         secret,
		"no prefix":        strings.TrimPrefix(secret, "ak_") + "xyz:ns",
		"short":            "ak_abc:ns",
		"not base64url":    "ak_" + strings.Repeat("+/==", 6) + ":ns",
		"empty namespace":  secret + ":",
		"system namespace": secret + ":_system",
		"bad namespace":    secret + ":a:b",
	} {
		_, _, err := auth.ParseAPIKey(key)
		var e *sdk.Error
		if !errors.As(err, &e) || e.Code != sdk.CodeUnauthorized {
			t.Errorf("%s: %v, want unauthorized", name, err)
		}
	}
}

func TestLooksLikeJWT(t *testing.T) {
	for v, want := range map[string]bool{"a.b.c": true, "ak_x:ns": false, "a.b": false, "a.b.c.d": false, "..": true} {
		if got := auth.LooksLikeJWT(v); got != want {
			t.Errorf("LooksLikeJWT(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestNormalizeChain(t *testing.T) {
	for in, want := range map[string]string{"": auth.ChainETH, "eth": auth.ChainETH, "ETH": auth.ChainETH, "sol": auth.ChainSOL} {
		if got, err := auth.NormalizeChain(in); err != nil || got != want {
			t.Errorf("NormalizeChain(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := auth.NormalizeChain("BTC"); err == nil {
		t.Error("NormalizeChain(BTC) succeeded")
	}
}

func TestCheckNamespace(t *testing.T) {
	if err := auth.CheckNamespace("default"); err != nil {
		t.Error(err)
	}
	for _, ns := range []string{"", "_system", "a b", strings.Repeat("x", 129)} {
		if err := auth.CheckNamespace(ns); err == nil {
			t.Errorf("CheckNamespace(%q) accepted", ns)
		}
	}
}
