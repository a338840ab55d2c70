package serverless

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/orama-network/orama/host/internal/api"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/serverless"
)

// POST /v1/functions is a multipart form: the module in the file part
// "wasm", and the definition either as the JSON object of the part
// "metadata" ({name, namespace, is_public, memory_limit_mb,
// timeout_seconds, retry_count, retry_delay_seconds, env_vars}) or as one
// field per attribute (env_vars a JSON object of strings). Both may be
// sent: the fields are applied over the metadata. Parts may come in any
// order; unknown fields are skipped.
//
// Limits: the module at most Options.MaxModuleBytes (413 beyond), the
// metadata and env_vars at most maxJSONField bytes, every other field at
// most maxField bytes (400 beyond); the form is read part by part, never
// with ParseMultipartForm, so nothing larger than these is held.
//
// The namespace a form names must be the caller's (or empty): 403
// otherwise, as api.RequestNamespace says.

const (
	deploySlack    = 1 << 20  // body bytes allowed besides the module
	maxField       = 1 << 10  // bytes of a plain form field
	maxJSONField   = 64 << 10 // bytes of metadata or env_vars
	fieldWASM      = "wasm"
	fieldMetadata  = "metadata"
	fieldEnvVars   = "env_vars"
	deployNoModule = `multipart file field "wasm" is required`
)

// deployMessage is the message of a deploy's 201 response.
const deployMessage = "Function deployed successfully"

type deployResponse struct {
	Message  string       `json:"message"`
	Function functionJSON `json:"function"`
}

// definitionJSON is the metadata part; pointers tell absent from zero.
type definitionJSON struct {
	Name              *string           `json:"name"`
	Namespace         *string           `json:"namespace"`
	IsPublic          *bool             `json:"is_public"`
	MemoryLimitMB     *int              `json:"memory_limit_mb"`
	TimeoutSeconds    *int              `json:"timeout_seconds"`
	RetryCount        *int              `json:"retry_count"`
	RetryDelaySeconds *int              `json:"retry_delay_seconds"`
	EnvVars           map[string]string `json:"env_vars"`
}

// Deploy is POST /v1/functions: stores the module as the next version of
// its name and answers 201 {message, function}.
func (h *Handlers) Deploy(w http.ResponseWriter, r *http.Request) error {
	def, module, err := h.readDeploy(r)
	if err != nil {
		return err
	}
	if def.Namespace, err = api.RequestNamespace(r.Context(), def.Namespace); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(r.Context(), h.opts.DeployTimeout)
	defer cancel()
	s, err := h.Plugin(ctx)
	if err != nil {
		return err
	}
	fn, err := s.Deploy(ctx, def, module)
	if err != nil {
		return err
	}
	return api.WriteJSON(w, http.StatusCreated, deployResponse{Message: deployMessage, Function: toJSON(fn)})
}

// readDeploy reads the form: the definition (not yet checked against the
// caller's namespace) and the module.
func (h *Handlers) readDeploy(r *http.Request) (serverless.Definition, []byte, error) {
	var def serverless.Definition
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		return def, nil, api.Invalidf("POST /v1/functions expects a multipart/form-data body (file %q and the definition)", fieldWASM)
	}
	if params["boundary"] == "" {
		return def, nil, api.Invalidf("invalid multipart body: no boundary in Content-Type")
	}
	mr := multipart.NewReader(bufio.NewReaderSize(r.Body, 64<<10), params["boundary"])
	var (
		module   []byte
		metadata *definitionJSON
		fields   = map[string]string{}
	)
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return def, nil, formError(err)
		}
		name := part.FormName()
		switch name {
		case fieldWASM:
			if module != nil {
				return def, nil, api.Invalidf("only one %q part per deploy", fieldWASM)
			}
			if module, err = readModule(part, h.opts.MaxModuleBytes); err != nil {
				return def, nil, err
			}
		case fieldMetadata:
			b, err := readField(part, maxJSONField)
			if err != nil {
				return def, nil, err
			}
			if metadata, err = parseMetadata(b); err != nil {
				return def, nil, err
			}
		case "name", "namespace", "is_public", "memory_limit_mb", "timeout_seconds",
			"retry_count", "retry_delay_seconds", fieldEnvVars:
			limit := int64(maxField)
			if name == fieldEnvVars {
				limit = maxJSONField
			}
			b, err := readField(part, limit)
			if err != nil {
				return def, nil, err
			}
			if _, dup := fields[name]; dup {
				return def, nil, api.Invalidf("form field %q given twice", name)
			}
			fields[name] = string(b)
		default:
			if err := api.SkipFormField(part, maxJSONField, "the form"); err != nil {
				return def, nil, err
			}
		}
	}
	if module == nil {
		return def, nil, api.Invalidf(deployNoModule)
	}
	if metadata != nil {
		metadata.apply(&def)
	}
	if err := applyFields(&def, fields); err != nil {
		return def, nil, err
	}
	if err := serverless.CheckName(def.Name); err != nil {
		return def, nil, err
	}
	return def, module, nil
}

