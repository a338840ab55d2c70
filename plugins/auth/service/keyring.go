package service

import (
	"context"
	"crypto/ed25519"
	"errors"
	"sort"
	"sync"
	"time"

	"github.com/orama-network/orama/plugins/auth/store"
	"github.com/orama-network/orama/plugins/auth/tokens"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/auth"
	"github.com/orama-network/orama/sdk/auth/jwtverify"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/seal"
)

// wrapPurpose binds the sealing of signing keys to that one use; it must
// never change, or the stored keys would no longer open.
const wrapPurpose = "orama auth: signing key wrapping v1"

// keyring holds the signing keys of the database, unsealed. Every node
// reads the same rows, so every node signs with the same key in a slot.
type keyring struct {
	st    *store.Store
	wrap  *seal.Wrapper
	sched tokens.Schedule

	mu      sync.Mutex
	keys    map[string]tokens.SigningKey // by kid: every key loaded so far
	current *tokens.SigningKey           // the key of the slot last signed in
}

func newKeyring(ctx context.Context, st *store.Store, c Config) (*keyring, error) {
	w, err := seal.NewWrapper(c.KeySecret, wrapPurpose)
	if err != nil {
		return nil, plugin.ConfigError{{Attribute: "key_secret", Message: err.Error()}}
	}
	return &keyring{st: st, wrap: w, sched: c.schedule(), keys: map[string]tokens.SigningKey{}}, nil
}

// signingKey returns the key of now's slot, making and storing it when
// no node has yet. Nodes racing to make it converge on the stored one.
func (k *keyring) signingKey(ctx context.Context, now time.Time) (tokens.SigningKey, error) {
	slot := k.sched.Slot(now)
	k.mu.Lock()
	defer k.mu.Unlock()
	if c := k.current; c != nil && c.Slot == slot && c.Every == k.sched.Every {
		return *c, nil
	}
	if key, ok, err := k.loadSlot(ctx, now, slot); err != nil || ok {
		return key, err
	}
	fresh, err := tokens.NewSigningKey(k.sched, slot, now)
	if err != nil {
		return tokens.SigningKey{}, err
	}
	salt, sealed, err := k.wrap.Wrap(fresh.Kid, fresh.Private.Seed())
	if err != nil {
		return tokens.SigningKey{}, err
	}
	if _, err := k.st.AddSigningKey(ctx, store.SigningKey{
		Kid: fresh.Kid, Alg: jwtverify.AlgEdDSA, Every: fresh.Every, Slot: slot, Public: fresh.Public(),
		Salt: salt, Sealed: sealed, Created: now, SignUntil: fresh.SignUntil,
	}); err != nil {
		return tokens.SigningKey{}, unavailable("store a signing key", err)
	}
	// Whether ours or another node's landed, the stored key is the one.
	key, ok, err := k.loadSlot(ctx, now, slot)
	if err == nil && !ok {
		err = sdk.Errorf(sdk.CodeInternal, "no signing key for slot %d after storing one", slot)
	}
	return key, err
}

// loadSlot reloads the keys and makes the one of slot current, if any.
// Callers hold k.mu.
func (k *keyring) loadSlot(ctx context.Context, now time.Time, slot int64) (tokens.SigningKey, bool, error) {
	if err := k.load(ctx, now); err != nil {
		return tokens.SigningKey{}, false, err
	}
	for _, key := range k.keys {
		if key.Slot == slot && key.Every == k.sched.Every {
			k.current = &key
			return key, true, nil
		}
	}
	return tokens.SigningKey{}, false, nil
}

// load reads the keys that may still verify a token and unseals those
// not seen before. Callers hold k.mu. Errors: a ConfigError naming
// key_secret when a key does not unseal.
func (k *keyring) load(ctx context.Context, now time.Time) error {
	rows, err := k.st.SigningKeys(ctx, now.Add(-k.sched.TokenTTL-k.sched.Skew))
	if err != nil {
		return unavailable("read the signing keys", err)
	}
	for _, r := range rows {
		if _, ok := k.keys[r.Kid]; ok {
			continue
		}
		seed, err := k.wrap.Unwrap(r.Kid, r.Salt, r.Sealed)
		if errors.Is(err, seal.ErrUnwrap) {
			return plugin.ConfigError{{Attribute: "key_secret", Message: "does not open the signing keys stored in the database: " +
				"every gateway node must use the key_secret the keys were made with"}}
		}
		if err != nil {
			return err
		}
		priv, err := tokens.KeyFromSeed(seed)
		if err != nil || !priv.Public().(ed25519.PublicKey).Equal(ed25519.PublicKey(r.Public)) {
			return sdk.Errorf(sdk.CodeInternal, "signing key %s is corrupt", r.Kid)
		}
		k.keys[r.Kid] = tokens.SigningKey{Kid: r.Kid, Private: priv, Every: r.Every, Slot: r.Slot, Created: r.Created, SignUntil: r.SignUntil}
	}
	return nil
}

// publicKeys lists every key that may still verify a token, newest first,
// reading the database so that keys other nodes made are included.
func (k *keyring) publicKeys(ctx context.Context, now time.Time) ([]auth.PublicKey, error) {
	cur, err := k.signingKey(ctx, now)
	if err != nil {
		return nil, err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if err := k.load(ctx, now); err != nil {
		return nil, err
	}
	var out []auth.PublicKey
	for kid, key := range k.keys {
		if now.After(k.sched.NotAfter(key.SignUntil)) {
			delete(k.keys, kid) // nothing it signed is alive
			continue
		}
		pk, err := key.PublicKey(k.sched, kid == cur.Kid)
		if err != nil {
			return nil, err
		}
		out = append(out, pk)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].NotAfter.After(out[j].NotAfter) })
	return out, nil
}
