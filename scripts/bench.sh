#!/usr/bin/env bash
# bench.sh reruns every figure of README.md's "## Performance" table and
# prints it again as a markdown table, so that no figure in the README is one
# that nobody can reproduce. With --peers it builds Trivy, KICS and Syft from
# the Go module proxy into a temporary directory and measures them on the
# same inputs, beside shipshape; the lint peers run right after shipshape's
# lint rows, so that the side-by-side ratio compares runs minutes apart at
# most. --lint-only keeps just those rows.
set -euo pipefail

usage() {
	cat <<'EOF'
Usage: scripts/bench.sh [--runs N] [--big] [--peers] [--peer-dir DIR] [--lint-only] [--keep]

Builds shipshape once (as scripts/release.sh does: no cgo, stripped), then reruns every row of README.md's Performance
table and prints a markdown table: what was measured, the figure (median of
N runs: wall time, CPU time (user+system) and peak RSS from /usr/bin/time -v;
go test benchmarks report their own per-op figures over -count N) and the
command that produced it. Progress goes to stderr, the table to stdout.

Options:
  --runs N        runs per figure, the median is printed (default 5)
  --big           also generate the 3 GB image (970 MB archive, several
                  minutes) and measure image against tar -xzOf on it, and
                  (with Docker) a 3.7 GB docker-archive of large files and a
                  4.2 GB one of bookworm-apps and 70,000 files of 50 KB
                  (the image with a layer of 200,000 small files is always
                  generated and measured, about 20 s)
  --peers         also build Trivy v0.74.0 (GOEXPERIMENT=jsonv2, which Go
                  1.26 needs for it), KICS v2.2.0 (github.com/Checkmarx/kics/v2;
                  the v1 path github.com/Checkmarx/kics is not served by the
                  proxy) and Syft v1.57.2 with go install (several minutes
                  each) and measure them on the same inputs; a peer that does
                  not build, or is not served, is reported, its rows skipped
  --lint-only     only the lint rows (and with --peers, Trivy config and KICS
                  on the same corpus, and the side-by-side ratio)
  --peer-dir DIR  where to put (or find already built) peer binaries
                  (default: inside the temporary directory)
  --keep          keep the temporary directory (archives, database, copies)

Inputs (environment):
  SHIPSHAPE_CORPUS           real-world corpus (default ../shared/corpus/realworld
                             beside the repository, or beside the main checkout
                             of a git worktree)
  SHIPSHAPE_DATA             advisory data (default ../shared/data, likewise)
  SHIPSHAPE_BOOKWORM_ROOTFS  debootstrap bookworm root filesystem
                             (default /tmp/shipshape-bookworm/rootfs, made by
                             scripts/prepare-test-data.sh)
  SHIPSHAPE_APPS_ROOTFS      a package-heavy bookworm root filesystem
                             (default /tmp/shipshape-bookworm-apps/rootfs);
                             its rows are skipped when it is missing

Examples:
  scripts/bench.sh                      # shipshape's own figures, 5 runs each
  scripts/bench.sh --runs 3 --peers     # with Trivy and Syft beside them
  scripts/bench.sh --big > perf.md      # include the 3 GB image
  scripts/bench.sh --lint-only --peers --peer-dir /tmp/peers   # lint vs Trivy and KICS

Exit status: 0 when every figure was measured, 2 on a usage error or when a
shipshape command failed (a failed measurement is never printed as a figure).
EOF
}

runs=5 big=0 peers=0 keep=0 peer_dir="" lint_only=0
while [ $# -gt 0 ]; do
	case "$1" in
	--runs) runs="${2:?--runs needs a number}"; shift 2 ;;
	--big) big=1; shift ;;
	--peers) peers=1; shift ;;
	--peer-dir) peer_dir="${2:?--peer-dir needs a directory}"; shift 2 ;;
	--keep) keep=1; shift ;;
	--lint-only) lint_only=1; shift ;;
	-h | --help) usage; exit 0 ;;
	*) echo "bench.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
	esac
done
case "$runs" in '' | *[!0-9]* | 0) echo "bench.sh: --runs needs a positive number" >&2; exit 2 ;; esac
if [ ! -x /usr/bin/time ]; then
	echo "bench.sh: /usr/bin/time is missing (apt-get install -y time)" >&2
	exit 2
fi

repo=$(cd "$(dirname "$0")/.." && pwd)
# ../shared sits beside the main checkout; from a git worktree, that is the
# checkout the worktree's common git directory belongs to.
shared=$repo/../shared
if [ ! -d "$shared" ]; then
	common=$(cd "$repo" && git rev-parse --path-format=absolute --git-common-dir 2>/dev/null || true)
	[ -z "$common" ] || shared=$(dirname "$common")/../shared
