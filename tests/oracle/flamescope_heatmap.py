#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""FlameScope's heat map of `perf script` text, recomputed independently.

    flamescope_heatmap.py [--rows 50] [--include-idle]
                          [--flamescope-idle | --issue4-idle] [--idle-frames RE]
                          [--start S] [--end E] FILE.txt|-

Prints the JSON that Netflix FlameScope's /api/v1/heatmap answers for the
same text. A test oracle: our own code, written from these facts about
FlameScope (app/perf/regexp.py, app/perf/heatmap.py, app/controllers/heatmap.py
at commit be26595f):

- Lines starting with '#' are skipped. Every other line is searched with the
  event regexp ` +([0-9.]+): .+?:`; a match starts a sample whose time is the
  group, parsed as a Python float. The sample's text is its header line and
  every following line, each right-stripped, concatenated without separator.
- A sample is idle when `swapper.*(cpuidle|cpu_idle|cpu_bringup_and_idle|
  native_safe_halt|xen_hypercall_sched_op|xen_hypercall_vcpu_op)` matches
  that text; idle samples are not counted.
- start = the smallest time of any sample (idle ones too), end = the time of
  the last sample in file order. columns = int(ceil(end) - floor(start)).
- A sample at time ts goes to column int(floor(ts - floor(start))) and row
  rows - int(floor(rows * (ts % 1))) - 1 (Python float arithmetic), so row 0
  is the top, the end of the second. rows = [1000 * i / rows for i in
  range(rows)] reversed; maxvalue = the largest cell.
- Flask's jsonify sorts the keys.

--issue4-idle extends the idle frames with those of today's kernels (issue 4:
default_idle, do_idle, intel_idle, acpi_idle, poll_idle, mwait_idle,
amd_e400_idle, arch_cpu_idle, and safe_halt for the paravirtual halts
pvm_safe_halt_hc and xen_safe_halt, which native_safe_halt misses).
--idle-frames replaces the list with a regex.
--start/--end keep only samples with floor(start)+S <= ts <= floor(start)+E
(FlameScope's flame-graph range rule); columns still span the whole profile.
Checked: on perf 6.1 text (a pattern recording and tests/data/demo, rows 50,
20 and 7) the output is byte-identical to FlameScope's own perf_read_offsets()
and generate_heatmap() run outside Flask.
Quirk kept: FlameScope appends the last sample's time even when the file has
no samples; here an empty profile gives zero columns instead.
"""
import argparse
import json
import math
import re
import sys

EVENT_RE = re.compile(r" +([0-9.]+): .+?:")
FLAMESCOPE_IDLE = ("cpuidle|cpu_idle|cpu_bringup_and_idle|native_safe_halt|"
                   "xen_hypercall_sched_op|xen_hypercall_vcpu_op")
ISSUE4_EXTRA = ("default_idle|do_idle|intel_idle|acpi_idle|poll_idle|"
                "mwait_idle|amd_e400_idle|arch_cpu_idle|safe_halt")


def read_samples(f, idle_re):
    """Yields (time, idle) per sample, in file order."""
    stack = None
    ts = -1.0
    for line in f:
        if line.startswith("#"):
            continue
        m = EVENT_RE.search(line)
        if m:
            if stack is not None:
                yield ts, bool(idle_re and idle_re.search(stack))
            ts = float(m.group(1))
            stack = line.rstrip()
        elif stack is not None:
            stack += line.rstrip()
    if stack is not None:
        yield ts, bool(idle_re and idle_re.search(stack))


def heatmap(samples, rows, start_off=None, end_off=None):
    start = math.inf
    end = -math.inf
    offsets = []
    last = None
    for ts, idle in samples:
        start = min(start, ts)
        last = ts
        if not idle:
            offsets.append(ts)
    if last is None:
        return {"columns": [], "maxvalue": 0, "rows": [], "values": []}
    end = last
    origin = math.floor(start)
    lo = origin + start_off if start_off is not None else -math.inf
    hi = origin + end_off if end_off is not None else math.inf
    cols = int(math.ceil(end) - origin)
    values = [[0] * rows for _ in range(cols)]
    maxvalue = 0
    for ts in offsets:
        if ts < lo or ts > hi:
            continue
        col = int(math.floor(ts - origin))
        row = rows - int(math.floor(rows * (ts % 1))) - 1
        if col >= cols:
            # FlameScope raises IndexError here (a sample later than the
            # last one in file order landing past ceil(end)); say so.
            sys.exit("flamescope_heatmap: sample %.6f past the last column "
                     "(FlameScope would fail)" % ts)
        values[col][row] += 1
        maxvalue = max(maxvalue, values[col][row])
    rowoffsets = [1000 * (float(i) / rows) for i in range(rows)]
    rowoffsets.reverse()
    return {"columns": list(range(cols)), "maxvalue": maxvalue,
            "rows": rowoffsets, "values": values}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=50)
    ap.add_argument("--include-idle", action="store_true")
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--flamescope-idle", action="store_true",
                   help="FlameScope's idle regex exactly (the default)")
    g.add_argument("--issue4-idle", action="store_true",
                   help="FlameScope's idle frames plus today's kernels'")
    g.add_argument("--idle-frames", metavar="RE")
    ap.add_argument("--start", type=float)
    ap.add_argument("--end", type=float)
    ap.add_argument("file")
    a = ap.parse_args()
    if a.rows < 1:
        ap.error("--rows must be positive")

    frames = FLAMESCOPE_IDLE
    if a.issue4_idle:
        frames = FLAMESCOPE_IDLE + "|" + ISSUE4_EXTRA
    elif a.idle_frames:
        frames = a.idle_frames
    idle_re = None if a.include_idle else re.compile("swapper.*(%s)" % frames)

    # perf script text is bytes; latin-1 keeps every byte and the regexes are ASCII.
    if a.file == "-":
        f = open(sys.stdin.fileno(), "r", encoding="latin-1", closefd=False)
    else:
        f = open(a.file, "r", encoding="latin-1")
    hm = heatmap(read_samples(f, idle_re), a.rows, a.start, a.end)
    json.dump(hm, sys.stdout, sort_keys=True, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
