#!/usr/bin/env bash
# flamescope script's options against perf script (Debian perf 6.1) on
# recordings made here: -F field lists in all their forms, the options
# pipelines pass, perf's own error texts and exit statuses, and the kernel
# symbol sources (a vmlinux, a kcore) made from this machine's kallsyms.
# Each check runs both on the same file: stdout byte for byte, the same
# exit status, and the same stderr once the two usage texts are left out.
source "$(dirname "$0")/lib.sh"
MKKERNEL=$(realpath "$B/tests/mkkernel")
PDWRITE=$(realpath "$B/tests/pdwrite")

if ! command -v perf >/dev/null || ! perf record -q -o "$WORK/probe.data" -- true >/dev/null 2>&1; then
	fail perf-record "perf record is not available: nothing here can be checked"
	exit 0
fi

# The lines of an error before the usage text (perf's or ours) that follows it.
errors() {
	awk '/^ [Uu]sage: / { exit } NF' "$1"
}

# same_as_perf NAME ARGS...: perf script ARGS and flamescope script ARGS agree.
# Each -F list run on a recording (-i FILE first) is kept, to run again on
# the committed fixtures at the end.
FIELD_RUNS=()
ON_FIXTURE=
same_as_perf() {
	local name=$1; shift
	if [ -z "$ON_FIXTURE" ] && [ "$1" = -i ] && [[ " $* " =~ \ (-F|--fields=) ]] &&
		[[ ! " $* " =~ \ (-k|--vmlinux|--kallsyms)\  ]]; then
		FIELD_RUNS+=("$name $(printf '%q ' "${@:3}")")
	fi
	(cd "$WORK/run" && perf script "$@" >"$WORK/$name.perf" 2>"$WORK/$name.perf.err")
	local prc=$?
	(cd "$WORK/run" && "$FLAMESCOPE" script "$@" >"$WORK/$name.fs" 2>"$WORK/$name.fs.err")
	local frc=$?
	if [ "$prc" -ne "$frc" ]; then
		fail "$name" "exit $frc, perf $prc: $(head -c 300 "$WORK/$name.fs.err")"
	elif ! cmp -s "$WORK/$name.perf" "$WORK/$name.fs"; then
		fail "$name" "$(diff "$WORK/$name.perf" "$WORK/$name.fs" | head -n 12)"
	elif ! diff <(errors "$WORK/$name.perf.err") <(errors "$WORK/$name.fs.err") >"$WORK/$name.ediff"; then
		fail "$name" "stderr: $(head -n 8 "$WORK/$name.ediff")"
	else
		ok "$name"
	fi
}

# has NAME FILE PATTERN: perf's output shows what the check is about (else it proves little).
has() {
	if grep -q -- "$3" "$2"; then ok "$1"; else fail "$1" "no '$3' in $(basename "$2")"; fi
}

mkdir -p "$WORK/run"
cd "$WORK/run" || exit 1
# one process with callchains (a thread in a C++-mangled function), one
# system-wide with context switches, one of several event types and sample
# fields, one pipe stream
record fp.data -g -- "$WORKLOADS/script_fp" 400
record sys.data -a -g --switch-events -- "$WORKLOADS/script_fp" 300
record mix.data -e cpu-clock -e sched:sched_switch -e page-faults -d --phys-data \
	--data-page-size --code-page-size -W --user-regs=ax,sp --intr-regs=ax,r15 -k mono -g \
	-- "$WORKLOADS/script_fp" 300
perf record -q -o - -g -e cpu-clock -e sched:sched_switch -- "$WORKLOADS/script_fp" 200 \
	>pipe.data 2>/dev/null