fi
corpus=${SHIPSHAPE_CORPUS:-$shared/corpus/realworld}
data=${SHIPSHAPE_DATA:-$shared/data}
# The in-process benchmarks find the corpus through internal/corpus, which
# reads SHIPSHAPE_SHARED before it looks beside the module root.
export SHIPSHAPE_SHARED=${SHIPSHAPE_SHARED:-$(cd "$shared" 2>/dev/null && pwd || echo "$shared")}
rootfs=${SHIPSHAPE_BOOKWORM_ROOTFS:-/tmp/shipshape-bookworm/rootfs}
apps=${SHIPSHAPE_APPS_ROOTFS:-/tmp/shipshape-bookworm-apps/rootfs}
for d in "$corpus/dockerfiles" "$corpus/compose" "$data/osv" "$rootfs"; do
	[ -d "$d" ] && continue
	# --lint-only reads the corpus only.
	case "$d" in "$corpus"/*) ;; *) [ "$lint_only" = 1 ] && continue ;; esac
	echo "bench.sh: $d is missing (see --help, Inputs)" >&2
	exit 2
done

tmp=$(mktemp -d /tmp/shipshape-bench.XXXXXX)
if [ "$keep" = 1 ]; then
	echo "bench.sh: keeping $tmp" >&2
else
	trap 'rm -rf "$tmp"' EXIT
fi
[ -n "$peer_dir" ] || peer_dir=$tmp/peers
mkdir -p "$peer_dir"

log() { echo "bench.sh: $*" >&2; }

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
ss=$tmp/shipshape
log "building shipshape (as released: no cgo, trimmed, stripped)"
(cd "$repo" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -buildid=" -o "$ss" ./cmd/shipshape)

# median prints the middle value of its arguments (the lower middle for an
# even count).
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

# measure LABEL PREP OKCODES CMD... runs CMD $runs times under /usr/bin/time
# (after PREP, an untimed shell command, before each run) and sets
# fig="W s wall, C s CPU, M MB peak" from the medians, and wall to the median
# wall time. An exit code outside OKCODES (a space-separated list) fails the
# whole script: a run that did not finish is never printed as a figure.
measure() {
	local label=$1 prep=$2 ok=$3 i rc w c m
	shift 3
	local walls=() cpus=() rsss=()
	log "$label ($runs runs)"
	pair_walls=()
	for ((i = 0; i < runs; i++)); do
		[ -z "$prep" ] || sh -c "$prep"
		if [ "${#pair[@]}" -gt 0 ]; then
			# The paired command runs right before each run, so that both
			# meet the same moment of a machine whose speed drifts.
			if ! /usr/bin/time -f '%e' -o "$tmp/ptime" "${pair[@]}" >/dev/null 2>"$tmp/stderr"; then
				log "$label: the paired command failed: ${pair[*]}"
				return 2
			fi
			pair_walls+=("$(tail -1 "$tmp/ptime")")
		fi
		rc=0
		/usr/bin/time -f '%e %U %S %M' -o "$tmp/time" "$@" >/dev/null 2>"$tmp/stderr" || rc=$?
		case " $ok " in *" $rc "*) ;; *)
			log "$label: exit $rc from $*"
			tail -5 "$tmp/stderr" >&2
			return 2
			;;
		esac
		read -r w u s m < <(tail -1 "$tmp/time")
		walls+=("$w")
		cpus+=("$(awk -v u="$u" -v s="$s" 'BEGIN {printf "%.2f", u + s}')")
		rsss+=("$m")
	done
	wall=$(median "${walls[@]}")
	last_walls=("${walls[@]}")
	c=$(median "${cpus[@]}")
	m=$(median "${rsss[@]}")
	fig=$(awk -v w="$wall" -v c="$c" -v m="$m" 'BEGIN {printf "%.2f s wall, %.2f s CPU, %.0f MB peak", w, c, m / 1024}')
}

# pair, when set, is a command measure times once right before each run;
# pair_walls and last_walls then hold the two series, run by run.
pair=()
pair_walls=()
last_walls=()
# paired_ratio prints the median over the runs of (the run's wall / its
# paired command's wall), as "Nx"; paired_wall the median paired wall.
paired_ratio() {
	local i rs=()
	for ((i = 0; i < ${#last_walls[@]}; i++)); do
		rs+=("$(awk -v a="${last_walls[$i]}" -v b="${pair_walls[$i]}" 'BEGIN {if (b + 0 == 0) print 0; else printf "%.2f", a / b}')")
	done
	awk -v r="$(median "${rs[@]}")" 'BEGIN {printf "%.0fx", r}'
}

rows=()
# row WHAT FIGURE COMMAND adds a line to the table.
row() { rows+=("| $1 | $2 | \`${3//|/\\|}\` |"); }

# bench PKG PATTERN WHAT... runs a go test benchmark -count $runs and adds one
# row per benchmark name, with the median run's per-op figures.
bench() {
	local pkg=$1 pat=$2 out
	log "go test -bench $pat $pkg (count $runs)"
	out=$(cd "$repo" && go test -run '^$' -bench "$pat" -benchmem -count "$runs" "$pkg") || {
		echo "$out" >&2
		log "benchmark $pat in $pkg failed"
		exit 2
	}
	echo "$out" | awk '/^Benchmark/ {print}' | awk '
		{ name=$1; sub(/-[0-9]+$/, "", name); n[name]++; ns[name, n[name]]=$3; line[name, n[name]]=$0 }
		END {
			for (b in n) {
				# sort this benchmark runs by ns/op and take the middle one
				k=n[b]; for (i=1;i<=k;i++) idx[i]=i
				for (i=1;i<=k;i++) for (j=i+1;j<=k;j++) if (ns[b,idx[j]]+0 < ns[b,idx[i]]+0) {t=idx[i]; idx[i]=idx[j]; idx[j]=t}
				l=line[b, idx[int((k+1)/2)]]; nf=split(l, f, /[ \t]+/)
				s=""; for (i=3;i<nf;i+=2) {
					v=f[i]; u=f[i+1]
					if (u=="ns/op") { if (v>=1e9) {v=sprintf("%.2f s", v/1e9)} else if (v>=1e6) {v=sprintf("%.1f ms", v/1e6)} else {v=sprintf("%.1f µs", v/1e3)}; u="/op" ; s=s (s==""?"":", ") v u; continue }
					if (u=="B/op") { s=s ", " sprintf("%.1f MB/op", v/1048576); continue }
					s=s ", " v " " u
				}
				print b "\t" s
			}
		}' | sort >"$tmp/bench.out"
	if [ ! -s "$tmp/bench.out" ]; then
		echo "$out" >&2
		log "benchmark $pat in $pkg printed no result (skipped?)"
		exit 2
	fi
	while IFS=$'\t' read -r name fig; do
		row "\`$name\` ($pkg)" "$fig" "go test -run '^\$' -bench '$pat' -benchmem $pkg"
	done <"$tmp/bench.out"
}

df=$corpus/dockerfiles
compose=$corpus/compose
nf=$("$ss" lint --format json --fail-on none "$df" | python3 -c 'import json,sys; print(json.load(sys.stdin)["summary"]["files"])')
ntotal=$(find "$df" -type f | wc -l)
nc=$("$ss" lint --format json --fail-on none "$compose" | python3 -c 'import json,sys; print(json.load(sys.stdin)["summary"]["files"])')
log "the Dockerfile corpus has $ntotal files; lint reads $nf of them (vendor/ is skipped); compose corpus: $nc files linted"

# --- the table --------------------------------------------------------------------
print_table() {
	echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(go version | awk '{print $3}')); load average before: $load_before; median of $runs runs."
	echo
	echo "| what | figure | how to reproduce (\`scripts/bench.sh\` reruns every row) |"
	echo "|---|---|---|"
	printf '%s\n' "${rows[@]}"
	echo
	echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)."
}

# SHIPSHAPE_BENCH_NO_BUILD="trivy ..." names peers to measure only when
# their binary is in --peer-dir already (a build that takes too long here).
# peer_build NAME MODULE@VERSION [GOEXPERIMENT] [BINARY] builds a peer into
# $peer_dir as BINARY (default NAME, the name go install gives it) unless it
# is there already; it never fails the script, a peer that does not build
# (or that the proxy does not serve) only loses its rows. Trivy v0.74
# imports encoding/json/v2, which Go 1.26 builds only with
# GOEXPERIMENT=jsonv2.
peer_build() {
	local name=$1 mod=$2 exp=${3:-} bin=${4:-$1} path
	if [ -x "$peer_dir/$bin" ]; then return 0; fi
	case " ${SHIPSHAPE_BENCH_NO_BUILD:-} " in
	*" $name "*)
		log "$name: not built (SHIPSHAPE_BENCH_NO_BUILD names it) and not in $peer_dir; its rows are skipped"
		row "peer: $name" "not measured: not built in this run (SHIPSHAPE_BENCH_NO_BUILD)" "GOEXPERIMENT=$exp go install $mod"
		return 1
		;;
	esac
	path=${mod%%@*}
	path=${path%/cmd/*}
	if ! (cd "$tmp" && go list -m -versions "$path") >"$peer_dir/$name.log" 2>&1; then
		log "$name: $path is not served by the Go module proxy ($(tail -1 "$peer_dir/$name.log")); its rows are skipped"
		row "peer: $name" "not measured: $path is not served by the Go module proxy" "go list -m -versions $path"
		return 1
	fi
	log "building $name ($mod) from the Go module proxy; this takes minutes"
	if ! (cd "$tmp" && GOEXPERIMENT=$exp GOBIN=$peer_dir go install "$mod") >"$peer_dir/$name.log" 2>&1; then
		log "$name did not build (see $peer_dir/$name.log); its rows are skipped"
		row "peer: $name" "not measured: go install $mod failed" "GOEXPERIMENT=$exp go install $mod"
		return 1
	fi
}
# peer_row WHAT CMD... measures a peer; a peer that fails is reported as such
# (every peer command here exits 0 when it worked, findings or not: an exit
# of 1 is an error, which a timing must not hide). peer_prep, when set, is
# run before each run (untimed): a peer's own cache is emptied there, so that
# each run does the whole work, as shipshape's --no-cache runs do.
peer_prep=""
peer_row() {
	local what=$1
	shift
	if measure "$what" "$peer_prep" "0" "$@"; then
		row "$what" "$fig" "${*/#$peer_dir\//}"
	else
		wall=""
		row "$what" "failed (non-zero exit, see stderr)" "${*/#$peer_dir\//}"
	fi
}
# trivy_secret_row WHAT ARCHIVE [OUTPUT] measures Trivy's secret scan of a
# docker-archive, its cache emptied before each run.
trivy_secret_row() {
	local what=$1 archive=$2 out=${3:-/dev/null}
	peer_prep="rm -rf '$tmp/trivy-cache'"
	peer_row "$what" "$peer_dir/trivy" image --cache-dir "$tmp/trivy-cache" --skip-db-update --skip-java-db-update \
		--offline-scan --scanners secret --format json -o "$out" --input "$archive"
	peer_prep=""
}
# save_archive OUT TAG ROOTFS DIR SUB writes a docker-archive, as docker
# save writes it, of one layer holding ROOTFS and DIR/SUB: docker import,
# docker save, then the image is removed from the engine again.
save_archive() {
	local out=$1 tag=$2 root=$3 dir=$4 sub=$5
	tar -C "$root" -c . -C "$dir" "./$sub" | docker import - "$tag" >/dev/null &&
		docker save -o "$out" "$tag" || return 1
	docker rmi "$tag" >/dev/null 2>&1 || true
}

