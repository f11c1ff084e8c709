#!/usr/bin/env bash
# bench-top.sh [BUILD_DIR [SECONDS]]: what flamescope top costs, run live (root).
#   1. overhead: `flamescope top -a -F 49` in dashboard mode (PNG + JSON every 10 s) and,
#      side by side in the same run, `perf record -F 49 -a -g` to a file: CPU time of
#      each over SECONDS (default 60) after a 10 s start-up (reading /proc and
#      symbol tables is counted apart), as a percentage of one core, and their ratio.
#      The issue's target: flamescope top under 2 % of one core.
#   2. memory: --window 5 at 999 Hz on the script_fp workload (two processes, a thread,
#      JIT code): RSS after 10 s and after 60 s. Flat means the window, the interned
#      stacks and the session stay bounded (tests/e2e/top.sh runs a 24 s version).
set -euo pipefail
B=${1:-build}
SECS=${2:-60}
top=$(cd "$(dirname "$0")/.." && pwd)
FS=$(realpath "$top/$B/flamescope")
WL=$(realpath "$top/$B/workloads/script_fp")
T=$(mktemp -d /tmp/bench-top.XXXXXX)
trap 'rm -rf "$T"' EXIT
hz=$(getconf CLK_TCK)

# cpu PID: user + system time in clock ticks.
cpu() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
rss() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }

echo "1. overhead at -F 49 -a over ${SECS}s ($(nproc) cpus, load $(cut -d' ' -f1 /proc/loadavg))"
"$FS" top -q -a -F 49 --every 10 --png "$T/h.png" --json "$T/h.json" \
	--duration $((SECS + 12)) 2>"$T/top.err" &
fs=$!
perf record -q -a -g -F 49 -o "$T/perf.data" -- sleep $((SECS + 12)) >/dev/null 2>"$T/rec.err" &
rec=$!
perf_pid=$rec		# perf itself; sleep is its child
sleep 10
f0=$(cpu "$fs"); p0=$(cpu "$perf_pid")
sleep "$SECS"
f1=$(cpu "$fs"); p1=$(cpu "$perf_pid")
wait "$fs" "$rec" || true
awk -v f="$((f1 - f0))" -v p="$((p1 - p0))" -v s="$SECS" -v hz="$hz" -v start="$f0" 'BEGIN {
	printf "   flamescope top:  %6.2f %% of one core (start-up: %.2f s of cpu)\n", 100 * f / hz / s, start / hz
	printf "   perf record -g:  %6.2f %% of one core\n", 100 * p / hz / s
	if (p > 0) printf "   ratio top/record: %.2f\n", f / p
}'

echo "2. memory: --window 5 at 999 Hz"
"$FS" top -q -F 999 -w 5 --every 1 --json "$T/m.json" -- "$WL" $(( (SECS + 15) * 1000 )) \
	>/dev/null 2>"$T/m.err" &
fs=$!
sleep 10
r10=$(rss "$fs")
sleep $((SECS - 10))
r60=$(rss "$fs")
kill -INT "$fs"
wait "$fs" || true
echo "   RSS after 10 s: $r10 kB, after ${SECS} s: $r60 kB ($(awk -v a="$r10" -v b="$r60" 'BEGIN { printf "%+.1f %%", 100 * (b - a) / a }'))"
