package service

import (
	"context"
	"time"

	"github.com/orama-network/orama/plugins/auth/store"
	"github.com/orama-network/orama/plugins/auth/tokens"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/auth"
)

// newKey creates and stores a key; the returned APIKey carries the
// secret, which exists nowhere else.
func (s *Service) newKey(ctx context.Context, st *state, namespace, w, plan, name string, now time.Time) (auth.APIKey, error) {
	secret, hash := tokens.NewAPIKeySecret()
	k := store.APIKey{ID: tokens.NewID("key_"), Hash: hash, Namespace: namespace, Plan: plan, Wallet: w, Name: name, Created: now}
	if err := st.st.PutAPIKey(ctx, k); err != nil {
		return auth.APIKey{}, err
	}
	out := publicKey(k)
	out.Key = auth.FormatAPIKey(secret, namespace)
	return out, nil
}

// publicKey is what may be shown of a stored key.
func publicKey(k store.APIKey) auth.APIKey {
	return auth.APIKey{ID: k.ID, Namespace: k.Namespace, Plan: k.Plan, Wallet: k.Wallet, Name: k.Name,
		Created: k.Created, Revoked: !k.Revoked.IsZero()}
}

// CreateKey creates an operator key (no wallet) in namespace.
func (s *Service) CreateKey(ctx context.Context, namespace, name, plan string) (auth.APIKey, error) {
	st, err := s.state()
	if err != nil {
		return auth.APIKey{}, err
	}
	if err := auth.CheckNamespace(namespace); err != nil {
		return auth.APIKey{}, err
	}
	if err := auth.CheckText("name", name, auth.MaxNameLen, true); err != nil {
		return auth.APIKey{}, err
	}
	plan, err = planOrDefault(plan)
	if err != nil {
		return auth.APIKey{}, err
	}
	now := s.now()
	// The operator creates the namespace unless someone owns it already:
	// from now on wallets get in only when added.
	if _, err := st.st.ClaimNamespace(ctx, namespace, store.OperatorOwner, now); err != nil {
		return auth.APIKey{}, err
	}
	return s.newKey(ctx, st, namespace, "", plan, name, now)
}

// ValidateAPIKey returns the principal of an active key. Errors:
// unauthorized for a malformed, unknown or revoked key, or one whose
// namespace suffix is not its own.
func (s *Service) ValidateAPIKey(ctx context.Context, key string) (_ auth.Principal, err error) {
	defer func() { countKeyValidation(err) }()
	st, err := s.state()
	if err != nil {
		return auth.Principal{}, err
	}
	secret, namespace, err := auth.ParseAPIKey(key)
	if err != nil {
		return auth.Principal{}, err
	}
	k, err := st.st.APIKeyByHash(ctx, tokens.Hash(secret))
	if err != nil {
		return auth.Principal{}, err
	}
	if k.Namespace != namespace || !k.Revoked.IsZero() {
		return auth.Principal{}, sdk.Errorf(sdk.CodeUnauthorized, "invalid API key")
	}
	return auth.Principal{Method: auth.MethodAPIKey, Subject: k.Wallet, Namespace: k.Namespace, KeyID: k.ID}, nil
}

// ValidateKeyID returns the principal of the active key id. Errors:
// unauthorized for an unknown or revoked key.
func (s *Service) ValidateKeyID(ctx context.Context, id string) (_ auth.Principal, err error) {
	defer func() { countKeyValidation(err) }()
	st, err := s.state()
	if err != nil {
		return auth.Principal{}, err
	}
	if id == "" || len(id) > auth.MaxNameLen {
		return auth.Principal{}, sdk.Errorf(sdk.CodeUnauthorized, "invalid API key id")
	}
	k, err := st.st.APIKeyByID(ctx, id)
	if err != nil {
		return auth.Principal{}, err
	}
	if !k.Revoked.IsZero() {
		return auth.Principal{}, sdk.Errorf(sdk.CodeUnauthorized, "the API key this token was issued for is revoked")
	}
	return auth.Principal{Method: auth.MethodAPIKey, Subject: k.Wallet, Namespace: k.Namespace, KeyID: k.ID}, nil
}

// TokenForKey issues an access token for an active key. Its subject is
// the key's wallet, or "key:<id>" for an operator key; its claim
// api_key_id names the key, so verifiers refuse it once the key is
// revoked (the host checks through ValidateKeyID).
func (s *Service) TokenForKey(ctx context.Context, key string) (_ auth.Token, err error) {
	defer func() { countSignIn(signInKeyForToken, err) }()
	p, err := s.ValidateAPIKey(ctx, key)
	if err != nil {
		return auth.Token{}, err
	}
	st, err := s.state()
	if err != nil {
		return auth.Token{}, err
	}
	subject := p.Subject
	if subject == "" {
		subject = "key:" + p.KeyID
	}
	k, err := st.keys.signingKey(ctx, s.now())
	if err != nil {
		return auth.Token{}, err
	}
	tok, err := st.cfg.access().SignForKey(k, subject, p.Namespace, p.KeyID, s.now())
	if err != nil {
		return auth.Token{}, err
	}
	return auth.Token{AccessToken: tok, ExpiresIn: st.cfg.tokenTTL, Namespace: p.Namespace}, nil
}

// ListKeys lists namespace's keys, revoked ones included, without
// secrets.
func (s *Service) ListKeys(ctx context.Context, namespace string) ([]auth.APIKey, error) {
	st, err := s.state()
	if err != nil {
		return nil, err
	}
	if err := auth.CheckNamespace(namespace); err != nil {
		return nil, err
	}
	keys, err := st.st.ListAPIKeys(ctx, namespace)
	if err != nil {
		return nil, err
	}
	out := make([]auth.APIKey, len(keys))
	for i, k := range keys {
		out[i] = publicKey(k)
	}
	return out, nil
}

// RevokeKey revokes namespace's key id. Errors: not_found.
func (s *Service) RevokeKey(ctx context.Context, namespace, id string) error {
	st, err := s.state()
	if err != nil {
		return err
	}
	if err := auth.CheckNamespace(namespace); err != nil {
		return err
	}
	if err := auth.CheckText("id", id, auth.MaxNameLen, false); err != nil {
		return err
	}
	return st.st.RevokeAPIKey(ctx, namespace, id, s.now())
}