# archive_rows ARCHIVE NAME WHAT SUFFIX measures image and sbom of a
# docker-archive beside Trivy's secret scan and Syft (when built), then
# deletes it: NAME is the file name the rows' commands show, WHAT says what
# it holds, SUFFIX ends the ratio rows' labels.
archive_rows() {
	local a=$1 name=$2 what=$3 suffix=$4 mb img sb
	mb=$(($(stat -c %s "$a") / 1000000))
	measure "image, $name" "" "0" "$ss" image --no-cache --scanners config,secret,files,bloat --fail-on none "docker-archive:$a"
	row "\`shipshape image\` (config, secret, files, bloat) of a ${mb} MB docker-archive ($what)" "$fig" \
		"shipshape image --no-cache --scanners config,secret,files,bloat --fail-on none docker-archive:$name"
	img=$wall
	measure "sbom, $name" "" "0" "$ss" sbom --no-cache -o /dev/null "docker-archive:$a"
	row "\`shipshape sbom\` of the same" "$fig" "shipshape sbom --no-cache -o /dev/null docker-archive:$name"
	sb=$wall
	if [ -x "$peer_dir/trivy" ]; then
		trivy_secret_row "peer: Trivy \`trivy image --scanners secret\` of the same (empty cache each run)" "$a"
		row "ratio: Trivy secret scan / shipshape image, ${mb} MB archive$suffix" "$(ratio "$wall" "$img")" "scripts/bench.sh --peers --big"
	fi
	if [ -x "$peer_dir/syft" ]; then
		peer_row "peer: Syft v1.57.2 SBOM of the same" "$peer_dir/syft" scan -q -o cyclonedx-json=/dev/null "docker-archive:$a"
		row "ratio: Syft / shipshape sbom, ${mb} MB archive$suffix" "$(ratio "$wall" "$sb")" "scripts/bench.sh --peers --big"
	fi
	rm -f "$a"
}

