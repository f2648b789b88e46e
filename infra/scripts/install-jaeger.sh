#!/usr/bin/env bash
# Builds Jaeger v2 (`jaeger`: an OpenTelemetry Collector with Jaeger's in-memory store and
# query service) from the Go module proxy into .tools/bin, where @ticketing/dev-servers'
# findBinary finds it: `npm start` runs it beside the services (unless TRACING=0) and the
# e2e tracing test reads traces back from its API.
# Jaeger tags every release twice, v1.N.0 for the Go module github.com/jaegertracing/jaeger
# (no /v2 suffix) and v2.M.0 for the v2 binary: v1.76.0 is v2.13.0. `go install module@version`
# refuses this module (its go.mod has a replace directive), so this builds inside the
# downloaded module, which applies it as Jaeger's own build does (-o writes outside the
# read-only module cache). The module carries no UI assets (they are built from the jaeger-ui
# repository, which no registry publishes): the UI port serves Jaeger's placeholder page and
# the query API; JAEGER_BIN=<an official jaeger binary> gives the full UI (see README).
set -euo pipefail
# The two tags of one release move together (renovate.json's "Jaeger" group; versions.test.ts
# checks the binary that runs is this release).
# renovate: datasource=github-releases depName=jaegertracing/jaeger
version="${JAEGER_VERSION:-v2.13.0}"
# renovate: datasource=go depName=github.com/jaegertracing/jaeger
module_version="${JAEGER_MODULE_VERSION:-v1.76.0}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bin="$root/.tools/bin"
if "$bin/jaeger" version 2>/dev/null | grep -q "\"gitVersion\": *\"${version}\""; then
  echo "jaeger ${version} already at ${bin#"$root"/}"; exit 0
fi
module="github.com/jaegertracing/jaeger@${module_version}"
go="$("$root/infra/scripts/go-toolchain.sh" "$module")"
src="$(cd /tmp && GOFLAGS=-mod=mod "$go" mod download -json "$module" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')"
mkdir -p "$bin"
echo "building jaeger ${version} (${module}); a first build takes several minutes"
# -trimpath and -s -w: no local paths, no symbol tables (smaller binary, shorter link).
(cd "$src" && GOTOOLCHAIN=auto GOFLAGS=-mod=readonly "$go" build -trimpath \
  -ldflags "-s -w -X github.com/jaegertracing/jaeger/internal/version.latestVersion=${version}" \
  -o "$bin/jaeger" ./cmd/jaeger)
echo "jaeger ${version} built at ${bin#"$root"/}"
