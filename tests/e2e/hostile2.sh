#!/usr/bin/env bash
# Hostile input, round two (issue 18): nothing a file or a flag holds may
# crash, hang, blow up or destroy. One check (or a few) per finding:
#  1. --filter: what crashed libtraceevent's parser is refused with its
#     column; good filters select what perf script's text says they do.
#  2. hostile print formats in the tracing data (SIGFPE, reads past the
#     payload, a use-after-free, a runaway): every payload prints or says
#     "[payload not printed: ...]", the other event prints as perf prints it.
#  3. a zstd bomb: refused as perf refuses it, in bounded memory.
#  4. -o naming the input, however named: refused, the input unchanged.
#  5. kallsyms hidden (a user without CAP_SYSLOG): perf's text byte for
#     byte, idle still left out of heat maps, said once.
#  6. a cut pipe stream, cut feature sections, a cut data section: what perf
#     prints, and perf's exit status (zero or not).
#  7. script -F +pid on a tracepoint recording with callchains: perf's text.
#  8. outputs: the umask, an existing file's mode, a symlink's target, no
#     temporary file left by SIGTERM.
#  9. exit statuses: output lost to a full disk fails; a reader that went
#     away (SIGPIPE ignored) does not, as in perf.
# 10. period sums saturate alike in every format; --kallsyms /dev/zero and a
#     FIFO at a perf map path end.
source "$(dirname "$0")/lib.sh"
PDBOUNDS=$(realpath "$B/tests/pdbounds")
RETRACE=$TOP/tests/tools/retrace.py
cd "$WORK" || exit 1
chmod 755 "$WORK"	# the unprivileged checks read from here
case "$B" in *asan*|*san*) SLACK=3 ;; *) SLACK=1 ;; esac

# maxrss KB and status of a command, bounded in time: rss CMD...
rss() {
	/usr/bin/time -f %M -o rss.txt timeout 120 "$@" >rss.out 2>rss.err
	rc=$?
	kb=$(tail -n 1 rss.txt)
}

# A tracepoint recording with callchains, of a workload that blocks and wakes.
if ! record tp.data -e sched:sched_switch,sched:sched_wakeup -g -- "$WORKLOADS/tp_block" 2; then
	fail tp-record "$(head -c 300 "$WORK/record.err")"
	exit 0
fi
perf script -i tp.data >tp.perf 2>/dev/null

# ---- 1. filters ----
bad=
for f in 'prev_pid+' 'prev_pid-' 'prev_pid*' 'prev_state^' 'prev_pid>-' 'prev_pid==1,2'; do
	"$FLAMESCOPE" heatmap -i tp.data --filter "$f" -o f.svg 2>f.err
	rc=$?
	if [ "$rc" -ne 2 ] || [ "$(wc -l <f.err)" -ne 1 ] || ! grep -q ', column [0-9]*: ' f.err; then
		bad="$bad [$f] exit $rc: $(head -c 200 f.err)"
	fi
done
[ -z "$bad" ] && ok filter-malformed-refused-with-column || fail filter-malformed-refused-with-column "$bad"
# what a filter keeps is what perf's text says: D and S switches, and the workload's own
want=$(grep -cE 'sched:sched_switch: .*prev_state=(D|S) ' tp.perf)
"$FLAMESCOPE" flamegraph -i tp.data --event sched:sched_switch --include-idle \
	--filter 'prev_state == D || prev_state == S' -o f.folded 2>f.err
got=$(awk '{ s += $NF } END { print s + 0 }' f.folded)
[ "$want" -gt 0 ] && [ "$got" = "$want" ] && ok "filter-flag-names-as-perf ($got)" ||
	fail filter-flag-names-as-perf "perf text $want, flamescope $got: $(head -c 200 f.err)"
want=$(grep -cE 'sched:sched_switch: prev_comm=tp_b[^ ]* ' tp.perf)
"$FLAMESCOPE" flamegraph -i tp.data --event sched:sched_switch --include-idle \
	--filter 'prev_comm =~ "^TP_B" && !(prev_pid < 0)' -o f.folded 2>f.err
got=$(awk '{ s += $NF } END { print s + 0 }' f.folded)
[ "$want" -gt 0 ] && [ "$got" = "$want" ] && ok "filter-regex-as-perf ($got)" ||
	fail filter-regex-as-perf "perf text $want, flamescope $got: $(head -c 200 f.err)"

