#!/usr/bin/env bash
# bench-views.sh [BUILD_DIR [FLAMEGRAPH_DIR]]: heat map and flame graph speed on a fresh
# profile of at least 1 million samples (-a -g, cpu-clock every 20 us, the script_fp
# workload keeping both CPUs busy), side by side with perf script in one run:
#   - flamescope heatmap (JSON) and flamegraph (SVG) vs perf script alone, a lower bound
#     of `perf script | stackcollapse-perf.pl | flamegraph.pl`; with FLAMEGRAPH_DIR (a
#     checkout of brendangregg/FlameGraph) the whole pipeline is timed too;
#   - range queries on the loaded profile (tests/tools/rangebench): one-second ranges
#     across the profile and the whole of it.
set -euo pipefail
B=${1:-build}
FG=${2:-}
top=$(cd "$(dirname "$0")/.." && pwd)
FS=$(realpath "$top/$B/flamescope")
WL=$(realpath "$top/$B/workloads/script_fp")
RB=$(realpath "$top/$B/tests/rangebench")
T=$(mktemp -d /tmp/bench-views.XXXXXX)
trap 'rm -rf "$T"' EXIT
. "$top/scripts/bench-lib.sh"

want=1000000
secs=12
while :; do
	perf record -q -a -g -e cpu-clock -c 20000 -o "$T/perf.data" -- "$WL" $((secs * 1000)) \
		>/dev/null 2>"$T/record.err"
	n=$("$FS" info -i "$T/perf.data" | awk '/^ *SAMPLE events:/ { print $3; exit }')
	[ "${n:-0}" -ge "$want" ] && break
	[ "$secs" -ge 60 ] && { echo "bench-views: only $n samples after ${secs}s" >&2; exit 1; }
	secs=$((secs * 2))
done
bytes=$(stat -c %s "$T/perf.data")
echo "profile: $n samples, $((bytes >> 20)) MB, recorded in ${secs}s"
cat "$T/perf.data" >/dev/null	# page cache warm for every contender

# run NAME CMD...: wall seconds and peak RSS of CMD (bench-lib.sh's measure), output discarded.
run() {
	local name=$1; shift
	measure "$name" "$@"
	last=$(median "${WALL[$name]}")
	printf '%-34s %8.2f s %8d MB peak RSS\n' "$name" "$last" $(($(median "${RSS[$name]}") / 1024))
}

run "perf script" perf script -i "$T/perf.data"; perf=$last
run "flamescope heatmap -o heat.json" "$FS" heatmap -i "$T/perf.data" -o "$T/heat.json"; heat=$last
run "flamescope heatmap -o heat.png" "$FS" heatmap -i "$T/perf.data" -o "$T/heat.png"
run "flamescope flamegraph -o fg.svg" "$FS" flamegraph -i "$T/perf.data" -o "$T/fg.svg"; fg=$last
if [ -n "$FG" ]; then
	run "perf script | stackcollapse | fg.pl" bash -c "perf script -i '$T/perf.data' 2>/dev/null |
		perl '$FG/stackcollapse-perf.pl' | perl '$FG/flamegraph.pl'"; pipe=$last
fi
awk -v p="$perf" -v h="$heat" -v f="$fg" -v b="$bytes" -v pipe="${pipe:-}" 'BEGIN {
	printf "heat map:   %.0f MB/s of perf.data, %.1fx faster than perf script alone\n", b / 1048576 / h, p / h
	printf "flame graph: %.1fx faster than perf script alone (a lower bound of the pipeline)\n", p / f
	if (pipe != "") printf "flame graph: %.1fx faster than the whole pipeline\n", pipe / f }'
"$RB" "$T/perf.data" 40
