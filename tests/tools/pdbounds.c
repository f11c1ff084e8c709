// SPDX-License-Identifier: GPL-2.0-only
/*
 * pdbounds: synthetic perf.data files (tests/unit/pdwriter.h) that test
 * resource bounds, for tests/e2e/hostile.sh. Usage: pdbounds KIND OUT [N [PID]]
 *   small           10 samples: the baseline
 *   huge-data       file header claiming a 2^62-byte data section
 *   huge-tracing    pipe mode, HEADER_TRACING_DATA claiming 4 GB that is not there
 *   huge-callchain  a sample claiming 100 000 callchain entries in a 96-byte record
 *   huge-ids        an attr whose id section claims 2^60 bytes
 *   huge-cmdline    CMDLINE feature claiming 2^32-1 strings
 *   mmaps           N (1 000 000) 4 KB MMAP2s of one file in one process, then
 *                   samples; "mmaps-rev" gives them from the top down,
 *                   "mmaps-mid" each between the lower and the upper half
 *   deep            samples whose callchain holds N (8000) real user frames
 *   perfmap         an exec //anon map of N (1 000 000) 16-byte JIT symbols in
 *                   process PID, samples at symbols 0, N/2 and N-1, and the
 *                   perf map /tmp/perf-PID.map naming them jit_fn_I
 *   periods         three samples of one stack whose periods (2^63 + 5, + 7,
 *                   + 11) add up past 2^64, and one of period 1000 elsewhere
 *   zstd-bomb       N (2 000 000) 40-byte COMM records that zstd packs into a
 *                   few 60 KB COMPRESSED records, each inflating far past the
 *                   528384-byte mmap length the header gives
 */
#include <stddef.h>
#include "../unit/pdwriter.h"

#define T0	1000000000000ull
#define JIT_BASE 0x7f0000000000ull

static struct pdw w;
static uint32_t ea;

static void mmap2(uint32_t pid, uint64_t start, uint64_t len, uint32_t prot, const char *name,
		  uint64_t time)
{
	struct pdw_sample id = { .pid = pid, .tid = pid, .time = time };
	struct perf_record_mmap2 m = { 0 };
	struct pdw_buf b = { 0 };
	char fname[64] = { 0 };
	size_t nlen = (strlen(name) + 8) & ~7ul;

	m.header.type = PERF_RECORD_MMAP2;
	m.header.misc = PERF_RECORD_MISC_USER;
	m.pid = m.tid = pid;
	m.start = start;
	m.len = len;
	m.prot = prot;
	snprintf(fname, sizeof(fname), "%s", name);
	pdw_buf_add(&b, &m, offsetof(struct perf_record_mmap2, filename));
	pdw_buf_add(&b, fname, nlen);
	pdw_trailer(&b, &w.attrs[ea].attr, &id);
	pdw_finish_record(&w, &b);
}

static void setup(bool pipe)
{
	struct perf_event_attr a = { 0 };

	pdw_init(&w, pipe);
	a.type = PERF_TYPE_SOFTWARE;
	a.config = PERF_COUNT_SW_CPU_CLOCK;
	a.sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_PERIOD |
			PERF_SAMPLE_CALLCHAIN;
	a.sample_id_all = 1;
	a.sample_period = 1000000;
	ea = pdw_attr(&w, &a, NULL, 0, "cpu-clock");
	w.first_time = T0;
	w.last_time = T0 + 999000000;
}

static void sample(uint32_t pid, uint64_t time, const uint64_t *chain, uint64_t nr)
{
	struct pdw_sample s = { .pid = pid, .tid = pid, .time = time, .period = 1000000,
				.ip = nr > 1 ? chain[1] : 0, .misc = PERF_RECORD_MISC_USER,
				.callchain = chain, .nr_callchain = nr };

	pdw_sample(&w, ea, &s);
}

static void user_samples(uint32_t pid, uint64_t ip, int n)
{
	uint64_t chain[] = { PERF_CONTEXT_USER, ip };

	for (int i = 0; i < n; i++)
		sample(pid, T0 + 1000 + i * 100000000ull, chain, 2);
}

static int finish(const char *out)
{
	size_t len;
	uint8_t *p;

	pdw_round(&w);
	p = pdw_finish(&w, &len);
	if (pdw_save(out, p, len)) {
		perror(out);
		return 1;
	}
	free(p);
	return 0;
}

