// Package install renders and writes what runs the gateway as a systemd
// service (orama install): the config file, the unit, the data directory,
// the cluster secret and swarm key files, and the binaries. Every file is
// first rendered into a Plan; Apply writes a plan under a root directory
// ("/" for the real system, any other directory for a dry run), and
// VerifyConfig and VerifyUnit check what a plan renders (config.Load,
// systemd-analyze verify) against the files as they lie under that root.
package install
