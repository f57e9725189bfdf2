#!/usr/bin/env bash
# golden.sh OUTDIR: records shipshape's outputs (JSON, SARIF, exit codes) on
# every corpus the project is judged on, so that a refactor can prove its
# outputs unchanged: run it before and after, then `diff -r BEFORE AFTER`.
#
#   scripts/golden.sh /tmp/golden-before
#   ... change ...
#   scripts/golden.sh /tmp/golden-after && diff -r /tmp/golden-before /tmp/golden-after
#
# Inputs: the real-world Dockerfiles and compose files, the peer corpora
# (KICS, Checkov, compose-lint), the examples, and deterministic test images
# (scripts/golden/mkimages) scanned with every scanner against a
# vulnerability database imported from ../shared/data.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: scripts/golden.sh OUTDIR}
shared=${SHIPSHAPE_SHARED:-../shared}
[ -d "$shared/corpus" ] || { echo "golden.sh: $shared/corpus not found (set SHIPSHAPE_SHARED)" >&2; exit 2; }
rm -rf "$out"
mkdir -p "$out/bin"
out=$(cd "$out" && pwd)
shared=$(cd "$shared" && pwd)
repo=$(pwd)
# Every input is copied into a scratch directory and named by a path
# relative to it, so that the outputs (paths, fingerprints) are the same
# whichever checkout or worktree runs the script.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/images" "$work/data"
cp -r "$shared/corpus" "$work/corpus"
cp -r "$shared/data/debian/rootfs-fixtures" "$shared/data/alpine/alpine-310-metadata" "$work/data/"
cp -r examples "$work/examples"

go build -o "$out/bin/shipshape" ./cmd/shipshape
ss="$out/bin/shipshape"
export NO_COLOR=1

# record NAME ARGS...: JSON, SARIF and text of one run, with its exit code.
record() {
  local name=$1; shift
  for fmt in json sarif text; do
    set +e
    "$ss" "$@" --format "$fmt" >"$out/$name.$fmt" 2>"$out/$name.$fmt.stderr"
    echo "$name $fmt $?" >>"$out/exitcodes.txt"
    set -e
  done
}

go run ./scripts/golden/mkimages "$shared/data" "$work/images"
cd "$work"
record realworld-dockerfiles lint corpus/realworld/dockerfiles
record realworld-compose lint corpus/realworld/compose
record kics lint corpus/kics
record checkov lint corpus/checkov
record compose-lint lint corpus/compose_lint
for ex in examples/*/; do
  record "example-$(basename "$ex")" lint "$ex"
done

db="$work/vuln.db"
"$ss" db import --db "$db" "$shared/data/osv/Go.zip" "$shared/data/osv/PyPI.zip" \
  "$shared/data/alpine/secdb/v3.10" "$shared/data/debian/oval-2023-07-14/oval-definitions-bookworm.xml.bz2" >/dev/null
for img in alpine debian; do
  record "image-$img-archive" image --no-cache --db "$db" "images/$img.tar"
  record "image-$img-oci" image --no-cache --db "$db" "oci:images/$img-oci"
  for fmt in json cyclonedx-json spdx-json; do
    set +e
    "$ss" sbom --format "$fmt" "images/$img.tar" >"$out/sbom-$img.$fmt" 2>"$out/sbom-$img.$fmt.stderr"
    echo "sbom-$img $fmt $?" >>"$out/exitcodes.txt"
    set -e
  done
done
for fx in bookworm bookworm-plus bullseye; do
  record "image-dir-$fx" image --no-cache --db "$db" "dir:data/rootfs-fixtures/$fx"
done
record image-dir-alpine310 image --no-cache --db "$db" "dir:data/alpine-310-metadata"
SHIPSHAPE_BOOKWORM_ROOTFS=${SHIPSHAPE_BOOKWORM_ROOTFS:-${TMPDIR:-/tmp}/shipshape-bookworm/rootfs}
if [ -n "${SHIPSHAPE_BOOKWORM_ROOTFS:-}" ] && [ -d "$SHIPSHAPE_BOOKWORM_ROOTFS" ]; then
  record image-dir-debootstrap image --no-cache --db "$db" "dir:$SHIPSHAPE_BOOKWORM_ROOTFS"
fi
rm -f "$out/bin/shipshape"
rmdir "$out/bin"
echo "golden outputs in $out ($(wc -l <"$out/exitcodes.txt") runs)"
