// SPDX-License-Identifier: GPL-2.0-only
/*
 * The profile built by name (as perf's dlfilter builds it) and the chain cache
 * the loader uses: interning, the stable time sort, idle flags, exact keys;
 * and what a load tells through the warning callback (never printing).
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>
#include "chaincache.h"
#include "pdwriter.h"
#include "profile.h"
#include "view.h"

static void add(struct fs_profile *p, uint64_t t, uint64_t period, const char *comm,
		const char *leaf, const char *root)
{
	const char *syms[] = { leaf, root }, *dsos[] = { "[kernel.kallsyms]", "/bin/app" };
	struct fs_profile_sample s = { .time = t, .period = period, .pid = 1, .tid = 1 };

	assert_int_equal(fs_profile__add(p, &s, comm, syms, dsos, 2, NULL), 0);
}

static void test_build_by_name(void **state)
{
	const char *events[] = { "cpu-clock:pppH" };
	struct fs_profile *p = fs_profile__new(NULL);

	(void)state;
	assert_non_null(p);
	assert_int_equal(fs_profile__set_events(p, events, 1, NULL), 0);
	add(p, 30, 1, "app", "leaf", "main");
	add(p, 10, 2, "app", "leaf", "main");	/* out of order */
	add(p, 30, 3, "swapper", "pv_native_safe_halt", "main");
	add(p, 20, 4, "app", "other", "main");
	assert_int_equal(fs_profile__finish(p, NULL), 0);

	assert_int_equal(p->nr_samples, 4);
	/* Sorted by time, equal times in the order they were added. */
	assert_int_equal(p->samples[0].period, 2);
	assert_int_equal(p->samples[1].period, 4);
	assert_int_equal(p->samples[2].period, 1);
	assert_int_equal(p->samples[3].period, 3);
	assert_int_equal(p->first_time, 10);
	assert_int_equal(p->last_time, 30);
	/* Same frames, same stack; frames interned once. */
	assert_int_equal(p->samples[0].stack, p->samples[2].stack);
	assert_int_not_equal(p->samples[0].stack, p->samples[1].stack);
	assert_int_equal(p->nr_frames, 4);		/* leaf, main, halt, other */
	assert_int_equal(p->stacks[p->samples[0].stack].depth, 2);
	assert_string_equal(fs_profile__str(p, p->frames[p->stacks[p->samples[0].stack].frame].sym), "leaf");
	/* Idle flags come with the stack. */
	assert_true(p->stacks[p->samples[3].stack].idle & FS_STACK_IDLE_LEAF);
	assert_false(p->stacks[p->samples[0].stack].idle);
	assert_int_equal(p->frames[p->stacks[p->samples[0].stack].frame].kind, FS_FRAME_KERNEL);
	assert_int_equal(fs_profile__lower_bound(p, 30), 2);
	assert_int_equal(fs_profile__add(p, &p->samples[0], "x", NULL, NULL, 0, NULL), -1);
	fs_profile__delete(p);
}

static void test_chaincache(void **state)
{
	struct fs_chaincache *c = fs_chaincache__new(16 << 20);
	uint64_t a[] = { 1, 0x400000, 1, 0x400100 }, b[] = { 1, 0x400000, 2, 0x400100 };
	uint64_t ha = fs_chaincache__hash(a, 4), hb = fs_chaincache__hash(b, 4);

	(void)state;
	assert_non_null(c);
	assert_int_equal(fs_chaincache__get(c, a, 4, ha), UINT32_MAX);
	fs_chaincache__put(c, a, 4, ha, 7);
	assert_int_equal(fs_chaincache__get(c, a, 4, ha), 7);
	/* Keys are compared whole: a forced equal hash does not give a false hit. */
	assert_int_equal(fs_chaincache__get(c, b, 4, ha), UINT32_MAX);
	assert_int_equal(fs_chaincache__get(c, a, 2, fs_chaincache__hash(a, 2)), UINT32_MAX);
	fs_chaincache__put(c, b, 4, hb, 8);
	assert_int_equal(fs_chaincache__get(c, b, 4, hb), 8);
	/* Many entries: growth keeps them all. */
	for (uint64_t i = 0; i < 20000; i++) {
		uint64_t k[2] = { i, i * 3 };

		fs_chaincache__put(c, k, 2, fs_chaincache__hash(k, 2), (uint32_t)i);
	}
	for (uint64_t i = 0; i < 20000; i += 997) {
		uint64_t k[2] = { i, i * 3 };

		assert_int_equal(fs_chaincache__get(c, k, 2, fs_chaincache__hash(k, 2)), i);
	}
	fs_chaincache__delete(c);
}

