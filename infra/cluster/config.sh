#!/usr/bin/env bash
# Renders the daemons' configuration (conf/*: containerd, CNI, kubelet, kube-proxy) into
# .state/cluster/ with this machine's paths, node name and address.
# Usage: infra/cluster/config.sh
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
mkdir -p "$state/conf" "$state/cni"
render() {
  sed -e "s|@STATE@|$state|g" -e "s|@PKI@|$pki|g" -e "s|@VAR_CONTAINERD@|$var_containerd|g" \
    -e "s|@RUN_CONTAINERD@|$run_containerd|g" -e "s|@VAR_CNI@|$var_cni|g" -e "s|@BRIDGE@|$BRIDGE|g" \
    -e "s|@NODE_POD_CIDR@|$NODE_POD_CIDR|g" -e "s|@POD_CIDR@|$POD_CIDR|g" -e "s|@DNS_IP@|$DNS_IP|g" \
    -e "s|@NODE@|$node_name|g" -e "s|@NODE_IP@|$(node_ip)|g" "$cluster_dir/conf/$1" >"$2"
}
render containerd.toml "$state/conf/containerd.toml"
render kubelet.yaml "$state/conf/kubelet.yaml"
render kube-proxy.yaml "$state/conf/kube-proxy.yaml"
render cni.conflist "$state/cni/10-ticketing-cluster.conflist"
say "configuration rendered in ${state#"$root"/}/conf"
