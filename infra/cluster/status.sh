#!/usr/bin/env bash
# What runs of the test cluster: its daemons, the node's readiness, every pod's readiness, the
# edge's address and the memory the cluster uses.
# Usage: infra/cluster/status.sh   (npm run cluster -- status)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
echo "daemons (name pid):"
bash "$cluster_dir/processes.sh" list | sed 's/^/  /'
if bash "$cluster_dir/guard.sh" installed; then echo "egress guard: installed ($GUARD_CHAIN, $(bash "$cluster_dir/guard.sh" counter) packets rejected)"; else echo "egress guard: not installed"; fi
if ! "${kubectl_cmd[@]}" get --raw /readyz >/dev/null 2>&1; then
  echo "api server: not answering"
  exit 1
fi
"${kubectl_cmd[@]}" get nodes
"${kubectl_cmd[@]}" get pods -A -o wide
echo "edge: http://127.0.0.1:30080"
echo "kubectl: $bin/kubectl --kubeconfig $kubeconfig"
# Resident memory of the daemons plus the pods' cgroups.
daemons_kib="$(bash "$cluster_dir/processes.sh" list | awk '$2 != "-" {print $2}' | xargs -r ps -o rss= -p | awk '{s += $1} END {print s + 0}')"
pods_bytes="$(cat /sys/fs/cgroup/memory/kubepods/memory.usage_in_bytes 2>/dev/null || echo 0)"
echo "memory: daemons $((daemons_kib / 1024)) MiB, pods $((pods_bytes / 1048576)) MiB"
