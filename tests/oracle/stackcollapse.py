#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""stackcollapse-perf.pl, recomputed independently, for test comparisons.

    stackcollapse.py [--pid] [--tid] [--kernel] [--jit] [--all] [--addrs]
                     [--event-filter=EVENT] [--start S] [--end E]
                     [--exclude-idle flamescope|issue4] FILE.txt|-

Reads `perf script` text and prints the folded stacks that Brendan Gregg's
FlameGraph/stackcollapse-perf.pl (commit 41fee1f9) prints for it. Our own
code, written from these facts about that script:

- '#' lines are skipped; each line is chomped (only "\\n" removed).
- An empty line ends a sample: unless no sample is open (`$pname` false in
  Perl: undefined, "" or "0"), the comm is put first and the stack joined
  with ';' is counted with the sample's period.
- A line matching /^(\\S.+?)\\s+(\\d+)\\/*(\\d+)*\\s+/ opens a sample: comm,
  pid, tid; with no tid (Perl-false) tid = pid and pid = "?". When the line
  also matches /:\\s*(\\d+)*\\s+(\\S+):\\s*$/ its groups are the period and the
  event; only the first event seen is kept (or --event-filter), other
  events' lines are skipped without opening a sample. A Perl-false period
  (absent or "0") counts 1. So counts are sums of periods when perf prints
  the period field (its default for cpu-clock and cycles).
- The root is comm, "comm-PID" with --pid, "comm-PID/TID" with --tid,
  spaces turned into '_'.
- Other lines matching /^\\s*(\\w+)\\s*(.+) \\((.*)\\)/ are frames (pc, raw
  function, dso; both greedy, so the dso is the text inside the last
  parentheses). "+0x<hex>" at the end is stripped; names starting with '('
  are skipped; the name is split on "->" (Perl split: trailing empty fields
  dropped). For each part: "[unknown]" becomes "[dso basename]" (text after
  the last '/') unless the dso is "[unknown]" too ("[unknown]"), with
  --addrs "[name <pc>]"; ';' becomes ':'; unless the name looks like a Go
  method (/\\.\\(.*\\)\\./), everything from the first '(' not starting
  "(anonymous namespace)" is cut; quotes " and ' are deleted; for comms
  starting "java" a leading 'L' is dropped from names containing '/'.
  Annotations: parts after the first get "_[i]" (unless present); else with
  --kernel a dso matching /(^\\[|vmlinux$)/ but not /unknown/ gives "_[k]";
  else with --jit a dso matching m:/tmp/perf-\\d+\\.map: gives "_[j]" (unless
  present). Frames are listed innermost first in perf, so each is put in
  front: the folded stack is outermost first.
- Anything else is warned about on stderr ("Unrecognized line").
- Output: "STACK COUNT" lines sorted by Perl's `cmp` (byte order).
Not reimplemented: --inline, --context, --srcline (they need addr2line).

Extras for FlameScope range tests (not in stackcollapse-perf.pl):
--start/--end keep samples whose time t (FlameScope's event regexp
` +([0-9.]+): .+?:` on the header line, as a Python float) satisfies
floor(min t) + S <= t <= floor(min t) + E. --exclude-idle drops samples
whose comm is swapper-like and whose text matches FlameScope's idle frames
(flamescope) or those plus today's kernels' (issue4), as
flamescope_heatmap.py does. --count-samples counts samples, not periods
(flamescope's --weight samples).
"""
import argparse
import math
import re
import sys

A = re.ASCII
EVENT_LINE = re.compile(r"^(\S.+?)\s+(\d+)\/*(\d+)*\s+", A)
PERIOD_EVENT = re.compile(r":\s*(\d+)*\s+(\S+):\s*$", A)
FRAME_LINE = re.compile(r"^\s*(\w+)\s*(.+) \((.*)\)", A)
OFFSET = re.compile(r"\+0x[\da-f]+$", A)
GO_METHOD = re.compile(r"\.\(.*\)\.", A)
ARGS = re.compile(r"\((?!anonymous namespace\)).*", A)
KERNEL_DSO = re.compile(r"(^\[|vmlinux$)", A)
JIT_DSO = re.compile(r"/tmp/perf-\d+\.map", A)
FS_TIME = re.compile(r" +([0-9.]+): .+?:")
FLAMESCOPE_IDLE = ("cpuidle|cpu_idle|cpu_bringup_and_idle|native_safe_halt|"
                   "xen_hypercall_sched_op|xen_hypercall_vcpu_op")
ISSUE4_EXTRA = ("default_idle|do_idle|intel_idle|acpi_idle|poll_idle|"
                "mwait_idle|amd_e400_idle|arch_cpu_idle|safe_halt")


def perl_false(s):
    return s is None or s == "" or s == "0"


def perl_split_arrow(s):
    parts = s.split("->")
    while parts and parts[-1] == "":
        parts.pop()
    return parts


def fold_frame(pc, rawfunc, mod, pname, o):
    """The folded names of one frame line, outermost first, or None to skip."""
    rawfunc = OFFSET.sub("", rawfunc, count=1)
    if rawfunc.startswith("("):
        return None
    out = []
    for func in perl_split_arrow(rawfunc):
        if func == "[unknown]":
            if mod != "[unknown]":
                func = mod.rsplit("/", 1)[-1]
            else:
                func = "unknown"
            func = "[%s <%s>]" % (func, pc) if o.addrs else "[%s]" % func
        func = func.replace(";", ":")
        if not GO_METHOD.search(func):
            func = ARGS.sub("", func, count=1)
        func = func.replace('"', "").replace("'", "")
        if pname.startswith("java") and "/" in func and func.startswith("L"):
            func = func[1:]
        if out:
            if "_[i]" not in func:
                func += "_[i]"
        elif o.kernel and KERNEL_DSO.search(mod) and "unknown" not in mod:
            func += "_[k]"
        elif o.jit and JIT_DSO.search(mod):
            if "_[j]" not in func:
                func += "_[j]"
        out.append(func)
    return out


class Sample:
    def __init__(self, pname, stack, period, time, text):
        self.pname, self.stack, self.period = pname, stack, period
        self.time, self.text = time, text


class Collapser:
    """stackcollapse-perf.pl's main loop, with its state kept as Perl keeps it."""

    def __init__(self, o):
        self.o = o
        self.event_filter = o.event_filter or ""
        self.event_defaulted = False
        self.event_warning = False
        self.stack = []
        self.pname = None
        self.period = None
        self.time = None
        self.text = ""
        self.first_time = math.inf	# FlameScope's origin: min over header lines

    def line(self, line):
        """Returns a Sample when line ends one."""
        if line.startswith("#"):
            return None
        if not line.startswith("\t"):
            tm = FS_TIME.search(line)
            if tm:
                self.first_time = min(self.first_time, float(tm.group(1)))
        if line.endswith("\n"):
            line = line[:-1]
        if line == "":
            if perl_false(self.pname):
                return None
            s = Sample(self.pname, self.stack, self.period, self.time, self.text)
            self.stack = []
            self.pname = None
            return s
        m = EVENT_LINE.search(line)
        if m:
            comm, pid, tid = m.group(1), m.group(2), m.group(3)
            if perl_false(tid):
                tid, pid = pid, "?"
            period = ""
            pm = PERIOD_EVENT.search(line)
            if pm:
                period, event = pm.group(1), pm.group(2)
                if self.event_filter == "":
                    self.event_filter = event
                    self.event_defaulted = True
                elif event != self.event_filter:
                    if self.event_defaulted and not self.event_warning:
                        sys.stderr.write("Filtering for events of type: %s\n" % event)
                        self.event_warning = True
                    return None
            if perl_false(period):
                period = "1"
            self.period = int(period)
            if self.o.tid:
                pname = "%s-%s/%s" % (comm, pid, tid)
            elif self.o.pid:
                pname = "%s-%s" % (comm, pid)
            else:
                pname = comm
            self.pname = pname.replace(" ", "_")
            tm = FS_TIME.search(line)
            self.time = float(tm.group(1)) if tm else None
            self.text = line
            return None
        m = FRAME_LINE.search(line)
        if m:
            if perl_false(self.pname):
                return None
            names = fold_frame(m.group(1), m.group(2), m.group(3), self.pname, self.o)
            if names is not None:
                self.stack[0:0] = names
                self.text += line
            return None
        sys.stderr.write("Unrecognized line: %s\n" % line)
        return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    for opt in ("pid", "tid", "kernel", "jit", "all", "addrs"):
        ap.add_argument("--" + opt, action="store_true")
    ap.add_argument("--event-filter", default="")
    ap.add_argument("--start", type=float)
    ap.add_argument("--end", type=float)
    ap.add_argument("--exclude-idle", choices=("flamescope", "issue4"))
    ap.add_argument("--count-samples", action="store_true",
                    help="count 1 per sample instead of its period")
    ap.add_argument("file")
    o = ap.parse_args()
    if o.all:
        o.kernel = o.jit = True

    if o.file == "-":
        f = open(sys.stdin.fileno(), "r", encoding="latin-1", newline="\n", closefd=False)
    else:
        f = open(o.file, "r", encoding="latin-1", newline="\n")
    idle_re = None
    if o.exclude_idle:
        frames = FLAMESCOPE_IDLE
        if o.exclude_idle == "issue4":
            frames += "|" + ISSUE4_EXTRA
        idle_re = re.compile("swapper.*(%s)" % frames)

    c = Collapser(o)
    kept = [s for s in map(c.line, f) if s is not None]
    if o.start is not None or o.end is not None:
        origin = math.floor(c.first_time) if c.first_time < math.inf else 0
        lo = origin + o.start if o.start is not None else -math.inf
        hi = origin + o.end if o.end is not None else math.inf
        kept = [s for s in kept if s.time is not None and lo <= s.time <= hi]
    collapsed = {}
    for s in kept:
        if idle_re and idle_re.search(s.text):
            continue
        key = ";".join([s.pname] + s.stack)
        collapsed[key] = collapsed.get(key, 0) + (1 if o.count_samples else s.period)
    out = open(sys.stdout.fileno(), "w", encoding="latin-1", newline="\n", closefd=False)
    for k in sorted(collapsed):
        out.write("%s %d\n" % (k, collapsed[k]))
    out.flush()


if __name__ == "__main__":
    main()
