// SPDX-License-Identifier: GPL-2.0-only
/*
 * session: threads, comms and maps fed hand-built records, checked against
 * what perf 6.1's machine.c/thread.c/maps.c rules give (findnew ":tid"
 * comms, swapper, fork inheritance, shared and cloned maps, the overlap
 * fix-up, JIT naming, callchain context markers and the stack cap).
 * The dsos named here do not exist, so no symbol is ever found: these tests
 * are about maps and addresses, not symbols.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "session.h"

#define USER	PERF_RECORD_MISC_USER
#define KERNEL	PERF_RECORD_MISC_KERNEL

struct fixture {
	struct fs_symbolizer *syms;
	struct fs_session *ss;
	union {
		union perf_event ev;
		char bytes[8192];
	} buf;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct fs_symbolizer_config cfg = { .symfs = "/nonexistent-symfs" };
	struct fs_error err;

	f->syms = fs_symbolizer__new(&cfg, &err);
	assert_non_null(f->syms);
	f->ss = fs_session__new(NULL, f->syms, &err);
	assert_non_null(f->ss);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	fs_session__delete(f->ss);
	fs_symbolizer__delete(f->syms);
	free(f);
	return 0;
}

static void feed(struct fixture *f)
{
	struct fs_event ev = { .event = &f->buf.ev };
	struct fs_error err;

	assert_int_equal(fs_session__process(f->ss, &ev, &err), 0);
}

static void comm(struct fixture *f, int pid, int tid, const char *name)
{
	struct perf_record_comm *c = &f->buf.ev.comm;

	memset(&f->buf, 0, sizeof(f->buf));
	c->header.type = PERF_RECORD_COMM;
	c->header.size = sizeof(c->header) + 8 + ((strlen(name) + 8) & ~7);
	c->pid = pid;
	c->tid = tid;
	strcpy(c->comm, name);
	feed(f);
}

static void fork_(struct fixture *f, int ppid, int ptid, int pid, int tid)
{
	struct perf_record_fork *k = &f->buf.ev.fork;

	memset(&f->buf, 0, sizeof(f->buf));
	k->header.type = PERF_RECORD_FORK;
	k->header.size = sizeof(*k);
	k->ppid = ppid;
	k->ptid = ptid;
	k->pid = pid;
	k->tid = tid;
	feed(f);
}

static void mmap2(struct fixture *f, int cpumode, int pid, uint64_t start, uint64_t len,
		  uint64_t pgoff, uint32_t prot, const char *name)
{
	struct perf_record_mmap2 *m = &f->buf.ev.mmap2;

	memset(&f->buf, 0, sizeof(f->buf));
	m->header.type = PERF_RECORD_MMAP2;
	m->header.misc = cpumode;
	m->header.size = offsetof(struct perf_record_mmap2, filename) + ((strlen(name) + 8) & ~7);
	m->pid = pid;
	m->tid = pid;
	m->start = start;
	m->len = len;
	m->pgoff = pgoff;
	m->prot = prot;
	strcpy(m->filename, name);
	feed(f);
}

/* One frame at ip, in pid/tid, resolved as a sample without callchain. */
static struct fs_frame frame_at(struct fixture *f, int pid, int tid, int cpumode, uint64_t ip)
{
	uint64_t chain[2] = { cpumode == KERNEL ? PERF_CONTEXT_KERNEL : PERF_CONTEXT_USER, ip };
	struct fs_sample s = { .pid = pid, .tid = tid, .cpumode = cpumode, .ip = ip,
			       .callchain = chain, .nr_callchain = 2 };
	struct fs_frame fr[4];

	assert_int_equal(fs_session__resolve(f->ss, &s, fr, 127), 1);
	return fr[0];
}

static const char *dso_at(struct fixture *f, int pid, uint64_t ip)
{
	struct fs_frame fr = frame_at(f, pid, pid, USER, ip);

	return fr.dso ? fr.dso->name : NULL;
}

