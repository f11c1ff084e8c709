/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * chaincache: raw callchain -> interned stack id. A callchain is the sequence
 * of (maps generation, ip) pairs the session hands out before resolving; the
 * same sequence always resolves to the same frames, so a repeated callchain
 * (most of them, in a profile) costs one hash and one compare instead of a
 * symbol lookup per frame. Keys are kept whole (no false hits) within a memory
 * budget; past it the cache starts over.
 */
#ifndef FS_CHAINCACHE_H
#define FS_CHAINCACHE_H

#include <stdint.h>

struct fs_chaincache;

struct fs_chaincache *fs_chaincache__new(uint64_t budget_bytes);
void fs_chaincache__delete(struct fs_chaincache *c);
/* The stack stored for key[0..n) (n u64 words), or UINT32_MAX. */
uint32_t fs_chaincache__get(struct fs_chaincache *c, const uint64_t *key, uint32_t n, uint64_t hash);
/* Remembers key -> stack; silently forgets everything when over budget or out of memory. */
void fs_chaincache__put(struct fs_chaincache *c, const uint64_t *key, uint32_t n, uint64_t hash,
			uint32_t stack);
uint64_t fs_chaincache__hash(const uint64_t *key, uint32_t n);

#endif
