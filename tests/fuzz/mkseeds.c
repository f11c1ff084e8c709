// SPDX-License-Identifier: GPL-2.0-only
/*
 * mkseeds: writes the synthetic part of the fuzzers' seed corpora into DIR
 * (tests/unit/pdwriter.h): small perf.data files in file mode, pipe mode and
 * with COMPRESSED records, each with comms, forks, maps of a user binary and
 * the kernel, and samples with callchains and the rarer sample fields; and
 * --time specs for fuzz_timerange.
 *
 *	mkseeds DIR	-> DIR/corpus-{reader,reader_pipe,profile,timerange}/
 */
#include <stddef.h>
#include <sys/stat.h>
#include "../unit/pdwriter.h"

#define KERNEL_MISC	PERF_RECORD_MISC_KERNEL
#define USER_MISC	PERF_RECORD_MISC_USER

static const char *out_dir;

static void save(const char *corpus, const char *name, const void *p, size_t len)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/corpus-%s", out_dir, corpus);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/corpus-%s/%s", out_dir, corpus, name);
	if (pdw_save(path, p, len)) {
		perror(path);
		exit(1);
	}
}

static void mmap2(struct pdw *w, uint32_t ai, uint16_t misc, uint32_t pid, uint64_t start,
		  uint64_t len, uint64_t pgoff, const char *name, const struct pdw_sample *id)
{
	struct pdw_buf b = { 0 };
	struct perf_record_mmap2 m = { 0 };
	size_t nlen = (strlen(name) + 8) & ~7ul;
	char fname[256] = { 0 };

	m.header.type = PERF_RECORD_MMAP2;
	m.header.misc = misc;
	m.pid = m.tid = pid;
	m.start = start;
	m.len = len;
	m.pgoff = pgoff;
	m.prot = 5;
	snprintf(fname, sizeof(fname), "%s", name);
	pdw_buf_add(&b, &m, offsetof(struct perf_record_mmap2, filename));
	pdw_buf_add(&b, fname, nlen);
	pdw_trailer(&b, &w->attrs[ai].attr, id);
	pdw_finish_record(w, &b);
}

static void fork_exit(struct pdw *w, uint32_t ai, uint32_t type, uint32_t pid, uint32_t ppid,
		      const struct pdw_sample *id)
{
	struct pdw_buf b = { 0 };
	struct perf_record_fork f = { .header = { type, 0, 0 } };

	f.pid = f.tid = pid;
	f.ppid = f.ptid = ppid;
	f.time = id->time;
	pdw_buf_add(&b, &f, sizeof(f));
	pdw_trailer(&b, &w->attrs[ai].attr, id);
	pdw_finish_record(w, &b);
}

