package service

import (
	"fmt"
	"time"

	"github.com/orama-network/orama/plugins/auth/store"
	"github.com/orama-network/orama/plugins/auth/tokens"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/seal"
)

// Config is the plugin's config block; json tags are the attribute names.
type Config struct {
	KeySecret       string `json:"key_secret"`        // ≥ 32 characters, the same on every node; or:
	KeySecretFile   string `json:"key_secret_file"`   // a file holding it (relative: to the plugin's data dir); created when missing
	Issuer          string `json:"issuer"`            // iss (default "orama")
	Audience        string `json:"audience"`          // aud (default "orama-gateway")
	TokenTTL        string `json:"token_ttl"`         // access token lifetime (default 15m)
	RefreshTTL      string `json:"refresh_ttl"`       // refresh token lifetime (default 720h)
	NonceTTL        string `json:"nonce_ttl"`         // challenge lifetime (default 5m)
	RotateEvery     string `json:"rotate_every"`      // signing key rotation period (default 720h)
	AllowSimpleKeys bool   `json:"allow_simple_keys"` // SimpleKey without a signature (development only)
	ClockSkew       string `json:"clock_skew"`        // tolerance of time claims (default 60s)
	// Bounds on outstanding (unused, unexpired) challenges; 0: no bound.
	MaxChallengesPerWallet int `json:"max_challenges_per_wallet"` // default 10
	MaxChallengesPerIP     int `json:"max_challenges_per_ip"`     // default 100

	tokenTTL, refreshTTL, nonceTTL, rotateEvery, clockSkew time.Duration
}

// Defaults of the challenge bounds: a sign-in uses one challenge, so a
// wallet never needs many at once; one address may front many users
// (NAT), so it gets more.
const (
	DefaultMaxChallengesPerWallet = 10
	DefaultMaxChallengesPerIP     = 100
	maxChallengeCap               = 1_000_000
)

func defaults() Config {
	return Config{
		Issuer:      "orama",
		Audience:    "orama-gateway",
		TokenTTL:    "15m",
		RefreshTTL:  "720h",
		NonceTTL:    "5m",
		RotateEvery: "720h",
		ClockSkew:   "60s",

		MaxChallengesPerWallet: DefaultMaxChallengesPerWallet,
		MaxChallengesPerIP:     DefaultMaxChallengesPerIP,
	}
}

// ParseConfig decodes cfg's block over the defaults and validates it
// without side effects. Errors are a plugin.ConfigError naming the
// attributes at fault.
func ParseConfig(cfg plugin.Config) (Config, error) {
	return plugin.Parse(cfg, defaults(), (*Config).validate)
}

// validate checks the decoded values and fills the durations.
func (c *Config) validate(errs *plugin.ConfigError) {
	switch {
	case c.KeySecret != "" && c.KeySecretFile != "":
		errs.Add("key_secret_file", "set key_secret or key_secret_file, not both")
	case c.KeySecret == "" && c.KeySecretFile == "":
		errs.Add("key_secret", fmt.Sprintf("is required (or key_secret_file): a random string of at least %d characters, the same on every gateway node (it seals the JWT signing keys in the database)", seal.MinSecretLen))
	case c.KeySecretFile != "":
		// read (or created) by Configure: ValidateConfig has no side effects
	case len(c.KeySecret) < seal.MinSecretLen:
		errs.Add("key_secret", fmt.Sprintf("must be at least %d characters, e.g. the output of `openssl rand -base64 48`", seal.MinSecretLen))
	}
	if c.Issuer == "" {
		errs.Add("issuer", "must not be empty")
	}
	if c.Audience == "" {
		errs.Add("audience", "must not be empty")
	}
	c.tokenTTL = duration(errs, "token_ttl", c.TokenTTL, time.Second)
	c.refreshTTL = duration(errs, "refresh_ttl", c.RefreshTTL, time.Second)
	c.nonceTTL = duration(errs, "nonce_ttl", c.NonceTTL, time.Millisecond)
	c.rotateEvery = duration(errs, "rotate_every", c.RotateEvery, time.Minute)
	c.clockSkew = duration(errs, "clock_skew", c.ClockSkew, 0)
	for _, a := range []struct {
		name string
		v    int
	}{{"max_challenges_per_wallet", c.MaxChallengesPerWallet}, {"max_challenges_per_ip", c.MaxChallengesPerIP}} {
		if a.v < 0 || a.v > maxChallengeCap {
			errs.Add(a.name, fmt.Sprintf("must be a whole number from 0 (no bound) to %d, such as 10", maxChallengeCap))
		}
	}
	if c.rotateEvery > 0 && c.tokenTTL > c.rotateEvery {
		errs.Add("rotate_every", fmt.Sprintf("must be at least token_ttl (%s)", c.TokenTTL))
	}
}

// duration parses attribute attr: a Go duration of at least least (a
// zero least allows 0, any other must be positive).
func duration(errs *plugin.ConfigError, attr, v string, least time.Duration) time.Duration {
	d, err := time.ParseDuration(v)
	switch {
	case err != nil:
		errs.Add(attr, fmt.Sprintf(`must be a duration such as "90s", "15m" or "720h", not %q`, v))
	case d < 0 || (least > 0 && d < least):
		errs.Add(attr, fmt.Sprintf("must be at least %s", max(least, 0)))
	}
	return d
}

// schedule is the signing keys' rotation schedule.
func (c Config) schedule() tokens.Schedule {
	return tokens.Schedule{Every: c.rotateEvery, TokenTTL: c.tokenTTL, Skew: c.clockSkew}
}

// nonceCaps are the bounds on outstanding challenges.
func (c Config) nonceCaps() store.NonceCaps {
	return store.NonceCaps{PerWallet: c.MaxChallengesPerWallet, PerIP: c.MaxChallengesPerIP}
}

// access is how access tokens are made.
func (c Config) access() tokens.Access {
	return tokens.Access{Issuer: c.Issuer, Audience: c.Audience, TTL: c.tokenTTL}
}
