#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# bench-find.sh [BUILD_DIR [HOURS [CPUS [HZ]]]]: flamescope find against flamescope heatmap
# (and flamegraph, whose load resolves every stack as find's does) on the same long
# profile, side by side in one run. The profile (tests/tools/pdlong): one process sampled
# for HOURS (default 3) on CPUS (4) CPUs at HZ (99), with a start-up, a band every 60 s,
# bursts every second and random load, its frames in the schedule workload's ELF so the
# usual symbolizer resolves them. Prints wall time and peak RSS of each, the ratios, and
# what find found.
set -euo pipefail
B=${1:-build}
HOURS=${2:-3}
CPUS=${3:-4}
HZ=${4:-99}
top=$(cd "$(dirname "$0")/.." && pwd)
make -s -C "$top" B="$B" "$B/flamescope" "$B/tests/pdlong" "$B/workloads/schedule" >/dev/null
FS=$(realpath "$top/$B/flamescope")
ELF=$(realpath "$top/$B/workloads/schedule")
T=$(mktemp -d /tmp/bench-find.XXXXXX)
trap 'rm -rf "$T"' EXIT

syms=$(nm "$ELF" | awk '$3 ~ /^(main|run|spin_leaf|startup_work|band_work|burst_work|noise_work)$/ {
	printf "%s%s:%s", sep, $3, $1; sep = "," }')
"$top/$B/tests/pdlong" "$T/long.data" "$HOURS" "$CPUS" "$HZ" "$ELF" "$syms" >/dev/null
n=$("$FS" info -i "$T/long.data" | awk '/^ *SAMPLE events:/ { print $3; exit }')
echo "profile: $HOURS h on $CPUS CPUs at $HZ Hz, $n samples, $(( $(stat -c %s "$T/long.data") >> 20 )) MB"
cat "$T/long.data" >/dev/null	# page cache warm for every contender

# run NAME CMD...: wall seconds and peak RSS of CMD (best of 3 wall times), output kept.
run() {
	local name=$1 best= i; shift
	for i in 1 2 3; do
		/usr/bin/time -f "%e %M" -o "$T/time" "$@" >"$T/out" 2>"$T/err" || {
			echo "bench-find: $name failed: $(head -3 "$T/err")" >&2; exit 1; }
		read -r wall rss <"$T/time"
		best=$(awk -v a="${best:-$wall}" -v b="$wall" 'BEGIN { print (b < a ? b : a) }')
	done
	printf '%-36s %8.2f s %8d MB peak RSS\n' "$name" "$best" $((rss / 1024))
	last=$best
}

run "flamescope heatmap -o heat.json" "$FS" heatmap -i "$T/long.data" -o "$T/heat.json"; heat=$last
run "flamescope flamegraph -o fg.svg" "$FS" flamegraph -i "$T/long.data" -o "$T/fg.svg"; fg=$last
run "flamescope find" "$FS" find -i "$T/long.data"; find=$last
awk -v h="$heat" -v f="$find" -v g="$fg" 'BEGIN {
	printf "find / heatmap: %.2fx   find / flamegraph: %.2fx\n", f / h, f / g }'
grep '^[0-9]*\. ' "$T/out"
