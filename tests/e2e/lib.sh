# Sourced by the end-to-end tests. $FLAMESCOPE and $B are set by tests/run.sh.
# ok NAME / fail NAME WHY / skip NAME WHY print the lines tests/run.sh counts:
# skip is for a check that cannot run here (no perf, no chromium...), never
# for one that ran and failed.
set -u
: "${B:=build}"
: "${FLAMESCOPE:=$(realpath "$B/flamescope")}"
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WORK=$(mktemp -d /tmp/flamescope-test.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

ok() { echo "ok $1"; }
fail() { echo "FAIL $1: $2"; }
skip() { echo "skip $1: $2"; }

# check NAME CMD...: ok when CMD succeeds.
check() {
	local name=$1; shift
	if "$@" >"$WORK/check.out" 2>&1; then ok "$name"; else fail "$name" "$(head -c 600 "$WORK/check.out")"; fi
}

# same NAME EXPECTED ACTUAL: files must be identical; prints the first differing lines.
same() {
	if cmp -s "$2" "$3"; then ok "$1"; else fail "$1" "$(diff "$2" "$3" | head -n 12)"; fi
}

# record OUT ARGS...: perf record quietly (perf recording needs root or a low paranoid level).
record() {
	local out=$1; shift
	perf record -q -o "$out" "$@" >/dev/null 2>"$WORK/record.err"
}

# Test workloads, built by make into $B/workloads.
WORKLOADS=$(realpath "$B/workloads")
