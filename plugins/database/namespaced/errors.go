package namespaced

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/orama-network/orama/plugins/database/driver"
	"github.com/orama-network/orama/plugins/database/nsql"
	"github.com/orama-network/orama/sdk"
)

// mapError turns what an engine returned into an *sdk.Error whose message
// names the namespace's tables, never the physical ones. ctx is the call's
// context (see callCtx); write tells whether the call may change the
// database, whose outcome a timeout leaves unknown.
func (s *state) mapError(ctx context.Context, ns string, write bool, err error) error {
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		note := ""
		if write {
			note = "; the change may or may not have been applied"
		}
		if errors.Is(context.Cause(ctx), errStatementTimeout) {
			return sdk.Errorf(sdk.CodeUnavailable, "the statement did not finish within statement_timeout (%s)%s", s.cfg.statementTimeout, note)
		}
		return sdk.Errorf(sdk.CodeUnavailable, "the call was cancelled: %v%s", ctx.Err(), note)
	}
	var se *driver.StmtError
	if errors.As(err, &se) {
		msg := nsql.CleanMessage(ns, se.Message)
		if se.Op >= 0 {
			msg = fmt.Sprintf("ops[%d]: %s", se.Op, msg)
		}
		return &sdk.Error{Code: se.Code, Message: msg}
	}
	var e *sdk.Error
	if errors.As(err, &e) {
		return &sdk.Error{Code: e.Code, Message: nsql.CleanMessage(ns, e.Message)}
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return sdk.Errorf(sdk.CodeUnavailable, "%v", err)
	}
	return sdk.Errorf(sdk.CodeInternal, "%s", nsql.CleanMessage(ns, err.Error()))
}

// notFound turns "no such table" into not_found (DropTable).
func notFound(err error) error {
	var e *sdk.Error
	if errors.As(err, &e) && e.Code == sdk.CodeInvalid && strings.Contains(e.Message, "no such table") {
		return &sdk.Error{Code: sdk.CodeNotFound, Message: e.Message}
	}
	return err
}
