#!/usr/bin/env bash
# flamescope heatmap against FlameScope's own computation (tests/oracle/
# flamescope_heatmap.py on `perf script --header` text of the same file), on
# the pattern workload recorded now (perf record -a -g -F 199 -- pattern 8)
# and on the bundled example (tests/data/demo, resolved from its debug/).
# The pattern checks read the workload's own schedule: it prints its start
# second in CLOCK_MONOTONIC, which is perf's sample clock on this machine.
source "$(dirname "$0")/lib.sh"
ORACLE=$TOP/tests/oracle
DEMO=$TOP/tests/data/demo

# cmp_json NAME OURS.json ORACLE.json: same columns, rows, values, maxvalue.
cmp_json() {
	if python3 - "$2" "$3" >"$WORK/cmp.out" 2>&1 <<'EOF'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
bad = []
for k in ("columns", "rows", "maxvalue"):
    if [float(x) for x in a[k]] != [float(x) for x in b[k]] if isinstance(b[k], list) else a[k] != b[k]:
        bad.append("%s: ours %s, FlameScope %s" % (k, str(a[k])[:80], str(b[k])[:80]))
va, vb = a["values"], b["values"]
if len(va) != len(vb):
    bad.append("%d columns, FlameScope %d" % (len(va), len(vb)))
for c in range(min(len(va), len(vb))):
    if len(va[c]) != len(vb[c]):
        bad.append("column %d: %d rows, FlameScope %d" % (c, len(va[c]), len(vb[c])))
        continue
    for r in range(len(va[c])):
        if va[c][r] != vb[c][r]:
            bad.append("cell [%d][%d]: ours %d, FlameScope %d" % (c, r, va[c][r], vb[c][r]))
if bad:
    print("; ".join(bad[:8]), "(%d differences)" % len(bad))
    sys.exit(1)
EOF
	then ok "$1"; else fail "$1" "$(head -c 600 "$WORK/cmp.out")"; fi
}

# svg_cells NAME FILE.svg FILE.json: well-formed XML; one rect per cell in
# <g id="cells">, placed and titled as the JSON's values say.
svg_cells() {
	if ! xmllint --noout "$2" >"$WORK/xml.out" 2>&1; then
		fail "$1" "xmllint: $(head -c 400 "$WORK/xml.out")"
		return
	fi
	if python3 - "$2" "$3" >"$WORK/svg.out" 2>&1 <<'EOF'
import json, re, sys
import xml.etree.ElementTree as ET
ns = "{http://www.w3.org/2000/svg}"
root = ET.parse(sys.argv[1]).getroot()
hm = json.load(open(sys.argv[2]))
cols, rows = len(hm["columns"]), len(hm["rows"])
g = [e for e in root.iter() if e.get("id") == "cells"]
if len(g) != 1:
    sys.exit("no single <g id=cells>")
rects = [e for e in g[0] if e.tag in (ns + "rect", "rect")]
if len(rects) != cols * rows:
    sys.exit("%d cells, expected %d x %d" % (len(rects), cols, rows))
xs = sorted({float(e.get("x")) for e in rects})
ys = sorted({float(e.get("y")) for e in rects})
if len(xs) != cols or len(ys) != rows:
    sys.exit("cells on %d x %d positions, expected %d x %d" % (len(xs), len(ys), cols, rows))
bad = 0
for e in rects:
    c, jr = xs.index(float(e.get("x"))), ys.index(float(e.get("y")))
    t = "".join(x.text or "" for x in e if x.tag in (ns + "title", "title"))
    m = re.match(r"\s*([0-9.]+)-([0-9.]+) s: (\d+)", t)
    if not m:
        sys.exit("cell title %r" % t)
    t0, n = float(m.group(1)), int(m.group(3))
    r = rows - 1 - jr		# painted bottom to top
    if n != hm["values"][c][jr] or abs(t0 - (c + r / rows)) > 0.0011:
        bad += 1
        if bad < 4:
            print("cell at column %d row %d: title %r, JSON %d" % (c, r, t, hm["values"][c][jr]))
sys.exit(1 if bad else 0)
EOF
	then ok "$1"; else fail "$1" "$(head -c 600 "$WORK/svg.out")"; fi
}

# png_size NAME FILE.png W H: a valid PNG (signature, chunk CRCs, IHDR,
# IDAT inflating to the right size with valid filters) of W x H pixels.
png_size() {
	if python3 "$ORACLE/png.py" "$2" "$3" "$4" >"$WORK/png.out" 2>&1
	then ok "$1"; else fail "$1" "$(head -c 400 "$WORK/png.out")"; fi
}

# oracle JSON ARGS...: FlameScope's heat map of $WORK/$TAG.txt.
oracle() {
	local out=$1; shift
	python3 "$ORACLE/flamescope_heatmap.py" "$@" "$WORK/$TAG.txt" >"$out"
}

