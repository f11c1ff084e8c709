#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
# png_cells.py HEAT.png HEAT.svg: decodes the PNG (zlib and PNG filters, no libraries)
# and checks that the centre pixel of every heat-map cell has the colour the SVG gives
# that cell, so the PNG shows the same numbers as the SVG (whose cells the tests check
# against the JSON). Exit 1 with the first mismatches.
import re, struct, sys, zlib

def decode(path):
    data = open(path, "rb").read()
    pos, idat, ihdr = 8, b"", None
    while pos + 8 <= len(data):
        n, typ = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if typ == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif typ == b"IDAT":
            idat += body
        elif typ == b"IEND":
            break
        pos += 12 + n
    w, h, depth, ctype = ihdr[:4]
    assert depth == 8 and ctype in (2, 6), "8-bit RGB(A) expected"
    bpp = 3 if ctype == 2 else 4
    stride = w * bpp
    raw = zlib.decompress(idat)
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        cur = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = cur[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1: cur[i] = (cur[i] + a) & 255
            elif f == 2: cur[i] = (cur[i] + b) & 255
            elif f == 3: cur[i] = (cur[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                cur[i] = (cur[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(cur)
        prev = cur
    return w, h, bpp, rows

# SVG cells: <rect x y width height fill="#rrggbb"><title>...</title>, the first rect is the background.
svg = open(sys.argv[2]).read()
cells = re.findall(r'<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" fill="#([0-9a-f]{6})"><title>', svg)
w, h, bpp, rows = decode(sys.argv[1])
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
