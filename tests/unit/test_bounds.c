// SPDX-License-Identifier: GPL-2.0-only
/*
 * bounds: the fixes the fuzzers and hostile-input tests led to, checked
 * directly. A process's maps arriving in any order (rising, falling, each
 * between the two halves, shuffled, overlapping the previous one) are all
 * found at their addresses, as a sorted array must find them; --time
 * percentages of a span the file claims runs backwards, or spans 2^64 ns,
 * stay inside it; a pipe-mode stream of just its header is an empty file.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "reader.h"
#include "session.h"
#include "timerange.h"

#define NR_MAPS 3000
#define MAP_AT(k) (0x10000000ull + (uint64_t)(k) * 0x2000)

struct maps_fixture {
	struct fs_symbolizer *syms;
	struct fs_session *ss;
	union {
		union perf_event ev;
		char bytes[512];
	} buf;
};

static void mmap2(struct maps_fixture *f, uint64_t start, uint64_t len, const char *name)
{
	struct perf_record_mmap2 *m = &f->buf.ev.mmap2;
	struct fs_event ev = { .event = &f->buf.ev };
	struct fs_error err;

	memset(&f->buf, 0, sizeof(f->buf));
	m->header.type = PERF_RECORD_MMAP2;
	m->header.misc = PERF_RECORD_MISC_USER;
	m->header.size = offsetof(struct perf_record_mmap2, filename) + ((strlen(name) + 8) & ~7);
	m->pid = m->tid = 100;
	m->start = start;
	m->len = len;
	m->prot = 5;
	strcpy(m->filename, name);
	assert_int_equal(fs_session__process(f->ss, &ev, &err), 0);
}

static const char *dso_at(struct maps_fixture *f, uint64_t ip)
{
	uint64_t chain[2] = { PERF_CONTEXT_USER, ip };
	struct fs_sample s = { .pid = 100, .tid = 100, .cpumode = PERF_RECORD_MISC_USER, .ip = ip,
			       .callchain = chain, .nr_callchain = 2 };
	struct fs_frame fr[2];

	assert_int_equal(fs_session__resolve(f->ss, &s, fr, 127), 1);
	return fr[0].dso ? fr[0].dso->name : NULL;
}

/* Feeds NR_MAPS maps in the order order[] gives, then finds each one. */
static void maps_in_order(const uint32_t *order)
{
	struct fs_symbolizer_config cfg = { .symfs = "/nonexistent-symfs" };
	struct maps_fixture *f = calloc(1, sizeof(*f));
	struct fs_error err;
	char name[64];

	assert_non_null(f);
	f->syms = fs_symbolizer__new(&cfg, &err);
	assert_non_null(f->syms);
	f->ss = fs_session__new(NULL, f->syms, &err);
	assert_non_null(f->ss);
	for (uint32_t i = 0; i < NR_MAPS; i++) {
		snprintf(name, sizeof(name), "/nonexistent/m%u.so", order[i]);
		mmap2(f, MAP_AT(order[i]), 0x1000, name);
	}
	for (uint32_t k = 0; k < NR_MAPS; k++) {
		const char *d = dso_at(f, MAP_AT(k) + 0x10);

		snprintf(name, sizeof(name), "/nonexistent/m%u.so", k);
		assert_non_null(d);
		assert_string_equal(d, name);
		assert_null(dso_at(f, MAP_AT(k) + 0x1800));	/* the hole after it */
	}
	fs_session__delete(f->ss);
	fs_symbolizer__delete(f->syms);
	free(f);
}

