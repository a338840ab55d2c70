// Package app is the orama command: serve (the gateway), validate (check a
// config.hcl, asking each plugin about its own block) and reload (signal a
// running gateway to re-read its config, which also upgrades plugins whose
// binary changed). cmd/orama only parses the command line and calls Main.
package app
