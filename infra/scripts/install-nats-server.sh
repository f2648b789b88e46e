#!/usr/bin/env bash
# Builds the NATS server the tests and the local stack run, from the Go module proxy, into
# .tools/bin (found first by @ticketing/dev-servers' findBinary). Its minor is the one the
# manifests' image pins (infra/k8s/base/nats.yaml); infra/tests/test/versions.test.ts fails
# when the two drift. The Go toolchain comes through the proxy too when the machine's is older
# than the module needs (go-toolchain.sh).
set -euo pipefail
# renovate: datasource=go depName=github.com/nats-io/nats-server/v2
version="${NATS_SERVER_VERSION:-v2.14.10}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bin="$root/.tools/bin"
if [ "$("$bin/nats-server" --version 2>/dev/null)" = "nats-server: ${version}" ]; then
  echo "nats-server ${version} already at ${bin#"$root"/}"; exit 0
fi
module="github.com/nats-io/nats-server/v2@${version}"
go="$("$root/infra/scripts/go-toolchain.sh" "$module")"
mkdir -p "$bin"
(cd /tmp && GOBIN="$bin" GOTOOLCHAIN=auto GOFLAGS=-mod=mod "$go" install "$module")
echo "nats-server ${version} built at ${bin#"$root"/}"
