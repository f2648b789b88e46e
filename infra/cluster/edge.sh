#!/usr/bin/env bash
# Waits until the edge (Traefik at the Gateway's NodePort) routes to every service: the proxy
# learns of ready endpoints some seconds after their rollout ("no available server", 503, until
# then). One path per route of the base's HTTPRoutes (live's stream is left out: it never ends).
# Usage: infra/cluster/edge.sh
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
EDGE=http://127.0.0.1:30080
# routed PATH: the answer comes from the service behind the route (not a proxy error, not unrouted).
routed() { [[ "$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$EDGE$1")" =~ ^(200|401)$ ]]; }
for path in / /api/users/currentuser /api/tickets /api/orders/openapi.json /api/payments/openapi.json; do
  waitfor "edge route $path" 240 routed "$path"
done
say "edge ready at $EDGE"
