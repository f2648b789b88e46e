# Shared by the image scripts (sourced): where things are, which docker client, the image names.
# shellcheck shell=bash
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
images_dir="$root/infra/images"
cache="${TICKETING_CACHE:-$HOME/.cache/ticketing}"
say() { printf '[images] %s\n' "$*" >&2; }

# The image names (one place, also read by infra/tests/src/images.ts).
# shellcheck source=infra/images/names.env
. "$images_dir/names.env"

# A docker client that builds with BuildKit (RUN --mount): one whose buildx plugin works, or
# Debian's docker.io client (20.10, BuildKit built in). A newer client without buildx only has
# the legacy builder, which cannot run these Dockerfiles.
docker_client() {
  if [ -n "${DOCKER:-}" ]; then echo "$DOCKER"; return; fi
  if docker buildx version >/dev/null 2>&1; then echo docker; return; fi
  if [ -x /usr/bin/docker ]; then echo /usr/bin/docker; return; fi
  echo docker
}
DOCKER="$(docker_client)"
export DOCKER_BUILDKIT=1
