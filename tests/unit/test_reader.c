// SPDX-License-Identifier: GPL-2.0-only
/*
 * reader tests over files built by pdwriter.h: every sample_type layout,
 * read_format variants, sample_id_all trailers, several events told apart
 * by id, pipe mode (file and stdin), zstd-compressed data, perf's delivery
 * order across rounds, and bad input giving a clean error with the offset.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "reader.h"
#include "pdwriter.h"

static char dir[64];

static const char *tmp_path(const char *name)
{
	static char path[4][128];
	static int n;

	n = (n + 1) % 4;
	snprintf(path[n], sizeof(path[n]), "%s/%s", dir, name);
	return path[n];
}

static const char *save(struct pdw *w, const char *name, size_t *lenp, uint8_t **bufp)
{
	size_t len;
	uint8_t *buf = pdw_finish(w, &len);
	const char *path = tmp_path(name);

	assert_int_equal(pdw_save(path, buf, len), 0);
	if (bufp)
		*bufp = buf;
	else
		free(buf);
	if (lenp)
		*lenp = len;
	return path;
}

struct rec {
	uint32_t type;
	uint64_t time, ip, off;
	int evsel;
	bool has_sample;
};

/* Every record delivered; -1 (message in err) on error. */
static int collect(const char *path, struct rec *out, int max, struct fs_reader_stats *st,
		   struct fs_error *err)
{
	struct fs_reader *r = fs_reader__open(path, err);
	struct fs_event ev;
	int n = 0, ret;

	if (!r)
		return -1;
	while ((ret = fs_reader__next(r, &ev, err)) > 0) {
		if (n < max) {
			out[n].type = ev.event->header.type;
			out[n].time = ev.sample.time;
			out[n].ip = ev.sample.ip;
			out[n].off = ev.file_offset;
			out[n].evsel = ev.sample.evsel ? (int)ev.sample.evsel->idx : -1;
			out[n].has_sample = ev.has_sample;
		}
		n++;
	}
	if (st)
		*st = *fs_reader__stats(r);
	fs_reader__close(r);
	return ret < 0 ? -1 : n;
}

static struct perf_event_attr mkattr(uint64_t sample_type)
{
	struct perf_event_attr a = { 0 };

	a.type = PERF_TYPE_SOFTWARE;
	a.config = PERF_COUNT_SW_CPU_CLOCK;
	a.sample_type = sample_type;
	a.sample_id_all = 1;
	a.exclude_guest = 1;
	a.sample_period = 4000;
	a.freq = 1;
	return a;
}

/* ---- header and feature sections ---- */

static void check_header(const struct fs_header *h)
{
	assert_string_equal(h->hostname, "pdw-host");
	assert_string_equal(h->osrelease, "6.1.0-pdw");
	assert_string_equal(h->version, "6.1.pdw");
	assert_string_equal(h->arch, "x86_64");
	assert_int_equal(h->nr_cpus_avail, 4);
	assert_int_equal(h->nr_cpus_online, 3);
	assert_string_equal(h->cpudesc, "Pdw CPU @ 1GHz");
	assert_string_equal(h->cpuid, "GenuineIntel,6,1,1");
	assert_int_equal(h->total_mem, 1048576);
	assert_int_equal(h->nr_cmdline, 3);
	assert_string_equal(h->cmdline[2], "it's");
	assert_int_equal(h->first_sample_time, 1000);
	assert_int_equal(h->last_sample_time, 5000);
	assert_int_equal(h->clockid_res_ns, 1000);
	assert_true(fs_header__has(h, FS_FEAT_HOSTNAME));
	assert_false(fs_header__has(h, FS_FEAT_TRACING_DATA));
}

static void build_small(struct pdw *w, bool pipe)
{
	struct perf_event_attr a = mkattr(PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME |
					  PERF_SAMPLE_ID);
	uint64_t ids[] = { 7, 8 };

	pdw_init(w, pipe);
	w->first_time = 1000;
	w->last_time = 5000;
	pdw_attr(w, &a, ids, 2, "cpu-clock:pppH");
	pdw_comm(w, 0, 1, 1, "init", &(struct pdw_sample){ .pid = 1, .tid = 1, .time = 0, .id = 7 });
	pdw_sample(w, 0, &(struct pdw_sample){ .ip = 0x10, .pid = 1, .tid = 1, .time = 1000, .id = 7 });
	pdw_sample(w, 0, &(struct pdw_sample){ .ip = 0x20, .pid = 1, .tid = 1, .time = 5000, .id = 8 });
	pdw_round(w);
}

static void test_header_features(void **state)
{
	struct fs_error err;
	struct pdw w;
	const char *path;
	struct fs_reader *r;
	const struct fs_header *h;

	(void)state;
	build_small(&w, false);
	path = save(&w, "hdr.data", NULL, NULL);
	r = fs_reader__open(path, &err);
	assert_non_null(r);
	h = fs_reader__header(r);
	assert_false(h->pipe_mode);
	check_header(h);
	assert_int_equal(h->nr_evsels, 1);
	assert_string_equal(h->evsels[0].name, "cpu-clock:pppH");
	assert_int_equal(h->evsels[0].nr_ids, 2);
	assert_int_equal(h->evsels[0].ids[1], 8);
	assert_int_equal(h->evsels[0].attr.sample_type,
			 PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_ID);
	assert_string_equal(fs_reader__path(r), path);
	fs_reader__close(r);
}

/* ---- sample layouts ---- */

static const uint64_t callchain[] = { PERF_CONTEXT_KERNEL, 0xffffffff81000010ULL,
				      PERF_CONTEXT_USER, 0x401000 };
