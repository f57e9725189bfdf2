#!/usr/bin/env bash
# prepare-test-data.sh: builds, once, the test data that is neither in the
# repository nor in ../shared:
#   - a Debian bookworm minbase root filesystem (debootstrap downloads about
#     40 MB of packages), in ${TMPDIR:-/tmp}/shipshape-bookworm/rootfs, or
#     wherever SHIPSHAPE_BOOKWORM_ROOTFS points;
#   - with --apps, also the same base plus python3-requests, openssl and
#     golang-go (Debian's Go 1.19 toolchain, about 250 MB more) in
#     ${TMPDIR:-/tmp}/shipshape-bookworm-apps/rootfs (SHIPSHAPE_BOOKWORM_APPS_ROOTFS):
#     the real Python, OpenSSL and Go trees that the secret scanner must
#     stay quiet on.
# Tests that need them skip (outside CI) naming this script when they are
# absent. Needs root and debootstrap (apt-get install debootstrap), and
# Debian's package mirror.
set -euo pipefail
base="${TMPDIR:-/tmp}/shipshape-bookworm"
root="$base/rootfs"
apps=false
[ "${1:-}" = "--apps" ] && apps=true

if [ ! -f "$base/complete" ]; then
  command -v debootstrap >/dev/null || { echo "prepare-test-data.sh: debootstrap is not installed (apt-get install debootstrap)" >&2; exit 2; }
  rm -rf "$root"
  mkdir -p "$root"
  log="$base/debootstrap.log"
  debootstrap --variant=minbase bookworm "$root" >"$log" 2>&1 || { tail -n 20 "$log" >&2; exit 1; }
  touch "$base/complete"
fi

if $apps; then
  abase="${TMPDIR:-/tmp}/shipshape-bookworm-apps"
  aroot="$abase/rootfs"
  if [ ! -f "$abase/complete" ]; then
    rm -rf "$aroot"
    mkdir -p "$abase"
    # A copy of the base, then apt inside it: the base's packages are not
    # downloaded twice.
    cp -a "$root" "$aroot"
    cp /etc/resolv.conf "$aroot/etc/resolv.conf" 2>/dev/null || true
    log="$abase/apt.log"
    {
      chroot "$aroot" apt-get update -q
      DEBIAN_FRONTEND=noninteractive chroot "$aroot" apt-get install -y -q --no-install-recommends python3-requests openssl golang-go
      chroot "$aroot" apt-get clean
    } >"$log" 2>&1 || { tail -n 20 "$log" >&2; exit 1; }
    rm -rf "$aroot"/var/lib/apt/lists/*
    touch "$abase/complete"
  fi
  echo "$aroot"
fi
if [ -f "$base/complete" ] && ! $apps; then
  echo "$root"
fi
