#!/usr/bin/env bash
# Fuzzing at depth, outside CI: every libFuzzer harness (tests/fuzz/fuzz_*.c)
# runs until it has made RUNS executions (10 000 000) or spent SECONDS (600)
# on it, whichever comes first, niced, JOBS (1) harnesses at a time, on the
# corpus `make fuzz-build` seeds (build/fuzz/corpus-NAME, which keeps what
# it finds for the next campaign). A finding ends that harness's run (with
# its input saved); the others go on. Then one line per harness: executions,
# seconds, coverage, corpus size, and the findings (crash, leak, timeout and
# out-of-memory inputs, in build/fuzz/campaign/NAME/). Exits 1 when any
# harness found something; a finding belongs in tests/fuzz/regress/NAME once
# fixed.
#
#   scripts/fuzz-campaign.sh [NAME...]     (default: every harness)
#   SECONDS_PER=600 RUNS=10000000 JOBS=1 scripts/fuzz-campaign.sh
#
# The tracepoint harnesses (tracepoint, tpformat) fork libtraceevent's
# worker for every input, so they make hundreds, not hundreds of thousands,
# of executions a second: their bound is the time.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
SECS=${SECONDS_PER:-600}
RUNS=${RUNS:-10000000}
JOBS=${JOBS:-1}
FB=build/fuzz
OUT=$FB/campaign

nice -n 19 make -s fuzz-build >/dev/null || { echo "fuzz-campaign: make fuzz-build failed" >&2; exit 1; }
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
	for f in tests/fuzz/fuzz_*.c; do
		n=$(basename "$f" .c)
		names+=("${n#fuzz_}")
	done
fi
mkdir -p "$OUT"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$top/tests/fuzz/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

one() {
	local n=$1 dir=$OUT/$1 log=$OUT/$1.log start end execs cov units found
	rm -rf "$dir"
	mkdir -p "$dir"
	start=$(date +%s)
	# one process: a finding ends the harness's run (fix it, then run again)
	nice -n 19 timeout $((SECS + 300)) "$FB/fuzz_$n" -runs="$RUNS" -max_total_time="$SECS" \
		-timeout=20 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$dir/" \
		"$FB/corpus-$n" >"$log" 2>&1
	end=$(date +%s)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	cov=$(grep -oE ' cov: [0-9]+' "$log" | tail -n 1 | cut -d' ' -f3)
	units=$(grep -oE ' corp: [0-9]+' "$log" | tail -n 1 | cut -d' ' -f3)
	found=$(find "$dir" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
	printf '%-14s %12s execs %6s s  cov %6s  corpus %6s  findings %s\n' "fuzz_$n" "${execs:-?}" \
		$((end - start)) "${cov:-?}" "${units:-?}" "$found"
	[ "$found" -eq 0 ]
}

echo "fuzz-campaign: ${#names[@]} harnesses, each until $RUNS executions or $SECS s, $JOBS at a time (nice 19)"
fails=0
for n in "${names[@]}"; do
	while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do
		wait -n || fails=$((fails + 1))
	done
	one "$n" &
done
while [ "$(jobs -rp | wc -l)" -gt 0 ]; do
	wait -n || fails=$((fails + 1))
done
if [ "$fails" -gt 0 ]; then
	echo "fuzz-campaign: $fails harnesses found something: see $OUT/NAME/ and $OUT/NAME.log"
	exit 1
fi
echo "fuzz-campaign: nothing found"
