package service

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/orama-network/orama/plugins/serverless/store"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/serverless"
	"github.com/orama-network/orama/sdk/storage"
)

// Deploy stores module as the next version of def.Name, all or nothing:
// the module is checked and compiled first (so a bad one leaves no
// trace), then its bytes are stored and pinned in storage, then the
// version is recorded in one database transaction. If that fails, the
// pin is removed again unless another function version uses the same
// bytes. Errors: invalid, forbidden (a reserved namespace), too_large,
// unavailable.
func (s *Service) Deploy(ctx context.Context, def serverless.Definition, module []byte) (serverless.Function, error) {
	st, err := s.state()
	if err != nil {
		return serverless.Function{}, err
	}
	if err := checkNamespace(def.Namespace); err != nil {
		return serverless.Function{}, err
	}
	def, err = serverless.CheckDeploy(def, module, int(st.cfg.MaxModuleBytes))
	if err != nil {
		return serverless.Function{}, err
	}
	sum := sha256.Sum256(module)
	key := hex.EncodeToString(sum[:])
	if err := st.eng.Compile(ctx, key, module); err != nil {
		return serverless.Function{}, err
	}
	put, err := st.code.Put(ctx, CodeNamespace, bytes.NewReader(module), storage.PutOptions{
		Name: fmt.Sprintf("function %s/%s", def.Namespace, def.Name), Pin: true, MaxSize: st.cfg.MaxModuleBytes})
	if err != nil {
		return serverless.Function{}, unavailable("store the wasm module", err)
	}
	row, err := st.st.Insert(ctx, store.Row{SHA256: key, Function: serverless.Function{
		Namespace: def.Namespace, Name: def.Name, WASMCID: put.CID, IsPublic: def.IsPublic,
		MemoryLimitMB: def.MemoryLimitMB, TimeoutSeconds: def.TimeoutSeconds, RetryCount: def.RetryCount,
		RetryDelaySeconds: def.RetryDelaySeconds, EnvVars: def.EnvVars,
	}}, s.now())
	if err != nil {
		s.unpinUnused(context.WithoutCancel(ctx), st, put.CID)
		return serverless.Function{}, unavailable("record the function", err)
	}
	st.meta.forget(def.Namespace, def.Name)
	s.log.Info("function deployed", "namespace", row.Namespace, "name", row.Name, "version", row.Version,
		"wasm_cid", row.WASMCID, "bytes", len(module))
	return row.Function, nil
}

// unpinUnused removes the code pin of cid unless a function version
// still runs it. Failures are logged: an extra pin only costs space.
//
// A deploy of the same bytes racing with this check can lose its pin;
// its function then fails to load on nodes that have not compiled it
// until the module is deployed again (logged as a storage not_found).
func (s *Service) unpinUnused(ctx context.Context, st *state, cid string) {
	used, err := st.st.CIDInUse(ctx, cid)
	if err != nil || used {
		if err != nil {
			s.log.Warn("keep the pin of a module: cannot tell whether it is used", "wasm_cid", cid, "error", err)
		}
		return
	}
	if err := st.code.Unpin(ctx, CodeNamespace, cid); err != nil && sdk.AsError(err).Code != sdk.CodeNotFound {
		s.log.Warn("unpin an unused module", "wasm_cid", cid, "error", err)
	}
}
