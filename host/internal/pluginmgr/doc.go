// Package pluginmgr launches, verifies, supervises, restarts, reloads and
// upgrades the plugin processes declared in config.hcl.
//
// Each plugin block gets a supervisor goroutine. It launches the binary with
// go-plugin (gRPC only, AutoMTLS, SecureConfig when sha256 is set),
// configures it and keeps one serving instance. When the process dies
// (kill -9, panic) the supervisor notices at once through the connection's
// lifetime context and relaunches it with exponential backoff (the first
// retry is immediate; the backoff resets once an instance has stayed
// healthy). While no instance serves, callers get unavailable at once
// (503 + Retry-After), never a hang; only the very first start is waited
// for, bounded.
//
// A running plugin is probed twice over. Liveness: the process's gRPC
// server answers go-plugin's standard health service (no plugin code runs
// for it) within a short timeout; a process that misses a few probes in a
// row (hung: SIGSTOP, deadlock, swapped out) is taken out of service and
// SIGKILLed — never asked to exit, which a hung process cannot answer —
// so the calls in flight on it fail at once as unavailable, and it is
// relaunched. Readiness: the plugin's own Health (its backend and its
// dependencies); a plugin that answers not OK, with an error or too late is
// shown degraded and keeps its traffic, but is never restarted for it, so
// a slow dependency (auth on a busy database) causes no restart cascade.
//
// Reload applies a new config: unchanged plugins are left alone, removed
// ones stop, and changed ones are upgraded: the new instance starts beside
// the old one and must be healthy before traffic moves to it; the old one
// is drained (in-flight calls finish, bounded) and stopped. A new instance
// that fails to start leaves the old one serving. A cache plugin that
// implements cache.Handoff first hands its entries to the new instance
// (handoff.go): reads that miss on the new one fall back to the old one
// until the move ends or the hand-off timeout passes.
package pluginmgr
