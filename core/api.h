/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * api: FS_API marks a function libflamescope.so exports (as libperf's
 * LIBPERF_API). The library is built with -fvisibility=hidden, so nothing
 * else leaves it: every function an installed header declares carries
 * FS_API, and core/libflamescope.map lists the same names under the
 * library's version. Internal declarations live in headers that are not
 * installed (NAME-int.h, or a module no user needs).
 */
#ifndef FS_API_H
#define FS_API_H

#define FS_API	__attribute__((visibility("default")))

#endif