# -F: plain lists, +/- edits, per-type lists, perf's quirks
same_as_perf f-issue-list -i fp.data -F comm,pid,tid,time,ip,sym
same_as_perf f-plus-pid -i fp.data -F +pid
same_as_perf f-minus -i fp.data -F -period,-event
same_as_perf f-frames -i fp.data -F ip,sym,symoff
same_as_perf f-ip-dso -i fp.data -F ip,dso
same_as_perf f-no-ip -i fp.data -F comm,tid,time,period
same_as_perf f-type-sw -i fp.data -F sw:comm,tid,time
same_as_perf f-type-absent -i fp.data -F trace:comm,tid
same_as_perf f-flags-misc -i fp.data -F +flags,+misc
same_as_perf f-empty-fields -i fp.data -F callindent,ipc,synth,brstack,machine_pid
same_as_perf f-bpf-output-quirk -i fp.data -F bpf-output
same_as_perf f-trace-ignored -i fp.data -F trace
same_as_perf f-override -i fp.data -F comm -F tid
same_as_perf f-attached -i fp.data -Fip,sym
same_as_perf f-long-eq -i fp.data --fields=+pid
# perf's refusals: the same words and exit status
same_as_perf e-symoff -i fp.data -F symoff
same_as_perf e-addr -i fp.data -F addr
same_as_perf e-srcline-no-ip -i fp.data -F srcline
same_as_perf e-tod -i fp.data -F tod
same_as_perf e-cpu -i fp.data -F time,cpu
same_as_perf e-no-sym -i fp.data -F -sym
same_as_perf e-brstackinsn -i fp.data -F brstackinsn
same_as_perf e-iregs -i fp.data -F iregs
same_as_perf e-no-events -i fp.data -F hw:
same_as_perf e-bad-field -i fp.data -F comm,bogus
same_as_perf e-mix -i fp.data -F +pid,comm
same_as_perf e-none -i fp.data -F ''
same_as_perf e-bad-type -i fp.data -F foo:comm
same_as_perf e-invalid-type -i fp.data -F sw:trace
same_as_perf e-unknown-option -i fp.data --bogus
same_as_perf e-ambiguous -i fp.data --show
same_as_perf e-max-stack -i fp.data --max-stack x
same_as_perf e-takes-no-value -i fp.data --ns=3
same_as_perf e-rel-delta -i fp.data --reltime --deltatime
same_as_perf e-vmlinux-missing -i fp.data -k "$WORK/none"

# Options pipelines pass
same_as_perf o-demangle -i fp.data
has o-demangle-shown "$WORK/o-demangle.perf" "flamescope::worker::spin+0x"
same_as_perf o-no-demangle -i fp.data --no-demangle
has o-no-demangle-shown "$WORK/o-no-demangle.perf" "_ZN10flamescope6worker4spinEv+0x"
same_as_perf o-hide-call-graph -i fp.data -G
same_as_perf o-max-stack -i fp.data --max-stack 2
same_as_perf o-max-stack-0 -i fp.data --max-stack 0
same_as_perf o-deltatime -i fp.data --deltatime
same_as_perf o-symbols -i fp.data -S inner_leaf
addr=$(awk '/inner_leaf\+/ { print $1; exit }' "$WORK/o-hide-call-graph.perf")
same_as_perf o-symbols-addr -i fp.data -G -S "${addr:-0}"
same_as_perf o-dsos -i fp.data --dsos script_fp
same_as_perf o-dsos-kernel -i fp.data --dsos '[kernel.kallsyms]' -G
same_as_perf o-comms -i fp.data --comms script_fp
same_as_perf o-task-events -i fp.data --show-task-events --show-mmap-events
same_as_perf o-abbreviated -i fp.data --show-task --max-st 3 --hide-call
same_as_perf e-ambiguous-negated -i fp.data --no-dem
same_as_perf o-full-source-path -i fp.data --full-source-path -f

# System-wide: cpus, context switches, the records between the samples
same_as_perf s-default -i sys.data
same_as_perf s-fields -i sys.data -F +pid,+misc,-period
same_as_perf s-switch -i sys.data --show-switch-events -F +misc
has s-switch-shown "$WORK/s-switch.perf" "PERF_RECORD_SWITCH_CPU_WIDE"
same_as_perf s-records -i sys.data --show-task-events --show-mmap-events --show-lost-events --reltime
same_as_perf s-cpu -i sys.data -C 1 --show-task-events -F cpu,comm,tid,time,ip,sym
same_as_perf s-dsos-libc -i sys.data --dsos libc.so.6 -G

# Sample fields of other kinds, tracepoint lists, the clock
same_as_perf m-default -i mix.data
same_as_perf m-data -i mix.data -F sw:+addr,+data_src,+weight,+phys_addr,+data_page_size,+code_page_size,+ins_lat
has m-data-shown "$WORK/m-data.perf" "|OP "
same_as_perf m-regs -i mix.data -F +uregs,+iregs
has m-regs-shown "$WORK/m-regs.perf" " ABI:2 "
same_as_perf m-tod -i mix.data -F +tod --ns
same_as_perf m-trace-list -i mix.data -F trace:comm,tid,time,trace
same_as_perf m-trace-edit -i mix.data -F trace:+pid,-ip
same_as_perf m-two-lists -i mix.data -F sw:comm,tid -F trace:comm,trace
same_as_perf m-all-types -i mix.data -F comm,tid,event,trace
same_as_perf m-addr -i mix.data -F addr,ip,sym,dso

