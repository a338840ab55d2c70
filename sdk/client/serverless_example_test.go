package client_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"

	"github.com/orama-network/orama/sdk/client"
	"github.com/orama-network/orama/sdk/serverless"
)

// Deploy a module built with GOOS=wasip1 GOARCH=wasm go build, invoke it,
// and tell a function's own failure from the gateway's refusal.
func ExampleServerless() {
	ctx := context.Background()
	fns := client.New("http://localhost:6001", client.WithAPIKey(os.Getenv("ORAMA_API_KEY"))).Serverless()

	wasm, err := os.Open("hello.wasm")
	if err != nil {
		log.Fatal(err)
	}
	defer wasm.Close()
	fn, err := fns.Deploy(ctx, serverless.Definition{Name: "hello", TimeoutSeconds: 5}, wasm)
	if err != nil {
		log.Fatal(err) // an *sdk.Error: invalid names the missing import, too_large, …
	}
	fmt.Println("deployed version", fn.Version)

	res, err := fns.Invoke(ctx, "hello", []byte(`{"name":"X"}`))
	var failed *client.FunctionError
	switch {
	case errors.As(err, &failed):
		fmt.Printf("the function failed (%s): %s\n", failed.Status, failed.Message)
	case err != nil:
		log.Fatal(err)
	default:
		fmt.Printf("%s in %v\n", res.Output, res.Duration)
	}
}
