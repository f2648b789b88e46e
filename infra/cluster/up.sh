#!/usr/bin/env bash
# Starts the test cluster: the egress guard first, then the build (cached), PKI, configuration,
# daemons (node Ready), images, CoreDNS, the local-cluster overlay with every rollout, the edge.
# Usage: infra/cluster/up.sh   (npm run cluster -- up)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[ "$(id -u)" = 0 ] || die "the test cluster runs its daemons as root: run as root"
# Before anything else: nothing addressed to the cluster's ranges may leave this machine.
bash "$cluster_dir/guard.sh" install
mkdir -p "$state"
# What down must remove that is not the cluster's own: the kubelet's directories when they
# were not there before, the CNI's network namespaces made from now on.
for dir in "$var_kubelet" /var/log/pods /var/log/containers /run/netns /var/lib/cni; do
  [ -e "$dir" ] || grep -qx "$dir" "$state/created" 2>/dev/null || echo "$dir" >>"$state/created"
done
[ -f "$state/netns.before" ] || ls /run/netns 2>/dev/null >"$state/netns.before" || true
bash "$cluster_dir/sysctls.sh" save
bash "$cluster_dir/build.sh"
bash "$cluster_dir/pki.sh"
bash "$cluster_dir/config.sh"
bash "$cluster_dir/images.sh" build
bash "$cluster_dir/processes.sh" start
say "node $node_name Ready"
bash "$cluster_dir/images.sh" load
bash "$cluster_dir/addons.sh"
bash "$cluster_dir/overlay.sh"
bash "$cluster_dir/edge.sh"
say "cluster up: edge at http://127.0.0.1:30080 (npm run cluster -- status)"