# ---- 2. hostile print formats ----
# perf's text of the good file, but sched_switch payloads become markers
# (when ours is one): every other line the same.
cat >cmp_markers.py <<'EOF'
import sys
perf, ours, need = open(sys.argv[1]).read().splitlines(), open(sys.argv[2]).read().splitlines(), sys.argv[3]
assert len(perf) == len(ours), 'lines: perf %d, ours %d' % (len(perf), len(ours))
markers = 0
for p, o in zip(perf, ours):
    key = 'sched:sched_switch: '
    if key in p and p != o:
        head = p[:p.index(key) + len(key)]
        assert o.startswith(head), 'perf %r, ours %r' % (p, o)
        if need == 'marker':
            assert o.startswith(head + '[payload not printed: '), 'not a marker: %r' % o
        markers += o.startswith(head + '[payload not printed: ')
    else:
        assert p == o, 'perf %r, ours %r' % (p, o)
assert need != 'marker' or markers > 0, 'no marker'
print(markers)
EOF
i=0
while IFS='|' read -r name fmt; do
	i=$((i + 1))
	python3 "$RETRACE" tp.data h$i.data sched_switch "$fmt"
	timeout 120 "$FLAMESCOPE" script -i h$i.data >h$i.out 2>h$i.err
	rc=$?
	n=$(python3 cmp_markers.py tp.perf h$i.out "$name" 2>h$i.cmp)
	if [ "$rc" -ne 0 ] || [ -s h$i.cmp ]; then
		fail "hostile-format-$i-script" "[$fmt] exit $rc: $(tail -n 1 h$i.cmp) $(head -c 200 h$i.err)"
	else
		ok "hostile-format-$i-script ($n markers: $fmt)"
	fi
	timeout 120 "$FLAMESCOPE" heatmap -i h$i.data --event sched:sched_switch -o h$i.json 2>h$i.herr
	rc=$?
	[ "$rc" -eq 0 ] && ok "hostile-format-$i-heatmap" || fail "hostile-format-$i-heatmap" "exit $rc: $(head -c 200 h$i.herr)"
done <<'EOF'
marker|"pid=%d", REC->prev_pid / 0
marker|"pid=%d", REC->prev_pid % 0
marker|"%s", __print_hex(REC->prev_comm, 20000000)
marker|"%s", __print_hex(REC->prev_comm, 200)
marker|"%s", __print_array(REC->prev_comm, 100000, 8)
any|"%d", sizeof(REC->prev_pid)
marker|"%*d", 100000000, REC->prev_pid
EOF

# ---- 3. a zstd bomb ----
"$PDBOUNDS" small small.data && rss "$FLAMESCOPE" flamegraph -i small.data
base=${kb:-0}
"$PDBOUNDS" zstd-bomb bomb.data
bad=
for cmd in info script heatmap flamegraph; do
	rss "$FLAMESCOPE" $cmd -i bomb.data
	if [ "$rc" -ne 1 ] || [ "$(wc -l <rss.err)" -ne 1 ] || ! grep -q 'bomb.data: .*Destination buffer is too small' rss.err; then
		bad="$bad $cmd: exit $rc, $(head -c 200 rss.err | tr '\n' '|');"
	elif [ "$kb" -gt $((base + 32768 * SLACK)) ]; then
		bad="$bad $cmd: max RSS $kb KB;"
	fi
done
[ -z "$bad" ] && ok "zstd-bomb-refused ($(stat -c %s bomb.data) bytes)" || fail zstd-bomb-refused "$bad"

# ---- 4. the output is the input ----
cp tp.data in.data
ln -s in.data in.link
ln in.data in.hard
sum=$(md5sum <in.data)
bad=
for args in "-o in.data --format png" "-o ./in.data --format svg" "-o in.link --format json" \
	    "-o in.hard --format svg"; do
	"$FLAMESCOPE" heatmap -i in.data $args 2>o.err
	rc=$?
	[ "$rc" -ne 0 ] && grep -q 'the output is the input' o.err || bad="$bad heatmap $args: exit $rc;"
done
"$FLAMESCOPE" flamegraph -i small.data --compare-input in.data -o in.data --format folded 2>o.err ||
	grep -q 'the output is the input' o.err || bad="$bad flamegraph --compare-input;"
