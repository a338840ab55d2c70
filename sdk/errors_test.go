package sdk

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func TestCodeRoundTripThroughGRPC(t *testing.T) {
	for code := range table {
		in := &Error{Code: code, Message: "boom " + string(code)}
		out := FromGRPC(ToGRPC(in))
		var got *Error
		if !errors.As(out, &got) {
			t.Fatalf("%s: got %T", code, out)
		}
		if got.Code != code || got.Message != in.Message {
			t.Errorf("%s: round trip gave %+v", code, got)
		}
	}
}

func TestHTTPStatus(t *testing.T) {
	cases := map[Code]int{
		CodeInvalid: 400, CodeUnauthorized: 401, CodeForbidden: 403, CodeNotFound: 404,
		CodeConflict: 409, CodeTooLarge: 413, CodeRateLimited: 429, CodeUnavailable: 503,
		CodeInternal: 500, Code("bogus"): 500,
	}
	for code, want := range cases {
		if got := code.HTTPStatus(); got != want {
			t.Errorf("%s: status %d, want %d", code, got, want)
		}
	}
}

func TestFromGRPCTransportAndContextErrors(t *testing.T) {
	if e := AsError(FromGRPC(status.Error(codes.DeadlineExceeded, "slow"))); e.Code != CodeUnavailable {
		t.Errorf("deadline: %v", e)
	}
	if e := AsError(FromGRPC(context.Canceled)); e.Code != CodeUnavailable {
		t.Errorf("canceled: %v", e)
	}
	if e := AsError(errors.New("x")); e.Code != CodeInternal || e.Code.HTTPStatus() != http.StatusInternalServerError {
		t.Errorf("plain: %v", e)
	}
}
