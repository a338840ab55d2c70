package client_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"

	"github.com/orama-network/orama/sdk/auth/wallets"
	"github.com/orama-network/orama/sdk/client"
)

// Sign in with a wallet key held by the program, then act with its JWT.
// (Compiled, not run: it needs a gateway with the auth plugin.)
func ExampleAuth_SignIn() {
	ctx := context.Background()
	gw := client.New("http://127.0.0.1:6001")
	w := wallets.NewSOL() // or wallets.ETHFromHex(privateKeyHex)
	s, err := gw.Auth().SignIn(ctx, w, "demo")
	if err != nil {
		log.Fatal(err)
	}
	c := gw.With(client.WithJWT(s.AccessToken))
	id, err := c.Auth().Whoami(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(id.Subject == w.Address(), id.Namespace)
}

// Stream a file up and back down: neither side holds it whole in memory.
// (Compiled, not run: it needs a gateway with the storage plugin.)
func ExampleStorage_Upload() {
	ctx := context.Background()
	c := client.New("http://127.0.0.1:6001", client.WithAPIKey(os.Getenv("ORAMA_API_KEY")))
	f, err := os.Open("video.mp4")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	up, err := c.Storage().Upload(ctx, "video.mp4", f)
	if err != nil {
		log.Fatal(err)
	}
	d, err := c.Storage().Get(ctx, up.CID)
	if err != nil {
		log.Fatal(err)
	}
	defer d.Close()
	n, err := io.Copy(io.Discard, d)
	fmt.Println(up.CID, n, err)
}
