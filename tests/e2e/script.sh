#!/usr/bin/env bash
# flamescope script against perf script (Debian perf 6.1): every check diffs
# the two outputs byte for byte on recordings made here, then on the
# committed fixture (tests/data/script), which needs no perf recording.
source "$(dirname "$0")/lib.sh"

FIX=$TOP/tests/data/script

# cmp_script NAME ARGS...: perf script ARGS vs flamescope script ARGS.
cmp_script() {
	local name=$1; shift
	perf script "$@" >"$WORK/$name.perf" 2>"$WORK/$name.perf.err"
	"$FLAMESCOPE" script "$@" >"$WORK/$name.fs" 2>"$WORK/$name.fs.err"
	if [ ! -s "$WORK/$name.perf" ]; then
		fail "$name" "perf script printed nothing: $(head -c 300 "$WORK/$name.perf.err")"
		return
	fi
	same "$name" "$WORK/$name.perf" "$WORK/$name.fs"
}

# The committed fixture first: it runs even where perf cannot record.
PERF_BUILDID_DIR=$FIX/buildid "$FLAMESCOPE" script -i "$FIX/perf.data" >"$WORK/fixture.fs" 2>"$WORK/fixture.err"
same fixture "$FIX/expected.txt" "$WORK/fixture.fs"

if ! command -v perf >/dev/null || ! perf record -q -o "$WORK/probe.data" -- true >/dev/null 2>&1; then
	skip script-recorded "perf record is not available (only the fixture was checked)"
	exit 0
fi

# -a -g on a frame-pointer workload with threads, fork+exec and anon exec code
record "$WORK/ag.data" -a -g -- "$WORKLOADS/script_fp" 900
cmp_script system-callchains -i "$WORK/ag.data"
grep -q "inner_leaf+0x" "$WORK/system-callchains.perf" && grep -q "(/tmp/perf-[0-9]*.map)" \
	"$WORK/system-callchains.perf" && ok workload-frames-present ||
	fail workload-frames-present "perf's output lacks the workload's or the JIT frames"

# The records read ahead in a second thread (the default on a file) against one
# thread: the same bytes, and on a file cut short the same text before the same
# error (file and offset) and status.
one_thread() {
	local name=$1; shift
	"$FLAMESCOPE" script "$@" >"$WORK/$name.2t" 2>"$WORK/$name.2t.err"; echo "status $?" >>"$WORK/$name.2t.err"
	FLAMESCOPE_THREADS=1 "$FLAMESCOPE" script "$@" >"$WORK/$name.1t" 2>"$WORK/$name.1t.err"
	echo "status $?" >>"$WORK/$name.1t.err"
	same "$name" "$WORK/$name.1t" "$WORK/$name.2t"
	same "$name-stderr" "$WORK/$name.1t.err" "$WORK/$name.2t.err"
}
one_thread one-thread-same-bytes -i "$WORK/ag.data"
head -c $(($(stat -c %s "$WORK/ag.data") * 2 / 3)) "$WORK/ag.data" >"$WORK/cut.data"
one_thread one-thread-cut-file -i "$WORK/cut.data"
grep -q "cut.data" "$WORK/one-thread-cut-file.2t.err" && ok one-thread-cut-file-named ||
	fail one-thread-cut-file-named "no error naming the file: $(head -c 300 "$WORK/one-thread-cut-file.2t.err")"

record "$WORK/nog.data" -a -- "$WORKLOADS/script_fp" 500
cmp_script system-no-callchain -i "$WORK/nog.data"

record "$WORK/proc.data" -g -- "$WORKLOADS/script_fp" 600
cmp_script workload-only -i "$WORK/proc.data"

record "$WORK/two.data" -a -g -e cpu-clock,page-faults -- "$WORKLOADS/script_fp" 500
cmp_script two-events -i "$WORK/two.data"

record "$WORK/fixed.data" -a -g -c 100000 -- "$WORKLOADS/script_fp" 400
cmp_script fixed-period -i "$WORK/fixed.data"

record "$WORK/z.data" -a -g -z -- "$WORKLOADS/script_fp" 500
cmp_script compressed -i "$WORK/z.data"
one_thread one-thread-compressed -i "$WORK/z.data"

# A stripped copy: both must print [unknown] with its path.
cp "$WORKLOADS/script_strip" "$WORK/stripped" && strip "$WORK/stripped"
record "$WORK/strip.data" -g -- "$WORK/stripped" 500
cmp_script stripped -i "$WORK/strip.data"
grep -q "\[unknown\] ($WORK/stripped)" "$WORK/stripped.perf" && ok stripped-unknown ||
	fail stripped-unknown "perf's output has no [unknown] frame of the stripped binary"

# A copy deleted after recording: found through the build-id cache perf record
# filled (perf reads buildid.dir from its config, we read PERF_BUILDID_DIR).
mkdir -p "$WORK/moved" "$WORK/buildid"
printf '[buildid]\n\tdir = %s\n' "$WORK/buildid" >"$WORK/perfconfig"
cp "$WORKLOADS/script_moved" "$WORK/moved/script_moved"
PERF_CONFIG=$WORK/perfconfig record "$WORK/moved.data" -g -- "$WORK/moved/script_moved" 500
rm -rf "$WORK/moved"
PERF_CONFIG=$WORK/perfconfig PERF_BUILDID_DIR=$WORK/buildid cmp_script moved -i "$WORK/moved.data"
grep -q "moved_leaf+0x" "$WORK/moved.perf" && ok moved-resolved ||
	fail moved-resolved "perf did not resolve the moved binary: the check above proves little"

