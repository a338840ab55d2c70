package service

import (
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/prometheus/client_golang/prometheus"
)

// The auth plugin's metrics, served by the host on /metrics with
// plugin="auth". The host counts its own refusals, key cache hits and
// rate-limited requests (orama_auth_refusals_total, …). No namespace or
// wallet labels.
var (
	metricSignIns = plugin.Register(prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "orama_auth_sign_ins_total",
		Help: "Sign-ins by method (wallet: a signed challenge for a session; wallet_api_key: for an API key; simple_key: an unsigned key; refresh: a refresh token rotated; api_key_token: an API key exchanged for a JWT) and result (ok, refused: a bad or foreign credential or proof, error).",
	}, []string{"method", "result"}))
	metricKeyValidations = plugin.Register(prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "orama_auth_key_validations_total",
		Help: "API key and key id validations, by result (valid, refused, error): the host asks when its key cache misses; an API key exchanged for a JWT is validated too.",
	}, []string{"result"}))
)

// sign-in methods, the method label values.
const (
	signInWallet      = "wallet"
	signInWalletKey   = "wallet_api_key"
	signInSimpleKey   = "simple_key"
	signInRefresh     = "refresh"
	signInKeyForToken = "api_key_token"
)

func init() {
	for _, m := range []string{signInWallet, signInWalletKey, signInSimpleKey, signInRefresh, signInKeyForToken} {
		for _, r := range []string{"ok", "refused", "error"} {
			metricSignIns.WithLabelValues(m, r)
		}
	}
	for _, r := range []string{"valid", "refused", "error"} {
		metricKeyValidations.WithLabelValues(r)
	}
}

// outcome is "ok", "refused" (the caller's fault: a bad, expired, foreign
// or forbidden credential or request) or "error".
func outcome(err error, ok string) string {
	if err == nil {
		return ok
	}
	switch sdk.AsError(err).Code {
	case sdk.CodeUnauthorized, sdk.CodeForbidden, sdk.CodeInvalid, sdk.CodeNotFound, sdk.CodeConflict, sdk.CodeRateLimited:
		return "refused"
	}
	return "error"
}

func countSignIn(method string, err error) {
	metricSignIns.WithLabelValues(method, outcome(err, "ok")).Inc()
}

func countKeyValidation(err error) {
	metricKeyValidations.WithLabelValues(outcome(err, "valid")).Inc()
}
