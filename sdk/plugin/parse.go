package plugin

// Parse decodes cfg's block over defaults as Decode does, then lets check
// add what is wrong with the values (check may also fill fields the block
// does not set, such as parsed durations). Errors: Decode's, or the
// ConfigError check filled; the zero C comes with them.
//
//	func ParseConfig(cfg plugin.Config) (Config, error) {
//		return plugin.Parse(cfg, defaults(), (*Config).validate)
//	}
func Parse[C any](cfg Config, defaults C, check func(c *C, errs *ConfigError)) (C, error) {
	c := defaults
	if err := cfg.Decode(&c); err != nil {
		var zero C
		return zero, err
	}
	var errs ConfigError
	check(&c, &errs)
	if err := errs.OrNil(); err != nil {
		var zero C
		return zero, err
	}
	return c, nil
}
