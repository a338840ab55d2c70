// Command cacheputkeys puts the keys of scripts/wrk/cache_get_random.lua
// ("r0" … "r<n-1>" in one dmap, each a small JSON object) into a gateway
// or cachebaseline, over many connections at once, and checks the last
// one: how scripts/bench.sh fills a server before its random-key run (wrk
// cannot end a run once every key is put).
//
//	cacheputkeys -url http://127.0.0.1:6001 -n 200000 -dmap bench -c 64
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	url := flag.String("url", "http://127.0.0.1:6001", "base URL of the server")
	n := flag.Int("n", 200000, "number of keys")
	dmap := flag.String("dmap", "bench", "dmap of the keys")
	conns := flag.Int("c", 64, "requests in flight")
	flag.Parse()
	start := time.Now()
	if err := run(*url, *dmap, *n, *conns); err != nil {
		fmt.Fprintln(os.Stderr, "cacheputkeys:", err)
		os.Exit(1)
	}
	fmt.Printf("put %d keys into %s in %v\n", *n, *url, time.Since(start).Round(time.Millisecond))
}

func run(url, dmap string, n, conns int) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conns}, Timeout: 30 * time.Second}
	var next atomic.Int64
	var wg sync.WaitGroup
	errc := make(chan error, conns)
	for range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil {
					return
				}
				body := fmt.Sprintf(`{"dmap":%q,"key":"r%d","value":{"n":%d,"s":"random-key-value"}}`, dmap, i, i)
				if err := post(ctx, client, url+"/v1/cache/put", body); err != nil {
					errc <- err
					cancel()
					return
				}
			}
		}()
	}
	wg.Wait()
	select {
	case err := <-errc:
		return err
	default:
	}
	return post(ctx, client, url+"/v1/cache/get", fmt.Sprintf(`{"dmap":%q,"key":"r%d"}`, dmap, n-1))
}

func post(ctx context.Context, client *http.Client, url, body string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewBufferString(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("POST %s: %d %s", url, resp.StatusCode, b)
	}
	return nil
}
