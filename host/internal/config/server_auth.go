package config

import (
	"math"
	"net/netip"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// serverAuth decodes the authentication and rate limit settings of the
// server block: auth, key_cache_ttl, trusted_proxies, rate_limit blocks.
func (p *parser) serverAuth(content *hcl.BodyContent, s *Server) {
	attrs := content.Attributes
	if a := attrs["auth"]; a != nil {
		if v, ok := p.str(a, `"required"`); ok {
			if v != AuthRequired && v != AuthDisabled {
				p.errorf(a.Expr.Range(), "Invalid auth mode",
					"auth must be %q (credentials checked by the auth plugin) or %q (no credentials, development only); got %q.",
					AuthRequired, AuthDisabled, v)
			} else {
				s.Auth = v
				p.authAttr = a
			}
		}
	}
	if a := attrs["key_cache_ttl"]; a != nil {
		if v, ok := p.duration(a, "5s"); ok {
			if v > maxKeyCacheTTL {
				p.errorf(a.Expr.Range(), "Invalid key_cache_ttl",
					"key_cache_ttl is how long a revoked API key keeps working on a node; it must be at most %s, such as \"5s\".", maxKeyCacheTTL)
			} else {
				s.KeyCacheTTL = v
			}
		}
	}
	if a := attrs["trusted_proxies"]; a != nil {
		if v, ok := p.strList(a, `["10.0.0.0/8", "192.0.2.1"]`); ok {
			s.TrustedProxies = p.prefixes(a, v)
		}
	}
	seen := map[string]hcl.Range{}
	for _, b := range content.Blocks {
		if b.Type != "rate_limit" {
			continue
		}
		group := b.Labels[0]
		if first, dup := seen[group]; dup {
			p.errorf(b.DefRange, "Duplicate rate_limit block",
				"A rate_limit %q block is already defined on line %d. Merge the two blocks into one.", group, first.Start.Line)
			continue
		}
		seen[group] = b.DefRange
		p.rateLimit(b, s)
	}
}

// The per-client-IP limit of the auth routes when the config has no
// rate_limit "auth" block: on by default, because the sign-in routes are
// public (a stranger's challenge flood costs database rows). A sign-in is
// two requests (challenge, verify), so real clients — even many behind
// one NAT address — stay far below it.
const (
	DefaultAuthIPRequestsPerSecond = 10
	DefaultAuthIPBurst             = 100
)

// defaultAuthRateLimit is the auth group's limit without its own block:
// the "default" block's (which other groups fall back to) when there is
// one, with the per-IP limit of DefaultAuthIPRequestsPerSecond unless
// that block sets a per-IP limit of its own. A rate_limit "auth" block
// replaces it (ip_requests_per_second = 0 there turns it off).
func defaultAuthRateLimit(written map[string]RateLimit) RateLimit {
	rl := written["default"]
	if rl.IPRequestsPerSecond == 0 {
		rl.IPRequestsPerSecond, rl.IPBurst = DefaultAuthIPRequestsPerSecond, DefaultAuthIPBurst
	}
	return rl
}

// prefixes parses each entry as a CIDR prefix or a single address.
func (p *parser) prefixes(a *hcl.Attribute, list []string) []netip.Prefix {
	out := make([]netip.Prefix, 0, len(list))
	for _, v := range list {
		if pfx, err := netip.ParsePrefix(v); err == nil {
			out = append(out, pfx.Masked())
			continue
		}
		if addr, err := netip.ParseAddr(v); err == nil {
			out = append(out, netip.PrefixFrom(addr, addr.BitLen()))
			continue
		}
		p.errorf(a.Expr.Range(), "Invalid trusted proxy",
			"%q is neither an IP address nor a CIDR prefix; write it as \"10.0.0.1\" or \"10.0.0.0/8\".", v)
	}
	return out
}

// rateLimit decodes one rate_limit "<group>" block into s.RateLimits.
//
// burst defaults to one second's worth of requests (at least 1);
// ip_requests_per_second and ip_burst default to requests_per_second and
// burst (ip_burst to one second's worth of ip_requests_per_second when
// only that is set).
func (p *parser) rateLimit(b *hcl.Block, s *Server) {
	group := b.Labels[0]
	content, diags := b.Body.Content(rateLimitSchema)
	p.add(explain(diags, "rate_limit block", rateLimitSchema)...)
	if !slices.Contains(RateLimitGroups, group) {
		p.errorf(b.LabelRanges[0], "Unknown rate limit group",
			"There is no route group %q. The groups are %s.", group, strings.Join(RateLimitGroups, ", "))
		return
	}
	attrs := content.Attributes
	var rl RateLimit
	ok := true
	rps, set := p.rate(attrs["requests_per_second"])
	ok = ok && set
	rl.RequestsPerSecond = rps
	rl.Burst, set = p.burst(attrs["burst"], rps)
	ok = ok && set
	rl.IPRequestsPerSecond, rl.IPBurst = rl.RequestsPerSecond, rl.Burst
	if a := attrs["ip_requests_per_second"]; a != nil {
		rl.IPRequestsPerSecond, set = p.rate(a)
		ok = ok && set
		rl.IPBurst = perSecond(rl.IPRequestsPerSecond)
	}
	if a := attrs["ip_burst"]; a != nil {
		rl.IPBurst, set = p.burst(a, rl.IPRequestsPerSecond)
		ok = ok && set
	}
	if ok {
		s.RateLimits[group] = rl
	}
}

// maxRate bounds a rate (requests per second) to something sane.
const maxRate = 1e9

// rate decodes a rate: a number ≥ 0 (0 turns the bucket off). A missing
// attribute is 0 and ok (the schema reports a missing required one).
func (p *parser) rate(a *hcl.Attribute) (float64, bool) {
	if a == nil {
		return 0, true
	}
	v, ok := p.typed(a, cty.Number, "a number of requests per second, such as 100")
	if !ok {
		return 0, p.isNull(a)
	}
	f, _ := v.AsBigFloat().Float64()
	if f < 0 || f > maxRate || math.IsNaN(f) {
		p.errorf(a.Expr.Range(), "Invalid rate limit",
			"%s must be between 0 (no limit) and %g requests per second, such as 100.", a.Name, maxRate)
		return 0, false
	}
	return f, true
}

// burst decodes a bucket size, a whole number ≥ 1; unset, it is one
// second's worth of rate.
func (p *parser) burst(a *hcl.Attribute, rate float64) (int, bool) {
	if a == nil {
		return perSecond(rate), true
	}
	n, ok := p.int64(a, "200")
	if !ok {
		return perSecond(rate), p.isNull(a)
	}
	if n < 1 || n > math.MaxInt32 {
		p.errorf(a.Expr.Range(), "Invalid rate limit",
			"%s is the most requests let through at once; it must be a whole number of at least 1, such as 200.", a.Name)
		return 0, false
	}
	return int(n), true
}

// isNull reports whether a is written as null (meaning unset).
func (p *parser) isNull(a *hcl.Attribute) bool {
	v, diags := a.Expr.Value(nil)
	return !diags.HasErrors() && v.IsNull()
}

// perSecond is one second's worth of rate, at least 1.
func perSecond(rate float64) int {
	return int(max(1, math.Ceil(min(rate, math.MaxInt32))))
}

// resolveAuth settles server.auth once the plugins are known: unset, it
// follows whether an auth plugin is configured; "required" without one is
// an error (every credential would be refused). It also gives the auth
// routes their default per-IP limit when no rate_limit "auth" block was
// written (also when there is no server block at all).
func (p *parser) resolveAuth(cfg *Config) {
	if cfg.Server.RateLimits == nil {
		cfg.Server.RateLimits = map[string]RateLimit{}
	}
	if _, written := cfg.Server.RateLimits["auth"]; !written {
		cfg.Server.RateLimits["auth"] = defaultAuthRateLimit(cfg.Server.RateLimits)
	}
	hasAuth := cfg.Plugin("auth") != nil
	switch {
	case cfg.Server.Auth == "" && hasAuth:
		cfg.Server.Auth = AuthRequired
	case cfg.Server.Auth == "":
		cfg.Server.Auth = AuthDisabled
	case cfg.Server.Auth == AuthRequired && !hasAuth && p.authAttr != nil:
		p.errorf(p.authAttr.Expr.Range(), "Auth plugin missing",
			"auth = %q checks credentials through the auth plugin, and none is configured. Add a plugin \"auth\" block, or set auth = %q for local development.",
			AuthRequired, AuthDisabled)
	}
}