static void test_chaincache_budget(void **state)
{
	struct fs_chaincache *c = fs_chaincache__new(64 * 1024);
	uint64_t first[2] = { 42, 42 };

	(void)state;
	fs_chaincache__put(c, first, 2, fs_chaincache__hash(first, 2), 1);
	/* Past the budget the cache starts over instead of growing. */
	for (uint64_t i = 0; i < 100000; i++) {
		uint64_t k[2] = { i, ~i };

		fs_chaincache__put(c, k, 2, fs_chaincache__hash(k, 2), 2);
	}
	assert_int_equal(fs_chaincache__get(c, first, 2, fs_chaincache__hash(first, 2)), UINT32_MAX);
	fs_chaincache__delete(c);
}

struct warnings {
	char msg[16][512];
	int n;
};

static void collect(void *arg, const char *msg)
{
	struct warnings *w = arg;

	assert_null(strchr(msg, '\n'));	/* one line each */
	if (w->n < 16)
		snprintf(w->msg[w->n++], sizeof(w->msg[0]), "%s", msg);
}

static bool warned(const struct warnings *w, const char *what)
{
	for (int i = 0; i < w->n; i++)
		if (strstr(w->msg[i], what))
			return true;
	return false;
}

static void mmap2(struct pdw *w, uint32_t pid, uint64_t start, uint64_t len, const char *name)
{
	union {
		struct perf_record_mmap2 m;
		char buf[512];
	} u;

	memset(&u, 0, sizeof(u));
	u.m.header.type = PERF_RECORD_MMAP2;
	u.m.header.misc = PERF_RECORD_MISC_USER;
	u.m.header.size = offsetof(struct perf_record_mmap2, filename) + ((strlen(name) + 8) & ~7);
	u.m.pid = u.m.tid = pid;
	u.m.start = start;
	u.m.len = len;
	u.m.prot = 5;
	strcpy(u.m.filename, name);
	pdw_raw(w, &u, u.m.header.size);
}

/*
 * A recording that is right as far as it goes but incomplete: events and
 * samples lost, a record of a type this perf does not know, a sample of no
 * known event, a library whose file is gone. The load succeeds, says so
 * once per cause, and leaves the sample of no event out (perf skips it).
 */
static void test_load_warnings(void **state)
{
	static const char lib[] = "/nonexistent/flamescope-test/libgone.so";
	struct perf_event_attr a = {
		.type = PERF_TYPE_SOFTWARE, .sample_period = 1,
		.sample_type = PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_TID |
			       PERF_SAMPLE_TIME | PERF_SAMPLE_PERIOD,
	};
	struct fs_profile_config cfg = { 0 };
	struct warnings w = { .n = 0 };
	struct fs_error err = { "" };
	char path[] = "/tmp/fs-profile-warn.XXXXXX";
	struct fs_profile *p;
	struct pdw pw;
	uint8_t *buf;
	size_t len;
	int fd;

	(void)state;
	pdw_init(&pw, false);
	pw.first_time = 1000000000;
	pw.last_time = 1003000000;
	pdw_attr(&pw, &a, (uint64_t[]){ 1 }, 1, "alpha");
	a.config = PERF_COUNT_SW_PAGE_FAULTS;
	pdw_attr(&pw, &a, (uint64_t[]){ 2 }, 1, "beta");
	pdw_comm(&pw, 0, 10, 10, "app", &(struct pdw_sample){ .id = 1 });
	mmap2(&pw, 10, 0x7f0000000000, 0x10000, lib);
	for (int i = 0; i < 3; i++)
		pdw_sample(&pw, i == 2, &(struct pdw_sample){ .id = i == 2 ? 2 : 1,
			   .ip = 0x7f0000001000 + i, .pid = 10, .tid = 10,
			   .time = 1000000000 + i * 1000000ULL, .period = 1,
			   .misc = PERF_RECORD_MISC_USER });
	/* a sample carrying id 99, which no attr has */
	pdw_sample(&pw, 0, &(struct pdw_sample){ .id = 99, .ip = 0x7f0000001000, .pid = 10,
		   .tid = 10, .time = 1003000000, .period = 1 });
	pdw_lost(&pw, 0, 5, &(struct pdw_sample){ .id = 1 });
	pdw_other(&pw, 0, PERF_RECORD_LOST_SAMPLES, &(struct pdw_sample){ .id = 1 });
	pdw_other(&pw, 0, 200, &(struct pdw_sample){ .id = 1 });	/* past PERF_RECORD_HEADER_MAX */
	pdw_round(&pw);
	buf = pdw_finish(&pw, &len);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(pdw_save(path, buf, len), 0);
	free(buf);

	cfg.path = path;
	cfg.warn = collect;
	cfg.warn_arg = &w;
	p = fs_profile__load(&cfg, &err);
	assert_non_null(p);
	assert_int_equal(p->nr_samples, 3);	/* not the one of no event */
	assert_string_equal(fs_profile__str(p, p->frames[p->stacks[p->samples[0].stack].frame].sym),
			    "[unknown]");
	assert_true(warned(&w, "5 events lost in 1 chunks"));
	assert_true(warned(&w, "4660 samples lost"));	/* pdw_other's body: 0x1234 */
	assert_true(warned(&w, "1 records of unknown type"));
	assert_true(warned(&w, "1 samples and records with an id no event has"));
	assert_true(warned(&w, "no symbols for /nonexistent/flamescope-test/libgone.so"));
	assert_int_equal(w.n, 5);	/* each cause once */
	fs_profile__delete(p);

	/* no callback: the same load, told nothing, printing nothing */
	cfg.warn = NULL;
	p = fs_profile__load(&cfg, &err);
	assert_non_null(p);
	assert_int_equal(p->nr_samples, 3);
	fs_profile__delete(p);
	unlink(path);
}

