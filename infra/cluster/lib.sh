# Shared by the cluster scripts (sourced): versions, paths, ranges, logging.
# shellcheck shell=bash
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cluster_dir="$root/infra/cluster"
# Kubernetes 1.34: 1.35+ kubelets refuse containerd 1.x (Debian bookworm's 1.6) on cgroup v1
# (renovate.json allows 1.34 patches only).
# renovate: datasource=go depName=k8s.io/kubernetes
K8S_VERSION="${K8S_VERSION:-v1.34.4}"
# renovate: datasource=go depName=github.com/coredns/coredns
COREDNS_VERSION="${COREDNS_VERSION:-v1.14.7}"
# Built binaries, reused across runs and checkouts (keyed by version).
cache="${TICKETING_CACHE:-$HOME/.cache/ticketing}/k8s"
bin="$cache/$K8S_VERSION/bin"
coredns_bin="$cache/coredns-$COREDNS_VERSION/coredns"
# A running cluster's state (git-ignored); `down` removes it.
state="$root/.state/cluster"
pki="$state/pki"
run="$state/run"
logs="$state/logs"
# Host directories the daemons own. Names carry the prefix so nothing else's state is touched.
var_etcd=/var/lib/ticketing-cluster-etcd
var_containerd=/var/lib/ticketing-cluster-containerd
run_containerd=/run/ticketing-cluster-containerd
var_cni=/var/lib/ticketing-cluster-cni
var_kubelet=/var/lib/kubelet
var_pv=/var/lib/ticketing-cluster-pv
# Address ranges: nothing addressed to them may leave the machine (guard.sh).
SERVICE_CIDR=10.96.0.0/16
POD_CIDR=10.244.0.0/16
NODE_POD_CIDR=10.244.0.0/24
DNS_IP=10.96.0.10
API_IP=10.96.0.1
# The guard chain; the tests give their standalone check its own (TICKETING_CLUSTER_GUARD_CHAIN).
GUARD_CHAIN="${TICKETING_CLUSTER_GUARD_CHAIN:-TICKETING-CLUSTER-GUARD}"
BRIDGE=cni0
ctr_cmd=(ctr --address "$run_containerd/containerd.sock" -n k8s.io)
kubeconfig="$pki/admin.kubeconfig"
kubectl_cmd=("$bin/kubectl" --kubeconfig "$kubeconfig")
node_name="$(hostname | tr '[:upper:]' '[:lower:]')"
node_ip() { ip -4 -o route get 1.1.1.1 2>/dev/null | sed -n 's/.* src \([0-9.]*\).*/\1/p'; }
# Host sysctls the kubelet (protectKernelDefaults=false) and kube-proxy rewrite; down.sh restores them.
CHANGED_SYSCTLS="vm.overcommit_memory vm.panic_on_oom kernel.panic kernel.panic_on_oops kernel.keys.root_maxkeys kernel.keys.root_maxbytes net.ipv4.conf.all.route_localnet net.bridge.bridge-nf-call-iptables net.ipv4.ip_forward"
t0="${CLUSTER_T0:-$(date +%s.%N)}"
export CLUSTER_T0="$t0"
say() { printf "[cluster %6.1fs] %s\n" "$(awk -v a="$(date +%s.%N)" -v b="$t0" "BEGIN{print a-b}")" "$*" >&2; }
die() { say "$*"; exit 1; }
# waitfor WHAT TRIES CMD…: runs CMD every half second until it succeeds.
waitfor() {
  local what="$1" tries="$2"; shift 2
  for _ in $(seq 1 "$tries"); do
    if "$@" >/dev/null 2>&1; then say "$what ok"; return 0; fi
    sleep 0.5
  done
  die "timed out waiting for $what"
}
