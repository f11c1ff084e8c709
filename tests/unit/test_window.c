// SPDX-License-Identifier: GPL-2.0-only
/*
 * The live window (core/window.c): samples kept in time order and evicted
 * from the front; compaction that keeps what the kept samples show while
 * the interned tables stay bounded; pruning of dead processes' records and
 * the session rebuilt from what is left; the window as records again.
 * Records are built here as the kernel lays them out for the live source's
 * attr (IP|TID|TIME|CALLCHAIN|CPU|PERIOD, sample_id_all).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "view.h"
#include "window.h"

#define KBASE		0xffffffff81000000ull
#define NR_KSYMS	4096
#define JIT_PID		3999001		/* above any pid_max: its perf map is ours */
#define JIT_ADDR	0x10000ull

static char kallsyms[64], jitmap[64];
static struct fs_evsel evsel;
static struct fs_header hdr;

union rec {
	union perf_event ev;
	uint64_t words[512];
};

static void trailer(uint64_t **p, uint32_t pid, uint32_t tid, uint64_t time)
{
	uint64_t *a = *p;

	*a++ = (uint64_t)tid << 32 | pid;
	*a++ = time;
	*a++ = 0;		/* cpu 0, res */
	*p = a;
}

static void deliver(struct fs_window *w, union rec *r)
{
	struct fs_event ev = { .event = &r->ev };

	ev.has_sample = !fs_evsel__parse_sample(&evsel, &r->ev, &ev.sample);
	assert_true(ev.has_sample);
	assert_int_equal(fs_window__add(w, &ev, NULL), 0);
}

/* A sample: the kernel frames kips (innermost first), then user frames uips. */
static void sample(struct fs_window *w, uint32_t pid, uint32_t tid, uint64_t time,
		   const uint64_t *kips, int nk, const uint64_t *uips, int nu)
{
	union rec r;
	uint64_t *a = (uint64_t *)r.ev.sample.array;

	*a++ = nk ? kips[0] : uips[0];
	*a++ = (uint64_t)tid << 32 | pid;
	*a++ = time;
	*a++ = 0;
	*a++ = 1000;				/* period */
	*a++ = (nk ? nk + 1 : 0) + (nu ? nu + 1 : 0);
	if (nk)
		*a++ = PERF_CONTEXT_KERNEL;
	for (int i = 0; i < nk; i++)
		*a++ = kips[i];
	if (nu)
		*a++ = PERF_CONTEXT_USER;
	for (int i = 0; i < nu; i++)
		*a++ = uips[i];
	r.ev.header = (struct perf_event_header){ PERF_RECORD_SAMPLE,
		nk ? PERF_RECORD_MISC_KERNEL : PERF_RECORD_MISC_USER,
		(uint16_t)((uint8_t *)a - (uint8_t *)&r) };
	deliver(w, &r);
}

static void ksample(struct fs_window *w, uint32_t pid, uint64_t time, uint32_t sym)
{
	uint64_t ip = KBASE + 0x100ull * sym + 8;

	sample(w, pid, pid, time, &ip, 1, NULL, 0);
}

static void comm(struct fs_window *w, uint32_t pid, uint32_t tid, const char *name, uint64_t time)
{
	union rec r;
	uint64_t *a;

	memset(&r, 0, sizeof(r));
	r.ev.comm.pid = pid;
	r.ev.comm.tid = tid;
	snprintf(r.ev.comm.comm, 16, "%s", name);
	a = (uint64_t *)((char *)&r + offsetof(struct perf_record_comm, comm) + 16);
	trailer(&a, pid, tid, time);
	r.ev.header = (struct perf_event_header){ PERF_RECORD_COMM, 0,
						  (uint16_t)((uint8_t *)a - (uint8_t *)&r) };
	deliver(w, &r);
}