/* Overwrites the u64 at off of the finished file. */
static int finish_patched(const char *out, size_t off, uint64_t v)
{
	size_t len;
	uint8_t *p;

	pdw_round(&w);
	p = pdw_finish(&w, &len);
	memcpy(p + off, &v, 8);
	if (pdw_save(out, p, len)) {
		perror(out);
		return 1;
	}
	free(p);
	return 0;
}

static int huge_tracing(const char *out)
{
	struct { struct perf_event_header h; uint32_t size, pad; } rec = {
		{ PERF_RECORD_HEADER_TRACING_DATA, 0, 16 }, 0xfffffff0u, 0 };

	setup(true);
	pdw_comm(&w, ea, 100, 100, "work", &(struct pdw_sample){ .pid = 100, .tid = 100, .time = T0 });
	user_samples(100, 0x400100, 3);
	pdw_round(&w);
	pdw_raw(&w, &rec, sizeof(rec));
	pdw_raw(&w, "only a few bytes follow.", 24);
	return finish(out);
}

static int huge_callchain(const char *out)
{
	uint64_t chain[] = { PERF_CONTEXT_USER, 0x400100, 0x400200 };
	struct pdw_sample s = { .pid = 100, .tid = 100, .time = T0 + 1, .period = 1, .ip = 0x400100,
				.misc = PERF_RECORD_MISC_USER, .callchain = chain, .nr_callchain = 3 };
	struct pdw_buf b = { 0 };

	setup(false);
	user_samples(100, 0x400100, 3);
	/* the same layout as pdw_sample() writes, with nr = 100000 */
	pdw_sample(&w, ea, &s);
	for (size_t off = w.data.len - 8 * 4; off + 8 <= w.data.len; off += 8) {
		uint64_t v;

		memcpy(&v, w.data.p + off, 8);
		if (v == 3) {	/* the callchain's nr */
			v = 100000;
			memcpy(w.data.p + off, &v, 8);
			break;
		}
	}
	free(b.p);
	return finish(out);
}

/* rev 0: rising addresses, 1: falling, 2: each one between the two halves */
static int mmaps(const char *out, uint64_t n, int rev)
{
	setup(false);
	pdw_comm(&w, ea, 100, 100, "mapper", &(struct pdw_sample){ .pid = 100, .tid = 100, .time = T0 });
	for (uint64_t i = 0; i < n; i++) {
		uint64_t k = rev == 1 ? n - 1 - i : rev == 2 ? (i % 2 ? n - 1 - i / 2 : i / 2) : i;

		mmap2(100, 0x10000000ull + k * 0x2000, 0x1000, 5, "/nonexistent/lib.so", T0 + 1);
		if (i % 100000 == 99999)
			pdw_round(&w);
	}
	user_samples(100, 0x10000000ull + 0x2000 * (n / 2) + 0x10, 10);
	return finish(out);
}

static int deep(const char *out, uint64_t n)
{
	uint64_t *chain = calloc(n + 1, 8);

	if (!chain)
		return 1;
	setup(false);
	pdw_comm(&w, ea, 100, 100, "deep", &(struct pdw_sample){ .pid = 100, .tid = 100, .time = T0 });
	chain[0] = PERF_CONTEXT_USER;
	for (uint64_t i = 1; i <= n; i++)
		chain[i] = 0x400000 + 16 * i;
	for (int i = 0; i < 5; i++)
		sample(100, T0 + i * 100000000ull, chain, n + 1);
	free(chain);
	return finish(out);
}

static int perfmap(const char *out, uint64_t n, uint32_t pid)
{
	uint64_t at[3] = { 0, n / 2, n - 1 };
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/perf-%u.map", pid);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		return 1;
	}
	for (uint64_t i = 0; i < n; i++)
		fprintf(f, "%llx 10 jit_fn_%llu\n", (unsigned long long)(JIT_BASE + 16 * i),
			(unsigned long long)i);
	if (fclose(f))
		return 1;
	setup(false);
	pdw_comm(&w, ea, pid, pid, "jitproc", &(struct pdw_sample){ .pid = pid, .tid = pid, .time = T0 });
	mmap2(pid, JIT_BASE, 16 * n, 5, "//anon", T0 + 1);
	for (int i = 0; i < 3; i++)
		user_samples(pid, JIT_BASE + 16 * at[i] + 4, 2);
	return finish(out);
}

