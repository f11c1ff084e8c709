/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * util: the few helpers every module of the library uses, in one place (as
 * git-compat-util.h): array sizes, growing arrays, one stable sort, one hash
 * mix, perf's stack depth. Internal: not installed, nothing here is exported.
 */
#ifndef FS_UTIL_H
#define FS_UTIL_H

#include <stddef.h>
#include <stdint.h>

#ifndef ARRAY_SIZE		/* libiberty.h has the same one */
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/* perf's default --max-stack (PERF_MAX_STACK_DEPTH): frames kept per stack. */
#define FS_MAX_STACK	127

/*
 * Makes room for need elements in arr (alloc of them allocated, a size_t),
 * doubling from 16; 0, or -1 when out of memory or the size would overflow
 * (arr and alloc unchanged then, so the caller can report and clean up).
 *
 *	if (FS_GROW(t->v, t->alloc, t->n + 1))
 *		return fs_error__set(err, "out of memory");
 */
#define FS_GROW(arr, alloc, need)	fs_grow(&(arr), &(alloc), (need), sizeof(*(arr)))

int fs_grow_alloc(void *arrp, size_t *alloc, size_t need, size_t size);

static inline int fs_grow(void *arrp, size_t *alloc, size_t need, size_t size)
{
	return need <= *alloc ? 0 : fs_grow_alloc(arrp, alloc, need, size);
}

/*
 * A 64-bit key mixed so every bit of the result depends on every bit of the
 * key (murmur3's fmix64): hash tables take its low bits with a mask, or its
 * high bits with a shift. Two words (a generation and an address) are
 * combined first with a multiply that spreads the first over the high bits.
 */
static inline uint64_t fs_hash64(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	k *= 0xc4ceb9fe1a85ec53ULL;
	k ^= k >> 33;
	return k;
}

static inline uint64_t fs_hash64_2(uint64_t a, uint64_t b)
{
	return fs_hash64(b ^ a * 0x9e3779b97f4a7c15ULL);
}

/*
 * FS_DEFINE_STABLE_SORT(name, type, before): the one stable sort, defined
 * per element type so the comparison inlines:
 *
 *	static void name(type *v, size_t n, type *tmp, const void *ctx);
 *		sorts v[0..n); tmp has room for n / 2 + 1 elements
 *	static void name##_merge(type *v, size_t mid, size_t n, type *tmp, const void *ctx);
 *		merges the sorted runs v[0..mid) and v[mid..n); tmp has room for mid
 *
 * before(ctx, a, b) (pointers to elements) is true when *a must come first;
 * equal elements keep their order. A merge sort (insertion sort on short
 * runs): data already in order costs one comparison per run.
 */
#define FS_DEFINE_STABLE_SORT(name, type, before)					\
static inline void name##_merge(type *v, size_t mid, size_t n, type *tmp,		\
				const void *ctx)					\
{											\
	size_t i = 0, j = mid, k = 0;							\
											\
	(void)ctx;									\
	if (!mid || mid == n || !(before(ctx, &v[mid], &v[mid - 1])))			\
		return;									\
	for (size_t c = 0; c < mid; c++)						\
		tmp[c] = v[c];								\
	while (i < mid && j < n)							\
		v[k++] = before(ctx, &v[j], &tmp[i]) ? v[j++] : tmp[i++];		\
	while (i < mid)									\
		v[k++] = tmp[i++];							\
}											\
											\
static void name(type *v, size_t n, type *tmp, const void *ctx)			\
{											\
	size_t mid = n / 2;								\
											\
	if (n <= 16) {									\
		for (size_t i = 1; i < n; i++) {					\
			type t = v[i];							\
			size_t j = i;							\
											\
			for (; j && before(ctx, &t, &v[j - 1]); j--)			\
				v[j] = v[j - 1];					\
			v[j] = t;							\
		}									\
		return;									\
	}										\
	name(v, mid, tmp, ctx);								\
	name(v + mid, n - mid, tmp, ctx);						\
	name##_merge(v, mid, n, tmp, ctx);						\
}

#endif
