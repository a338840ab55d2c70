// Package client is the Go client SDK for applications talking to an Orama
// gateway over its HTTP API (API.md). One Client per gateway; domain parts
// hang off it:
//
//	c := client.New("http://127.0.0.1:6001", client.WithAPIKey(key))
//	err := c.Cache().Put(ctx, "sessions", "u1", map[string]any{"n": 1}, time.Minute)
//
// PubSub publishes over HTTP and subscribes over a WebSocket that
// reconnects by itself (see Subscription for the policy):
//
//	sub, err := c.PubSub().Subscribe(ctx, "chat", client.WithPresence("ann", nil))
//	for m, err := range sub.Messages() { … }
//
// Serverless deploys WASM functions (each deploy a new version), invokes
// them and manages the secrets they read:
//
//	fn, err := c.Serverless().Deploy(ctx, serverless.Definition{Name: "hello"}, wasmFile)
//	res, err := c.Serverless().Invoke(ctx, "hello", []byte(`{"name":"X"}`))
//
// A function's own failure (trap, non-zero exit, timeout) is a
// *FunctionError.
//
// Storage streams files both ways; Auth signs in with a wallet (package
// sdk/auth/wallets signs with keys held in the process) and manages tokens
// and keys; Network makes requests through the gateway's proxy:
//
//	up, err := c.Storage().Upload(ctx, "video.mp4", f)
//	s, err := c.Auth().SignIn(ctx, wallets.NewSOL(), "demo")
//	c = c.With(client.WithJWT(s.AccessToken))
//
// A 503 with Retry-After (a plugin restarting or being upgraded) is sent
// again, up to WithRetries times, for requests that are safe to repeat.
//
// Errors from the gateway come back as *sdk.Error with the code the
// gateway sent, so callers can test for not_found, unavailable, ….
package client
