// Package app is the orama command: serve (the gateway), validate (check a
// config.hcl, asking each plugin about its own block), reload (signal a
// running gateway to re-read its config, which also upgrades plugins whose
// binary changed), keys (create, list and revoke API keys through the
// configured auth and database plugins) and auth login (sign in through a
// gateway's login page and keep the key in ~/.orama/credentials.json),
// pubsub (publish to a topic or print its messages through a gateway, with
// that key), functions (deploy, invoke, list, get, versions, logs and
// delete WASM functions) and secrets (set, list and delete the secrets
// functions read), both through a gateway with that key, install (run
// the gateway as a systemd service, or render its files under a directory
// with -dry-run; see package install) and status (a gateway's node,
// plugins and backends as a table).
// cmd/orama only parses the command line and calls Main.
package app
