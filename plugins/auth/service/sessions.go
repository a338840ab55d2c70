package service

import (
	"context"
	"time"

	"github.com/orama-network/orama/plugins/auth/store"
	"github.com/orama-network/orama/plugins/auth/tokens"
	"github.com/orama-network/orama/plugins/auth/wallet"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/auth"
)

// maxTokenLen bounds a presented refresh token (ours are 43 characters).
const maxTokenLen = 256

// accessToken signs an access token with the key of now's slot.
func (s *Service) accessToken(ctx context.Context, st *state, subject, namespace string, now time.Time) (string, error) {
	k, err := st.keys.signingKey(ctx, now)
	if err != nil {
		return "", err
	}
	return st.cfg.access().Sign(k, subject, namespace, now)
}

// newSession issues an access token and a refresh token of family.
func (s *Service) newSession(ctx context.Context, st *state, subject, namespace, family string, now time.Time) (auth.Session, error) {
	access, err := s.accessToken(ctx, st, subject, namespace, now)
	if err != nil {
		return auth.Session{}, err
	}
	rt, hash := tokens.NewRefreshToken()
	if err := st.st.PutRefresh(ctx, store.Refresh{Hash: hash, Family: family, Subject: subject, Namespace: namespace,
		Created: now, Expires: now.Add(st.cfg.refreshTTL)}); err != nil {
		return auth.Session{}, err
	}
	return auth.Session{AccessToken: access, ExpiresIn: st.cfg.tokenTTL, RefreshToken: rt, Subject: subject, Namespace: namespace}, nil
}

// Refresh rotates a refresh token: it marks it used and returns a new
// session of the same family. A token that was used already is a stolen
// copy or a replay: the whole family is revoked.
func (s *Service) Refresh(ctx context.Context, refreshToken, namespace string) (_ auth.Session, err error) {
	defer func() { countSignIn(signInRefresh, err) }()
	st, err := s.state()
	if err != nil {
		return auth.Session{}, err
	}
	if err := auth.CheckNamespace(namespace); err != nil {
		return auth.Session{}, err
	}
	if refreshToken == "" || len(refreshToken) > maxTokenLen {
		return auth.Session{}, sdk.Errorf(sdk.CodeUnauthorized, "invalid refresh token")
	}
	r, err := st.st.RefreshByHash(ctx, tokens.Hash(refreshToken))
	if err != nil {
		return auth.Session{}, err
	}
	now := s.now()
	switch {
	case r.Namespace != namespace:
		return auth.Session{}, sdk.Errorf(sdk.CodeUnauthorized, "invalid refresh token")
	case !r.Revoked.IsZero():
		return auth.Session{}, sdk.Errorf(sdk.CodeUnauthorized, "refresh token revoked")
	case !r.Used.IsZero():
		return auth.Session{}, s.reuse(ctx, st, r, now)
	case !now.Before(r.Expires):
		return auth.Session{}, sdk.Errorf(sdk.CodeUnauthorized, "refresh token expired")
	}
	marked, err := st.st.MarkRefreshUsed(ctx, r.Hash, now)
	if err != nil {
		return auth.Session{}, err
	}
	if !marked { // a concurrent refresh with the same token won
		return auth.Session{}, s.reuse(ctx, st, r, now)
	}
	return s.newSession(ctx, st, r.Subject, r.Namespace, r.Family, now)
}

// reuse revokes r's family and returns the error for its presenter.
func (s *Service) reuse(ctx context.Context, st *state, r store.Refresh, now time.Time) error {
	s.log.Warn("refresh token reused: revoking its family", "namespace", r.Namespace, "subject", r.Subject, "family", r.Family)
	if err := st.st.RevokeFamily(ctx, r.Family, now); err != nil {
		return err
	}
	return sdk.Errorf(sdk.CodeUnauthorized, "refresh token already used; the session is revoked, sign in again")
}

// Logout revokes the session (family) of refreshToken, or with all every
// refresh token of subject in namespace. Errors: invalid without the
// token (or the subject, with all); unauthorized for an unknown token.
func (s *Service) Logout(ctx context.Context, refreshToken, namespace string, all bool, subject string) error {
	st, err := s.state()
	if err != nil {
		return err
	}
	if err := auth.CheckNamespace(namespace); err != nil {
		return err
	}
	now := s.now()
	if all {
		if err := auth.CheckText("subject", subject, auth.MaxWalletLen, false); err != nil {
			return err
		}
		if canon, err := wallet.CanonicalAny(subject); err == nil {
			subject = canon // "key:<id>" subjects stay as they are
		}
		return st.st.RevokeSubject(ctx, namespace, subject, now)
	}
	if refreshToken == "" {
		return sdk.Errorf(sdk.CodeInvalid, "refresh_token is required (or all with a subject)")
	}
	if len(refreshToken) > maxTokenLen {
		return sdk.Errorf(sdk.CodeUnauthorized, "invalid refresh token")
	}
	r, err := st.st.RefreshByHash(ctx, tokens.Hash(refreshToken))
	if err != nil {
		return err
	}
	if r.Namespace != namespace {
		return sdk.Errorf(sdk.CodeUnauthorized, "invalid refresh token")
	}
	return st.st.RevokeFamily(ctx, r.Family, now)
}

// Keys lists every public key that may still verify a live token.
func (s *Service) Keys(ctx context.Context) ([]auth.PublicKey, error) {
	st, err := s.state()
	if err != nil {
		return nil, err
	}
	return st.keys.publicKeys(ctx, s.now())
}
