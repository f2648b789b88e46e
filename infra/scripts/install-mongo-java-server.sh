#!/usr/bin/env bash
# Builds the MongoDB stand-in (infra/mongo-java-server: de.bwaldvogel:mongo-java-server, used
# because mongod cannot be downloaded and FerretDB loses concurrent updates) into one runnable jar:
#   ${TICKETING_CACHE:-$HOME/.cache/ticketing}/mongo-java-server/mongo-java-server.jar
# Needs java 17+ and mvn; dependencies come from Maven Central. Skips the build when the jar was
# built from the same pom and Java sources (their content hash, not their mtimes: a fresh clone's
# files are all new, and a rebuilt jar's new bytes would rebuild the image). The build runs in a
# temporary copy, so no target/ appears in the repo. Run it: java -jar <jar> [--port N] [--data-dir DIR]
set -euo pipefail
src="$(cd "$(dirname "${BASH_SOURCE[0]}")/../mongo-java-server" && pwd)"
out_dir="${TICKETING_CACHE:-$HOME/.cache/ticketing}/mongo-java-server"
jar="$out_dir/mongo-java-server.jar"

sources_hash="$(cd "$src" && find pom.xml src -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)"
if [ -f "$jar" ] && [ "$(cat "$jar.sources" 2>/dev/null)" = "$sources_hash" ]; then
  echo "mongo-java-server jar up to date at $jar"; exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$src/pom.xml" "$src/src" "$work/"
# mvn -q still writes ANSI resets to stdout; keep stdout to the one result line
(cd "$work" && mvn -q -B package) >&2
mkdir -p "$out_dir"
cp "$work/target/mongo-java-server.jar" "$jar.tmp"
mv -f "$jar.tmp" "$jar"
echo "$sources_hash" > "$jar.sources"
echo "mongo-java-server jar built at $jar"
