package plugin

import goplugin "github.com/hashicorp/go-plugin"

// ProtocolVersion is the plugin protocol the host and plugins speak. It is
// negotiated through go-plugin's VersionedPlugins, so a later version can be
// added next to this one.
const ProtocolVersion = 1

// Handshake is shared by host and plugins. The magic cookie is not a
// security measure: it stops a user from running a plugin binary by hand.
var Handshake = goplugin.HandshakeConfig{
	MagicCookieKey:   "ORAMA_PLUGIN",
	MagicCookieValue: "7c1b5f0e-orama-plugin-host",
}
