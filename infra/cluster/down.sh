#!/usr/bin/env bash
# Stops the test cluster and leaves the machine as `up` found it: the workloads are deleted
# (so the kubelet unmounts their volumes), the daemons stopped, leftover mounts, network
# namespaces, the cni0 bridge, the cluster's iptables chains and rules (kube-proxy's, the
# kubelet's, the CNI plugins', the egress guard last) removed, the sysctls restored, and the
# state directories deleted. Safe to run when nothing is running.
# Usage: infra/cluster/down.sh   (npm run cluster -- down)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [ -f "$run/kube-apiserver.pid" ] && "${kubectl_cmd[@]}" get --raw /readyz >/dev/null 2>&1; then
  # Gracefully first: the kubelet tears pods down and unmounts their volumes.
  "${kubectl_cmd[@]}" delete namespace ticketing gateway-system --wait --timeout=120s >/dev/null 2>&1 || true
  "${kubectl_cmd[@]}" -n kube-system delete deployment coredns --wait --timeout=60s >/dev/null 2>&1 || true
  say "workloads deleted"
fi
bash "$cluster_dir/processes.sh" stop

# Mounts the kubelet and containerd left (deepest first).
mount_points() { awk '{print $5}' /proc/self/mountinfo | grep -E "^($var_kubelet|$var_containerd|$run_containerd|/run/netns/cni-)" | sort -r || true; }
for point in $(mount_points); do umount "$point" 2>/dev/null || umount -l "$point" || true; done
# The network namespaces the CNI made for pods (created while the cluster ran: listed in created).
if [ -f "$state/netns.before" ]; then
  for ns in $(ls /run/netns 2>/dev/null | grep '^cni-' || true); do
    grep -qx "$ns" "$state/netns.before" || rm -f "/run/netns/$ns"
  done
fi

[ -x "$bin/kube-proxy" ] && "$bin/kube-proxy" --cleanup >/dev/null 2>&1 || true
ip link del "$BRIDGE" 2>/dev/null || true

# The chains the kubelet (KUBE-FIREWALL, KUBE-KUBELET-CANARY…), kube-proxy (KUBE-*) and the CNI
# plugins (CNI-*) made, and the rules of the built-in chains that jump to them. The guard is
# removed last, by guard.sh.
for tool in iptables ip6tables; do
  for table in filter nat mangle; do
    rules="$("$tool" -w -t "$table" -S 2>/dev/null | grep -E '^-A (INPUT|FORWARD|OUTPUT|PREROUTING|POSTROUTING) .*-j (CNI|KUBE)-' | sed 's/^-A/-D/' || true)"
    while read -r rule; do [ -z "$rule" ] || eval "$tool -w -t $table $rule" || true; done <<<"$rules"
    chains="$("$tool" -w -t "$table" -S 2>/dev/null | awk '/^-N (CNI|KUBE)-/ {print $2}' || true)"
    for chain in $chains; do "$tool" -w -t "$table" -F "$chain" || true; done
    for chain in $chains; do "$tool" -w -t "$table" -X "$chain" || true; done
  done
done
bash "$cluster_dir/sysctls.sh" restore

# State directories; the kubelet's log directories only if it created them.
rm -rf "$var_etcd" "$var_containerd" "$run_containerd" "$var_cni" "$var_pv"
if [ -f "$state/created" ]; then
  while IFS= read -r dir; do rm -rf "$dir"; done <"$state/created"
fi
bash "$cluster_dir/guard.sh" remove
rm -rf "$state"
say "cluster down"
