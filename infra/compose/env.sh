#!/usr/bin/env bash
# Writes the secrets compose.yaml gives its containers: one env file per container in
# infra/compose/secrets/ (git-ignored, 0600; compose reads them, the containers get the
# variables), made from the dev overlay's development secrets (infra/k8s/overlays/dev/secrets:
# random, git-ignored, generated here when missing, kept once written). Rewritten on every run
# from the same secrets, so they always match what the MongoDB volumes were created with.
# Usage: bash infra/compose/env.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
secrets="$root/infra/k8s/overlays/dev/secrets"
out="$root/infra/compose/secrets"
say() { printf '[compose-env] %s\n' "$*" >&2; }

# The same generators as prepare.sh: each keeps what exists.
if [ ! -f "$secrets/nats.env" ] || [ ! -f "$secrets/session-keys/signing-key.pem" ] || [ ! -f "$secrets/ticket-code-key/signing-key.pem" ] || [ ! -f "$secrets/auth-mongo.env" ]; then
  say "generating the development secrets into ${secrets#"$root"/}"
  (cd "$root" && bash infra/scripts/dev-secrets.sh >&2 && npx --no-install tsx infra/scripts/secrets.ts >&2 && npx --no-install tsx infra/local/src/session-keys-cli.ts >&2)
fi

# value <dotenv file> <KEY>
value() { sed -n "s/^$2=//p" "$1" | head -n1; }
# Single quotes: compose takes the value literally (PEM newlines, the ACL's `#`, JSON's `\n`).
line() { printf "%s='%s'\n" "$1" "$2"; }
nats() { line NATS_PASSWORD "$(value "$secrets/nats.env" "NATS_PASSWORD_${1^^}")"; }
mongo_url() { line MONGO_URL "mongodb://$1:$(value "$secrets/$1-mongo.env" MONGO_APP_PASSWORD)@$1-mongo:27017/$1?authSource=$1"; }
redis_url() { line REDIS_URL "redis://$1:$(value "$secrets/redis.env" "REDIS_PASSWORD_${1^^}")@redis:6379"; }
public_keys() { line SESSION_PUBLIC_KEYS "$(cat "$secrets/session-keys/public-keys.json")"; }

umask 077
mkdir -p "$out"
# write <name>: stdin to secrets/<name>.env, atomically.
write() { cat >"$out/$1.env.tmp" && mv "$out/$1.env.tmp" "$out/$1.env"; }

for db in auth tickets orders payments; do
  { line MONGO_INITDB_ROOT_PASSWORD "$(value "$secrets/$db-mongo.env" MONGO_ROOT_PASSWORD)"
    line MONGO_INITDB_APP_PASSWORD "$(value "$secrets/$db-mongo.env" MONGO_APP_PASSWORD)"; } | write "$db-mongo"
done
grep -E '^NATS_PASSWORD_[A-Z]+=' "$secrets/nats.env" | write nats
line REDIS_ACL "$(cat "$secrets/redis-users.acl")" | write redis
{ mongo_url auth; nats auth; redis_url auth; public_keys
  line SESSION_SIGNING_KEY "$(cat "$secrets/session-keys/signing-key.pem")"
  line SESSION_SIGNING_KEY_ID "$(cat "$secrets/session-keys/signing-key-id")"; } | write auth
{ mongo_url tickets; nats tickets; public_keys
  line TICKET_CODE_SIGNING_KEY "$(cat "$secrets/ticket-code-key/signing-key.pem")"
  line TICKET_CODE_KEY_ID "$(cat "$secrets/ticket-code-key/signing-key-id")"; } | write tickets
{ mongo_url orders; nats orders; public_keys; } | write orders
{ mongo_url payments; nats payments; public_keys
  line STRIPE_WEBHOOK_SECRET "$(value "$secrets/stripe.env" STRIPE_WEBHOOK_SECRET)"; } | write payments
{ nats expiration; redis_url expiration; } | write expiration
{ nats live; public_keys; } | write live
say "wrote ${out#"$root"/}/*.env"
