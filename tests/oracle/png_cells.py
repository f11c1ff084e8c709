#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
# png_cells.py HEAT.png HEAT.svg: decodes the PNG (zlib and PNG filters, no libraries)
# and checks that the centre pixel of every heat-map cell has the colour the SVG gives
# that cell, so the PNG shows the same numbers as the SVG (whose cells the tests check
# against the JSON). Exit 1 with the first mismatches.
import os, re, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import png  # noqa: E402

# SVG cells: <rect x y width height fill="#rrggbb"><title>...</title>, the first rect is the background.
svg = open(sys.argv[2]).read()
cells = re.findall(r'<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" fill="#([0-9a-f]{6})"><title>', svg)
w, h, bpp, rows = png.read(sys.argv[1])
assert cells, "no cells in the SVG"
bad = 0
colours = set()
for x, y, cw, ch, fill in cells:
    px, py = int(float(x) + float(cw) / 2), int(float(y) + float(ch) / 2)
    got = tuple(rows[py][px * bpp:px * bpp + 3])
    want = tuple(int(fill[i:i + 2], 16) for i in (0, 2, 4))
    colours.add(want)
    if got != want:
        bad += 1
        if bad <= 3:
            print("cell at %s,%s: PNG %s, SVG %s" % (x, y, got, want))
assert len(colours) > 2, "too few distinct colours to tell hot from cold"
sys.exit(1 if bad else 0)