/* Two events: cpu-clock with callchains, and one with every rarer field. */
static void build(struct pdw *w, bool extra)
{
	struct perf_event_attr a = { 0 }, x = { 0 };
	uint64_t ida[] = { 11, 12 }, idx[] = { 21 };
	uint64_t t0 = 1000000000000ull;
	uint32_t ea, ex;

	a.type = PERF_TYPE_SOFTWARE;
	a.config = PERF_COUNT_SW_CPU_CLOCK;
	a.sample_type = PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_TID |
			PERF_SAMPLE_TIME | PERF_SAMPLE_CPU | PERF_SAMPLE_PERIOD | PERF_SAMPLE_CALLCHAIN;
	a.sample_id_all = 1;
	a.sample_period = 250000;
	ea = pdw_attr(w, &a, ida, 2, "cpu-clock");
	x.type = PERF_TYPE_HARDWARE;
	x.sample_type = PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME |
			PERF_SAMPLE_ADDR | PERF_SAMPLE_STREAM_ID | PERF_SAMPLE_CPU | PERF_SAMPLE_PERIOD |
			PERF_SAMPLE_READ | PERF_SAMPLE_RAW | PERF_SAMPLE_BRANCH_STACK |
			PERF_SAMPLE_REGS_USER | PERF_SAMPLE_STACK_USER | PERF_SAMPLE_WEIGHT |
			PERF_SAMPLE_DATA_SRC | PERF_SAMPLE_TRANSACTION | PERF_SAMPLE_REGS_INTR |
			PERF_SAMPLE_PHYS_ADDR | PERF_SAMPLE_CGROUP | PERF_SAMPLE_DATA_PAGE_SIZE |
			PERF_SAMPLE_CODE_PAGE_SIZE;
	x.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_ID;
	x.branch_sample_type = PERF_SAMPLE_BRANCH_ANY | PERF_SAMPLE_BRANCH_HW_INDEX;
	x.sample_regs_user = 0x3;
	x.sample_regs_intr = 0x1;
	x.sample_id_all = 1;
	if (extra)
		ex = pdw_attr(w, &x, idx, 1, "cycles");

	struct pdw_sample id = { .id = 11, .pid = 100, .tid = 100, .time = t0, .cpu = 0 };

	pdw_comm(w, ea, 100, 100, "work", &id);
	mmap2(w, ea, KERNEL_MISC, (uint32_t)-1, 0xffffffff81000000ull, 0x1000000,
	      0xffffffff81000000ull, "[kernel.kallsyms]_text", &id);
	mmap2(w, ea, USER_MISC, 100, 0x400000, 0x2000, 0, "/usr/bin/work", &id);
	mmap2(w, ea, USER_MISC, 100, 0x7f0000000000ull, 0x200000, 0x1000, "/lib/libc.so.6", &id);
	id.time = t0 + 1000;
	fork_exit(w, ea, PERF_RECORD_FORK, 101, 100, &id);
	pdw_comm(w, ea, 101, 101, "child", &id);
	for (int i = 0; i < 12; i++) {
		uint64_t chain[] = { PERF_CONTEXT_KERNEL, 0xffffffff81000120ull + i,
				     0xffffffff81000210ull, PERF_CONTEXT_USER,
				     0x400100 + 16 * (i % 3), 0x7f0000001234ull, 0x400050 };
		struct pdw_sample s = {
			.id = 11 + i % 2, .ip = i % 2 ? 0x400100 : 0xffffffff81000120ull,
			.pid = 100 + i % 2, .tid = 100 + i % 2, .cpu = i % 2,
			.time = t0 + 2000 + (uint64_t)(i % 4) * 300000000 + (11 - i) * 1000,
			.period = 250000, .misc = i % 2 ? USER_MISC : KERNEL_MISC,
			.callchain = chain + (i % 2 ? 3 : 0), .nr_callchain = i % 2 ? 4 : 7,
		};

		pdw_sample(w, ea, &s);
		if (i % 4 == 3)
			pdw_round(w);
	}
	if (extra) {
		uint64_t rd[] = { 5, 7, 21 }, regs[] = { 1, 2 }, iregs[] = { 3 };
		uint8_t stack[16] = { 1, 2, 3 }, raw[12] = { 'r', 'a', 'w' };
		struct perf_branch_entry br[2] = { { .from = 0x400100, .to = 0x400200 },
						   { .from = 0x400210, .to = 0x400110 } };
		struct pdw_sample s = {
			.id = 21, .ip = 0x400110, .pid = 100, .tid = 100, .cpu = 1, .time = t0 + 5000,
			.period = 1, .misc = USER_MISC, .read = rd, .read_words = 3,
			.raw = raw, .raw_size = 12, .branch = br, .branch_nr = 2, .branch_hw_idx = 1,
			.user_abi = 2, .user_regs = regs, .intr_abi = 2, .intr_regs = iregs,
			.stack = stack, .stack_size = 16, .stack_dyn_size = 8, .weight = 9,
		};

		pdw_sample(w, ex, &s);
		pdw_lost(w, ea, 3, &id);
	}
	id.time = t0 + 900000000;
	fork_exit(w, ea, PERF_RECORD_EXIT, 101, 100, &id);
	pdw_round(w);
	w->first_time = t0 + 2000;
	w->last_time = t0 + 900000000;
}

static void perfdata(const char *name, bool pipe, bool compress, bool extra)
{
	struct pdw w;
	uint8_t *p;
	size_t len;

	pdw_init(&w, pipe);
	if (compress)
		pdw_compress(&w, 100);
	build(&w, extra);
	p = pdw_finish(&w, &len);
	if (pipe) {
		save("reader_pipe", name, p + 16, len - 16);
	} else {
		save("reader", name, p, len);
	}
	save("profile", name, p, len);
	free(p);
}

static void timerange(const char *name, uint64_t first, uint64_t last, bool rel, const char *spec)
{
	uint8_t buf[256];
	size_t n = strlen(spec);

	memcpy(buf, &first, 8);
	memcpy(buf + 8, &last, 8);
	buf[16] = rel;
	memcpy(buf + 17, spec, n);
	save("timerange", name, buf, 17 + n);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: mkseeds DIR\n");
		return 2;
	}
	out_dir = argv[1];
	perfdata("file.data", false, false, false);
	perfdata("file-extra.data", false, false, true);
	perfdata("file-z.data", false, true, true);
	perfdata("pipe.data", true, false, true);
	perfdata("pipe-z.data", true, true, false);
	timerange("abs", 1000000000000ull, 1002000000000ull, false, "1000.5,1001.000000001");
	timerange("open", 1000000000000ull, 1002000000000ull, false, ",1001 1001.5,");
	timerange("pct", 1000000000000ull, 1002000000000ull, false, "10%/2");
	timerange("pcts", 1000000000000ull, 1002000000000ull, false, "0%-10%,30%-40%");
	timerange("slices", 1000000000000ull, 1002000000000ull, false, "10%/1,10%/3");
	timerange("rel", 1000000000000ull, 1002000000000ull, true, "0.5,1.25");
	timerange("one", 5, 5, false, "25%");
	return 0;
}
