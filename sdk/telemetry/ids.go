package telemetry

import (
	"context"
	"encoding/binary"
	"math/rand/v2"

	"go.opentelemetry.io/otel/trace"
)

// idGenerator makes trace and span ids from the runtime's per-thread
// random source. The SDK's default draws them from one math/rand source
// behind a mutex, which every request's span contends for (sampled or
// not: an unsampled trace still gets an id). Ids need to be unique, not
// secret.
type idGenerator struct{}

func (idGenerator) NewIDs(context.Context) (trace.TraceID, trace.SpanID) {
	var tid trace.TraceID
	for tid == (trace.TraceID{}) {
		binary.NativeEndian.PutUint64(tid[:8], rand.Uint64())
		binary.NativeEndian.PutUint64(tid[8:], rand.Uint64())
	}
	return tid, newSpanID()
}

func (idGenerator) NewSpanID(context.Context, trace.TraceID) trace.SpanID { return newSpanID() }

func newSpanID() trace.SpanID {
	var sid trace.SpanID
	for sid == (trace.SpanID{}) {
		binary.NativeEndian.PutUint64(sid[:], rand.Uint64())
	}
	return sid
}