/* A library's MMAP2 at t, with the trailer sample_id_all asks for. */
static void mmap2_at(struct pdw *w, uint32_t pid, uint64_t start, uint64_t len, const char *name,
		     uint64_t t)
{
	struct perf_event_header h = { PERF_RECORD_MMAP2, PERF_RECORD_MISC_USER, 0 };
	struct pdw_buf b = { 0 };
	char fname[64] = { 0 };

	pdw_buf_add(&b, &h, 8);
	pdw_u32(&b, pid);
	pdw_u32(&b, pid);
	pdw_u64(&b, start);
	pdw_u64(&b, len);
	pdw_u64(&b, 0);				/* pgoff */
	pdw_buf_add(&b, NULL, 24);		/* maj, min, ino, ino_generation */
	pdw_u32(&b, 5);				/* prot: r-x */
	pdw_u32(&b, 2);				/* flags: MAP_PRIVATE */
	snprintf(fname, sizeof(fname), "%s", name);
	pdw_buf_add(&b, fname, (strlen(name) + 8) & ~7u);
	pdw_trailer(&b, &w->attrs[0].attr, &(struct pdw_sample){ .id = 1, .pid = pid, .tid = pid,
		    .time = t });
	pdw_finish_record(w, &b);
}

/* The kernel's MMAP, as perf record writes it. */
static void kernel_mmap(struct pdw *w)
{
	struct perf_event_header h = { PERF_RECORD_MMAP, PERF_RECORD_MISC_KERNEL, 0 };
	struct pdw_buf b = { 0 };
	char fname[24] = "[kernel.kallsyms]_text";

	pdw_buf_add(&b, &h, 8);
	pdw_u32(&b, (uint32_t)-1);
	pdw_u32(&b, 0);
	pdw_u64(&b, 0xffffffff81000000);
	pdw_u64(&b, 0x1000000);
	pdw_u64(&b, 0xffffffff81000000);
	pdw_buf_add(&b, fname, sizeof(fname));
	pdw_trailer(&b, &w->attrs[0].attr, &(struct pdw_sample){ .id = 1, .pid = -1 });
	pdw_finish_record(w, &b);
}

/* A BPF program registered at t (PERF_RECORD_KSYMBOL): perf maps it on its own. */
static void ksymbol(struct pdw *w, uint64_t addr, const char *name, uint64_t t)
{
	struct perf_event_header h = { PERF_RECORD_KSYMBOL, 0, 0 };
	struct pdw_buf b = { 0 };
	char kname[64] = { 0 };

	pdw_buf_add(&b, &h, 8);
	pdw_u64(&b, addr);
	pdw_u32(&b, 0x100);
	pdw_buf_add(&b, (uint16_t[]){ PERF_RECORD_KSYMBOL_TYPE_BPF, 0 }, 4);
	snprintf(kname, sizeof(kname), "%s", name);
	pdw_buf_add(&b, kname, (strlen(name) + 8) & ~7u);
	pdw_trailer(&b, &w->attrs[0].attr, &(struct pdw_sample){ .id = 1, .pid = -1, .time = t });
	pdw_finish_record(w, &b);
}

