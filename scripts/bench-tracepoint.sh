#!/usr/bin/env bash
# bench-tracepoint.sh [BUILD_DIR [BASELINE_BINARY]]: perf script vs flamescope
# script on a sched:sched_switch recording of at least 300 000 events (perf
# bench sched pipe switching two tasks), whose payloads flamescope renders
# in libtraceevent's worker process. Each tool runs ROUNDS (5) times,
# interleaved in one run; prints the median wall and CPU time (worker
# included) of each, their ratios, and checks the outputs are identical.
# With a BASELINE_BINARY (an older flamescope: in-process libtraceevent),
# it is timed in the same rounds, for a before/after comparison.
set -euo pipefail
B=${1:-build}
BASE=${2:-}
ROUNDS=${ROUNDS:-5}
top=$(cd "$(dirname "$0")/.." && pwd)
FS=$(realpath "$top/$B/flamescope")
T=$(mktemp -d /tmp/bench-tp.XXXXXX)
trap 'rm -rf "$T"' EXIT

loops=100000
while :; do
	# the workload's own switches (its forked tasks inherit the event), not the machine's
	perf record -q -e sched:sched_switch -o "$T/perf.data" -- \
		perf bench sched pipe -l $loops >/dev/null 2>"$T/record.err"
	n=$(perf report -i "$T/perf.data" --stats 2>/dev/null | awk '/SAMPLE events:/ { print $3; exit }')
	[ "${n:-0}" -ge 300000 ] && break
	[ "$loops" -ge 1600000 ] && { echo "bench-tracepoint: only $n events" >&2; exit 1; }
	loops=$((loops * 2))
done
echo "profile: $n sched_switch events, $(du -h "$T/perf.data" | cut -f1)"

tools=(perf "$FS")
names=(perf flamescope)
if [ -n "$BASE" ]; then
	tools+=("$(realpath "$BASE")")
	names+=(baseline)
fi
for r in $(seq "$ROUNDS"); do
	for i in "${!tools[@]}"; do
		t=${tools[$i]}
		/usr/bin/time -f '%e %U %S' -o "$T/time" "$t" script -i "$T/perf.data" >"$T/out.${names[$i]}" 2>/dev/null
		awk -v n="${names[$i]}" '{ printf "%s %s %.2f\n", n, $1, $2 + $3 }' "$T/time" >>"$T/times"
	done
done
for name in "${names[@]}"; do
	[ "$name" = perf ] || cmp -s "$T/out.perf" "$T/out.$name" ||
		{ echo "bench-tracepoint: $name's output differs from perf's" >&2; exit 1; }
done
median() {	# median wall and cpu of a tool
	awk -v n="$1" '$1 == n { print $2, $3 }' "$T/times" | sort -n |
		awk '{ w[NR] = $1; c[NR] = $2 } END { m = int((NR + 1) / 2); print w[m], c[m] }'
}
read -r fw fc < <(median flamescope)
for name in "${names[@]}"; do
	read -r w c < <(median "$name")
	awk -v n="$name" -v w="$w" -v c="$c" -v fw="$fw" -v fc="$fc" 'BEGIN {
		printf "%-10s wall %6.2f s  cpu %6.2f s  flamescope/this: wall %.2f, cpu %.2f\n",
		       n, w, c, fw / w, fc / c }'
done
echo "outputs identical to perf's; medians of $ROUNDS rounds"
