#!/usr/bin/env bash
# flamescope top, run live (as root, as CI runs). It profiles the processes it
# starts (-- COMMAND), never -a, so other work on the machine cannot change
# what it sees:
#   1. dashboard mode on the pattern workload: the band, bursts and start-up
#      seconds are hot in the JSON and the quiet ones cold; the PNG shows the
#      SVG's colours; files are replaced atomically (a reader polling the
#      JSON never sees half a file); --save gives a perf.data whose perf
#      script text flamescope script prints byte for byte;
#   2. losses: tiny rings at a high rate lose samples, and they are said;
#   3. SIGINT/SIGTERM stop it cleanly, with the files written, and promptly
#      however busy (a rate above the kernel's limit) or stubborn the command;
#   4. opening without the right (an unprivileged user): the message names
#      perf_event_paranoid and CAP_PERFMON;
#   5. memory: with a 2 s window at 999 Hz, RSS after 13 s (6 windows) is
#      no larger than after 5 s (2.5 windows), within 5 % (glibc's arenas move a
#      little); scripts/bench-top.sh runs the 60 s version with --window 5;
#   6. the terminal view in tmux at 80x24, as a person sees it: the map,
#      the cursor moving, a range chosen, its flame graph written, q
#      restoring the terminal; TERM=dumb and a pipe give plain characters.
source "$(dirname "$0")/lib.sh"

if ! perf record -q -o "$WORK/probe.data" -- true >/dev/null 2>&1; then
	fail top-can-record "perf events cannot be opened here: $(perf record -q -o "$WORK/probe.data" -- true 2>&1 | head -c 300)"
	exit 0
fi

# 1. Dashboard mode on the pattern workload.
python3 - "$WORK/d.json" "$WORK/stop-reader" >"$WORK/reads" <<'EOF' &
import json, os, sys, time
good = bad = 0
while not os.path.exists(sys.argv[2]):
    try:
        json.load(open(sys.argv[1]))
        good += 1
    except FileNotFoundError:
        pass
    except ValueError:
        bad += 1
    time.sleep(0.01)
print(good, bad)
EOF
reader=$!
"$FLAMESCOPE" top -F 499 --every 1 --png "$WORK/d.png" --svg "$WORK/d.svg" --json "$WORK/d.json" \
	--save "$WORK/d.data" -- nice -n -10 "$WORKLOADS/pattern" 8 >"$WORK/d.out" 2>"$WORK/d.err"
rc=$?
touch "$WORK/stop-reader"
wait "$reader"
check dashboard-exit-0 test "$rc" -eq 0
s0=$(sed -n 's/^pattern: pid [0-9]* start \([0-9]*\) .*/\1/p' "$WORK/d.err")
origin=$(sed -n 's/^flamescope top: wrote 60 s from \([0-9]*\) .*/\1/p' "$WORK/d.err" | tail -n 1)
nsamples=$(sed -n 's/^flamescope top: wrote .*: \([0-9]*\) samples, .*/\1/p' "$WORK/d.err" | tail -n 1)
check dashboard-refreshed test "$(grep -c '^flamescope top: wrote' "$WORK/d.err")" -ge 5
if [ -n "$s0" ] && [ -n "$origin" ]; then
	check dashboard-pattern-cells python3 - "$WORK/d.json" "$((s0 - origin))" <<'EOF'
import json, sys
hm = json.load(open(sys.argv[1]))
k0 = int(sys.argv[2])
v, rows = hm["values"], len(hm["rows"])
assert rows == 50 and len(v) == 60, (rows, len(v))
assert 0 <= k0 and k0 + 8 <= len(v), "the workload's seconds are not all in the window: %d" % k0
def cell(k, r):			# second k of the workload, row r from the bottom
    return v[k0 + k][rows - 1 - r]
# 499 Hz gives ~10 samples per 20 ms cell; a loaded machine runs the workload
# less: a region is hot when 3/4 of its cells have samples and it averages
# one or more.
def hot(cells):
    return sum(n > 0 for n in cells) >= 0.75 * len(cells) and sum(cells) >= len(cells)
