// Package seal keeps small secrets sealed at rest under an operator's key
// secret (key_secret / key_secret_file of a plugin's config): the auth
// plugin's JWT signing keys and the serverless plugin's function secrets.
//
// A Wrapper derives a fresh AES-256-GCM key per sealed value with
// HKDF-SHA256 from the secret, a random salt and a purpose string (so a
// value sealed for one use never opens for another), and binds each
// sealed value to an id given as additional data (so it cannot be passed
// off under another id). LoadSecretFile reads, or creates once, the file
// that holds the key secret.
package seal