# Options, on the -a -g recording.
cmp_script opt-ns -i "$WORK/ag.data" --ns
cmp_script opt-pid-field -i "$WORK/ag.data" -F +pid
cmp_script opt-reltime -i "$WORK/ag.data" --reltime
cmp_script opt-cpu -i "$WORK/ag.data" --cpu 1
cmp_script opt-cpu-list -C 0-1 -i "$WORK/ag.data"
cmp_script opt-comm -i "$WORK/ag.data" --comm script_fp,swapper
mkdir -p "$WORK/emptyfs"
cmp_script opt-symfs -i "$WORK/proc.data" --symfs "$WORK/emptyfs"

pid=$(awk '$1 == "script_fp" { split($2, a, "/"); print a[1]; exit }' "$WORK/opt-pid-field.perf")
tid=$(awk -v p="$pid" '$1 == "script_fp" { split($2, a, "/"); if (a[1] == p && a[2] != p) { print a[2]; exit } }' \
	"$WORK/opt-pid-field.perf")
cmp_script opt-pid -i "$WORK/ag.data" --pid "$pid"
cmp_script opt-tid -i "$WORK/ag.data" --tid "${tid:-$pid}"

# --time: absolute forms from the recording's own sample times.
times=$(awk '/^[^\t]/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+\.[0-9]+:$/) { sub(":", "", $i); print $i } }' \
	"$WORK/system-callchains.perf")
n=$(echo "$times" | wc -l)
t() { echo "$times" | sed -n "$(($1 * n / 100 + 1))p"; }
cmp_script time-range -i "$WORK/ag.data" --time "$(t 20),$(t 40)"
cmp_script time-open-start -i "$WORK/ag.data" --time ",$(t 30)"
cmp_script time-open-end -i "$WORK/ag.data" --time "$(t 70),"
cmp_script time-several -i "$WORK/ag.data" --time "$(t 10),$(t 20) $(t 50),$(t 60)"
cmp_script time-short-fraction -i "$WORK/ag.data" --time "${times%%.*}.5,"
cmp_script time-slice -i "$WORK/ag.data" --time 10%/2
cmp_script time-percent-range -i "$WORK/ag.data" --time 0%-10%
cmp_script time-slice-list -i "$WORK/ag.data" --time 10%/1,10%/3
cmp_script time-percent -i "$WORK/ag.data" --time 25%
cmp_script time-reltime -i "$WORK/ag.data" --reltime --time 0.2,0.4
cmp_script time-ns -i "$WORK/ag.data" --ns --time "$(t 45),$(t 55)"

cmp_script header -i "$WORK/proc.data" --header
cmp_script header-system -i "$WORK/ag.data" --header
cmp_script header-compressed -i "$WORK/z.data" --header
record "$WORK/group.data" -g -e '{cpu-clock,page-faults}' -k CLOCK_MONOTONIC -- "$WORKLOADS/script_fp" 300
cmp_script header-group-clockid -i "$WORK/group.data" --header

# JIT runtimes, only where installed (these checks are simply absent otherwise).
if command -v node >/dev/null; then
	# node leaves isolate-*.log files in its working directory: keep them in $WORK
	(cd "$WORK" && record "$WORK/node.data" -g -- node --perf-basic-prof -e \
		'let s = 0; const end = Date.now() + 800; while (Date.now() < end) s += Math.sqrt(s + 1);')
	cmp_script node-perf-map -i "$WORK/node.data"
fi
if command -v java >/dev/null && command -v jcmd >/dev/null; then
	cat >"$WORK/Busy.java" <<'JAVA'
public class Busy {
	static double spin(double s) { for (int i = 0; i < 1000000; i++) s += Math.sqrt(s + i); return s; }
	public static void main(String[] a) {
		double s = 0; long end = System.currentTimeMillis() + 1500;
		while (System.currentTimeMillis() < end) s = spin(s);
		System.out.println(s > 0 ? "" : " ");
	}
}
JAVA
	perf record -q -g -o "$WORK/java.data" -- java -XX:+PreserveFramePointer "$WORK/Busy.java" \
		>/dev/null 2>&1 &
	rec=$!
	sleep 1
	jpid=$(pgrep -f "^java .*Busy.java" | head -n 1)
	[ -n "$jpid" ] && jcmd "$jpid" Compiler.perfmap >/dev/null 2>&1
	wait "$rec"
	cmp_script java-perf-map -i "$WORK/java.data"
fi

# --call-graph dwarf recordings are unwound as perf unwinds them (more in dwarf.sh).
record "$WORK/dwarf.data" --call-graph dwarf -- "$WORKLOADS/script_strip" 200
cmp_script dwarf-as-perf -i "$WORK/dwarf.data"

# Options we do not reproduce are refused, never silently ignored.
"$FLAMESCOPE" script -i "$WORK/ag.data" --itrace=i100 >"$WORK/unsup.out" 2>"$WORK/unsup.err"
rc=$?
if [ "$rc" -eq 2 ] && grep -q "option '--itrace' is not supported: use perf script --itrace" "$WORK/unsup.err" &&
	[ ! -s "$WORK/unsup.out" ]; then
	ok unsupported-option
else
	fail unsupported-option "exit $rc: $(head -c 200 "$WORK/unsup.err")"
fi