errs = []
band = [cell(k, r) for k in (4, 5, 6) for r in range(rows) if not 19 <= r <= 23]
if not hot(band): errs.append("band not hot: %s" % band)
burst = [cell(k, r) for k in range(2, 8) for r in (20, 21, 22)]
if not hot(burst): errs.append("bursts not hot: %s" % burst)
start = [cell(0, r) for r in range(rows)] + [cell(1, r) for r in range(24)]
if not hot(start): errs.append("start-up not hot: %s" % start)
quiet = [cell(k, r) for k in (2, 3, 7) for r in range(2 if k == 7 else 0, rows) if not 19 <= r <= 23]
quiet += [cell(1, r) for r in range(26, rows)]
if sum(quiet) > 3: errs.append("quiet cells not cold: %d samples" % sum(quiet))
# counting starts at the exec, in the second before S0 (the workload then sleeps to S0)
before = [c for k in range(k0 - 1) for c in v[k]]
if sum(before): errs.append("%d samples before the workload started" % sum(before))
assert not errs, "; ".join(errs)
EOF
else
	fail dashboard-pattern-cells "no start or origin: $(head -c 400 "$WORK/d.err")"
fi
check dashboard-png-is-png grep -q 'PNG image data' <(file "$WORK/d.png")
check dashboard-png-cells-equal-svg python3 "$TOP/tests/oracle/png_cells.py" "$WORK/d.png" "$WORK/d.svg"
check dashboard-svg-well-formed xmllint --noout "$WORK/d.svg"
read -r good bad <"$WORK/reads"
check dashboard-reads-whole test "${good:-0}" -gt 50 -a "${bad:-1}" -eq 0
check dashboard-no-temp-files test -z "$(ls "$WORK" | grep -e '\.tmp-')"

perf script -i "$WORK/d.data" >"$WORK/d.perf" 2>"$WORK/d.perf.err"
"$FLAMESCOPE" script -i "$WORK/d.data" >"$WORK/d.fs" 2>"$WORK/d.fs.err"
if [ -s "$WORK/d.perf" ]; then
	same save-script-equals-perf "$WORK/d.perf" "$WORK/d.fs"
else
	fail save-script-equals-perf "perf script printed nothing: $(head -c 300 "$WORK/d.perf.err")"
fi
check save-has-the-window test "$(grep -c ' cpu-clock: $' "$WORK/d.perf")" -eq "${nsamples:-x}"
check save-symbols grep -q 'band_work+0x[0-9a-f]* (.*/pattern)' "$WORK/d.perf"

# The same on a workload with a thread, a fork+exec'd child and anonymous
# executable code, and a system header perf script must accept as it is.
"$FLAMESCOPE" top -q -F 499 --every 1 --json "$WORK/fp.json" --save "$WORK/fp.data" \
	-- "$WORKLOADS/script_fp" 1500 >/dev/null 2>"$WORK/fp.err"
perf script -i "$WORK/fp.data" >"$WORK/fp.perf" 2>/dev/null
"$FLAMESCOPE" script -i "$WORK/fp.data" >"$WORK/fp.fs" 2>/dev/null
same save-threads-children-jit "$WORK/fp.perf" "$WORK/fp.fs"
check save-thread grep -q 'thread_main+0x.* (.*/script_fp)' "$WORK/fp.perf"
check save-exec-child grep -q 'child_main+0x\|child_work+0x' "$WORK/fp.perf"
check save-jit-map grep -q ' (/tmp/perf-[0-9]*.map)$' "$WORK/fp.perf"

# 2. Losses are counted and said: one-page rings at 4 kHz overflow.
"$FLAMESCOPE" top -F 4000 -m 1 --every 1 --json "$WORK/l.json" --svg "$WORK/l.svg" \
	--save "$WORK/l.data" -- "$WORKLOADS/pattern" 3 >/dev/null 2>"$WORK/l.err"
lost=$(sed -n 's/^flamescope top: wrote .* \([0-9]*\) lost$/\1/p' "$WORK/l.err" | tail -n 1)
check lost-counted test "${lost:-0}" -gt 0
check lost-said grep -q 'samples lost so far' "$WORK/l.err"
check lost-in-title grep -q "$lost samples lost" "$WORK/l.svg"
check lost-records-saved grep -q 'LOST' <(perf report --stats -i "$WORK/l.data" 2>/dev/null)

