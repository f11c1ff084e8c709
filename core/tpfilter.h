/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tpfilter: tracepoint filters ("prev_state==D && prev_pid>0"), in
 * libtraceevent's filter syntax, parsed by a grammar of our own and
 * evaluated here (libtraceevent's filter parser crashes on malformed input
 * and keeps global state). Anything outside the grammar is refused with
 * the column where it goes wrong.
 *
 *	filter = or
 *	or     = and { "||" and }			(&& binds tighter, as in C
 *	and    = unary { "&&" unary }			 and the kernel's filters)
 *	unary  = "!" unary | "(" or ")" | test
 *	test   = NAME [ ("==" | "!=" | "<" | "<=" | ">" | ">=") value
 *		      | ("=~" | "!~") STRING | "&" value ]
 *	value  = NUMBER | "-" NUMBER | STRING | CHAR | NAME
 *
 * NAME is a field of the event, COMM (the saved cmdlines' comm of
 * common_pid) or CPU; a NAME alone is true when the field is not 0, "&"
 * when it shares a bit with the value. NUMBER is decimal, 0x hex or 0
 * octal, at most 2^64-1 ("-" only for signed fields, compared as signed).
 * STRING is "..." or '...' (a backslash keeps the next character in it,
 * both kept, as libtraceevent keeps them: regexes need them); a one-character
 * '...' is that character's code. Strings compare with string fields and
 * COMM: == and != exactly, =~ and !~ as POSIX basic regexes, ignoring case
 * (back-references refused: they can take exponential time). A NAME value is
 * a name the event's print format gives the field's values (prev_state's
 * "D" is 2). Nesting is at most 64 deep, an expression at most 4096 bytes.
 */
#ifndef FS_TPFILTER_H
#define FS_TPFILTER_H

#include <stdbool.h>
#include <stdint.h>
#include "error.h"
#include "tracepoint.h"

#define FS_TP_FILTER_MAX_LEN	4096
#define FS_TP_FILTER_MAX_DEPTH	64

struct fs_tp_filter;

/* expr compiled for ev (tp gives COMM's names); NULL + err naming the column. */
struct fs_tp_filter *fs_tp_filter__new(const struct fs_tracepoints *tp, const struct fs_tp_event *ev,
				       const char *expr, struct fs_error *err);
/* Does the payload match? A payload too short for ev's fields never does. */
bool fs_tp_filter__match(struct fs_tp_filter *f, int cpu, const void *raw, uint32_t raw_size);
void fs_tp_filter__delete(struct fs_tp_filter *f);
/* The grammar alone, before any event is known: 0, or -1 + err naming the column. */
int fs_tp_filter__check(const char *expr, struct fs_error *err);

#endif
