#!/usr/bin/env bash
# valgrind memcheck on end-to-end runs of every command: a call-graph
# recording made now (file, -z and pipe mode on stdin), the committed
# fixture, and broken files (truncated, a bit flipped, a record claiming
# 4 GB) whose error paths must free what they allocated. Each run must report
# no memcheck error and no definitely lost block. Skipped for sanitizer
# builds (ASan and valgrind do not mix) and when valgrind is missing.
source "$(dirname "$0")/lib.sh"
PDBOUNDS=$(realpath "$B/tests/pdbounds")
FIX=$TOP/tests/data/script
cd "$WORK" || exit 1

case "$B" in *asan*|*san*) skip valgrind-under-sanitizers "valgrind cannot run a sanitizer build"; exit 0 ;; esac
if ! command -v valgrind >/dev/null; then
	skip valgrind "valgrind is not installed"
	exit 0
fi

# vg NAME EXPECTED_STATUS ARGS...: flamescope ARGS under memcheck (status: a regex, "0|1").
vg() {
	local name=$1 want=$2; shift 2
	# the tracepoint worker (a fork running libtraceevent) is not ours to check
	timeout 300 valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite \
		--errors-for-leak-kinds=definite --child-silent-after-fork=yes --log-file="vg-$name.log" \
		"$FLAMESCOPE" "$@" >"vg-$name.out" 2>"vg-$name.err" <"${VG_STDIN:-/dev/null}"
	local rc=$?
	if [ $rc -eq 99 ] || [ -s "vg-$name.log" ]; then
		fail "valgrind-$name" "$(grep -m 8 -E '==[0-9]+== ( [A-Z]|[A-Z])' "vg-$name.log" | tr '\n' '|')"
	elif ! [[ $rc =~ ^($want)$ ]]; then
		fail "valgrind-$name" "exit $rc, expected $want: $(head -c 200 "vg-$name.err")"
	else
		ok "valgrind-$name"
	fi
}

# The committed fixture: no perf needed.
export PERF_BUILDID_DIR=$FIX/buildid
vg fixture-script 0 script -i "$FIX/perf.data"
vg fixture-flamegraph-svg 0 flamegraph -i "$FIX/perf.data" -o fixture.svg
unset PERF_BUILDID_DIR

if command -v perf >/dev/null && record rec.data -g -F 99 -- "$WORKLOADS/pattern" 1 &&
   record recz.data -z -g -F 99 -- "$WORKLOADS/pattern" 1 &&
   perf record -q -g -F 99 -o - -- "$WORKLOADS/pattern" 1 >pipe.data 2>/dev/null; then
	vg info 0 info -i rec.data
	vg script 0 script -i rec.data
	vg heatmap-svg 0 heatmap -i rec.data -o hm.svg
	vg heatmap-json 0 heatmap -i rec.data -o hm.json
	vg heatmap-png 0 heatmap -i rec.data -o hm.png
	vg flamegraph-svg 0 flamegraph -i rec.data -o fg.svg
	vg flamegraph-json 0 flamegraph -i rec.data -o fg.json
	vg flamegraph-png 0 flamegraph -i rec.data -o fg.png
	vg flamegraph-folded-time 0 flamegraph -i rec.data --time 10%/2 -o fg.folded
	vg z-script 0 script -i recz.data
	vg z-flamegraph 0 flamegraph -i recz.data -o fgz.svg
	VG_STDIN=pipe.data vg pipe-stdin-script 0 script -i -
	VG_STDIN=pipe.data vg pipe-stdin-heatmap 0 heatmap -i - -o hmp.json
	# broken inputs: the error paths
	head -c $(( $(stat -c %s recz.data) * 2 / 3 )) recz.data >cut.data
	vg truncated-script 1 script -i cut.data
	vg truncated-flamegraph 1 flamegraph -i cut.data -o cut.svg
	# a stream cut mid-record may end cleanly at the last whole record, as perf's does
	head -c $(( $(stat -c %s pipe.data) * 2 / 3 )) pipe.data >cutpipe.data
	vg truncated-pipe-heatmap '0|1' heatmap -i cutpipe.data -o cut.json
else
	skip valgrind-recorded "perf record failed (only the fixture and synthetic files were checked): $(head -c 200 record.err 2>/dev/null)"
fi
# tracepoints: payloads rendered by the forked worker, filters evaluated here
if command -v perf >/dev/null && record tpv.data -e sched:sched_switch -g -- "$WORKLOADS/tp_block" 1; then
	vg tracepoint-script 0 script -i tpv.data
	vg tracepoint-heatmap-filter 0 heatmap -i tpv.data --filter 'prev_state == S || prev_comm =~ "^tp"' -o tpv.json
fi
"$PDBOUNDS" huge-tracing huge.data && vg huge-tracing-flamegraph 1 flamegraph -i huge.data -o huge.svg
# a bad feature section is read past, as perf does (a note, status 0)
"$PDBOUNDS" huge-cmdline huge2.data && vg huge-cmdline-info 0 info -i huge2.data
vg missing-file 1 script -i does-not-exist.data
