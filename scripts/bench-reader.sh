#!/usr/bin/env bash
# bench-reader: how fast the reader walks a ~1 GB perf.data, beside perf.
#   scripts/bench-reader.sh [BUILD_DIR [MB]]
# Builds a perf.data of MB megabytes (default 1024) in a temp dir with
# tests/tools/pdwrite (shaped like `perf record -a -g`: two cpus' samples
# interleaved by rounds, 4-40 frame callchains; recording 1 GB would take
# minutes), warms the page cache, then prints the best-of-3 wall time of
# `flamescope info` and `perf report --stats` on it, and their ratio.
set -eu
B=${1:-build}
MB=${2:-1024}
FLAMESCOPE=$(realpath "$B/flamescope")
PDWRITE=$(realpath "$B/tests/pdwrite")
tmp=$(mktemp -d /tmp/fs-bench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

"$PDWRITE" big "$tmp/big.data" "$MB"
size=$(stat -c %s "$tmp/big.data")
cat "$tmp/big.data" >/dev/null		# page cache warm

# best wall time of 3 runs, in seconds
best() {
	local b=999 s e t
	for _ in 1 2 3; do
		s=$(date +%s%N)
		"$@" >/dev/null 2>&1
		e=$(date +%s%N)
		t=$(( (e - s) / 1000000 ))
		[ "$t" -lt "$b" ] && b=$t
	done
	awk -v ms="$b" 'BEGIN { printf "%.3f", ms / 1000 }'
}

ours=$(best "$FLAMESCOPE" info -i "$tmp/big.data")
theirs=$(best perf report --stats -i "$tmp/big.data")
records=$("$FLAMESCOPE" info -i "$tmp/big.data" | awk '/TOTAL events:/ { print $3; exit }')
printf 'file: %d MB, %s records\n' $((size >> 20)) "$records"
printf '%-28s %8s s\n' "flamescope info" "$ours" "perf report --stats" "$theirs"
awk -v a="$ours" -v b="$theirs" -v sz="$size" 'BEGIN {
	printf "ratio (flamescope / perf):    %.2f\n", a / b
	printf "flamescope throughput:        %.0f MB/s\n", sz / 1048576 / a }'
