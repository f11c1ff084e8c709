#!/usr/bin/env bash
# Warnings (issue 14): what leaves a profile incomplete without making it wrong
# is said once per cause on stderr, after loading, and --quiet silences it; the
# library itself never prints. The committed fixture with an empty --symfs
# has no symbols for either of its objects.
source "$(dirname "$0")/lib.sh"
FIX=$TOP/tests/data/script
mkdir -p "$WORK/empty"

"$FLAMESCOPE" flamegraph -i "$FIX/perf.data" --symfs "$WORK/empty" -o "$WORK/a.folded" 2>"$WORK/a.err"
rc=$?
[ "$rc" = 0 ] && [ -s "$WORK/a.folded" ] && ok warned-run-succeeds ||
	fail warned-run-succeeds "exit $rc: $(head -c 300 "$WORK/a.err")"
for what in '/tmp/flamescope-fixture/script_fixture' '\[kernel.kallsyms\]'; do
	n=$(grep -c "^flamescope flamegraph: warning: no symbols for $what:" "$WORK/a.err")
	[ "$n" = 1 ] && ok "warned-once-${what//[^a-z]/}" ||
		fail "warned-once-${what//[^a-z]/}" "$n times: $(head -c 400 "$WORK/a.err")"
done
dups=$(sort "$WORK/a.err" | uniq -d)
[ -z "$dups" ] && ok warnings-distinct || fail warnings-distinct "$dups"
others=$(grep -v ': warning: ' "$WORK/a.err")
[ -z "$others" ] && ok warnings-only || fail warnings-only "$others"

"$FLAMESCOPE" flamegraph -q -i "$FIX/perf.data" --symfs "$WORK/empty" -o "$WORK/q.folded" 2>"$WORK/q.err"
rc=$?
[ "$rc" = 0 ] && [ ! -s "$WORK/q.err" ] && ok quiet-silences-warnings ||
	fail quiet-silences-warnings "exit $rc: $(head -c 300 "$WORK/q.err")"
same quiet-same-output "$WORK/a.folded" "$WORK/q.folded"

# The same profile resolved: nothing to warn of.
PERF_BUILDID_DIR=$FIX/buildid "$FLAMESCOPE" flamegraph -i "$FIX/perf.data" -o "$WORK/r.folded" 2>"$WORK/r.err"
[ ! -s "$WORK/r.err" ] && grep -q fx_leaf "$WORK/r.folded" && ok resolved-no-warnings ||
	fail resolved-no-warnings "$(head -c 300 "$WORK/r.err")"

# The library reports through the callback only: no source of it writes to stderr or stdout.
if grep -n 'stderr\|stdout\|perror(' "$TOP"/core/*.c "$TOP"/png/*.c >"$WORK/prints"; then
	fail library-never-prints "$(head -n 3 "$WORK/prints")"
else
	ok library-never-prints
fi