# A synthetic file whose fields take many values (data_src encodings cut at
# perf's 100 bytes, cpumodes, guest samples perf drops, page sizes, registers
# with unnamed and XMM slots, cpu -1 and 1234): perf's text is the oracle.
"$PDWRITE" fields synth.data
same_as_perf x-default -i synth.data
same_as_perf x-all -i synth.data -F +addr,+data_src,+weight,+ins_lat,+phys_addr,+data_page_size,+code_page_size,+uregs,+iregs,+misc,+flags,+pid
has x-all-shown "$WORK/x-all.perf" "XMM15:0x"
same_as_perf x-one-line -i synth.data -G -F cpu,misc,addr,ip,sym --ns

# Pipe mode: perf checks each attr as its record arrives
same_as_perf p-default -i pipe.data
same_as_perf p-records -i pipe.data -F +pid --show-task-events --show-mmap-events
same_as_perf p-no-sym -i pipe.data -F -sym
same_as_perf p-no-events -i pipe.data -F hw:

# --per-event-dump: the files and perf's "Wrote" lines
mkdir -p perf ours
cp mix.data perf/ && cp mix.data ours/
(cd perf && perf script -i mix.data --per-event-dump --show-task-events >stdout 2>/dev/null)
(cd ours && "$FLAMESCOPE" script -i mix.data --per-event-dump --show-task-events >stdout 2>/dev/null)
dumps=$(cd perf && ls ./*.dump 2>/dev/null | wc -l)
if [ "$dumps" -lt 3 ]; then
	fail per-event-dump "perf wrote $dumps dump files"
elif diff -r perf ours >"$WORK/dump.diff"; then
	ok "per-event-dump ($dumps files)"
else
	fail per-event-dump "$(head -n 8 "$WORK/dump.diff")"
fi

# The kernel from a vmlinux and from a kcore, made from this machine's
# kallsyms (it has neither): both tools read the same files.
cp /proc/kallsyms kallsyms.txt
bid=$(perf buildid-list -i sys.data 2>/dev/null | awk '/\[kernel.kallsyms\]/ { print $1; exit }')
perf script -i sys.data -F ip,sym 2>/dev/null | awk '$1 ~ /^ffffffff/ && $2 != "[unknown]" { sub(/\+0x.*/, "", $2); print $1, $2 }' |
	sort >kframes
split=$(awk '{ a[NR] = $2 } END { print a[int(NR / 2) + 1] }' kframes)
hot=$(awk '{ print $2 }' kframes | sort | uniq -c | sort -rn | awk '{ print $2; exit }')
resume=$(awk -v s="$split" '$3 == s { f = 1 } f && !/\t/ && ++n == 40 { print $3; exit }' kallsyms.txt)
if [ -z "$split" ] || [ -z "$hot" ] || [ -z "$resume" ]; then
	fail kernel-frames "no kernel frames in the system-wide recording"
else
	"$MKKERNEL" vmlinux kallsyms.txt vmlinux.fake "${bid:--}" "$split" "$hot"
	same_as_perf k-vmlinux -i sys.data -k vmlinux.fake
	has k-vmlinux-sections "$WORK/k-vmlinux.perf" "(\[kernel.kallsyms\].text.split)"
	same_as_perf k-vmlinux-demangle -i sys.data --vmlinux vmlinux.fake --demangle-kernel -F ip,sym,dso
	has k-vmlinux-demangled "$WORK/k-vmlinux-demangle.perf" "kernel::$hot"
	same_as_perf k-vmlinux-path -i sys.data -k vmlinux.fake --show-kernel-path -G
	# perf's first kernel lookup finds the kernel's map before the vmlinux
	# splits it: a sample there in .text.split is [unknown] in vmlinux.fake
	t=$(awk 'NR > 1 && / \(\[kernel.kallsyms\]\)$/ && match($0, /\] +[0-9]+\.[0-9]+:/) {
		s = substr($0, RSTART, RLENGTH); gsub(/[]: ]/, "", s); print s; exit }' "$WORK/k-vmlinux-path.perf")
	if [ -z "$t" ]; then
		fail k-vmlinux-first "no sample in .text.split in the system-wide recording"
	else
		same_as_perf k-vmlinux-first -i sys.data -k vmlinux.fake --show-kernel-path -G --time "$t,"
		has k-vmlinux-first-unknown "$WORK/k-vmlinux-first.perf" "\[unknown\] (vmlinux.fake)"
	fi
	mkdir -p kc && cp kallsyms.txt kc/kallsyms && : >kc/modules
	"$MKKERNEL" kcore kallsyms.txt kc/kcore "$split" "$resume"
	same_as_perf k-kcore -i sys.data --kallsyms kc/kallsyms --show-kernel-path
	has k-kcore-used "$WORK/k-kcore.perf" "(kc/kcore)"
	same_as_perf k-kallsyms -i sys.data --kallsyms kallsyms.txt -F +pid