# ratio A B prints A / B as "Nx", or "n/a" when either is missing.
ratio() { awk -v a="${1:-}" -v b="${2:-}" 'BEGIN {if (a == "" || b == "" || b + 0 == 0) print "n/a"; else printf "%.0fx", a / b}'; }

# lint_peers measures Trivy config and KICS on the Dockerfile corpus right
# after shipshape's lint rows, and prints the side-by-side row the issue-14
# target is read from (at least 30x the fastest peer).
lint_peers() {
	local trivy_wall="" kics_wall="" kdir fastest trivy_pair="" kics_pair="" trivy_ss="" kics_ss="" best=""
	# The 2-core peer runs are paired: shipshape's lint runs right before
	# each, and the side-by-side ratio is the median of the pairs' ratios.
	pair=("$ss" lint --format json --fail-on none "$df")
	if peer_build trivy github.com/aquasecurity/trivy/cmd/trivy@v0.74.0 jsonv2; then
		peer_row "peer: Trivy v0.74.0 \`trivy config\` (checks embedded, offline) on the same Dockerfile corpus, 2 cores" \
			"$peer_dir/trivy" config --skip-check-update --format json -o /dev/null "$df"
		trivy_wall=$wall
		if [ -n "$wall" ]; then
			trivy_pair=$(paired_ratio)
			trivy_ss=$(median "${pair_walls[@]}")
		fi
		pair=()
		peer_row "peer: Trivy \`trivy config\`, one core" \
			env GOMAXPROCS=1 "$peer_dir/trivy" config --skip-check-update --format json -o /dev/null "$df"
		row "ratio: Trivy config / shipshape lint, one core" "$(ratio "$wall" "$lint1_wall")" "scripts/bench.sh --peers"
	fi
	# KICS reads its queries and libraries from the module's assets, which
	# go install leaves in the module cache.
	if peer_build kics github.com/Checkmarx/kics/v2/cmd/console@v2.2.0 "" console &&
		kdir=$(cd "$tmp" && go mod download -json github.com/Checkmarx/kics/v2@v2.2.0 | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])'); then
		pair=("$ss" lint --format json --fail-on none "$df")
		peer_row "peer: KICS v2.2.0 \`kics scan -t Dockerfile\` on the same Dockerfile corpus, 2 cores" \
			"$peer_dir/console" scan --no-progress --silent --ignore-on-exit results \
			-q "$kdir/assets/queries" --libraries-path "$kdir/assets/libraries" -t Dockerfile \
			-o "$tmp/kics-out" --report-formats json -p "$df"
		kics_wall=$wall
		if [ -n "$wall" ]; then
			kics_pair=$(paired_ratio)
			kics_ss=$(median "${pair_walls[@]}")
		fi
	fi
	pair=()
	fastest=$(printf '%s\n' $trivy_wall $kics_wall | sort -g | head -1)
	row "**side by side, lint of the Dockerfile corpus, 2 cores**: shipshape ${lint_wall} s; Trivy config ${trivy_wall:-n/a} s ($(ratio "$trivy_wall" "$lint_wall")); KICS ${kics_wall:-n/a} s ($(ratio "$kics_wall" "$lint_wall"))" \
		"fastest peer / shipshape = $(ratio "$fastest" "$lint_wall") (issue 14 target: at least 30x)" "scripts/bench.sh --lint-only --peers"
	# The fastest peer by the paired runs: the one with the smaller ratio.
	best=$(printf '%s\n' ${trivy_pair%x} ${kics_pair%x} | sort -g | head -1)
	row "**paired runs** (shipshape's lint right before each peer run, median of the $runs per-pair ratios): Trivy config ${trivy_pair:-n/a} (shipshape ${trivy_ss:-n/a} s in those pairs); KICS ${kics_pair:-n/a} (shipshape ${kics_ss:-n/a} s)" \
		"fastest peer / shipshape = ${best:-n/a}${best:+x} (issue 14 target: at least 30x)" "scripts/bench.sh --lint-only --peers"
}

