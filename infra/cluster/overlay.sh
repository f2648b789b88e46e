#!/usr/bin/env bash
# Applies the local-cluster overlay (infra/k8s/overlays/local-cluster) and waits for every
# rollout, printing how long each took. Its secrets come from the dev overlay's tooling
# (dev-secrets.sh, secrets.ts, npm run k8s:dev-keys: random, git-ignored, kept once written),
# copied into the overlay's git-ignored secrets/. The hostPath volumes' directories are made
# here, owned by the user each pod runs as.
# Usage: infra/cluster/overlay.sh
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
overlay="$root/infra/k8s/overlays/local-cluster"

(
  cd "$root"
  bash infra/scripts/dev-secrets.sh >/dev/null
  npx --no-install tsx infra/scripts/secrets.ts >/dev/null
  npx --no-install tsx infra/local/src/session-keys-cli.ts >/dev/null
)
rm -rf "$overlay/secrets"
cp -r "$root/infra/k8s/overlays/dev/secrets" "$overlay/secrets"

# One directory per PersistentVolume: path and owner from persistent-volumes.yaml.
awk '/ticketing.dev\/owner-uid:/ { gsub(/"/, "", $2); uid = $2 } /path: \/var\/lib\/ticketing-cluster-pv\// { print uid, $2 }' \
  "$overlay/persistent-volumes.yaml" | while read -r uid dir; do
  mkdir -p "$dir"
  chown "$uid:$uid" "$dir"
done

# The Gateway API CRDs the overlay's edge needs, established before objects of their kinds are sent.
"${kubectl_cmd[@]}" apply -k "$root/infra/k8s/gateway-api/crds" >/dev/null
"${kubectl_cmd[@]}" wait --for condition=established --timeout=120s -f <("${kubectl_cmd[@]}" kustomize "$root/infra/k8s/gateway-api/crds") >/dev/null
"${kubectl_cmd[@]}" apply -k "$overlay" >/dev/null
say "local-cluster overlay applied"
start=$SECONDS
workloads="$("${kubectl_cmd[@]}" get deployments,statefulsets -A -o jsonpath='{range .items[*]}{.metadata.namespace}/{.kind}/{.metadata.name}{"\n"}{end}' | grep -E '^(ticketing|gateway-system)/')"
pending=()
for workload in $workloads; do
  # Each in the background: the report says when each became ready.
  ( "${kubectl_cmd[@]}" -n "${workload%%/*}" rollout status "${workload#*/}" --timeout=900s >/dev/null && say "rollout $workload ready after $((SECONDS - start))s" ) &
  pending+=($!)
done
failed=0
for pid in "${pending[@]}"; do wait "$pid" || failed=1; done
if [ "$failed" = 1 ]; then
  "${kubectl_cmd[@]}" get pods -A -o wide >&2
  die "a rollout did not finish (logs: kubectl -n ticketing logs <pod>; kubeconfig $kubeconfig)"
fi
say "every rollout ready after $((SECONDS - start))s"
