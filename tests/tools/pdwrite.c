// SPDX-License-Identifier: GPL-2.0-only
/*
 * pdwrite: writes a synthetic perf.data for end-to-end tests (see
 * tests/unit/pdwriter.h). Usage: pdwrite KIND OUT, KIND one of
 *   good        two events, 30 samples (20 of "alpha", 10 of "beta"), 3 rounds
 *   pipe        the same in pipe mode
 *   compressed  the same with zstd COMPRESSED records
 *   zero-size   good, with the 5th record's size set to 0 (offset printed on stdout)
 * or: pdwrite fields OUT: 400 page-fault samples whose fields take many
 * values (data_src encodings, cpumodes in misc, page sizes, weights, user and
 * interrupt registers, odd cpus), for script's -F checks against perf;
 * or: pdwrite big OUT MB, which streams a file of about MB megabytes shaped
 * like `perf record -a -g` output (two cpus' samples interleaved by rounds,
 * callchains of 4-40 entries, a COMM now and then) for benchmarks;
 * or: pdwrite long OUT HOURS, a sparse recording HOURS long (two cpus, each a
 * "steady" sample a second; in the first five minutes of every hour also an
 * "hourly" sample every 100 ms) for the report's zoom levels;
 * or: pdwrite order FILE, which prints the records the reader delivers, one
 * line each, as `perf script -F tid,time --ns --show-task-events
 * --show-mmap-events` orders them: "SAMPLE tid sec.nsec", "COMM", "FORK",
 * "EXIT", "MMAP", "MMAP2".
 */
#include <inttypes.h>
#include "../unit/pdwriter.h"
#include "reader.h"

static int order(const char *path)
{
	static const char *const names[] = {
		[PERF_RECORD_COMM] = "COMM", [PERF_RECORD_FORK] = "FORK",
		[PERF_RECORD_EXIT] = "EXIT", [PERF_RECORD_MMAP] = "MMAP",
		[PERF_RECORD_MMAP2] = "MMAP2",
	};
	struct fs_error err;
	struct fs_event ev;
	struct fs_reader *r = fs_reader__open(path, &err);
	int ret;

	if (!r) {
		fprintf(stderr, "pdwrite: %s\n", err.msg);
		return 1;
	}
	while ((ret = fs_reader__next(r, &ev, &err)) > 0) {
		uint32_t type = ev.event->header.type;

		if (type == PERF_RECORD_SAMPLE)
			printf("SAMPLE %d %" PRIu64 ".%09" PRIu64 "\n", (int)ev.sample.tid,
			       ev.sample.time / 1000000000, ev.sample.time % 1000000000);
		else if (type < sizeof(names) / sizeof(names[0]) && names[type])
			printf("%s\n", names[type]);
	}
	fs_reader__close(r);
	if (ret < 0) {
		fprintf(stderr, "pdwrite: %s\n", err.msg);
		return 1;
	}
	return 0;
}

static void build(struct pdw *w, bool pipe, bool compress)
{
	uint64_t t = PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME |
		     PERF_SAMPLE_PERIOD;
	struct perf_event_attr a = { 0 };

	a.type = PERF_TYPE_SOFTWARE;
	a.sample_type = t;
	a.sample_id_all = 1;
	a.sample_period = 1000;
	pdw_init(w, pipe);
	w->first_time = 1000000000;
	w->last_time = 1000000000 + 29 * 1000000;
	pdw_attr(w, &a, (uint64_t[]){ 1 }, 1, "alpha");
	a.config = PERF_COUNT_SW_PAGE_FAULTS;
	pdw_attr(w, &a, (uint64_t[]){ 2 }, 1, "beta");
	if (compress)
		pdw_compress(w, 100);
	pdw_comm(w, 0, 10, 10, "pdw", &(struct pdw_sample){ .id = 1, .pid = 10, .tid = 10 });
	for (int i = 0; i < 30; i++) {
		pdw_sample(w, i % 3 == 2, &(struct pdw_sample){
			.id = i % 3 == 2 ? 2 : 1, .ip = 0x400000 + i, .pid = 10, .tid = 10,
			.time = 1000000000 + (uint64_t)i * 1000000, .period = 1000 });
		if (i % 10 == 9)
			pdw_round(w);
	}
}

