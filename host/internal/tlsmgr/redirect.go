package tlsmgr

import (
	"net"
	"net/http"
	"strings"

	"github.com/orama-network/orama/host/internal/api"
	"github.com/orama-network/orama/sdk"
)

// redirect answers every request with 308 Permanent Redirect to the same
// host and path over HTTPS on httpsPort (left out when it is 443). 308
// keeps the method and body, so an API client's POST is not turned into
// a GET.
func redirect(httpsPort string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := r.Host
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
		host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
		if host == "" || strings.ContainsAny(host, "/\\@ ") {
			_ = api.WriteErrorBody(w, http.StatusBadRequest, sdk.CodeInvalid, "a Host header naming the server is required", "")
			return
		}
		target := host
		switch {
		case httpsPort != "" && httpsPort != "443":
			target = net.JoinHostPort(host, httpsPort)
		case strings.Contains(host, ":"): // IPv6 literal
			target = "[" + host + "]"
		}
		http.Redirect(w, r, "https://"+target+r.URL.RequestURI(), http.StatusPermanentRedirect)
	})
}
