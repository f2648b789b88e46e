#!/usr/bin/env bash
# Writes the development overlay's secrets, random and never committed:
# infra/k8s/overlays/dev/secrets/*.env (git-ignored), read by the overlay's secretGenerator.
# Files that exist are kept (the MongoDB passwords must match what the databases were first
# started with); delete the folder, and the dev PVCs, to start over.
# Usage: bash infra/scripts/dev-secrets.sh   (or: npm run -w infra/tests secrets:dev)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dir="$root/infra/k8s/overlays/dev/secrets"
mkdir -p "$dir"
umask 077

# Hex: safe inside URLs (MONGO_URL embeds the password) and env files.
random_hex() { od -An -vtx1 -N"$1" /dev/urandom | tr -d ' \n'; }

# write <file> <line>...: creates the file unless it exists.
write() {
  local file="$dir/$1"
  shift
  [ -e "$file" ] && return 0
  printf '%s\n' "$@" >"$file.tmp"
  mv "$file.tmp" "$file"
  printf '[dev-secrets] wrote %s\n' "${file#"$root"/}"
}

# No STRIPE_KEY: payments uses its offline sandbox gateway. Add `STRIPE_KEY=sk_test_…` to this
# file to use Stripe's test mode.
write stripe.env "STRIPE_WEBHOOK_SECRET=whsec_$(random_hex 24)"
for db in auth tickets orders payments; do
  write "$db-mongo.env" "MONGO_ROOT_PASSWORD=$(random_hex 24)" "MONGO_APP_PASSWORD=$(random_hex 24)"
done
