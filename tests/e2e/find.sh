#!/usr/bin/env bash
# flamescope find on recordings made now of tests/workloads/schedule (its
# processes only, not -a: the machine may be busy; perf record -k
# CLOCK_MONOTONIC, so sample times are on the workload's clock and its
# schedule places itself on the heat map). What it was told to do is found
# (tests/oracle/find_truth.py: the kind, process, place and shape, and the
# culprit function first), nothing else is; a steady load gives no finding;
# the printed commands run and show the culprit; heatmap --findings outlines
# each finding's cells in the SVG and at the same pixels in the PNG.
source "$(dirname "$0")/lib.sh"
ORACLE=$TOP/tests/oracle
SCHED=$WORKLOADS/schedule

# rec OUT ARGS...: the workload's processes, sampled every 5 ms of their CPU time.
rec() {
	local out=$1; shift
	nice -n -10 perf record -q -k CLOCK_MONOTONIC -e cpu-clock -c 5000000 -g -o "$out" \
		-- "$SCHED" "$@" >/dev/null 2>"$WORK/record.err"
}

# Two processes: a band in one; bursts and a start-up in the other.
if ! rec "$WORK/p.data" -d 16 -t "$WORK/truth.json" 'alpha:band=3,0.5,1.5;noise=0.05' \
	'beta:startup=2.2;burst=600,60;noise=0.05'; then
	fail record "$(head -c 400 "$WORK/record.err")"
	exit 0
fi
check find-json "$FLAMESCOPE" find -i "$WORK/p.data" --format json -o "$WORK/p.json"
check find-txt "$FLAMESCOPE" find -i "$WORK/p.data" -o "$WORK/p.txt"
python3 "$ORACLE/find_truth.py" "$WORK/truth.json" "$WORK/p.json" >"$WORK/match.json" 2>&1 ||
	fail truth-match "$(head -c 400 "$WORK/match.json")"

# truth NAME EXPR: a Python expression over m (the match) must hold.
truth() {
	if python3 -c "import json, sys; m = json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" \
		"$WORK/match.json" 2>"$WORK/py.err"; then
		ok "$1"
	else
		fail "$1" "$(cat "$WORK/match.json" "$WORK/py.err" | head -c 800; echo; head -c 1500 "$WORK/p.txt")"
	fi
}
truth band-found "any(i['kind'] == 'band' and i['found'] for i in m['items'])"
truth band-culprit "any(i['kind'] == 'band' and i['culprit'] for i in m['items'])"
truth burst-found "any(i['kind'] == 'burst' and i['found'] for i in m['items'])"
truth burst-culprit "any(i['kind'] == 'burst' and i['culprit'] for i in m['items'])"
truth startup-found "any(i['kind'] == 'startup' and i['found'] for i in m['items'])"
truth startup-culprit "any(i['kind'] == 'startup' and i['culprit'] for i in m['items'])"
truth nothing-else "not m['extra']"

# The text report: a numbered paragraph per finding, each with its two commands.
n=$(python3 -c "import json, sys; print(len(json.load(open(sys.argv[1]))['findings']))" "$WORK/p.json")
paras=$(grep -c '^[0-9][0-9]*\. ' "$WORK/p.txt")
cmds=$(grep -c '^   flamescope flamegraph ' "$WORK/p.txt")
if [ "$paras" = "$n" ] && [ "$cmds" = $((2 * n)) ]; then ok txt-paragraphs
else fail txt-paragraphs "$paras paragraphs and $cmds commands for $n findings"; fi

# The printed commands run, and the flame graph of each finding shows its culprit.
python3 - "$WORK/p.json" >"$WORK/cmds.txt" <<'EOF'
import json, sys
for f in json.load(open(sys.argv[1]))["findings"]:
    if f["frames"]:
        print(f["rank"], f["frames"][0]["name"], f["commands"][0])
        print(f["rank"], f["frames"][0]["name"], f["commands"][1])
EOF
bad=
while read -r rank fn cmd; do
	out=$(cd "$WORK" && eval "${cmd/flamescope /\"$FLAMESCOPE\" }" 2>&1) || { bad+="$rank: $out; "; continue; }
	svg=$(sed 's/.* -o \([^ ]*\)$/\1/' <<<"$cmd")
	grep -q ">$fn (" "$WORK/$svg" || bad+="$rank: $svg has no $fn; "
done <"$WORK/cmds.txt"
if [ -s "$WORK/cmds.txt" ] && [ -z "$bad" ]; then ok commands-run; else fail commands-run "${bad:-no commands}"; fi

# Standard input gives the same findings (the commands then name no input).
if "$FLAMESCOPE" find -i - --format json <"$WORK/p.data" >"$WORK/stdin.json" 2>"$WORK/stdin.err" &&
	python3 - "$WORK/p.json" "$WORK/stdin.json" <<'EOF'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
strip = lambda d: [{k: v for k, v in f.items() if k != "commands"} for f in d["findings"]]
sys.exit(0 if strip(a) == strip(b) else 1)
EOF
then ok stdin; else fail stdin "$(head -c 300 "$WORK/stdin.err")"; fi

