package plugintest

import (
	"errors"
	"testing"

	"github.com/orama-network/orama/sdk"
)

// Code returns err's code, or "" when err is not an *sdk.Error.
func Code(err error) sdk.Code {
	var e *sdk.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// SDKError returns err as an *sdk.Error, or stops the test when it is not
// one (nil included).
func SDKError(t testing.TB, err error) *sdk.Error {
	t.Helper()
	var e *sdk.Error
	if !errors.As(err, &e) {
		t.Fatalf("got %T (%v), want *sdk.Error", err, err)
	}
	return e
}

// WantCode reports an error, naming the call what, unless err is an
// *sdk.Error whose code is one of codes. It returns err as an *sdk.Error
// (whatever its code, so the caller can check the message too), or nil
// when err is none.
func WantCode(t testing.TB, err error, what string, codes ...sdk.Code) *sdk.Error {
	t.Helper()
	var want any = codes
	if len(codes) == 1 {
		want = codes[0]
	}
	if err == nil {
		t.Errorf("%s: got no error, want %v", what, want)
		return nil
	}
	var e *sdk.Error
	if !errors.As(err, &e) {
		t.Errorf("%s: got %T %v, want *sdk.Error with code %v", what, err, err, want)
		return nil
	}
	for _, c := range codes {
		if e.Code == c {
			return e
		}
	}
	t.Errorf("%s: got code %s (%q), want %v", what, e.Code, e.Message, want)
	return e
}

// Codes returns every sdk.Code, for tests that check each one crosses a
// connection intact.
func Codes() []sdk.Code {
	return []sdk.Code{sdk.CodeInvalid, sdk.CodeUnauthorized, sdk.CodeForbidden, sdk.CodeNotFound,
		sdk.CodeConflict, sdk.CodeTooLarge, sdk.CodeRateLimited, sdk.CodeUnavailable, sdk.CodeInternal}
}
