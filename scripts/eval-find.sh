#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# eval-find.sh [BUILD_DIR]: how well flamescope find finds what it should, on
# recordings made now of tests/workloads/schedule with known schedules: bands
# of several periods and durations, bursts at several offsets (one across the
# end of the second), start-ups, spikes, tails, level shifts, two processes
# with different patterns, noisy backgrounds, and steady loads. Each run is
# scored by tests/oracle/find_truth.py (kind, process, place and shape within
# its tolerances; culprit = the first frame is the pattern's function).
# Prints per run what was found, then per kind:
#   recall     patterns found / patterns made
#   culprit    patterns found with their function first / patterns made
#   precision  findings that are a pattern made / findings
# Then the wall time of find and of heatmap on each recording, side by side
# (heatmap first, so the page cache is warm for both), summed over the runs.
# Runs are recorded by process (perf record -k CLOCK_MONOTONIC -e cpu-clock
# -c 5000000), except the -F 49 ones, recorded -a as users do and analysed
# with --pid set to the workload's processes (other processes on the machine
# have their own perturbations). As root. About 8 minutes; QUICK=1 halves it.
# KEEP=DIR keeps the recordings there.
set -euo pipefail
B=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
FS=$(realpath "$top/$B/flamescope")
make -s -C "$top" B="$B" "$B/flamescope" "$B/workloads/schedule" >/dev/null
SCHED=$(realpath "$top/$B/workloads/schedule")
T=${KEEP:-$(mktemp -d /tmp/eval-find.XXXXXX)}
mkdir -p "$T"
[ -n "${KEEP:-}" ] || trap 'rm -rf "$T"' EXIT
q=${QUICK:+2}
q=${q:-1}

# timed NAME WHAT CMD...: runs CMD, appends "WHAT SECONDS" to $T/NAME.time.
timed() {
	local name=$1 what=$2 t0 t1; shift 2
	t0=$(date +%s.%N)
	"$@"
	t1=$(date +%s.%N)
	awk -v w="$what" -v a="$t0" -v b="$t1" 'BEGIN { printf "%s %.3f\n", w, b - a }' >>"$T/$name.time"
}

# run NAME MODE SECONDS PROC...: record the schedule, find, score. MODE: proc or F49.
run() {
	local name=$1 mode=$2 secs=$(( $3 / q )); shift 3
	local data=$T/$name.data pids
	if [ "$mode" = F49 ]; then
		perf record -q -k CLOCK_MONOTONIC -F 49 -a -g -o "$data" \
			-- "$SCHED" -d "$secs" -t "$T/$name.truth" "$@" >/dev/null 2>"$T/$name.err"
		pids=$(python3 -c 'import json, sys; print(",".join(str(p["pid"]) for p in json.load(open(sys.argv[1]))["procs"]))' \
			"$T/$name.truth")
		timed "$name" heatmap "$FS" heatmap -q -i "$data" --pid "$pids" -o "$T/$name.hm.json"
		timed "$name" find "$FS" find -q -i "$data" --pid "$pids" --format json -o "$T/$name.json"
	else
		perf record -q -k CLOCK_MONOTONIC -e cpu-clock -c 5000000 -g -o "$data" \
			-- "$SCHED" -d "$secs" -t "$T/$name.truth" "$@" >/dev/null 2>"$T/$name.err"
		timed "$name" heatmap "$FS" heatmap -q -i "$data" -o "$T/$name.hm.json"
		timed "$name" find "$FS" find -q -i "$data" --format json -o "$T/$name.json"
	fi
	python3 "$top/tests/oracle/find_truth.py" "$T/$name.truth" "$T/$name.json" >"$T/$name.match"
	python3 - "$name" "$T/$name.match" <<'EOF'
import json, sys
m = json.load(open(sys.argv[2]))
made = ", ".join("%s %s%s" % (i["kind"], "found" if i["found"] else "MISSED",
                              "" if not i["found"] or i["culprit"] else " (culprit not first)")
                 for i in m["items"]) or "nothing"
extra = "; extra: " + ", ".join(e["description"] for e in m["extra"]) if m["extra"] else ""
print("%-14s %s%s" % (sys.argv[1], made, extra))
EOF
}

run band-10x2    proc 60 'svc:band=10,2,3;noise=0.1'
run band-5x0.5   proc 40 'svc:band=5,0.5,1;noise=0.2'
run band-burst   proc 80 'svc:band=20,3,5;burst=250,40;noise=0.1'
run burst-wrap   proc 30 'svc:burst=960,80;noise=0.15'
run burst-weak   proc 30 'svc:burst=500,100;noise=0.4'
run start-shift  proc 60 'svc:startup=4;shift=30,0.4;noise=0.1'
run spike-tail   proc 40 'svc:spike=15,2;tail=3;noise=0.1'
run two-procs    proc 50 'a:band=7,1,2;noise=0.1' 'b:burst=300,50;shift=25,0.3;noise=0.1'
run steady       proc 30 'svc:noise=0.3'
run steady-two   proc 30 'a:noise=0.2' 'b:noise=0.4'
run F49-two      F49  40 'a:band=6,1,1;noise=0.1' 'b:burst=700,100;noise=0.1'
run F49-steady   F49  30 'svc:noise=0.3'

python3 - "$T" <<'EOF'
import glob, json, sys
cat = {"band": "band", "burst": "burst", "startup": "segment", "spike": "segment", "tail": "segment",
       "shift": "shift", "start-up": "segment"}
made, found, culprit, findings, true = {}, {}, {}, {}, {}
for path in glob.glob(sys.argv[1] + "/*.match"):
    m = json.load(open(path))
    for i in m["items"]:
        k = cat[i["kind"]]
        made[k] = made.get(k, 0) + 1
        found[k] = found.get(k, 0) + i["found"]
        culprit[k] = culprit.get(k, 0) + i["culprit"]
        if i["found"]:
            findings[k] = findings.get(k, 0) + 1
            true[k] = true.get(k, 0) + 1
    for e in m["extra"]:
        k = cat.get(e["name"], e["name"])
        findings[k] = findings.get(k, 0) + 1
print("\n%-8s %8s %8s %10s" % ("kind", "recall", "culprit", "precision"))
for k in ("band", "burst", "segment", "shift"):
    r = "%d/%d" % (found.get(k, 0), made.get(k, 0))
    c = "%d/%d" % (culprit.get(k, 0), made.get(k, 0))
    p = "%d/%d" % (true.get(k, 0), findings.get(k, 0))
    print("%-8s %8s %8s %10s" % (k, r, c, p))
t = {"find": 0.0, "heatmap": 0.0}
for path in glob.glob(sys.argv[1] + "/*.time"):
    for line in open(path):
        what, secs = line.split()
        t[what] += float(secs)
print("\nwall time over the recordings: find %.2f s, heatmap %.2f s, find / heatmap %.2fx" %
      (t["find"], t["heatmap"], t["find"] / t["heatmap"] if t["heatmap"] else float("nan")))
EOF
