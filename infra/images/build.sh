#!/usr/bin/env bash
# Builds every image with the Docker engine (dockerd.sh starts Debian's when none answers).
#   build.sh standins   the local stand-ins for official images no registry here serves:
#                       $STANDIN_DEBIAN (debootstrap minbase), $STANDIN_NODE, $STANDIN_NATS,
#                       $STANDIN_REDIS, $STANDIN_MONGO, $STANDIN_TRAEFIK (names in names.env)
#   build.sh traefik    only $STANDIN_TRAEFIK (the Debian stand-in must exist)
#   build.sh project    ticketing/<auth|tickets|orders|payments|expiration|live|client>:$PROJECT_TAG
#                       from the project's Dockerfiles, unchanged, with
#                       --build-arg NODE_IMAGE=$STANDIN_NODE (their default: the official image)
#   build.sh [all]      both, stand-ins first
# One build at a time. `npm ci` and apt-get inside a build reach their registries through the
# engine's default bridge network (NAT); the npm cache is BuildKit's cache mount. Where this
# machine's TLS to the registry goes through an inspecting proxy, the stand-in Node image
# carries this machine's NODE_EXTRA_CA_CERTS, else npm's cafile (standins/node.Dockerfile).
# Prints how long each image took and the sizes. Caches: $TICKETING_CACHE (~/.cache/ticketing).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
what="${1:-all}"
bash "$images_dir/dockerd.sh" start
DOCKER="$(docker_client)" # dockerd.sh may just have installed Debian's client
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
times=()

# build NAME TAG DOCKERFILE CONTEXT [docker build args…]
build() {
  local name="$1" tag="$2" dockerfile="$3" context="$4"; shift 4
  local start=$SECONDS
  say "building $tag"
  if ! "$DOCKER" build --progress=plain -f "$dockerfile" -t "$tag" "$@" "$context" >"$work/$name.log" 2>&1; then
    tail -n 40 "$work/$name.log" >&2
    say "building $tag failed"
    exit 1
  fi
  times+=("$tag $((SECONDS - start))")
}

# A fresh context directory holding only the given files.
context() { local dir="$work/context-$1"; mkdir -p "$dir"; echo "$dir"; }

build_standins() {
  # Debian bookworm minbase: imported from the cached debootstrap tarball when it changed.
  local tarball sum start=$SECONDS
  tarball="$(bash "$images_dir/debian-rootfs.sh")"
  sum="$(sha256sum "$tarball" | cut -c1-64)"
  if [ "$("$DOCKER" image inspect -f '{{index .Config.Labels "ticketing.rootfs.sha256"}}' "$STANDIN_DEBIAN" 2>/dev/null)" != "$sum" ]; then
    say "importing $STANDIN_DEBIAN"
    "$DOCKER" import --change "LABEL ticketing.rootfs.sha256=$sum" --change 'CMD ["bash"]' "$tarball" "$STANDIN_DEBIAN" >/dev/null
  fi
  times+=("$STANDIN_DEBIAN $((SECONDS - start))")

  # Node.js: the official binary of .node-version and the npm it bundles, both from the npm registry.
  local node_dir node_version npm_version ctx extra_ca
  node_dir="$(bash "$root/infra/scripts/install-node.sh" --fetch-only | tail -n 1)"
  node_version="$("$node_dir/bin/node" -p process.versions.node)"
  [ "${STANDIN_NODE#*:}" = "${node_version%%.*}-bookworm-slim-standin" ] || { say "$STANDIN_NODE does not name Node ${node_version} (.node-version): fix names.env"; exit 1; }
  npm_version="$(grep -m 1 -o 'upgrade npm to [0-9][0-9.]*[0-9]' "$node_dir/CHANGELOG.md" | awk '{print $4}')"
  [ -n "$npm_version" ] || { say "no bundled npm version in $node_dir/CHANGELOG.md"; exit 1; }
  ctx="$(context node)"
  cp "$node_dir/bin/node" "$ctx/node"
  extra_ca="${NODE_EXTRA_CA_CERTS:-}"
  [ -n "$extra_ca" ] && [ -f "$extra_ca" ] || extra_ca="$(npm config get cafile 2>/dev/null || true)"
  if [ -n "$extra_ca" ] && [ -f "$extra_ca" ]; then
    cp "$extra_ca" "$ctx/extra-ca-certificates.pem"
  else
    : >"$ctx/extra-ca-certificates.pem"
  fi
  mkdir -p "$cache/images"
  if [ ! -s "$cache/images/npm-$npm_version.tgz" ]; then
    (cd "$work" && npm pack --silent "npm@$npm_version" >/dev/null && mv "npm-$npm_version.tgz" "$cache/images/")
  fi
  mkdir -p "$ctx/npm"
  tar -xzf "$cache/images/npm-$npm_version.tgz" -C "$ctx/npm" --strip-components=1
  build node "$STANDIN_NODE" "$images_dir/standins/node.Dockerfile" "$ctx" \
    --build-arg DEBIAN_IMAGE="$STANDIN_DEBIAN" --build-arg NODE_VERSION="$node_version" --label ticketing.npm.version="$npm_version"

  # NATS: the binary the tests run, at the version install-nats-server.sh pins.
  bash "$root/infra/scripts/install-nats-server.sh" >&2
  local nats_version
  nats_version="$("$root/.tools/bin/nats-server" --version | sed 's/.*v//')"
  [ "${STANDIN_NATS#*:}" = "$nats_version-standin" ] || { say "$STANDIN_NATS does not name nats-server $nats_version: fix names.env"; exit 1; }
  ctx="$(context nats)"
  cp "$root/.tools/bin/nats-server" "$ctx/"
  build nats "$STANDIN_NATS" "$images_dir/standins/nats.Dockerfile" "$ctx" --build-arg DEBIAN_IMAGE="$STANDIN_DEBIAN"

  ctx="$(context redis)"
  build redis "$STANDIN_REDIS" "$images_dir/standins/redis.Dockerfile" "$ctx" --build-arg DEBIAN_IMAGE="$STANDIN_DEBIAN"

  # The jar of this checkout's sources, kept apart from the one the tests run (another checkout's
  # prepare.sh may rebuild that one from its own sources).
  TICKETING_CACHE="$cache/images" bash "$root/infra/scripts/install-mongo-java-server.sh" >&2
  ctx="$(context mongo)"
  cp "$cache/images/mongo-java-server/mongo-java-server.jar" "$ctx/"
  build mongo "$STANDIN_MONGO" "$images_dir/standins/mongo-java-server.Dockerfile" "$ctx" --build-arg DEBIAN_IMAGE="$STANDIN_DEBIAN"

  build_traefik
}

