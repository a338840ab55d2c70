package server

import (
	"net/http"
	"strings"
)

const (
	corsAllowMethods  = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
	corsAllowHeaders  = "Content-Type, Authorization, X-API-Key, X-Request-ID"
	corsExposeHeaders = "X-Request-ID, Retry-After, X-Duration-Ms, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, WWW-Authenticate"
	corsMaxAge        = "600" // seconds a browser may cache a preflight
)

// varyOrigin is shared by responses; its capacity is its length, so an
// append elsewhere copies instead of writing into it.
var varyOrigin = []string{"Origin"}

// corsPolicy says which origins may call the API from a browser.
type corsPolicy struct {
	any     bool     // "*" was configured
	origins []string // exact origins, compared case-insensitively
}

func newCORSPolicy(origins []string) corsPolicy {
	var p corsPolicy
	for _, o := range origins {
		o = strings.TrimSpace(strings.TrimSuffix(o, "/"))
		switch o {
		case "":
		case "*":
			p.any = true
		default:
			p.origins = append(p.origins, o)
		}
	}
	return p
}

func (p corsPolicy) enabled() bool { return p.any || len(p.origins) > 0 }

func (p corsPolicy) allows(origin string) bool {
	if p.any {
		return true
	}
	for _, o := range p.origins {
		if strings.EqualFold(o, origin) {
			return true
		}
	}
	return false
}

// corsHandler echoes an allowed Origin (with Vary: Origin) and answers
// preflight requests itself with 204. A disallowed origin gets no CORS
// headers, so the browser refuses the response.
func (s *Server) corsHandler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		if len(h["Vary"]) == 0 {
			h["Vary"] = varyOrigin
		} else {
			h["Vary"] = append(h["Vary"], "Origin")
		}
		origin := ""
		if v := r.Header["Origin"]; len(v) > 0 {
			origin = v[0]
		}
		allowed := origin != "" && s.cors.allows(origin)

		if r.Method == http.MethodOptions && origin != "" && len(r.Header["Access-Control-Request-Method"]) > 0 {
			if st := stateFrom(r.Context()); st != nil {
				st.label = routePreflight
			}
			h.Add("Vary", "Access-Control-Request-Method")
			h.Add("Vary", "Access-Control-Request-Headers")
			if allowed {
				h.Set("Access-Control-Allow-Origin", origin)
				h.Set("Access-Control-Allow-Methods", corsAllowMethods)
				h.Set("Access-Control-Allow-Headers", corsAllowHeaders)
				h.Set("Access-Control-Max-Age", corsMaxAge)
			}
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if allowed {
			h.Set("Access-Control-Allow-Origin", origin)
			h.Set("Access-Control-Expose-Headers", corsExposeHeaders)
		}
		next.ServeHTTP(w, r)
	})
}
