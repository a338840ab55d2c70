package serverless

import (
	"strings"
	"time"

	serverlessv1 "github.com/orama-network/orama/sdk/gen/orama/serverless/v1"
)

// Times cross the wire as Unix milliseconds (0 for the zero time),
// durations as microseconds. Strings a function produced (its error,
// its log lines) are made valid UTF-8 before they cross, since proto3
// strings must be.

func msFromTime(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func timeFromMs(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms)
}

func validUTF8(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }

func emptyNil(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	return m
}

func definitionToProto(d Definition) *serverlessv1.Definition {
	return &serverlessv1.Definition{
		Name: d.Name, Namespace: d.Namespace, IsPublic: d.IsPublic,
		MemoryLimitMb: clampInt32(d.MemoryLimitMB), TimeoutSeconds: clampInt32(d.TimeoutSeconds),
		RetryCount: clampInt32(d.RetryCount), RetryDelaySeconds: clampInt32(d.RetryDelaySeconds),
		EnvVars: d.EnvVars,
	}
}

func definitionFromProto(pd *serverlessv1.Definition) Definition {
	return Definition{
		Name: pd.GetName(), Namespace: pd.GetNamespace(), IsPublic: pd.GetIsPublic(),
		MemoryLimitMB: int(pd.GetMemoryLimitMb()), TimeoutSeconds: int(pd.GetTimeoutSeconds()),
		RetryCount: int(pd.GetRetryCount()), RetryDelaySeconds: int(pd.GetRetryDelaySeconds()),
		EnvVars: emptyNil(pd.GetEnvVars()),
	}
}

func functionToProto(f Function) *serverlessv1.Function {
	return &serverlessv1.Function{
		Id: f.ID, Name: f.Name, Namespace: f.Namespace, Version: clampInt32(f.Version), WasmCid: f.WASMCID,
		IsPublic: f.IsPublic, MemoryLimitMb: clampInt32(f.MemoryLimitMB), TimeoutSeconds: clampInt32(f.TimeoutSeconds),
		RetryCount: clampInt32(f.RetryCount), RetryDelaySeconds: clampInt32(f.RetryDelaySeconds),
		EnvVars: f.EnvVars, Status: f.Status,
		CreatedAtUnixMs: msFromTime(f.CreatedAt), UpdatedAtUnixMs: msFromTime(f.UpdatedAt),
	}
}

func functionFromProto(pf *serverlessv1.Function) Function {
	return Function{
		ID: pf.GetId(), Name: pf.GetName(), Namespace: pf.GetNamespace(), Version: int(pf.GetVersion()),
		WASMCID: pf.GetWasmCid(), IsPublic: pf.GetIsPublic(), MemoryLimitMB: int(pf.GetMemoryLimitMb()),
		TimeoutSeconds: int(pf.GetTimeoutSeconds()), RetryCount: int(pf.GetRetryCount()),
		RetryDelaySeconds: int(pf.GetRetryDelaySeconds()), EnvVars: emptyNil(pf.GetEnvVars()),
		Status: pf.GetStatus(), CreatedAt: timeFromMs(pf.GetCreatedAtUnixMs()),
		UpdatedAt: timeFromMs(pf.GetUpdatedAtUnixMs()),
	}
}

func functionsToProto(fs []Function) []*serverlessv1.Function {
	out := make([]*serverlessv1.Function, len(fs))
	for i, f := range fs {
		out[i] = functionToProto(f)
	}
	return out
}

func functionsFromProto(pfs []*serverlessv1.Function) []Function {
	out := make([]Function, len(pfs))
	for i, pf := range pfs {
		out[i] = functionFromProto(pf)
	}
	return out
}

func invocationToProto(inv Invocation) *serverlessv1.InvokeRequest {
	return &serverlessv1.InvokeRequest{
		Namespace: inv.Namespace, Name: inv.Name, Version: clampInt32(inv.Version), Input: inv.Input,
		RequestId: inv.RequestID, Caller: inv.Caller, Wallet: inv.Wallet,
	}
}

func invocationFromProto(req *serverlessv1.InvokeRequest) Invocation {
	return Invocation{
		Namespace: req.GetNamespace(), Name: req.GetName(), Version: int(req.GetVersion()),
		Input: req.GetInput(), RequestID: req.GetRequestId(), Caller: req.GetCaller(), Wallet: req.GetWallet(),
	}
}

func resultToProto(r Result) *serverlessv1.InvokeResponse {
	return &serverlessv1.InvokeResponse{
		Status: r.Status, Output: r.Output, Error: validUTF8(r.Error),
		DurationUs: r.Duration.Microseconds(), Version: clampInt32(r.Version),
	}
}

func resultFromProto(pr *serverlessv1.InvokeResponse) Result {
	r := Result{
		Status: pr.GetStatus(), Error: pr.GetError(),
		Duration: time.Duration(pr.GetDurationUs()) * time.Microsecond, Version: int(pr.GetVersion()),
	}
	if out := pr.GetOutput(); len(out) > 0 {
		r.Output = out
	}
	return r
}

func logsToProto(ls []LogEntry) []*serverlessv1.LogEntry {
	out := make([]*serverlessv1.LogEntry, len(ls))
	for i, l := range ls {
		out[i] = &serverlessv1.LogEntry{
			Level: l.Level, Message: validUTF8(l.Message), TimestampUnixMs: msFromTime(l.Timestamp),
			RequestId: l.RequestID, Version: clampInt32(l.Version),
		}
	}
	return out
}

func logsFromProto(pls []*serverlessv1.LogEntry) []LogEntry {
	out := make([]LogEntry, len(pls))
	for i, pl := range pls {
		out[i] = LogEntry{
			Level: pl.GetLevel(), Message: pl.GetMessage(), Timestamp: timeFromMs(pl.GetTimestampUnixMs()),
			RequestID: pl.GetRequestId(), Version: int(pl.GetVersion()),
		}
	}
	return out
}

// clampInt32 keeps an int inside int32 for the wire, so an absurd limit
// stays absurd (and is clamped or refused by the implementation).
func clampInt32(v int) int32 {
	const lo, hi = -1 << 31, 1<<31 - 1
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return int32(v)
}
