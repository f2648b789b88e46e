#!/usr/bin/env bash
# Builds Traefik (the test cluster's Gateway API implementation) from the Go module proxy into
# $TICKETING_CACHE/traefik/<version>/bin/traefik (default ~/.cache/ticketing) and prints its path.
#   install-traefik.sh            build once per version; later runs only print the path
# `go install …@version` refuses the module (its go.mod has replace directives), so the module's
# source is copied out of the module cache and built in place, with three changes, because this
# machine's proxy refuses some modules (403 "This module version is not available"):
#  - pkg/config/dynamic/ext, a nested module the zip lacks: written here; the open-source build's
#    extension types are empty structs (Traefik Hub fills them);
#  - the fork github.com/containous/go-http-auth (refused): upstream abbot/go-http-auth v0.4.0,
#    which lacks two of the fork's additions: CheckSecret (here: upstream's own comparison, by
#    its BasicAuth.CheckAuth on a request carrying the password) and RequireAuthStale (a stale
#    digest nonce gets a fresh challenge without stale=true: the client asks its user again);
#  - lego's DNS provider registry (a dozen provider SDKs refused): ACME's DNS-01 challenge says
#    it is not in this build. Nothing here uses ACME.
# The web UI is not in the module (webui/static holds only a placeholder): no dashboard; the
# proxy, the providers (kubernetesGateway among them) and the API are all there.
set -euo pipefail
# renovate: datasource=go depName=github.com/traefik/traefik/v3
version="${TRAEFIK_VERSION:-v3.7.13}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dir="${TICKETING_CACHE:-$HOME/.cache/ticketing}/traefik/${version#v}"
bin="$dir/bin/traefik"
if [ -x "$bin" ] && "$bin" version 2>/dev/null | grep -q "Version:[[:space:]]*${version#v}$"; then
  echo "$bin"; exit 0
fi
module="github.com/traefik/traefik/v3@${version}"
go="$("$root/infra/scripts/go-toolchain.sh" "$module")"
src_mod="$(cd /tmp && GOFLAGS=-mod=mod "$go" mod download -json "$module" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
[ -d "$src_mod" ] || { echo "go mod download gave no source directory for $module" >&2; exit 1; }
rm -rf "$dir/src"
mkdir -p "$dir/bin"
cp -r "$src_mod" "$dir/src"
chmod -R u+w "$dir/src"
ext="$dir/src/pkg/config/dynamic/ext"
mkdir -p "$ext"
printf 'module github.com/traefik/traefik/dynamic/ext\n\ngo 1.24.0\n' >"$ext/go.mod"
cat >"$ext/ext.go" <<'GO'
// Package ext: the extension points of Traefik's dynamic configuration, empty in this build.
package ext

// HTTP extends dynamic.HTTPConfiguration.
type HTTP struct{}

// Router extends dynamic.Router.
type Router struct{}
GO
# renovate: datasource=go depName=github.com/abbot/go-http-auth
http_auth="github.com/abbot/go-http-auth@v0.4.0"
(cd "$dir/src" && "$go" mod edit -dropreplace github.com/abbot/go-http-auth -require "$http_auth")
auth="$dir/src/pkg/middlewares/auth"
grep -q 'checkSecret:       goauth.CheckSecret,' "$auth/basic_auth.go" && grep -q 'd.auth.RequireAuthStale(rw, req)' "$auth/digest_auth.go" \
  || { echo "$auth changed: revisit the go-http-auth edits" >&2; exit 1; }
sed -i 's/checkSecret:       goauth.CheckSecret,/checkSecret:       checkSecret,/' "$auth/basic_auth.go"
sed -i 's/d.auth.RequireAuthStale(rw, req)/d.auth.RequireAuth(rw, req)/' "$auth/digest_auth.go"
cat >"$auth/check_secret.go" <<'GO'
package auth

import (
	"net/http"

	goauth "github.com/abbot/go-http-auth"
)

// checkSecret reports whether password matches the htpasswd secret, by go-http-auth's own
// comparison (plain MD5-crypt, {SHA}, bcrypt): a Basic request carrying it, checked against it.
func checkSecret(password, secret string) bool {
	a := goauth.NewBasicAuthenticator("", func(string, string) string { return secret })
	r := &http.Request{Header: http.Header{}}
	r.SetBasicAuth("user", password)
	return a.CheckAuth(r) != ""
}
GO
acme="$dir/src/pkg/provider/acme/provider.go"
grep -q 'dns.NewDNSChallengeProviderByName(p.DNSChallenge.Provider)' "$acme" || { echo "$acme changed: revisit the DNS-01 edit" >&2; exit 1; }
sed -i -e '/"github.com\/go-acme\/lego\/v5\/providers\/dns"$/d' \
  -e 's/provider, err = dns.NewDNSChallengeProviderByName(p.DNSChallenge.Provider)/provider, err = nil, fmt.Errorf("DNS-01 challenge provider %q: not in this build (infra\/cluster\/install-traefik.sh)", p.DNSChallenge.Provider)/' "$acme"
start=$SECONDS
(cd "$dir/src" && CGO_ENABLED=0 GOTOOLCHAIN=auto GOFLAGS=-mod=mod "$go" build -trimpath \
  -ldflags "-s -w -X github.com/traefik/traefik/v3/pkg/version.Version=${version#v}" \
  -o "$bin.tmp" ./cmd/traefik) >&2
mv "$bin.tmp" "$bin"
echo "traefik ${version} built in $((SECONDS - start)) s" >&2
echo "$bin"
