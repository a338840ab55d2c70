// Package wallet verifies that a wallet signed a message: Ethereum
// personal_sign (EIP-191) signatures, whose signer is recovered with
// secp256k1 public-key recovery and compared by address, and Solana
// ed25519 signatures against the base58 public key. It also spells
// wallets one canonical way, so a nonce issued for "0xAbC…" is the nonce
// of "abc…" too.
package wallet
