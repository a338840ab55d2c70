package baseline

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/buraksezer/olric"
)

// Handler serves POST /v1/cache/put and POST /v1/cache/get from an Olric
// client, with the request and response shapes of API.md:
//
//	put {dmap, key, value, ttl?} → {status:"ok", key, dmap}
//	get {dmap, key}              → {key, value, dmap}; 404 {"error":"key not found"}
//
// Values are stored as compact JSON bytes and returned as raw JSON, like
// the gateway does. It is deliberately minimal: no middleware, no
// namespaces, no metrics.
type Handler struct {
	client olric.Client
	dmaps  sync.Map // name → olric.DMap
	mux    *http.ServeMux
}

// NewHandler returns a Handler over client.
func NewHandler(client olric.Client) *Handler {
	h := &Handler{client: client, mux: http.NewServeMux()}
	h.mux.HandleFunc("POST /v1/cache/put", h.put)
	h.mux.HandleFunc("POST /v1/cache/get", h.get)
	return h
}

// ServeHTTP routes to put and get.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

type keyRequest struct {
	DMap string `json:"dmap"`
	Key  string `json:"key"`
}

type putRequest struct {
	DMap  string          `json:"dmap"`
	Key   string          `json:"key"`
	Value json.RawMessage `json:"value"`
	TTL   string          `json:"ttl"`
}

type entryResponse struct {
	Key   string          `json:"key"`
	Value json.RawMessage `json:"value"`
	DMap  string          `json:"dmap"`
}

type okResponse struct {
	Status string `json:"status"`
	Key    string `json:"key"`
	DMap   string `json:"dmap"`
}

type errorResponse struct {
	Error string `json:"error"`
}

func (h *Handler) get(w http.ResponseWriter, r *http.Request) {
	var req keyRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, errorResponse{"invalid JSON body: " + err.Error()})
		return
	}
	if req.DMap == "" || req.Key == "" {
		writeJSON(w, http.StatusBadRequest, errorResponse{"dmap and key are required"})
		return
	}
	dm, err := h.dmap(req.DMap)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, errorResponse{"internal error"})
		return
	}
	resp, err := dm.Get(r.Context(), req.Key)
	if errors.Is(err, olric.ErrKeyNotFound) {
		writeJSON(w, http.StatusNotFound, errorResponse{"key not found"})
		return
	}
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, errorResponse{"internal error"})
		return
	}
	value, err := resp.Byte()
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, errorResponse{"internal error"})
		return
	}
	writeJSON(w, http.StatusOK, entryResponse{Key: req.Key, Value: value, DMap: req.DMap})
}

func (h *Handler) put(w http.ResponseWriter, r *http.Request) {
	var req putRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, errorResponse{"invalid JSON body: " + err.Error()})
		return
	}
	if req.DMap == "" || req.Key == "" || len(req.Value) == 0 {
		writeJSON(w, http.StatusBadRequest, errorResponse{"dmap, key and value are required"})
		return
	}
	var opts []olric.PutOption
	if req.TTL != "" {
		ttl, err := time.ParseDuration(req.TTL)
		if err != nil || ttl <= 0 {
			writeJSON(w, http.StatusBadRequest, errorResponse{"ttl must be a positive Go duration"})
			return
		}
		opts = append(opts, olric.EX(ttl))
	}
	var value bytes.Buffer
	if err := json.Compact(&value, req.Value); err != nil {
		writeJSON(w, http.StatusBadRequest, errorResponse{"invalid JSON body: value: " + err.Error()})
		return
	}
	dm, err := h.dmap(req.DMap)
	if err == nil {
		err = dm.Put(r.Context(), req.Key, value.Bytes(), opts...)
	}
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, errorResponse{"internal error"})
		return
	}
	writeJSON(w, http.StatusOK, okResponse{Status: "ok", Key: req.Key, DMap: req.DMap})
}

// dmap returns the DMap called name, created once.
func (h *Handler) dmap(name string) (olric.DMap, error) {
	if dm, ok := h.dmaps.Load(name); ok {
		return dm.(olric.DMap), nil
	}
	dm, err := h.client.NewDMap(name)
	if err != nil {
		return nil, err
	}
	actual, _ := h.dmaps.LoadOrStore(name, dm)
	return actual.(olric.DMap), nil
}

var jsonContentType = []string{"application/json"}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":"internal error"}`)
	}
	w.Header()["Content-Type"] = jsonContentType
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