# 3. Signals stop it cleanly: the files are written, nothing half-done is left.
for sig in INT TERM; do
	"$FLAMESCOPE" top --every 1 --json "$WORK/s$sig.json" --save "$WORK/s$sig.data" \
		-- "$WORKLOADS/pattern" 30 >/dev/null 2>"$WORK/s$sig.err" &
	pid=$!
	sleep 3
	kill -"$sig" "$pid"
	t0=$(date +%s)
	wait "$pid"
	rc=$?
	check "sig$sig-exit-0" test "$rc" -eq 0
	check "sig$sig-prompt" test $(($(date +%s) - t0)) -le 5
	check "sig$sig-json" python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$WORK/s$sig.json"
	check "sig$sig-perf-data" perf script -i "$WORK/s$sig.data" -F comm
	check "sig$sig-said" grep -q 'stopped by signal' "$WORK/s$sig.err"
	wpid=$(sed -n 's/^pattern: pid \([0-9]*\) .*/\1/p' "$WORK/s$sig.err")
	check "sig$sig-workload-ended" test -n "$wpid" -a ! -d "/proc/${wpid:-0}"
done
check signals-no-temp-files test -z "$(ls "$WORK" | grep -e '\.tmp-')"

# ... however busy it is: a rate above kernel.perf_event_max_sample_rate (lowered to
# it, and said, as perf record does) on three busy tasks, with --save and an SVG to
# write each second. SIGTERM ends it within a few seconds, cleanly. Before, a busy
# run could ignore the signal for minutes.
ms() { date +%s%3N; }
timeout -k 5 60 "$FLAMESCOPE" top -F 100000000 --every 1 --json "$WORK/b.json" --svg "$WORK/b.svg" \
	--save "$WORK/b.data" -- "$WORKLOADS/script_fp" 9000 >/dev/null 2>"$WORK/b.err" &
pid=$!
sleep 4
t0=$(ms)
kill -TERM "$pid"
wait "$pid"
rc=$?
took=$(($(ms) - t0))
echo "# busy run: exited ${took} ms after SIGTERM"
check busy-sigterm-exit-0 test "$rc" -eq 0
check busy-sigterm-prompt test "$took" -lt 5000
check busy-freq-capped grep -q "warning: -F 100000000 is above kernel.perf_event_max_sample_rate: sampling at $(cat /proc/sys/kernel/perf_event_max_sample_rate) Hz" "$WORK/b.err"
check busy-sigterm-json python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$WORK/b.json"
check busy-sigterm-perf-data perf script -i "$WORK/b.data" -F comm
# a command that ignores SIGTERM gets SIGKILL a second later; the files are still written
timeout -k 5 60 "$FLAMESCOPE" top --every 1 --json "$WORK/i.json" \
	-- sh -c 'trap "" TERM; exec sleep 30' >/dev/null 2>"$WORK/i.err" &
pid=$!
sleep 2
t0=$(ms)
kill -TERM "$pid"
wait "$pid"
rc=$?
took=$(($(ms) - t0))
check stubborn-command-exit-0 test "$rc" -eq 0
check stubborn-command-prompt test "$took" -lt 5000
check stubborn-command-json python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$WORK/i.json"

# 4. Without the right to open events: a user without CAP_PERFMON, -a.
paranoid=$(cat /proc/sys/kernel/perf_event_paranoid)
if [ "$paranoid" -ge 1 ] && command -v setpriv >/dev/null; then
	cp "$FLAMESCOPE" "$WORK/fs-user" && chmod 755 "$WORK" "$WORK/fs-user"
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$WORK/fs-user" top -a \
		--json /tmp/never.json >/dev/null 2>"$WORK/p.err" </dev/null
	rc=$?
	check unprivileged-exit-1 test "$rc" -eq 1
	check unprivileged-says-paranoid grep -q "perf_event_paranoid is $paranoid" "$WORK/p.err"
	check unprivileged-says-capability grep -q 'lacks CAP_PERFMON' "$WORK/p.err"
	check unprivileged-says-what-to-do grep -q 'sysctl -w kernel.perf_event_paranoid=0' "$WORK/p.err"