# --- lint -------------------------------------------------------------------
measure "lint, 2 cores" "" "0" "$ss" lint --format json --fail-on none "$df"
row "lint the $nf real-world Dockerfiles lint finds in $ntotal corpus files (vendor/ skipped), whole process, 2 cores" "$fig" \
	"shipshape lint --format json --fail-on none ../shared/corpus/realworld/dockerfiles"
lint_wall=$wall
measure "lint, 1 core" "" "0" env GOMAXPROCS=1 "$ss" lint --format json --fail-on none "$df"
row "same, one core" "$fig" "GOMAXPROCS=1 shipshape lint --format json --fail-on none ../shared/corpus/realworld/dockerfiles"
lint1_wall=$wall
measure "lint compose" "" "0" "$ss" lint --format json --fail-on none "$compose"
row "lint the $nc real-world compose files, whole process" "$fig" \
	"shipshape lint --format json --fail-on none ../shared/corpus/realworld/compose"
measure "lint, whole corpus" "" "0" "$ss" lint --format json --fail-on none "$corpus"
row "lint the whole real-world corpus (Dockerfiles and compose files, vendor/ skipped)" "$fig" \
	"shipshape lint --format json --fail-on none ../shared/corpus/realworld"
if [ "$peers" = 1 ]; then
	lint_peers
fi
if [ "$lint_only" = 1 ]; then
	bench ./internal/cli 'LintRealworld'
	print_table
	exit 0
fi

# --- fix --------------------------------------------------------------------
# fix without --apply exits 1 when something would change; with --apply it
# returns lint's verdict on the fixed files under --fail-on none.
cp -r "$df" "$tmp/fixdf"
measure "fix diff, Dockerfiles" "" "0 1" "$ss" fix "$tmp/fixdf"
row "\`fix\` (the diff, nothing written) over the Dockerfile corpus" "$fig" "shipshape fix ../shared/corpus/realworld/dockerfiles"
measure "fix --apply, Dockerfiles" "rm -rf '$tmp/fixdf' && cp -r '$df' '$tmp/fixdf'" "0" \
	"$ss" fix --apply --fail-on none "$tmp/fixdf"
row "\`fix --apply\` over a fresh copy of the Dockerfile corpus (issue 11 target: under 2 s)" "$fig" \
	"cp -r ../shared/corpus/realworld/dockerfiles /tmp/df && shipshape fix --apply --fail-on none /tmp/df"
cp -r "$compose" "$tmp/fixc"
measure "fix diff, compose" "" "0 1" "$ss" fix "$tmp/fixc"
row "\`fix\` (the diff) over the compose corpus" "$fig" "shipshape fix ../shared/corpus/realworld/compose"
measure "fix --apply, compose" "rm -rf '$tmp/fixc' && cp -r '$compose' '$tmp/fixc'" "0" \
	"$ss" fix --apply --fail-on none "$tmp/fixc"
row "\`fix --apply\` over a fresh copy of the compose corpus" "$fig" \
	"cp -r ../shared/corpus/realworld/compose /tmp/c && shipshape fix --apply --fail-on none /tmp/c"

# --- in-process benchmarks ----------------------------------------------------
bench ./internal/engine 'LintCorpus'
bench ./internal/cli 'LintRealworld'
bench ./internal/report 'WriteJSON'
bench ./internal/engine 'BenchmarkParse$'
bench ./internal/compose 'LoadCompose'
bench ./internal/rules/context 'WalkContext'
bench ./internal/secrets 'SecretScanner|FindAnchors|Wants'
bench ./internal/engine 'ImageRules'
bench ./internal/imageread 'ScanImage|BaselineReadLayers'
bench ./internal/vuln 'ImportGoZip'
bench ./internal/vuln 'Match1000'

