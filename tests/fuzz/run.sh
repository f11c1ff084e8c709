#!/usr/bin/env bash
# Runs libFuzzer harnesses: run.sh FUZZ_B SECONDS JOBS NAME... (SECONDS 0:
# the regression inputs only)
# For each NAME: every input under tests/fuzz/regress/NAME once (each a bug
# found before), then $FUZZ_B/fuzz_NAME for SECONDS on $FUZZ_B/corpus-NAME.
# JOBS harnesses run at a time. Prints "ok fuzz_NAME: N execs in S s" or
# "FAIL fuzz_NAME: why" (with the log's tail and the crashing input's path);
# exits 1 when any failed.
set -u
FB=$1 SECS=$2 JOBS=$3
shift 3
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
mkdir -p "$FB/artifacts"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$top/tests/fuzz/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

one() {
	local n=$1 bin=$FB/fuzz_$1 log=$FB/log-$1.txt regress=() execs
	: >"$log"
	if [ -d "tests/fuzz/regress/$n" ]; then
		regress=(tests/fuzz/regress/"$n"/*)
	fi
	if [ ${#regress[@]} -gt 0 ] && [ -e "${regress[0]}" ]; then
		if ! timeout 120 "$bin" -timeout=10 -rss_limit_mb=2048 "${regress[@]}" >>"$log" 2>&1; then
			echo "FAIL fuzz_$n: a regression input fails again"
			grep -E 'ERROR|SUMMARY|Running:' "$log" | tail -n 8
			return 1
		fi
	fi
	if [ "$SECS" -eq 0 ]; then
		echo "ok fuzz_$n: ${#regress[@]} regression inputs (not fuzzed)"
		return 0
	fi
	# A fixed seed (FUZZ_SEED, default 1) makes a smoke pass walk the same inputs each time.
	if ! timeout $((SECS + 120)) "$bin" -seed="${FUZZ_SEED:-1}" -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$FB/artifacts/$n-" \
		"$FB/corpus-$n" >>"$log" 2>&1; then
		echo "FAIL fuzz_$n: see $log"
		grep -E 'ERROR|SUMMARY|Test unit written|==[0-9]+==' "$log" | head -n 12
		return 1
	fi
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	echo "ok fuzz_$n: ${execs:-?} execs in $SECS s, ${#regress[@]} regression inputs"
}

fails=0
pids=()
for n in "$@"; do
	while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do
		wait -n || fails=$((fails + 1))
	done
	one "$n" &
done
while [ "$(jobs -rp | wc -l)" -gt 0 ]; do
	wait -n || fails=$((fails + 1))
done
wait || true
[ "$fails" -eq 0 ]
