# Orama gateway configuration. `make run` serves this file; every value here
# is an embedded default that needs nothing installed. Reference: README.md.

server {
  listen       = ":6001"
  cors_origins = ["*"]
  # max_body_bytes   = 10485760  # larger request bodies get 413
  # shutdown_timeout = "15s"     # drain limit on SIGTERM
  # upgrade_wait     = "10s"     # how long a request waits for a starting plugin
  # request_timeout  = "30s"     # per request, for calls into plugins
  # cache {                      # this node's near cache of POST /v1/cache/get (read at start)
  #   near_cache         = false     # true: serve hot keys from the host's memory, invalidated by the cache
  #                                  #   plugin's stream (a write through any node drops every node's copy;
  #                                  #   a plugin without the stream is always asked)
  #   near_cache_bytes   = 67108864  # bound of the copy (64 MiB); least recently used entries go first
  #   near_cache_max_age = "1s"      # longest a value is served without asking the plugin: the bound on
  #                                  #   staleness if an invalidation is lost; never past the entry's ttl
  #   handoff_timeout    = "1m"      # an upgrade of the cache plugin moves its entries to the new instance
  #                                  #   for at most this long; the rest are dropped (logged and counted)
  # }
}

node {
  id       = "node-1"
  data_dir = "./data"
}

plugin "cache" {
  path = "./bin/orama-plugin-cache"
  # sha256 = "…"                 # pin the binary: `sha256sum bin/orama-plugin-cache`
  config {
    mode  = "embedded"           # an Olric member inside the plugin; "client" uses servers = [...]
    peers = []                   # memberlist addresses of other members to join, e.g. ["10.0.0.2:3322"]
  }
}

plugin "database" {
  path = "./bin/orama-plugin-database"
  config {
    driver = "sqlite"            # a SQLite file under data_dir; "rqlite" with hosts = ["http://127.0.0.1:4001"]
    # consistency = "weak"       # rqlite reads: none, weak, strong, linearizable
    # max_rows    = 10000        # larger results get 413
  }
}

plugin "storage" {
  path = "./bin/orama-plugin-storage"
  config {
    driver      = "embedded"     # an offline IPFS blockstore under data_dir; "kubo" with kubo_api = "http://127.0.0.1:5001"
    cid_version = 0              # 1: CIDv1 with raw leaves (ipfs add --cid-version=1)
    # ipfs_cluster = "http://127.0.0.1:9094"  # kubo driver: pin through IPFS Cluster
  }
}

plugin "auth" {
  path = "./bin/orama-plugin-auth"
  config {
    # The secret that seals the JWT signing keys in the database. The file is
    # created (random, mode 0600) on first start; every node of a cluster
    # needs the same one — or set key_secret = "…" (≥ 32 characters) instead.
    key_secret_file = "key_secret"
    # token_ttl = "15m"          # access tokens
    # allow_simple_keys = false  # POST /v1/auth/simple-key without a signature (development only)
  }
}

plugin "pubsub" {
  path = "./bin/orama-plugin-pubsub"
  config {
    driver = "local"             # in-plugin fan-out on this node; "libp2p": gossipsub between gateway nodes
    # queue_len = 4096           # messages buffered per subscription; a subscriber further behind loses messages (counted)
    # libp2p only:
    # listen = ["/ip4/0.0.0.0/tcp/4101"]                      # multiaddrs to listen on
    # peers  = ["/ip4/10.0.0.2/tcp/4101/p2p/12D3KooW…"]       # other gateway nodes to dial
    # swarm_key_file = "swarm.key"                            # private network key (like --swarm-key); relative: to data_dir/pubsub
  }
}

plugin "serverless" {
  path = "./bin/orama-plugin-serverless"
  config {
    # Code goes to the storage plugin and metadata to the database plugin, so
    # every node sharing them can invoke every function. All optional:
    # max_module_bytes          = 10485760   # a deployed module (at most 32 MiB)
    # cache_bytes               = 268435456  # compiled modules kept in memory (LRU, by module size)
    # cache_dir                 = "wazero-cache"  # compilation cache on disk; relative: to data_dir/serverless
    # max_concurrency           = 16         # invocations of one function at once (429 beyond)
    # max_namespace_concurrency = 64         # invocations of one namespace at once (429 beyond)
    # max_running               = 0          # running WASM at once (0: the number of CPUs); more wait in order
    # max_output_bytes          = 1048576    # stdout of one invocation
    # max_log_bytes             = 65536      # stderr + log_* of one invocation
    # logs_per_function         = 1000       # log entries kept per function, oldest dropped
    # metadata_ttl              = "2s"       # how stale a node's view of a function's latest version may be
    # The secret that seals the functions' secrets (get_secret); created on
    # first start like auth's; every node needs the same one, or key_secret = "…".
    key_secret_file = "key_secret"
    # http_allow   = []                    # CIDRs or host:port http_fetch may reach despite the SSRF guard (tests only)
    # http_timeout = "10s"                 # one http_fetch
    # http_max_bytes = 1048576             # body of one http_fetch response
  }
}
