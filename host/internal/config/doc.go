// Package config loads config.hcl, the file that tells the host where to
// listen, who this node is, and which plugin binaries to run with which
// settings.
//
// Load and Parse return hcl.Diagnostics in the style of Terraform: every
// error has a Subject (file:line:col), a short Summary and a Detail
// sentence that says how to fix it. WriteDiagnostics renders them with
// source snippets. Plugins validate their own config { … } block; their
// field errors come back through Plugin.FieldDiagnostics so they, too,
// point at a line of the file.
//
// The file has this shape; every block and attribute is optional except
// a plugin's path:
//
//	server {
//	  listen           = ":6001"
//	  cors_origins     = ["*"]
//	  max_body_bytes   = 10485760     # JSON bodies of every route but uploads
//	  max_upload_bytes = 10737418240  # a file sent to /v1/storage/upload (10 GiB)
//	  shutdown_timeout = "15s"
//	  upgrade_wait     = "10s"
//	  request_timeout  = "30s"
//	  auth             = "required"   # default: required with an auth plugin, else disabled
//	  key_cache_ttl    = "5s"         # bound on how long a revoked API key still works
//	  trusted_proxies  = []           # whose X-Forwarded-For is believed (IPs or CIDRs)
//	  rate_limit "default" {          # also auth, cache, database, storage, pubsub, functions
//	    requests_per_second    = 100  # per credential; 0 = no limit
//	    burst                  = 200
//	    ip_requests_per_second = 100  # per client IP (default: the credential values)
//	    ip_burst               = 200
//	  }
//	  pubsub {                        # the WebSockets of /v1/pubsub/ws
//	    max_frame_bytes           = 1048576 # larger client frames: closed with 1009
//	    max_sockets_per_namespace = 10000   # per node; one more: 429 before the upgrade
//	    send_queue                = 256     # frames waiting per socket; full: dropped (counted),
//	                                        # and after send_queue drops in a row: closed with 1008
//	    ping_interval             = "30s"
//	    presence_ttl              = "30s"   # a member whose node died leaves within this (1s..1h)
//	    write_timeout             = "10s"   # a socket that does not take a frame within it is closed
//	    flush_interval            = "0s"    # least time between two writes to one socket (0s: off, at most 1s):
//	                                        # frames that come sooner leave together in one write; "20ms" cuts
//	                                        # the host's CPU under heavy fan-out for at most 20 ms of latency
//	  }
//	  functions {                     # the host's bounds of /v1/functions and /v1/invoke
//	    max_module_bytes = 33554432   # a deployed module (at most 32 MiB); larger: 413
//	    max_input_bytes  = 1048576    # an invocation's body or WebSocket frame (at most 1 MiB); larger: 413
//	    invoke_timeout   = "330s"     # the wait for one invocation (each function's own timeout: 504)
//	    deploy_timeout   = "2m"       # the wait for a deploy (the plugin compiles the module)
//	    ws_idle_timeout  = "10m"      # a function WebSocket without a frame is closed
//	  }
//	  proxy {                         # POST /v1/proxy/anon
//	    enabled            = true
//	    socks5             = ""       # "127.0.0.1:9050": every request through this SOCKS5 proxy, never direct
//	    allow              = []       # exempt from the SSRF guard: CIDRs, IPs, host:port (tests, private networks)
//	    timeout            = "30s"    # the whole exchange with the target
//	    max_response_bytes = 10485760 # the target's body (at most 10 MiB); larger: 502
//	  }
//	  # Without a rate_limit "auth" block the auth routes are limited to
//	  # 10 requests/s per client IP (bursts of 100); write one to change it.
//	}
//	node {
//	  id       = "node-1"
//	  data_dir = "./data"
//	}
//	plugin "cache" {
//	  path   = "./bin/orama-plugin-cache"
//	  sha256 = "…"              # optional pin of the binary
//	  config {
//	    mode  = "embedded"
//	    peers = []
//	  }
//	}
//	telemetry {                       # OpenTelemetry traces; absent: off
//	  otlp_endpoint  = "127.0.0.1:4317" # OTLP/gRPC receiver (collector, Jaeger, Tempo)
//	  otlp_tls       = false          # true: TLS with the system's roots
//	  sampling_ratio = 1.0            # share of new traces kept; a client's traceparent keeps its flag
//	}
//
// Relative paths (a plugin's path, node.data_dir) are resolved against the
// directory of the config file.
package config