# heatmap --findings: each finding's ranges outlined over its cells (SVG), the same pixels in the PNG.
check hm-svg "$FLAMESCOPE" heatmap -i "$WORK/p.data" --findings -q -o "$WORK/hm.svg"
check hm-png "$FLAMESCOPE" heatmap -i "$WORK/p.data" --findings -q -o "$WORK/hm.png"
check hm-svg-xml xmllint --noout "$WORK/hm.svg"
if python3 - "$WORK/hm.svg" "$WORK/p.json" "$WORK/hm.png" "$ORACLE" >"$WORK/marks.out" 2>&1 <<'EOF'
import json, math, re, sys
import xml.etree.ElementTree as ET
sys.path.insert(0, sys.argv[4])
import png
root = ET.parse(sys.argv[1]).getroot()
found = json.load(open(sys.argv[2]))["findings"]
g = next(e for e in root.iter() if e.get("id") == "cells")
x0, y0, cw, ch = (float(g.get("data-" + k)) for k in ("x0", "y0", "cw", "ch"))
rows, frm, step = int(g.get("data-rows")), float(g.get("data-from")), float(g.get("data-step"))
marks = next(e for e in root.iter() if e.get("id") == "marks")
paths = [e for e in marks if e.tag.endswith("path")]
bad = []
if len(paths) != sum(len(f["ranges"]) for f in found):
    bad.append("%d outlines for %d ranges" % (len(paths), sum(len(f["ranges"]) for f in found)))
w, h, bpp, img = png.read(sys.argv[3])
def px(x, y):
    return tuple(img[int(y)][int(x) * bpp:int(x) * bpp + 3])
def cell(t):
    # the heat map's arithmetic (FlameScope's)
    off = t - frm
    return int(math.floor(off / step)), int(math.floor(rows * (math.fmod(off, step) / step)))
i = 0
for f in found:
    for s, e in f["ranges"]:
        p = paths[i]
        i += 1
        subs = [[tuple(map(float, q.split())) for q in re.findall(r"[ML]?([\d.]+ [\d.]+)", sp)]
                for sp in p.get("d").split("M")[1:]]
        pts = [q for sp in subs for q in sp]
        xs, ys = [q[0] for q in pts], [q[1] for q in pts]
        c0, r0 = cell(s)
        c1, r1 = cell(e - 1e-9)
        # the outline spans the cells from the range's first to its last
        want = (x0 + c0 * cw, x0 + (c1 + 1) * cw,
                y0 + (rows - (r1 + 1 if c0 == c1 else rows)) * ch, y0 + (rows - (r0 if c0 == c1 else 0)) * ch)
        if (min(xs), max(xs), min(ys), max(ys)) != want:
            bad.append("rank %d range %.3f-%.3f: outline %s, cells say %s" %
                       (f["rank"], s, e, (min(xs), max(xs), min(ys), max(ys)), want))
        # the PNG draws the same edges: the middle of each is the mark colour
        for sp in subs:
            for a, b in zip(sp, sp[1:] + sp[:1]):
                mx, my = (a[0] + b[0]) / 2, (a[1] + b[1]) / 2
                if px(mx, my) != (0x00, 0x50, 0xff):
                    bad.append("PNG pixel %d,%d is %s" % (mx, my, px(mx, my)))
if bad:
    print("; ".join(bad[:6]))
    sys.exit(1)
EOF
then ok hm-marks; else fail hm-marks "$(head -c 800 "$WORK/marks.out")"; fi

# A steady load: no finding.
if rec "$WORK/s.data" -d 8 'steady:noise=0.3'; then
	check steady-find "$FLAMESCOPE" find -i "$WORK/s.data" --format json -o "$WORK/s.json"
	if python3 -c "import json, sys; sys.exit(len(json.load(open(sys.argv[1]))['findings']))" \
		"$WORK/s.json"; then
		ok steady-none
	else
		fail steady-none "$("$FLAMESCOPE" find -i "$WORK/s.data" 2>&1 | head -c 1000)"
	fi
else
	fail steady-record "$(head -c 400 "$WORK/record.err")"
fi

# Bad usage and bad input: a message and the exit status.
status() {
	local name=$1 want=$2; shift 2
	"$@" >"$WORK/st.out" 2>&1
	local rc=$?
	if [ "$rc" = "$want" ] && grep -q 'flamescope' "$WORK/st.out"; then ok "$name"
	else fail "$name" "exit $rc (want $want): $(head -c 300 "$WORK/st.out")"; fi
}
status weight-period 2 "$FLAMESCOPE" find -i "$WORK/p.data" --weight period
status bad-format 2 "$FLAMESCOPE" find -i "$WORK/p.data" --format svg
status bad-rows 2 "$FLAMESCOPE" find -i "$WORK/p.data" --rows 0
status no-input 1 "$FLAMESCOPE" find -i "$WORK/nonexistent.data"
status hm-findings-json 2 "$FLAMESCOPE" heatmap -i "$WORK/p.data" --findings --format json
