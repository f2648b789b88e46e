#!/usr/bin/env bash
# The host sysctls the kubelet (protectKernelDefaults=false: vm.overcommit_memory, kernel.panic,
# kernel.panic_on_oops, …) and kube-proxy (route_localnet) rewrite.
# Usage: infra/cluster/sysctls.sh save|restore   (save keeps the first saved values)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
saved="$state/sysctl.orig"
case "${1:-}" in
  save)
    mkdir -p "$state"
    [ -f "$saved" ] && exit 0
    for key in $CHANGED_SYSCTLS; do
      value="$(sysctl -n "$key" 2>/dev/null)" && echo "$key=$value"
    done >"$saved"
    ;;
  restore)
    [ -f "$saved" ] || exit 0
    while IFS= read -r line; do sysctl -q -w "$line" >/dev/null; done <"$saved"
    rm -f "$saved"
    say "sysctls restored"
    ;;
  *) echo "usage: $0 save|restore" >&2; exit 2 ;;
esac
