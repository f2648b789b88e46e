#!/usr/bin/env bash
# Builds the Kubernetes binaries (kube-apiserver, kube-controller-manager, kube-scheduler, kubelet,
# kube-proxy, kubectl) of $K8S_VERSION and CoreDNS from the Go module proxy into
# ~/.cache/ticketing/k8s/ (keyed by version); a cached build is reused.
# Usage: infra/cluster/build.sh
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
components=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl)

built() { for c in "${components[@]}"; do [ -x "$bin/$c" ] || return 1; done; }

if built; then
  say "kubernetes $K8S_VERSION: cached in $bin"
else
  # k8s.io/kubernetes replaces its staging modules with ./staging paths, so `go install` cannot
  # build it: a wrapper module requires it and points each staging module at its published
  # v0.x release. Never `go mod tidy` it (that drops the requirement); build with -mod=mod.
  say "building kubernetes $K8S_VERSION (cold: ~10 minutes)"
  wrapper="$cache/$K8S_VERSION/wrapper"
  mkdir -p "$wrapper"
  staging_release="v0${K8S_VERSION#v1}"
  minor="$(echo "$K8S_VERSION" | cut -d. -f2)"
  modfile="$(cd /tmp && go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
  {
    printf 'module local/ticketing-cluster-k8s\n\ngo 1.24.0\n\ngodebug default=go1.24\n\n'
    printf 'require k8s.io/kubernetes %s\n\nreplace (\n' "$K8S_VERSION"
    grep -E '=> ./staging' "$modfile" | awk -v v="$staging_release" '{print "\t" $1 " => " $1 " " v}'
    printf ')\n'
  } >"$wrapper/go.mod"
  echo "package wrapper" >"$wrapper/wrapper.go"
  ldflags="-s -w"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags="$ldflags -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
  done
  packages=()
  for c in "${components[@]}"; do packages+=("k8s.io/kubernetes/cmd/$c"); done
  (cd "$wrapper" && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -ldflags "$ldflags" -o "$bin/" "${packages[@]}")
  say "kubernetes $K8S_VERSION built: ${components[*]}"
fi

if [ -x "$coredns_bin" ]; then
  say "coredns $COREDNS_VERSION: cached"
else
  say "building coredns $COREDNS_VERSION"
  (cd /tmp && CGO_ENABLED=0 GOBIN="$(dirname "$coredns_bin")" GOFLAGS=-mod=mod go install -trimpath -ldflags '-s -w' "github.com/coredns/coredns@$COREDNS_VERSION")
  say "coredns $COREDNS_VERSION built"
fi
