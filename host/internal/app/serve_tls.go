package app

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/orama-network/orama/host/internal/config"
	"github.com/orama-network/orama/host/internal/tlsmgr"
)

// newTLS prepares the certificates of server { tls { … } }; nil without
// the block (plain HTTP).
func newTLS(ctx context.Context, cfg *config.Config, log hclog.Logger) (*tlsmgr.Manager, error) {
	if cfg.Server.TLS == nil {
		return nil, nil
	}
	return tlsmgr.New(ctx, cfg.Server.TLS, cfg.Server.Listen, log)
}

// tlsConfig is the HTTPS listener's configuration; nil for plain HTTP.
func tlsConfig(certs *tlsmgr.Manager) *tls.Config {
	if certs == nil {
		return nil
	}
	return certs.TLSConfig()
}

// listenHTTP opens the plain-HTTP listener of tls { http_listen }; nil
// when there is none.
func listenHTTP(cfg *config.Config) (net.Listener, error) {
	if cfg.Server.TLS == nil || cfg.Server.TLS.HTTPListen == "" {
		return nil, nil
	}
	return net.Listen("tcp", cfg.Server.TLS.HTTPListen)
}

// serveHTTP answers the plain-HTTP listener (ACME HTTP-01 challenges and
// redirects to HTTPS) until ctx ends.
func serveHTTP(ctx context.Context, log hclog.Logger, ln net.Listener, h http.Handler) {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          log.StandardLogger(&hclog.StandardLoggerOptions{ForceLevel: hclog.Debug}),
	}
	log.Info("listening for ACME challenges and redirects to HTTPS", "addr", ln.Addr().String())
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Error("plain-HTTP listener stopped", "error", err)
	}
}