# heatmap_vs_flamescope TAG DATA: the FlameScope comparisons on one file;
# perf script text in $WORK/TAG.txt.
heatmap_vs_flamescope() {
	TAG=$1
	local d=$2 fs=("$FLAMESCOPE" heatmap -q -i "$2")
	"${fs[@]}" -o "$WORK/$TAG.json" 2>"$WORK/err" || fail "$TAG-json-runs" "$(head -c 300 "$WORK/err")"
	oracle "$WORK/$TAG.fs.json" --issue4-idle
	cmp_json "$TAG-json-equals-flamescope" "$WORK/$TAG.json" "$WORK/$TAG.fs.json"

	"${fs[@]}" --idle-rule flamescope --format json -o - >"$WORK/$TAG.rule.json" 2>"$WORK/err"
	cmp_json "$TAG-json-idle-rule-flamescope" "$WORK/$TAG.rule.json" "$WORK/$TAG.fs.json"

	"${fs[@]}" --include-idle -o "$WORK/$TAG.all.json" 2>"$WORK/err"
	oracle "$WORK/$TAG.fs.all.json" --include-idle
	cmp_json "$TAG-json-include-idle-equals-flamescope" "$WORK/$TAG.all.json" "$WORK/$TAG.fs.all.json"

	"${fs[@]}" --rows 20 -o "$WORK/$TAG.r20.json" 2>"$WORK/err"
	oracle "$WORK/$TAG.fs.r20.json" --issue4-idle --rows 20
	cmp_json "$TAG-json-rows20-equals-flamescope" "$WORK/$TAG.r20.json" "$WORK/$TAG.fs.r20.json"

	# --from/--to cut a window first (FlameScope's range rule, both ends
	# inclusive); column i of the window is second from+i of the full map.
	"${fs[@]}" --from 2 --to 5 -o "$WORK/$TAG.w.json" 2>"$WORK/err"
	oracle "$WORK/$TAG.fs.w.json" --issue4-idle --start 2 --end 5
	check "$TAG-json-from-to-equals-flamescope-range" python3 - "$WORK/$TAG.w.json" "$WORK/$TAG.fs.w.json" <<'EOF'
import json, sys
w, o = (json.load(open(p)) for p in sys.argv[1:3])
assert [float(c) for c in w["columns"]] == [2, 3, 4, 5], w["columns"]
for i in range(4):
    assert w["values"][i] == o["values"][2 + i], "second %d: ours %s, FlameScope's range %s" % (
        2 + i, w["values"][i], o["values"][2 + i])
EOF

	# --step 2: a column is two seconds, its lower half rows the first one.
	"${fs[@]}" --step 2 -o "$WORK/$TAG.s2.json" 2>"$WORK/err"
	check "$TAG-json-step2-sums" python3 - "$WORK/$TAG.s2.json" "$WORK/$TAG.fs.json" <<'EOF'
import json, sys
s2, one = (json.load(open(p)) for p in sys.argv[1:3])
v1, v2 = one["values"], s2["values"]
assert len(v2) == (len(v1) + 1) // 2, "%d columns for %d seconds" % (len(v2), len(v1))
for j, col in enumerate(v2):
    first = sum(v1[2 * j])
    second = sum(v1[2 * j + 1]) if 2 * j + 1 < len(v1) else 0
    assert sum(col[25:]) == first and sum(col[:25]) == second, \
        "column %d: halves %d/%d, seconds %d/%d" % (j, sum(col[25:]), sum(col[:25]), first, second)
EOF

	# The leaf rule keeps a superset of the default's samples.
	"${fs[@]}" --idle-rule leaf -o "$WORK/$TAG.leaf.json" 2>"$WORK/err"
	check "$TAG-leaf-rule-keeps-more" python3 -c '
import json, sys
a, b, c = (json.load(open(p))["values"] for p in sys.argv[1:4])
cells = [(x, y, z) for ca, cb, cc in zip(a, b, c) for x, y, z in zip(ca, cb, cc)]
assert all(d <= l <= i for d, l, i in cells), "default <= leaf <= include-idle broken"
' "$WORK/$TAG.json" "$WORK/$TAG.leaf.json" "$WORK/$TAG.all.json"

	"${fs[@]}" -o "$WORK/$TAG.svg" 2>"$WORK/err" || fail "$TAG-svg-runs" "$(head -c 300 "$WORK/err")"
	svg_cells "$TAG-svg-cells" "$WORK/$TAG.svg" "$WORK/$TAG.json"
	# The PNG at its default size has the SVG's geometry: every cell's colour must match.
	"${fs[@]}" -o "$WORK/$TAG.cells.png" 2>"$WORK/err" || fail "$TAG-png-cells-runs" "$(head -c 300 "$WORK/err")"
	check "$TAG-png-cell-colours-equal-svg" python3 "$TOP/tests/oracle/png_cells.py" \
		"$WORK/$TAG.cells.png" "$WORK/$TAG.svg"

	"${fs[@]}" --width 900 --height 500 -o "$WORK/$TAG.png" 2>"$WORK/err" ||
		fail "$TAG-png-runs" "$(head -c 300 "$WORK/err")"
	png_size "$TAG-png-decodes-900x500" "$WORK/$TAG.png" 900 500
	if command -v file >/dev/null; then
		check "$TAG-png-file" grep -q 'PNG image data, 900 x 500' <(file "$WORK/$TAG.png")
	fi

	"${fs[@]}" -o "$WORK/$TAG.txt.out" --format txt 2>"$WORK/err"
	check "$TAG-txt-nonempty" test -s "$WORK/$TAG.txt.out"
}

