package authtest

import "github.com/orama-network/orama/sdk/auth/wallets"

// The suite's wallets are package wallets' (kept under these names for the
// tests written before it moved out of authtest).
type (
	ETHWallet = wallets.ETH
	SOLWallet = wallets.SOL
)

// NewETHWallet returns an Ethereum wallet with a fresh random key.
func NewETHWallet() *ETHWallet { return wallets.NewETH() }

// ETHWalletFromHex returns the wallet of a 32-byte private key in hex.
func ETHWalletFromHex(privateKey string) (*ETHWallet, error) { return wallets.ETHFromHex(privateKey) }

// NewSOLWallet returns a Solana wallet with a fresh random key.
func NewSOLWallet() *SOLWallet { return wallets.NewSOL() }

// EIP191Hash is what personal_sign signs.
func EIP191Hash(message string) []byte { return wallets.EIP191Hash(message) }
