#!/usr/bin/env bash
# proto.sh gen|check — regenerate sdk/gen from sdk/proto, or fail when the
# checked-in code differs from what the pinned generators produce.
set -euo pipefail
cd "$(dirname "$0")/.."
TOOLS="$PWD/.tools/bin"
mode=${1:-gen}

generate() { # $1: output dir (absolute)
  (cd sdk && PATH="$TOOLS:$PATH" protoc -I proto \
    --go_out="$1" --go_opt=module=github.com/orama-network/orama/sdk/gen \
    --go-grpc_out="$1" --go-grpc_opt=module=github.com/orama-network/orama/sdk/gen \
    $(find proto -name '*.proto' | sort))
}

case "$mode" in
gen)
  rm -rf sdk/gen && mkdir -p sdk/gen
  generate "$PWD/sdk/gen"
  echo "proto: regenerated sdk/gen"
  ;;
check)
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  generate "$tmp"
  if ! diff -r "$tmp" sdk/gen >/dev/null; then
    diff -ru sdk/gen "$tmp" | head -40
    echo "proto: sdk/gen is stale; run 'make proto' and commit the result" >&2
    exit 1
  fi
  echo "proto: sdk/gen up to date"
  ;;
*) echo "usage: $0 gen|check" >&2; exit 2 ;;
esac
