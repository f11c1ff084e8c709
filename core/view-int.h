/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * view internals: the flame index the report writer (report.c) builds with
 * the folding's rules (fold.c). Not an API.
 */
#ifndef FS_VIEW_INT_H
#define FS_VIEW_INT_H

#include <stdint.h>
#include "view.h"

/*
 * A flame tree holding the stacks of the samples want[] marks (every sample
 * when want is NULL), and where each sample lands in it, so that adding a
 * range's weights into their nodes gives what fs_flame__from_profile() builds
 * for that range. Samples are keyed by what the folding aggregates by, their
 * (root, stack) pair: sample_key[i] for p->samples[i] (FS_FLAME_NO_KEY when
 * not wanted or when stackcollapse-perf.pl drops the sample), key_node[k] the
 * node of key k. Values stay 0; children are sorted by name.
 */
struct fs_flame_index {
	struct fs_flame *flame;
	uint32_t *key_node;
	uint32_t nr_keys;
	uint32_t *sample_key;
};

#define FS_FLAME_NO_KEY		UINT32_MAX

int fs_flame_index__build(struct fs_flame_index *ix, const struct fs_profile *p, const struct fs_fold_opts *fo,
			  const uint8_t *want, struct fs_error *err);
void fs_flame_index__exit(struct fs_flame_index *ix);

#endif
