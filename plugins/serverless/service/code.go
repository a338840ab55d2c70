package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"time"

	"github.com/orama-network/orama/plugins/serverless/store"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/telemetry"
)

// loadTimeout bounds one fetch-and-compile of a module.
const loadTimeout = 2 * time.Minute

// ensureCompiled makes sure r's module is compiled in memory: the warm
// path is one map lookup in the engine. Otherwise the module is fetched
// from storage by CID, checked against the SHA-256 recorded at deploy and
// compiled (from wazero's disk cache when an earlier run compiled it) —
// once per module however many invocations wait for it.
func (s *Service) ensureCompiled(ctx context.Context, st *state, r store.Row) error {
	if st.eng.Cached(r.SHA256) {
		metricCompileHits.Inc()
		return nil
	}
	metricCompileMisses.Inc()
	return st.loads.do(ctx, r.SHA256, loadTimeout, func(ctx context.Context) error {
		if st.eng.Cached(r.SHA256) {
			return nil
		}
		module, err := s.fetch(ctx, st, r)
		if err != nil {
			return err
		}
		ctx, span := startSpan(ctx, "compile", r)
		return telemetry.End(span, st.eng.Compile(ctx, r.SHA256, module))
	})
}

// fetch reads r's module from storage and checks its SHA-256.
func (s *Service) fetch(ctx context.Context, st *state, r store.Row) ([]byte, error) {
	rc, _, err := st.code.Get(ctx, CodeNamespace, r.WASMCID, 0, -1)
	if err != nil {
		s.log.Error("fetch a function's module", "namespace", r.Namespace, "name", r.Name, "version", r.Version,
			"wasm_cid", r.WASMCID, "error", err)
		return nil, unavailable("fetch the wasm module", err)
	}
	defer rc.Close()
	module, err := io.ReadAll(io.LimitReader(rc, st.cfg.MaxModuleBytes+1<<20))
	if err != nil {
		return nil, unavailable("read the wasm module", err)
	}
	sum := sha256.Sum256(module)
	if hex.EncodeToString(sum[:]) != r.SHA256 {
		s.log.Error("a function's module does not match its SHA-256", "namespace", r.Namespace, "name", r.Name,
			"version", r.Version, "wasm_cid", r.WASMCID)
		return nil, sdk.Errorf(sdk.CodeInternal, "the stored module of %s@%d does not match its checksum", r.Name, r.Version)
	}
	return module, nil
}
