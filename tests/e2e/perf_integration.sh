#!/usr/bin/env bash
# flamescope inside perf, through the real perf: `perf flamescope` from a staged
# install; `perf script --dlfilter flamescope-dlfilter.so` on a recording made
# now, whose outputs must equal the flamescope command's on the same file; the
# dlfilter and `perf script record/report flamescope` from a copy of perf's exec
# path after make install-perf; the progress display on a terminal only.
source "$(dirname "$0")/lib.sh"

DLF=$(realpath "$B/flamescope-dlfilter.so")
perf_dl() { perf "$@"; }
if nm "$FLAMESCOPE" 2>/dev/null | grep -q __asan_init; then
	# An ASan-built plugin needs the ASan runtime loaded first into (uninstrumented) perf.
	export ASAN_OPTIONS=detect_leaks=0
	asan_rt=$(cc -print-file-name=libasan.so)
	perf_dl() { LD_PRELOAD=$asan_rt perf "$@"; }
	mk() { make -s -C "$TOP" B="$B" SAN=1 "$@"; }
else
	mk() { make -s -C "$TOP" B="$B" "$@"; }
fi
cd "$WORK"

# A system-wide recording with stacks: the workload, the kernel and whatever else runs.
if ! record p.data -a -g -F 199 -- "$WORKLOADS/pattern" 3; then
	fail record "$(head -c 300 record.err)"
	exit 0
fi
ppid=$(sed -n 's/^pattern: pid \([0-9]*\) .*/\1/p' record.err)

# ---- perf flamescope: perf runs perf-flamescope from PATH ----
stage=$WORK/stage
check stage-install mk install DESTDIR="$stage" PREFIX=/usr/local
sbin=$stage/usr/local/bin
"$FLAMESCOPE" heatmap -q -i p.data -o cmd-heat.png
"$FLAMESCOPE" flamegraph -q -i p.data --format folded -o cmd.folded
check perf-flamescope-heatmap env PATH="$sbin:$PATH" perf flamescope heatmap -q -i p.data -o perf-heat.png
same perf-flamescope-heatmap-equal cmd-heat.png perf-heat.png
PATH=$sbin:$PATH perf flamescope flamegraph -q -i p.data --format folded >perf.folded 2>perf.err
same perf-flamescope-flamegraph-equal cmd.folded perf.folded
# perf turns `perf flamescope --help` into `man perf-flamescope`: the installed link.
MANPATH=$stage/usr/local/share/man: MANWIDTH=80 PATH=$sbin:$PATH perf flamescope --help \
	>perf-help.out 2>&1 </dev/null
if grep -q 'flamescope - FlameScope' perf-help.out; then ok perf-flamescope-help-man-page
else fail perf-flamescope-help-man-page "$(head -c 300 perf-help.out)"; fi
PATH=$sbin:$PATH perf flamescope heatmap --help >perf-hh.out 2>&1
grep -q -- '--rows' perf-hh.out && ok perf-flamescope-subcommand-help ||
	fail perf-flamescope-subcommand-help "$(head -c 300 perf-hh.out)"

# ---- the dlfilter through the real perf script, against the command ----
"$FLAMESCOPE" heatmap -q -i p.data -o cmd-heat.json
"$FLAMESCOPE" flamegraph -q -i p.data -o cmd-fg.json
"$FLAMESCOPE" flamegraph -q -i p.data -o cmd-fg.png
"$FLAMESCOPE" heatmap -q -i p.data -o cmd-heat.svg
"$FLAMESCOPE" flamegraph -q -i p.data -o cmd-fg.svg
"$FLAMESCOPE" flamegraph -q -i p.data --start 1 --end 2.5 --kernel --pid-root --format folded \
	-o cmd-range.folded
if perf_dl script -i p.data --dlfilter "$DLF" --dlarg folded=dl.folded --dlarg json=dl-heat.json \
	--dlarg heatmap=dl-heat.png --dlarg flamegraph=dl-fg.json --dlarg flamegraph=dl-fg.png \
	--dlarg heatmap=dl-heat.svg --dlarg flamegraph=dl-fg.svg \
	>dl.out 2>dl.err; then ok dlfilter-run; else fail dlfilter-run "$(head -c 300 dl.err)"; fi
