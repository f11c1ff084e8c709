/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * error: how libflamescope reports failure. Functions that can fail take a
 * struct fs_error * and return -1 (or NULL) after filling in one line the
 * caller prints as is, e.g. "perf.data: record at offset 0x1a8 has size 0".
 * The library never prints and never exits.
 */
#ifndef FS_ERROR_H
#define FS_ERROR_H

#include "api.h"

struct fs_error {
	char msg[512];
};

/* Formats the message into err (which may be NULL) and returns -1. */
FS_API int fs_error__set(struct fs_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Warnings: what a user should know although the results are right as far
 * as they go (lost samples, records of unknown type, a dso without
 * symbols). The library calls warn(arg, msg) with one line (no newline) and
 * never prints; a command prints each distinct warning once, and none with
 * --quiet. Where a result would be wrong, the library returns an error.
 */
typedef void fs_warn_fn(void *arg, const char *msg);

#endif
