#!/usr/bin/env bash
# Builds FerretDB (MongoDB wire protocol on SQLite) into $(go env GOPATH)/bin.
# `go install …@<version>` cannot be used as is: the module proxy refuses the module's
# version list (which `go install` reads to check deprecation), and the module's source
# lacks build/version/version.txt, which FerretDB reads at start-up. So: download the
# exact version, add the version file, build.
set -euo pipefail
# renovate: datasource=go depName=github.com/FerretDB/FerretDB
version="${FERRETDB_VERSION:-v1.24.2}"
bin="$(go env GOPATH)/bin/ferretdb"
if [ -x "$bin" ] && "$bin" --version 2>/dev/null | grep -q "${version#v}"; then
  echo "ferretdb ${version} already at ${bin}"; exit 0
fi
dir="$(go mod download -json "github.com/FerretDB/FerretDB@${version}" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')"
work="$(mktemp -d)"
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
cp -r "$dir/." "$work/"
chmod -R u+w "$work"
echo "$version" > "$work/build/version/version.txt"
(cd "$work" && GOFLAGS=-mod=mod go build -o "$bin" ./cmd/ferretdb)
echo "ferretdb ${version} built at ${bin}"
