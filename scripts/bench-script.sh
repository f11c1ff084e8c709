#!/usr/bin/env bash
# bench-script.sh [BUILD_DIR [BASELINE_BINARY]]: perf script vs flamescope script on a fresh
# profile of at least 1 million samples (or $SAMPLES) (-g, cpu-clock every 20 us, of the
# script_fp workload and its thread and child, which keep both CPUs busy; not
# -a: on a shared machine other people's processes are not ours to sample). Prints wall time, CPU time and
# peak RSS side by side and checks that the two outputs are identical.
# With a BASELINE_BINARY (an older flamescope), it is timed on the same
# profile too, right after, for a before/after comparison.
# Then the same for one -F list, $FIELDS (default: the pipeline favourite
# comm,pid,tid,time,ip,sym), perf and flamescope side by side again.
set -euo pipefail
B=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
FS=$(realpath "$top/$B/flamescope")
WL=$(realpath "$top/$B/workloads/script_fp")
T=$(mktemp -d /tmp/bench-script.XXXXXX)
trap 'rm -rf "$T"' EXIT
. "$top/scripts/bench-lib.sh"
bench_null

# A busy machine gives the workload less CPU: SAMPLES lowers the target,
# SECS sets the first recording's length (it doubles while samples are short).
want=${SAMPLES:-1000000}
secs=${SECS:-12}
while :; do
	perf record -q -g -e cpu-clock -c 20000 -o "$T/perf.data" -- "$WL" $((secs * 1000)) \
		>/dev/null 2>"$T/record.err"
	n=$(perf report -i "$T/perf.data" --stats 2>/dev/null | awk '/SAMPLE events:/ { print $3; exit }')
	[ "${n:-0}" -ge "$want" ] && break
	[ "$secs" -ge 60 ] && { echo "bench-script: only $n samples after ${secs}s" >&2; exit 1; }
	secs=$((secs * 2))
done
size=$(du -h "$T/perf.data" | cut -f1)
echo "profile: $n samples, $size, recorded in ${secs}s"

# run NAME CMD...: times CMD (bench-lib.sh's measure), prints wall/cpu/rss.
run() {
	local name=$1 wall; shift
	measure "$name" "$@"
	wall=$(median "${WALL[$name]}")
	printf '%-18s %8.2f s wall %8.2f s cpu %8d MB peak RSS\n' "$name" "$wall" \
		"$(median "${CPU[$name]}")" $(($(median "${RSS[$name]}") / 1024))
	eval "${name//[^a-z]/_}_wall=$wall"
}

sync
run "perf script" perf script -i "$T/perf.data"
run "flamescope script" "$FS" script -i "$T/perf.data"
if [ -n "${2:-}" ]; then
	run "baseline script" "$(realpath "$2")" script -i "$T/perf.data"
	echo "baseline speed-up: $(awk -v p="$perf_script_wall" -v f="$baseline_script_wall" \
		'BEGIN { printf "%.1f", (f > 0 ? p / f : 0) }')x (wall)"
fi
echo "speed-up: $(awk -v p="$perf_script_wall" -v f="$flamescope_script_wall" \
	'BEGIN { printf "%.1f", (f > 0 ? p / f : 0) }')x (wall)"
# Second runs, streamed into cmp: the outputs are too big to keep.
same() {
	if out=$(cmp <(perf script -i "$T/perf.data" "$@" 2>/dev/null) \
		     <("$FS" script -i "$T/perf.data" "$@" 2>/dev/null)); then
		echo "outputs identical ($(perf script -i "$T/perf.data" "$@" 2>/dev/null | wc -l) lines)"
	else
		echo "OUTPUTS DIFFER: $out"
		exit 1
	fi
}
same

fields=${FIELDS:-comm,pid,tid,time,ip,sym}
echo "-F $fields:"
run "perf script fields" perf script -i "$T/perf.data" -F "$fields"
run "flamescope fields" "$FS" script -i "$T/perf.data" -F "$fields"
echo "speed-up: $(awk -v p="$perf_script_fields_wall" -v f="$flamescope_fields_wall" \
	'BEGIN { printf "%.1f", (f > 0 ? p / f : 0) }')x (wall)"
same -F "$fields"
