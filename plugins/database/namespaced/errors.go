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
	var we *driver.WaitError
	waited := errors.As(err, &we)
	if ctx.Err() != nil && !busy(err) {
		note := ""
		if write && !waited {
			note = "; the change may or may not have been applied"
		}
		switch {
		case errors.Is(context.Cause(ctx), errStatementTimeout) && waited:
			return sdk.Errorf(sdk.CodeUnavailable, "the database is busy: no connection came free within statement_timeout (%s); retry later", s.cfg.statementTimeout)
		case errors.Is(context.Cause(ctx), errStatementTimeout):
			return s.tooSlow(note)
		}
		return sdk.Errorf(sdk.CodeUnavailable, "the call was cancelled: %v%s", ctx.Err(), note)
	}
	var se *driver.StmtError
	if errors.As(err, &se) && rqliteTimeout(se.Message) {
		// rqlite stopped a read at its db_timeout, which is what was left
		// of statement_timeout.
		return s.tooSlow("")
	}
	if errors.As(err, &se) {
		msg := nsql.CleanMessage(ns, se.Message)
		if se.Code == sdk.CodeTooLarge && s.cfg.Driver == DriverSQLite {
			msg += fmt.Sprintf(" (no string, blob or row may be longer than %d bytes: max_result_bytes)", s.maxLength())
		}
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

// tooSlow is the error of a statement that statement_timeout stopped. It
// is invalid (400), not unavailable: the statement itself is too costly,
// and sending it again would fail again (the code table has no 504).
func (s *state) tooSlow(note string) error {
	return sdk.Errorf(sdk.CodeInvalid,
		"the statement ran longer than statement_timeout (%s) and was stopped%s; make it cheaper (an index, a LIMIT, fewer joins) or split it",
		s.cfg.statementTimeout, note)
}

// busy reports whether the engine said the database was locked or busy:
// that outcome is kept even when statement_timeout ended the call at the
// same moment.
func busy(err error) bool {
	var se *driver.StmtError
	if !errors.As(err, &se) || se.Code != sdk.CodeUnavailable {
		return false
	}
	m := strings.ToLower(se.Message)
	return strings.Contains(m, "locked") || strings.Contains(m, "busy")
}

// rqliteTimeout reports whether rqlite stopped a statement at its
// db_timeout ("query timeout"; writes carry no db_timeout).
func rqliteTimeout(msg string) bool {
	return msg == "query timeout" || msg == "execute timeout"
}