static void test_maps_any_order(void **state)
{
	static uint32_t order[NR_MAPS];
	uint32_t x = 12345;

	(void)state;
	for (uint32_t i = 0; i < NR_MAPS; i++)
		order[i] = i;
	maps_in_order(order);
	for (uint32_t i = 0; i < NR_MAPS; i++)
		order[i] = NR_MAPS - 1 - i;
	maps_in_order(order);
	for (uint32_t i = 0; i < NR_MAPS; i++)	/* each between the halves */
		order[i] = i % 2 ? NR_MAPS - 1 - i / 2 : i / 2;
	maps_in_order(order);
	for (uint32_t i = 0; i < NR_MAPS; i++)	/* falling runs of 7 within rising blocks */
		order[i] = (i / 7) * 7 + (6 - i % 7) < NR_MAPS ? (i / 7) * 7 + (6 - i % 7) : i;
	maps_in_order(order);
	for (uint32_t i = 0; i < NR_MAPS; i++)
		order[i] = i;
	for (uint32_t i = NR_MAPS - 1; i > 0; i--) {	/* Fisher-Yates with an LCG */
		uint32_t j, t;

		x = x * 1103515245u + 12345u;
		j = (x >> 8) % (i + 1);
		t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	maps_in_order(order);
}

/* Falling maps, then one covering many of them: the overlap fix-up after the array moved. */
static void test_maps_overlap_after_falling(void **state)
{
	struct fs_symbolizer_config cfg = { .symfs = "/nonexistent-symfs" };
	struct maps_fixture *f = calloc(1, sizeof(*f));
	struct fs_error err;
	char name[64];

	(void)state;
	assert_non_null(f);
	f->syms = fs_symbolizer__new(&cfg, &err);
	f->ss = fs_session__new(NULL, f->syms, &err);
	assert_non_null(f->ss);
	for (uint32_t i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "/nonexistent/m%u.so", 199 - i);
		mmap2(f, MAP_AT(199 - i), 0x1000, name);
	}
	mmap2(f, MAP_AT(50), MAP_AT(150) - MAP_AT(50), "/nonexistent/big.so");
	assert_string_equal(dso_at(f, MAP_AT(49) + 0x10), "/nonexistent/m49.so");
	assert_string_equal(dso_at(f, MAP_AT(50) + 0x10), "/nonexistent/big.so");
	assert_string_equal(dso_at(f, MAP_AT(149) + 0x1800), "/nonexistent/big.so");
	assert_string_equal(dso_at(f, MAP_AT(150) + 0x10), "/nonexistent/m150.so");
	fs_session__delete(f->ss);
	fs_symbolizer__delete(f->syms);
	free(f);
}

static void range(const char *spec, uint64_t first, uint64_t last, uint64_t *start, uint64_t *end)
{
	struct fs_timerange *tr = NULL;
	struct fs_error err;

	assert_int_equal(fs_timerange__parse(spec, first, last, &tr, &err), 0);
	assert_int_equal(tr->nr, 1);
	*start = tr->r[0].start;
	*end = tr->r[0].end;
	fs_timerange__delete(tr);
}

static void test_timerange_hostile_spans(void **state)
{
	uint64_t s, e;

	(void)state;
	/* HEADER_SAMPLE_TIME claiming first > last: an empty span, not a wrap */
	range("100%/1", 2000, 1000, &s, &e);
	assert_int_equal(s, 2000);
	assert_int_equal(e, 2000);
	range("50%/2", 2000, 1000, &s, &e);
	assert_int_equal(s, 2000);
	/* a span of 2^64 - 1 ns: the end stays the last time */
	range("50%/2", 0, UINT64_MAX, &s, &e);
	assert_true(s >= UINT64_MAX / 2 - 1 && s <= UINT64_MAX / 2 + 1);
	assert_int_equal(e, UINT64_MAX);
	/* ordinary spans unchanged: perf's 10%/2 of [1000, 2000] */
	range("10%/2", 1000, 2000, &s, &e);
	assert_int_equal(s, 1100);
	assert_int_equal(e, 1199);
}

static void test_pipe_header_only(void **state)
{
	static const uint64_t hdr[2] = { 0x32454c4946524550ULL, 16 };
	char path[] = "/tmp/test_bounds.XXXXXX";
	struct fs_error err;
	struct fs_event ev;
	struct fs_reader *r;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, hdr, sizeof(hdr)), sizeof(hdr));
	close(fd);
	r = fs_reader__open(path, &err);
	unlink(path);
	assert_non_null(r);
	assert_int_equal(fs_reader__next(r, &ev, &err), 0);
	fs_reader__close(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_maps_any_order),
		cmocka_unit_test(test_maps_overlap_after_falling),
		cmocka_unit_test(test_timerange_hostile_spans),
		cmocka_unit_test(test_pipe_header_only),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
