/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * script internals shared by script.c (samples), script-fields.c (perf's
 * -F field lists and the checks perf makes of them against the file) and
 * script-events.c (the --show-*-events records). Not an API: only the
 * script module's own files include it.
 */
#ifndef FS_SCRIPT_INT_H
#define FS_SCRIPT_INT_H

#include <stdbool.h>
#include <stdint.h>
#include "script.h"

/* perf's output types: the attr types below PERF_TYPE_MAX, then these. */
#define FS_OUT_SYNTH	PERF_TYPE_MAX
#define FS_OUT_OTHER	(PERF_TYPE_MAX + 1)
#define FS_OUT_MAX	(PERF_TYPE_MAX + 2)
#define FS_PERF_TYPE_SYNTH	0x80000000u	/* perf's PERF_TYPE_SYNTH (INT_MAX + 1) */

/* The fields, numbered as perf's enum perf_output_field. */
enum {
	FS_F_COMM = 1ull << 0, FS_F_TID = 1ull << 1, FS_F_PID = 1ull << 2,
	FS_F_TIME = 1ull << 3, FS_F_CPU = 1ull << 4, FS_F_EVNAME = 1ull << 5,
	FS_F_TRACE = 1ull << 6, FS_F_IP = 1ull << 7, FS_F_SYM = 1ull << 8,
	FS_F_DSO = 1ull << 9, FS_F_ADDR = 1ull << 10, FS_F_SYMOFF = 1ull << 11,
	FS_F_SRCLINE = 1ull << 12, FS_F_PERIOD = 1ull << 13, FS_F_IREGS = 1ull << 14,
	FS_F_BRSTACK = 1ull << 15, FS_F_BRSTACKSYM = 1ull << 16, FS_F_DATA_SRC = 1ull << 17,
	FS_F_WEIGHT = 1ull << 18, FS_F_BPF_OUTPUT = 1ull << 19, FS_F_CALLINDENT = 1ull << 20,
	FS_F_INSN = 1ull << 21, FS_F_INSNLEN = 1ull << 22, FS_F_BRSTACKINSN = 1ull << 23,
	FS_F_BRSTACKOFF = 1ull << 24, FS_F_SYNTH = 1ull << 25, FS_F_PHYS_ADDR = 1ull << 26,
	FS_F_UREGS = 1ull << 27, FS_F_METRIC = 1ull << 28, FS_F_MISC = 1ull << 29,
	FS_F_SRCCODE = 1ull << 30, FS_F_IPC = 1ull << 31, FS_F_TOD = 1ull << 32,
	FS_F_DATA_PAGE_SIZE = 1ull << 33, FS_F_CODE_PAGE_SIZE = 1ull << 34,
	FS_F_INS_LAT = 1ull << 35, FS_F_BRSTACKINSNLEN = 1ull << 36,
	FS_F_MACHINE_PID = 1ull << 37, FS_F_VCPU = 1ull << 38,
};

/* perf's output[] table: one entry per output type. */
struct fs_script_fields {
	struct fs_out_type {
		bool user_set, wildcard_set;
		uint64_t fields, invalid, user_set_fields, user_unset_fields;
	} t[FS_OUT_MAX];
	bool print_flags;		/* "flags" is a global switch in perf, not a field */
};

/* perf's output_type(). */
static inline int fs_script__output_type(uint32_t type)
{
	if (type == FS_PERF_TYPE_SYNTH)
		return FS_OUT_SYNTH;
	return type < PERF_TYPE_MAX ? (int)type : FS_OUT_OTHER;
}

static inline bool fs_script__is_dummy(const struct perf_event_attr *a)
{
	return a->type == PERF_TYPE_SOFTWARE && a->config == PERF_COUNT_SW_DUMMY;
}

/*
 * What fs_script__settle() decides for a file: the fields of each output
 * type once perf_session__check_output_opt() (or, in pipe mode, perf's
 * process_attr() for each attr) has checked them against the attrs, and
 * whether callchains are printed at all.
 */
struct fs_script_settled {
	uint64_t fields[FS_OUT_MAX];
	bool print_flags;
	bool use_callchain;
	int bad_attr;			/* pipe mode: the attr perf refused while processing it, else -1 */
};

/*
 * 0 when perf prints the file with these fields; FS_SCRIPT_PERF_REFUSES
 * when perf refuses (err holds perf's text), -1 when perf would print
 * something we do not reproduce (err says what).
 */
int fs_script__settle(const struct fs_header *hdr, const struct fs_script_opts *opts,
		      struct fs_script_settled *out, struct fs_error *err);

/* perf_event__fprintf() of a COMM, FORK, EXIT, MMAP, MMAP2, SWITCH* or LOST record; -1 for others or when too short. */
int fs_script__record_text(const union perf_event *ev, char *buf, size_t size);
/* data_src__fprintf()'s text before padding (at most 99 bytes); its length. */
int fs_script__data_src_text(uint64_t data_src, char out[100]);
/* get_page_size_name() */
void fs_script__page_size_text(uint64_t size, char out[32]);
/* perf_reg_name() of an x86 register */
const char *fs_script__reg_name(int id);

#endif
