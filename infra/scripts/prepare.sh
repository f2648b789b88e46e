#!/usr/bin/env bash
# Installs what a fresh machine lacks for running or testing Ticketing, skipping what is
# present: Debian packages (Redis, nginx for the local edge, Go, Java + Maven for the MongoDB
# stand-in, Chromium for browser tests), Node.js of .node-version for the npm scripts when the
# machine's is another major (install-node.sh), the NATS server of the manifests' minor built
# from the Go module proxy (install-nats-server.sh), Jaeger v2 from the same proxy
# (install-jaeger.sh: the local trace store), Go-built tools (FerretDB, stripe-mock,
# kustomize, actionlint, promtool), schemathesis (a Python venv in .venv/, for the contract test), the
# mongo-java-server jar, npm dependencies, the common package build, and (tests) every image
# built by a Docker engine (infra/images/build.sh).
# Usage: prepare.sh [run|test]   ("run" skips what only the tests need)
set -euo pipefail
mode="${1:-test}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
say() { printf '[prepare] %s\n' "$*"; }

# --- Debian packages -------------------------------------------------------
missing=()
have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ]; }
have redis-server || missing+=(redis-server)
have java || missing+=(default-jre-headless)
have mvn || missing+=(maven)
have nginx || missing+=(nginx-light) # the local edge (infra/local/src/edge)
have go || missing+=(golang-go) # builds nats-server (and, for the tests, the Go tools below)
if [ "$mode" = test ]; then
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  have python3 || missing+=(python3)
  python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || missing+=(python3-venv)
  # The test cluster (infra/cluster/): Debian's etcd, containerd, runc, CNI plugins, conntrack
  # for kube-proxy, gcc for its pause image. Debian's policy-rc.d keeps etcd from starting.
  have etcd || missing+=(etcd-server etcd-client)
  have containerd || missing+=(containerd)
  have runc || missing+=(runc)
  [ -x /usr/lib/cni/bridge ] || missing+=(containernetworking-plugins)
  have iptables || missing+=(iptables)
  have conntrack || missing+=(conntrack)
  have gcc || missing+=(gcc libc6-dev)
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    say "missing: ${missing[*]}. Install them (as root): apt-get update && apt-get install -y ${missing[*]}"
    exit 1
  fi
  say "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- NATS server: the manifests' minor, from the Go module proxy --------------
infra/scripts/install-nats-server.sh

# --- Jaeger v2 (traces of `npm start`, and the e2e tracing test), from the Go module proxy ----
# `TRACING=0 prepare.sh run` skips it: such a stack never starts Jaeger. The tests always need it.
case "$mode:${TRACING:-1}" in
  run:0 | run:false | run:off) say "TRACING=${TRACING}: not building Jaeger" ;;
  *) infra/scripts/install-jaeger.sh ;;
esac

# --- Go-built tools (tests only) -------------------------------------------
if [ "$mode" = test ]; then
  gobin="$(go env GOPATH)/bin"
  export PATH="$PATH:$gobin"
  infra/scripts/install-ferretdb.sh
  go_tool() { infra/scripts/go-tool.sh "$@"; } # name package@version [go install flags]: rebuilt when the pin moves
  # Each pin has its Renovate line above it (renovate.json's custom manager; depName is the module).
  # renovate: datasource=go depName=github.com/stripe/stripe-mock
  go_tool stripe-mock github.com/stripe/stripe-mock@v0.203.0
  # renovate: datasource=go depName=sigs.k8s.io/kustomize/kustomize/v5
  go_tool kustomize sigs.k8s.io/kustomize/kustomize/v5@v5.7.1
  # renovate: datasource=go depName=github.com/rhysd/actionlint
  go_tool actionlint github.com/rhysd/actionlint/cmd/actionlint@v1.7.12
  # Prometheus 3.x's module (v0.3xx). remove_all_sd leaves out the cloud service-discovery
  # plugins (AWS, Azure, GCE, ... and their SDKs), which checking and testing rules never use
  # (cold build measured: 2.5 min of CPU with the tag).
  # renovate: datasource=go depName=github.com/prometheus/prometheus
  go_tool promtool github.com/prometheus/prometheus/cmd/promtool@v0.316.0 -tags remove_all_sd
fi

# --- docker compose (tests only): the CLI plugin e2e/compose runs compose.yaml with, built from
# the Go module proxy (infra/compose/install-compose.sh; cached per version) ----
if [ "$mode" = test ]; then
  bash infra/compose/install-compose.sh
fi

# --- schemathesis (tests only): the contract test's fuzzer (e2e/contract), from PyPI ----
if [ "$mode" = test ]; then
  # renovate: datasource=pypi depName=schemathesis
  schemathesis_version=4.32.5
  venv=.venv/schemathesis
  if [ "$("$venv/bin/st" --version 2>/dev/null)" != "st, version $schemathesis_version" ]; then
    say "installing schemathesis $schemathesis_version into $venv"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$schemathesis_version"
  fi
fi

# --- MongoDB-wire stand-in --------------------------------------------------
infra/scripts/install-mongo-java-server.sh

# --- npm --------------------------------------------------------------------
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm dependencies"
  # The lock is complete and in step with every package.json (infra/tests/test/lockfile.test.ts;
  # regenerate it with infra/scripts/relock.sh), so this leaves package-lock.json byte-identical.
  npm install --no-audit --no-fund
fi
# --- Node.js of .node-version for the npm scripts (node_modules/.bin/node when the machine's major differs) ----
infra/scripts/install-node.sh
export PATH="$root/node_modules/.bin:$PATH"
npm run --silent build:common
# Development secrets of the dev overlay (random, git-ignored; kept once written).
bash infra/scripts/dev-secrets.sh

# --- development cluster credentials (NATS, Redis; generated once, never committed) ----
node --import tsx infra/scripts/secrets.ts
# --- the dev overlay's session key pair (npm run k8s:dev-keys; generated once, git-ignored) ----
node --import tsx infra/local/src/session-keys-cli.ts
# --- images (tests only): every image built by a Docker engine (Debian's started when none
# answers, as root); layers cached, so a second run takes seconds. infra/images/build.sh.
# `IMAGES=0 prepare.sh test` skips them and the cluster's binaries (a CI job that runs one
# service's tests).
if [ "$mode:${IMAGES:-1}" = test:1 ]; then
  images_start=$SECONDS
  bash infra/images/build.sh
  say "images built in $((SECONDS - images_start)) s"
fi
# --- the test cluster's binaries (tests only): Kubernetes and CoreDNS from the Go module proxy
# (cold about 10 minutes, cached by version in ~/.cache/ticketing/k8s; infra/cluster/build.sh);
# e2e/cluster starts the cluster, runs the flows through its edge and stops it.
if [ "$mode:${IMAGES:-1}" = test:1 ]; then
  bash infra/cluster/build.sh
fi
say "ready"