static const char idle_kallsyms[] =
	"ffffffff81000000 T _text\n"
	"ffffffff81000100 T schedule\n"
	"ffffffff81000200 T do_syscall_64\n";

/* A FIFO's writer: the kallsyms text comes once the load has read every record. */
struct late_writer {
	int fd;
	unsigned int delay_ms;
};

static void *write_late(void *arg)
{
	struct late_writer *lw = arg;

	usleep(lw->delay_ms * 1000);
	assert_true(write(lw->fd, idle_kallsyms, strlen(idle_kallsyms)) == (ssize_t)strlen(idle_kallsyms));
	close(lw->fd);
	return NULL;
}

/* Where the held-chain tests write: a temporary directory, its perf.data and kallsyms FIFO. */
struct held_files {
	char dir[32], data[64], fifo[64];
};

static const struct perf_event_attr held_attr = {
	.type = PERF_TYPE_SOFTWARE, .sample_period = 1, .sample_id_all = 1,
	.sample_type = PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_TID |
		       PERF_SAMPLE_TIME | PERF_SAMPLE_PERIOD | PERF_SAMPLE_CALLCHAIN,
};

static void held_files__make(struct held_files *f)
{
	snprintf(f->dir, sizeof(f->dir), "/tmp/fs-profile-held.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->data, sizeof(f->data), "%s/perf.data", f->dir);
	snprintf(f->fifo, sizeof(f->fifo), "%s/kallsyms", f->dir);
	assert_int_equal(mkfifo(f->fifo, 0600), 0);
}

/* Ends the round and writes the file. */
static void held_files__save(struct held_files *f, struct pdw *pw)
{
	uint8_t *buf;
	size_t len;

	pdw_round(pw);
	buf = pdw_finish(pw, &len);
	assert_int_equal(pdw_save(f->data, buf, len), 0);
	free(buf);
}

static void held_files__remove(struct held_files *f)
{
	unlink(f->data);
	unlink(f->fifo);
	rmdir(f->dir);
}

/* cfg's load, its kallsyms FIFO written delay_ms after the load starts. */
static struct fs_profile *load_late(struct fs_profile_config *cfg, const char *kallsyms,
				    unsigned int delay_ms)
{
	struct late_writer lw = { .delay_ms = delay_ms };
	struct fs_error err = { "" };
	struct fs_profile *p;
	pthread_t t;
	int keep;

	cfg->syms.kallsyms = kallsyms;
	cfg->syms.buildid_dir = "/nonexistent/flamescope-test";
	/* read-write: open() does not wait for a reader, and the reader sees data, not EOF */
	lw.fd = open(kallsyms, O_RDWR);
	/* and the data outlives the writer, should the load open the FIFO after it closed */
	keep = open(kallsyms, O_RDONLY | O_NONBLOCK);
	assert_true(lw.fd >= 0 && keep >= 0);
	assert_int_equal(pthread_create(&t, NULL, write_late, &lw), 0);
	p = fs_profile__load(cfg, &err);
	pthread_join(t, NULL);
	close(keep);
	assert_non_null(p);
	return p;
}

static void load_idle(const char *data, const char *kallsyms, bool heat_map, unsigned int delay_ms,
		      bool idle[8])
{
	struct fs_profile_config cfg = { .path = data, .idle_stacks_only = heat_map };
	struct fs_profile *p = load_late(&cfg, kallsyms, delay_ms);

	assert_int_equal(p->nr_samples, 8);
	for (int i = 0; i < 8; i++)
		idle[i] = p->stacks[p->samples[i].stack].idle & FS_STACK_IDLE_ANY;
	fs_profile__delete(p);
}

/*
 * A heat map's load reads the kernel's symbols in a second thread and holds
 * the idle task's chains until they are there. A change to the kernel's maps
 * between two samples of one chain (a BPF program named like the idle loop)
 * changes what it resolves to: the held chains are resolved before its
 * KSYMBOL is, so the first samples stay [unknown] (not idle) and the later
 * ones are the program's (idle), as a load that resolves every stack as it
 * comes finds them; so do samples without a callchain (recorded without
 * -g). The kallsyms file is a FIFO written only after the records are
 * read: the chains are held however fast the load is.
 */
static void test_load_held_idle_chains(void **state)
{
	struct perf_event_attr a = held_attr;
	const uint64_t chain[] = { PERF_CONTEXT_KERNEL, 0xffffffffc0000010, 0xffffffff81000110 };
	const uint64_t busy[] = { PERF_CONTEXT_KERNEL, 0xffffffff81000210 };
	struct held_files f;
	bool full[8], held[8];
	struct pdw pw;

	(void)state;
	held_files__make(&f);
	pdw_init(&pw, false);
	pdw_attr(&pw, &a, (uint64_t[]){ 1 }, 1, "cpu-clock");
	a.sample_type &= ~(uint64_t)PERF_SAMPLE_CALLCHAIN;
	pdw_attr(&pw, &a, (uint64_t[]){ 2 }, 1, "cpu-clock-nog");
	kernel_mmap(&pw);
	pdw_comm(&pw, 0, 10, 10, "app", &(struct pdw_sample){ .id = 1, .pid = 10, .tid = 10 });
	for (int i = 0; i < 6; i++) {
		bool app = i == 1;

		if (i == 3)	/* the program comes: the same chain is the idle loop from now on */
			ksymbol(&pw, 0xffffffffc0000000, "bpf_prog_6deef7357e7b4530_cpuidle", 3500000);
		pdw_sample(&pw, 0, &(struct pdw_sample){ .id = 1, .ip = app ? busy[1] : chain[1],
			   .pid = app ? 10 : 0, .tid = app ? 10 : 0, .time = (1 + i) * 1000000ULL,
			   .period = 1, .misc = PERF_RECORD_MISC_KERNEL,
			   .callchain = app ? busy : chain, .nr_callchain = app ? 2 : 3 });
		if (i == 1 || i == 3)	/* the ip alone, at 2.5 and 4.5 ms */
			pdw_sample(&pw, 1, &(struct pdw_sample){ .id = 2, .ip = chain[1],
				   .time = (2 + i) * 1000000ULL + 500000, .period = 1,
				   .misc = PERF_RECORD_MISC_KERNEL });
	}
	held_files__save(&f, &pw);

	load_idle(f.data, f.fifo, false, 0, full);
	load_idle(f.data, f.fifo, true, 300, held);
	/* in time order: 1 (idle task), 2 (app), 2.5 (no -g), 3 | KSYMBOL | 4, 4.5 (no -g), 5, 6 */
	for (int i = 0; i < 8; i++) {
		assert_int_equal(full[i], i >= 4);
		assert_int_equal(held[i], full[i]);
	}
	held_files__remove(&f);
}

/* The dso of each sample's innermost frame, by a load with or without range holds. */
static void load_range_dsos(const char *data, const char *kallsyms, bool range, unsigned int delay_ms,
			    char dsos[4][64])
{
	struct fs_filter f = { .has_start = true, .start = 0, .has_end = true, .end = 0.5 };
	struct fs_profile_config cfg = { .path = data, .range_stacks_only = range ? &f : NULL };
	struct fs_profile *p = load_late(&cfg, kallsyms, delay_ms);

	assert_int_equal(p->nr_samples, 4);
	for (int i = 0; i < 4; i++) {
		const struct fs_profile_frame *fr = &p->frames[p->stacks[p->samples[i].stack].frame];

		assert_int_not_equal(p->samples[i].stack, 0);
		snprintf(dsos[i], 64, "%s", fs_profile__str(p, fr->dso));
	}
	fs_profile__delete(p);
}

/*
 * A range's load holds its samples' chains, user frames and all, while the
 * kernel's symbols are read: a library mapped between two samples of one
 * chain is not seen by the first (held until before its MMAP2), as a load
 * resolving every stack as it comes sees it.
 */
static void test_load_held_range_chains(void **state)
{
	struct perf_event_attr a = held_attr;
	static const char lib[] = "/nonexistent/flamescope-test/libheld.so";
	const uint64_t chain[] = { PERF_CONTEXT_USER, 0x7f0000001010 };
	struct held_files f;
	char full[4][64], held[4][64];
	struct pdw pw;

	(void)state;
	held_files__make(&f);
	pdw_init(&pw, false);
	pdw_attr(&pw, &a, (uint64_t[]){ 1 }, 1, "cpu-clock");
	kernel_mmap(&pw);
	pdw_comm(&pw, 0, 10, 10, "app", &(struct pdw_sample){ .id = 1, .pid = 10, .tid = 10 });
	for (int i = 0; i < 4; i++) {
		if (i == 2)
			mmap2_at(&pw, 10, 0x7f0000000000, 0x10000, lib, 2500000);
		pdw_sample(&pw, 0, &(struct pdw_sample){ .id = 1, .ip = chain[1], .pid = 10, .tid = 10,
			   .time = (1 + i) * 1000000ULL, .period = 1, .misc = PERF_RECORD_MISC_USER,
			   .callchain = chain, .nr_callchain = 2 });
	}
	held_files__save(&f, &pw);

	load_range_dsos(f.data, f.fifo, false, 0, full);
	load_range_dsos(f.data, f.fifo, true, 300, held);
	for (int i = 0; i < 4; i++) {
		assert_string_equal(full[i], i < 2 ? "[unknown]" : lib);
		assert_string_equal(held[i], full[i]);
	}
	held_files__remove(&f);
}

/* Samples at these ms of one process's library, a round after each. */
static void save_rounds(const char *path, const uint64_t *ms, int n)
{
	struct perf_event_attr a = {
		.type = PERF_TYPE_SOFTWARE, .sample_period = 1, .sample_id_all = 1,
		.sample_type = PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_TID |
			       PERF_SAMPLE_TIME | PERF_SAMPLE_PERIOD,
	};
	struct pdw pw;
	uint8_t *buf;
	size_t len;

	pdw_init(&pw, false);
	pdw_attr(&pw, &a, (uint64_t[]){ 1 }, 1, "cpu-clock");
	pdw_comm(&pw, 0, 10, 10, "app", &(struct pdw_sample){ .id = 1, .pid = 10, .tid = 10 });
	mmap2(&pw, 10, 0x7f0000000000, 0x10000, "/nonexistent/flamescope-test/librange.so");
	for (int i = 0; i < n; i++) {
		pdw_sample(&pw, 0, &(struct pdw_sample){ .id = 1, .ip = 0x7f0000001000, .pid = 10,
			   .tid = 10, .time = ms[i] * 1000000ULL, .period = 1,
			   .misc = PERF_RECORD_MISC_USER });
		pdw_round(&pw);
	}
	buf = pdw_finish(&pw, &len);
	assert_int_equal(pdw_save(path, buf, len), 0);
	free(buf);
}

/*
 * flamegraph --start/--end loads resolve only the range's stacks; a sample
 * delivered late (after a round flushed later ones) but before the first
 * delivered sample's second moves the range: the load is redone in full.
 */
static void test_load_range(void **state)
{
	static const uint64_t in_order[] = { 5100, 5300, 6000 }, straggler[] = { 5100, 5300, 4100, 6000 };
	struct fs_filter f = { .has_start = true, .start = 0, .has_end = true, .end = 0.5 };
	struct fs_profile_config cfg = { .range_stacks_only = &f };
	char path[] = "/tmp/fs-profile-range.XXXXXX";
	struct fs_error err = { "" };
	struct fs_profile *p;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	cfg.path = path;
	save_rounds(path, in_order, 3);
	p = fs_profile__load(&cfg, &err);
	assert_non_null(p);
	assert_int_equal(p->nr_samples, 3);
	assert_int_not_equal(p->samples[0].stack, 0);	/* 5.1 s: in [5, 5.5] */
	assert_int_not_equal(p->samples[1].stack, 0);
	assert_int_equal(p->samples[2].stack, 0);	/* 6.0 s: outside, not resolved */
	fs_profile__delete(p);

	save_rounds(path, straggler, 4);
	p = fs_profile__load(&cfg, &err);
	assert_non_null(p);
	assert_int_equal(p->nr_samples, 4);
	assert_int_equal(p->samples[0].time, 4100000000ULL);	/* the range is [4, 4.5] */
	assert_int_not_equal(p->samples[0].stack, 0);
	assert_int_not_equal(p->samples[3].stack, 0);	/* the full load resolved all */
	fs_profile__delete(p);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_by_name),
		cmocka_unit_test(test_chaincache),
		cmocka_unit_test(test_chaincache_budget),
		cmocka_unit_test(test_load_warnings),
		cmocka_unit_test(test_load_range),
		cmocka_unit_test(test_load_held_idle_chains),
		cmocka_unit_test(test_load_held_range_chains),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
