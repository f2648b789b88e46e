#!/usr/bin/env bash
# The cluster's add-ons: CoreDNS (addons/coredns.yaml), waited for until ready.
# Usage: infra/cluster/addons.sh
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
sed -e "s|@COREDNS_TAG@|${COREDNS_VERSION#v}-standin|" -e "s|@DNS_IP@|$DNS_IP|" "$cluster_dir/addons/coredns.yaml" |
  "${kubectl_cmd[@]}" apply -f - >/dev/null
"${kubectl_cmd[@]}" -n kube-system rollout status deployment/coredns --timeout=300s >/dev/null
say "coredns ready"
