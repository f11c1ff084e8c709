#!/usr/bin/env python3
# retrace.py IN OUT EVENT 'PRINT FMT'
# Copies perf.data IN to OUT with the print format of tracepoint EVENT
# (its "name:" in the tracing data, e.g. sched_switch) replaced: the new
# tracing data goes at the end of OUT and its feature-table entry points
# there (perf reads sections wherever the table says). A hostile format is
# how tests reach libtraceevent's crashes without a hand-made file.
import struct
import sys


def main():
    src, dst, event, fmt = sys.argv[1:5]
    data = bytearray(open(src, 'rb').read())
    magic, hsize, attr_size = struct.unpack_from('<8sQQ', data, 0)
    assert magic == b'PERFILE2', 'not a PERFILE2 file'
    data_off, data_size = struct.unpack_from('<QQ', data, 40)
    feats = int.from_bytes(data[72:104], 'little')
    assert feats & 2, 'no HEADER_TRACING_DATA'
    table = data_off + data_size      # the first entry is bit 1's (bit 0 is reserved)
    entry = table + 16 * bin(feats & 1).count('1')
    off, size = struct.unpack_from('<QQ', data, entry)
    td = bytes(data[off:off + size])

    p = 10
    p = td.index(b'\0', p) + 1        # version
    p += 2 + 4                        # endian, long size, page size
    p += 12
    n, = struct.unpack_from('<Q', td, p)
    p += 8 + n                        # header_page
    p += 13
    n, = struct.unpack_from('<Q', td, p)
    p += 8 + n                        # header_event
    out = bytearray(td[:p])
    found = False

    def fmt_file(p):
        nonlocal found
        n, = struct.unpack_from('<Q', td, p)
        text = td[p + 8:p + 8 + n]
        if text.startswith(b'name: ' + event.encode() + b'\n'):
            text = text[:text.index(b'\nprint fmt: ') + 12] + fmt.encode() + b'\n'
            found = True
        out.extend(struct.pack('<Q', len(text)) + text)
        return p + 8 + n

    count, = struct.unpack_from('<I', td, p)
    out.extend(td[p:p + 4])
    p += 4
    for _ in range(count):
        p = fmt_file(p)
    systems, = struct.unpack_from('<I', td, p)
    out.extend(td[p:p + 4])
    p += 4
    for _ in range(systems):
        e = td.index(b'\0', p) + 1
        count, = struct.unpack_from('<I', td, e)
        out.extend(td[p:e + 4])
        p = e + 4
        for _ in range(count):
            p = fmt_file(p)
    out.extend(td[p:])
    assert found, 'no event ' + event
    struct.pack_into('<QQ', data, entry, len(data), len(out))
    data.extend(out)
    open(dst, 'wb').write(data)


main()
