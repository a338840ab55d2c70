// Package hostfuncs is the engine.Host of one invocation: what a
// function's host functions (get_env, get_secret, db_query, db_execute,
// cache_get, cache_set, cache_incr, cache_incr_by, http_fetch,
// pubsub_publish, …) do, over the domains of the host API. Every call acts
// inside the function's own namespace — the namespace is fixed when the
// Host is made and never taken from the guest — so a function reaches
// only its namespace's cache dmap "default", tables, topics and secrets.
//
// cache_incr is a read-modify-write (Get, then Put keeping the entry's
// expiry) under a lock per (namespace, key) held by this plugin process:
// increments on one node never lose an update; increments of one key on
// two nodes at the same instant can (the cache contract has no atomic
// increment).
//
// http_fetch goes through sdk/netguard's SSRF-safe client: loopback,
// private, link-local and metadata addresses refused on the address
// actually dialled, redirects re-checked, a time limit and a cap on the
// response body (the plugin's http_timeout and http_max_bytes; its
// http_allow exempts chosen destinations).
package hostfuncs
