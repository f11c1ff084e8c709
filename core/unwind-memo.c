// SPDX-License-Identifier: GPL-2.0-only
/*
 * The unwind memo (unwind-memo.h): records in one arena of 64-bit words,
 * chained per key (most recently found first) from an open-addressing table of keys. A
 * key gathers the records of many stack depths and call paths; a replay
 * usually fails at its first differing read, so walking a chain is cheap.
 * Memory is bounded: past MEMO_BUDGET the memo starts over.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "unwind-memo.h"
#include "util.h"

#define MEMO_BITS	16
#define MEMO_PROBE	8
#define MAX_CHAIN	256		/* records tried per key */
#define MEMO_BUDGET	(64u << 20)	/* arena bytes */
#define MAX_READS	4096
#define NEAR		(1u << 20)	/* reads this close to the stack's map pin a record to its SP */

/* A read's place: kind, then a register id or an offset from SP, and flags. */
#define PLACE_COPY	(0ULL << 62)	/* the stack copy at SP + off */
#define PLACE_REG	(1ULL << 62)	/* register id */
#define PLACE_MEM	(2ULL << 62)	/* beyond the copy, in the stack's map, at SP + off */
#define PLACE_KIND	(3ULL << 62)
#define PLACE_REL	(1ULL << 61)	/* the value pointed into the stack's map: kept as value - SP */

/* Record header words. */
enum { R_NEXT, R_GEN, R_IP, R_SP, R_SIZE, R_MASK, R_MAX_RESULT, R_NR_SHIFT, R_WORDS };

struct slot {
	uint64_t hash;
	uint64_t off;			/* the newest record + 1 into the arena; 0: empty */
};

struct fs_unwind_memo {
	struct slot *table;		/* 1 << MEMO_BITS */
	uint64_t *arena;
	uint64_t len, alloc;		/* words */
	/* the unwind being recorded */
	struct fs_memo_sample cur;
	uint64_t *reads;		/* place, value pairs */
	uint32_t nr_reads;
	bool recording, shift, broken;
	uint64_t hits, misses;
};

/* One step of the key's hash: util.h's mix of the state and a word. */
static uint64_t mix(uint64_t h, uint64_t w)
{
	return fs_hash64_2(h, w);
}

/* Shift records are found without their SP, the others with it. */
static uint64_t key_hash(const struct fs_memo_sample *s, bool shift)
{
	uint64_t h = mix(0x243f6a8885a308d3ULL, s->gen);

	h = mix(h, s->ip);
	h = mix(h, s->size);
	h = mix(h, s->mask);
	h = mix(h, (uint64_t)(uint32_t)s->max << 1 | shift);
	return shift ? h : mix(h, s->sp);
}

struct fs_unwind_memo *fs_unwind_memo__new(void)
{
	struct fs_unwind_memo *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->table = calloc(1u << MEMO_BITS, sizeof(*m->table));
	m->reads = malloc(2 * MAX_READS * sizeof(*m->reads));
	if (!m->table || !m->reads) {
		fs_unwind_memo__delete(m);
		return NULL;
	}
	return m;
}

void fs_unwind_memo__delete(struct fs_unwind_memo *m)
{
	if (!m)
		return;
	free(m->table);
	free(m->arena);
	free(m->reads);
	free(m);
}

/* Whether s reads, at the record's places moved by s's SP, the record's values. */
static bool replay(const struct fs_memo_sample *s, const uint64_t *reads, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		uint64_t place = reads[2 * i], want = reads[2 * i + 1], v;
		int64_t off = (int32_t)(uint32_t)place;

		if (place & PLACE_REL)
			want += s->sp;
		switch (place & PLACE_KIND) {
		case PLACE_COPY:
			/* the record's SP had the same copy size: the word is inside, checked anyway */
			if (off < 0 || (uint64_t)off + 8 >= s->size)
				return false;
			memcpy(&v, s->stack + off, 8);
			break;
		case PLACE_REG:
			if (s->reg(s->arg, (int)(place & 63), &v))
				return false;
			break;
		case PLACE_MEM:
			if (s->mem(s->arg, s->sp + (uint64_t)off, &v) != (int8_t)(place >> 32))
				return false;
			break;
		default:
			return false;
		}
		if (v != want)
			return false;
	}
	return true;
}

/* The table slot of hash h: its own, a free one to take, or NULL when the window is full. */
static struct slot *slot_of(struct fs_unwind_memo *m, uint64_t h, bool take)
{
	uint64_t base = h >> (64 - MEMO_BITS);
	struct slot *free_slot = NULL;

	for (int p = 0; p < MEMO_PROBE; p++) {
		struct slot *sl = &m->table[(base + p) & ((1u << MEMO_BITS) - 1)];

		if (sl->off && sl->hash == h)
			return sl;
		if (!sl->off && !free_slot)
			free_slot = sl;
	}
	return take ? free_slot : NULL;
}

/*
 * A record found moves to the front of its chain: samples come in runs of
 * the same few call paths, so the next one most likely repeats it (on the
 * dwarf benchmark, 15 records tried per sample before, 4 after). Any record
 * that replays gives the same frames, so the order is free.
 */