else
	fail unprivileged "cannot check: perf_event_paranoid is $paranoid (needs 1 or more) or no setpriv"
fi
"$FLAMESCOPE" top -p 2147483647 --json "$WORK/x.json" 2>"$WORK/x.err"
check no-such-process test $? -eq 1 -a -n "$(grep 'no such process' "$WORK/x.err")"

# 5. Memory stays flat: a 2 s window at 999 Hz, RSS at 5 s (the window has
# filled twice) and at 13 s (four windows later).
"$FLAMESCOPE" top -q -F 999 -w 2 --every 1 --json "$WORK/m.json" -- "$WORKLOADS/script_fp" 15000 \
	>/dev/null 2>"$WORK/m.err" &
pid=$!
rss() { awk '/^VmRSS/ { print $2 }' "/proc/$pid/status" 2>/dev/null; }
sleep 5
rss5=$(rss)
sleep 8
rss13=$(rss)
wait "$pid"
echo "# RSS after 5 s: ${rss5:-?} kB, after 13 s: ${rss13:-?} kB"
check memory-flat test -n "$rss5" -a -n "$rss13" -a "${rss13:-1}" -le $(( ${rss5:-0} * 105 / 100 ))
check memory-window-kept python3 -c '
import json, sys
v = json.load(open(sys.argv[1]))["values"]
assert len(v) == 2 and min(map(sum, v)) > 50, [sum(c) for c in v]' "$WORK/m.json"

