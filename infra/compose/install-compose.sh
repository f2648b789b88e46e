#!/usr/bin/env bash
# Installs the Docker Compose v2 CLI plugin (`docker compose`), built from the Go module proxy
# (Debian has no compose v2 package), as the Docker client's plugin:
# ~/.docker/cli-plugins/docker-compose (found by /usr/bin/docker 20.10 and newer clients).
# Built once per version into ~/.cache/ticketing/compose/<version>/ and reused; does nothing
# when the installed plugin is that version. v2 (not v5): v5's Docker client needs API >= 1.44,
# the engine here (Debian's 20.10) speaks 1.41.
# The module's go.mod has exclude directives, so `go install module@version` refuses it: the
# build runs inside the downloaded module (its go.mod and go.sum as the main module).
# Usage: bash infra/compose/install-compose.sh
set -euo pipefail
# renovate: datasource=go depName=github.com/docker/compose/v2
version=v2.40.3
cache="${TICKETING_CACHE:-$HOME/.cache/ticketing}/compose/$version"
plugin_dir="${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins"
plugin="$plugin_dir/docker-compose"
say() { printf '[compose] %s\n' "$*" >&2; }

if [ -x "$plugin" ] && [ "$("$plugin" version --short 2>/dev/null)" = "${version#v}" ]; then
  exit 0
fi
if [ ! -x "$cache/docker-compose" ]; then
  say "building docker compose $version from the Go module proxy (once; cached in $cache)"
  start=$SECONDS
  dir="$(cd /tmp && go mod download -json "github.com/docker/compose/v2@$version" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')"
  mkdir -p "$cache"
  (cd "$dir" && GOFLAGS=-mod=mod go build -trimpath -ldflags "-s -w -X github.com/docker/compose/v2/internal.Version=$version" -o "$cache/docker-compose.tmp" ./cmd)
  mv "$cache/docker-compose.tmp" "$cache/docker-compose"
  say "built in $((SECONDS - start)) s"
fi
mkdir -p "$plugin_dir"
install -m 0755 "$cache/docker-compose" "$plugin"
say "installed $plugin ($("$plugin" version --short))"
