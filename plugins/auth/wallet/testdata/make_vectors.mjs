// make_vectors.mjs writes vectors.json: personal_sign (EIP-191) signatures
// made by ethers.js, an implementation independent of ours, for fixed
// private keys and messages. The Go tests recover the signer of each and
// compare it with the address ethers derived. See README.md for how to run.
import { Wallet, verifyMessage } from "ethers";
import { writeFileSync } from "node:fs";

// Fixed test keys: never use them for anything else.
const keys = [
  "0x0000000000000000000000000000000000000000000000000000000000000001",
  "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318",
  "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
];

// Nonces as the gateway issues them (base64url of 32 bytes), and messages
// that catch a length counted in characters instead of bytes.
const messages = [
  "q3Jm0xv1b2cZl4TtYy7N8pQe9rWk5uHs6aD0fGiJ2Lo",
  "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
  "Sign in to Orama: nonce 7f3a",
  "héllo ✓ — 日本",
  "",
];

const vectors = [];
for (const key of keys) {
  const wallet = new Wallet(key);
  for (const message of messages) {
    const signature = await wallet.signMessage(message);
    if (verifyMessage(message, signature) !== wallet.address) {
      throw new Error("ethers does not verify its own signature");
    }
    vectors.push({ privateKey: key, address: wallet.address, message, signature });
  }
}
writeFileSync(new URL("./vectors.json", import.meta.url), JSON.stringify(vectors, null, 2) + "\n");
console.log(`wrote ${vectors.length} vectors`);
