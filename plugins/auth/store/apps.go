package store

import (
	"context"
	"errors"
	"time"

	"github.com/orama-network/orama/sdk"
)

// App is a registered application.
type App struct {
	ClientID, Name, Namespace, Wallet string
	Created                           time.Time
}

// PutApp stores a new app. Errors: conflict when namespace has an app of
// that name.
func (s *Store) PutApp(ctx context.Context, a App) error {
	_, err := s.exec(ctx, `INSERT INTO auth_apps (client_id, name, namespace, wallet, created_at) VALUES (?, ?, ?, ?, ?)`,
		a.ClientID, a.Name, a.Namespace, a.Wallet, ms(a.Created))
	var e *sdk.Error
	if errors.As(err, &e) && e.Code == sdk.CodeConflict {
		return sdk.Errorf(sdk.CodeConflict, "namespace %q already has an app named %q", a.Namespace, a.Name)
	}
	return err
}
