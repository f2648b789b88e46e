#!/usr/bin/env bash
# A Debian bookworm minbase root file system (debootstrap from Debian's archive), as a tarball
# cached at $TICKETING_CACHE/images/debian-bookworm-minbase.tar (built once, reused), imported
# as the stand-in base image $STANDIN_DEBIAN: what the official debian:bookworm-slim would be
# if a registry were reachable. Prints the tarball's path.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
tarball="$cache/images/debian-bookworm-minbase.tar"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
if [ ! -s "$tarball" ]; then
  if ! command -v debootstrap >/dev/null; then
    say "installing debootstrap (Debian)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
  fi
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  say "debootstrap --variant=minbase bookworm (once; cached at ${tarball})"
  debootstrap --variant=minbase bookworm "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 || { tail -n 30 "$work/debootstrap.log" >&2; exit 1; }
  # Like the official slim images: no downloaded packages, apt lists, docs, man pages or
  # translations, and dpkg told to keep it so for what later images install.
  r="$work/rootfs"
  rm -rf "$r"/var/cache/apt/archives/*.deb "$r"/var/cache/apt/*.bin "$r"/var/lib/apt/lists/* "$r"/var/log/*.log \
    "$r"/usr/share/doc/* "$r"/usr/share/man/* "$r"/usr/share/info/* "$r"/usr/share/locale/*
  cat >"$r/etc/dpkg/dpkg.cfg.d/ticketing-slim" <<'CFG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
CFG
  printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' >"$r/etc/apt/apt.conf.d/ticketing-slim"
  mkdir -p "$(dirname "$tarball")"
  tar -C "$work/rootfs" --numeric-owner -cf "$tarball.tmp" .
  mv -f "$tarball.tmp" "$tarball"
fi
echo "$tarball"