[ -s dl.out ] && fail dlfilter-silent "perf printed $(wc -l <dl.out) lines" || ok dlfilter-silent
grep -q ';spin_leaf ' dl.folded && ok dlfilter-has-workload || fail dlfilter-has-workload "no spin_leaf"
same dlfilter-folded-equal cmd.folded dl.folded
same dlfilter-heatmap-json-equal cmd-heat.json dl-heat.json
same dlfilter-heatmap-png-equal cmd-heat.png dl-heat.png
same dlfilter-flame-json-equal cmd-fg.json dl-fg.json
same dlfilter-flame-png-equal cmd-fg.png dl-fg.png
# the same SVG but for the click-to-command line: the plugin's repeats perf's own command
strip_cmd() { sed -E 's/ data-command="[^"]*" data-dlarg="[01]"//' "$1" >"$1.nocmd"; }
strip_cmd cmd-heat.svg && strip_cmd dl-heat.svg
same dlfilter-heatmap-svg-equal cmd-heat.svg.nocmd dl-heat.svg.nocmd
if grep -q ' data-command="perf script -i /[^"]*/p.data --dlfilter [^"]*" data-dlarg="1"' dl-heat.svg
then ok dlfilter-heatmap-svg-command
else fail dlfilter-heatmap-svg-command "$(grep -o ' data-command="[^"]*"' dl-heat.svg)"; fi
same dlfilter-flame-svg-equal cmd-fg.svg dl-fg.svg
perf_dl script -i p.data --dlfilter "$DLF" --dlarg start=1 --dlarg end=2.5 --dlarg kernel \
	--dlarg pid-root --dlarg folded=dl-range.folded >/dev/null 2>&1
same dlfilter-range-equal cmd-range.folded dl-range.folded
# perf's own filters come first: --pid in perf script = --pid in flamescope.
"$FLAMESCOPE" flamegraph -q -i p.data --pid "$ppid" --format folded -o cmd-pid.folded
perf_dl script -i p.data --pid "$ppid" --dlfilter "$DLF" --dlarg folded=dl-pid.folded >/dev/null 2>&1
same dlfilter-perf-pid-filter cmd-pid.folded dl-pid.folded
# Two events: the default (the first sample's) and each chosen by name, as --event does.
if record two.data -e cpu-clock,task-clock -g -F 199 -- "$WORKLOADS/pattern" 2; then
	for ev in "" task-clock cpu-clock; do
		"$FLAMESCOPE" flamegraph -q -i two.data ${ev:+--event $ev} --format folded -o cmd-ev.folded
		"$FLAMESCOPE" heatmap -q -i two.data ${ev:+--event $ev} -o cmd-ev.json
		perf_dl script -i two.data --dlfilter "$DLF" ${ev:+--dlarg event=$ev} --dlarg folded=dl-ev.folded \
			--dlarg json=dl-ev.json >/dev/null 2>&1
		if cmp -s cmd-ev.folded dl-ev.folded && cmp -s cmd-ev.json dl-ev.json && [ -s dl-ev.folded ]
		then ok "dlfilter-event-${ev:-default}"
		else fail "dlfilter-event-${ev:-default}" "$(diff cmd-ev.folded dl-ev.folded | head -5)"; fi
	done
else
	fail record-two-events "$(head -c 300 record.err)"
fi
# --dlarg print keeps perf's text exactly.
perf script -i p.data >perf.txt 2>/dev/null
perf_dl script -i p.data --dlfilter "$DLF" --dlarg print --dlarg quiet >dl-print.txt 2>/dev/null
same dlfilter-print-keeps-text perf.txt dl-print.txt
perf_dl script -i p.data --dlfilter "$DLF" --dlarg nonsense=1 >/dev/null 2>bad.err
rc=$?	# perf must fail cleanly: not 0, and no crash (signals give 129..192; perf's -1 is 255)
if [ "$rc" -eq 0 ] || { [ "$rc" -gt 128 ] && [ "$rc" -le 192 ]; } || ! grep -q "nonsense" bad.err
then fail dlfilter-bad-arg "exit $rc: $(head -c 300 bad.err)"; else ok dlfilter-bad-arg; fi
perf_dl script -i p.data --dlfilter "$DLF" --dlarg heatmap=x.bmp >/dev/null 2>bad.err
grep -q "unknown format" bad.err && ok dlfilter-bad-format || fail dlfilter-bad-format "$(head -c 300 bad.err)"

# ---- install-perf into a copy of perf's exec path (real dirs, links to perf's files) ----
pc=$WORK/perf-core
mkdir -p "$pc" && cp -rs "$(perf --exec-path)/." "$pc/"
check install-perf mk install-perf PERF_EXEC_PATH="$pc"
if [ -L "$pc/dlfilters/flamescope-dlfilter.so" ] || [ -L "$pc/scripts/python/bin/flamescope-report" ]
then fail install-perf-real-files "installed through a link into perf's own directory"
else ok install-perf-real-files; fi
perf_dl --exec-path="$pc" script --list-dlfilters >list.out 2>&1
grep -q '^ *flamescope-dlfilter.so .*flamescope' list.out && ok perf-list-dlfilters ||
	fail perf-list-dlfilters "$(head -c 400 list.out)"
PERF_EXEC_PATH=$pc perf_dl script --list-dlfilters 2>&1 | grep -q flamescope-dlfilter.so &&
	ok perf-list-dlfilters-env || fail perf-list-dlfilters-env "PERF_EXEC_PATH not honoured"
perf_dl --exec-path="$pc" script -i p.data --dlfilter flamescope-dlfilter.so \
	--dlarg folded=byname.folded >/dev/null 2>byname.err
same dlfilter-by-name cmd.folded byname.folded
perf --exec-path="$pc" script -l >scripts.out 2>&1
grep -q '^ *flamescope .*FlameScope' scripts.out && ok perf-script-list ||
	fail perf-script-list "$(grep -i flame scripts.out)"

mkdir rr && cd rr
if perf_dl --exec-path="$pc" script record flamescope -- "$WORKLOADS/pattern" 2 >rec.out 2>&1 &&
   [ -s perf.data ]; then ok perf-script-record-flamescope
else fail perf-script-record-flamescope "$(head -c 300 rec.out)"; fi
if perf_dl --exec-path="$pc" script report flamescope >rep.out 2>&1; then ok perf-script-report-flamescope
else fail perf-script-report-flamescope "$(head -c 300 rep.out)"; fi
"$FLAMESCOPE" heatmap -q -i perf.data -o cmd-heat.png
"$FLAMESCOPE" flamegraph -q -i perf.data -o cmd-fg.svg
same report-heatmap-png cmd-heat.png flamescope-heatmap.png
if xmllint --noout flamescope-heatmap.svg flamescope.svg 2>xml.err && grep -q spin_leaf flamescope.svg
then ok report-svgs; else fail report-svgs "$(head -c 300 xml.err)"; fi
grep -q '<meta name="generator" content="flamescope report">' flamescope.html && ok report-html ||
	fail report-html "no flamescope.html page"
cd "$WORK"

# ---- progress: only on a terminal, after a second, never with -q ----
# Pipe-mode data fed slowly, so the run lasts over a second; `script` gives a pty.
# A busy workload: an idle machine records too little in 2 s to pass a progress step.
perf record -q -g -F 20000 -a -o - -- "$WORKLOADS/script_fp" 2000 >pipe.data 2>/dev/null
# The feeder gives up after 20 s, should the reader never open the fifo.
feed() { timeout 20 sh -c '{ head -c 100000 pipe.data; sleep 1.3; tail -c +100001 pipe.data; } >fifo' & }
mkfifo fifo
progress_run() {	# $1: extra options; prints what the terminal showed
	feed
	script -qec "$FLAMESCOPE heatmap $1 -i - -o heat-pipe.json <fifo" /dev/null </dev/null
}
if [ "$(stat -c %s pipe.data)" -lt 1500000 ]; then
	fail progress-data "pipe recording only $(stat -c %s pipe.data) bytes"
else
	progress_run "" >tty.out 2>&1
	grep -q 'flamescope heatmap: -: [0-9]* MB read' tty.out && ok progress-on-terminal ||
		fail progress-on-terminal "$(od -c tty.out | head -5)"
	progress_run "-q" >tty-q.out 2>&1
	wait
	grep -q 'MB' tty-q.out && fail progress-quiet "$(od -c tty-q.out | head -5)" || ok progress-quiet
	feed
	"$FLAMESCOPE" heatmap -i - -o heat-pipe2.json <fifo 2>notty.err
	# no progress (a loaded machine may still warn of events lost while recording)
	grep -q 'MB read\|'$'\r' notty.err && fail progress-not-a-terminal "$(head -c 200 notty.err)" ||
		ok progress-not-a-terminal
	cmp -s heat-pipe.json heat-pipe2.json && ok progress-same-output ||
		fail progress-same-output "outputs differ with a terminal"
fi
wait