# 6. The terminal view, in tmux at 80x24.
# Each session gets its own server: a new session on the socket of one just
# killed can race with that server's exit and find none.
TMUX_SOCK=fs-top-$$-0
tm() { tmux -L "$TMUX_SOCK" "$@"; }
new_session() { TMUX_SOCK=fs-top-$$-$((${TMUX_SOCK##*-} + 1)); tm -f /dev/null new-session -d "$@"; }
screen() { tm capture-pane -p -t 0 "$@"; }
wait_for() {	# wait_for TEXT SECONDS
	for _ in $(seq $(($2 * 5))); do screen | grep -q -- "$1" && return 0; sleep 0.2; done
	return 1
}
mkdir -p "$WORK/out"
new_session -x 80 -y 24 \
	"cd '$WORK' && TERM=xterm-256color '$FLAMESCOPE' top -F 199 --output-dir '$WORK/out' -- '$WORKLOADS/pattern' 40; echo EXIT=\$?; stty -a; sleep 60"
wait_for 'spin_leaf' 15
screen >"$WORK/t1.txt"
screen -e >"$WORK/t1.esc"
check term-status grep -q '^flamescope top: cpu-clock 199 Hz, pattern' "$WORK/t1.txt"
check term-fits-80x24 test "$(awk '{ if (length($0) > 80) n++ } END { print n + 0 }' "$WORK/t1.txt")" -eq 0 -a \
	"$(wc -l <"$WORK/t1.txt")" -le 24
check term-map-rows test "$(grep -c '^ *[0-9]*ms' "$WORK/t1.txt")" -ge 4
check term-axis grep -q '[0-9][0-9]:[0-9][0-9]:[0-9]0' "$WORK/t1.txt"
check term-colours grep -q $'\e\\[[0-9;]*48;5;[0-9]*m' "$WORK/t1.esc"
check term-top-functions grep -q '%.*spin_leaf \[pattern\]' "$WORK/t1.txt"
# the cursor keeps its moment while the map scrolls: compare the time it names
cursor_at() { screen | sed -n 's/^cursor \([0-9]*\):\([0-9]*\):\([0-9]*\)+.*/\1 \2 \3/p' |
	awk '{ print $1 * 3600 + $2 * 60 + $3 }'; }
tm send-keys -t 0 Left
sleep 1
c0=$(cursor_at)
tm send-keys -t 0 Left Left Left
sleep 1
c1=$(cursor_at)
check term-cursor-moves test -n "$c0" -a -n "$c1" -a "$((${c0:-0} - ${c1:-0}))" -eq 3
# wait for the band (seconds 4 to 6 of the workload) before choosing a range
sleep 6
# a range over the whole window: far left, Enter, far right, Enter
tm send-keys -t 0 H H H H H H H Enter L L L L L L L Enter
sleep 1
screen >"$WORK/t2.txt"
check term-range-shown grep -q '^range\|  range ' "$WORK/t2.txt"
check term-range-markers grep -q '^ *[[-]-----*[]^]' "$WORK/t2.txt"
tm send-keys -t 0 w
wait_for 'wrote ' 10
flame=$(ls "$WORK"/out/*-flame.svg 2>/dev/null | head -n 1)
check term-wrote-three-files test "$(ls "$WORK/out" | grep -c -e '-flame.svg$' -e '-heat.png$' -e '-heat.svg$')" -eq 3
check term-range-flame-graph grep -q 'spin_leaf' "${flame:-/nonexistent}"
check term-heat-png grep -q 'PNG image data' <(file "$WORK"/out/*-heat.png)
tm send-keys -t 0 q
wait_for 'EXIT=' 10
screen >"$WORK/t3.txt"
check term-quit-exit-0 grep -q '^EXIT=0' "$WORK/t3.txt"
check term-sane-after-quit grep -q ' icanon .* echo \| echo .* icanon ' <(grep -E 'icanon|echo' "$WORK/t3.txt" | tr '\n' ' ')
check term-screen-restored test -z "$(grep 'flamescope top:' "$WORK/t3.txt")"
tm kill-server 2>/dev/null

# When the command ends the view stays, frozen, until q (a larger terminal: more rows).
new_session -x 100 -y 40 \
	"TERM=xterm-256color '$FLAMESCOPE' top -F 199 -- '$WORKLOADS/pattern' 2; echo EXIT=\$?; sleep 60"
wait_for '(ended)' 15
screen >"$WORK/e1.txt"
check ended-view-stays grep -q '^flamescope top: .*(ended)' "$WORK/e1.txt"
check ended-more-rows test "$(grep -c '^ *[0-9]*ms' "$WORK/e1.txt")" -gt "$(grep -c '^ *[0-9]*ms' "$WORK/t1.txt")"
check ended-kept-samples grep -q '%.*spin_leaf \[pattern\]' "$WORK/e1.txt"
tm send-keys -t 0 q
wait_for 'EXIT=' 10
check ended-quit grep -q '^EXIT=0' <(screen)
tm kill-server 2>/dev/null

# ... and a signal restores it too; TERM=dumb gets plain characters.
new_session -x 80 -y 24 \
	"TERM=dumb '$FLAMESCOPE' top -F 199 -- '$WORKLOADS/pattern' 40; echo EXIT=\$?; stty -a; sleep 60"
wait_for 'spin_leaf' 15
screen -e >"$WORK/d1.esc"
check dumb-no-escapes test -s "$WORK/d1.esc" -a -z "$(grep $'\e' "$WORK/d1.esc")"
check dumb-plain-cells grep -q '^ *[0-9]*ms [.:=+*#%@-]*$' "$WORK/d1.esc"
shell=$(tm display-message -p -t 0 '#{pane_pid}')
top_pid=$([ -n "$shell" ] && ps -o pid= --ppid "$shell" | head -n 1 | tr -d ' ')
check dumb-found-pid test -n "$top_pid"
# never "kill 0": without a pid that would signal this script's own group
[ -n "$top_pid" ] && kill -TERM "$top_pid" 2>/dev/null
wait_for 'EXIT=' 10
check dumb-stopped grep -q '^EXIT=0' <(screen)
check dumb-sane-after-signal grep -q ' icanon .* echo \| echo .* icanon ' <(screen | grep -E 'icanon|echo' | tr '\n' ' ')
tm kill-server 2>/dev/null

"$FLAMESCOPE" top -F 199 -- "$WORKLOADS/pattern" 3 2>/dev/null | cat >"$WORK/pipe.txt"
check pipe-plain-frames test "$(grep -c '^flamescope top:' "$WORK/pipe.txt")" -ge 2 -a \
	-z "$(grep $'\e' "$WORK/pipe.txt")"