static void test_comms(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(fs_session__thread(f->ss, 0, 0)->comm, "swapper");
	assert_string_equal(fs_session__thread(f->ss, 42, 43)->comm, ":43");
	comm(f, 100, 100, "bash");
	assert_string_equal(fs_session__thread(f->ss, 100, 100)->comm, "bash");
	/* a fork inherits the parent's comm; exec renames */
	fork_(f, 100, 100, 200, 200);
	assert_string_equal(fs_session__thread(f->ss, 200, 200)->comm, "bash");
	comm(f, 200, 200, "ls");
	assert_string_equal(fs_session__thread(f->ss, 200, 200)->comm, "ls");
	assert_string_equal(fs_session__thread(f->ss, 100, 100)->comm, "bash");
	/* a new thread of 200 */
	fork_(f, 200, 200, 200, 201);
	assert_string_equal(fs_session__thread(f->ss, 200, 201)->comm, "ls");
	/* a thread first seen by tid alone keeps its tid's name */
	assert_int_equal(fs_session__thread(f->ss, -1, 777)->pid, -1);
	assert_int_equal(fs_session__thread(f->ss, 700, 777)->pid, 700);
}

static void test_shared_and_cloned_maps(void **state)
{
	struct fixture *f = *state;

	comm(f, 100, 100, "app");
	mmap2(f, USER, 100, 0x400000, 0x10000, 0, 5, "/fake/app");
	/* threads share the process's maps, even a map added after they started */
	fork_(f, 100, 100, 100, 101);
	mmap2(f, USER, 100, 0x7f0000000000, 0x20000, 0x3000, 5, "/fake/libx.so");
	assert_string_equal(dso_at(f, 101, 0x400010), "/fake/app");
	assert_null(frame_at(f, 100, 101, USER, 0x400010).sym);
	assert_string_equal(frame_at(f, 100, 101, USER, 0x7f0000000100).dso->name, "/fake/libx.so");
	/* map-relative address: ip - start + pgoff */
	assert_int_equal(frame_at(f, 100, 101, USER, 0x7f0000000100).addr, 0x3100);
	/* a forked process gets a copy: its new maps do not show in the parent */
	fork_(f, 100, 100, 300, 300);
	mmap2(f, USER, 300, 0x400000, 0x10000, 0, 5, "/fake/other");
	assert_string_equal(dso_at(f, 300, 0x400010), "/fake/other");
	assert_string_equal(dso_at(f, 300, 0x7f0000000100), "/fake/libx.so");
	assert_string_equal(dso_at(f, 100, 0x400010), "/fake/app");
	assert_null(dso_at(f, 100, 0x500000));
}

static void test_overlap_fixup(void **state)
{
	struct fixture *f = *state;
	struct fs_frame fr;

	mmap2(f, USER, 100, 0x1000, 0x4000, 0x10000, 5, "/fake/a");
	mmap2(f, USER, 100, 0x2000, 0x1000, 0, 5, "/fake/b");
	assert_string_equal(dso_at(f, 100, 0x1800), "/fake/a");
	assert_string_equal(dso_at(f, 100, 0x2800), "/fake/b");
	fr = frame_at(f, 100, 100, USER, 0x4800);
	assert_string_equal(fr.dso->name, "/fake/a");
	/* the piece after b keeps a's file offsets */
	assert_int_equal(fr.addr, 0x4800 - 0x1000 + 0x10000);
	assert_int_equal(frame_at(f, 100, 100, USER, 0x2800).addr, 0x800);
	/* a map over everything replaces all */
	mmap2(f, USER, 100, 0x0, 0x10000, 0, 5, "/fake/c");
	assert_string_equal(dso_at(f, 100, 0x1800), "/fake/c");
	assert_string_equal(dso_at(f, 100, 0x4800), "/fake/c");
}

static void test_anon_and_vdso(void **state)
{
	struct fixture *f = *state;
	struct fs_frame fr;

	mmap2(f, USER, 555, 0x10000, 0x1000, 0, 7, "//anon");
	fr = frame_at(f, 555, 555, USER, 0x10010);
	assert_string_equal(fr.dso->name, "/tmp/perf-555.map");
	assert_int_equal(fr.addr, 0x10010);	/* identity: JIT maps hold absolute addresses */
	mmap2(f, USER, 555, 0x20000, 0x1000, 0, 3, "//anon");	/* not executable */
	assert_string_equal(dso_at(f, 555, 0x20010), "//anon");
	mmap2(f, USER, 555, 0x30000, 0x1000, 0, 5, "[heap]");
	assert_string_equal(dso_at(f, 555, 0x30010), "/tmp/perf-555.map");
	mmap2(f, USER, 555, 0x40000, 0x2000, 0x1234000, 5, "[vdso]");
	fr = frame_at(f, 555, 555, USER, 0x40100);
	assert_string_equal(fr.dso->name, "[vdso]");
	assert_int_equal(fr.addr, 0x100);	/* perf forces the vdso's pgoff to 0 */
	mmap2(f, USER, 555, 0x50000, 0x1000, 0, 5, "/memfd:jit (deleted)");
	assert_string_equal(dso_at(f, 555, 0x50010), "/memfd:jit (deleted)");
}

