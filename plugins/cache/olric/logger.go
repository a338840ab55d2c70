package olric

import (
	"context"
	"strings"

	"github.com/hashicorp/go-hclog"
)

// logWriter turns the lines Olric and memberlist log ("[LEVEL] message")
// into records of the plugin's logger, one level quieter for INFO and
// DEBUG: Olric is chatty at those levels.
type logWriter struct{ log hclog.Logger }

func (w logWriter) Write(p []byte) (int, error) {
	line := strings.TrimSpace(string(p))
	level := hclog.Debug
	if rest, ok := strings.CutPrefix(line, "["); ok {
		if tag, msg, ok := strings.Cut(rest, "]"); ok {
			switch tag {
			case "DEBUG":
				level = hclog.Trace
			case "INFO":
				level = hclog.Debug
			case "WARN":
				level = hclog.Warn
			case "ERROR":
				level = hclog.Error
			}
			line = strings.TrimSpace(msg)
		}
	}
	// Olric reports its own shutdown (cancelled background work) as errors.
	if level > hclog.Debug && strings.HasSuffix(line, context.Canceled.Error()) {
		level = hclog.Debug
	}
	w.log.Log(level, line, "source", "olric")
	return len(p), nil
}

// olricLogLevel returns the Olric log level and verbosity that let
// through what the logger would show, so quiet loggers cost nothing.
func olricLogLevel(l hclog.Logger) (string, int32) {
	switch {
	case l.IsTrace():
		return "DEBUG", 6
	case l.IsDebug():
		return "INFO", 3
	}
	return "WARN", 3
}
