#!/usr/bin/env bash
# The cluster's PKI and kubeconfigs, made with openssl into .state/cluster/pki: a CA, the
# service-account key pair, the API server's serving certificate, one client certificate per
# component and admin. Kept while the cluster's state exists; `down` removes it.
# Usage: infra/cluster/pki.sh
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
mkdir -p "$pki"
cd "$pki"
umask 077
ip="$(node_ip)"
[ -f ca.key ] || {
  openssl genrsa -out ca.key 2048 2>/dev/null
  openssl req -x509 -new -key ca.key -days 30 -subj "/CN=ticketing-cluster-ca" -out ca.crt
}
[ -f sa.key ] || { openssl genrsa -out sa.key 2048 2>/dev/null; openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null; }

# certificate NAME CN ORGANISATION [SUBJECT_ALT_NAMES]: a CA-signed key pair (server and client
# use when it has alternative names, client only otherwise).
certificate() {
  local name="$1" cn="$2" org="$3" san="${4:-}" subject
  [ -f "$name.crt" ] && return 0
  subject="/CN=$cn"
  [ -n "$org" ] && subject="/O=$org/CN=$cn"
  openssl genrsa -out "$name.key" 2048 2>/dev/null
  openssl req -new -key "$name.key" -subj "$subject" -out "$name.csr"
  if [ -n "$san" ]; then
    printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth,clientAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n' "$san" >"$name.ext"
  else
    printf 'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n' >"$name.ext"
  fi
  openssl x509 -req -in "$name.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 30 -extfile "$name.ext" -out "$name.crt" 2>/dev/null
  rm -f "$name.csr" "$name.ext"
}

certificate apiserver kube-apiserver "" "DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,DNS:localhost,DNS:$node_name,IP:127.0.0.1,IP:$ip,IP:$API_IP"
certificate apiserver-kubelet-client kube-apiserver-kubelet-client system:masters
certificate admin admin system:masters
certificate controller-manager system:kube-controller-manager ""
certificate scheduler system:kube-scheduler ""
certificate kubelet "system:node:$node_name" system:nodes
certificate kube-proxy system:kube-proxy ""
certificate kubelet-serving "$node_name" "" "DNS:$node_name,DNS:localhost,IP:127.0.0.1,IP:$ip"

for user in admin controller-manager scheduler kubelet kube-proxy; do
  cat >"$user.kubeconfig" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: ticketing-cluster
  cluster:
    server: https://127.0.0.1:6443
    certificate-authority-data: $(base64 -w0 ca.crt)
users:
- name: $user
  user:
    client-certificate-data: $(base64 -w0 "$user.crt")
    client-key-data: $(base64 -w0 "$user.key")
contexts:
- name: ticketing-cluster
  context: {cluster: ticketing-cluster, user: $user}
current-context: ticketing-cluster
KUBECONFIG
done
say "pki and kubeconfigs in ${pki#"$root"/} (node $node_name, $ip)"
