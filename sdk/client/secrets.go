package client

import (
	"context"
	"net/http"
	"net/url"
	"unicode/utf8"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/serverless"
)

// SetSecret sets (or replaces) a secret of the key's namespace, read by
// its functions with get_secret. The value must be UTF-8 (it travels as a
// JSON string). Errors: invalid, too_large.
func (s *Serverless) SetSecret(ctx context.Context, name, value string) error {
	if err := serverless.CheckSecretName(name); err != nil {
		return err
	}
	if !utf8.ValidString(value) {
		return sdk.Errorf(sdk.CodeInvalid, "a secret's value must be UTF-8")
	}
	return s.c.do(ctx, http.MethodPut, "/v1/secrets/"+url.PathEscape(name), map[string]string{"value": value}, nil)
}

// DeleteSecret removes a secret. Errors: invalid, not_found.
func (s *Serverless) DeleteSecret(ctx context.Context, name string) error {
	if err := serverless.CheckSecretName(name); err != nil {
		return err
	}
	return s.c.do(ctx, http.MethodDelete, "/v1/secrets/"+url.PathEscape(name), nil, nil)
}

// Secrets lists the names of the namespace's secrets, sorted; values are
// never returned.
func (s *Serverless) Secrets(ctx context.Context) ([]string, error) {
	var resp struct {
		Secrets []string `json:"secrets"`
	}
	err := s.c.do(ctx, http.MethodGet, "/v1/secrets", nil, &resp)
	return resp.Secrets, err
}
