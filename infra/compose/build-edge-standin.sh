#!/usr/bin/env bash
# Builds compose's edge stand-in (EDGE_IMAGE in infra/compose/standins.env): Debian's nginx-light
# on the Debian minbase stand-in, for tests where the official nginx image cannot be pulled.
# Needs the base stand-ins first (bash infra/images/build.sh standins). Prints seconds and size.
# Usage: bash infra/compose/build-edge-standin.sh
set -euo pipefail
# shellcheck source=infra/images/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../images/lib.sh"
compose_dir="$root/infra/compose"
image="$(sed -n 's/^EDGE_IMAGE=//p' "$compose_dir/standins.env")"
"$DOCKER" image inspect "$STANDIN_DEBIAN" >/dev/null 2>&1 || { say "no $STANDIN_DEBIAN: run bash infra/images/build.sh standins first"; exit 1; }
start=$SECONDS
"$DOCKER" build --quiet --tag "$image" --label "ticketing.base=$STANDIN_DEBIAN" --build-arg DEBIAN_IMAGE="$STANDIN_DEBIAN" \
  --file "$compose_dir/edge-standin.Dockerfile" "$compose_dir" >/dev/null
# The name says the nginx version really installed.
version="$("$DOCKER" run --rm --read-only --network none "$image" nginx -v 2>&1 | sed -n 's|.*nginx/\([0-9]*\.[0-9]*\).*|\1|p')"
[ "${image#*:}" = "$version-bookworm-standin" ] || { say "$image does not name nginx $version: fix infra/compose/standins.env"; exit 1; }
say "$(printf '%-50s %5d s %6d MB' "$image" $((SECONDS - start)) $(( $("$DOCKER" image inspect --format '{{.Size}}' "$image") / 1000000 )))"
