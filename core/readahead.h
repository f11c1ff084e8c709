/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * readahead: a file-mode reader in a second thread. It walks the records
 * (fs_reader__next(): reading, inflating, ordering, parsing samples) ahead
 * of its caller and hands them over in batches, copied, so the caller's
 * work (symbolizing, formatting) overlaps the reading: the same records in
 * the same order as fs_reader__next() gives, the same error (with file and
 * offset) after the same records.
 *
 *	ra = fs_readahead__new(r, &err);
 *	while ((ret = fs_readahead__next(ra, &ev, &err)) > 0)
 *		... ev points to what fs_reader__next() would give, valid until the next call ...
 *	fs_readahead__delete(ra);	(stops and joins the thread, at any point)
 *
 * While it runs, the thread owns the reader: the caller may read the
 * header (not in pipe mode, where attr records change it: refused) and the
 * reader's path, and the rest (fs_reader__note(), stats) once
 * fs_readahead__next() has returned 0 or -1. Memory: a few batches of
 * copied records (FS_READAHEAD_BYTES in all).
 */
#ifndef FS_READAHEAD_H
#define FS_READAHEAD_H

#include "reader.h"

#define FS_READAHEAD_BYTES	(7u << 20)

struct fs_readahead;

/* NULL + err when out of memory, the thread cannot start, or the reader is in pipe mode. */
struct fs_readahead *fs_readahead__new(struct fs_reader *r, struct fs_error *err);
/* fs_reader__next()'s answer: 1 and the next record (not copied: a pointer), 0 at the end, -1 and err. */
int fs_readahead__next(struct fs_readahead *ra, const struct fs_event **ev, struct fs_error *err);
void fs_readahead__delete(struct fs_readahead *ra);

#endif