static void fork_exit(struct fs_window *w, uint32_t type, uint32_t pid, uint32_t ppid,
		      uint64_t time)
{
	union rec r;
	uint64_t *a;

	memset(&r, 0, sizeof(r));
	r.ev.fork.pid = r.ev.fork.tid = pid;
	r.ev.fork.ppid = r.ev.fork.ptid = ppid;
	r.ev.fork.time = time;
	a = (uint64_t *)((char *)&r + sizeof(struct perf_record_fork));
	trailer(&a, pid, pid, time);
	r.ev.header = (struct perf_event_header){ type, 0, (uint16_t)((uint8_t *)a - (uint8_t *)&r) };
	deliver(w, &r);
}

static void mmap2(struct fs_window *w, uint32_t pid, uint16_t misc, uint64_t start, uint64_t len,
		  uint64_t pgoff, const char *name, uint64_t time)
{
	union rec r;
	size_t n = strlen(name) + 1;
	uint64_t *a;

	memset(&r, 0, sizeof(r));
	r.ev.mmap2.pid = r.ev.mmap2.tid = pid;
	r.ev.mmap2.start = start;
	r.ev.mmap2.len = len;
	r.ev.mmap2.pgoff = pgoff;
	r.ev.mmap2.prot = 5;	/* read, exec */
	r.ev.mmap2.flags = 2;
	memcpy(r.ev.mmap2.filename, name, n);
	a = (uint64_t *)((char *)&r + offsetof(struct perf_record_mmap2, filename) + ((n + 7) & ~7ul));
	trailer(&a, pid, pid, time);
	r.ev.header = (struct perf_event_header){ PERF_RECORD_MMAP2, misc,
						  (uint16_t)((uint8_t *)a - (uint8_t *)&r) };
	deliver(w, &r);
}

static struct fs_window *window(uint32_t compact_min, uint32_t rebuild_exits, bool keep)
{
	struct fs_window_config cfg = {
		.syms = { .kallsyms = kallsyms }, .compact_min = compact_min,
		.rebuild_exits = rebuild_exits, .keep_records = keep,
	};
	struct fs_error err;
	struct fs_window *w = fs_window__new(&cfg, &hdr, &err);

	assert_non_null(w);
	mmap2(w, (uint32_t)-1, PERF_RECORD_MISC_KERNEL, KBASE, NR_KSYMS * 0x100ull, KBASE,
	      "[kernel.kallsyms]_text", 0);
	return w;
}

/* The folded stacks of a window's samples, as text. */
static char *folded(const struct fs_window *w)
{
	const struct fs_profile *p = fs_window__profile(w);
	struct fs_filter f = { .event = -1, .include_idle = true };
	struct fs_fold_opts fo = { .kernel = true };
	char *buf = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&buf, &size);

	assert_non_null(out);
	assert_int_equal(fs_filter__prepare(&f, p, NULL), 0);
	assert_int_equal(fs_profile__write_folded(p, &f, &fo, out, NULL), 0);
	fclose(out);
	fs_filter__release(&f);
	return buf;
}

static void test_order_and_evict(void **state)
{
	struct fs_window *w = window(0, 0, false);
	const struct fs_profile *p;

	(void)state;
	comm(w, 10, 10, "app", 0);
	ksample(w, 10, 300, 1);
	ksample(w, 10, 100, 2);		/* stragglers go to their place */
	ksample(w, 10, 200, 3);
	ksample(w, 10, 300, 4);		/* equal times keep their order */
	p = fs_window__profile(w);
	assert_int_equal(p->nr_samples, 4);
	assert_int_equal(p->samples[0].time, 100);
	assert_int_equal(p->samples[1].time, 200);
	assert_int_equal(p->samples[2].time, 300);
	assert_string_equal(fs_profile__str(p, p->frames[p->stacks[p->samples[2].stack].frame].sym), "k1");
	assert_string_equal(fs_profile__str(p, p->frames[p->stacks[p->samples[3].stack].frame].sym), "k4");
	assert_string_equal(fs_profile__str(p, p->samples[0].comm), "app");
	assert_int_equal(fs_window__evict(w, 250, NULL), 0);
	p = fs_window__profile(w);
	assert_int_equal(p->nr_samples, 2);
	assert_int_equal(p->first_time, 300);
	assert_int_equal(fs_window__stats(w)->nr_evicted, 2);
	assert_int_equal(fs_window__evict(w, 1000, NULL), 0);
	assert_int_equal(fs_window__profile(w)->nr_samples, 0);
	ksample(w, 10, 2000, 5);
	assert_int_equal(fs_window__profile(w)->nr_samples, 1);
	fs_window__delete(w);
}