// readModule reads the module, at most max bytes (413 beyond).
func readModule(part *multipart.Part, max int64) ([]byte, error) {
	var buf bytes.Buffer
	n, err := buf.ReadFrom(io.LimitReader(part, max+1))
	if err != nil {
		return nil, formError(err)
	}
	if n > max {
		return nil, sdk.Errorf(sdk.CodeTooLarge, "module larger than %d bytes", max)
	}
	if n == 0 {
		return nil, api.Invalidf("the %q part is empty", fieldWASM)
	}
	return buf.Bytes(), nil
}

// readField reads a form field of at most limit bytes of valid UTF-8.
func readField(part *multipart.Part, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(part, limit+1))
	if err != nil {
		return nil, formError(err)
	}
	if int64(len(b)) > limit {
		return nil, api.Invalidf("form field %q larger than %d bytes", part.FormName(), limit)
	}
	if err := api.CheckUTF8(part.FormName(), string(b)); err != nil {
		return nil, err
	}
	return b, nil
}

func parseMetadata(b []byte) (*definitionJSON, error) {
	var m definitionJSON
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, api.Invalidf("invalid %q: %v", fieldMetadata, err)
	}
	return &m, nil
}

func (m *definitionJSON) apply(def *serverless.Definition) {
	set := func(dst *int, v *int) {
		if v != nil {
			*dst = *v
		}
	}
	if m.Name != nil {
		def.Name = *m.Name
	}
	if m.Namespace != nil {
		def.Namespace = *m.Namespace
	}
	if m.IsPublic != nil {
		def.IsPublic = *m.IsPublic
	}
	set(&def.MemoryLimitMB, m.MemoryLimitMB)
	set(&def.TimeoutSeconds, m.TimeoutSeconds)
	set(&def.RetryCount, m.RetryCount)
	set(&def.RetryDelaySeconds, m.RetryDelaySeconds)
	if m.EnvVars != nil {
		def.EnvVars = m.EnvVars
	}
}

// applyFields applies the plain form fields over def.
func applyFields(def *serverless.Definition, fields map[string]string) error {
	for name, v := range fields {
		v = strings.TrimSpace(v)
		var err error
		switch name {
		case "name":
			def.Name = v
		case "namespace":
			def.Namespace = v
		case "is_public":
			if v != "" {
				if def.IsPublic, err = strconv.ParseBool(v); err != nil {
					return api.Invalidf("is_public must be true or false, not %q", v)
				}
			}
		case "memory_limit_mb":
			err = atoiField(name, v, &def.MemoryLimitMB)
		case "timeout_seconds":
			err = atoiField(name, v, &def.TimeoutSeconds)
		case "retry_count":
			err = atoiField(name, v, &def.RetryCount)
		case "retry_delay_seconds":
			err = atoiField(name, v, &def.RetryDelaySeconds)
		case fieldEnvVars:
			if v != "" {
				var env map[string]string
				if err := json.Unmarshal([]byte(v), &env); err != nil {
					return api.Invalidf("env_vars must be a JSON object of strings: %v", err)
				}
				def.EnvVars = env
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// atoiField parses a non-negative integer field; empty keeps *dst.
func atoiField(name, v string, dst *int) error {
	if v == "" {
		return nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return api.Invalidf("%s must be a non-negative integer, not %q", name, v)
	}
	*dst = n
	return nil
}

// formError is api.BodyError for the deploy's form.
func formError(err error) error { return api.BodyError("the form", err) }
