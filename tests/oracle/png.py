#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
# png.py FILE WIDTH [HEIGHT]: exits 0 when FILE is a valid PNG (signature, chunk CRCs,
# IHDR, IEND, IDAT inflating to the right size with valid filter types) of that size.
# Imported, read(path) gives its pixels, decoded with zlib alone (no image library),
# so the tests check our PNG writer against an independent reader.
import struct, sys, zlib

CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def chunks(path):
    """(width, height, depth, colour type, interlace, inflated image data)."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit("no PNG signature")
    pos, idat, ihdr, end = 8, b"", None, False
    while pos + 8 <= len(data):
        n, typ = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        crc, = struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])
        if zlib.crc32(typ + body) != crc:
            sys.exit("bad CRC in %r" % typ)
        if typ == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif typ == b"IDAT":
            idat += body
        elif typ == b"IEND":
            end = True
            break
        pos += 12 + n
    if not ihdr or not end:
        sys.exit("missing IHDR or IEND")
    w, h, depth, ctype, _, _, interlace = ihdr
    raw = zlib.decompress(idat)
    stride = (w * CHANNELS[ctype] * depth + 7) // 8
    if not interlace:
        if len(raw) != h * (stride + 1):
            sys.exit("image data %d bytes, expected %d" % (len(raw), h * (stride + 1)))
        if any(raw[y * (stride + 1)] > 4 for y in range(h)):
            sys.exit("bad filter type")
    return w, h, depth, ctype, interlace, raw


def read(path):
    """(width, height, bytes per pixel, rows): 8-bit RGB or RGBA, unfiltered."""
    w, h, depth, ctype, interlace, raw = chunks(path)
    assert depth == 8 and ctype in (2, 6) and not interlace, "8-bit RGB(A) expected"
    bpp = CHANNELS[ctype]
    stride = w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        cur = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = cur[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                cur[i] = (cur[i] + a) & 255
            elif f == 2:
                cur[i] = (cur[i] + b) & 255
            elif f == 3:
                cur[i] = (cur[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                cur[i] = (cur[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(cur)
        prev = cur
    return w, h, bpp, rows


if __name__ == "__main__":
    w, h = chunks(sys.argv[1])[:2]
    want_h = int(sys.argv[3]) if len(sys.argv) > 3 else None
    if w != int(sys.argv[2]) or h <= 0 or (want_h is not None and h != want_h):
        sys.exit("%dx%d, expected %sx%s" % (w, h, sys.argv[2], want_h or "any"))
