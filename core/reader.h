/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * reader: perf.data -> records, in the order perf delivers them.
 *
 *	struct fs_reader *r = fs_reader__open("perf.data", &err);
 *	struct fs_event ev;
 *	while ((ret = fs_reader__next(r, &ev, &err)) > 0)
 *		... ev.event is the raw record, ev.sample its parsed sample fields ...
 *	fs_reader__close(r);
 *
 * File mode (PERFILE2) is mmapped; pipe mode ("-" for stdin, or a file that
 * holds `perf record -o -` output) is read in chunks. Records are delivered
 * as perf's ordered_events delivers them: user records (type >= 64) at once,
 * kernel records without a timestamp (or with time 0) at once, the rest queued
 * and flushed in stable timestamp order on FINISHED_ROUND (up to the largest
 * timestamp seen before the previous round), on a full queue (its older
 * half, see fs_reader__set_queue_max()) and at the end. COMPRESSED records
 * are inflated (zstd) and their records go through the same queue.
 *
 * ev->event points into the mapping or into a reader-owned buffer: valid until
 * the next fs_reader__next() call. Every size read from the file is checked;
 * a bad file gives -1 and a message naming the file, the problem and the offset.
 * Byte-swapped (other-endian) files are refused with a clear message.
 *
 * Every record is delivered, user records included (ATTR, FEATURE,
 * COMPRESSED before its inner records, FINISHED_ROUND right after the
 * records its flush releases); records of unknown type (>= HEADER_MAX) are
 * skipped and counted. Records perf left at odd offsets (after unpadded
 * COMPRESSED records) are copied so ev->event is always 8-byte aligned.
 * In pipe mode evsels may move while HEADER_ATTR records arrive (before the
 * first sample in perf's output). After -1, only fs_reader__close() is valid.
 */
#ifndef FS_READER_H
#define FS_READER_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/perf_event.h>
#include <perf/event.h>
#include "error.h"

/* Feature bits of fs_header.features, as perf's util/header.h numbers them. */
enum fs_feature {
	FS_FEAT_TRACING_DATA = 1, FS_FEAT_BUILD_ID, FS_FEAT_HOSTNAME, FS_FEAT_OSRELEASE,
	FS_FEAT_VERSION, FS_FEAT_ARCH, FS_FEAT_NRCPUS, FS_FEAT_CPUDESC, FS_FEAT_CPUID,
	FS_FEAT_TOTAL_MEM, FS_FEAT_CMDLINE, FS_FEAT_EVENT_DESC, FS_FEAT_CPU_TOPOLOGY,
	FS_FEAT_NUMA_TOPOLOGY, FS_FEAT_BRANCH_STACK, FS_FEAT_PMU_MAPPINGS, FS_FEAT_GROUP_DESC,
	FS_FEAT_AUXTRACE, FS_FEAT_STAT, FS_FEAT_CACHE, FS_FEAT_SAMPLE_TIME, FS_FEAT_MEM_TOPOLOGY,
	FS_FEAT_CLOCKID, FS_FEAT_DIR_FORMAT, FS_FEAT_BPF_PROG_INFO, FS_FEAT_BPF_BTF,
	FS_FEAT_COMPRESSED, FS_FEAT_CPU_PMU_CAPS, FS_FEAT_CLOCK_DATA, FS_FEAT_HYBRID_TOPOLOGY,
	FS_FEAT_PMU_CAPS, FS_FEAT_LAST
};

struct fs_evsel {
	struct perf_event_attr attr;	/* zero-extended to our sizeof */
	char *name;			/* EVENT_DESC name, else perf's default ("cpu-clock", "cycles", ...) */
	uint64_t *ids;
	uint32_t nr_ids;
	uint32_t idx;			/* position in the file's attr list */
	uint64_t nr_samples;		/* samples delivered so far */
	uint64_t nr_lost_samples;	/* addition: sum of LOST_SAMPLES.lost whose trailer id is ours */
};

struct fs_build_id {
	int32_t pid;
	uint16_t misc;			/* cpumode: kernel or user dso */
	uint8_t size;			/* bytes used in data[] */
	uint8_t data[20];
	char *filename;
};

/* What the header and its feature sections (or pipe-mode records) say. */
struct fs_header {
	bool pipe_mode;
	uint64_t file_size, data_offset, data_size;
	uint64_t features[4];		/* bit HEADER_* set when the section is present */
	char *hostname, *osrelease, *version, *arch, *cpudesc, *cpuid;
	char **cmdline;			/* HEADER_CMDLINE, nr_cmdline strings */
	uint32_t nr_cmdline;
	uint32_t nr_cpus_avail, nr_cpus_online;
	uint64_t total_mem;		/* kB */
	uint64_t first_sample_time, last_sample_time;	/* HEADER_SAMPLE_TIME, 0 if absent */
	uint64_t clockid_res_ns;	/* HEADER_CLOCKID */
	struct { uint32_t version, type, level, ratio; uint64_t mmap_len; } comp;
	struct fs_build_id *build_ids;
	uint32_t nr_build_ids;
	const void *tracing_data;	/* HEADER_TRACING_DATA / PERF_RECORD_HEADER_TRACING_DATA bytes */
	uint64_t tracing_data_size;
	struct fs_evsel *evsels;
	uint32_t nr_evsels;
	/* additions */
	uint32_t file_version;		/* 2 for PERFILE2 files, 0 in pipe mode */
	uint64_t attr_offset, feat_offset;	/* file mode */
	struct {			/* HEADER_CLOCK_DATA (perf record -k) */
		bool enabled;
		uint32_t clockid;
		uint64_t tod_ns, clockid_ns;	/* wall clock and clockid time at one instant */
	} clock;
};

static inline bool fs_header__has(const struct fs_header *h, unsigned int feat)
{
	return feat < 256 && (h->features[feat / 64] >> (feat % 64)) & 1;
}

/* A sample's fields (PERF_RECORD_SAMPLE), or a non-sample record's sample_id_all trailer. */
struct fs_sample {
	uint64_t ip, time, addr, id, stream_id, period, weight;
	uint64_t data_src, transaction, phys_addr, cgroup;
	uint32_t pid, tid, cpu;
	uint16_t cpumode;		/* header.misc & PERF_RECORD_MISC_CPUMODE_MASK */
	uint64_t nr_callchain;
	const uint64_t *callchain;	/* raw entries, PERF_CONTEXT_* markers included */
	uint32_t raw_size;
	const void *raw_data;		/* tracepoint payload */
	struct fs_evsel *evsel;		/* told apart by sample id; the only attr when there is one */
	/* additions: the remaining sample_type fields, pointing into the record */
	const uint64_t *read;		/* PERF_SAMPLE_READ block as the kernel lays it out */
	uint32_t read_words;		/* its length in u64 words */
	uint16_t ins_lat, p_stage_cyc;	/* PERF_SAMPLE_WEIGHT_STRUCT (weight = var1_dw) */
	uint64_t branch_nr, branch_hw_idx;	/* hw_idx: -1 unless BRANCH_HW_INDEX */
	const struct perf_branch_entry *branch_entries;
	uint64_t user_regs_abi, intr_regs_abi;	/* 0 (NONE): no registers follow */
	const uint64_t *user_regs, *intr_regs;	/* hweight64(sample_regs_*) words */
	uint32_t nr_user_regs, nr_intr_regs;
	uint64_t user_stack_size, user_stack_dyn_size;
	const void *user_stack;
	uint64_t data_page_size, code_page_size;
	uint64_t aux_size;
	const void *aux_data;
};

struct fs_event {
	const union perf_event *event;
	uint64_t file_offset;		/* of the record (of the COMPRESSED record holding it) */
	bool has_sample;		/* sample parsed (samples, and records with sample_id_all) */
	struct fs_sample sample;	/* time = (uint64_t)-1 when the record carries none */
};

struct fs_reader_stats {
	uint64_t nr_records[PERF_RECORD_HEADER_MAX];	/* by type, inner records of COMPRESSED included */
	uint64_t nr_unknown;		/* records of unknown type, skipped by their size */
	uint64_t nr_lost;		/* sum of PERF_RECORD_LOST.lost */
	uint64_t nr_lost_samples;	/* sum of PERF_RECORD_LOST_SAMPLES.lost */
	uint64_t nr_samples;
	uint64_t nr_unordered;		/* queued below the last flush, as perf counts them */
	uint64_t first_sample_time, last_sample_time;	/* over delivered samples */
	uint64_t bytes_read;		/* of the data section so far, for progress */
	/* additions */
	uint64_t nr_unknown_id;		/* samples/trailers whose id matches no attr: delivered at once, evsel NULL */
	uint64_t nr_compressed_bytes;	/* inflated from COMPRESSED records */
};

struct fs_reader;

struct fs_reader *fs_reader__open(const char *path, struct fs_error *err);
/* 1: *ev holds the next record; 0: end of data; -1: error in err. */
int fs_reader__next(struct fs_reader *r, struct fs_event *ev, struct fs_error *err);
/*
 * Addition. ordered=false (before the first next()) delivers every record in
 * file order, skipping the queue, as `perf report --stats` walks a file
 * (perf's tool->ordered_events off); counts are the same, nr_unordered stays 0.
 */
void fs_reader__set_ordered(struct fs_reader *r, bool ordered);
/*
 * Addition. The bytes of queued records (and their entries) past which the
 * older half of the queue is delivered, as perf's report.queue-size makes it
 * (OE_FLUSH__HALF): bounds the memory of a stream without FINISHED_ROUND
 * records. Default 64 MB; records straggling by more than half the queue's
 * span then arrive late (counted in nr_unordered, as perf counts them).
 */
void fs_reader__set_queue_max(struct fs_reader *r, uint64_t bytes);
/* Valid after open; pipe-mode attrs and features fill in as their records arrive. */
const struct fs_header *fs_reader__header(const struct fs_reader *r);
const struct fs_reader_stats *fs_reader__stats(const struct fs_reader *r);
const char *fs_reader__path(const struct fs_reader *r);
/*
 * Damage perf reads past, and so do we, to say once after the records: a
 * pipe stream cut inside a record (the records before it are delivered,
 * then the end), feature sections cut or malformed (those from the first
 * bad one on are not read). NULL when there is none.
 */
const char *fs_reader__note(const struct fs_reader *r);
void fs_reader__close(struct fs_reader *r);

/* Parses a sample (or sample_id_all trailer) of event with evsel's layout; -1 when it does not fit. */
int fs_evsel__parse_sample(const struct fs_evsel *evsel, const union perf_event *event,
			   struct fs_sample *sample);

#endif
