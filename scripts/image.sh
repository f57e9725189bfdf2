#!/usr/bin/env bash
# image.sh [TAG]: builds shipshape's own image with the Docker Engine from
# the linux/amd64 release binary (scripts/release.sh), then holds it to its
# own standard: lint of the Dockerfile, and image of the built image with
# every scanner but vuln, must report nothing at or above low; harden must
# find nothing left to do (--dry-run exits 0), and the hardened copy it
# writes (labels and SBOM added) must pass the same image gate, load and run
# the same (--verify-cmd).
#
#   scripts/image.sh shipshape:dev
set -euo pipefail
cd "$(dirname "$0")/.."
tag=${1:-shipshape:dev}
ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
CGO_ENABLED=0 GOOS=linux GOARCH=amd64 GOFLAGS=-buildvcs=false go build -trimpath -ldflags "-s -w -buildid=" -o "$ctx/shipshape" ./cmd/shipshape
printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/work:/sbin/nologin\n' >"$ctx/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' >"$ctx/group"
chmod 0555 "$ctx/shipshape"
chmod 0444 "$ctx/passwd" "$ctx/group"
cp build/Dockerfile build/.dockerignore "$ctx/"
docker build -q -t "$tag" "$ctx" >/dev/null
ss="$ctx/shipshape"
"$ss" lint --fail-on low build/Dockerfile
archive="$ctx/image.tar"
docker save -o "$archive" "$tag"
"$ss" image --no-cache --scanners config,secret,files,bloat --fail-on low "$archive"
"$ss" harden --no-cache --dry-run "$archive"
hardened="$ctx/hardened.tar"
"$ss" harden --no-cache --tag "$tag-hardened" --verify-cmd "version" -o "$hardened" "$archive" | tail -n 2
"$ss" image --no-cache --scanners config,secret,files,bloat --fail-on low "$hardened"
docker load -q -i "$hardened" >/dev/null
docker run --rm "$tag-hardened" version >/dev/null
docker rmi -f "$tag-hardened" >/dev/null
docker run --rm "$tag" version
echo "image $tag: built; lint, image and harden report nothing at or above low, nothing to harden"