"$FLAMESCOPE" flamegraph -i small.data --compare-input in.data -o in.data --format folded 2>/dev/null && bad="$bad compare accepted;"
[ -z "$bad" ] && [ "$(md5sum <in.data)" = "$sum" ] && [ -L in.link ] && ok output-is-input-refused ||
	fail output-is-input-refused "$bad (input changed: $([ "$(md5sum <in.data)" = "$sum" ] && echo no || echo yes))"

# ---- 5. kallsyms hidden ----
record k.data -F 499 -g -a -- sleep 0.5
chmod 644 k.data
cp "$FLAMESCOPE" fs-copy && chmod 755 fs-copy	# the build tree may not be others'
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$@"; }
if nobody head -n 1 /proc/kallsyms 2>/dev/null | grep -q '^0000000000000000 '; then
	nobody perf script -i k.data >k.perf 2>/dev/null
	nobody ./fs-copy script -i k.data >k.fs 2>k.err
	rc=$?
	if [ "$rc" -eq 0 ] && cmp -s k.perf k.fs && grep -q 'ffffffff[0-9a-f]* \[unknown\] (\[kernel.kallsyms\])' k.fs; then
		ok "kallsyms-hidden-script-as-perf ($(wc -l <k.fs) lines)"
	else
		fail kallsyms-hidden-script-as-perf "exit $rc: $(diff k.perf k.fs | head -n 6)"
	fi
	[ "$(grep -c 'every address in /proc/kallsyms is 0' k.err)" = 1 ] && ok kallsyms-hidden-said-once ||
		fail kallsyms-hidden-said-once "$(head -c 300 k.err)"
	# idle: what root leaves out as idle, a user without kernel names leaves out too
	"$FLAMESCOPE" flamegraph -i k.data -o root.folded 2>/dev/null
	nobody ./fs-copy flamegraph -i k.data 2>/dev/null >nobody.folded
	root_busy=$(awk '!/^swapper/ { s += $NF } END { print s + 0 }' root.folded)
	root_swapper=$(awk '/^swapper/ { s += $NF } END { print s + 0 }' root.folded)
	nobody_total=$(awk '{ s += $NF } END { print s + 0 }' nobody.folded)
	nobody_swapper=$(awk '/^swapper/ { s += $NF } END { print s + 0 }' nobody.folded)
	if [ "$nobody_swapper" -eq 0 ] && [ "$nobody_total" -eq "$root_busy" ]; then
		ok "kallsyms-hidden-idle-left-out ($nobody_total busy samples; root: $root_busy + $root_swapper non-idle swapper)"
	else
		fail kallsyms-hidden-idle-left-out "unprivileged $nobody_total ($nobody_swapper swapper), root $root_busy busy + $root_swapper swapper"
	fi
else
	fail kallsyms-hidden "an unprivileged user sees kernel addresses here (perf_event_paranoid <= 1): nothing to check"
fi
# the same through --kallsyms: a copy of kallsyms with every address 0
sed 's/^[0-9a-f]*/0000000000000000/' /proc/kallsyms >zeros.txt
"$FLAMESCOPE" flamegraph -i k.data --kallsyms zeros.txt --include-idle -o z.folded 2>z.err
if grep -q 'every address in zeros.txt is 0' z.err && ! grep -qE ';(do_idle|cpu_startup_entry|schedule)' z.folded &&
   grep -q ';\[unknown\]' z.folded; then
	ok kallsyms-zeros-unavailable
else
	fail kallsyms-zeros-unavailable "$(head -c 300 z.err) $(head -n 3 z.folded)"
fi