# --- image pass against tar -xzOf ---------------------------------------------
# image_rows MB runs shipshape image and the read-every-byte baseline
# docs/contract.md names (tar -xzOf of every layer into /dev/null) on a
# generated image of MB megabytes.
image_rows() {
	local mb=$1 arch=$tmp/img$1.tar lay=$tmp/layers$1 ss_wall
	log "generating the ${mb} MB benchmark image"
	(cd "$repo" && SHIPSHAPE_BENCH_MB=$mb SHIPSHAPE_WRITE_BENCH_ARCHIVE=$arch \
		go test -count 1 -run '^TestWriteBenchArchive$' ./internal/imageread >/dev/null)
	mkdir -p "$lay"
	tar -C "$lay" -xf "$arch"
	local asize
	asize=$(du -m "$arch" | cut -f1)
	measure "image ${mb} MB" "" "0" "$ss" image --no-cache --scanners config,secret,files,bloat --fail-on none "$arch"
	ss_wall=$wall
	local ssfig=$fig
	printf '%s\n' '#!/bin/sh' 'for l in "$@"; do tar -xzOf "$l" >/dev/null || exit 1; done' >"$tmp/baseline.sh"
	# The layers are whatever the archive's manifest lists, in order.
	mapfile -t layers < <(python3 -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1]))[0]["Layers"]))' "$lay/manifest.json")
	(cd "$lay" && measure "tar -xzOf ${mb} MB" "" "0" sh "$tmp/baseline.sh" "${layers[@]}" && echo "$wall|$fig" >"$tmp/basefig")
	IFS='|' read -r base_wall basefig <"$tmp/basefig"
	local ratio
	ratio=$(awk -v a="$base_wall" -v b="$ss_wall" 'BEGIN {printf "%.1f", a / b}')
	row "\`shipshape image\` (config, secret, files, bloat) on a generated ${mb} MB image (${#layers[@]} gzip layers, ${asize} MB archive)" \
		"$ssfig; baseline wall / this wall = ${ratio} (above 1: faster than the baseline)" \
		"SHIPSHAPE_BENCH_MB=$mb SHIPSHAPE_WRITE_BENCH_ARCHIVE=/tmp/img.tar go test -run TestWriteBenchArchive ./internal/imageread && shipshape image --no-cache --scanners config,secret,files,bloat --fail-on none /tmp/img.tar"
	row "baseline for the row above: \`tar -xzOf\` of every layer into /dev/null (docs/contract.md)" "$basefig" \
		"for l in \$(layers of /tmp/img.tar); do tar -xzOf \$l >/dev/null; done"
	measure "sbom ${mb} MB" "" "0" "$ss" sbom --no-cache -o /dev/null "$arch"
	row "\`shipshape sbom\` of the same image" "$fig" "shipshape sbom --no-cache -o /dev/null /tmp/img.tar"
	echo "$arch" >"$tmp/img$mb.path"
	echo "$ss_wall $wall" >"$tmp/img$mb.walls"
}
image_rows 200

# many_rows N measures image and sbom on an image whose layer holds N small
# files (imagetest.ManyFilesLayer): per-file metadata, not content, decides
# their memory there (issue 14: at most 64 MiB).
many_rows() {
	local n=$1 arch=$tmp/many$1.tar lay=$tmp/manylayers$1
	log "generating the ${n}-file image"
	(cd "$repo" && SHIPSHAPE_MANYFILES_N=$n SHIPSHAPE_WRITE_MANYFILES_ARCHIVE=$arch \
		go test -count 1 -run '^TestWriteManyFilesArchive$' ./internal/imageread >/dev/null)
	measure "image, ${n} files" "" "0" "$ss" image --no-cache --scanners config,secret,files,bloat --fail-on none "$arch"
	local ss_wall=$wall
	row "\`shipshape image\` (config, secret, files, bloat) on an image with a layer of ${n} small files (issue 14: peak at most 64 MiB)" "$fig" \
		"SHIPSHAPE_MANYFILES_N=$n SHIPSHAPE_WRITE_MANYFILES_ARCHIVE=/tmp/many.tar go test -run TestWriteManyFilesArchive ./internal/imageread && shipshape image --no-cache --scanners config,secret,files,bloat --fail-on none /tmp/many.tar"
	measure "sbom, ${n} files" "" "0" "$ss" sbom --no-cache -o /dev/null "$arch"
	row "\`shipshape sbom\` of the same" "$fig" "shipshape sbom --no-cache -o /dev/null /tmp/many.tar"
	mkdir -p "$lay"
	tar -C "$lay" -xf "$arch"
	mapfile -t layers < <(python3 -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1]))[0]["Layers"]))' "$lay/manifest.json")
	printf '%s\n' '#!/bin/sh' 'for l in "$@"; do tar -xzOf "$l" >/dev/null || exit 1; done' >"$tmp/baseline.sh"
	(cd "$lay" && measure "tar -xzOf, ${n} files" "" "0" sh "$tmp/baseline.sh" "${layers[@]}" && echo "$wall|$fig" >"$tmp/basefig")
	local base_wall basefig
	IFS='|' read -r base_wall basefig <"$tmp/basefig"
	row "baseline: \`tar -xzOf\` of the same layers into /dev/null; baseline wall / image wall = $(awk -v a="$base_wall" -v b="$ss_wall" 'BEGIN {printf "%.1f", a / b}')" "$basefig" \
		"for l in \$(layers of /tmp/many.tar); do tar -xzOf \$l >/dev/null; done"
}
many_rows 200000
if [ "$big" = 1 ]; then
	image_rows 3072
fi

# --- vulnerability database and matching ----------------------------------------
db=$tmp/v.db
imports=("$data/osv/Go.zip" "$data/osv/PyPI.zip" "$data/alpine/secdb" "$data/debian/oval-2023-07-14")
measure "db import" "rm -f '$db'" "0" "$ss" db import --db "$db" "${imports[@]}"
dbmb=$(du -m "$db" | cut -f1)
row "import every advisory in ../shared/data (Go and PyPI OSV, Alpine secdb, Debian OVAL bookworm + bullseye); ${dbmb} MB database" "$fig" \
	"shipshape db import --db /tmp/v.db ../shared/data/osv/Go.zip ../shared/data/osv/PyPI.zip ../shared/data/alpine/secdb ../shared/data/debian/oval-2023-07-14"