static int probe(struct fs_unwind_memo *m, const struct fs_memo_sample *s, bool shift,
		 uint64_t *ips)
{
	struct slot *sl = slot_of(m, key_hash(s, shift), false);
	uint64_t off = sl ? sl->off : 0, *prev = NULL;

	for (int tries = 0; off && tries < MAX_CHAIN; tries++, prev = m->arena + off - 1,
	     off = prev[R_NEXT]) {
		uint64_t *r = m->arena + off - 1;
		uint32_t nr = (uint32_t)r[R_NR_SHIFT];
		int32_t result;

		if (r[R_GEN] != s->gen || r[R_IP] != s->ip || r[R_SIZE] != s->size ||
		    r[R_MASK] != s->mask || (int32_t)(r[R_MAX_RESULT] >> 32) != s->max ||
		    (bool)(r[R_NR_SHIFT] >> 32) != shift || (!shift && r[R_SP] != s->sp))
			continue;
		if (!replay(s, r + R_WORDS, nr))
			continue;
		result = (int32_t)(uint32_t)r[R_MAX_RESULT];
		if (result > 0)
			memcpy(ips, r + R_WORDS + 2 * nr, result * sizeof(*ips));
		if (prev) {
			prev[R_NEXT] = r[R_NEXT];
			r[R_NEXT] = sl->off;
			sl->off = off;
		}
		m->hits++;
		return result;
	}
	return -2;
}

int fs_unwind_memo__find(struct fs_unwind_memo *m, const struct fs_memo_sample *s, uint64_t *ips)
{
	int n = probe(m, s, true, ips);

	return n != -2 ? n : probe(m, s, false, ips);
}

void fs_unwind_memo__begin(struct fs_unwind_memo *m, const struct fs_memo_sample *s)
{
	m->misses++;
	m->cur = *s;
	m->nr_reads = 0;
	m->recording = true;
	m->broken = false;
	m->shift = s->map_lo < s->map_hi;
}

static bool in_map(const struct fs_unwind_memo *m, uint64_t v)
{
	return v >= m->cur.map_lo && v < m->cur.map_hi;
}

static void add(struct fs_unwind_memo *m, uint64_t place, uint64_t val)
{
	if (!m->recording || m->broken)
		return;
	if (m->nr_reads == MAX_READS) {
		m->broken = true;
		return;
	}
	if (in_map(m, val)) {
		place |= PLACE_REL;
		val -= m->cur.sp;
	}
	m->reads[2 * m->nr_reads] = place;
	m->reads[2 * m->nr_reads + 1] = val;
	m->nr_reads++;
}

void fs_unwind_memo__reg(struct fs_unwind_memo *m, int id, uint64_t val)
{
	add(m, PLACE_REG | (uint64_t)(id & 63), val);
}

void fs_unwind_memo__stack(struct fs_unwind_memo *m, uint64_t addr, uint64_t val)
{
	add(m, PLACE_COPY | (uint32_t)(addr - m->cur.sp), val);
}

void fs_unwind_memo__mem(struct fs_unwind_memo *m, uint64_t addr, int ret, uint64_t val)
{
	int64_t off = (int64_t)(addr - m->cur.sp);

	if (!m->recording)
		return;
	if (!in_map(m, addr)) {
		/* a file's bytes, the same for every sample of these maps; near the stack, maybe not */
		if (addr + NEAR >= m->cur.map_lo && addr < m->cur.map_hi + NEAR)
			m->shift = false;
		return;
	}
	if (off != (int32_t)off || ret != (int8_t)ret) {
		m->broken = true;
		return;
	}
	add(m, PLACE_MEM | (uint64_t)(uint8_t)ret << 32 | (uint32_t)off, val);
}

static uint64_t *arena_take(struct fs_unwind_memo *m, uint64_t words)
{
	if (m->len + words > m->alloc) {
		uint64_t n = m->alloc ? m->alloc * 2 : 1 << 16;
		uint64_t *a;

		while (n < m->len + words)
			n *= 2;
		if (n * 8 > MEMO_BUDGET) {	/* start over */
			memset(m->table, 0, sizeof(*m->table) << MEMO_BITS);
			m->len = 0;
			if (words > m->alloc)
				return NULL;
		} else {
			a = realloc(m->arena, n * 8);
			if (!a)
				return NULL;
			m->arena = a;
			m->alloc = n;
		}
	}
	m->len += words;
	return m->arena + m->len - words;
}

void fs_unwind_memo__end(struct fs_unwind_memo *m, int result, const uint64_t *ips)
{
	const struct fs_memo_sample *s = &m->cur;
	uint64_t words, h, *r;
	struct slot *sl;
	int nips = result > 0 ? result : 0;

	if (!m->recording)
		return;
	m->recording = false;
	if (m->broken)
		return;
	for (int i = 0; i < nips; i++)
		if (in_map(m, ips[i]))
			m->shift = false;	/* frames in the stack move with it: not for shifting */
	words = R_WORDS + 2 * (uint64_t)m->nr_reads + nips;
	r = arena_take(m, words);
	h = key_hash(s, m->shift);
	sl = slot_of(m, h, true);
	if (!r || !sl)
		return;	/* out of memory, or the window is full of other keys */
	r[R_NEXT] = sl->off;
	r[R_GEN] = s->gen;
	r[R_IP] = s->ip;
	r[R_SP] = s->sp;
	r[R_SIZE] = s->size;
	r[R_MASK] = s->mask;
	r[R_MAX_RESULT] = (uint64_t)(uint32_t)s->max << 32 | (uint32_t)result;
	r[R_NR_SHIFT] = (uint64_t)m->shift << 32 | m->nr_reads;
	memcpy(r + R_WORDS, m->reads, 2 * m->nr_reads * sizeof(*r));
	if (nips)
		memcpy(r + R_WORDS + 2 * m->nr_reads, ips, nips * sizeof(*r));
	sl->hash = h;
	sl->off = (uint64_t)(r - m->arena) + 1;
}

void fs_unwind_memo__stats(const struct fs_unwind_memo *m, uint64_t *hits, uint64_t *misses)
{
	*hits = m->hits;
	*misses = m->misses;
}
