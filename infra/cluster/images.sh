#!/usr/bin/env bash
# Images for the test cluster. No registry is reachable, so every image is local:
#   images.sh build   the cluster's own stand-ins with the Docker engine: ticketing-local/pause
#                     (the sandbox, from images/pause.c) and ticketing-local/coredns (build.sh's binary)
#   images.sh load    imports them, the project's images ticketing/*:local and the stand-ins
#                     the overlay runs (NATS, Redis, MongoDB, Traefik for the edge) into the cluster's containerd:
#                     docker save | ctr -n k8s.io images import -
# The project's images come from infra/images/build.sh (run it first).
set -euo pipefail
# The image scripts' names and docker client first; this directory's lib.sh (sourced second) keeps its own say/cache.
. "$(dirname "${BASH_SOURCE[0]}")/../images/lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
PAUSE_IMAGE=ticketing-local/pause:3.10-standin
COREDNS_IMAGE="ticketing-local/coredns:${COREDNS_VERSION#v}-standin"
project=(auth tickets orders payments expiration live client)

build() {
  local work
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' RETURN
  gcc -static -Os -s -o "$work/pause" "$cluster_dir/images/pause.c"
  "$DOCKER" build -q -f "$cluster_dir/images/pause.Dockerfile" -t "$PAUSE_IMAGE" "$work" >/dev/null
  rm -f "$work/pause"
  cp "$coredns_bin" "$work/coredns"
  "$DOCKER" build -q -f "$cluster_dir/images/coredns.Dockerfile" -t "$COREDNS_IMAGE" "$work" >/dev/null
  say "built $PAUSE_IMAGE and $COREDNS_IMAGE"
}

load() {
  local refs=("$PAUSE_IMAGE" "$COREDNS_IMAGE" "$STANDIN_NATS" "$STANDIN_REDIS" "$STANDIN_MONGO" "$STANDIN_TRAEFIK")
  for name in "${project[@]}"; do refs+=("ticketing/$name:$PROJECT_TAG"); done
  for ref in "${refs[@]}"; do
    "$DOCKER" image inspect "$ref" >/dev/null 2>&1 || die "image $ref is missing: run bash infra/images/build.sh"
  done
  "$DOCKER" save "${refs[@]}" | "${ctr_cmd[@]}" images import - >/dev/null
  say "loaded ${#refs[@]} images into the cluster's containerd"
}

case "${1:-}" in
  build | load) "$1" ;;
  *) echo "usage: $0 build|load" >&2; exit 2 ;;
esac
