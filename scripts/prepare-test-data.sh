#!/usr/bin/env bash
# prepare-test-data.sh: builds, once, the test data that is neither in the
# repository nor in ../shared: a Debian bookworm minbase root filesystem
# (debootstrap downloads about 40 MB of packages). Tests that need it find
# it in ${TMPDIR:-/tmp}/shipshape-bookworm/rootfs, or wherever
# SHIPSHAPE_BOOKWORM_ROOTFS points, and skip (outside CI) naming this script
# when it is absent. Needs root and debootstrap (apt-get install debootstrap).
set -euo pipefail
base="${TMPDIR:-/tmp}/shipshape-bookworm"
root="$base/rootfs"
if [ -f "$base/complete" ]; then
  echo "$root (already prepared)"
  exit 0
fi
command -v debootstrap >/dev/null || { echo "prepare-test-data.sh: debootstrap is not installed (apt-get install debootstrap)" >&2; exit 2; }
rm -rf "$root"
mkdir -p "$root"
log="$base/debootstrap.log"
debootstrap --variant=minbase bookworm "$root" >"$log" 2>&1 || { tail -n 20 "$log" >&2; exit 1; }
touch "$base/complete"
echo "$root"
