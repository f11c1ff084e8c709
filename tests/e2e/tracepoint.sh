#!/usr/bin/env bash
# Tracepoints (issue 8): flamescope script against perf script on scheduler,
# exec and syscall tracepoints recorded here (with and without callchains,
# file and pipe mode); off-CPU flame graphs and libtraceevent filters against
# Python computations from perf script's text of the same file.
source "$(dirname "$0")/lib.sh"

if ! command -v perf >/dev/null || ! perf record -q -e sched:sched_switch -o "$WORK/probe.data" -- true >/dev/null 2>&1; then
	skip tracepoint "perf cannot record tracepoints here"
	exit 0
fi

EVENTS=sched:sched_switch,sched:sched_wakeup,sched:sched_process_exec,syscalls:sys_enter_openat
W=$WORKLOADS/tp_block

# cmp_script NAME ARGS...: perf script ARGS vs flamescope script ARGS, byte for byte.
cmp_script() {
	local name=$1; shift
	perf script "$@" >"$WORK/$name.perf" 2>"$WORK/$name.perf.err"
	"$FLAMESCOPE" script "$@" >"$WORK/$name.fs" 2>"$WORK/$name.fs.err"
	if [ ! -s "$WORK/$name.perf" ]; then
		fail "$name" "perf script printed nothing: $(head -c 300 "$WORK/$name.perf.err")"
		return
	fi
	same "$name" "$WORK/$name.perf" "$WORK/$name.fs"
	if grep -q "without their payload" "$WORK/$name.fs.err"; then
		fail "$name-payloads" "$(cat "$WORK/$name.fs.err")"
	fi
}

# has NAME FILE REGEX: the recording really holds what the check is about.
has() {
	if grep -qE "$3" "$2"; then ok "$1"; else fail "$1" "no line matching '$3' in perf's output"; fi
}

record "$WORK/g.data" -e "$EVENTS" -a -g -- "$W" 5
cmp_script callchains -i "$WORK/g.data"
has exec-dynamic-array "$WORK/callchains.perf" 'sched:sched_process_exec: filename=/(usr/)?bin/true pid='
has openat-payload "$WORK/callchains.perf" 'syscalls:sys_enter_openat: dfd: 0x[0-9a-f]+, filename: 0x'
has switch-payload "$WORK/callchains.perf" 'sched:sched_switch: prev_comm=tp_block prev_pid=[0-9]+ .* ==> next_comm='
has wakeup-payload "$WORK/callchains.perf" 'sched:sched_wakeup: comm=.* pid=[0-9]+ prio=[0-9]+ target_cpu=[0-9]+'
has workload-frames "$WORK/callchains.perf" '(wait_for_child|main)\+0x[0-9a-f]+ \(.*tp_block\)'

record "$WORK/n.data" -e "$EVENTS" -a -- "$W" 3
cmp_script no-callchains -i "$WORK/n.data"
cmp_script ns-pid -i "$WORK/n.data" --ns -F +pid 2>/dev/null

# Kernel function pointers in payloads (function=hrtimer_wakeup) are named
# from perf's kernel symbols; symbolic fields (softirq vec=N [action=...]).
if perf record -q -e timer:hrtimer_start,irq:softirq_entry -a -o "$WORK/k.data" -- "$W" 2 >/dev/null 2>&1; then
	cmp_script kernel-functions -i "$WORK/k.data"
	has kernel-function-named "$WORK/kernel-functions.perf" 'timer:hrtimer_start: .* function=[a-z_]+ '
fi

# perf 6.1 loads libtraceevent plugins only from $TRACEEVENT_PLUGIN_DIR and
# ~/.local/lib/traceevent/plugins: with the system's plugins named there,
# sched_switch prints through plugin_sched_switch ("comm:pid [prio] S ==> ...").
if [ -f /usr/lib/traceevent/plugins/plugin_sched_switch.so ]; then
	TRACEEVENT_PLUGIN_DIR=/usr/lib/traceevent/plugins cmp_script plugins -i "$WORK/n.data"
	has plugin-format "$WORK/plugins.perf" 'sched:sched_switch: [^ ]+:[0-9]+ \[[0-9]+\] [A-Z+]+ ==> '
