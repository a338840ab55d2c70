package service

import (
	"context"
	"errors"

	"github.com/orama-network/orama/plugins/serverless/store"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/seal"
	"github.com/orama-network/orama/sdk/serverless"
)

// SetSecret seals value under key_secret and stores it. The value is
// never logged nor returned by any call. Errors: invalid, forbidden,
// too_large (the value, or the namespace's MaxSecrets).
func (s *Service) SetSecret(ctx context.Context, namespace, name string, value []byte) error {
	st, err := s.state()
	if err != nil {
		return err
	}
	if err := checkNamespace(namespace); err != nil {
		return err
	}
	if err := serverless.CheckSetSecret(namespace, name, value); err != nil {
		return err
	}
	salt, sealed, err := st.wrap.Wrap(secretID(namespace, name), value)
	if err != nil {
		return err
	}
	return st.st.PutSecret(ctx, namespace, name, store.SealedSecret{Salt: salt, Sealed: sealed}, s.now())
}

// DeleteSecret removes a secret. Errors: invalid, forbidden, not_found.
func (s *Service) DeleteSecret(ctx context.Context, namespace, name string) error {
	st, err := s.state()
	if err != nil {
		return err
	}
	if err := checkSecret(namespace, name); err != nil {
		return err
	}
	return st.st.DeleteSecret(ctx, namespace, name)
}

// Secrets lists the names of namespace's secrets, sorted.
func (s *Service) Secrets(ctx context.Context, namespace string) ([]string, error) {
	st, err := s.state()
	if err != nil {
		return nil, err
	}
	if err := checkNamespace(namespace); err != nil {
		return nil, err
	}
	return st.st.Secrets(ctx, namespace)
}

// secret is get_secret: the secret in clear. Errors: not_found; internal
// when it does not open (another key_secret sealed it).
func (st *state) secret(ctx context.Context, namespace, name string) ([]byte, error) {
	if err := checkSecret(namespace, name); err != nil {
		return nil, err
	}
	v, err := st.st.Secret(ctx, namespace, name)
	if err != nil {
		return nil, err
	}
	plain, err := st.wrap.Unwrap(secretID(namespace, name), v.Salt, v.Sealed)
	if errors.Is(err, seal.ErrUnwrap) {
		return nil, sdk.Errorf(sdk.CodeInternal, "secret %q does not open with this node's key_secret", name)
	}
	return plain, err
}

// secretID binds a sealed secret to its namespace and name (secret names
// hold no NUL, so the pair is unambiguous).
func secretID(namespace, name string) string { return namespace + "\x00" + name }
