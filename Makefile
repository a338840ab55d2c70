# Orama — build, run, test, bench. See README.md.
SHELL      := /bin/bash
GO         ?= go
TOOLS      := $(CURDIR)/.tools/bin
BIN        := $(CURDIR)/bin
MODULES    := sdk host plugins/cache plugins/database plugins/storage plugins/auth plugins/pubsub plugins/serverless bench
RQLITE_VERSION := v9.4.5
KUBO_VERSION   := v0.42.0
VERSION    ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT     ?= $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
BUILD_TIME ?= $(shell date -u +%Y-%m-%dT%H:%M:%SZ)
LDFLAGS    := -X github.com/orama-network/orama/host/internal/app.Version=$(VERSION) \
              -X github.com/orama-network/orama/host/internal/app.Commit=$(COMMIT) \
              -X github.com/orama-network/orama/host/internal/app.BuildTime=$(BUILD_TIME)
PROTOC_VERSION := 3.21.12
TEST_TIMEOUT   ?= 20m

.PHONY: all build run test unit e2e modules bench proto proto-check lint tools-proto tools-rqlited tools-kubo tools-apt tools-wabt dev stop clean

all: build

## build: bin/orama and bin/orama-plugin-*
build:
	@mkdir -p $(BIN)
	$(GO) build -ldflags '$(LDFLAGS)' -o $(BIN)/orama ./host/cmd/orama
	$(GO) build -ldflags '-X github.com/orama-network/orama/plugins/cache/olric.Version=$(VERSION)' -o $(BIN)/orama-plugin-cache ./plugins/cache
	$(GO) build -ldflags '-X github.com/orama-network/orama/plugins/database/namespaced.Version=$(VERSION)' -o $(BIN)/orama-plugin-database ./plugins/database
	$(GO) build -ldflags '-X github.com/orama-network/orama/plugins/storage/ipfs.Version=$(VERSION)' -o $(BIN)/orama-plugin-storage ./plugins/storage
	$(GO) build -ldflags '-X github.com/orama-network/orama/plugins/auth/service.Version=$(VERSION)' -o $(BIN)/orama-plugin-auth ./plugins/auth
	$(GO) build -ldflags '-X github.com/orama-network/orama/plugins/pubsub/service.Version=$(VERSION)' -o $(BIN)/orama-plugin-pubsub ./plugins/pubsub
	$(GO) build -ldflags '-X github.com/orama-network/orama/plugins/serverless/service.Version=$(VERSION)' -o $(BIN)/orama-plugin-serverless ./plugins/serverless

## run: build, then serve config.hcl
run: build
	$(BIN)/orama serve -config config.hcl

## test: lint, generated code up to date, every module alone, unit + integration + e2e tests with -race
test: lint proto-check modules tools-rqlited tools-kubo tools-apt
	$(GO) test -race -count=1 -timeout $(TEST_TIMEOUT) $(addprefix ./,$(addsuffix /...,$(MODULES)))
	# without -race: tests of Olric's cluster scan, whose own race the detector flags (plugins/cache/olric/handoff_test.go)
	$(GO) test -count=1 -run 'TestHandoff' ./plugins/cache/olric/

## unit: tests without the e2e package (quicker)
unit:
	$(GO) test -race -count=1 $(shell $(GO) list $(addprefix ./,$(addsuffix /...,$(MODULES))) | grep -v /e2e)

## e2e: only the end-to-end tests (they build the real binaries)
e2e:
	$(GO) test -race -count=1 -timeout $(TEST_TIMEOUT) -v ./host/e2e/...

## modules: every module builds and vets alone, through its replace directives
modules:
	@for m in $(MODULES); do echo "GOWORK=off build+vet $$m"; \
	  (cd $$m && GOWORK=off $(GO) build ./... && GOWORK=off $(GO) vet ./...) || exit 1; done

## lint: gofmt and go vet
lint:
	@out=$$(gofmt -l $(MODULES) | grep -v '\.pb\.go$$'); if [ -n "$$out" ]; then echo "not gofmt'ed:"; echo "$$out"; exit 1; fi
	$(GO) vet $(addprefix ./,$(addsuffix /...,$(MODULES)))

## dev: a local cluster of NODES (3) gateways with rqlite, Olric, libp2p pubsub and a shared kubo under .dev/ (README: Local cluster)
NODES ?= 3
dev: build tools-rqlited tools-kubo
	NODES=$(NODES) ./scripts/dev.sh start

