package server

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Access log tuning: how many lines may wait for the writer, and how long
// the writer lets lines gather before its next write.
const (
	accessLogQueue    = 4096
	accessLogInterval = 5 * time.Millisecond
	accessLogBatch    = 64 << 10 // bytes per write, at most (about)
)

// AccessLog writes the access log, one line per request, without putting
// a lock or a write on the request's path: a request hands its line's
// fields to a bounded queue and goes on; one goroutine formats the lines
// and writes them in batches, at most every few milliseconds. When the
// queue is full (the output cannot keep up) the line is dropped and
// counted (Dropped, and the metric orama_access_log_dropped_total):
// requests never wait for the log.
//
// Lines have the fields and format of the hclog logger they replace:
// JSON lines ({"@level":"info","@message":"request","@module":…,
// "@timestamp":…, then bytes, duration in ns, method, remote, request_id,
// route, status and, with tracing on, trace_id; keys sorted as hclog
// sorts them) or, in text mode, hclog's plain format without colours.
type AccessLog struct {
	out  io.Writer
	text bool

	queue   chan accessEntry
	stop    chan struct{}
	done    chan struct{}
	closed  atomic.Bool
	dropped atomic.Uint64
	once    sync.Once
}

// accessEntry is one request's line, before formatting.
type accessEntry struct {
	at                                time.Time // when the request finished
	module, method, route, id, remote string
	traceID                           string // "" with tracing off: no trace_id field
	status                            int
	bytes                             int64
	duration                          time.Duration
}

// NewAccessLog starts an access log writing to out: JSON lines, or hclog's
// text format when text is set. Close it to write the last lines.
func NewAccessLog(out io.Writer, text bool) *AccessLog {
	a := &AccessLog{
		out: out, text: text,
		queue: make(chan accessEntry, accessLogQueue),
		stop:  make(chan struct{}),
		done:  make(chan struct{}),
	}
	go a.run()
	return a
}

// Dropped is the number of lines dropped because the queue was full or
// the log closed.
func (a *AccessLog) Dropped() uint64 { return a.dropped.Load() }

// Close writes the lines still queued and stops the writer. Lines logged
// after Close are dropped.
func (a *AccessLog) Close() {
	a.once.Do(func() {
		a.closed.Store(true)
		close(a.stop)
		<-a.done
	})
}

// log queues e, or counts it as dropped.
func (a *AccessLog) log(e *accessEntry) {
	if a.closed.Load() {
		a.dropped.Add(1)
		return
	}
	select {
	case a.queue <- *e:
	default:
		a.dropped.Add(1)
	}
}

// run is the writer: it waits for a line, takes everything queued, writes
// it in one go, then lets lines gather for accessLogInterval.
func (a *AccessLog) run() {
	defer close(a.done)
	buf := make([]byte, 0, accessLogBatch+1024)
	pause := time.NewTimer(time.Hour)
	pause.Stop()
	for {
		select {
		case e := <-a.queue:
			buf = a.format(buf, &e)
		case <-a.stop:
			a.drain(buf, true)
			return
		}
		buf = a.drain(buf, false)
		pause.Reset(accessLogInterval)
		select {
		case <-pause.C:
		case <-a.stop:
			pause.Stop()
			a.drain(buf, true)
			return
		}
	}
}

// drain formats what is queued after buf, writing whenever the batch is
// full, and writes the rest. With all it empties the queue; otherwise it
// takes only what was queued when it started, so that under a steady
// stream of lines the writer still pauses between batches.
func (a *AccessLog) drain(buf []byte, all bool) []byte {
	for n := len(a.queue); all || n > 0; n-- {
		select {
		case e := <-a.queue:
			buf = a.format(buf, &e)
		default:
			return a.write(buf)
		}
		if len(buf) >= accessLogBatch {
			buf = a.write(buf)
		}
	}
	return a.write(buf)
}

func (a *AccessLog) write(buf []byte) []byte {
	if len(buf) > 0 {
		_, _ = a.out.Write(buf) // nowhere to report a failed log write
	}
	return buf[:0]
}

func (a *AccessLog) format(b []byte, e *accessEntry) []byte {
	if a.text {
		return appendAccessText(b, e)
	}
	return appendAccessJSON(b, e)
}

