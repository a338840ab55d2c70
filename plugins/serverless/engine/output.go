package engine

import (
	"bytes"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/orama-network/orama/sdk/serverless"
)

// errOutput is what a write past the output cap returns to the guest
// (WASI's fd_write then fails with EIO); the run is also stopped.
var errOutput = errors.New("output limit exceeded")

// stdout collects a run's stdout up to max bytes. A write past max keeps
// what fits, marks the run as over and stops it.
type stdout struct {
	buf  []byte
	max  int
	over bool
	stop func()
}

func (w *stdout) Write(p []byte) (int, error) {
	if w.over {
		return 0, errOutput
	}
	if room := w.max - len(w.buf); len(p) > room {
		w.buf = append(w.buf, p[:room]...)
		w.over = true
		w.stop()
		return room, errOutput
	}
	w.buf = append(w.buf, p...)
	return len(p), nil
}

// logSink collects a run's log lines: stderr split into lines (level
// info) and log_info/log_error calls, and the host functions' errors
// (level error). Once max bytes of messages are kept, the rest is counted
// and reported in one last line.
type logSink struct {
	mu         sync.Mutex
	max        int
	used       int
	dropped    int
	logs       []Log
	partial    []byte // stderr since its last newline
	discarding bool   // the current stderr line did not fit: drop to its end
}

// add keeps one message, or counts it as dropped.
func (s *logSink) add(level, msg string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addLocked(level, msg)
}

func (s *logSink) addLocked(level, msg string) {
	if s.used+len(msg) > s.max {
		s.dropped += len(msg)
		return
	}
	s.used += len(msg)
	s.logs = append(s.logs, Log{Level: level, Message: msg, Time: time.Now()})
}

// Write is the run's stderr: every complete line is one log line.
func (s *logSink) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(p)
	for len(p) > 0 {
		chunk, rest, eol := bytes.Cut(p, []byte{'\n'})
		p = rest
		switch {
		case s.discarding:
			s.dropped += len(chunk)
		case len(s.partial)+len(chunk) > s.max-s.used:
			// the line cannot fit any more: drop it whole
			s.dropped += len(s.partial) + len(chunk)
			s.partial = s.partial[:0]
			s.discarding = true
		default:
			s.partial = append(s.partial, chunk...)
		}
		if eol {
			if !s.discarding {
				s.addLocked(serverless.LevelInfo, string(bytes.TrimSuffix(s.partial, []byte{'\r'})))
			}
			s.partial = s.partial[:0]
			s.discarding = false
		}
	}
	return n, nil
}

// finish flushes an unterminated stderr line and returns the logs, ending
// with a line that counts what was dropped, if anything was.
func (s *logSink) finish() []Log {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.partial) > 0 && !s.discarding {
		s.addLocked(serverless.LevelInfo, string(s.partial))
	}
	s.partial = nil
	if s.dropped > 0 {
		s.logs = append(s.logs, Log{
			Level:   serverless.LevelError,
			Message: fmt.Sprintf("… %d bytes of logs dropped", s.dropped),
			Time:    time.Now(),
		})
	}
	return s.logs
}
