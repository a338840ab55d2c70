package server

import (
	"github.com/prometheus/client_golang/prometheus"
)

// authMetrics count what the host's authentication, namespace binding and
// rate limits refuse, and its key cache. Labels are bounded: a refusal
// reason, a route group (RateLimitGroups), a bucket kind.
type authMetrics struct {
	refusals    *prometheus.CounterVec // reason
	rateLimited *prometheus.CounterVec // group, limit
	keyHits     prometheus.Counter
	keyMisses   prometheus.Counter
}

// Refusal reasons, the reason label of orama_auth_refusals_total.
const (
	refusedMissing   = "missing_credential" // a route that needs one got none
	refusedBad       = "bad_credential"     // invalid, expired or revoked key or token
	refusedReserved  = "reserved_namespace" // the system namespace
	refusedNamespace = "foreign_namespace"  // a namespace parameter other than the credential's
)

func newAuthMetrics(reg prometheus.Registerer) (*authMetrics, error) {
	m := &authMetrics{
		refusals: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "orama_auth_refusals_total",
			Help: "Requests the host refused before their handler, by reason: missing_credential, bad_credential (invalid, expired or revoked), reserved_namespace, foreign_namespace.",
		}, []string{"reason"}),
		rateLimited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "orama_ratelimited_requests_total",
			Help: "Requests refused with 429, by route group and the limit that refused them (ip, credential).",
		}, []string{"group", "limit"}),
		keyHits: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "orama_auth_key_cache_hits_total",
			Help: "API key and key id lookups the host's key cache answered (refusals it remembers included).",
		}),
		keyMisses: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "orama_auth_key_cache_misses_total",
			Help: "API key and key id lookups that went to the auth plugin.",
		}),
	}
	var err error
	if m.refusals, err = register(reg, m.refusals); err != nil {
		return nil, err
	}
	if m.rateLimited, err = register(reg, m.rateLimited); err != nil {
		return nil, err
	}
	if m.keyHits, err = register(reg, m.keyHits); err != nil {
		return nil, err
	}
	if m.keyMisses, err = register(reg, m.keyMisses); err != nil {
		return nil, err
	}
	for _, r := range []string{refusedMissing, refusedBad, refusedReserved, refusedNamespace} {
		m.refusals.WithLabelValues(r)
	}
	return m, nil
}

// refused counts one refusal for reason.
func (m *authMetrics) refused(reason string) { m.refusals.WithLabelValues(reason).Inc() }

// limited counts one 429 of group g by limit ("ip" or "credential").
func (m *authMetrics) limited(g group, limit string) {
	name := GroupDefault
	if int(g) < len(RateLimitGroups) {
		name = RateLimitGroups[g]
	}
	m.rateLimited.WithLabelValues(name, limit).Inc()
}
