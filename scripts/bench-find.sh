#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# bench-find.sh [BUILD_DIR [HOURS [CPUS [HZ]]]]: flamescope find against flamescope heatmap
# (and flamegraph, whose load resolves every stack as find's does) on the same long
# profile, side by side in one run. The profile (tests/tools/pdlong): one process sampled
# for HOURS (default 3) on CPUS (4) CPUs at HZ (99), with a start-up, a band every 60 s,
# bursts every second and random load, its frames in the schedule workload's ELF so the
# usual symbolizer resolves them. Prints the median wall time and peak RSS of each over
# ROUNDS (5) interleaved rounds, the ratios, and what find found.
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

# time NAME CMD...: wall seconds and peak RSS of one run of CMD, appended to $T/NAME.times.
time_one() {
	local name=$1; shift
	/usr/bin/time -f "%e %M" -o "$T/time" "$@" >"$T/$name.out" 2>"$T/err" || {
		echo "bench-find: $name failed: $(head -3 "$T/err")" >&2; exit 1; }
	cat "$T/time" >>"$T/$name.times"
}

# The three side by side, interleaved over ROUNDS rounds (default 5), so a
# busy machine's drift falls on all of them; medians reported.
for round in $(seq "${ROUNDS:-5}"); do
	time_one heatmap "$FS" heatmap -i "$T/long.data" -o "$T/heat.json"
	time_one flamegraph "$FS" flamegraph -i "$T/long.data" -o "$T/fg.svg"
	time_one find "$FS" find -i "$T/long.data"
done
median() { sort -n "$T/$1.times" | awk '{ w[NR] = $1; m[NR] = $2 } END { i = int((NR + 1) / 2); print w[i], m[i] }'; }
read -r heat heat_rss < <(median heatmap)
read -r fg fg_rss < <(median flamegraph)
read -r find find_rss < <(median find)
printf '%-36s %8.2f s %8d MB peak RSS\n' "flamescope heatmap -o heat.json" "$heat" $((heat_rss / 1024)) \
	"flamescope flamegraph -o fg.svg" "$fg" $((fg_rss / 1024)) "flamescope find" "$find" $((find_rss / 1024))
awk -v h="$heat" -v f="$find" -v g="$fg" 'BEGIN {
	printf "find / heatmap: %.2fx   find / flamegraph: %.2fx   (medians of %d rounds)\n", f / h, f / g, '"${ROUNDS:-5}"' }'
grep '^[0-9]*\. ' "$T/find.out"
