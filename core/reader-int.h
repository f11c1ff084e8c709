/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * reader internals shared by reader.c (walk, queue, pipe, zstd), header.c
 * (file header, attrs, feature sections) and sample.c (sample layouts).
 * Not an API: only the reader's own files include it.
 */
#ifndef FS_READER_INT_H
#define FS_READER_INT_H

#include <stddef.h>
#include "reader.h"

/* Where an evsel keeps its sample id, as perf's evsel id_pos / is_pos. */
int fs_sample__id_pos(uint64_t sample_type);
int fs_sample__is_pos(uint64_t sample_type);
/* Bytes of the fixed part of a sample (perf's sample_size), for a quick size check. */
size_t fs_sample__min_size(uint64_t sample_type);
/*
 * The timestamp perf orders a kernel record by: 0 with *ts = -1 when the
 * record carries none, -1 when the record is too small for its layout.
 */
int fs_evsel__sample_time(const struct fs_evsel *evsel, const union perf_event *event,
			  uint64_t *ts);

/* header.c: feature payloads (file sections and pipe-mode HEADER_FEATURE). */
int fs_header__feature(struct fs_header *h, unsigned int feat, const uint8_t *p, uint64_t size,
		       const char *path, uint64_t offset, struct fs_error *err);
/* Adds an attr (with its ids); evsels may move. */
int fs_header__add_attr(struct fs_header *h, const void *attr, uint64_t attr_bytes,
			const uint64_t *ids, uint64_t nr_ids);
/* Names evsels EVENT_DESC left unnamed as perf does ("cycles", "cpu-clock:u", ...). */
int fs_header__default_names(struct fs_header *h);
int fs_header__event_update(struct fs_header *h, const union perf_event *ev);
void fs_header__free(struct fs_header *h);

#endif
