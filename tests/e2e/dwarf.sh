#!/usr/bin/env bash
# --call-graph dwarf recordings made here, of workloads built without frame
# pointers: flamescope script against perf script byte for byte (inlined
# frames, the kernel part first, options), the flame graph's folded stacks
# against stackcollapse-perf.pl's folding of perf's text (tests/oracle), the
# heat map against FlameScope's on that text, and partial callchains refused
# where they would be drawn cut. The committed fixture (tests/data/dwarf)
# first: it needs no perf recording.
source "$(dirname "$0")/lib.sh"
ORACLE=$TOP/tests/oracle
FIX=$TOP/tests/data/dwarf

# The fixture: perf's text when it was recorded, and stackcollapse-perf.pl's folding of it.
export PERF_BUILDID_DIR=$FIX/buildid
"$FLAMESCOPE" script -i "$FIX/perf.data" >"$WORK/fixture.fs" 2>"$WORK/fixture.err"
same fixture "$FIX/expected.txt" "$WORK/fixture.fs"
python3 "$ORACLE/stackcollapse.py" --count-samples "$FIX/expected.txt" >"$WORK/fixture.oracle"
if "$FLAMESCOPE" flamegraph -q -i "$FIX/perf.data" --include-idle --format folded \
	-o "$WORK/fixture.folded" 2>"$WORK/fixture-fg.err"; then
	same fixture-folded "$WORK/fixture.oracle" "$WORK/fixture.folded"
else
	fail fixture-folded "flamescope failed: $(head -c 300 "$WORK/fixture-fg.err")"
fi
unset PERF_BUILDID_DIR

if ! command -v perf >/dev/null || ! perf record -q -o "$WORK/probe.data" -- true >/dev/null 2>&1; then
	fail perf-record "perf record is not available: no dwarf recording can be checked"
	exit 1
fi

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

# has NAME FILE REGEX WHY: perf's own output shows what the check relies on.
has() {
	if grep -Eq "$3" "$2"; then ok "$1"; else fail "$1" "$4 (no /$3/ in $(basename "$2"))"; fi
}

# folded_vs_oracle NAME DATA: flamescope's folded stacks equal stackcollapse-perf.pl's of perf's text.
folded_vs_oracle() {
	local name=$1 data=$2
	perf script -i "$data" >"$WORK/$name.txt" 2>/dev/null
	python3 "$ORACLE/stackcollapse.py" --count-samples "$WORK/$name.txt" >"$WORK/$name.oracle"
	if "$FLAMESCOPE" flamegraph -q -i "$data" --include-idle --format folded \
		-o "$WORK/$name.folded" 2>"$WORK/$name.err"; then
		same "$name" "$WORK/$name.oracle" "$WORK/$name.folded"
	else
		fail "$name" "flamescope failed: $(head -c 300 "$WORK/$name.err")"
	fi
}

# The fixture's text is still what this machine's perf prints (its cache through perf's config).
printf '[buildid]\n\tdir = %s\n' "$FIX/buildid" >"$WORK/perfconfig"
PERF_CONFIG=$WORK/perfconfig perf script -i "$FIX/perf.data" >"$WORK/fixture.perf" 2>/dev/null
same fixture-perf-now "$FIX/expected.txt" "$WORK/fixture.perf"

DW=(--call-graph dwarf)

# C without frame pointers: threads, a shared library, qsort calling back,
# a signal handler, inlined functions, the vdso.
record "$WORK/c.data" "${DW[@]}" -F 199 -- "$WORKLOADS/dwarf_c" 800
cmp_script c-nofp -i "$WORK/c.data"
has c-user-frames "$WORK/c-nofp.perf" 'c_outer\+0x.*dwarf_c\)' "perf unwound no frame of dwarf_c"
has c-inlined-frames "$WORK/c-nofp.perf" ' \(inlined\)$' "perf printed no inlined frame"
has c-shared-library "$WORK/c-nofp.perf" 'lib_leaf\+0x.*libdwarf_lib\.so\)' "no frame of libdwarf_lib.so"
has c-threads "$WORK/c-nofp.perf" 'start_thread\+0x' "no thread's stack reached start_thread"
has c-callback-under-libc "$WORK/c-nofp.perf" 'cmp_slow\+0x' "no qsort callback frame"
folded_vs_oracle c-folded "$WORK/c.data"
grep -q '^dwarf_c;.*;main;run_main;' "$WORK/c-folded.folded" && ok c-folded-has-user-stacks ||
	fail c-folded-has-user-stacks "no folded stack of dwarf_c reaches main;run_main"

