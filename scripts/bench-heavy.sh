#!/usr/bin/env bash
# bench-heavy.sh [BUILD_DIR]: issue 15's table on a heavy profile, every row side by side
# in one run. The profile: `perf record -F 9999 -a -g` of the heavy workload (deep kernel
# stacks from syscalls, page faults and file I/O beside a deep user spinner, five
# processes; tests/workloads/heavy.c) for SECS seconds (default 50, longer until it
# holds SAMPLES samples, default 800000). -a on purpose: a busy system around the
# workload is the shape measured. PERF_DATA=FILE measures an existing recording instead.
#
# Rows (median of RUNS runs each, default 3, contenders alternating so they share the
# machine's load; CPU is user + sys):
#   flamescope script            vs perf script (and the outputs compared byte for byte)
#   flamescope heatmap (JSON)    vs perf report --stats (a bare walk of the records)
#   flamegraph --start 10 --end 12, one cold command, vs the heat map of the same file
#   flamegraph of the whole file (SVG) vs perf script | stackcollapse-perf.pl |
#     flamegraph.pl (one run: it takes a minute); FlameGraph comes from FLAMEGRAPH_DIR,
#     else is cloned from GitHub into the temp dir (never kept)
#   peak RSS of every view vs the size of the file
# BASELINE=BINARY (an older flamescope) times its script and heat map too, for before/after.
set -euo pipefail
B=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
FS=$(realpath "$top/$B/flamescope")
WL=$(realpath "$top/$B/workloads/heavy")
RUNS=${RUNS:-3}
T=$(mktemp -d /tmp/bench-heavy.XXXXXX)
trap 'rm -rf "$T"' EXIT
. "$top/scripts/bench-lib.sh"
bench_null

D=${PERF_DATA:-}
if [ -z "$D" ]; then
	D=$T/perf.data
	want=${SAMPLES:-800000}
	secs=${SECS:-50}
	mkdir "$T/wl"
	while :; do
		perf record -q -F 9999 -a -g -o "$D" -- "$WL" $((secs * 1000)) "$T/wl" \
			>/dev/null 2>"$T/record.err"
		n=$(perf report -i "$D" --stats 2>/dev/null | awk '/SAMPLE events:/ { print $3; exit }')
		[ "${n:-0}" -ge "$want" ] && break
		[ "$secs" -ge 200 ] && { echo "bench-heavy: only $n samples after ${secs}s" >&2; exit 1; }
		secs=$((secs * want / (${n:-0} + 1) + 10))	# what the rate says it takes, and some
	done
fi
D=$(realpath "$D")
n=$(perf report -i "$D" --stats 2>/dev/null | awk '/SAMPLE events:/ { print $3; exit }')
bytes=$(stat -c %s "$D")
cat "$D" >/dev/null	# page cache warm for every contender
text=$(perf script -i "$D" 2>/dev/null | wc -c)
echo "profile: $n samples, $((bytes >> 20)) MB of perf.data, $((text >> 20)) MB of perf script text" \
	"($((text / (n + 1))) bytes a sample)${secs:+, recorded in ${secs}s}"

if [ -n "${FLAMEGRAPH_DIR:-}" ]; then
	FG=$(realpath "$FLAMEGRAPH_DIR")
elif git clone -q --depth 1 https://github.com/brendangregg/FlameGraph "$T/FlameGraph" 2>"$T/clone.err"; then
	FG=$T/FlameGraph
else
	FG=
	echo "FlameGraph: clone failed ($(head -1 "$T/clone.err")); set FLAMEGRAPH_DIR to a checkout"
fi

# Each row's contenders run together, alternating, so they share the machine's state.
# A process that exits gives its memory back, and on a virtual machine the host may
# take it (free page reporting): the next process to touch fresh memory faults it in
# anew. perf script ends at 1.5 GB, perf report --stats touches little fresh memory,
# a heat map 50 MB: so the heat map is also timed right after perf script, a row apart.
for ((i = 0; i < RUNS; i++)); do
	measure "perf script" perf script -i "$D"
	measure "heatmap json after perf script" "$FS" heatmap -q -i "$D" --format json -o -
	measure "flamescope script" "$FS" script -i "$D"
	if [ -n "${BASELINE:-}" ]; then measure "baseline script" "$BASELINE" script -i "$D"; fi
