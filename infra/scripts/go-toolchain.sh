#!/usr/bin/env bash
# Prints a `go` command that can build MODULE@VERSION (the argument). Go ≥ 1.21 fetches the
# toolchain a module needs through the module proxy by itself (GOTOOLCHAIN=auto): it prints
# `go`. An older Go (Debian bookworm's golang-go is 1.19) cannot: this script then downloads
# the toolchain the module's go.mod asks for, as the module golang.org/toolchain from the
# same proxy, into .tools/go<version>/ and prints that go.
# GO_TOOLCHAIN_DOWNLOAD=1 takes the second path with any Go (to check it).
set -euo pipefail
module="$1"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if [ -n "$(go env GOTOOLCHAIN 2>/dev/null)" ] && [ "${GO_TOOLCHAIN_DOWNLOAD:-0}" != 1 ]; then
  echo go; exit 0
fi
gomod="$(cd /tmp && go mod download -json "$module" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
need="$(sed -n 's/^go \([0-9.]*\).*/\1/p' "$gomod")"
case "$need" in *.*.*) ;; *) need="$need.0" ;; esac # go 1.26 names the release go1.26.0
dir="$root/.tools/go$need"
if [ ! -x "$dir/bin/go" ]; then
  src="$(cd /tmp && go mod download -json "golang.org/toolchain@v0.0.1-go$need.$(go env GOHOSTOS)-$(go env GOHOSTARCH)" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')"
  rm -rf "$dir"
  mkdir -p "$(dirname "$dir")"
  cp -r "$src" "$dir"
  # The module cache keeps files read-only and without the executable bit.
  chmod -R u+w "$dir"
  chmod +x "$dir"/bin/* "$dir"/pkg/tool/*/*
fi
echo "$dir/bin/go"
