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

// maxNonceLen bounds the nonce of a proof (ours are 43 characters).
const maxNonceLen = 128

// maxClientIPLen bounds the client address the host passes (an IPv6
// address with a zone is under 64 characters).
const maxClientIPLen = 64

// Challenge issues a nonce bound to wallet (any chain) and namespace.
// Errors: invalid for a malformed wallet, purpose, namespace or client
// address; rate_limited when the wallet or clientIP has too many
// outstanding challenges (Config.MaxChallengesPerWallet, PerIP).
func (s *Service) Challenge(ctx context.Context, w, purpose, namespace, clientIP string) (auth.Challenge, error) {
	st, err := s.state()
	if err != nil {
		return auth.Challenge{}, err
	}
	if err := checkWalletText(w); err != nil {
		return auth.Challenge{}, err
	}
	canon, err := wallet.CanonicalAny(w)
	if err != nil {
		return auth.Challenge{}, err
	}
	if err := auth.CheckText("purpose", purpose, auth.MaxPurposeLen, true); err != nil {
		return auth.Challenge{}, err
	}
	if err := auth.CheckNamespace(namespace); err != nil {
		return auth.Challenge{}, err
	}
	if err := auth.CheckText("client address", clientIP, maxClientIPLen, true); err != nil {
		return auth.Challenge{}, err
	}
	now := s.now()
	s.maybePurge(ctx, st, now)
	n := store.Nonce{Nonce: tokens.NewNonce(), Wallet: canon, Namespace: namespace, Purpose: purpose,
		ClientIP: clientIP, Created: now, Expires: now.Add(st.cfg.nonceTTL)}
	if err := st.st.PutNonce(ctx, n, st.cfg.nonceCaps()); err != nil {
		return auth.Challenge{}, err
	}
	return auth.Challenge{Wallet: canon, Namespace: namespace, Nonce: n.Nonce, Purpose: purpose, ExpiresAt: n.Expires}, nil
}

// Verify checks p, consumes its nonce, claims the namespace for the
// wallet if nobody owns it, and returns a session with a new API key.
func (s *Service) Verify(ctx context.Context, p auth.Proof) (_ auth.Session, err error) {
	defer func() { countSignIn(signInWallet, err) }()
	st, w, err := s.signIn(ctx, p)
	if err != nil {
		return auth.Session{}, err
	}
	now := s.now()
	key, err := s.newKey(ctx, st, p.Namespace, w, "free", "sign-in", now)
	if err != nil {
		return auth.Session{}, err
	}
	sess, err := s.newSession(ctx, st, w, p.Namespace, tokens.NewID("fam_"), now)
	if err != nil {
		return auth.Session{}, err
	}
	sess.APIKey = key.Key
	return sess, nil
}

// CreateAPIKey checks p like Verify and creates a key of plan ("free"
// when empty) for the wallet.
func (s *Service) CreateAPIKey(ctx context.Context, p auth.Proof, plan string) (_ auth.APIKey, err error) {
	defer func() { countSignIn(signInWalletKey, err) }()
	plan, err = planOrDefault(plan)
	if err != nil {
		return auth.APIKey{}, err
	}
	st, w, err := s.signIn(ctx, p)
	if err != nil {
		return auth.APIKey{}, err
	}
	return s.newKey(ctx, st, p.Namespace, w, plan, "api-key", s.now())
}

// Register checks p like Verify and registers an app named name in the
// namespace. Errors: conflict when the namespace has an app of that name.
func (s *Service) Register(ctx context.Context, p auth.Proof, name string) (auth.App, error) {
	if err := auth.CheckText("name", name, auth.MaxNameLen, false); err != nil {
		return auth.App{}, err
	}
	st, w, err := s.signIn(ctx, p)
	if err != nil {
		return auth.App{}, err
	}
	a := store.App{ClientID: tokens.NewID("app_"), Name: name, Namespace: p.Namespace, Wallet: w, Created: s.now()}
	if err := st.st.PutApp(ctx, a); err != nil {
		return auth.App{}, err
	}
	return auth.App{ClientID: a.ClientID, Name: a.Name, Namespace: a.Namespace, Wallet: a.Wallet}, nil
}

// SimpleKey creates a key for wallet without a signature, when the
// config allows it. Errors: forbidden otherwise.
func (s *Service) SimpleKey(ctx context.Context, w, namespace string) (_ auth.APIKey, err error) {
	defer func() { countSignIn(signInSimpleKey, err) }()
	st, err := s.state()
	if err != nil {
		return auth.APIKey{}, err
	}
	if !st.cfg.AllowSimpleKeys {
		return auth.APIKey{}, sdk.Errorf(sdk.CodeForbidden, "unsigned API keys are disabled (allow_simple_keys = false); sign a challenge instead")
	}
	if err := checkWalletText(w); err != nil {
		return auth.APIKey{}, err
	}
	canon, err := wallet.CanonicalAny(w)
	if err != nil {
		return auth.APIKey{}, err
	}
	if err := auth.CheckNamespace(namespace); err != nil {
		return auth.APIKey{}, err
	}
	now := s.now()
	if err := s.claim(ctx, st, namespace, canon, now); err != nil {
		return auth.APIKey{}, err
	}
	return s.newKey(ctx, st, namespace, canon, "free", "simple", now)
}

// signIn checks p: its fields, the signature over the nonce, then the
// nonce itself, consumed atomically; then the namespace's ownership. It
// returns the wallet in canonical form.
func (s *Service) signIn(ctx context.Context, p auth.Proof) (*state, string, error) {
	st, err := s.state()
	if err != nil {
		return nil, "", err
	}
	chain, err := auth.NormalizeChain(p.ChainType)
	if err != nil {
		return nil, "", err
	}
	if err := auth.CheckNamespace(p.Namespace); err != nil {
		return nil, "", err
	}
	if err := checkWalletText(p.Wallet); err != nil {
		return nil, "", err
	}
	w, err := wallet.Canonical(chain, p.Wallet)
	if err != nil {
		return nil, "", err
	}
	if err := auth.CheckText("nonce", p.Nonce, maxNonceLen, false); err != nil {
		return nil, "", sdk.Errorf(sdk.CodeUnauthorized, "invalid nonce")
	}
	if err := wallet.Verify(chain, w, p.Nonce, p.Signature); err != nil {
		return nil, "", err
	}
	now := s.now()
	if err := st.st.ConsumeNonce(ctx, p.Nonce, w, p.Namespace, now); err != nil {
		return nil, "", err
	}
	if err := s.claim(ctx, st, p.Namespace, w, now); err != nil {
		return nil, "", err
	}
	return st, w, nil
}

// claim lets w into namespace: as its owner when nobody owns it (the
// claim), or when w owns it or was added as a member. Errors: forbidden
// otherwise.
func (s *Service) claim(ctx context.Context, st *state, namespace, w string, now time.Time) error {
	owner, err := st.st.ClaimNamespace(ctx, namespace, w, now)
	if err != nil {
		return err
	}
	if owner == w {
		return nil
	}
	if _, member, err := st.st.MemberOf(ctx, namespace, w); err != nil || member {
		return err
	}
	return sdk.Errorf(sdk.CodeForbidden,
		"namespace %q belongs to someone else; an owner must add this wallet (POST /v1/auth/namespace/members, or orama namespace add-wallet)", namespace)
}

func checkWalletText(w string) error {
	return auth.CheckText("wallet", w, auth.MaxWalletLen, false)
}

func planOrDefault(plan string) (string, error) {
	if plan == "" {
		return "free", nil
	}
	return plan, auth.CheckText("plan", plan, auth.MaxNameLen, false)
}
