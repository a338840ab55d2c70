// Package hostapi is what the host offers plugins, served by the host over
// the go-plugin broker: structured logging now, and the connection on which
// the host registers domain services (cache, …) so a plugin can call another
// domain through the host without dialing it (Conn). The host routes such
// calls to the plugin that owns the domain.
package hostapi
