/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pdwrite: writes records as a perf.data file (PERFILE2, file mode), laid
 * out as perf record lays it out (tools/perf/Documentation/
 * perf.data-file-format.txt): the header, each evsel's (empty) id array and
 * attr, the data section, then the feature table and features: HOSTNAME,
 * OSRELEASE, VERSION, ARCH, NRCPUS, TOTAL_MEM, CMDLINE, EVENT_DESC (names),
 * BUILD_ID (the running kernel's, and each file an MMAP/MMAP2 maps, read
 * from the files now), SAMPLE_TIME and, for CLOCK_MONOTONIC attrs, CLOCKID.
 *
 *	struct fs_pdwriter *w = fs_pdwriter__new(f, hdr, argv, argc, &err);
 *	fs_pdwriter__add(w, ev);	each record, in time order
 *	fs_pdwriter__finish(w, &err);	features, header; frees w
 *
 * f must be seekable (a regular file: the header is written last). Records
 * are written as given; the caller renames the file into place on success.
 */
#ifndef FS_PDWRITE_H
#define FS_PDWRITE_H

#include <stdio.h>
#include <perf/event.h>
#include "error.h"
#include "reader.h"

struct fs_pdwriter;

/* hdr: the evsels (attrs, names) of the records to come; cmdline may be NULL. */
struct fs_pdwriter *fs_pdwriter__new(FILE *f, const struct fs_header *hdr,
				     const char *const *cmdline, int nr_cmdline, struct fs_error *err);
int fs_pdwriter__add(struct fs_pdwriter *w, const union perf_event *ev, struct fs_error *err);
/* Writes the features and the header, frees w (also after an error). */
int fs_pdwriter__finish(struct fs_pdwriter *w, struct fs_error *err);

#endif