# ---- 6. damaged files: what perf prints, perf's exit status ----
perf record -q -e sched:sched_switch,sched:sched_wakeup -g -o - -- "$WORKLOADS/tp_block" 2 >p.data 2>/dev/null
size=$(stat -c %s p.data)
feat=$(python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(); o,s=struct.unpack_from("<QQ",d,40); print(o+s)' k.data)
ksize=$(stat -c %s k.data)
bad=
for cut in "p.data $((size / 2))" "p.data $((size - 3))" "p.data 20" "k.data $((ksize - 30))" \
	   "k.data $(((feat + ksize) / 2))" "k.data $((feat + 20))"; do
	set -- $cut
	head -c "$2" "$1" >cut.data
	if [ "$1" = p.data ]; then
		perf script -i - <cut.data >cut.perf 2>/dev/null; prc=$?
		"$FLAMESCOPE" script -i - <cut.data >cut.fs 2>cut.err; frc=$?
	else
		perf script -i cut.data >cut.perf 2>/dev/null; prc=$?
		"$FLAMESCOPE" script -i cut.data >cut.fs 2>cut.err; frc=$?
	fi
	if ! cmp -s cut.perf cut.fs || [ $((prc == 0)) -ne $((frc == 0)) ] || [ "$frc" -gt 1 ]; then
		bad="$bad [$cut: perf exit $prc $(wc -l <cut.perf) lines, ours $frc $(wc -l <cut.fs): $(head -c 150 cut.err)]"
	fi
done
[ -z "$bad" ] && ok cut-files-as-perf || fail cut-files-as-perf "$bad"
# cut inside the data: perf reads zeros past the end (or dies of SIGBUS), so
# it is no oracle; ours is what the rounds before the cut flushed (a prefix
# of the whole file's text, not empty when samples came before the first
# of three rounds), then the error. The cut is inside the last FINISHED_ROUND.
cat >rounds.py <<'PY'
import struct, sys
d = open(sys.argv[1], 'rb').read()
off, size = struct.unpack_from('<QQ', d, 40)
p, rounds, samples = off, [], 0
while p < off + size:
    t, m, s = struct.unpack_from('<IHH', d, p)
    if t == 68:
        rounds.append((p, samples))
    samples += t == 9
    if not s:
        break
    p += s
print(rounds[-1][0] + 4, rounds[0][1] if len(rounds) > 2 else 0)
PY
read -r cut early < <(python3 rounds.py k.data)
head -c "$cut" k.data >cut.data
perf script -i k.data >k.full 2>/dev/null
"$FLAMESCOPE" script -i cut.data >cut.fs 2>cut.err
rc=$?
if [ "$rc" -eq 1 ] && grep -q 'cut.data: truncated file: ' cut.err &&
   cmp -s cut.fs <(head -c "$(stat -c %s cut.fs)" k.full) && { [ "$early" -eq 0 ] || [ -s cut.fs ]; }; then
	ok "cut-data-delivered-then-refused ($(wc -l <cut.fs) lines; $early samples before the first round)"
else
	fail cut-data-delivered-then-refused "exit $rc, $(wc -l <cut.fs) lines, $early early samples: $(head -c 200 cut.err)"
fi

# ---- 7. -F +pid on tracepoints with callchains ----
perf script -i tp.data -F +pid >pid.perf 2>/dev/null
"$FLAMESCOPE" script -i tp.data -F +pid >pid.fs 2>pid.err
same script-F-pid-tracepoint-callchains pid.perf pid.fs

# ---- 8. outputs ----
(umask 077 && "$FLAMESCOPE" heatmap -i small.data -o u.svg 2>/dev/null)
[ "$(stat -c %a u.svg)" = 600 ] && ok output-umask || fail output-umask "mode $(stat -c %a u.svg) under umask 077"
echo old >m.svg && chmod 640 m.svg
"$FLAMESCOPE" heatmap -i small.data -o m.svg 2>/dev/null
[ "$(stat -c %a m.svg)" = 640 ] && grep -q '<svg' m.svg && ok output-keeps-mode ||
	fail output-keeps-mode "mode $(stat -c %a m.svg)"
mkdir -p sub && echo old >sub/target.svg && ln -s sub/target.svg link.svg
"$FLAMESCOPE" heatmap -i small.data -o link.svg 2>/dev/null
[ -L link.svg ] && grep -q '<svg' sub/target.svg && ok output-symlink-target-written ||
	fail output-symlink-target-written "$(ls -l link.svg sub/)"
# SIGTERM while the temporary output exists (strace holds the process there)
strace -f -qq -o /dev/null -e trace=fchmod -e inject=fchmod:delay_exit=5000000 \
	"$FLAMESCOPE" heatmap -i small.data -o sig.svg 2>/dev/null &
sp=$!
for _ in $(seq 100); do compgen -G 'sig.svg.tmp-*' >/dev/null && break; sleep 0.1; done
had=$(compgen -G 'sig.svg.tmp-*' | wc -l)
kill -TERM "$(pgrep -P $sp | head -n 1)" 2>/dev/null
wait $sp
rc=$?
left=$(compgen -G 'sig.svg*' | wc -l)
[ "$had" = 1 ] && [ "$rc" -eq 143 ] && [ "$left" = 0 ] && ok output-temporary-removed-on-sigterm ||
	fail output-temporary-removed-on-sigterm "temporary seen: $had, exit $rc, left: $(compgen -G 'sig.svg*')"

# ---- 9. exit statuses ----
"$FLAMESCOPE" info -i small.data >/dev/full 2>full.err
rc=$?
[ "$rc" -eq 1 ] && grep -q 'No space left' full.err && ok info-dev-full-fails || fail info-dev-full-fails "exit $rc: $(head -c 200 full.err)"
"$FLAMESCOPE" script -i tp.data >/dev/full 2>full.err
rc=$?
[ "$rc" -eq 1 ] && grep -q 'No space left' full.err && ok script-dev-full-fails || fail script-dev-full-fails "exit $rc"
bad=
for cmd in script info; do
	(trap '' PIPE; "$FLAMESCOPE" $cmd -i tp.data 2>pipe.err | head -n 1 >/dev/null; exit "${PIPESTATUS[0]}")
	rc=$?
	[ "$rc" -eq 0 ] && [ ! -s pipe.err ] || bad="$bad $cmd: exit $rc $(head -c 100 pipe.err);"
done
(trap '' PIPE; perf script -i tp.data 2>/dev/null | head -n 1 >/dev/null; exit "${PIPESTATUS[0]}")
prc=$?
[ -z "$bad" ] && [ "$prc" -eq 0 ] && ok sigpipe-ignored-quiet-as-perf || fail sigpipe-ignored-quiet-as-perf "$bad perf exit $prc"

# ---- 10. sums, /dev/zero, FIFOs ----
"$PDBOUNDS" periods per.data
max=9223372036854775807
"$FLAMESCOPE" flamegraph -i per.data --weight period -o per.folded 2>/dev/null
"$FLAMESCOPE" flamegraph -i per.data --weight period -o per.json 2>/dev/null
"$FLAMESCOPE" flamegraph -i per.data --weight period -o per.svg 2>/dev/null
"$FLAMESCOPE" heatmap -i per.data --weight period -o perhm.json 2>/dev/null
if grep -q " $max\$" per.folded && grep -q "\"v\": $max" per.json && grep -q "data-total=\"$max\"" per.svg &&
   python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["maxvalue"] == int(sys.argv[2])' perhm.json $max; then
	ok period-sums-saturate-alike
else
	fail period-sums-saturate-alike "$(cat per.folded) $(head -c 200 per.json)"
fi
timeout 60 "$FLAMESCOPE" flamegraph -i k.data --kallsyms /dev/zero -o dz.folded 2>dz.err
rc=$?
[ "$rc" -eq 0 ] && grep -q '/dev/zero: more than 128 MiB' dz.err && ok kallsyms-dev-zero-bounded ||
	fail kallsyms-dev-zero-bounded "exit $rc: $(head -c 200 dz.err)"
mkfifo fifo.txt
timeout 60 "$FLAMESCOPE" flamegraph -i k.data --kallsyms fifo.txt -o ff.folded 2>ff.err
rc=$?
[ "$rc" -eq 0 ] && ok kallsyms-fifo-no-writer || fail kallsyms-fifo-no-writer "exit $rc: $(head -c 200 ff.err)"
pid=4194998	# above any pid_max: no live process owns its map
"$PDBOUNDS" perfmap jit.data 16 $pid
rm -f /tmp/perf-$pid.map && mkfifo /tmp/perf-$pid.map
timeout 60 "$FLAMESCOPE" flamegraph -i jit.data -o jit.folded 2>jit.err
rc=$?
rm -f /tmp/perf-$pid.map
[ "$rc" -eq 0 ] && grep -q '^jitproc;' jit.folded && ! grep -q jit_fn jit.folded && ok perfmap-fifo-no-hang ||
	fail perfmap-fifo-no-hang "exit $rc: $(head -c 200 jit.err) $(head -n 2 jit.folded)"
