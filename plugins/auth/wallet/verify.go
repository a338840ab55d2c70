package wallet

import (
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/auth"
)

// Verify checks that wallet w of chain (auth.ChainETH or auth.ChainSOL)
// signed message. Errors: unauthorized for a signature that is malformed
// or not w's; invalid for an unknown chain.
func Verify(chain, w, message, signature string) error {
	switch chain {
	case auth.ChainETH:
		return verifyETH(w, message, signature)
	case auth.ChainSOL:
		return verifySOL(w, message, signature)
	}
	return sdk.Errorf(sdk.CodeInvalid, "unknown chain type %q", chain)
}

func badSignature(why string) error {
	return sdk.Errorf(sdk.CodeUnauthorized, "invalid signature: %s", why)
}