fi

# Pipe mode, per process: -a would bring in other processes' [vdso] frames,
# which flamescope's session resolves differently in pipe mode (not a
# tracepoint matter; see the report of issue 8).
perf record -q -e "$EVENTS" -g -o - -- "$W" 3 >"$WORK/p.data" 2>"$WORK/p.err"
cmp_script pipe-callchains -i "$WORK/p.data"
perf record -q -e "$EVENTS" -a -o - -- "$W" 2 >"$WORK/pn.data" 2>"$WORK/pn.err"
cmp_script pipe-no-callchains -i "$WORK/pn.data"

# A file mixing cpu-clock samples and tracepoints.
record "$WORK/mix.data" -e cpu-clock,sched:sched_switch -a -g -- "$W" 2
cmp_script mixed -i "$WORK/mix.data"
"$FLAMESCOPE" flamegraph -i "$WORK/mix.data" --event sched:sched_switch -o "$WORK/mix.svg" 2>"$WORK/mix.err"
if grep -q '<text id="title"[^>]*>Flame Graph: sched:sched_switch<' "$WORK/mix.svg"; then
	ok mixed-flamegraph-title
else
	fail mixed-flamegraph-title "$(grep -o '<text id="title"[^<]*' "$WORK/mix.svg") $(cat "$WORK/mix.err")"
fi
"$FLAMESCOPE" info -i "$WORK/mix.data" >"$WORK/mix.info" 2>&1
if grep -q "^cpu-clock" "$WORK/mix.info" && grep -q "^sched:sched_switch stats" "$WORK/mix.info"; then
	ok mixed-info-lists-events
else
	fail mixed-info-lists-events "$(head -c 400 "$WORK/mix.info")"
fi

# Off-CPU time and filters, from perf script --ns text of g.data.
perf script -i "$WORK/g.data" --ns >"$WORK/g.ns" 2>/dev/null
cat >"$WORK/oracle.py" <<'EOF'
import re, sys
from collections import defaultdict
# perf script --ns with callchains: "comm  tid [cpu] sec.ns: event: payload", frames, blank line.
hdr = re.compile(r'^(.*?)\s+(-?\d+)\s+\[(\d+)\]\s+(\d+)\.(\d{9}):\s+(\S+):\s(.*)$')
mode, path = sys.argv[1], sys.argv[2]
samples = []
for line in open(path, errors='replace'):
    if line.startswith('\t') or not line.strip():
        continue
    m = hdr.match(line.rstrip('\n'))
    if not m:
        sys.exit('unparsed line: ' + line)
    comm, tid, cpu, sec, ns, ev, payload = m.groups()
    samples.append((comm, int(sec) * 10**9 + int(ns), ev, payload))
totals = defaultdict(int)
if mode == 'offcpu':
    # a switch-out waits until its prev_pid is next switched in (any cpu)
    wait, weight = {}, [0] * len(samples)
    for i, (comm, t, ev, payload) in enumerate(samples):
        if ev != 'sched:sched_switch':
            continue
        prev = int(re.search(r'prev_pid=(-?\d+)', payload).group(1))
        nxt = int(re.search(r'next_pid=(-?\d+)', payload).group(1))
        if nxt != 0 and nxt in wait:
            j = wait.pop(nxt)
            weight[j] = max(0, t - samples[j][1])
        if prev != 0:
            wait[prev] = i
    for i, (comm, t, ev, payload) in enumerate(samples):
        if weight[i]:
            totals[comm.replace(' ', '_')] += weight[i]
else:   # state S: prev_state==1 prints as exactly "S"
    for comm, t, ev, payload in samples:
        if ev == 'sched:sched_switch' and ' prev_state=S ==> ' in payload:
            totals[comm.replace(' ', '_')] += 1
