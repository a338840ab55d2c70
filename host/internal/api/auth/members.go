package auth

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/orama-network/orama/host/internal/api"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/auth"
)

// The namespace membership routes: an owner of the request's namespace
// lets other wallets in, lists them and takes them out again.
//
//	GET    /v1/auth/namespace/members          the owner and members
//	POST   /v1/auth/namespace/members          {wallet, role?} add (or change the role)
//	DELETE /v1/auth/namespace/members/:wallet  remove; its keys and refresh tokens are revoked
//
// The credential must be a wallet's: its JWT or one of its API keys; the
// wallet must own the namespace (or be a member with role owner), else
// 403. Operator keys name no wallet and are refused: operators use
// `orama namespace`.

type memberRequest struct {
	Wallet    string `json:"wallet"`
	Role      string `json:"role"`
	Namespace string `json:"namespace"` // optional; must be the credential's
}

type memberView struct {
	Wallet  string    `json:"wallet"`
	Role    string    `json:"role"`
	AddedBy string    `json:"added_by"` // "" when an operator added it
	AddedAt time.Time `json:"added_at"`
}

type memberResponse struct {
	Namespace string `json:"namespace"`
	memberView
}

type membersResponse struct {
	Namespace     string       `json:"namespace"`
	Owner         string       `json:"owner"` // "" when an operator created the namespace
	OperatorOwned bool         `json:"operator_owned"`
	CreatedAt     time.Time    `json:"created_at"`
	Members       []memberView `json:"members"`
	Count         int          `json:"count"`
}

type memberRemovedResponse struct {
	Status    string `json:"status"`
	Namespace string `json:"namespace"`
	Wallet    string `json:"wallet"`
}

func viewOfMember(m auth.Member) memberView {
	return memberView{Wallet: m.Wallet, Role: m.Role, AddedBy: m.AddedBy, AddedAt: m.Added.UTC()}
}

// memberActor returns the wallet acting and the namespace it acts in.
// Errors: unauthorized without a credential; forbidden for a credential
// that names no wallet (operator keys, tokens minted from them).
func memberActor(ctx context.Context) (actor, namespace string, err error) {
	p, ok := api.Principal(ctx)
	if !ok {
		return "", "", sdk.Errorf(sdk.CodeUnauthorized, "a wallet's JWT or API key is required")
	}
	if p.Subject == "" || strings.HasPrefix(p.Subject, "key:") {
		return "", "", sdk.Errorf(sdk.CodeForbidden,
			"this credential belongs to no wallet; sign in with the owning wallet, or use `orama namespace` as an operator")
	}
	ns, err := api.Namespace(ctx)
	if err != nil {
		return "", "", err
	}
	return p.Subject, ns, nil
}

// ListMembers is GET /v1/auth/namespace/members: the namespace's owner
// and members.
func (h *Handlers) ListMembers(w http.ResponseWriter, r *http.Request) error {
	actor, ns, err := memberActor(r.Context())
	if err != nil {
		return err
	}
	return h.Do(r, func(ctx context.Context, a auth.Auth) error {
		m, err := a.Members(ctx, actor, ns)
		if err != nil {
			return err
		}
		resp := membersResponse{Namespace: m.Namespace, Owner: m.Owner, OperatorOwned: m.OperatorOwned,
			CreatedAt: m.Created.UTC(), Members: make([]memberView, len(m.Members)), Count: len(m.Members)}
		for i, x := range m.Members {
			resp.Members[i] = viewOfMember(x)
		}
		return api.WriteJSON(w, http.StatusOK, resp)
	})
}

// AddMember is POST /v1/auth/namespace/members: adds a wallet (or changes
// its role).
func (h *Handlers) AddMember(w http.ResponseWriter, r *http.Request) error {
	actor, ns, err := memberActor(r.Context())
	if err != nil {
		return err
	}
	var req memberRequest
	if _, err := decode(r, &req, &req.Namespace, required{"wallet", &req.Wallet}); err != nil {
		return err
	}
	return h.Do(r, func(ctx context.Context, a auth.Auth) error {
		m, err := a.AddMember(ctx, actor, ns, req.Wallet, req.Role)
		if err != nil {
			return err
		}
		return api.WriteJSON(w, http.StatusOK, memberResponse{Namespace: ns, memberView: viewOfMember(m)})
	})
}

// RemoveMember is DELETE /v1/auth/namespace/members/:wallet: removes a
// wallet.
func (h *Handlers) RemoveMember(w http.ResponseWriter, r *http.Request) error {
	actor, ns, err := memberActor(r.Context())
	if err != nil {
		return err
	}
	wallet := api.Param(r.Context(), "wallet")
	if wallet == "" {
		return api.Invalidf("the wallet to remove is required: DELETE /v1/auth/namespace/members/<wallet>")
	}
	return h.Do(r, func(ctx context.Context, a auth.Auth) error {
		if err := a.RemoveMember(ctx, actor, ns, wallet); err != nil {
			return err
		}
		// The removed wallet's keys are revoked in the plugin; cached
		// validations of them end within key_cache_ttl.
		return api.WriteJSON(w, http.StatusOK, memberRemovedResponse{Status: "ok", Namespace: ns, Wallet: wallet})
	})
}