/*
 * Every sample a new stack (a new kernel symbol under a rotating parent),
 * evicted a few hundred at a time: tables stay near what the kept samples
 * use, and what the window shows is what a fresh window given only the kept
 * samples shows.
 */
static void test_compaction(void **state)
{
	struct fs_window *w = window(256, 0, false), *fresh;
	const uint32_t total = 20000, keep = 300;
	uint32_t max_stacks = 0;
	char *a, *b;

	(void)state;
	comm(w, 10, 10, "app", 0);
	for (uint32_t i = 0; i < total; i++) {
		uint64_t ips[2] = { KBASE + 0x100ull * (i % NR_KSYMS) + 8,
				    KBASE + 0x100ull * ((i / 7) % 50) + 16 };

		sample(w, 10, 10, 1000 + i, ips, 2, NULL, 0);
		if (i % 100 == 99) {
			assert_int_equal(fs_window__evict(w, 1000 + i + 1 - keep, NULL), 0);
			if (fs_window__profile(w)->nr_stacks > max_stacks)
				max_stacks = fs_window__profile(w)->nr_stacks;
		}
	}
	assert_true(fs_window__stats(w)->nr_compactions > 10);
	/* kept samples use at most ~2 * keep stacks; compaction lets them double once more */
	assert_true(max_stacks < 4 * 256);
	fresh = window(0, 0, false);
	comm(fresh, 10, 10, "app", 0);
	for (uint32_t i = total - keep; i < total; i++) {
		uint64_t ips[2] = { KBASE + 0x100ull * (i % NR_KSYMS) + 8,
				    KBASE + 0x100ull * ((i / 7) % 50) + 16 };

		sample(fresh, 10, 10, 1000 + i, ips, 2, NULL, 0);
	}
	assert_int_equal(fs_window__profile(w)->nr_samples, keep);
	a = folded(w);
	b = folded(fresh);
	assert_true(strlen(a) > 100);
	assert_string_equal(a, b);
	free(a);
	free(b);
	fs_window__delete(fresh);
	fs_window__delete(w);
}

/*
 * Short-lived processes come and go: their records are pruned once they
 * exited before the window, and the session is rebuilt from what is left.
 * A child forked from a parent that has since died still runs the parent's
 * code (no exec): its samples resolve through the parent's map after the
 * rebuild, so that map stays.
 */
