package tlsmgr

import (
	"sort"

	"github.com/hashicorp/go-hclog"
	"go.uber.org/zap/zapcore"
)

// hclogCore sends certmagic's zap log lines to the gateway's hclog
// logger, so they have the gateway's format and level.
type hclogCore struct {
	log    hclog.Logger
	fields []zapcore.Field
}

func newHCLogCore(log hclog.Logger) zapcore.Core { return &hclogCore{log: log} }

func (c *hclogCore) Enabled(l zapcore.Level) bool {
	switch {
	case l >= zapcore.ErrorLevel:
		return c.log.IsError()
	case l == zapcore.WarnLevel:
		return c.log.IsWarn()
	case l == zapcore.InfoLevel:
		return c.log.IsInfo()
	default:
		return c.log.IsDebug()
	}
}

func (c *hclogCore) With(fields []zapcore.Field) zapcore.Core {
	return &hclogCore{log: c.log, fields: append(c.fields[:len(c.fields):len(c.fields)], fields...)}
}

func (c *hclogCore) Check(e zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	if c.Enabled(e.Level) {
		return ce.AddCore(e, c)
	}
	return ce
}

func (c *hclogCore) Write(e zapcore.Entry, fields []zapcore.Field) error {
	enc := zapcore.NewMapObjectEncoder()
	for _, f := range c.fields {
		f.AddTo(enc)
	}
	for _, f := range fields {
		f.AddTo(enc)
	}
	keys := make([]string, 0, len(enc.Fields))
	for k := range enc.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	args := make([]any, 0, 2*len(keys)+2)
	if e.LoggerName != "" {
		args = append(args, "component", e.LoggerName)
	}
	for _, k := range keys {
		args = append(args, k, enc.Fields[k])
	}
	switch {
	case e.Level >= zapcore.ErrorLevel:
		c.log.Error(e.Message, args...)
	case e.Level == zapcore.WarnLevel:
		c.log.Warn(e.Message, args...)
	case e.Level == zapcore.InfoLevel:
		c.log.Info(e.Message, args...)
	default:
		c.log.Debug(e.Message, args...)
	}
	return nil
}

func (c *hclogCore) Sync() error { return nil }
