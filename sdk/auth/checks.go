package auth

import (
	"strings"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
)

// Defaults of API.md that every implementation starts from.
const (
	DefaultNonceTTL   = 5 * time.Minute
	DefaultTokenTTL   = 15 * time.Minute
	DefaultRefreshTTL = 30 * 24 * time.Hour
	DefaultSkew       = 60 * time.Second
)

// Limits on inputs every implementation enforces (invalid beyond).
const (
	MaxWalletLen  = 128
	MaxPurposeLen = 256
	MaxNameLen    = 128 // app and key names, plans
)

// CheckNamespace checks a namespace a credential may be bound to: the
// namespaces of the database domain (1 to 128 of A-Z a-z 0-9 _ -) except
// the reserved ones (IsReservedNamespace), which no credential can reach.
// Errors: invalid, forbidden for a reserved name.
//
// Namespaces and wallets: a namespace belongs to whoever created it
// first. An operator creates it with CreateKey or AddMember; a wallet by
// being the first to sign in (Verify, CreateAPIKey, Register, SimpleKey)
// to a namespace nobody owns, becoming its owner. Any other wallet
// signing in gets forbidden until an owner or an operator adds it
// (AddMember).
func CheckNamespace(namespace string) error {
	if err := database.CheckNamespace(namespace); err != nil {
		return err
	}
	if IsReservedNamespace(namespace) {
		return sdk.Errorf(sdk.CodeForbidden, "namespace %q is reserved (names starting with '_' belong to the gateway)", namespace)
	}
	return nil
}

// IsReservedNamespace reports whether namespace is the gateway's own: the
// system namespace and every name starting with '_' (so any spelling of
// "_system", whatever its case).
func IsReservedNamespace(namespace string) bool {
	return strings.HasPrefix(namespace, "_") || strings.EqualFold(namespace, database.SystemNamespace)
}

// NormalizeChain returns the canonical chain type of a Proof: "" is
// ChainETH; case does not matter. Errors: invalid for an unknown chain.
func NormalizeChain(chain string) (string, error) {
	switch strings.ToUpper(chain) {
	case "", ChainETH:
		return ChainETH, nil
	case ChainSOL:
		return ChainSOL, nil
	}
	return "", sdk.Errorf(sdk.CodeInvalid, "chain_type %q: want %q or %q", chain, ChainETH, ChainSOL)
}

// CheckText checks a free-text input (wallet, purpose, names): at most max
// bytes, printable, and present unless optional. Errors: invalid.
func CheckText(what, v string, max int, optional bool) error {
	if v == "" && !optional {
		return sdk.Errorf(sdk.CodeInvalid, "%s is required", what)
	}
	if len(v) > max {
		return sdk.Errorf(sdk.CodeInvalid, "%s longer than %d bytes", what, max)
	}
	for _, r := range v {
		if r < 0x20 || r == 0x7f || r == '\uFFFD' {
			return sdk.Errorf(sdk.CodeInvalid, "%s contains a control or invalid character", what)
		}
	}
	return nil
}