## stop: stop what make dev started (safe to run twice)
stop:
	./scripts/dev.sh stop

## bench: Go benchmarks and wrk load runs, side by side with the backends used directly
bench: build
	./scripts/bench.sh

# --- servers for integration tests ---------------------------------------
# rqlited is built from the version pinned in tools/rqlited/go.mod into
# .tools/bin (reused while the version stamp matches). Tests find it there.
tools-rqlited:
	@if [ -x $(TOOLS)/rqlited ] && [ "$$(cat $(TOOLS)/rqlited.version 2>/dev/null)" = "$(RQLITE_VERSION)" ]; then \
	  echo "rqlited $(RQLITE_VERSION): $(TOOLS)/rqlited"; else \
	  echo "building rqlited $(RQLITE_VERSION) into $(TOOLS) (about 3 minutes, once)"; mkdir -p $(TOOLS); \
	  cd tools/rqlited && GOWORK=off GONOSUMDB=github.com/rqlite CGO_ENABLED=1 \
	    $(GO) build -o $(TOOLS)/rqlited github.com/rqlite/rqlite/v9/cmd/rqlited && \
	  echo "$(RQLITE_VERSION)" > $(TOOLS)/rqlited.version; fi

# kubo (ipfs) likewise, from tools/kubo/go.mod (about 3 minutes, once).
tools-kubo:
	@if [ -x $(TOOLS)/ipfs ] && [ "$$(cat $(TOOLS)/ipfs.version 2>/dev/null)" = "$(KUBO_VERSION)" ]; then \
	  echo "kubo $(KUBO_VERSION): $(TOOLS)/ipfs"; else \
	  echo "building kubo $(KUBO_VERSION) into $(TOOLS) (about 3 minutes, once)"; mkdir -p $(TOOLS); \
	  cd tools/kubo && GOWORK=off $(GO) build -o $(TOOLS)/ipfs github.com/ipfs/kubo/cmd/ipfs && \
	  echo "$(KUBO_VERSION)" > $(TOOLS)/ipfs.version; fi

# Debian packages the tests need, as command:package: wat2wasm (wabt) turns
# the WAT fixtures of the serverless tests into WASM; microsocks is the
# SOCKS5 upstream of the /v1/proxy/anon e2e test; pebble is the ACME test
# CA of the TLS e2e tests. Installed when missing; tests that need them
# fail without them.
APT_TOOLS = wat2wasm:wabt microsocks:microsocks pebble:pebble
tools-apt:
	@missing=; for t in $(APT_TOOLS); do command -v $${t%%:*} >/dev/null || missing="$$missing $${t#*:}"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing$$missing (Debian)"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  ($$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq $$missing) >/dev/null || \
	    { echo "need:$$missing (apt-get install$$missing)"; exit 1; }; \
	fi
	@wat2wasm --version

# the name earlier docs and messages give
tools-wabt: tools-apt

# --- protobuf -------------------------------------------------------------
# protoc comes from Debian (protobuf-compiler $(PROTOC_VERSION)); the Go
# plugins are built from the versions pinned in tools/gen/go.mod.
tools-proto:
	@if ! command -v protoc >/dev/null || ! protoc --version | grep -q '$(PROTOC_VERSION)'; then \
	  echo "installing protobuf-compiler $(PROTOC_VERSION) (Debian)"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  ($$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq protobuf-compiler) >/dev/null || \
	    { echo "need protoc $(PROTOC_VERSION): apt-get install protobuf-compiler"; exit 1; }; \
	fi
	@protoc --version | grep -q '$(PROTOC_VERSION)' || { echo "protoc $$(protoc --version) found, need $(PROTOC_VERSION)"; exit 1; }
	@mkdir -p $(TOOLS)
	@cd tools/gen && GOWORK=off $(GO) build -o $(TOOLS)/protoc-gen-go google.golang.org/protobuf/cmd/protoc-gen-go
	@cd tools/gen && GOWORK=off $(GO) build -o $(TOOLS)/protoc-gen-go-grpc google.golang.org/grpc/cmd/protoc-gen-go-grpc

## proto: regenerate sdk/gen from sdk/proto
proto: tools-proto
	./scripts/proto.sh gen

## proto-check: fail when regenerating would change sdk/gen
proto-check: tools-proto
	./scripts/proto.sh check

clean:
	rm -rf $(BIN)
