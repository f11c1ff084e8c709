/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cmdline: the `flamescope flamegraph` command line a view was made with, so
 * a heat map or report can hand a person the command for a range. It carries
 * every option that selects or resolves samples, with absolute paths, so it
 * runs from any directory.
 */
#ifndef FS_CMDLINE_H
#define FS_CMDLINE_H

#include <stdbool.h>
#include <stdint.h>
#include "options.h"

struct cmdline {
	char **words;
	uint32_t nr, alloc;
};

/*
 * "flamescope" "flamegraph" "-i" INPUT and the sample options of c. With
 * picks, also those a report's page picks itself (--event, --pid, --tid,
 * --comm, --include-idle, --idle-rule, --weight). -1 when out of memory.
 */
int cmdline__init(struct cmdline *cl, const struct cli *c, bool picks);
/* One more word (copied); -1 when out of memory. */
int cmdline__add(struct cmdline *cl, const char *w);
void cmdline__exit(struct cmdline *cl);
/* The words quoted for a POSIX shell and joined by spaces (malloc'd; NULL when out of memory). */
char *cmdline__join(const struct cmdline *cl);

#endif
