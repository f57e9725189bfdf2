#!/usr/bin/env bash
# action.sh install|run: the steps of the shipshape GitHub Action
# (action.yml), kept in a script so that CI can run them outside GitHub.
#
# install: puts shipshape on PATH: the release archive for this runner
#   (INPUT_VERSION, e.g. v0.9.0; its SHA256SUMS checked), or, with
#   INPUT_VERSION=source (the default until a release exists), a build of
#   the action's own checkout with Go.
# run: runs `shipshape INPUT_COMMAND` (lint, image, fix) on INPUT_PATHS with
#   INPUT_FAIL_ON and INPUT_CONFIG; writes SARIF to INPUT_SARIF_FILE for code
#   scanning and prints GitHub annotations; exits as shipshape does.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
bin_dir="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/shipshape-bin"

install() {
  local version="${INPUT_VERSION:-source}"
  mkdir -p "$bin_dir"
  if [ "$version" = source ]; then
    (cd "$here" && CGO_ENABLED=0 go build -trimpath -o "$bin_dir/shipshape" ./cmd/shipshape)
  else
    local os arch name url
    os=$(uname -s | tr '[:upper:]' '[:lower:]')
    case "$(uname -m)" in x86_64|amd64) arch=amd64 ;; aarch64|arm64) arch=arm64 ;; *) echo "unsupported machine $(uname -m)" >&2; exit 2 ;; esac
    name="shipshape_${version#v}_${os}_${arch}"
    url="${INPUT_DOWNLOAD_URL:-https://github.com/shipshape-sec/shipshape/releases/download}/$version"
    curl -fsSL "$url/SHA256SUMS" -o "$bin_dir/SHA256SUMS"
    curl -fsSL "$url/$name.tar.gz" -o "$bin_dir/$name.tar.gz"
    (cd "$bin_dir" && grep " $name.tar.gz\$" SHA256SUMS | sha256sum -c -)
    tar -xzf "$bin_dir/$name.tar.gz" -C "$bin_dir"
    mv "$bin_dir/$name/shipshape" "$bin_dir/shipshape"
  fi
  if [ -n "${GITHUB_PATH:-}" ]; then
    echo "$bin_dir" >>"$GITHUB_PATH"
  fi
  "$bin_dir/shipshape" version
}

run() {
  local ss="$bin_dir/shipshape" cmd="${INPUT_COMMAND:-lint}" sarif="${INPUT_SARIF_FILE:-shipshape.sarif}"
  [ -x "$ss" ] || ss=shipshape
  local -a args=()
  [ -n "${INPUT_FAIL_ON:-}" ] && args+=(--fail-on "$INPUT_FAIL_ON")
  [ -n "${INPUT_CONFIG:-}" ] && args+=(--config "$INPUT_CONFIG")
  [ -n "${INPUT_BASELINE:-}" ] && args+=(--baseline "$INPUT_BASELINE")
  # shellcheck disable=SC2206 # paths are space separated, as the input says
  local -a paths=(${INPUT_PATHS:-.})
  local format="${INPUT_FORMAT:-github}"
  case "$format" in
    github|text|json|sarif|gitlab) ;;
    *) echo "action: format must be github, text, json, sarif or gitlab, not $format" >&2; exit 2 ;;
  esac
  case "$cmd" in
    lint|image) ;;
    fix) args+=(--check) ;;
    *) echo "action: command must be lint, image or fix, not $cmd" >&2; exit 2 ;;
  esac
  if [ "$cmd" = fix ]; then
    "$ss" fix "${args[@]}" "${paths[@]}"
    return
  fi
  # The SARIF run decides the exit code; the second run only prints (as
  # pull-request annotations by default).
  set +e
  "$ss" "$cmd" "${args[@]}" --format sarif -o "$sarif" "${paths[@]}"
  code=$?
  "$ss" "$cmd" "${args[@]}" --format "$format" --fail-on none "${paths[@]}"
  set -e
  if [ -n "${GITHUB_OUTPUT:-}" ]; then
    { echo "sarif-file=$sarif"; echo "exit-code=$code"; } >>"$GITHUB_OUTPUT"
  fi
  return "$code"
}

case "${1:-}" in
  install) install ;;
  run) run ;;
  *) echo "usage: action.sh install|run" >&2; exit 2 ;;
esac
