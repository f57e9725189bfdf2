#!/usr/bin/env bash
# golden-lint.sh OUTDIR [BEFORE]: records what `shipshape lint` and
# `shipshape fix` (the diff, nothing written) print over every Dockerfile and
# compose input the project is judged on: the real-world corpus, the peer
# corpora, the examples and the rule fixtures. It is the quick, lint-only
# sibling of scripts/golden.sh (which also builds images and a database), for
# work on lint speed: every optimisation must leave these outputs
# byte-identical. With BEFORE, it then compares OUTDIR with BEFORE and exits 1
# when anything differs.
#
#   scripts/golden-lint.sh /tmp/lint-before
#   ... change ...
#   scripts/golden-lint.sh /tmp/lint-after /tmp/lint-before
#
# Known noise, older than this script: on
# corpus/compose_lint/tests/compose_files/insecure_sensitive_mount.yml the
# RT1000 message names whichever invalid service compose-go's schema
# validation reports first, which varies from run to run (the same binary
# gives either), so compose-lint.* may differ in that one finding.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: scripts/golden-lint.sh OUTDIR [BEFORE]}
before=${2:-}
shared=${SHIPSHAPE_SHARED:-../shared}
[ -d "$shared/corpus" ] || { echo "golden-lint.sh: $shared/corpus not found (set SHIPSHAPE_SHARED)" >&2; exit 2; }
rm -rf "$out"
mkdir -p "$out"
out=$(cd "$out" && pwd)
shared=$(cd "$shared" && pwd)
# Every input is copied into a scratch directory and named by a path
# relative to it, so that the outputs are the same whichever checkout or
# worktree runs the script.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$shared/corpus" "$work/corpus"
cp -r examples "$work/examples"
mkdir -p "$work/fixtures"
for d in internal/rules/*/testdata; do
	cp -r "$d" "$work/fixtures/$(basename "$(dirname "$d")")"
done
ss=$work/shipshape
go build -o "$ss" ./cmd/shipshape
export NO_COLOR=1

# record NAME ARGS...: JSON, SARIF and text of one lint run, and the fix
# diff, each with its exit code.
record() {
	local name=$1 fmt rc
	shift
	for fmt in json sarif text; do
		rc=0
		"$ss" lint --format "$fmt" "$@" >"$out/$name.lint.$fmt" 2>"$out/$name.lint.$fmt.stderr" || rc=$?
		echo "$name lint $fmt $rc" >>"$out/exitcodes.txt"
	done
	rc=0
	"$ss" fix "$@" >"$out/$name.fix.diff" 2>"$out/$name.fix.stderr" || rc=$?
	echo "$name fix diff $rc" >>"$out/exitcodes.txt"
}

cd "$work"
record realworld corpus/realworld
record realworld-dockerfiles corpus/realworld/dockerfiles
record realworld-compose corpus/realworld/compose
record kics corpus/kics
record checkov corpus/checkov
record compose-lint corpus/compose_lint
for ex in examples/*/; do
	record "example-$(basename "$ex")" "$ex"
done
for fx in fixtures/*/; do
	record "fixtures-$(basename "$fx")" "$fx"
done
echo "golden lint outputs in $out ($(wc -l <"$out/exitcodes.txt") runs)" >&2
if [ -n "$before" ]; then
	if diff -r "$before" "$out" >"$work/diff"; then
		echo "golden-lint.sh: identical to $before" >&2
	else
		head -50 "$work/diff" >&2
		echo "golden-lint.sh: outputs differ from $before" >&2
		exit 1
	fi
fi
