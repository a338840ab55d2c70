package service

import (
	"context"
	"time"

	"github.com/orama-network/orama/plugins/serverless/store"
	"github.com/orama-network/orama/sdk/serverless"
)

// Get returns one version (0: the latest). Errors: invalid, forbidden,
// not_found.
func (s *Service) Get(ctx context.Context, namespace, name string, version int) (serverless.Function, error) {
	st, err := s.state()
	if err != nil {
		return serverless.Function{}, err
	}
	if err := checkFunction(namespace, name, version); err != nil {
		return serverless.Function{}, err
	}
	r, err := st.st.Get(ctx, namespace, name, version)
	return r.Function, err
}

// List returns the latest version of every function of namespace, sorted
// by name.
func (s *Service) List(ctx context.Context, namespace string) ([]serverless.Function, error) {
	st, err := s.state()
	if err != nil {
		return nil, err
	}
	if err := checkNamespace(namespace); err != nil {
		return nil, err
	}
	rows, err := st.st.List(ctx, namespace)
	return functions(rows), err
}

// Versions returns every kept version, oldest first. Errors: invalid,
// forbidden, not_found.
func (s *Service) Versions(ctx context.Context, namespace, name string) ([]serverless.Function, error) {
	st, err := s.state()
	if err != nil {
		return nil, err
	}
	if err := checkFunction(namespace, name, 0); err != nil {
		return nil, err
	}
	rows, err := st.st.Versions(ctx, namespace, name)
	return functions(rows), err
}

// Delete removes one version, or all (version 0) with the function's
// logs, and unpins modules no version uses any more. Other nodes see the
// removal within metadata_ttl. Errors: invalid, forbidden, not_found.
func (s *Service) Delete(ctx context.Context, namespace, name string, version int) (int, error) {
	st, err := s.state()
	if err != nil {
		return 0, err
	}
	if err := checkFunction(namespace, name, version); err != nil {
		return 0, err
	}
	if version == 0 {
		st.logs.flush(ctx) // so no pending line of the function outlives it
	}
	gone, err := st.st.Delete(ctx, namespace, name, version)
	if err != nil {
		return 0, err
	}
	st.meta.forget(namespace, name)
	cids := map[string]bool{}
	for _, r := range gone {
		cids[r.WASMCID] = true
	}
	uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	for cid := range cids {
		s.unpinUnused(uctx, st, cid)
	}
	s.log.Info("function deleted", "namespace", namespace, "name", name, "version", version, "versions", len(gone))
	return len(gone), nil
}

func functions(rows []store.Row) []serverless.Function {
	out := make([]serverless.Function, len(rows))
	for i, r := range rows {
		out[i] = r.Function
	}
	return out
}