static void test_prune_and_rebuild(void **state)
{
	struct fs_window *w = window(0, 8, true);
	const struct fs_profile *p;
	const struct fs_profile_sample *s;
	uint64_t t = 1000, ip = JIT_ADDR + 0x20;
	uint64_t max_log = 0;

	(void)state;
	comm(w, 20, 20, "daemon", t++);
	comm(w, JIT_PID, JIT_PID, "parent", t++);
	mmap2(w, JIT_PID, PERF_RECORD_MISC_USER, JIT_ADDR, 0x1000, 0, "//anon", t++);
	fork_exit(w, PERF_RECORD_FORK, JIT_PID + 1, JIT_PID, t++);
	comm(w, JIT_PID + 1, JIT_PID + 1, "child", t++);
	fork_exit(w, PERF_RECORD_EXIT, JIT_PID, 1, t++);
	for (uint32_t i = 0; i < 5000; i++) {
		uint32_t pid = 100000 + i;

		fork_exit(w, PERF_RECORD_FORK, pid, 20, t++);
		comm(w, pid, pid, "job", t++);
		mmap2(w, pid, PERF_RECORD_MISC_USER, 0x400000, 0x1000, 0, "/nonexistent/job", t++);
		ksample(w, pid, t++, i % 100);
		fork_exit(w, PERF_RECORD_EXIT, pid, 20, t++);
		assert_int_equal(fs_window__evict(w, t - 50, NULL), 0);
		if (fs_window__stats(w)->nr_log > max_log)
			max_log = fs_window__stats(w)->nr_log;
	}
	/* 20000 records came; the log stays under twice the pruning threshold (4096) */
	assert_true(fs_window__stats(w)->nr_rebuilds > 1);
	assert_true(fs_window__stats(w)->nr_pruned > 15000);
	assert_true(max_log < 8192);
	/* after the rebuilds: the daemon's comm, and the orphan's code through its dead parent's map */
	ksample(w, 20, t++, 7);
	sample(w, JIT_PID + 1, JIT_PID + 1, t++, NULL, 0, &ip, 1);
	p = fs_window__profile(w);
	assert_string_equal(fs_profile__str(p, p->samples[p->nr_samples - 2].comm), "daemon");
	assert_string_equal(fs_profile__str(p, p->samples[p->nr_samples - 1].comm), "child");
	s = &p->samples[p->nr_samples - 1];
	assert_string_equal(fs_profile__str(p, p->frames[p->stacks[s->stack].frame].sym), "jitted_fn");
	fs_window__delete(w);
}

static int count_record(void *arg, const union perf_event *ev)
{
	uint64_t *n = arg;

	n[ev->header.type == PERF_RECORD_SAMPLE]++;
	return 0;
}

static void test_records(void **state)
{
	struct fs_window *w = window(0, 0, true);
	uint64_t n[2] = { 0, 0 };

	(void)state;
	comm(w, 10, 10, "app", 5);
	for (uint32_t i = 0; i < 1000; i++)
		ksample(w, 10, 100 + i, i % 10);
	assert_int_equal(fs_window__evict(w, 600, NULL), 0);
	assert_int_equal(fs_window__for_each_record(w, count_record, n), 0);
	assert_int_equal(n[1], 500);
	assert_int_equal(n[0], 2);	/* the kernel map and the comm */
	fs_window__delete(w);
}

static int setup(void **state)
{
	FILE *f;

	(void)state;
	snprintf(kallsyms, sizeof(kallsyms), "/tmp/fs-window-kallsyms.%d", (int)getpid());
	f = fopen(kallsyms, "w");
	if (!f)
		return -1;
	fprintf(f, "%llx T _text\n", KBASE);
	for (int i = 0; i < NR_KSYMS; i++)
		fprintf(f, "%llx T k%d\n", KBASE + 0x100ull * i, i);
	fprintf(f, "%llx T _etext\n", KBASE + 0x100ull * NR_KSYMS);
	fclose(f);
	snprintf(jitmap, sizeof(jitmap), "/tmp/perf-%d.map", JIT_PID);
	f = fopen(jitmap, "w");
	if (!f)
		return -1;
	fprintf(f, "%llx 100 jitted_fn\n", JIT_ADDR);
	fclose(f);
	evsel.attr.size = sizeof(evsel.attr);
	evsel.attr.sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME |
				 PERF_SAMPLE_CALLCHAIN | PERF_SAMPLE_CPU | PERF_SAMPLE_PERIOD;
	evsel.attr.sample_id_all = 1;
	evsel.name = "cpu-clock";
	hdr.evsels = &evsel;
	hdr.nr_evsels = 1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(kallsyms);
	unlink(jitmap);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_and_evict),
		cmocka_unit_test(test_compaction),
		cmocka_unit_test(test_prune_and_rebuild),
		cmocka_unit_test(test_records),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