# Traefik, the test cluster's Gateway API implementation, built from the Go module proxy.
build_traefik() {
  "$DOCKER" image inspect "$STANDIN_DEBIAN" >/dev/null 2>&1 || { say "no $STANDIN_DEBIAN: run $0 standins first"; exit 1; }
  local traefik_bin traefik_version ctx
  traefik_bin="$(bash "$root/infra/cluster/install-traefik.sh")"
  traefik_version="$("$traefik_bin" version | sed -n 's/^Version:[[:space:]]*//p')"
  [ "${STANDIN_TRAEFIK#*:}" = "$traefik_version-standin" ] || { say "$STANDIN_TRAEFIK does not name traefik $traefik_version: fix names.env"; exit 1; }
  ctx="$(context traefik)"
  cp "$traefik_bin" "$ctx/traefik"
  build traefik "$STANDIN_TRAEFIK" "$images_dir/standins/traefik.Dockerfile" "$ctx" --build-arg DEBIAN_IMAGE="$STANDIN_DEBIAN"
}

build_project() {
  "$DOCKER" image inspect "$STANDIN_NODE" >/dev/null 2>&1 || { say "no $STANDIN_NODE: run $0 standins first"; exit 1; }
  local service
  for service in auth tickets orders payments expiration live; do
    build "$service" "ticketing/$service:$PROJECT_TAG" "$root/infra/docker/service.Dockerfile" "$root" \
      --target runtime --build-arg SERVICE="$service" --build-arg NODE_IMAGE="$STANDIN_NODE" --label ticketing.base="$STANDIN_NODE"
  done
  build client "ticketing/client:$PROJECT_TAG" "$root/client/Dockerfile" "$root" \
    --target runtime --build-arg NODE_IMAGE="$STANDIN_NODE" --label ticketing.base="$STANDIN_NODE"
}

case "$what" in
  standins) build_standins ;;
  traefik) build_traefik ;;
  project) build_project ;;
  all) build_standins; build_project ;;
  *) echo "usage: $0 [standins|traefik|project|all]" >&2; exit 2 ;;
esac

printf '%-52s %8s %10s\n' image seconds size
for entry in "${times[@]}"; do
  tag="${entry% *}"
  printf '%-52s %8s %10s\n' "$tag" "${entry##* }" "$("$DOCKER" image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1000000}')"
done