# pattern_cells: the workload's band, bursts, start-up and quiet seconds in
# the heat map of its own samples (--pid) and of the whole system.
# 199 Hz gives ~4 samples per 20 ms cell, but a loaded machine (other work,
# host steal time on this VM) loses samples, so a region is hot when 3/4 of
# its cells have samples and it averages one or more; quiet cells have none.
pattern_cells() {
	local s0=$1 origin=$2
	"$FLAMESCOPE" heatmap -q -i "$WORK/pattern.data" --pid "$ppid" -o "$WORK/pc.json" 2>"$WORK/err"
	check pattern-cells python3 - "$WORK/pc.json" "$WORK/pattern.json" "$((s0 - origin))" <<'EOF'
import json, sys
own = json.load(open(sys.argv[1]))
allv = json.load(open(sys.argv[2]))["values"]
k0 = int(sys.argv[3])
rows = len(own["rows"])
assert rows == 50, rows
def cell(vals, k, r):			# second k of the workload, row r from the bottom
    return vals[k0 + k][rows - 1 - r]
v = own["values"]
assert len(v) >= k0 + 8, "only %d columns" % len(v)
errs = []
def hot(cells):
    return sum(n > 0 for n in cells) >= 0.75 * len(cells) and sum(cells) >= len(cells)
band = [cell(v, k, r) for k in (4, 5, 6) for r in range(rows) if not 19 <= r <= 23]
if not hot(band):
    errs.append("band cells not hot: %s" % band)
burst = [cell(v, k, r) for k in range(2, 8) for r in (20, 21, 22)]
if not hot(burst):
    errs.append("burst cells not hot: %s" % burst)
start = [cell(v, 0, r) for r in range(rows)] + [cell(v, 1, r) for r in range(24)]
if not hot(start):
    errs.append("start-up cells not hot: %s" % start)
# (a sample of the band's last moment may be stamped just after second 7 began)
quiet = [cell(v, k, r) for k in (2, 3, 7) for r in range(2 if k == 7 else 0, rows) if not 19 <= r <= 23]
quiet += [cell(v, 1, r) for r in range(26, rows)]
if sum(quiet) > 3:
    errs.append("quiet cells not cold: %d samples" % sum(quiet))
# the whole system's map holds at least the workload's samples
if any(cell(allv, k, r) < cell(v, k, r) for k in range(8) for r in range(rows)):
    errs.append("system-wide cell below the workload's own")
assert not errs, "; ".join(errs)
EOF
}

# 1. The pattern workload, recorded now.
# nice -10 keeps the schedule's samples when other work loads the 2 CPUs.
if record "$WORK/pattern.data" -a -g -F 199 -- nice -n -10 "$WORKLOADS/pattern" 8; then
	s0=$(sed -n 's/^pattern: pid [0-9]* start \([0-9]*\) .*/\1/p' "$WORK/record.err")
	ppid=$(sed -n 's/^pattern: pid \([0-9]*\) .*/\1/p' "$WORK/record.err")
	perf script --header -i "$WORK/pattern.data" >"$WORK/pattern.txt" 2>/dev/null
	origin=$(awk '!/^#/ && match($0, / +[0-9.]+: /) { t = substr($0, RSTART, RLENGTH); sub(/: $/, "", t); t += 0; if (min == "" || t < min) min = t } END { printf "%d", min }' "$WORK/pattern.txt")
	heatmap_vs_flamescope pattern "$WORK/pattern.data"
	if [ -n "$s0" ]; then
		pattern_cells "$s0" "$origin"
	else
		fail pattern-cells "pattern did not print its start: $(head -c 200 "$WORK/record.err")"
	fi
else
	skip heatmap-recorded "perf record failed: $(head -c 200 "$WORK/record.err")"
fi

# 2. The bundled example, resolved from its own build-id cache (perf 6.1 reads
# it from --buildid-dir; flamescope from PERF_BUILDID_DIR).
export PERF_BUILDID_DIR=$DEMO/debug
perf --buildid-dir "$DEMO/debug" script --header -i "$DEMO/perf.data" >"$WORK/demo.txt" 2>/dev/null
heatmap_vs_flamescope demo "$DEMO/perf.data"
python3 "$ORACLE/flamescope_heatmap.py" --issue4-idle "$DEMO/perf-script.txt" >"$WORK/demo.committed.json"
cmp_json demo-json-equals-flamescope-on-committed-text "$WORK/demo.json" "$WORK/demo.committed.json"
