#!/usr/bin/env bash
# The egress guard: nothing addressed to the cluster's service or pod ranges (or from the pod
# range) may leave this machine. Until kube-proxy has written a Service's rules, a packet to
# its ClusterIP follows the default route out of the machine; this chain rejects it locally.
# `up` installs it before anything else starts; `down` removes it last.
# Usage: infra/cluster/guard.sh install|remove|counter|installed
#   counter    prints the packets the guard's filter chain has rejected so far
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# The rules, shared by install and remove: locally sent packets not going out through the
# cluster's bridge and not already translated by kube-proxy (DNAT) are rejected; forwarded
# ones (from pods) are dropped before routing can send them out.
output_jump=(OUTPUT ! -o "$BRIDGE" -m conntrack ! --ctstate DNAT -j "$GUARD_CHAIN")
forward_jump=(FORWARD ! -o "$BRIDGE" -j "$GUARD_CHAIN")

install() {
  iptables -w -N "$GUARD_CHAIN" 2>/dev/null || iptables -w -F "$GUARD_CHAIN"
  iptables -w -t mangle -N "$GUARD_CHAIN" 2>/dev/null || iptables -w -t mangle -F "$GUARD_CHAIN"
  for match in "-d $SERVICE_CIDR" "-d $POD_CIDR" "-s $POD_CIDR"; do
    # shellcheck disable=SC2086 # the match is two words
    iptables -w -A "$GUARD_CHAIN" $match -j REJECT --reject-with icmp-port-unreachable
    # shellcheck disable=SC2086
    iptables -w -t mangle -A "$GUARD_CHAIN" $match -j DROP
  done
  iptables -w -C "${output_jump[@]}" 2>/dev/null || iptables -w -I "${output_jump[@]:0:1}" 1 "${output_jump[@]:1}"
  iptables -w -t mangle -C "${forward_jump[@]}" 2>/dev/null || iptables -w -t mangle -I "${forward_jump[@]:0:1}" 1 "${forward_jump[@]:1}"
  say "egress guard $GUARD_CHAIN installed ($SERVICE_CIDR, $POD_CIDR stay on this machine)"
}

remove() {
  while iptables -w -D "${output_jump[@]}" 2>/dev/null; do :; done
  while iptables -w -t mangle -D "${forward_jump[@]}" 2>/dev/null; do :; done
  for table in filter mangle; do
    if iptables -w -t "$table" -L "$GUARD_CHAIN" -n >/dev/null 2>&1; then
      iptables -w -t "$table" -F "$GUARD_CHAIN"
      iptables -w -t "$table" -X "$GUARD_CHAIN"
    fi
  done
  say "egress guard removed"
}

counter() {
  iptables -w -L "$GUARD_CHAIN" -n -v -x | awk '$3 == "REJECT" { sum += $1 } END { print sum + 0 }'
}

installed() { iptables -w -C "${output_jump[@]}" 2>/dev/null; }

case "${1:-}" in
  install | remove | counter | installed) "$1" ;;
  *) echo "usage: $0 install|remove|counter|installed" >&2; exit 2 ;;
esac