measure "vuln, bookworm rootfs" "" "0 1" "$ss" image --db "$db" --scanners vuln --fail-on none "dir:$rootfs"
row "\`image --scanners vuln\` on the debootstrap bookworm root filesystem, full database" "$fig" \
	"shipshape image --db /tmp/v.db --scanners vuln --fail-on none dir:\$SHIPSHAPE_BOOKWORM_ROOTFS"
if [ -d "$apps" ]; then
	napps=$("$ss" sbom --format json "dir:$apps" 2>/dev/null | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d.get("components") or d.get("packages") or []))' 2>/dev/null || echo "?")
	measure "sbom, apps rootfs" "" "0" "$ss" sbom -o /dev/null "dir:$apps"
	row "\`sbom\` of the package-heavy bookworm-apps root filesystem ($napps components)" "$fig" "shipshape sbom -o /dev/null dir:/tmp/shipshape-bookworm-apps/rootfs"
	measure "vuln, apps rootfs" "" "0 1" "$ss" image --db "$db" --scanners vuln --fail-on none "dir:$apps"
	row "\`image --scanners vuln\` on the same, full database" "$fig" \
		"shipshape image --db /tmp/v.db --scanners vuln --fail-on none dir:/tmp/shipshape-bookworm-apps/rootfs"
else
	log "$apps is missing: its rows are skipped"
fi

# --- peers ----------------------------------------------------------------------
if [ "$peers" = 1 ]; then
	img=$(cat "$tmp/img200.path")
	if [ -x "$peer_dir/trivy" ]; then
		trivy_secret_row "peer: Trivy \`trivy image --scanners secret\` on the generated 200 MB image (empty cache each run)" "$img"
	fi
	if [ "$big" = 1 ]; then
		# The multi-gigabyte image of issue 14's table (image against Trivy's
		# secret scan, sbom against Syft).
		big_img=$(cat "$tmp/img3072.path")
		read -r big_image big_sbom <"$tmp/img3072.walls"
		if [ -x "$peer_dir/trivy" ]; then
			trivy_secret_row "peer: Trivy \`trivy image --scanners secret\` on the generated 3072 MB image (empty cache each run)" "$big_img"
			row "ratio: Trivy secret scan / shipshape image (config, secret, files, bloat), 3072 MB image" "$(ratio "$wall" "$big_image")" "scripts/bench.sh --peers --big"
		fi
		if peer_build syft github.com/anchore/syft/cmd/syft@v1.57.2; then
			peer_row "peer: Syft v1.57.2 SBOM of the generated 3072 MB image" "$peer_dir/syft" scan -q -o cyclonedx-json=/dev/null "docker-archive:$big_img"
			row "ratio: Syft / shipshape sbom, 3072 MB image" "$(ratio "$wall" "$big_sbom")" "scripts/bench.sh --peers --big"
		fi
	fi
	if peer_build syft github.com/anchore/syft/cmd/syft@v1.57.2; then
		peer_row "peer: Syft v1.57.2 SBOM of the generated 200 MB image" \
			"$peer_dir/syft" scan -q -o cyclonedx-json=/dev/null "docker-archive:$img"
		if [ -d "$apps" ]; then
			peer_row "peer: Syft SBOM of the bookworm-apps root filesystem" \
				"$peer_dir/syft" scan -q -o cyclonedx-json=/dev/null "dir:$apps"
		fi
	fi
fi

