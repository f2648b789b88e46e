#!/usr/bin/env bash
# The cluster's daemons as plain processes (pid files and logs in .state/cluster/run, /logs):
# etcd (Debian's), containerd (Debian's, its own root and socket), kube-apiserver,
# kube-controller-manager, kube-scheduler, kubelet, kube-proxy.
# Usage: infra/cluster/processes.sh start|stop|list
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
mkdir -p "$run" "$logs"
daemons=(etcd containerd kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy)

running() { [ -f "$run/$1.pid" ] && kill -0 "$(cat "$run/$1.pid")" 2>/dev/null; }

# launch NAME COMMAND…: in its own session, logging to logs/NAME.log.
launch() {
  local name="$1"; shift
  if running "$name"; then say "$name already running"; return; fi
  setsid "$@" >>"$logs/$name.log" 2>&1 </dev/null &
  echo $! >"$run/$name.pid"
  say "started $name (pid $!)"
}

start() {
  local ip
  ip="$(node_ip)"
  launch etcd etcd --name ticketing-cluster --data-dir "$var_etcd" \
    --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
    --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
    --initial-cluster ticketing-cluster=http://127.0.0.1:2380 --listen-metrics-urls http://127.0.0.1:2381
  launch containerd containerd --config "$state/conf/containerd.toml"
  waitfor etcd 240 etcdctl --endpoints http://127.0.0.1:2379 endpoint health
  launch kube-apiserver "$bin/kube-apiserver" --etcd-servers=http://127.0.0.1:2379 \
    --bind-address=0.0.0.0 --advertise-address="$ip" --secure-port=6443 \
    --service-cluster-ip-range="$SERVICE_CIDR" --service-node-port-range=30000-32767 --allow-privileged=true \
    --client-ca-file="$pki/ca.crt" --tls-cert-file="$pki/apiserver.crt" --tls-private-key-file="$pki/apiserver.key" \
    --kubelet-client-certificate="$pki/apiserver-kubelet-client.crt" --kubelet-client-key="$pki/apiserver-kubelet-client.key" \
    --kubelet-preferred-address-types=InternalIP,Hostname \
    --service-account-key-file="$pki/sa.pub" --service-account-signing-key-file="$pki/sa.key" \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --authorization-mode=Node,RBAC --enable-admission-plugins=NodeRestriction
  waitfor containerd 240 "${ctr_cmd[@]}" version
  waitfor kube-apiserver 360 "${kubectl_cmd[@]}" get --raw /readyz
  launch kube-controller-manager "$bin/kube-controller-manager" --kubeconfig="$pki/controller-manager.kubeconfig" \
    --authentication-kubeconfig="$pki/controller-manager.kubeconfig" --authorization-kubeconfig="$pki/controller-manager.kubeconfig" \
    --bind-address=127.0.0.1 --leader-elect=false --cluster-name=ticketing-cluster \
    --cluster-signing-cert-file="$pki/ca.crt" --cluster-signing-key-file="$pki/ca.key" \
    --root-ca-file="$pki/ca.crt" --service-account-private-key-file="$pki/sa.key" --use-service-account-credentials=true \
    --service-cluster-ip-range="$SERVICE_CIDR"
  launch kube-scheduler "$bin/kube-scheduler" --kubeconfig="$pki/scheduler.kubeconfig" \
    --authentication-kubeconfig="$pki/scheduler.kubeconfig" --authorization-kubeconfig="$pki/scheduler.kubeconfig" \
    --bind-address=127.0.0.1 --leader-elect=false
  launch kubelet "$bin/kubelet" --config="$state/conf/kubelet.yaml" --kubeconfig="$pki/kubelet.kubeconfig" --node-ip="$ip"
  launch kube-proxy "$bin/kube-proxy" --config="$state/conf/kube-proxy.yaml" --hostname-override="$node_name"
  waitfor node-registered 360 "${kubectl_cmd[@]}" get node "$node_name"
  waitfor node-Ready 360 "${kubectl_cmd[@]}" wait --for=condition=Ready "node/$node_name" --timeout=1s
  waitfor default-serviceaccount 240 "${kubectl_cmd[@]}" get serviceaccount default -n default
}

# stop_daemon NAME: SIGTERM, then SIGKILL after 15 s.
stop_daemon() {
  local name="$1" pid
  [ -f "$run/$name.pid" ] || return 0
  pid="$(cat "$run/$name.pid")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
    say "stopped $name"
  fi
  rm -f "$run/$name.pid"
}

# The pod containers left after the kubelet stopped: killed and deleted through containerd,
# then any shim of this containerd (matched by its socket path, never by a broad name).
stop_containers() {
  running containerd || return 0
  local task
  for task in $("${ctr_cmd[@]}" tasks ls -q 2>/dev/null); do "${ctr_cmd[@]}" tasks kill -s SIGKILL "$task" 2>/dev/null || true; done
  sleep 1
  for task in $("${ctr_cmd[@]}" tasks ls -q 2>/dev/null); do "${ctr_cmd[@]}" tasks delete -f "$task" 2>/dev/null || true; done
  for task in $("${ctr_cmd[@]}" containers ls -q 2>/dev/null); do "${ctr_cmd[@]}" containers rm "$task" 2>/dev/null || true; done
}

stop() {
  for name in kube-proxy kubelet kube-scheduler kube-controller-manager; do stop_daemon "$name"; done
  stop_containers
  for name in kube-apiserver containerd etcd; do stop_daemon "$name"; done
  local shim
  for shim in $(pgrep -f "containerd-shim-runc-v2 .*-address $run_containerd/" || true); do kill -9 "$shim" 2>/dev/null || true; done
}

list() { for name in "${daemons[@]}"; do if running "$name"; then echo "$name $(cat "$run/$name.pid")"; else echo "$name -"; fi; done; }

case "${1:-}" in
  start | stop | list) "$1" ;;
  *) echo "usage: $0 start|stop|list" >&2; exit 2 ;;
esac