/* Samples whose -F fields take many values: perf script -F is the oracle for their text. */
static void fields(struct pdw *w)
{
	static const uint64_t pages[] = { 0, 4096, 8192, 2 << 20, 1 << 30, 1024, 2048, 1536,
					  1ULL << 40, 1 };
	struct perf_event_attr a = { 0 };
	uint64_t uregs[32], iregs[32];

	a.size = sizeof(a);
	a.type = PERF_TYPE_SOFTWARE;
	a.config = PERF_COUNT_SW_PAGE_FAULTS;
	a.sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_ADDR |
			PERF_SAMPLE_CPU | PERF_SAMPLE_PERIOD | PERF_SAMPLE_DATA_SRC |
			PERF_SAMPLE_WEIGHT_STRUCT | PERF_SAMPLE_PHYS_ADDR | PERF_SAMPLE_REGS_USER |
			PERF_SAMPLE_REGS_INTR | PERF_SAMPLE_DATA_PAGE_SIZE | PERF_SAMPLE_CODE_PAGE_SIZE;
	a.sample_regs_user = 0xffffffULL | 1ULL << 24 | 3ULL << 32 | 1ULL << 62;
	a.sample_regs_intr = 0x1ffULL | 1ULL << 40 | 1ULL << 63;
	a.sample_id_all = 1;
	a.sample_period = 1;
	pdw_init(w, false);
	w->first_time = 2000000000;
	w->last_time = 2000000000 + 399 * 1000;
	pdw_attr(w, &a, (uint64_t[]){ 1 }, 1, "page-faults");
	for (int i = 0; i < 32; i++) {
		uregs[i] = 0x1000ULL * i + 7;
		iregs[i] = ~0ULL - i;
	}
	for (uint64_t i = 0; i < 400; i++) {
		uint64_t h = i * 0x9e3779b97f4a7c15ULL;
		uint64_t src = (1ULL << (i % 6)) | ((h >> 7) & 0x3fff) << PERF_MEM_LVL_SHIFT |
			       ((h >> 21) & 0x1f) << PERF_MEM_SNOOP_SHIFT |
			       (i & 3) << PERF_MEM_LOCK_SHIFT | ((h >> 26) & 0x7f) << PERF_MEM_TLB_SHIFT |
			       (i & 0xf) << PERF_MEM_LVLNUM_SHIFT |
			       ((i >> 2) & 1) << PERF_MEM_REMOTE_SHIFT |
			       ((i >> 3) & 3) << PERF_MEM_SNOOPX_SHIFT |
			       ((i >> 1) & 7) << PERF_MEM_BLK_SHIFT | (i % 5) << PERF_MEM_HOPS_SHIFT;
		uint32_t cpu = i % 50 == 7 ? 0xffffffffu : i % 50 == 9 ? 1234 : (uint32_t)(i % 4);

		if (i % 9 == 0)
			src = 0;
		pdw_sample(w, 0, &(struct pdw_sample){
			.ip = i & 1 ? 0xffffffff81000000ULL + i * 64 : 0x401000 + i * 16,
			.pid = 1000 + i % 3, .tid = 1000 + i % 5, .cpu = cpu,
			.time = 2000000000 + i * 1000, .addr = h, .period = i * 997,
			.misc = (uint16_t)(i % 8), .data_src = src,
			.weight = (h & 0xffffffffULL) | ((h >> 32) & 0xffff) << 32,
			.phys_addr = h >> 12, .data_page_size = pages[i % 10],
			.code_page_size = pages[(i + 3) % 10],
			.user_abi = i % 4 ? 2 : 0, .user_regs = uregs,
			.intr_abi = i % 3 ? 2 : 0, .intr_regs = iregs });
		if (i % 100 == 99)
			pdw_round(w);
	}
}

static void build_long(struct pdw *w, uint64_t hours)
{
	struct perf_event_attr a = { 0 };
	uint64_t t0 = 1000ULL * 1000000000, end = t0 + hours * 3600 * 1000000000ULL, t, n = 0;

	a.type = PERF_TYPE_SOFTWARE;
	a.config = PERF_COUNT_SW_CPU_CLOCK;
	a.sample_type = PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME |
			PERF_SAMPLE_CPU | PERF_SAMPLE_PERIOD;
	a.sample_id_all = 1;
	a.sample_period = 1000000;
	pdw_init(w, false);
	w->first_time = t0;
	w->last_time = end;
	pdw_attr(w, &a, (uint64_t[]){ 1 }, 1, "cpu-clock");
	pdw_comm(w, 0, 10, 10, "steady", &(struct pdw_sample){ .id = 1, .pid = 10, .tid = 10, .time = t0 });
	pdw_comm(w, 0, 20, 20, "hourly", &(struct pdw_sample){ .id = 1, .pid = 20, .tid = 20, .time = t0 });
	for (t = t0; t <= end; t += 100000000) {
		uint64_t in_hour = (t - t0) % (3600 * 1000000000ULL);

		for (uint32_t cpu = 0; cpu < 2; cpu++) {
			bool steady = (t - t0) % 1000000000ULL == 0, hourly = in_hour < 300 * 1000000000ULL;

			if (!steady && !hourly)
				continue;
			pdw_sample(w, 0, &(struct pdw_sample){ .id = 1, .ip = steady ? 0x400000 : 0x500000,
				   .pid = steady ? 10 : 20, .tid = steady ? 10 : 20, .time = t + cpu * 1000,
				   .cpu = cpu, .period = 1000000 });
			if (++n % 1000 == 0)
				pdw_round(w);
		}
	}
}