static int periods(const char *out)
{
	uint64_t chain[] = { PERF_CONTEXT_USER, 0x400100 }, other[] = { PERF_CONTEXT_USER, 0x400200 };
	static const uint64_t big[] = { (1ull << 63) + 5, (1ull << 63) + 7, (1ull << 63) + 11 };

	setup(false);
	for (int i = 0; i < 3; i++)
		pdw_sample(&w, ea, &(struct pdw_sample){ .pid = 100, .tid = 100, .time = T0 + 1000 + i,
							 .period = big[i], .ip = chain[1],
							 .misc = PERF_RECORD_MISC_USER,
							 .callchain = chain, .nr_callchain = 2 });
	pdw_sample(&w, ea, &(struct pdw_sample){ .pid = 100, .tid = 100, .time = T0 + 2000,
						 .period = 1000, .ip = other[1],
						 .misc = PERF_RECORD_MISC_USER, .callchain = other,
						 .nr_callchain = 2 });
	return finish(out);
}

static int zstd_bomb(const char *out, uint64_t n)
{
	setup(false);
	pdw_comm(&w, ea, 100, 100, "work", &(struct pdw_sample){ .pid = 100, .tid = 100, .time = T0 });
	user_samples(100, 0x400100, 3);
	pdw_round(&w);
	pdw_compress(&w, 60000);
	for (uint64_t i = 0; i < n; i++)
		pdw_comm(&w, ea, 100, 100, "bomb", &(struct pdw_sample){ .pid = 100, .tid = 100,
									 .time = T0 + 1 });
	return finish(out);
}

int main(int argc, char **argv)
{
	const char *kind = argc > 2 ? argv[1] : "", *out = argc > 2 ? argv[2] : "";
	uint64_t n = argc > 3 ? strtoull(argv[3], NULL, 0) : 0;

	if (!strcmp(kind, "small")) {
		setup(false);
		user_samples(100, 0x400100, 10);
		return finish(out);
	}
	if (!strcmp(kind, "huge-data")) {
		setup(false);
		user_samples(100, 0x400100, 10);
		return finish_patched(out, 48, 1ull << 62);	/* header.data.size */
	}
	if (!strcmp(kind, "huge-ids")) {
		uint64_t id = 7;

		setup(false);
		w.attrs[ea].ids[0] = id;
		w.attrs[ea].nr_ids = 1;
		user_samples(100, 0x400100, 10);
		/* attr section: at header.attrs.offset; the attr's ids size is its last u64 */
		return finish_patched(out, 104 + 8 + sizeof(struct perf_event_attr) + 8, 1ull << 60);
	}
	if (!strcmp(kind, "huge-cmdline")) {
		setup(false);
		user_samples(100, 0x400100, 10);
		pdw_round(&w);
		{
			size_t len;
			uint8_t *p = pdw_finish(&w, &len);
			uint64_t feat_at = 0, sec[2];
			uint32_t big = 0xffffffffu;

			memcpy(&feat_at, p + 40, 8);	/* data.offset */
			memcpy(sec, p + 48, 8);		/* data.size */
			feat_at += sec[0];
			/* feature sections in bit order: HOSTNAME .. CMDLINE is the 9th (bits 3..11) */
			memcpy(sec, p + feat_at + 16 * 8, 16);
			memcpy(p + sec[0], &big, 4);
			if (pdw_save(out, p, len))
				return 1;
			free(p);
			return 0;
		}
	}
	if (!strcmp(kind, "huge-tracing"))
		return huge_tracing(out);
	if (!strcmp(kind, "huge-callchain"))
		return huge_callchain(out);
	if (!strcmp(kind, "mmaps") || !strcmp(kind, "mmaps-rev") || !strcmp(kind, "mmaps-mid"))
		return mmaps(out, n ? n : 1000000,
			     !strcmp(kind, "mmaps-rev") ? 1 : !strcmp(kind, "mmaps-mid") ? 2 : 0);
	if (!strcmp(kind, "deep"))
		return deep(out, n ? n : 8000);
	if (!strcmp(kind, "perfmap"))
		return perfmap(out, n ? n : 1000000, argc > 4 ? atoi(argv[4]) : 4194999);
	if (!strcmp(kind, "periods"))
		return periods(out);
	if (!strcmp(kind, "zstd-bomb"))
		return zstd_bomb(out, n ? n : 2000000);
	fprintf(stderr, "usage: pdbounds small|huge-data|huge-tracing|huge-callchain|huge-ids|"
		"huge-cmdline|mmaps|mmaps-rev|mmaps-mid|deep|perfmap|periods|zstd-bomb OUT [N [PID]]\n");
	return 2;
}
