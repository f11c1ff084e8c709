// SPDX-License-Identifier: GPL-2.0-only
#include <stdlib.h>
#include "idmap.h"
#include "util.h"

int fs_idmap__init(struct fs_idmap *m, uint64_t nr_slots)
{
	uint64_t n = 16;

	while (n < nr_slots)
		n <<= 1;
	m->keys = calloc(n, sizeof(*m->keys));
	m->ids = calloc(n, sizeof(*m->ids));
	m->nr_slots = n;
	m->count = 0;
	if (!m->keys || !m->ids) {
		fs_idmap__exit(m);
		return -1;
	}
	return 0;
}

void fs_idmap__exit(struct fs_idmap *m)
{
	free(m->keys);
	free(m->ids);
	m->keys = NULL;
	m->ids = NULL;
	m->nr_slots = m->count = 0;
}

uint32_t fs_idmap__get(const struct fs_idmap *m, uint64_t key)
{
	uint64_t mask = m->nr_slots - 1, i = fs_hash64(key) & mask;

	for (; m->ids[i]; i = (i + 1) & mask)
		if (m->keys[i] == key)
			return m->ids[i] - 1;
	return UINT32_MAX;
}

static void insert(uint64_t *keys, uint32_t *ids, uint64_t mask, uint64_t key, uint32_t id1)
{
	uint64_t i = fs_hash64(key) & mask;

	while (ids[i])
		i = (i + 1) & mask;
	keys[i] = key;
	ids[i] = id1;
}

static int grow(struct fs_idmap *m)
{
	uint64_t n = m->nr_slots * 2;
	uint64_t *keys = calloc(n, sizeof(*keys));
	uint32_t *ids = calloc(n, sizeof(*ids));

	if (!keys || !ids) {
		free(keys);
		free(ids);
		return -1;
	}
	for (uint64_t i = 0; i < m->nr_slots; i++)
		if (m->ids[i])
			insert(keys, ids, n - 1, m->keys[i], m->ids[i]);
	free(m->keys);
	free(m->ids);
	m->keys = keys;
	m->ids = ids;
	m->nr_slots = n;
	return 0;
}

int fs_idmap__put(struct fs_idmap *m, uint64_t key, uint32_t id)
{
	/* Keep the load under a half so probes stay short. */
	if ((m->count + 1) * 2 > m->nr_slots && grow(m))
		return -1;
	insert(m->keys, m->ids, m->nr_slots - 1, key, id + 1);
	m->count++;
	return 0;
}
