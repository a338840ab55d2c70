package plugin

// DecodeAndCheck decodes the raw config block into v (holding the
// defaults) as Decode does, then lets check add what is wrong with the
// values. Errors: Decode's, or the ConfigError check filled.
//
//	c := defaults()
//	if err := cfg.DecodeAndCheck(&c, func(errs *plugin.ConfigError) { c.validate(errs) }); err != nil {
//		return Config{}, err
//	}
func (c Config) DecodeAndCheck(v any, check func(errs *ConfigError)) error {
	if err := c.Decode(v); err != nil {
		return err
	}
	var errs ConfigError
	check(&errs)
	return errs.OrNil()
}