static const uint8_t raw[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
static const uint64_t uregs[3] = { 11, 12, 13 }, iregs[2] = { 21, 22 };
static const uint8_t stack[16] = "user stack bytes";
static const uint64_t aux[1] = { 0xa0a0 };
static uint64_t readv[16];
static struct perf_branch_entry branches[2];

static struct pdw_sample full_sample(uint32_t read_words)
{
	for (int i = 0; i < 16; i++)
		readv[i] = 100 + i;
	branches[0].from = 0x1000;
	branches[0].to = 0x2000;
	branches[1].from = 0x3000;
	branches[1].to = 0x4000;
	return (struct pdw_sample){
		.ip = 0x401234, .pid = 42, .tid = 43, .time = 123456789, .addr = 0xdead,
		.id = 77, .stream_id = 78, .cpu = 3, .period = 9999, .misc = PERF_RECORD_MISC_USER,
		.read = readv, .read_words = read_words,
		.callchain = callchain, .nr_callchain = 4, .raw = raw, .raw_size = 12,
		.branch = branches, .branch_nr = 2, .branch_hw_idx = 5,
		.user_abi = 2, .user_regs = uregs, .intr_abi = 2, .intr_regs = iregs,
		.stack = stack, .stack_size = 16, .stack_dyn_size = 12,
		.weight = (7ULL << 48) | (6ULL << 32) | 555, .data_src = 0x5a, .transaction = 0x7b,
		.phys_addr = 0xbeef000, .cgroup = 0x99, .data_page_size = 4096,
		.code_page_size = 2097152, .aux = aux, .aux_size = 8,
	};
}

static void check_sample(const struct fs_sample *g, const struct pdw_sample *e,
			 const struct perf_event_attr *a)
{
	uint64_t t = a->sample_type;

	assert_int_equal(g->cpumode, PERF_RECORD_MISC_USER);
	if (t & PERF_SAMPLE_IP)
		assert_int_equal(g->ip, e->ip);
	if (t & PERF_SAMPLE_TID) {
		assert_int_equal(g->pid, e->pid);
		assert_int_equal(g->tid, e->tid);
	} else {
		assert_int_equal(g->tid, (uint32_t)-1);
	}
	if (t & PERF_SAMPLE_TIME)
		assert_int_equal(g->time, e->time);
	else
		assert_int_equal(g->time, (uint64_t)-1);
	if (t & PERF_SAMPLE_ADDR)
		assert_int_equal(g->addr, e->addr);
	if (t & (PERF_SAMPLE_ID | PERF_SAMPLE_IDENTIFIER))
		assert_int_equal(g->id, e->id);
	if (t & PERF_SAMPLE_STREAM_ID)
		assert_int_equal(g->stream_id, e->stream_id);
	if (t & PERF_SAMPLE_CPU)
		assert_int_equal(g->cpu, e->cpu);
	assert_int_equal(g->period, t & PERF_SAMPLE_PERIOD ? e->period : a->sample_period);
	if (t & PERF_SAMPLE_READ) {
		assert_int_equal(g->read_words, e->read_words);
		assert_memory_equal(g->read, e->read, 8 * e->read_words);
	}
	if (t & PERF_SAMPLE_CALLCHAIN) {
		assert_int_equal(g->nr_callchain, 4);
		assert_memory_equal(g->callchain, callchain, sizeof(callchain));
	}
	if (t & PERF_SAMPLE_RAW) {
		assert_int_equal(g->raw_size, 12);
		assert_memory_equal(g->raw_data, raw, 12);
	}
	if (t & PERF_SAMPLE_BRANCH_STACK) {
		assert_int_equal(g->branch_nr, 2);
		assert_int_equal(g->branch_entries[1].to, 0x4000);
		assert_int_equal(g->branch_hw_idx,
				 a->branch_sample_type & PERF_SAMPLE_BRANCH_HW_INDEX ? 5 : (uint64_t)-1);
	}
	if (t & PERF_SAMPLE_REGS_USER) {
		assert_int_equal(g->user_regs_abi, 2);
		assert_int_equal(g->nr_user_regs, 3);
		assert_memory_equal(g->user_regs, uregs, sizeof(uregs));
	}
	if (t & PERF_SAMPLE_STACK_USER) {
		assert_int_equal(g->user_stack_size, 16);
		assert_memory_equal(g->user_stack, stack, 16);
		assert_int_equal(g->user_stack_dyn_size, 12);
	}
	if (t & PERF_SAMPLE_WEIGHT_STRUCT) {
		assert_int_equal(g->weight, 555);
		assert_int_equal(g->ins_lat, 6);
		assert_int_equal(g->p_stage_cyc, 7);
	} else if (t & PERF_SAMPLE_WEIGHT) {
		assert_int_equal(g->weight, e->weight);
	}
	if (t & PERF_SAMPLE_DATA_SRC)
		assert_int_equal(g->data_src, 0x5a);
	if (t & PERF_SAMPLE_TRANSACTION)
		assert_int_equal(g->transaction, 0x7b);
	if (t & PERF_SAMPLE_REGS_INTR) {
		assert_int_equal(g->intr_regs_abi, 2);
		assert_int_equal(g->nr_intr_regs, 2);
		assert_memory_equal(g->intr_regs, iregs, sizeof(iregs));
	}
	if (t & PERF_SAMPLE_PHYS_ADDR)
		assert_int_equal(g->phys_addr, 0xbeef000);
	if (t & PERF_SAMPLE_CGROUP)
		assert_int_equal(g->cgroup, 0x99);
	if (t & PERF_SAMPLE_DATA_PAGE_SIZE)
		assert_int_equal(g->data_page_size, 4096);
	if (t & PERF_SAMPLE_CODE_PAGE_SIZE)
		assert_int_equal(g->code_page_size, 2097152);
	if (t & PERF_SAMPLE_AUX) {
		assert_int_equal(g->aux_size, 8);
		assert_memory_equal(g->aux_data, aux, 8);
	}
}

/* Writes one sample of layout a, reads it back (file and pipe mode), compares. */
static void roundtrip(const struct perf_event_attr *a, uint32_t read_words)
{
	for (int pipe = 0; pipe < 2; pipe++) {
		struct pdw w;
		struct pdw_sample s = full_sample(read_words);
		struct fs_error err;
		struct fs_event ev;
		struct fs_reader *r;
		const char *path;
		int ret, n = 0;

		pdw_init(&w, pipe);
		pdw_attr(&w, a, (uint64_t[]){ 77 }, 1, "ev");
		pdw_sample(&w, 0, &s);
		path = save(&w, "layout.data", NULL, NULL);
		r = fs_reader__open(path, &err);
		if (!r)
			fail_msg("%s", err.msg);
		while ((ret = fs_reader__next(r, &ev, &err)) > 0) {
			if (ev.event->header.type != PERF_RECORD_SAMPLE)
				continue;
			assert_true(ev.has_sample);
			assert_ptr_equal(ev.sample.evsel, &fs_reader__header(r)->evsels[0]);
			check_sample(&ev.sample, &s, a);
			n++;
		}
		if (ret < 0)
			fail_msg("sample_type %#llx: %s", (unsigned long long)a->sample_type, err.msg);
		assert_int_equal(n, 1);
		assert_int_equal(fs_reader__stats(r)->nr_samples, 1);
		assert_int_equal(fs_reader__header(r)->evsels[0].nr_samples, 1);
		fs_reader__close(r);
	}
}

static void set_layout_attr(struct perf_event_attr *a, uint64_t type)
{
	*a = mkattr(type);
	a->sample_regs_user = 0x7;
	a->sample_regs_intr = 0x3;
	a->read_format = PERF_FORMAT_ID;
}

static void test_sample_layouts(void **state)
{
	struct perf_event_attr a;
	uint64_t all = 0;

	(void)state;
	/* each bit alone (time added so the record is ordered), then all of them */
	for (int bit = 0; bit < 25; bit++) {
		uint64_t t = 1ULL << bit;

		set_layout_attr(&a, t | PERF_SAMPLE_TIME);
		roundtrip(&a, 2);
		if (t != PERF_SAMPLE_WEIGHT)	/* WEIGHT and WEIGHT_STRUCT share one slot */
			all |= t;
	}
	set_layout_attr(&a, all);
	roundtrip(&a, 2);
	a.branch_sample_type = PERF_SAMPLE_BRANCH_ANY | PERF_SAMPLE_BRANCH_HW_INDEX;
	roundtrip(&a, 2);
	a.sample_type = all & ~PERF_SAMPLE_WEIGHT_STRUCT;
	a.sample_type |= PERF_SAMPLE_WEIGHT;
	roundtrip(&a, 2);
}

static void test_read_formats(void **state)
{
	(void)state;
	for (uint64_t rf = 0; rf < 32; rf++) {
		struct perf_event_attr a = mkattr(PERF_SAMPLE_IP | PERF_SAMPLE_TIME | PERF_SAMPLE_READ |
						  PERF_SAMPLE_CALLCHAIN);
		uint32_t per = 1 + !!(rf & PERF_FORMAT_ID) + !!(rf & PERF_FORMAT_LOST);
		uint32_t words = !!(rf & PERF_FORMAT_TOTAL_TIME_ENABLED) +
				 !!(rf & PERF_FORMAT_TOTAL_TIME_RUNNING);

		a.read_format = rf;
		if (rf & PERF_FORMAT_GROUP) {
			words += 1 + 3 * per;	/* nr, then 3 members */
		} else {
			words += per;
		}
		struct pdw w;
		struct pdw_sample s = full_sample(words);
		struct fs_error err;
		struct fs_event ev;
		struct fs_reader *r;
		const char *path;
		int ret;

		if (rf & PERF_FORMAT_GROUP)
			readv[0] = 3;		/* nr comes first */
		pdw_init(&w, false);
		pdw_attr(&w, &a, NULL, 0, NULL);
		pdw_sample(&w, 0, &s);
		path = save(&w, "read.data", NULL, NULL);
		r = fs_reader__open(path, &err);
		assert_non_null(r);
		while ((ret = fs_reader__next(r, &ev, &err)) > 0)
			if (ev.event->header.type == PERF_RECORD_SAMPLE)
				check_sample(&ev.sample, &s, &a);
		if (ret < 0)
			fail_msg("read_format %#llx: %s", (unsigned long long)rf, err.msg);
		fs_reader__close(r);
	}
}

/* ---- sample_id_all ---- */

static void test_sample_id_all(void **state)
{
	static const uint64_t types[] = {
		PERF_SAMPLE_TID | PERF_SAMPLE_TIME,
		PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_ID | PERF_SAMPLE_CPU,
		PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_STREAM_ID |
			PERF_SAMPLE_CPU | PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_CALLCHAIN,
		PERF_SAMPLE_TIME | PERF_SAMPLE_IDENTIFIER,
	};

	(void)state;
	for (unsigned int i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		struct perf_event_attr a = mkattr(types[i]);
		struct pdw_sample id = { .pid = 5, .tid = 6, .time = 700, .id = 77, .stream_id = 78,
					 .cpu = 2 };
		struct pdw w;
		struct fs_error err;
		struct fs_event ev;
		struct fs_reader *r;
		int ret, seen = 0;

		pdw_init(&w, false);
		pdw_attr(&w, &a, (uint64_t[]){ 77 }, 1, NULL);
		pdw_comm(&w, 0, 5, 6, "worker", &id);
		pdw_lost(&w, 0, 3, &id);
		r = fs_reader__open(save(&w, "sid.data", NULL, NULL), &err);
		assert_non_null(r);
		while ((ret = fs_reader__next(r, &ev, &err)) > 0) {
			assert_true(ev.has_sample);
			assert_int_equal(ev.sample.time, 700);
			if (types[i] & PERF_SAMPLE_TID)
				assert_int_equal(ev.sample.tid, 6);
			if (types[i] & (PERF_SAMPLE_ID | PERF_SAMPLE_IDENTIFIER))
				assert_int_equal(ev.sample.id, 77);
			if (types[i] & PERF_SAMPLE_CPU)
				assert_int_equal(ev.sample.cpu, 2);
			if (types[i] & PERF_SAMPLE_STREAM_ID)
				assert_int_equal(ev.sample.stream_id, 78);
			seen++;
		}
		assert_int_equal(ret, 0);
		assert_int_equal(seen, 2);
		assert_int_equal(fs_reader__stats(r)->nr_lost, 3);
		assert_int_equal(fs_reader__stats(r)->nr_records[PERF_RECORD_COMM], 1);
		fs_reader__close(r);
	}
}

/* Without sample_id_all, non-sample records carry no time and come at once. */
static void test_no_sample_id_all(void **state)
{
	struct perf_event_attr a = mkattr(PERF_SAMPLE_IP | PERF_SAMPLE_TIME);
	struct pdw w;
	struct rec recs[8];
	struct fs_error err;
	int n;

	(void)state;
	a.sample_id_all = 0;
	pdw_init(&w, false);
	pdw_attr(&w, &a, NULL, 0, NULL);
	pdw_sample(&w, 0, &(struct pdw_sample){ .ip = 1, .time = 50 });
	pdw_comm(&w, 0, 1, 1, "x", &(struct pdw_sample){ .time = 10 });
	n = collect(save(&w, "nosid.data", NULL, NULL), recs, 8, NULL, &err);
	assert_int_equal(n, 2);
	assert_int_equal(recs[0].type, PERF_RECORD_COMM);	/* at once */
	assert_false(recs[0].has_sample);
	assert_int_equal(recs[0].time, (uint64_t)-1);
	assert_int_equal(recs[1].type, PERF_RECORD_SAMPLE);	/* at the final flush */
}

/* ---- several events ---- */

static void build_two(struct pdw *w, bool pipe, bool desc)
{
	uint64_t t = PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME;
	struct perf_event_attr a = mkattr(t), b = mkattr(t);

	b.type = PERF_TYPE_HARDWARE;
	b.config = PERF_COUNT_HW_CPU_CYCLES;
	b.exclude_kernel = 1;
	b.exclude_hv = 1;
	pdw_init(w, pipe);
	w->event_desc = desc;
	pdw_attr(w, &a, (uint64_t[]){ 10, 11 }, 2, "first-event");
	pdw_attr(w, &b, (uint64_t[]){ 20, 21 }, 2, "second-event");
	for (int i = 0; i < 10; i++)
		pdw_sample(w, 0, &(struct pdw_sample){ .id = i % 3 ? 10 + i % 2 : 20 + i % 2,
						       .ip = i, .time = 100 + i });
	pdw_comm(w, 1, 9, 9, "c", &(struct pdw_sample){ .id = 21, .time = 50 });
	pdw_sample(w, 0, &(struct pdw_sample){ .id = 99, .ip = 99, .time = 200 });
	pdw_other(w, 1, PERF_RECORD_LOST_SAMPLES, &(struct pdw_sample){ .id = 20, .time = 150 });
	pdw_round(w);
}

static void test_two_events(void **state)
{
	(void)state;
	for (int pipe = 0; pipe < 2; pipe++) {
		struct pdw w;
		struct fs_error err;
		struct fs_event ev;
		struct fs_reader *r;
		const struct fs_header *h;
		int ret, a = 0, b = 0, unknown = 0;

		build_two(&w, pipe, true);
		r = fs_reader__open(save(&w, "two.data", NULL, NULL), &err);
		assert_non_null(r);
		while ((ret = fs_reader__next(r, &ev, &err)) > 0) {
			if (ev.event->header.type == PERF_RECORD_COMM) {
				assert_non_null(ev.sample.evsel);
				assert_int_equal(ev.sample.evsel->idx, 1);
			}
			if (ev.event->header.type != PERF_RECORD_SAMPLE)
				continue;
			if (!ev.sample.evsel) {
				assert_false(ev.has_sample);	/* no layout to parse it with */
				assert_int_equal(ev.event->sample.array[1], 99);	/* IDENTIFIER, IP */
				unknown++;
				continue;
			}
			/* written with id 20/21 when ip % 3 == 0 */
			assert_int_equal(ev.sample.evsel->idx, ev.sample.ip % 3 ? 0 : 1);
			ev.sample.evsel->idx ? b++ : a++;
		}
		assert_int_equal(ret, 0);
		h = fs_reader__header(r);
		assert_int_equal(h->nr_evsels, 2);
		assert_string_equal(h->evsels[0].name, "first-event");
		assert_string_equal(h->evsels[1].name, "second-event");
		assert_int_equal(h->evsels[0].nr_samples, 6);
		assert_int_equal(h->evsels[1].nr_samples, 4);
		assert_int_equal(a, 6);
		assert_int_equal(b, 4);
		assert_int_equal(unknown, 1);
		assert_int_equal(fs_reader__stats(r)->nr_unknown_id, 1);
		/* pdw_other's body: lost = 0x1234, told apart by its trailer's id */
		assert_int_equal(fs_reader__stats(r)->nr_lost_samples, 0x1234);
		assert_int_equal(h->evsels[0].nr_lost_samples, 0);
		assert_int_equal(h->evsels[1].nr_lost_samples, 0x1234);
		fs_reader__close(r);
	}
}

/* Names perf gives without EVENT_DESC (evsel__name + evsel__add_modifiers). */
static void test_default_names(void **state)
{
	struct pdw w;
	struct fs_error err;
	struct fs_reader *r;
	const struct fs_header *h;

	(void)state;
	build_two(&w, false, false);
	r = fs_reader__open(save(&w, "names.data", NULL, NULL), &err);
	assert_non_null(r);
	h = fs_reader__header(r);
	assert_string_equal(h->evsels[0].name, "cpu-clock");
	/* exclude_kernel+hv: ":u"; exclude_guest set as the default then: 'H' */
	assert_string_equal(h->evsels[1].name, "cycles:uH");
	fs_reader__close(r);
}

/* ---- pipe mode ---- */

/* Kernel records only, user records (ATTR, FEATURE, COMPRESSED ...) dropped. */
static int kernel_records(const char *path, struct rec *out, int max)
{
	struct fs_error err;
	int n = collect(path, out, max, NULL, &err), k = 0;

	if (n < 0)
		fail_msg("%s", err.msg);
	assert_true(n <= max);
	for (int i = 0; i < n; i++)
		if (out[i].type < PERF_RECORD_USER_TYPE_START)
			out[k++] = out[i];
	return k;
}

static void same_records(const char *a, const char *b)
{
	static struct rec ra[256], rb[256];
	int na = kernel_records(a, ra, 256), nb = kernel_records(b, rb, 256);

	assert_true(na > 0);
	assert_int_equal(na, nb);
	for (int i = 0; i < na; i++) {
		assert_int_equal(ra[i].type, rb[i].type);
		assert_int_equal(ra[i].time, rb[i].time);
		assert_int_equal(ra[i].ip, rb[i].ip);
		assert_int_equal(ra[i].evsel, rb[i].evsel);
	}
}

static void test_pipe_mode(void **state)
{
	struct pdw w;
	struct fs_error err;
	struct fs_reader *r;
	const char *file, *pipe;
	int saved, fd;

	(void)state;
	build_small(&w, false);
	file = save(&w, "small.data", NULL, NULL);
	build_small(&w, true);
	pipe = save(&w, "small.pipe", NULL, NULL);
	same_records(file, pipe);
	/* kernel records only: attrs and features are not counted as data */
	r = fs_reader__open(pipe, &err);
	assert_non_null(r);
	assert_true(fs_reader__header(r)->pipe_mode);
	while (fs_reader__next(r, &(struct fs_event){ 0 }, &err) > 0)
		;
	check_header(fs_reader__header(r));
	assert_string_equal(fs_reader__header(r)->evsels[0].name, "cpu-clock:pppH");
	assert_int_equal(fs_reader__stats(r)->nr_records[PERF_RECORD_HEADER_ATTR], 1);
	assert_int_equal(fs_reader__stats(r)->nr_samples, 2);
	fs_reader__close(r);

	/* the same stream from stdin */
	saved = dup(0);
	fd = open(pipe, O_RDONLY);
	assert_true(fd >= 0 && saved >= 0);
	dup2(fd, 0);
	close(fd);
	r = fs_reader__open("-", &err);
	assert_non_null(r);
	int n = 0;
	struct fs_event ev;

	while (fs_reader__next(r, &ev, &err) > 0)
		n += ev.event->header.type == PERF_RECORD_SAMPLE;
	assert_int_equal(n, 2);
	fs_reader__close(r);
	dup2(saved, 0);
	close(saved);
}

/* A pipe stream bigger than the reader's chunk, with a round every so often. */
static void test_pipe_large(void **state)
{
	struct perf_event_attr a = mkattr(PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME |
					  PERF_SAMPLE_CALLCHAIN);
	uint64_t chain[40];
	struct fs_reader_stats st;
	struct fs_error err;
	struct rec recs[4];
	struct pdw w;
	const char *path;
	int n;

	(void)state;
	for (int i = 0; i < 40; i++)
		chain[i] = 0x400000 + i;
	pdw_init(&w, true);
	pdw_attr(&w, &a, NULL, 0, NULL);
	for (int i = 0; i < 20000; i++) {
		/* two interleaved "cpus" whose times cross */
		pdw_sample(&w, 0, &(struct pdw_sample){ .ip = i, .time = 1000 + (i % 2 ? i : i + 7),
							.callchain = chain, .nr_callchain = 1 + i % 40 });
		if (i % 1000 == 999)
			pdw_round(&w);
	}
	path = save(&w, "large.pipe", NULL, NULL);
	n = collect(path, recs, 4, &st, &err);
	if (n < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(st.nr_samples, 20000);
	assert_int_equal(st.nr_records[PERF_RECORD_FINISHED_ROUND], 20);
	assert_int_equal(st.first_sample_time, 1001);
}

/*
 * A stream without FINISHED_ROUND records (perf record -o - on some paths)
 * read with a small queue limit: perf's HALF flush delivers its older half
 * whenever it fills, so records come out while the stream is still being
 * read (memory bounded), in the order an unbounded queue gives when no
 * record straggles more than half the queue's span.
 */
static void read_unrounded(const char *path, uint64_t queue_max, struct rec *out, int max,
			   uint64_t *first_at, struct fs_reader_stats *st)
{
	struct fs_error err;
	struct fs_reader *r = fs_reader__open(path, &err);
	struct fs_event ev;
	int n = 0, ret;

	assert_non_null(r);
	if (queue_max)
		fs_reader__set_queue_max(r, queue_max);
	*first_at = 0;
	while ((ret = fs_reader__next(r, &ev, &err)) > 0) {
		if (ev.event->header.type != PERF_RECORD_SAMPLE)
			continue;
		if (!n)
			*first_at = fs_reader__stats(r)->bytes_read;
		assert_true(n < max);
		out[n].time = ev.sample.time;
		out[n].ip = ev.sample.ip;
		n++;
	}
	assert_int_equal(ret, 0);
	assert_int_equal(n, max);
	*st = *fs_reader__stats(r);
	fs_reader__close(r);
}

static void test_pipe_queue_bound(void **state)
{
	struct perf_event_attr a = mkattr(PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME |
					  PERF_SAMPLE_CALLCHAIN);
	enum { N = 40000 };
	static struct rec all[N], bounded[N];
	struct fs_reader_stats st_all, st_bounded;
	uint64_t chain[16], first_all, first_bounded;
	const char *path;
	size_t len;
	struct pdw w;

	(void)state;
	for (int i = 0; i < 16; i++)
		chain[i] = 0x400000 + i;
	pdw_init(&w, true);
	pdw_attr(&w, &a, NULL, 0, NULL);
	for (int i = 0; i < N; i++) {
		/* four "cpus" written in turn, each a little behind the others */
		uint64_t t = 1000000 + 10ull * i - 25 * (i % 4);

		pdw_sample(&w, 0, &(struct pdw_sample){ .ip = i, .time = t, .callchain = chain,
							.nr_callchain = 1 + i % 16 });
	}
	path = save(&w, "unrounded.pipe", &len, NULL);
	read_unrounded(path, 0, all, N, &first_all, &st_all);
	read_unrounded(path, 64 << 10, bounded, N, &first_bounded, &st_bounded);
	assert_int_equal(st_all.nr_records[PERF_RECORD_FINISHED_ROUND], 0);
	/* unbounded, nothing comes out before the end; bounded, after 64 KB or so */
	assert_int_equal(first_all, st_all.bytes_read);
	assert_true(first_bounded < 256 << 10);
	assert_true(st_bounded.bytes_read > 8 * first_bounded);
	for (int i = 0; i < N; i++) {
		assert_int_equal(bounded[i].time, all[i].time);
		assert_int_equal(bounded[i].ip, all[i].ip);
		assert_true(!i || all[i].time >= all[i - 1].time);
	}
	assert_int_equal(st_all.nr_unordered, 0);
	assert_int_equal(st_bounded.nr_unordered, 0);
}

/* Offset of the i-th record of a file-mode data section. */
static size_t record_at(const uint8_t *buf, int i)
{
	uint64_t at;
	uint16_t size;

	memcpy(&at, buf + 40, 8);
	while (i--) {
		memcpy(&size, buf + at + 6, 2);
		at += size;
	}
	return at;
}

/* ---- compressed ---- */

static void build_mixed(struct pdw *w, bool pipe, size_t chunk)
{
	struct perf_event_attr a = mkattr(PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME |
					  PERF_SAMPLE_IDENTIFIER);

	pdw_init(w, pipe);
	pdw_attr(w, &a, (uint64_t[]){ 5 }, 1, "c");
	pdw_comm(w, 0, 1, 1, "a", &(struct pdw_sample){ .id = 5, .time = 0 });
	if (chunk)
		pdw_compress(w, chunk);
	for (int r = 0; r < 4; r++) {
		for (int i = 0; i < 12; i++)
			pdw_sample(w, 0, &(struct pdw_sample){ .id = 5, .ip = r * 100 + i,
							       .time = 1000 + r * 10 + (i * 7) % 13 });
		pdw_comm(w, 0, 2, 2, "b", &(struct pdw_sample){ .id = 5, .time = 1000 + r * 10 + 3 });
		pdw_round(w);
	}
}

static void test_compressed(void **state)
{
	(void)state;
	for (int pipe = 0; pipe < 2; pipe++) {
		struct pdw w;
		struct fs_reader_stats st;
		struct fs_error err;
		struct rec recs[128];
		const char *plain, *packed;
		size_t len;
		uint8_t *buf;
		int n;

		build_mixed(&w, pipe, 0);
		plain = save(&w, "plain.data", NULL, NULL);
		build_mixed(&w, pipe, 37);	/* records span COMPRESSED records */
		packed = save(&w, "packed.data", &len, &buf);
		same_records(plain, packed);
		n = collect(packed, recs, 128, &st, &err);
		assert_true(n > 50);
		assert_true(st.nr_records[PERF_RECORD_COMPRESSED] > 8);
		assert_int_equal(st.nr_samples, 48);
		/* inner records carry the offset of a COMPRESSED record */
		for (int i = 0; i < n && i < 128; i++) {
			struct perf_event_header h;	/* COMPRESSED records sit unaligned */

			memcpy(&h, buf + recs[i].off, sizeof(h));
			if (recs[i].type == PERF_RECORD_SAMPLE)
				assert_int_equal(h.type, PERF_RECORD_COMPRESSED);
		}
		free(buf);
	}
}

static void test_bad_zstd(void **state)
{
	struct pdw w;
	struct fs_error err;
	struct rec recs[4];
	uint8_t *buf;
	size_t len, off = 0;
	const char *path;

	(void)state;
	build_mixed(&w, false, 4096);
	path = save(&w, "badz.data", &len, &buf);
	/* garble the first COMPRESSED payload (after the plain COMM) */
	off = record_at(buf, 1);
	assert_int_equal(buf[off], PERF_RECORD_COMPRESSED);
	memset(buf + off + 8, 0xee, 16);
	pdw_save(path, buf, len);
	assert_int_equal(collect(path, recs, 4, NULL, &err), -1);
	assert_non_null(strstr(err.msg, "zstd"));
	char want[32];

	snprintf(want, sizeof(want), "%#zx", off);
	assert_non_null(strstr(err.msg, want));
	free(buf);
}

/*
 * A COMPRESSED record that inflates past the mmap length HEADER_COMPRESSED
 * gives (528384 here) is refused as perf refuses it ("Destination buffer is
 * too small"), having inflated no more than that: 2.8 MB of records that
 * zstd packs into one 60 KB record (a bomb of 1 GiB each took 3 GB before).
 */
static void test_zstd_bomb(void **state)
{
	struct perf_event_attr a = mkattr(PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME |
					  PERF_SAMPLE_IDENTIFIER);
	struct fs_error err = { "" };
	struct fs_reader *r;
	struct fs_event ev;
	struct pdw w;
	const char *path;
	int ret, n = 0;

	(void)state;
	for (int pipe = 0; pipe < 2; pipe++) {
		pdw_init(&w, pipe);
		pdw_attr(&w, &a, (uint64_t[]){ 5 }, 1, "c");
		pdw_comm(&w, 0, 1, 1, "a", &(struct pdw_sample){ .id = 5, .time = 0 });
		pdw_compress(&w, 60000);
		for (int i = 0; i < 70000; i++)
			pdw_comm(&w, 0, 2, 2, "bomb", &(struct pdw_sample){ .id = 5, .time = 0 });
		pdw_round(&w);
		path = save(&w, "bomb.data", NULL, NULL);
		r = fs_reader__open(path, &err);
		assert_non_null(r);
		n = 0;
		while ((ret = fs_reader__next(r, &ev, &err)) > 0)
			n++;
		assert_int_equal(ret, -1);
		assert_true(n >= 1);	/* the plain COMM before it was delivered */
		if (!strstr(err.msg, "Destination buffer is too small") || !strstr(err.msg, "528384"))
			fail_msg("%s", err.msg);
		assert_true(fs_reader__stats(r)->nr_compressed_bytes <= 528384);
		fs_reader__close(r);
	}
}

/* ---- order ---- */

/*
 * perf's ordered_events by hand: next_flush starts at 0 and becomes the
 * queue's max time after each round; a first insert into an empty queue
 * resets that max.
 */
static void test_order_rounds(void **state)
{
	struct perf_event_attr a = mkattr(PERF_SAMPLE_IP | PERF_SAMPLE_TIME);
	static const uint64_t times[] = { 10, 5, 0, 7, 3, 20, 0, 7, 1, 15, 0, 30, 0, 0, 10, 0, 0,
					  20, 40, 0, 15 };
	/* 0 marks a FINISHED_ROUND */
	struct pdw w;
	struct rec recs[32];
	struct fs_reader_stats st;
	struct fs_error err;
	int n, k = 0;
	uint64_t got[32];

	(void)state;
	pdw_init(&w, false);
	pdw_attr(&w, &a, NULL, 0, NULL);
	for (unsigned int i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		if (times[i])
			pdw_sample(&w, 0, &(struct pdw_sample){ .ip = i, .time = times[i] });
		else
			pdw_round(&w);
	}
	n = collect(save(&w, "order.data", NULL, NULL), recs, 32, &st, &err);
	assert_true(n > 0);
	for (int i = 0; i < n; i++)
		if (recs[i].type == PERF_RECORD_SAMPLE)
			got[k++] = recs[i].ip;
	/*
	 * round 1: flush <= 0: nothing; next = 10.
	 * round 2: queue 10 5 7 3 20: deliver 3 5 7 10; next = 20.
	 * round 3: queue 20 7' 1 15: deliver 1 7' 15 20; next = 20 (max 20).
	 * round 4: queue 30: nothing <= 20; next = 30.
	 * round 5: deliver 30; next = 30.
	 * round 6: queue 10'' (empty queue: max reset to 10): deliver 10''; next = 10.
	 * round 7: empty queue: unchanged.
	 * round 8: queue 20'' 40: nothing <= 10 (a global max of 30 would let 20'' go).
	 * final: 15'' 20'' 40.
	 */
	static const uint64_t want[] = { 4, 1, 3, 0, 8, 7, 9, 5, 11, 14, 20, 17, 18 };

	assert_int_equal(k, sizeof(want) / sizeof(want[0]));
	for (int i = 0; i < k; i++)
		assert_int_equal(got[i], want[i]);
	assert_int_equal(st.nr_unordered, 3);	/* 7' and 1 (< 10), 10'' (< 30) */
}

/* set_ordered(false): file order, as perf report --stats walks. */
static void test_unordered(void **state)
{
	struct perf_event_attr a = mkattr(PERF_SAMPLE_IP | PERF_SAMPLE_TIME);
	static const uint64_t times[] = { 10, 5, 0, 7, 3, 20, 0, 1 };
	struct pdw w;
	struct fs_error err;
	struct fs_event ev;
	struct fs_reader *r;
	uint64_t want = 0;

	(void)state;
	pdw_init(&w, false);
	pdw_attr(&w, &a, NULL, 0, NULL);
	for (unsigned int i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		if (times[i])
			pdw_sample(&w, 0, &(struct pdw_sample){ .ip = i, .time = times[i] });
		else
			pdw_round(&w);
	}
	r = fs_reader__open(save(&w, "unordered.data", NULL, NULL), &err);
	assert_non_null(r);
	fs_reader__set_ordered(r, false);
	while (fs_reader__next(r, &ev, &err) > 0) {
		if (ev.event->header.type == PERF_RECORD_FINISHED_ROUND)
			assert_int_equal(times[want], 0);
		else
			assert_int_equal(ev.sample.ip, want);
		want++;
	}
	assert_int_equal(want, sizeof(times) / sizeof(times[0]));
	assert_int_equal(fs_reader__stats(r)->nr_samples, 6);
	assert_int_equal(fs_reader__stats(r)->first_sample_time, 1);
	assert_int_equal(fs_reader__stats(r)->last_sample_time, 20);
	fs_reader__close(r);
}

/* A straightforward model of perf's list-based queue, against random input. */
struct model {
	uint64_t ts[4096], ip[4096];
	int n;
	uint64_t next_flush, max_ts;
};

static void model_insert(struct model *m, uint64_t ts, uint64_t ip)
{
	int i = m->n;

	if (!m->n || ts >= m->max_ts)
		m->max_ts = ts;
	while (i > 0 && m->ts[i - 1] > ts) {
		m->ts[i] = m->ts[i - 1];
		m->ip[i] = m->ip[i - 1];
		i--;
	}
	m->ts[i] = ts;
	m->ip[i] = ip;
	m->n++;
}

static int model_flush(struct model *m, uint64_t limit, uint64_t *out)
{
	int k = 0;

	if (!m->n)
		return 0;
	while (k < m->n && limit && m->ts[k] <= limit) {
		out[k] = m->ip[k];
		k++;
	}
	memmove(m->ts, m->ts + k, (m->n - k) * 8);
	memmove(m->ip, m->ip + k, (m->n - k) * 8);
	m->n -= k;
	return k;
}

static void test_order_random(void **state)
{
	struct perf_event_attr a = mkattr(PERF_SAMPLE_IP | PERF_SAMPLE_TIME | PERF_SAMPLE_TID);
	static struct rec recs[5000];
	static uint64_t want[5000];
	static struct model m;

	(void)state;
	srand(1234);
	for (int iter = 0; iter < 20; iter++) {
		struct pdw w;
		struct fs_error err;
		int nw = 0, n, k = 0;

		memset(&m, 0, sizeof(m));
		pdw_init(&w, iter % 2);
		if (iter % 4 == 3)
			pdw_compress(&w, 200);
		pdw_attr(&w, &a, NULL, 0, NULL);
		for (int i = 0; i < 2000; i++) {
			if (rand() % 50 == 0) {
				pdw_round(&w);
				int f = model_flush(&m, m.next_flush, want + nw);

				nw += f;
				if (m.n || f)
					m.next_flush = m.max_ts;
				continue;
			}
			/* a few equal times, some far back */
			uint64_t ts = 1 + i / 3 + (rand() % 8 == 0 ? rand() % 300 : 0);

			if (ts > 1 + (uint64_t)i / 3 && rand() % 2)
				ts = ts > 400 ? ts - 400 : 1;
			pdw_sample(&w, 0, &(struct pdw_sample){ .ip = i, .time = ts });
			model_insert(&m, ts, i);
		}
		nw += model_flush(&m, UINT64_MAX, want + nw);
		n = collect(save(&w, "random.data", NULL, NULL), recs, 5000, NULL, &err);
		if (n < 0)
			fail_msg("%s", err.msg);
		for (int i = 0; i < n; i++) {
			if (recs[i].type != PERF_RECORD_SAMPLE)
				continue;
			assert_true(k < nw);
			if (recs[i].ip != want[k])
				fail_msg("iter %d: sample %d: ip %llu, model %llu", iter, k,
					 (unsigned long long)recs[i].ip, (unsigned long long)want[k]);
			k++;
		}
		assert_int_equal(k, nw);
	}
}

/* ---- bad input ---- */

static void expect_error(const char *path, const char *what, const char *offset)
{
	struct fs_error err;
	struct rec recs[64];

	err.msg[0] = 0;
	if (collect(path, recs, 64, NULL, &err) != -1)
		fail_msg("%s: no error for %s", path, what);
	if (!strstr(err.msg, path) || !strstr(err.msg, what) || (offset && !strstr(err.msg, offset)))
		fail_msg("%s: message \"%s\" lacks \"%s\" or \"%s\"", path, err.msg, what,
			 offset ? offset : "");
	assert_null(strchr(err.msg, '\n'));
}

/* Damage perf reads past: every record before it, then the end, and a note naming it. */
static void expect_note(const char *path, const char *what, const char *where, uint64_t nr)
{
	struct fs_error err = { "" };
	struct fs_reader *r = fs_reader__open(path, &err);
	struct fs_event ev;
	uint64_t n = 0;
	int ret;

	if (!r)
		fail_msg("%s: %s", path, err.msg);
	while ((ret = fs_reader__next(r, &ev, &err)) > 0)
		n += ev.event->header.type == PERF_RECORD_SAMPLE;
	if (ret)
		fail_msg("%s: %s", path, err.msg);
	assert_non_null(fs_reader__note(r));
	if (!strstr(fs_reader__note(r), what) || (where && !strstr(fs_reader__note(r), where)))
		fail_msg("%s: note '%s' (wanted %s at %s)", path, fs_reader__note(r), what, where);
	assert_int_equal(n, nr);
	fs_reader__close(r);
}

static const char *write_bytes(const char *name, const void *p, size_t len)
{
	const char *path = tmp_path(name);

	assert_int_equal(pdw_save(path, p, len), 0);
	return path;
}


static void test_bad_input(void **state)
{
	struct pdw w;
	uint8_t *buf, *copy;
	size_t len, at;
	char off[32];
	uint64_t v;

	(void)state;
	expect_error(write_bytes("empty.data", "", 0), "empty", "0");
	expect_error(dir, "directory", NULL);
	expect_error(tmp_path("missing.data"), "cannot open", NULL);
	expect_error(write_bytes("junk.data", "hello world, not perf", 21), "magic", "offset 0");
	expect_error(write_bytes("v1.data", "PERFFILE\x68\0\0\0\0\0\0\0", 16), "version 1", "0");
	expect_error(write_bytes("swapped.data", "2ELIFREP\0\0\0\0\0\0\0\x68", 16), "endian", NULL);
	expect_error(write_bytes("short.data", "PERFILE2", 8), "truncated", "0");

	build_two(&w, false, true);
	(void)save(&w, "base.data", &len, &buf);
	copy = malloc(len);

	/* truncated in the data section */
	expect_error(write_bytes("trunc.data", buf, record_at(buf, 3) + 5), "truncated", NULL);
	/* header cut short */
	expect_error(write_bytes("trunc2.data", buf, 60), "truncated", "0");

	/* a record of size 0, 4, and one past the end */
	for (int k = 0; k < 3; k++) {
		static const uint16_t sizes[] = { 0, 4, 0xfff8 };
		static const char *const what[] = { "size 0", "size 4", "past the end" };

		memcpy(copy, buf, len);
		at = record_at(buf, 2);
		memcpy(copy + at + 6, &sizes[k], 2);
		snprintf(off, sizeof(off), "%#zx", at);
		expect_error(write_bytes("size.data", copy, len), what[k], off);
	}
	/* attrs out of bounds */
	memcpy(copy, buf, len);
	v = len + 100;
	memcpy(copy + 24, &v, 8);
	expect_error(write_bytes("attrs.data", copy, len), "attr section", NULL);
	/* ids out of bounds: first attr's ids section offset */
	memcpy(copy, buf, len);
	memcpy(&v, buf + 24, 8);
	at = v + sizeof(struct perf_event_attr);
	v = 1ULL << 40;
	memcpy(copy + at, &v, 8);
	expect_error(write_bytes("ids.data", copy, len), "ids section", NULL);
	/* a feature section out of bounds: first table entry */
	memcpy(copy, buf, len);
	memcpy(&v, buf + 40, 8);
	at = v;
	memcpy(&v, buf + 48, 8);
	at += v;
	v = len - 4;
	memcpy(copy + at, &v, 8);
	snprintf(off, sizeof(off), "%#zx", at);
	expect_note(write_bytes("feat.data", copy, len), "feature", off, 11);
	/* unknown header size */
	memcpy(copy, buf, len);
	v = 96;
	memcpy(copy + 8, &v, 8);
	expect_error(write_bytes("hsize.data", copy, len), "header size", "0x8");
	/* a sample too small for its sample_type: size 8, the rest made a user record */
	memcpy(copy, buf, len);
	at = record_at(buf, 0);
	{
		struct perf_event_header h8 = { PERF_RECORD_SAMPLE, 0, 8 }, rest = { 82, 0, 32 };

		assert_int_equal(((struct perf_event_header *)(buf + at))->size, 40);
		memcpy(copy + at, &h8, 8);
		memcpy(copy + at + 8, &rest, 8);
	}
	snprintf(off, sizeof(off), "%#zx", at);
	expect_error(write_bytes("small.data", copy, len), "too small", off);
	free(copy);
	free(buf);

	/* pipe mode: a stream cut inside a record */
	build_two(&w, true, true);
	(void)save(&w, "base.pipe", &len, &buf);
	expect_note(write_bytes("trunc.pipe", buf, len - 3), "ends inside", NULL, 11);
	/* a size-0 record in a stream */
	copy = malloc(len);
	memcpy(copy, buf, len);
	at = len - 8;	/* the final FINISHED_ROUND */
	memset(copy + at + 6, 0, 2);
	snprintf(off, sizeof(off), "%#zx", at);
	expect_error(write_bytes("zero.pipe", copy, len), "size 0", off);
	free(copy);
	free(buf);
}

/* Random corruption never crashes, hangs or reads out of bounds (ASan build). */
static void test_fuzz(void **state)
{
	for (int pipe = 0; pipe < 2; pipe++) {
		struct pdw w;
		uint8_t *buf, *copy;
		size_t len;

		(void)state;
		build_mixed(&w, pipe, pipe ? 0 : 64);
		(void)save(&w, "fuzz-base.data", &len, &buf);
		copy = malloc(len);
		srand(99 + pipe);
		for (int iter = 0; iter < 1500; iter++) {
			struct fs_error err;
			struct rec recs[4];
			int flips = 1 + rand() % 4;
			size_t cut = rand() % 5 == 0 ? (size_t)rand() % len : len;

			memcpy(copy, buf, len);
			for (int f = 0; f < flips; f++)
				copy[rand() % len] = rand();
			collect(write_bytes("fuzz.data", copy, cut), recs, 4, NULL, &err);
		}
		free(copy);
		free(buf);
	}
}

static int setup(void **state)
{
	(void)state;
	/* tmpfs when there is one: the fuzz test writes thousands of files */
	snprintf(dir, sizeof(dir), "/dev/shm/fs-reader-test.XXXXXX");
	if (mkdtemp(dir))
		return 0;
	snprintf(dir, sizeof(dir), "/tmp/fs-reader-test.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_features),
		cmocka_unit_test(test_sample_layouts),
		cmocka_unit_test(test_read_formats),
		cmocka_unit_test(test_sample_id_all),
		cmocka_unit_test(test_no_sample_id_all),
		cmocka_unit_test(test_two_events),
		cmocka_unit_test(test_default_names),
		cmocka_unit_test(test_pipe_mode),
		cmocka_unit_test(test_pipe_large),
		cmocka_unit_test(test_compressed),
		cmocka_unit_test(test_bad_zstd),
		cmocka_unit_test(test_zstd_bomb),
		cmocka_unit_test(test_order_rounds),
		cmocka_unit_test(test_pipe_queue_bound),
		cmocka_unit_test(test_order_random),
		cmocka_unit_test(test_unordered),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_fuzz),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
