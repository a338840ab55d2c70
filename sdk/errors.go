package sdk

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Code classifies an error. The set is small on purpose: every code has one
// gRPC code and one HTTP status (see the table below).
type Code string

// The error codes of API.md.
const (
	CodeInvalid      Code = "invalid"
	CodeUnauthorized Code = "unauthorized"
	CodeForbidden    Code = "forbidden"
	CodeNotFound     Code = "not_found"
	CodeConflict     Code = "conflict"
	CodeTooLarge     Code = "too_large"
	CodeRateLimited  Code = "rate_limited"
	CodeUnavailable  Code = "unavailable"
	CodeInternal     Code = "internal"
)

// Error is the error type of Orama. Message is safe to show to a client.
type Error struct {
	Code    Code
	Message string
}

func (e *Error) Error() string { return string(e.Code) + ": " + e.Message }

// Errorf returns an *Error with a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

type mapping struct {
	grpc codes.Code
	http int
}

// table is the one code → gRPC → HTTP table. It is a bijection on the
// codes it lists, so an error survives a round trip through gRPC.
var table = map[Code]mapping{
	CodeInvalid:      {codes.InvalidArgument, http.StatusBadRequest},
	CodeUnauthorized: {codes.Unauthenticated, http.StatusUnauthorized},
	CodeForbidden:    {codes.PermissionDenied, http.StatusForbidden},
	CodeNotFound:     {codes.NotFound, http.StatusNotFound},
	CodeConflict:     {codes.AlreadyExists, http.StatusConflict},
	CodeTooLarge:     {codes.OutOfRange, http.StatusRequestEntityTooLarge},
	CodeRateLimited:  {codes.ResourceExhausted, http.StatusTooManyRequests},
	CodeUnavailable:  {codes.Unavailable, http.StatusServiceUnavailable},
	CodeInternal:     {codes.Internal, http.StatusInternalServerError},
}

// HTTPStatus returns the HTTP status of a code (500 for an unknown code).
func (c Code) HTTPStatus() int {
	if m, ok := table[c]; ok {
		return m.http
	}
	return http.StatusInternalServerError
}

// GRPCCode returns the gRPC code of a code (Internal for an unknown code).
func (c Code) GRPCCode() codes.Code {
	if m, ok := table[c]; ok {
		return m.grpc
	}
	return codes.Internal
}

// CodeFromGRPC maps a gRPC code back to an Orama code. Codes outside the
// table become internal, except deadline and cancellation, which mean the
// backend could not answer in time: unavailable.
func CodeFromGRPC(c codes.Code) Code {
	for code, m := range table {
		if m.grpc == c {
			return code
		}
	}
	switch c {
	case codes.DeadlineExceeded, codes.Canceled, codes.Aborted:
		return CodeUnavailable
	}
	return CodeInternal
}

// AsError returns err as an *Error. Context errors become unavailable;
// anything else that is not an *Error becomes internal, keeping its text
// for the log (handlers show "internal error" to clients).
func AsError(err error) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return &Error{Code: CodeUnavailable, Message: err.Error()}
	}
	return &Error{Code: CodeInternal, Message: err.Error()}
}

// ToGRPC converts err to a gRPC status error, for server adapters.
func ToGRPC(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := status.FromError(err); ok {
		return err
	}
	e := AsError(err)
	return status.Error(e.Code.GRPCCode(), e.Message)
}

// FromGRPC converts a gRPC status error back to an *Error, for client
// adapters. A transport failure (the plugin died) is unavailable.
func FromGRPC(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return &Error{Code: CodeUnavailable, Message: err.Error()}
	}
	st, ok := status.FromError(err)
	if !ok {
		return AsError(err)
	}
	return &Error{Code: CodeFromGRPC(st.Code()), Message: st.Message()}
}
