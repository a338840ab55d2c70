package plugin

import "strings"

// FieldError is one problem with one attribute of a plugin's config block.
// Attribute is the attribute's name ("" for the block as a whole); the host
// maps it to the attribute's file:line:col.
type FieldError struct {
	Attribute string
	Message   string
}

// ConfigError is returned by ValidateConfig and Configure for bad values.
type ConfigError []FieldError

func (e ConfigError) Error() string {
	parts := make([]string, len(e))
	for i, f := range e {
		if f.Attribute == "" {
			parts[i] = f.Message
		} else {
			parts[i] = f.Attribute + ": " + f.Message
		}
	}
	return "invalid plugin config: " + strings.Join(parts, "; ")
}

// Add appends a field error; it reads well in validation code:
//
//	var errs plugin.ConfigError
//	if c.Port < 0 { errs.Add("port", "must be ≥ 0") }
//	return errs.OrNil()
func (e *ConfigError) Add(attribute, message string) {
	*e = append(*e, FieldError{Attribute: attribute, Message: message})
}

// OrNil returns nil for an empty ConfigError, so it can be returned as error.
func (e ConfigError) OrNil() error {
	if len(e) == 0 {
		return nil
	}
	return e
}
