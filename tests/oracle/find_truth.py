#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
# find_truth.py TRUTH.json FIND.json: matches what tests/workloads/schedule was
# told to do (its -t truth) with what `flamescope find --format json` found in
# a recording of it made with perf record -k CLOCK_MONOTONIC (so the
# schedule's start, in CLOCK_MONOTONIC seconds, minus the finder's origin is
# the schedule's offset on the heat map). Prints one JSON object:
#   {"items": [{"proc", "kind", "args", "found", "culprit", "rank"}],
#    "extra": [{"rank", "name", "description"}]}
# where found = a finding of the item's kind, in its process, at its place and
# of its shape; culprit = its first frame is the item's function; extra = the
# findings that match no item. Imported, match(truth, found) returns the same.
import json
import sys

# tolerances (seconds): edges are placed to the cell, and noise moves them a few cells
EDGE = 0.15
KIND = {"band": "band", "burst": "burst", "startup": "start-up", "spike": "spike",
        "tail": "tail", "shift": "shift"}


def near(a, b, tol):
    return abs(a - b) <= tol


def circular(a, b, tol):
    d = abs(a - b) % 1.0
    return min(d, 1 - d) <= tol


def process_of(f):
    if f["pid"] is not None:
        return f["pid"]
    return f["processes"][0]["pid"] if f["processes"] else None


def fits(item, f, off, total):
    """Whether finding f is the item's pattern (off: the schedule's start on the heat map)."""
    a = item["args"]
    k = item["kind"]
    if KIND.get(k) != f["name"]:
        return False
    if k == "band":
        period, dur, start = a[0], a[1], a[2] if len(a) > 2 else 0
        if not near(f["period"], period, max(0.05, 0.02 * period)):
            return False
        if not near(f["duration"], dur, max(2 * EDGE, 0.2 * dur)):
            return False
        # every range starts where one of the bands does
        for s, _ in f["ranges"]:
            k_ = round((s - off - start) / period)
            if k_ < 0 or not near(s, off + start + k_ * period, EDGE + 0.1 * dur):
                return False
        return True
    if k == "burst":
        o, length = a[0] / 1000, a[1] / 1000
        return circular(f["offset"], off + o, 0.03) and near(f["duration"], length,
                                                             max(0.03, 0.3 * length))
    s, e = f["span"]
    if k == "startup":
        return s <= off + EDGE and near(e, off + a[0], EDGE)
    if k == "spike":
        return near(s, off + a[0], EDGE) and near(e, off + a[0] + a[1], EDGE)
    if k == "tail":
        return near(s, off + total - a[0], EDGE) and e >= off + total - EDGE
    if k == "shift":
        # a change of level in noisy counts is placed to about a second
        return near(s, off + a[0], 1.5) and f["rate"] > f["base_rate"]
    return False


def match(truth, found):
    off = truth["start"] - found["origin"]
    used = set()
    items = []
    for proc in truth["procs"]:
        for item in proc["items"]:
            if item["kind"] == "noise":
                continue
            out = {"proc": proc["name"], "kind": item["kind"], "args": item["args"],
                   "found": False, "culprit": False, "rank": None}
            for f in found["findings"]:
                if f["rank"] in used or process_of(f) != proc["pid"]:
                    continue
                if fits(item, f, off, truth["duration"]):
                    used.add(f["rank"])
                    out.update(found=True, rank=f["rank"],
                               culprit=bool(f["frames"]) and f["frames"][0]["name"] == item["function"])
                    break
            items.append(out)
    extra = [{"rank": f["rank"], "name": f["name"], "description": f["description"],
              "pid": process_of(f)} for f in found["findings"] if f["rank"] not in used]
    return {"items": items, "extra": extra}


if __name__ == "__main__":
    with open(sys.argv[1]) as t, open(sys.argv[2]) as f:
        print(json.dumps(match(json.load(t), json.load(f))))
