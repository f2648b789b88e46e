#!/usr/bin/env bash
# The test cluster: a single-node Kubernetes on this machine running the local-cluster overlay.
# Usage: npm run cluster -- up|down|status   (bash infra/cluster/cluster.sh up|down|status)
set -euo pipefail
dir="$(dirname "${BASH_SOURCE[0]}")"
case "${1:-}" in
  up) exec bash "$dir/up.sh" ;;
  down) exec bash "$dir/down.sh" ;;
  status) exec bash "$dir/status.sh" ;;
  *) echo "usage: npm run cluster -- up|down|status" >&2; exit 2 ;;
esac
