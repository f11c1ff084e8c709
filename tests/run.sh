#!/usr/bin/env bash
# Runs every test against the build in $1: cmocka unit tests (tests/unit),
# then the end-to-end scripts (tests/e2e/*.sh). Each e2e script prints one
# line per check, "ok NAME" or "FAIL NAME: why"; a script that exits non-zero
# without a FAIL line counts as one failure. Ends with "N passed, N failed".
set -u
B=${1:-build}
export B FLAMESCOPE=$(realpath "$B/flamescope")
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
pass=0 fail=0
failed=()
log=$(mktemp)
trap 'rm -f "$log"' EXIT

for t in "$B"/tests/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	timeout 600 "$t" >"$log" 2>&1
	rc=$?
	p=$(grep -c '^\[       OK \]' "$log")
	f=$(grep -c '^\[  FAILED  \] [a-z_]' "$log")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	pass=$((pass + p)) fail=$((fail + f))
	if [ "$f" -gt 0 ]; then
		failed+=("$name")
		echo "--- $name (exit $rc)"; tail -n 30 "$log"
	else
		echo "ok $name ($p tests)"
	fi
done

for t in tests/e2e/*.sh; do
	[ -f "$t" ] || continue
	name=$(basename "$t" .sh)
	timeout 1200 bash "$t" >"$log" 2>&1 </dev/null
	rc=$?
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^FAIL ' "$log")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "FAIL $name: exit $rc" >>"$log"; fi
	pass=$((pass + p)) fail=$((fail + f))
	if [ "$f" -gt 0 ]; then
		failed+=("$name")
		echo "--- e2e $name (exit $rc)"; grep -v '^ok ' "$log" | tail -n 40
	else
		echo "ok e2e $name ($p checks)"
	fi
done

[ ${#failed[@]} -eq 0 ] || echo "failed: ${failed[*]}"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
