package api

import (
	"net/http"
	"slices"
	"strings"

	"github.com/coder/websocket"
)

// IsWebSocketUpgrade tells whether r asks for a WebSocket.
func IsWebSocketUpgrade(r *http.Request) bool {
	for _, v := range r.Header.Values("Upgrade") {
		if strings.EqualFold(strings.TrimSpace(v), "websocket") {
			return true
		}
	}
	return false
}

// AcceptOptions are the WebSocket upgrade options of every route: browser
// origins as server.cors_origins allows ("*": any), no compression.
func AcceptOptions(originPatterns []string) *websocket.AcceptOptions {
	return &websocket.AcceptOptions{
		InsecureSkipVerify: slices.Contains(originPatterns, "*"),
		OriginPatterns:     originPatterns,
		CompressionMode:    websocket.CompressionDisabled,
	}
}
