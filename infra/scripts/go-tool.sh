#!/usr/bin/env bash
# Installs a Go-built tool at the version prepare.sh pins:
#   go-tool.sh NAME PACKAGE@VERSION [go install flags, e.g. -tags x]
# into GOBIN (default: $(go env GOPATH)/bin). Skips the build only when the binary there was
# built from that version (`go version -m` names its module's version): a bumped pin (a
# Renovate pull request) rebuilds the tool instead of leaving the old build in use.
set -euo pipefail
name="$1"
target="$2"
shift 2
version="${target##*@}"
gobin="${GOBIN:-$(go env GOPATH)/bin}"
if go version -m "$gobin/$name" 2>/dev/null | awk -v v="$version" '$1 == "mod" && $3 == v { found = 1 } END { exit !found }'; then
  exit 0
fi
echo "[prepare] go install $target"
(cd /tmp && GOBIN="$gobin" GOFLAGS=-mod=mod go install -trimpath "$@" "$target")
