package server

// okResponse is the body {"status":"ok"} (logout). The database adapter,
// which defined it, has its own copy now; this one goes with the auth
// routes when they move to their adapter.
type okResponse struct {
	Status string `json:"status"`
}
