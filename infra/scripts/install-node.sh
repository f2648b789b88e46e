#!/usr/bin/env bash
# Makes the npm scripts (tests, `npm start`, …) run on the Node.js that .node-version names
# (the images' and CI's major). When this machine's `node` is another major (older, typically),
# the official binary comes from the npm registry (package node-linux-<arch>, which carries it)
# into .tools/node-v<version>/, and node_modules/.bin/node links to it: npm puts node_modules/.bin first on PATH in every
# script, npx and workspace script, so `node` and every `#!/usr/bin/env node` tool resolve to it.
# A machine whose node is already at that major (CI's setup-node) keeps its own.
# infra/tests/test/versions.test.ts checks that the tests run on that major.
# `install-node.sh --fetch-only` only makes sure .tools/node-v<version>/ holds that official
# binary (and its CHANGELOG.md, which names the bundled npm) and prints the directory: the
# stand-in Node base image (infra/images/build.sh) is made from it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
version="$(tr -d '[:space:]' < "$root/.node-version")"
major="${version%%.*}"
link="$root/node_modules/.bin/node"
# The machine's own node: PATH without node_modules/.bin (under `npm test`, prepare.sh runs
# with it first, and `node` would be this script's own link).
machine_path="$(printf '%s' "$PATH" | tr ':' '\n' | grep -v '/node_modules/\.bin$' | paste -sd: -)"
machine_node="$(PATH="$machine_path" command -v node || true)"
machine_major="$("${machine_node:-false}" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"

fetch_only=false
if [ "${1:-}" = "--fetch-only" ]; then fetch_only=true; fi

if [ "$fetch_only" = false ] && [ "$machine_major" -eq "$major" ]; then
  # A link left from when the machine's node was another major would shadow it.
  if [ -L "$link" ]; then rm -f "$link"; fi
  echo "node $("$machine_node" --version) (machine) is Node ${major}"
  exit 0
fi

case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "no node-linux-* package for $(uname -m); install Node ${major} yourself" >&2; exit 1 ;;
esac
dir="$root/.tools/node-v${version}"
if [ "$("$dir/bin/node" --version 2>/dev/null)" != "v${version}" ] || [ ! -f "$dir/CHANGELOG.md" ]; then
  echo "installing Node ${version} (npm package node-linux-${arch}) into ${dir#"$root"/}"
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --silent "node-linux-${arch}@${version}" >/dev/null)
  rm -rf "$dir"
  mkdir -p "$dir"
  tar -xzf "$work"/node-linux-"${arch}"-*.tgz -C "$dir" --strip-components=1 package/bin/node package/LICENSE package/CHANGELOG.md
fi
if [ "$fetch_only" = true ]; then echo "$dir"; exit 0; fi
mkdir -p "$(dirname "$link")"
ln -sfn "../../.tools/node-v${version}/bin/node" "$link" # relative: survives moving the clone
echo "node $("$link" --version) at ${dir#"$root"/} for the npm scripts (the machine's node is $("$machine_node" --version 2>/dev/null || echo none))"
