#!/usr/bin/env bash
# bench-dwarf.sh [BUILD_DIR [MODE]]: perf script vs flamescope script on a fresh
# --call-graph dwarf profile of at least 100 000 samples of the dwarf_c workload
# (built without frame pointers; MODE "few" keeps to a few call paths, "mixed",
# the default, adds qsort's many recursive ones), then flamescope flamegraph
# on the same file. Prints wall time, CPU time (addr2line children included:
# both tools run it for inlined frames) and peak RSS side by side, the
# speed-up and the number of distinct stacks, and checks the two texts are identical.
# FS_BASE=PATH adds a row for another flamescope (say, main's) on the same file.
set -euo pipefail
B=${1:-build}
MODE=${2:-mixed}
top=$(cd "$(dirname "$0")/.." && pwd)
FS=$(realpath "$top/$B/flamescope")
WL=$(realpath "$top/$B/workloads/dwarf_c")
T=$(mktemp -d /tmp/bench-dwarf.XXXXXX)
trap 'rm -rf "$T"' EXIT

want=100000
secs=10
while :; do
	perf record -q --call-graph dwarf -F 9999 -o "$T/perf.data" -- "$WL" $((secs * 1000)) \
		$([ "$MODE" = few ] && echo few) >/dev/null 2>"$T/record.err"
	n=$(perf report -i "$T/perf.data" --stats 2>/dev/null | awk '/SAMPLE events:/ { print $3; exit }')
	[ "${n:-0}" -ge "$want" ] && break
	[ "$secs" -ge 80 ] && { echo "bench-dwarf: only $n samples after ${secs}s" >&2; exit 1; }
	secs=$((secs * 2))
done
size=$(du -h "$T/perf.data" | cut -f1)
echo "profile: $n samples ($MODE call paths), $size, recorded in ${secs}s"

NULL=/dev/null
if [ ! -c /dev/null ]; then
	NULL=$T/null
	mknod -m 666 "$NULL" c 1 3 || { echo "bench-dwarf: /dev/null is no device and mknod failed" >&2; exit 1; }
fi

# run NAME CMD...: times CMD, prints wall/cpu/rss.
run() {
	local name=$1; shift
	/usr/bin/time -f "%e %U %S %M" -o "$T/$name.time" "$@" >"$NULL" 2>"$T/$name.err"
	read -r wall user sys rss <"$T/$name.time"
	printf '%-20s %8.2f s wall %8.2f s cpu %8d MB peak RSS\n' "$name" "$wall" \
		"$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')" $((rss / 1024))
	eval "${name//[^a-z]/_}_wall=$wall ${name//[^a-z]/_}_cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')"
}

sync
cat "$T/perf.data" >"$NULL"	# both start from the page cache
run "perf script" perf script -i "$T/perf.data"
[ -z "${FS_BASE:-}" ] || run "base script" "$FS_BASE" script -i "$T/perf.data"
run "flamescope script" "$FS" script -i "$T/perf.data"
run "flamescope flamegraph" "$FS" flamegraph -q -i "$T/perf.data" --include-idle -o "$T/fg.svg"
echo "speed-up: $(awk -v p="$perf_script_wall" -v f="$flamescope_script_wall" \
	'BEGIN { printf "%.1f", (f > 0 ? p / f : 0) }')x (wall), $(awk -v p="$perf_script_cpu" \
	-v f="$flamescope_script_cpu" 'BEGIN { printf "%.1f", (f > 0 ? p / f : 0) }')x (cpu)"
[ -z "${FS_BASE:-}" ] || echo "base speed-up: $(awk -v p="$perf_script_wall" -v f="$base_script_wall" \
	'BEGIN { printf "%.1f", (f > 0 ? p / f : 0) }')x (wall), $(awk -v p="$perf_script_cpu" \
	-v f="$base_script_cpu" 'BEGIN { printf "%.1f", (f > 0 ? p / f : 0) }')x (cpu)"
# How many distinct stacks, and so how much the memo can spare.
perf script -i "$T/perf.data" 2>/dev/null | awk '
	/^[^\t]/ { if (s != "") seen[s] = 1; s = ""; next }
	/^\t/ { s = s $1 " " }
	END { if (s != "") seen[s] = 1; for (k in seen) d++; print "distinct stacks: " d }'
if out=$(cmp <(perf script -i "$T/perf.data" 2>/dev/null) <("$FS" script -i "$T/perf.data" 2>/dev/null)); then
	echo "outputs identical ($(perf script -i "$T/perf.data" 2>/dev/null | wc -l) lines)"
else
	echo "OUTPUTS DIFFER: $out"
	exit 1
fi
