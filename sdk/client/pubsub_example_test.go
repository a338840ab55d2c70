package client_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/coder/websocket"

	"github.com/orama-network/orama/sdk/client"
)

// newExamplePubSubGateway starts a stand-in for a gateway's
// /v1/pubsub/ws: it sends a subscriber its own presence join and one
// message, as API.md frames, then waits for the subscriber to leave.
func newExamplePubSubGateway() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		defer c.CloseNow()
		member := r.URL.Query().Get("member_id")
		event := fmt.Sprintf(`{"type":"presence.join","member_id":%q,"timestamp":1700000000}`, member)
		frames := []string{
			fmt.Sprintf(`{"type":"presence.join","member_id":%q,"topic":"chat","timestamp":1700000000000,"data":%q}`,
				member, base64.StdEncoding.EncodeToString([]byte(event))),
			fmt.Sprintf(`{"data":%q,"timestamp":1700000000001,"topic":"chat"}`, base64.StdEncoding.EncodeToString([]byte("hello"))),
		}
		for _, f := range frames {
			if c.Write(r.Context(), websocket.MessageText, []byte(f)) != nil {
				return
			}
		}
		_, _, _ = c.Read(r.Context())
	}))
}

func ExamplePubSub_Subscribe() {
	gw := newExamplePubSubGateway()
	defer gw.Close()
	ctx := context.Background()

	c := client.New(gw.URL, client.WithAPIKey(exampleKey))
	sub, err := c.PubSub().Subscribe(ctx, "chat", client.WithPresence("ann", nil))
	if err != nil {
		log.Fatal(err)
	}
	defer sub.Close()
	n := 0
	for m, err := range sub.Messages() {
		if err != nil {
			log.Fatal(err) // the subscription ended for good (see Subscription)
		}
		if p := m.Presence; p != nil {
			fmt.Println(p.Type, p.MemberID)
		} else {
			fmt.Printf("%s: %s\n", m.Topic, m.Data)
		}
		if n++; n == 2 {
			break
		}
	}
	// Output:
	// presence.join ann
	// chat: hello
}