/* Streams the data section so a 1 GB file needs no 1 GB buffer. */
static int big(const char *path, uint64_t mb)
{
	struct perf_event_attr a = { 0 };
	uint64_t hdr[13] = { 0 }, id = 1, sec[2], t = 1000000000, chain[40];
	uint64_t want = mb << 20, written = 0;
	FILE *f = fopen(path, "wb");
	struct pdw w;

	if (!f) {
		perror(path);
		return 1;
	}
	setvbuf(f, NULL, _IOFBF, 1 << 20);
	a.type = PERF_TYPE_SOFTWARE;
	a.size = sizeof(a);
	a.sample_type = PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_TID |
			PERF_SAMPLE_TIME | PERF_SAMPLE_CALLCHAIN | PERF_SAMPLE_CPU | PERF_SAMPLE_PERIOD;
	a.sample_id_all = 1;
	a.freq = 1;
	a.sample_freq = 4000;
	/* header, ids, attr, then data */
	fwrite(hdr, sizeof(hdr), 1, f);
	fwrite(&id, 8, 1, f);
	fwrite(&a, sizeof(a), 1, f);
	sec[0] = sizeof(hdr);
	sec[1] = 8;
	fwrite(sec, 16, 1, f);
	hdr[0] = 0x32454c4946524550ULL;
	hdr[1] = sizeof(hdr);
	hdr[2] = sizeof(a) + 16;
	hdr[3] = sizeof(hdr) + 8;
	hdr[4] = sizeof(a) + 16;
	hdr[5] = hdr[3] + hdr[4];
	for (int i = 0; i < 40; i++)
		chain[i] = i ? 0x400000 + 0x40 * (uint64_t)i : (uint64_t)PERF_CONTEXT_USER;
	pdw_init(&w, false);
	pdw_attr(&w, &a, &id, 1, NULL);
	srand(7);
	while (written < want) {
		/* a round: cpu 0's block then cpu 1's, times interleaved */
		for (int cpu = 0; cpu < 2; cpu++) {
			for (int i = 0; i < 400; i++) {
				pdw_sample(&w, 0, &(struct pdw_sample){
					.id = 1, .ip = 0x400000 + rand() % 4096, .pid = 100 + cpu,
					.tid = 100 + cpu, .time = t + i * 250000 + cpu * 1000,
					.cpu = cpu, .period = 250000, .callchain = chain,
					.nr_callchain = 4 + rand() % 37 });
			}
		}
		pdw_comm(&w, 0, 200, 200, "bench", &(struct pdw_sample){ .id = 1, .pid = 200,
			 .tid = 200, .time = t + 5000 });
		pdw_round(&w);
		t += 400 * 250000;
		fwrite(w.data.p, 1, w.data.len, f);
		written += w.data.len;
		w.data.len = 0;
	}
	hdr[6] = written;
	free(w.data.p);
	if (fseek(f, 0, SEEK_SET) || fwrite(hdr, sizeof(hdr), 1, f) != 1 || fclose(f)) {
		perror(path);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct pdw w;
	uint8_t *buf;
	size_t len;
	const char *kind = argc == 3 || (argc == 4 && !strcmp(argv[1], "long")) ? argv[1] : "";

	if (argc == 4 && !strcmp(argv[1], "big"))
		return big(argv[2], strtoull(argv[3], NULL, 0));
	if (!strcmp(kind, "order"))
		return order(argv[2]);
	if (!strcmp(kind, "fields"))
		fields(&w);
	else if (argc == 4 && !strcmp(argv[1], "long"))
		build_long(&w, strtoull(argv[3], NULL, 0));
	else if (!strcmp(kind, "good") || !strcmp(kind, "zero-size"))
		build(&w, false, false);
	else if (!strcmp(kind, "pipe"))
		build(&w, true, false);
	else if (!strcmp(kind, "compressed"))
		build(&w, false, true);
	else {
		fprintf(stderr, "usage: pdwrite good|pipe|compressed|zero-size|fields OUT | order FILE | big OUT MB | long OUT HOURS\n");
		return 2;
	}
	buf = pdw_finish(&w, &len);
	if (!strcmp(kind, "zero-size")) {
		uint64_t at;
		uint16_t size;

		memcpy(&at, buf + 40, 8);
		for (int i = 0; i < 4; i++) {
			memcpy(&size, buf + at + 6, 2);
			at += size;
		}
		memset(buf + at + 6, 0, 2);
		printf("%#llx\n", (unsigned long long)at);
	}
	if (pdw_save(argv[2], buf, len)) {
		perror(argv[2]);
		return 1;
	}
	free(buf);
	return 0;
}