# options on it
cmp_script c-max-stack-3 -i "$WORK/c.data" --max-stack 3
cmp_script c-max-stack-1 -i "$WORK/c.data" --max-stack=1
cmp_script c-pid-field -i "$WORK/c.data" -F +pid
cmp_script c-comm -i "$WORK/c.data" --comm dwarf_c
times=$(awk '/^[^\t]/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+\.[0-9]+:$/) { sub(":", "", $i); print $i } }' \
	"$WORK/c-nofp.perf")
n=$(echo "$times" | wc -l)
cmp_script c-time -i "$WORK/c.data" --time "$(echo "$times" | sed -n "$((n / 4 + 1))p"),$(echo "$times" | sed -n "$((n / 2 + 1))p")"
mkdir -p "$WORK/emptyfs"
cmp_script c-symfs-empty -i "$WORK/c.data" --symfs "$WORK/emptyfs"

# C++: templates, std::function, virtual calls, exceptions through libgcc's unwinder.
record "$WORK/cxx.data" "${DW[@]}" -F 199 -- "$WORKLOADS/dwarf_cxx" 800
cmp_script cxx -i "$WORK/cxx.data"
has cxx-templates "$WORK/cxx.perf" 'Mixer<unsigned long, [0-9]+>::mix' "no template instance frame"
has cxx-inlined "$WORK/cxx.perf" 'sort<.*\(inlined\)$' "no inlined std::sort frame"
folded_vs_oracle cxx-folded "$WORK/cxx.data"

# Stripped, its symbols and DWARF in a separate file found by .gnu_debuglink;
# the shared library beside it, as its rpath says.
mkdir -p "$WORK/strip"
cp "$WORKLOADS/dwarf_c" "$WORKLOADS/libdwarf_lib.so" "$WORK/strip/"
(cd "$WORK/strip" && objcopy --only-keep-debug dwarf_c dwarf_c.debug && strip dwarf_c &&
	objcopy --add-gnu-debuglink=dwarf_c.debug dwarf_c)
record "$WORK/strip.data" "${DW[@]}" -F 199 -- "$WORK/strip/dwarf_c" 500
cmp_script stripped-debuglink -i "$WORK/strip.data"
has stripped-resolved "$WORK/stripped-debuglink.perf" 'c_leaf\+0x.*strip/dwarf_c\)' \
	"perf found no symbol of the stripped binary"
has stripped-inlined "$WORK/stripped-debuglink.perf" 'c_mix\+0x.*\(inlined\)$' \
	"no inlined frame from the debug file"

# System-wide, other processes included (the machine may be busy: only equality is checked).
record "$WORK/a.data" -a "${DW[@]}" -F 49 -- "$WORKLOADS/dwarf_c" 500
cmp_script system-wide -i "$WORK/a.data"
folded_vs_oracle system-wide-folded "$WORK/a.data"
perf script -i "$WORK/a.data" --header >"$WORK/a.header.txt" 2>/dev/null
python3 "$ORACLE/flamescope_heatmap.py" --issue4-idle "$WORK/a.header.txt" >"$WORK/a.oracle.json"
if "$FLAMESCOPE" heatmap -q -i "$WORK/a.data" --format json -o "$WORK/a.json" 2>"$WORK/a.err"; then
	check heatmap-idle-rule python3 -c '
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
assert a["values"] == b["values"], "cells differ"' "$WORK/a.json" "$WORK/a.oracle.json"
else
	fail heatmap-idle-rule "flamescope heatmap failed: $(head -c 300 "$WORK/a.err")"
fi

# perf hands dlfilters the kernel part of these callchains only: refused, not drawn cut.
# An ASan-built plugin needs the ASan runtime loaded first into (uninstrumented) perf.
dl_preload=
if nm "$FLAMESCOPE" 2>/dev/null | grep -q __asan_init; then
	dl_preload=$(cc -print-file-name=libasan.so)
fi
ASAN_OPTIONS=detect_leaks=0 LD_PRELOAD=$dl_preload perf script -i "$WORK/c.data" --dlfilter "$(realpath "$B/flamescope-dlfilter.so")" \
	--dlarg "folded=$WORK/dl.folded" >/dev/null 2>"$WORK/dl.err"
if grep -q 'call-graph dwarf' "$WORK/dl.err" && [ ! -e "$WORK/dl.folded" ]; then
	ok dlfilter-refuses-dwarf
else
	fail dlfilter-refuses-dwarf "no refusal, or an output was written: $(head -c 300 "$WORK/dl.err")"
fi