for comm in sorted(totals):
    print(comm, totals[comm])
EOF
# fold_roots FOLDED: total per root frame (the comm), zero counts dropped.
fold_roots() {
	awk '{ n = $NF; sub(/;.*/, ""); sub(/ [0-9]+$/, ""); if (n) t[$0] += n } END { for (c in t) printf "%s %.0f\n", c, t[c] }' "$1" | sort
}

python3 "$WORK/oracle.py" offcpu "$WORK/g.ns" >"$WORK/offcpu.expected" 2>"$WORK/oracle.err" ||
	fail offcpu-oracle "$(head -c 300 "$WORK/oracle.err")"
"$FLAMESCOPE" flamegraph -i "$WORK/g.data" --weight offcpu --include-idle --format folded -o - \
	>"$WORK/offcpu.folded" 2>"$WORK/offcpu.err"
fold_roots "$WORK/offcpu.folded" >"$WORK/offcpu.actual"
same offcpu-totals-by-comm "$WORK/offcpu.expected" "$WORK/offcpu.actual"
if grep -q '^tp_block;.*wait_for_child;.*schedule' "$WORK/offcpu.folded"; then
	ok offcpu-shows-blocking-stack
else
	fail offcpu-shows-blocking-stack "no tp_block stack through wait_for_child into schedule"
fi
"$FLAMESCOPE" heatmap -i "$WORK/g.data" --weight offcpu --include-idle -o "$WORK/offcpu.json" 2>"$WORK/hm.err"
hm_total=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sum(sum(c) for c in d["values"]) if isinstance(d, dict) and "values" in d else sum(sum(r) for r in d))' "$WORK/offcpu.json" 2>&1)
fold_total=$(awk '{ s += $NF } END { printf "%.0f", s }' "$WORK/offcpu.expected")
if [ "$hm_total" = "$fold_total" ]; then ok offcpu-heatmap-total; else fail offcpu-heatmap-total "heat map $hm_total, expected $fold_total"; fi

python3 "$WORK/oracle.py" state-s "$WORK/g.ns" >"$WORK/filter.expected" 2>"$WORK/oracle.err" ||
	fail filter-oracle "$(head -c 300 "$WORK/oracle.err")"
"$FLAMESCOPE" flamegraph -i "$WORK/g.data" --event sched:sched_switch --filter 'prev_state==1' \
	--include-idle --format folded -o - >"$WORK/filter.folded" 2>"$WORK/filter.err"
fold_roots "$WORK/filter.folded" >"$WORK/filter.actual"
if [ -s "$WORK/filter.expected" ]; then
	same filter-prev-state-S "$WORK/filter.expected" "$WORK/filter.actual"
else
	fail filter-prev-state-S "no prev_state=S switches in the recording"
fi
# the name sched_switch's print format gives 1 works as the value too
"$FLAMESCOPE" flamegraph -i "$WORK/g.data" --event sched:sched_switch --filter 'prev_state==S' \
	--include-idle --format folded -o - >"$WORK/filter-name.folded" 2>"$WORK/filter-name.err"
fold_roots "$WORK/filter-name.folded" >"$WORK/filter-name.actual"
same filter-prev-state-by-name "$WORK/filter.expected" "$WORK/filter-name.actual"
if "$FLAMESCOPE" flamegraph -i "$WORK/g.data" --event sched:sched_switch --filter 'prev_state==' \
	--format folded -o - >/dev/null 2>"$WORK/badfilter.err"; then
	fail filter-syntax-error "a broken filter was accepted"
else
	ok filter-syntax-error
fi
if "$FLAMESCOPE" flamegraph -i "$WORK/n.data" --event sched:sched_wakeup --weight offcpu \
	--format folded -o - >/dev/null 2>&1; then
	fail offcpu-needs-sched-switch "--weight offcpu on sched_wakeup was accepted"
else
	ok offcpu-needs-sched-switch
fi
