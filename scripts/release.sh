#!/usr/bin/env bash
# release.sh [VERSION] [OUTDIR]: builds shipshape for linux, darwin and
# windows on amd64 and arm64, reproducibly (-trimpath, no VCS stamp, the
# commit's own time as the build date, SOURCE_DATE_EPOCH honoured), writes
# SHA256SUMS and, for each binary, an SBOM of shipshape itself made by
# shipshape (CycloneDX 1.6 JSON). Two runs on the same commit give the same
# bytes; `scripts/release.sh --check` builds this machine's target a second
# time in another directory and compares the two binaries and SBOMs.
#
#   scripts/release.sh v0.9.0 dist/
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-buildvcs=false

check=false
if [ "${1:-}" = "--check" ]; then
  check=true
  shift
fi
version=${1:-$(git describe --tags --exact-match 2>/dev/null || echo "v$(sed -n 's/^const Fallback = "\(.*\)"/\1/p' internal/buildinfo/buildinfo.go)")}
out=${2:-dist}
commit=$(git rev-parse HEAD 2>/dev/null || echo unknown)
if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then
  date=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)
else
  date=$(git log -1 --format=%cI HEAD 2>/dev/null | xargs -I{} date -u -d {} +%Y-%m-%dT%H:%M:%SZ || date -u +%Y-%m-%dT%H:%M:%SZ)
fi
targets="linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64"

build() {
  local dir=$1 targets=${2:-$targets}
  rm -rf "$dir"
  mkdir -p "$dir"
  local pkg=github.com/shipshape-sec/shipshape/internal/cli
  local ldflags="-s -w -buildid= -X $pkg.Version=$version -X $pkg.Commit=$commit -X $pkg.Date=$date"
  for t in $targets; do
    local os=${t%/*} arch=${t#*/}
    local name="shipshape_${version#v}_${os}_${arch}"
    local bin="$dir/$name/shipshape"
    [ "$os" = windows ] && bin="$bin.exe"
    GOOS=$os GOARCH=$arch go build -trimpath -ldflags "$ldflags" -o "$bin" ./cmd/shipshape
  done
}

sboms() {
  local dir=$1 host
  host=$(go env GOOS)_$(go env GOARCH)
  local ss
  ss="$(cd "$dir" && pwd)/shipshape_${version#v}_${host}/shipshape"
  # Named relative to the release directory, so that the SBOM does not
  # depend on where the release was built.
  for d in "$dir"/shipshape_*/; do
    local name
    name=$(basename "$d")
    (cd "$dir" && SOURCE_DATE_EPOCH=$(date -u -d "$date" +%s) "$ss" sbom --format cyclonedx-json -o "$name.cdx.json" "dir:$name/")
  done
}

# archives packs each target's directory as a reproducible tar.gz (sorted
# names, fixed owner and time, gzip without a timestamp): what the GitHub
# Action and install scripts download.
archives() {
  local dir=$1 epoch
  epoch=$(date -u -d "$date" +%s)
  for d in "$dir"/shipshape_*/; do
    local name
    name=$(basename "$d")
    tar -C "$dir" --sort=name --mtime="@$epoch" --owner=0 --group=0 --numeric-owner -cf - "$name" | gzip -n -9 >"$dir/$name.tar.gz"
  done
}

checksums() {
  local dir=$1
  (cd "$dir" && find . -type f ! -name SHA256SUMS | sed 's|^\./||' | LC_ALL=C sort | xargs sha256sum >SHA256SUMS)
}

build "$out"
sboms "$out"
archives "$out"
checksums "$out"
echo "release $version ($commit, $date) in $out:"
cat "$out/SHA256SUMS"

if $check; then
  # A second build from another directory, with a cold build cache for the
  # main module's packages, must give the same bytes.
  again=$(mktemp -d)
  trap 'rm -rf "$again"' EXIT
  host="$(go env GOOS)/$(go env GOARCH)"
  build "$again" "$host"
  sboms "$again"
  name="shipshape_${version#v}_$(go env GOOS)_$(go env GOARCH)"
  for f in "$name/shipshape" "$name.cdx.json"; do
    if ! cmp -s "$out/$f" "$again/$f"; then
      echo "release.sh: $f differs between two builds of one commit: not reproducible" >&2
      exit 1
    fi
  done
  echo "reproducible: a second build of $host gives the same bytes"
fi