static void test_callchain(void **state)
{
	struct fixture *f = *state;
	uint64_t chain[] = { PERF_CONTEXT_KERNEL, 0xffffffff81000100ULL, PERF_CONTEXT_USER,
			     0x400100, 0x400200 };
	struct fs_sample s = { .pid = 100, .tid = 100, .callchain = chain, .nr_callchain = 5 };
	struct fs_frame fr[8];

	mmap2(f, USER, 100, 0x400000, 0x1000, 0x2000, 5, "/fake/app");
	assert_int_equal(fs_session__resolve(f->ss, &s, fr, 127), 3);
	assert_int_equal(fr[0].cpumode, KERNEL);
	assert_int_equal(fr[0].addr, 0xffffffff81000100ULL);
	assert_int_equal(fr[1].cpumode, USER);
	assert_int_equal(fr[1].addr, 0x2100);
	assert_int_equal(fr[2].ip, 0x400200);
	/* markers do not count against the cap */
	assert_int_equal(fs_session__resolve(f->ss, &s, fr, 2), 2);
	assert_int_equal(fr[1].ip, 0x400100);
	/* an unknown context marker: perf drops the whole chain */
	chain[2] = PERF_CONTEXT_GUEST;
	assert_int_equal(fs_session__resolve(f->ss, &s, fr, 127), 0);
}

static void test_kernel_maps(void **state)
{
	struct fixture *f = *state;
	struct fs_frame fr;

	mmap2(f, KERNEL, -1, 0xffffffffc0000000ULL, 0x5000, 0,
	      5, "/lib/modules/6.1.0/kernel/drivers/foo-bar.ko.xz");
	fr = frame_at(f, 100, 100, KERNEL, 0xffffffffc0000010ULL);
	assert_non_null(fr.dso);
	assert_string_equal(fr.dso->name, "[foo_bar]");
	assert_int_equal(fr.addr, 0xffffffffc0000010ULL);	/* kernel frames print the ip */
	/* a kernel address is not looked up in the process's maps */
	mmap2(f, USER, 100, 0xffffffffc0000000ULL, 0x5000, 0, 5, "/fake/weird");
	fr = frame_at(f, 100, 100, KERNEL, 0xffffffffc0000010ULL);
	assert_string_equal(fr.dso->name, "[foo_bar]");
}

static void ksymbol(struct fixture *f, uint64_t addr, uint32_t len, bool unregister,
		    const char *name)
{
	struct perf_record_ksymbol *k = &f->buf.ev.ksymbol;

	memset(&f->buf, 0, sizeof(f->buf));
	k->header.type = PERF_RECORD_KSYMBOL;
	k->header.size = offsetof(struct perf_record_ksymbol, name) + ((strlen(name) + 8) & ~7);
	k->addr = addr;
	k->len = len;
	k->ksym_type = PERF_RECORD_KSYMBOL_TYPE_BPF;
	k->flags = unregister ? PERF_RECORD_KSYMBOL_FLAGS_UNREGISTER : 0;
	strcpy(k->name, name);
	feed(f);
}

static void test_ksymbol(void **state)
{
	struct fixture *f = *state;
	struct fs_frame fr;

	ksymbol(f, 0xffffffffc1000000ULL, 0x100, false, "bpf_prog_1234_handler");
	fr = frame_at(f, 100, 100, KERNEL, 0xffffffffc1000010ULL);
	assert_non_null(fr.sym);
	assert_string_equal(fr.sym->name, "bpf_prog_1234_handler");
	assert_string_equal(fr.dso->name, "bpf_prog_1234_handler");
	assert_int_equal(fr.dso_addr - fr.sym->start, 0x10);	/* printed as +0x10 */
	assert_int_equal(fr.addr, 0xffffffffc1000010ULL);
	ksymbol(f, 0xffffffffc1000000ULL, 0x100, true, "bpf_prog_1234_handler");
	fr = frame_at(f, 100, 100, KERNEL, 0xffffffffc1000010ULL);
	assert_null(fr.dso);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_comms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shared_and_cloned_maps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overlap_fixup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_anon_and_vdso, setup, teardown),
		cmocka_unit_test_setup_teardown(test_callchain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kernel_maps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ksymbol, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