done
for ((i = 0; i < RUNS; i++)); do
	measure "perf report --stats" perf report --stats -i "$D"
	measure "heatmap json" "$FS" heatmap -q -i "$D" --format json -o -
	measure "flamegraph 10-12 svg" "$FS" flamegraph -q -i "$D" --start 10 --end 12 --format svg -o -
	if [ -n "${BASELINE:-}" ]; then
		measure "baseline heatmap json" "$BASELINE" heatmap -q -i "$D" --format json -o -
	fi
done
for ((i = 0; i < RUNS; i++)); do
	measure "flamegraph svg" "$FS" flamegraph -q -i "$D" --format svg -o -
done
# once each: the slow pipeline, and the other views' memory
measure "heatmap png" "$FS" heatmap -q -i "$D" --format png -o -
measure "flamegraph png" "$FS" flamegraph -q -i "$D" --format png -o -
[ -n "$FG" ] && measure "perf script | stackcollapse | flamegraph.pl" bash -c \
	"perf script -i '$D' 2>/dev/null | perl '$FG/stackcollapse-perf.pl' | perl '$FG/flamegraph.pl'"

if cmp -s <(perf script -i "$D" 2>/dev/null) <("$FS" script -i "$D" 2>/dev/null); then
	same="same bytes"
else
	same="OUTPUTS DIFFER"
fi

w() { median "${WALL[$1]}"; }
c() { median "${CPU[$1]}"; }
# row STEP OURS PEER RATIO GOAL
row() { printf '%-34s %-22s %-36s %8s  %s\n' "$@"; }
ours() { printf '%.2f s (%.2f cpu)' "$(w "$1")" "$(c "$1")"; }
peer() { printf '%s %.2f s' "$2" "$(w "$1")"; }

echo "median of $RUNS runs, wall (user+sys CPU):"
row "step" "flamescope" "perf / peer" "ratio" "goal"
row "script ($same)" "$(ours "flamescope script")" "$(peer "perf script" "perf script")" \
	"$(ratio "$(w "perf script")" "$(w "flamescope script")")x" ">= 10x, same bytes"
row "heatmap (JSON)" "$(ours "heatmap json")" "$(peer "perf report --stats" "perf report --stats")" \
	"$(ratio "$(w "heatmap json")" "$(w "perf report --stats")")x" "<= 1.2x the bare walk"
row "  the same, just after perf script" "$(ours "heatmap json after perf script")" \
	"$(peer "perf report --stats" "perf report --stats")" \
	"$(ratio "$(w "heatmap json after perf script")" "$(w "perf report --stats")")x" "(its memory faulted in anew)"
row "flamegraph --start 10 --end 12" "$(ours "flamegraph 10-12 svg")" "$(peer "heatmap json" "heat map")" \
	"$(ratio "$(w "flamegraph 10-12 svg")" "$(w "heatmap json")")x" "<= 1.3x the heat map"
if [ -n "$FG" ]; then
	row "flamegraph whole file (SVG)" "$(ours "flamegraph svg")" \
		"$(peer "perf script | stackcollapse | flamegraph.pl" "FlameGraph pipeline")" \
		"$(ratio "$(w "perf script | stackcollapse | flamegraph.pl")" "$(w "flamegraph svg")")x" ">= 50x"
fi
if [ -n "${BASELINE:-}" ]; then
	row "baseline script" "$(ours "baseline script")" "$(peer "perf script" "perf script")" \
		"$(ratio "$(w "perf script")" "$(w "baseline script")")x" "(before)"
	row "baseline heatmap (JSON)" "$(ours "baseline heatmap json")" \
		"$(peer "perf report --stats" "perf report --stats")" \
		"$(ratio "$(w "baseline heatmap json")" "$(w "perf report --stats")")x" "(before)"
fi
echo "peak RSS against the file ($((bytes >> 20)) MB), goal <= 1.25x for every view:"
for v in "flamescope script" "heatmap json" "heatmap png" "flamegraph 10-12 svg" "flamegraph svg" \
	 "flamegraph png"; do
	rss=$(median "${RSS[$v]}")
	printf '  %-24s %6d MB  %5sx\n' "$v" $((${rss%.*} / 1024)) "$(ratio "$((${rss%.*} * 1024))" "$bytes")"
done
[ "$same" = "same bytes" ] || { echo "bench-heavy: flamescope script and perf script differ" >&2; exit 1; }
