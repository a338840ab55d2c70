package auth

import (
	"time"

	authv1 "github.com/orama-network/orama/sdk/gen/orama/auth/v1"
)

// Conversions between the contract's types and their wire form. Times
// travel as Unix milliseconds (0: the zero time), durations as
// milliseconds.

func msFromTime(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func timeFromMS(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms)
}

func msFromDuration(d time.Duration) int64 { return d.Milliseconds() }

func durationFromMS(ms int64) time.Duration { return time.Duration(ms) * time.Millisecond }

func challengeToProto(c Challenge) *authv1.Challenge {
	return &authv1.Challenge{Wallet: c.Wallet, Namespace: c.Namespace, Nonce: c.Nonce, Purpose: c.Purpose, ExpiresAtUnixMs: msFromTime(c.ExpiresAt)}
}

func challengeFromProto(p *authv1.Challenge) Challenge {
	return Challenge{Wallet: p.GetWallet(), Namespace: p.GetNamespace(), Nonce: p.GetNonce(), Purpose: p.GetPurpose(), ExpiresAt: timeFromMS(p.GetExpiresAtUnixMs())}
}

func proofToProto(p Proof) *authv1.Proof {
	return &authv1.Proof{Wallet: p.Wallet, Nonce: p.Nonce, Signature: p.Signature, Namespace: p.Namespace, ChainType: p.ChainType}
}

func proofFromProto(p *authv1.Proof) Proof {
	return Proof{Wallet: p.GetWallet(), Nonce: p.GetNonce(), Signature: p.GetSignature(), Namespace: p.GetNamespace(), ChainType: p.GetChainType()}
}

func sessionToProto(s Session) *authv1.Session {
	return &authv1.Session{AccessToken: s.AccessToken, ExpiresInMs: msFromDuration(s.ExpiresIn), RefreshToken: s.RefreshToken,
		Subject: s.Subject, Namespace: s.Namespace, ApiKey: s.APIKey}
}

func sessionFromProto(p *authv1.Session) Session {
	return Session{AccessToken: p.GetAccessToken(), ExpiresIn: durationFromMS(p.GetExpiresInMs()), RefreshToken: p.GetRefreshToken(),
		Subject: p.GetSubject(), Namespace: p.GetNamespace(), APIKey: p.GetApiKey()}
}

func tokenToProto(t Token) *authv1.Token {
	return &authv1.Token{AccessToken: t.AccessToken, ExpiresInMs: msFromDuration(t.ExpiresIn), Namespace: t.Namespace}
}

func tokenFromProto(p *authv1.Token) Token {
	return Token{AccessToken: p.GetAccessToken(), ExpiresIn: durationFromMS(p.GetExpiresInMs()), Namespace: p.GetNamespace()}
}

func apiKeyToProto(k APIKey) *authv1.APIKey {
	return &authv1.APIKey{Id: k.ID, Key: k.Key, Namespace: k.Namespace, Plan: k.Plan, Wallet: k.Wallet, Name: k.Name,
		CreatedUnixMs: msFromTime(k.Created), Revoked: k.Revoked}
}

func apiKeyFromProto(p *authv1.APIKey) APIKey {
	return APIKey{ID: p.GetId(), Key: p.GetKey(), Namespace: p.GetNamespace(), Plan: p.GetPlan(), Wallet: p.GetWallet(), Name: p.GetName(),
		Created: timeFromMS(p.GetCreatedUnixMs()), Revoked: p.GetRevoked()}
}

func appToProto(a App) *authv1.App {
	return &authv1.App{ClientId: a.ClientID, Name: a.Name, Namespace: a.Namespace, Wallet: a.Wallet}
}

func appFromProto(p *authv1.App) App {
	return App{ClientID: p.GetClientId(), Name: p.GetName(), Namespace: p.GetNamespace(), Wallet: p.GetWallet()}
}

func principalToProto(p Principal) *authv1.Principal {
	return &authv1.Principal{Method: p.Method, Subject: p.Subject, Namespace: p.Namespace, KeyId: p.KeyID}
}

func principalFromProto(p *authv1.Principal) Principal {
	return Principal{Method: p.GetMethod(), Subject: p.GetSubject(), Namespace: p.GetNamespace(), KeyID: p.GetKeyId()}
}

func publicKeyToProto(k PublicKey) *authv1.PublicKey {
	return &authv1.PublicKey{Kid: k.Kid, Alg: k.Alg, Jwk: k.JWK, NotAfterUnixMs: msFromTime(k.NotAfter), Signing: k.Signing}
}

func publicKeyFromProto(p *authv1.PublicKey) PublicKey {
	return PublicKey{Kid: p.GetKid(), Alg: p.GetAlg(), JWK: p.GetJwk(), NotAfter: timeFromMS(p.GetNotAfterUnixMs()), Signing: p.GetSigning()}
}

func memberToProto(m Member) *authv1.Member {
	return &authv1.Member{Wallet: m.Wallet, Role: m.Role, AddedBy: m.AddedBy, AddedUnixMs: msFromTime(m.Added)}
}

func memberFromProto(p *authv1.Member) Member {
	return Member{Wallet: p.GetWallet(), Role: p.GetRole(), AddedBy: p.GetAddedBy(), Added: timeFromMS(p.GetAddedUnixMs())}
}

func membershipToProto(m Membership) *authv1.Membership {
	out := &authv1.Membership{Namespace: m.Namespace, Owner: m.Owner, OperatorOwned: m.OperatorOwned,
		CreatedUnixMs: msFromTime(m.Created), Members: make([]*authv1.Member, len(m.Members))}
	for i, x := range m.Members {
		out.Members[i] = memberToProto(x)
	}
	return out
}

func membershipFromProto(p *authv1.Membership) Membership {
	out := Membership{Namespace: p.GetNamespace(), Owner: p.GetOwner(), OperatorOwned: p.GetOperatorOwned(),
		Created: timeFromMS(p.GetCreatedUnixMs()), Members: make([]Member, len(p.GetMembers()))}
	for i, x := range p.GetMembers() {
		out.Members[i] = memberFromProto(x)
	}
	return out
}
