/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * list: the comma-separated lists perf's options take, one parser for the
 * commands and the script writer: numbers ("1,2,5", with "5-7" ranges where
 * allowed, as --cpu) and names ("bash,perf", as --comm).
 */
#ifndef FS_LIST_H
#define FS_LIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Numbers (decimal, a-b ranges with ranges) in [lo, hi] into *out, a
 * malloc'ed array of *nr (at least one). 0; -1 when malformed (or out of
 * memory); -2 when a value lies outside [lo, hi]: *bad is the first one, in
 * the order the list gives them.
 */
int fs_list__ints(const char *s, bool ranges, int64_t lo, int64_t hi, int64_t **out, size_t *nr,
		  int64_t *bad);
/*
 * Names, split at commas (empty ones dropped), into *out: one malloc'ed
 * block holding the *nr (at least one) pointers and the names, so free(*out)
 * frees everything. -1 when there is no name (or out of memory).
 */
int fs_list__strs(const char *s, char ***out, size_t *nr);

#endif