fi

# Every -F list above again on the committed fixtures (tests/data/script: one
# process; tests/data/demo: system-wide), perf reading their build-id caches
# (perf 6.1 takes buildid.dir from its config, flamescope PERF_BUILDID_DIR).
# Lists of fields a fixture's samples lack compare perf's refusals.
ON_FIXTURE=1
for fx in script:buildid demo:debug; do
	fdir=$TOP/tests/data/${fx%%:*} cache=$TOP/tests/data/${fx%%:*}/${fx#*:}
	printf '[buildid]\n\tdir = %s\n' "$cache" >"$WORK/${fx%%:*}.perfconfig"
	export PERF_CONFIG=$WORK/${fx%%:*}.perfconfig PERF_BUILDID_DIR=$cache
	printed=0
	for run in "${FIELD_RUNS[@]}"; do
		eval "set -- ${run#* }"
		same_as_perf "fixture-${fx%%:*}-${run%% *}" -i "$fdir/perf.data" "$@"
		[ -s "$WORK/fixture-${fx%%:*}-${run%% *}.perf" ] && printed=$((printed + 1))
	done
	unset PERF_CONFIG PERF_BUILDID_DIR
	# the fixtures resolve their frames (else the comparisons prove little)
	if [ "${#FIELD_RUNS[@]}" -lt 30 ] || [ "$printed" -lt 20 ]; then
		fail "fixture-${fx%%:*}-lists" "${#FIELD_RUNS[@]} -F lists, $printed printed samples"
	else
		ok "fixture-${fx%%:*}-lists (${#FIELD_RUNS[@]} -F lists, $printed printed samples)"
	fi
done
has fixture-script-frames "$WORK/fixture-script-f-issue-list.perf" " fx_leaf"
has fixture-demo-frames "$WORK/fixture-demo-f-issue-list.perf" " burst_work"
ON_FIXTURE=

# What we do not reproduce is refused, naming the perf command.
refused() {
	local name=$1; shift
	"$FLAMESCOPE" script "$@" >"$WORK/$name.out" 2>"$WORK/$name.err"
	local rc=$?
	if [ "$rc" -ne 0 ] && [ ! -s "$WORK/$name.out" ] && grep -q "use perf script" "$WORK/$name.err"; then
		ok "$name"
	else
		fail "$name" "exit $rc: $(head -c 300 "$WORK/$name.err")"
	fi
}
refused r-srcline -i fp.data -F ip,srcline
refused r-insn -i fp.data -F +insn
refused r-itrace -i fp.data --itrace=i100
refused r-script -i fp.data -s foo.py
refused r-dump-raw -i fp.data -D

# The man page's OPTIONS entries are exactly the options --help shows (the
# text may name other commands' options, e.g. perf record's --call-graph).
"$FLAMESCOPE" script --help | grep -o -- '--[a-z][a-z-]*' | sort -u >"$WORK/help.opts"
awk '/^# /{ opts = ($0 == "# OPTIONS") } opts && /^\*-/' "$TOP/perf-plugin/man/flamescope-script.1.scd" |
	grep -o -- '\*--[a-z][a-z-]*' | tr -d '*' | sort -u >"$WORK/man.opts"
if [ -s "$WORK/help.opts" ] && diff "$WORK/help.opts" "$WORK/man.opts" >"$WORK/opts.diff"; then
	ok "man-matches-help ($(wc -l <"$WORK/help.opts") options)"
else
	fail man-matches-help "$(head -n 8 "$WORK/opts.diff")"
fi
