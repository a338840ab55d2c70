package serverless

import (
	"context"
	"net/http"

	"github.com/orama-network/orama/host/internal/api"
	"github.com/orama-network/orama/sdk/serverless"
)

// The secrets of a namespace, read by its functions with get_secret. A
// value is set and deleted, never returned: GET /v1/secrets lists names.
// Names are checked by serverless.CheckSecretName; values are JSON
// strings of at most serverless.MaxSecretLen bytes.

type secretRequest struct {
	Value *string `json:"value"`
}

type secretResponse struct {
	Status string `json:"status"`
	Name   string `json:"name"`
}

type secretsResponse struct {
	Secrets []string `json:"secrets"`
	Count   int      `json:"count"`
}

func secretName(r *http.Request) (string, error) {
	name := api.Param(r.Context(), "name")
	if err := serverless.CheckSecretName(name); err != nil {
		return "", err
	}
	return name, nil
}

// SetSecret is PUT /v1/secrets/:name {"value":"…"}: sets or replaces a
// secret of the caller's namespace.
func (h *Handlers) SetSecret(w http.ResponseWriter, r *http.Request) error {
	ns, err := api.Namespace(r.Context())
	if err != nil {
		return err
	}
	name, err := secretName(r)
	if err != nil {
		return err
	}
	var req secretRequest
	if err := api.DecodeJSON(r, &req); err != nil {
		return err
	}
	if req.Value == nil {
		return api.Invalidf("value is required")
	}
	if err := h.Do(r, func(ctx context.Context, s serverless.Serverless) error {
		return s.SetSecret(ctx, ns, name, []byte(*req.Value))
	}); err != nil {
		return err
	}
	return api.WriteJSON(w, http.StatusOK, secretResponse{Status: "ok", Name: name})
}

// DeleteSecret is DELETE /v1/secrets/:name.
func (h *Handlers) DeleteSecret(w http.ResponseWriter, r *http.Request) error {
	ns, err := api.Namespace(r.Context())
	if err != nil {
		return err
	}
	name, err := secretName(r)
	if err != nil {
		return err
	}
	if err := h.Do(r, func(ctx context.Context, s serverless.Serverless) error {
		return s.DeleteSecret(ctx, ns, name)
	}); err != nil {
		return err
	}
	return api.WriteJSON(w, http.StatusOK, secretResponse{Status: "ok", Name: name})
}

// Secrets is GET /v1/secrets: the names of the caller's secrets, sorted.
func (h *Handlers) Secrets(w http.ResponseWriter, r *http.Request) error {
	ns, err := api.Namespace(r.Context())
	if err != nil {
		return err
	}
	var names []string
	if err := h.Do(r, func(ctx context.Context, s serverless.Serverless) (err error) {
		names, err = s.Secrets(ctx, ns)
		return err
	}); err != nil {
		return err
	}
	if names == nil {
		names = []string{}
	}
	return api.WriteJSON(w, http.StatusOK, secretsResponse{Secrets: names, Count: len(names)})
}
