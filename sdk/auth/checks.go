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
// the system namespace, which no credential can reach. Errors: invalid.
//
// Namespaces and wallets: the first wallet that signs in (Verify,
// CreateAPIKey, Register, SimpleKey) to a namespace nobody owns becomes
// its owner; a wallet signing in to a namespace another wallet owns gets
// forbidden. Operator keys (CreateKey) neither need nor claim ownership.
func CheckNamespace(namespace string) error {
	if err := database.CheckNamespace(namespace); err != nil {
		return err
	}
	if namespace == database.SystemNamespace {
		return sdk.Errorf(sdk.CodeInvalid, "namespace %q is reserved", namespace)
	}
	return nil
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
