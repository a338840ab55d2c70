// Package storage is the HTTP adapter of the storage domain: the
// /v1/storage/* routes of API.md translated to calls on sdk/storage's
// Storage. Every handler acts in the caller's namespace (api.Namespace)
// and checks a CID it is given before calling the plugin, so a malformed
// CID is 400 without a round trip; an unknown one is the plugin's
// not_found (404). Errors of the plugin pass through the server's error
// adapter unchanged.
//
// Bytes never sit whole in the host: uploads stream from the request body
// into storage.Storage.Put (upload.go, upload_json.go, jsonscan.go),
// downloads from storage.Storage.Get into the response (get.go). Unary
// calls (pin, unpin, status, stat) are bounded by the request timeout;
// the two streams are bounded by the request itself — they end when the
// client goes away — since a large file takes longer than any fixed
// timeout. Instead every read of an upload's body, and every write of a
// download, must make progress within the request timeout.
package storage

import (
	"context"
	"net/http"
	"time"

	"github.com/orama-network/orama/host/internal/api"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/storage"
)

// Handlers serves the storage routes.
type Handlers struct {
	api.Domain[storage.Storage]
	maxFile int64 // largest upload, in file bytes (server.max_upload_bytes)
}

// New returns the storage handlers over the domain get returns: each
// unary plugin call bounded by timeout, which is also the idle limit of
// an upload's body reads and a download's writes; uploads of files up to
// maxFile bytes (the server's body limit of the upload route is
// UploadBodyLimit(maxFile)).
func New(get func(context.Context) (storage.Storage, error), timeout time.Duration, maxFile int64) *Handlers {
	return &Handlers{Domain: api.Domain[storage.Storage]{Plugin: get, Timeout: timeout}, maxFile: maxFile}
}

// maxPinName bounds the name stored with a pin (a form's filename or the
// name field), in bytes.
const maxPinName = 1024

type storagePinRequest struct {
	CID         string `json:"cid"`
	Name        string `json:"name"`
	Replication int    `json:"replication"`
}

type storagePinResponse struct {
	CID  string `json:"cid"`
	Name string `json:"name"`
}

type storageStatusResponse struct {
	CID               string   `json:"cid"`
	Name              string   `json:"name"`
	Status            string   `json:"status"`
	ReplicationMin    int      `json:"replication_min"`
	ReplicationMax    int      `json:"replication_max"`
	ReplicationFactor int      `json:"replication_factor"`
	Peers             []string `json:"peers"`
	Error             string   `json:"error,omitempty"`
}

type storageUnpinResponse struct {
	Status string `json:"status"`
	CID    string `json:"cid"`
}

// open returns the caller's namespace and the storage domain; the wait
// for the plugin is bounded by the request timeout (the calls that
// follow bound themselves).
func (h *Handlers) open(r *http.Request) (string, storage.Storage, error) {
	ns, err := api.Namespace(r.Context())
	if err != nil {
		return "", nil, err
	}
	_, cancel, st, err := h.Open(r)
	if err != nil {
		return "", nil, err
	}
	cancel()
	return ns, st, nil
}

// cidParam returns the :cid path parameter, checked: invalid "malformed
// CID" (400) unless it is a well-formed CID.
func cidParam(r *http.Request) (string, error) {
	id := api.Param(r.Context(), "cid")
	if err := storage.CheckCID(id); err != nil {
		return "", err
	}
	return id, nil
}

func checkPinName(name string) error {
	if len(name) > maxPinName {
		return api.Invalidf("name longer than %d bytes", maxPinName)
	}
	return nil
}

// Pin is POST /v1/storage/pin: pins content the store has, under a name.
func (h *Handlers) Pin(w http.ResponseWriter, r *http.Request) error {
	var req storagePinRequest
	if err := api.DecodeJSON(r, &req); err != nil {
		return err
	}
	if req.CID == "" {
		return api.Invalidf("cid is required")
	}
	if err := storage.CheckCID(req.CID); err != nil {
		return err
	}
	if err := checkPinName(req.Name); err != nil {
		return err
	}
	if req.Replication < 0 {
		return api.Invalidf("replication must not be negative")
	}
	return h.withStorage(r, func(ctx context.Context, st storage.Storage, ns string) error {
		p, err := st.Pin(ctx, ns, req.CID, req.Name, req.Replication)
		if err != nil {
			return err
		}
		return api.WriteJSON(w, http.StatusOK, storagePinResponse{CID: orDefault(p.CID, req.CID), Name: p.Name})
	})
}

// Status is GET /v1/storage/status/:cid: the caller's pin of a CID.
func (h *Handlers) Status(w http.ResponseWriter, r *http.Request) error {
	id, err := cidParam(r)
	if err != nil {
		return err
	}
	return h.withStorage(r, func(ctx context.Context, st storage.Storage, ns string) error {
		p, err := st.Status(ctx, ns, id)
		if err != nil {
			return err
		}
		resp := storageStatusResponse{
			CID: orDefault(p.CID, id), Name: p.Name, Status: p.Status,
			ReplicationMin: p.ReplicationMin, ReplicationMax: p.ReplicationMax, ReplicationFactor: p.ReplicationFactor,
			Peers: p.Peers, Error: p.Error,
		}
		if resp.Peers == nil {
			resp.Peers = []string{}
		}
		return api.WriteJSON(w, http.StatusOK, resp)
	})
}

// Unpin is DELETE /v1/storage/unpin/:cid: removes the caller's pin.
func (h *Handlers) Unpin(w http.ResponseWriter, r *http.Request) error {
	id, err := cidParam(r)
	if err != nil {
		return err
	}
	return h.withStorage(r, func(ctx context.Context, st storage.Storage, ns string) error {
		if err := st.Unpin(ctx, ns, id); err != nil {
			return err
		}
		return api.WriteJSON(w, http.StatusOK, storageUnpinResponse{Status: "ok", CID: id})
	})
}

// withStorage runs fn with the storage domain and the caller's namespace under
// a context bounded by the request timeout.
func (h *Handlers) withStorage(r *http.Request, fn func(ctx context.Context, st storage.Storage, ns string) error) error {
	ns, st, err := h.open(r)
	if err != nil {
		return err
	}
	ctx, cancel := h.Context(r.Context())
	defer cancel()
	return fn(ctx, st, ns)
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// tooLarge is the error of an upload over the limit.
func tooLarge(limit int64) error {
	return sdk.Errorf(sdk.CodeTooLarge, "upload larger than %d bytes (server.max_upload_bytes)", limit)
}