// appendAccessJSON appends e the way hclog's JSON mode writes it: a map
// encoded by encoding/json, so keys sorted and HTML characters escaped.
func appendAccessJSON(b []byte, e *accessEntry) []byte {
	b = append(b, `{"@level":"info","@message":"request","@module":`...)
	b = appendLogString(b, e.module)
	b = append(b, `,"@timestamp":"`...)
	b = e.at.AppendFormat(b, "2006-01-02T15:04:05.000000Z07:00") // hclog.TimeFormatJSON
	b = append(b, `","bytes":`...)
	b = strconv.AppendInt(b, e.bytes, 10)
	b = append(b, `,"duration":`...)
	b = strconv.AppendInt(b, int64(e.duration), 10)
	b = append(b, `,"method":`...)
	b = appendLogString(b, e.method)
	b = append(b, `,"remote":`...)
	b = appendLogString(b, e.remote)
	b = append(b, `,"request_id":`...)
	b = appendLogString(b, e.id)
	b = append(b, `,"route":`...)
	b = appendLogString(b, e.route)
	b = append(b, `,"status":`...)
	b = strconv.AppendInt(b, int64(e.status), 10)
	if e.traceID != "" {
		b = append(b, `,"trace_id":`...)
		b = appendLogString(b, e.traceID)
	}
	return append(b, "}\n"...)
}

// appendLogString appends s as encoding/json would (HTML-safe). Values
// here are nearly always plain ASCII; anything else takes the slow path.
func appendLogString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s) // a string always marshals
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// appendAccessText appends e in hclog's text format (no colours).
func appendAccessText(b []byte, e *accessEntry) []byte {
	b = e.at.AppendFormat(b, "2006-01-02T15:04:05.000Z0700") // hclog.TimeFormat
	b = append(b, " [INFO]  "...)
	b = append(b, e.module...)
	b = append(b, ": request: method="...)
	b = appendTextValue(b, e.method)
	b = append(b, " route="...)
	b = appendTextValue(b, e.route)
	b = append(b, " status="...)
	b = strconv.AppendInt(b, int64(e.status), 10)
	b = append(b, " bytes="...)
	b = strconv.AppendInt(b, e.bytes, 10)
	b = append(b, " duration="...)
	b = appendTextValue(b, e.duration.String())
	b = append(b, " request_id="...)
	b = appendTextValue(b, e.id)
	if e.traceID != "" {
		b = append(b, " trace_id="...)
		b = appendTextValue(b, e.traceID)
	}
	b = append(b, " remote="...)
	b = appendTextValue(b, e.remote)
	return append(b, '\n')
}

// appendTextValue quotes s when hclog would (anything outside '-'…'~').
func appendTextValue(b []byte, s string) []byte {
	if s == "" {
		return append(b, `""`...)
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x2d || s[i] > 0x7e {
			return strconv.AppendQuote(b, s)
		}
	}
	return append(b, s...)
}

// accessLogTo is the access log middleware writing to a: it queues one
// line per request, at info level.
func (s *Server) accessLogTo(a *AccessLog, next http.Handler) http.Handler {
	module := s.log.Name()
	return s.logRequests(next, func(r *http.Request, st *reqState, start time.Time, done bool) {
		e := accessEntry{at: time.Now(), module: module, method: r.Method, route: routeOf(st),
			remote: r.RemoteAddr, status: http.StatusInternalServerError}
		e.duration = e.at.Sub(start)
		if st != nil {
			e.id, e.status, e.bytes, e.traceID = st.ID, st.finalStatus(done), st.bytes, st.traceID
		}
		a.log(&e)
	})
}

// registerAccessLogDrops exports a's drop count.
func (s *Server) registerAccessLogDrops(a *AccessLog) {
	c := prometheus.NewCounterFunc(prometheus.CounterOpts{
		Name: "orama_access_log_dropped_total",
		Help: "Access log lines dropped because the log output could not keep up.",
	}, func() float64 { return float64(a.Dropped()) })
	if _, err := register(s.registry, prometheus.Collector(c)); err != nil {
		s.log.Warn("access log drop counter not registered", "error", err)
	}
}
