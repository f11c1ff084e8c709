/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * unwind-memo (internal to unwind.c): whole unwinds remembered by the
 * values they read, so a sample that would read the same values gets the
 * same frames without running libunwind again.
 *
 * An unwind is a function of the process's maps (their files never change
 * under us), the sample's IP and stack size, and the values libunwind reads:
 * registers, words of the stack copy, and memory beyond the copy inside the
 * stack's map; every other read is of a file, at an address following from
 * earlier values. A record keeps those reads in order; replaying it on a
 * sample checks each place holds the value read before, the first
 * difference (which could change later addresses) ending the check.
 *
 * Stacks move: the same call path runs at another depth or in another
 * thread. libunwind's arithmetic on stack addresses is a shift (CFA =
 * register + offset, saved registers at CFA - offset), so a record also
 * matches a sample whose SP is d bytes away when every stack place is d bytes
 * away too and every value that pointed into the stack's map points d bytes
 * further, all other values being equal. Records whose reads come near the
 * map without being in it, or whose frames point into it, only match their
 * own SP.
 *
 *	n = fs_unwind_memo__find(m, &s, ips);		-2: not known
 *	fs_unwind_memo__begin(m, &s); ... reads ...; fs_unwind_memo__end(m, n, ips);
 */
#ifndef FS_UNWIND_MEMO_H
#define FS_UNWIND_MEMO_H

#include <stdint.h>

/* A sample as the memo reads it. */
struct fs_memo_sample {
	uint64_t gen;			/* the process's maps version */
	uint64_t ip, sp, size, mask;	/* size: bytes of the stack copy from sp */
	int max;
	uint64_t map_lo, map_hi;	/* the map holding sp; lo == hi: none */
	const uint8_t *stack;
	int (*reg)(void *arg, int id, uint64_t *val);		/* 0, or an error */
	int (*mem)(void *arg, uint64_t addr, uint64_t *val);	/* a read beyond the copy: its return code */
	void *arg;
};

struct fs_unwind_memo;

struct fs_unwind_memo *fs_unwind_memo__new(void);
void fs_unwind_memo__delete(struct fs_unwind_memo *m);
/* The frames of a remembered unwind s repeats: their count (-1: the unwind failed), or -2. */
int fs_unwind_memo__find(struct fs_unwind_memo *m, const struct fs_memo_sample *s, uint64_t *ips);
/* Records the unwind of s about to run; then each read, then its result. */
void fs_unwind_memo__begin(struct fs_unwind_memo *m, const struct fs_memo_sample *s);
void fs_unwind_memo__reg(struct fs_unwind_memo *m, int id, uint64_t val);
void fs_unwind_memo__stack(struct fs_unwind_memo *m, uint64_t addr, uint64_t val);
void fs_unwind_memo__mem(struct fs_unwind_memo *m, uint64_t addr, int ret, uint64_t val);
void fs_unwind_memo__end(struct fs_unwind_memo *m, int result, const uint64_t *ips);
/* Samples found (hits) and recorded (misses). */
void fs_unwind_memo__stats(const struct fs_unwind_memo *m, uint64_t *hits, uint64_t *misses);

#endif
