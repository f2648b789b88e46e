#!/usr/bin/env bash
# Prints what the test cluster may change on this machine, normalised so that two snapshots
# can be compared (`down` must leave it as `up` found it): the cluster's processes, mounts,
# network interfaces, iptables rules and chains, the sysctls the kubelet and kube-proxy touch,
# and the top-level entries of the directories the daemons write to. The Docker engine's own
# state (shared with other work on this machine) is left out.
# Usage: infra/cluster/host-state.sh
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
docker_owned='docker|DOCKER|br-[0-9a-f]{12}'

echo "## processes"
# The daemons (by their paths), and anything in a pod's cgroup.
ps -eo args= | grep -E "^($bin/|etcd --name ticketing-cluster|containerd --config $state/|/usr/bin/containerd-shim-runc-v2 .*$run_containerd)" || true
grep -l kubepods /proc/[0-9]*/cgroup 2>/dev/null | sed 's|/proc/\([0-9]*\)/cgroup|pod process \1|' || true

echo "## mounts"
awk '{print $5}' /proc/self/mountinfo | grep -vE '^/var/lib/docker|^/run/docker' | sort -u

echo "## interfaces"
ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | while read -r name; do
  master="$(ip -o link show "$name" 2>/dev/null | sed -n 's/.* master \([^ ]*\).*/\1/p')"
  echo "$name master=${master:-none}"
done | grep -vE "^($docker_owned)|master=($docker_owned)|^veth[0-9a-f]+ master=none" | sort || true
ls /run/netns 2>/dev/null | sed 's/^/netns /' || true

echo "## iptables"
for save in iptables-save ip6tables-save; do
  # Tables and built-in chains with their default policy left out: a first ip6tables call loads
  # empty tables, which cannot be unloaded and change nothing.
  "$save" 2>/dev/null | grep -vE "^#|^\*|^COMMIT|^:(PREROUTING|INPUT|FORWARD|OUTPUT|POSTROUTING) ACCEPT|$docker_owned" | sed -E 's/^(:[^ ]+ [^ ]+) \[[0-9]+:[0-9]+\]/\1/' | sed "s/^/$save /" || true
done

echo "## sysctls"
for key in $CHANGED_SYSCTLS net.ipv4.conf.default.route_localnet net.netfilter.nf_conntrack_max; do
  echo "$key=$(sysctl -n "$key" 2>/dev/null || echo absent)"
done

echo "## directories"
for dir in /var/lib /var/log /run /etc /opt; do ls -1 "$dir" | grep -vE '^docker' | sed "s|^|$dir/|"; done