# --- the bookworm image with planted secrets, beside Trivy and Syft ---------------
# Issue 14's table: the SBOM and the secret scan of a ~200 MB bookworm
# docker-archive with 8 planted secrets (both tools must find all 8). The
# archive is the debootstrap root filesystem plus the secrets as one layer,
# imported into the local Docker Engine and saved (no registry needed).
if [ "$peers" = 1 ] && docker info >/dev/null 2>&1; then
	# /app is not in the minbase root filesystem (docker import refuses a
	# path twice in one layer).
	sec=$tmp/secrets/app
	mkdir -p "$sec"
	# Shapes both scanners know; values made up for this benchmark.
	printf 'AWS_ACCESS_KEY_ID=AKIAZ7QW3RTY5UIOPL2X\nAWS_SECRET_ACCESS_KEY=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\n' >"$sec/aws.env"
	printf 'token: ghp_Xq4Lr8Tz2Vn6Bm1Ck9Wd3Fs7Gh5Jp0Ya2Ue4\n' >"$sec/github.yml"
	printf 'GITLAB_TOKEN=glpat-Rk3Wq8Zt1Yx5Vn7Lm2Pb\n' >"$sec/gitlab.env"
	printf 'SLACK_BOT_TOKEN=xoxb-263594206564-2343594206574-FGqddMF8t08v8N7Oq4i57vs1\n' >"$sec/slack.env"
	printf 'STRIPE_KEY=sk_live_51Hq8ZtKx2Vn6Bm1Ck9Wd3Fs7Gh5Jp0Ya2Ue4Lr8Tz\n' >"$sec/stripe.env"
	printf 'NPM_TOKEN="npm_Kx2Vn6Bm1Ck9Wd3Fs7Gh5Jp0Ya2Ue4Lr8TzQ"\n' >"$sec/npm.env"
	printf 'PYPI_TOKEN=pypi-AgEIcHlwaS5vcmcRk3Wq8Zt1Yx5Vn7Lm2PbKx2Vn6Bm1Ck9Wd3Fs7Gh5Jp0Ya2Ue4Lr8TzQ4Hd6Ns\n' >"$sec/pypi.env"
	openssl genrsa 2048 2>/dev/null >"$sec/deploy_key.pem"
	bw=$tmp/bookworm-secrets.tar
	log "building the bookworm image with 8 planted secrets (docker import, docker save)"
	if save_archive "$bw" shipshape-bench-bookworm:secrets "$rootfs" "$tmp/secrets" app; then
		bwmb=$(($(stat -c %s "$bw") / 1000000))
		measure "sbom, bookworm archive" "" "0" "$ss" sbom --no-cache -o /dev/null "docker-archive:$bw"
		row "\`shipshape sbom\` of a ${bwmb} MB bookworm docker-archive (debootstrap minbase and 8 planted secrets)" "$fig" \
			"shipshape sbom --no-cache -o /dev/null docker-archive:bookworm-secrets.tar"
		ss_sbom=$wall
		measure "secret, bookworm archive" "" "0" "$ss" image --no-cache --scanners secret --fail-on none --format json "docker-archive:$bw"
		row "\`shipshape image --scanners secret\` of the same" "$fig" \
			"shipshape image --no-cache --scanners secret --fail-on none docker-archive:bookworm-secrets.tar"
		ss_secret=$wall
		ss_found=$("$ss" image --no-cache --scanners secret --fail-on none --format json "docker-archive:$bw" |
			python3 -c 'import json,sys,re; print(len(set(re.findall(r"\"/?app/[a-z_]+\.(?:env|yml|pem)", sys.stdin.read()))))' 2>/dev/null || echo "?")
		if peer_build syft github.com/anchore/syft/cmd/syft@v1.57.2; then
			peer_row "peer: Syft v1.57.2 SBOM of the same" "$peer_dir/syft" scan -q -o cyclonedx-json=/dev/null "docker-archive:$bw"
			row "ratio: Syft / shipshape sbom, bookworm archive" "$(ratio "$wall" "$ss_sbom")" "scripts/bench.sh --peers"
		fi
		if [ -x "$peer_dir/trivy" ]; then
			trivy_secret_row "peer: Trivy \`trivy image --scanners secret\` of the same (empty cache each run)" "$bw" "$tmp/trivy-secrets.json"
			trivy_wall=$wall
			trivy_found=$(python3 -c 'import json,sys,re; print(len(set(re.findall(r"\"/?app/[a-z_]+\.(?:env|yml|pem)", open(sys.argv[1]).read()))))' "$tmp/trivy-secrets.json" 2>/dev/null || echo "?")
			row "ratio: Trivy / shipshape secret scan, bookworm archive; files with a planted secret reported: shipshape $ss_found of 8, Trivy $trivy_found of 8" \
				"$(ratio "$trivy_wall" "$ss_secret")" "scripts/bench.sh --peers"
		fi
		rm -f "$bw"
	else
		log "docker import or save failed: the bookworm-archive rows are skipped"
	fi
	# With --big: a 3.7 GB docker-archive as `docker save` writes it
	# (uncompressed layers): the same root filesystem and seven 500 MB
	# incompressible files, the shape of issue 14's 3.5 GB archive.
	if [ "$big" = 1 ]; then
		mkdir -p "$tmp/blobs/data"
		for i in 1 2 3 4 5 6 7; do head -c 500000000 /dev/urandom >"$tmp/blobs/data/blob$i.bin"; done
		ub=$tmp/bookworm-3g.tar
		log "building the 3.7 GB uncompressed docker-archive (docker import, docker save)"
		if save_archive "$ub" shipshape-bench-bookworm:3g "$rootfs" "$tmp/blobs" data; then
			rm -rf "$tmp/blobs"
			archive_rows "$ub" bookworm-3g.tar "bookworm and seven 500 MB files, uncompressed layers" ""
		else
			rm -rf "$tmp/blobs"
			log "docker import or save failed: the 3.7 GB archive rows are skipped"
		fi
		# A 4.2 GB docker-archive of many mid-sized files: the
		# bookworm-apps root filesystem and 70,000 incompressible files
		# of 50 KB, uncompressed layers.
		if [ -d "$apps" ]; then
			log "building the 4.2 GB docker-archive of 70,000 files (docker import, docker save)"
			python3 -c '
import os, sys
root = sys.argv[1]
for d in range(70):
    os.makedirs(f"{root}/data/d{d:02d}", exist_ok=True)
    for i in range(1000):
        with open(f"{root}/data/d{d:02d}/f{i:04d}.bin", "wb") as f:
            f.write(os.urandom(50000))
' "$tmp/many70k"
			ma=$tmp/apps-70k.tar
			if save_archive "$ma" shipshape-bench-apps:70k "$apps" "$tmp/many70k" data; then
				rm -rf "$tmp/many70k"
				archive_rows "$ma" apps-70k.tar "bookworm-apps and 70,000 files of 50 KB, uncompressed layers" " of 70,000 files"
			else
				rm -rf "$tmp/many70k"
				log "docker import or save failed: the 70,000-file archive rows are skipped"
			fi
		else
			log "$apps is missing: the 70,000-file archive rows are skipped"
		fi
	fi
elif [ "$peers" = 1 ]; then
	log "no Docker Engine: the bookworm-archive rows (issue 14's Syft and Trivy secret ratios) are skipped"
fi

print_table
