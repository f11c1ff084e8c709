// SPDX-License-Identifier: GPL-2.0-only
/*
 * The DWARF unwinder on stacks whose frames we know: this test captures its
 * own registers and copies its own stack, as the kernel does for a
 * PERF_SAMPLE_REGS_USER | PERF_SAMPLE_STACK_USER sample, at the bottom of a
 * known call chain, maps itself as /proc/self/maps says, and checks the
 * unwound frames name that chain (names from the symbolizer, which has its
 * own tests). Then the same sample made hostile: short or inconsistent
 * stack sizes, missing registers, an SP at the end of the address space,
 * garbage stacks, and the binary replaced by copies with corrupted unwind
 * tables; none may read out of bounds (the ASan run checks) or hang.
 * Memoised unwinds must give what libunwind gives, at the same depth and at
 * another one.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <gelf.h>
#include "buildid.h"
#include "symbols.h"
#include "unwind.h"

#define STACK_COPY	8192
#define MAX_MAPS	512

/* perf's x86_64 user register mask for dwarf: all but DS, ES, FS, GS */
#define REGS_MASK	(((1ULL << 24) - 1) & ~(0xfULL << 12))

enum { R_AX, R_BX, R_CX, R_DX, R_SI, R_DI, R_BP, R_SP, R_IP, R_R8 = 16, R_R12 = 20, R_R13, R_R14, R_R15 };

struct snap {
	uint64_t regs[24];		/* by perf register number */
	uint8_t stack[STACK_COPY];
	uint64_t size;
};

struct map {
	uint64_t start, end, pgoff;
	char name[256];
	struct fs_dso *dso;
};

static struct map maps[MAX_MAPS];
static int nr_maps;
static struct fs_symbolizer *syms;
static uint64_t stack_top;

/* ---- capturing our own stack ---- */

/* Not instrumented, and no memcpy: the copy crosses other frames' ASan redzones. */
__attribute__((noinline, no_sanitize_address)) static void copy_stack(const uint8_t *from,
								       uint8_t *to, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		((volatile uint8_t *)to)[i] = ((const volatile uint8_t *)from)[i];
}

__attribute__((noinline, noclone)) void unw_capture(struct snap *s)
{
	uint64_t r[8];

	__asm__ volatile(
		"lea 0(%%rip), %%rax\n\t"
		"mov %%rax, 0(%0)\n\t"
		"mov %%rsp, 8(%0)\n\t"
		"mov %%rbp, 16(%0)\n\t"
		"mov %%rbx, 24(%0)\n\t"
		"mov %%r12, 32(%0)\n\t"
		"mov %%r13, 40(%0)\n\t"
		"mov %%r14, 48(%0)\n\t"
		"mov %%r15, 56(%0)\n\t"
		: : "r"(r) : "rax", "memory");
	memset(s->regs, 0, sizeof(s->regs));
	s->regs[R_IP] = r[0];
	s->regs[R_SP] = r[1];
	s->regs[R_BP] = r[2];
	s->regs[R_BX] = r[3];
	s->regs[R_R12] = r[4];
	s->regs[R_R13] = r[5];
	s->regs[R_R14] = r[6];
	s->regs[R_R15] = r[7];
	/* as the kernel: up to the requested size, not past the stack's top */
	s->size = stack_top - r[1] < STACK_COPY ? stack_top - r[1] : STACK_COPY;
	copy_stack((const uint8_t *)(uintptr_t)r[1], s->stack, s->size);
}

__attribute__((noinline, noclone)) void unw_level3(struct snap *s)
{
	unw_capture(s);
	__asm__ volatile("" ::: "memory");	/* no tail call */
}

__attribute__((noinline, noclone)) void unw_level2(struct snap *s)
{
	unw_level3(s);
	__asm__ volatile("" ::: "memory");
}

__attribute__((noinline, noclone)) void unw_level1(struct snap *s, int pad)
{
	volatile char buf[pad];	/* moves the stack by pad bytes: the same path, another depth */

	buf[0] = 1;
	unw_level2(s);
	__asm__ volatile("" ::: "memory");
	(void)buf[0];
}

/* ---- the process as the unwinder sees it ---- */

static void read_maps(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];

	assert_non_null(f);
	nr_maps = 0;
	while (fgets(line, sizeof(line), f) && nr_maps < MAX_MAPS) {
		struct map *m = &maps[nr_maps];
		unsigned long long s, e, off;
		char perm[8], path[256] = "";

		if (sscanf(line, "%llx-%llx %7s %llx %*s %*s %255s", &s, &e, perm, &off, path) < 4)
			continue;
		m->start = s;
		m->end = e;
		m->pgoff = off;
		snprintf(m->name, sizeof(m->name), "%s", path);
		m->dso = path[0] == '/' ? fs_symbolizer__dso(syms, path, NULL, 0) : NULL;
		if (!strcmp(path, "[stack]"))
			stack_top = e;
		nr_maps++;
	}
	fclose(f);
	assert_true(stack_top != 0);
}

static bool find_map(void *arg, uint64_t addr, struct fs_unwind_map *out)
{
	(void)arg;
	for (int i = 0; i < nr_maps; i++) {
		if (addr >= maps[i].start && addr < maps[i].end) {
			out->start = maps[i].start;
			out->end = maps[i].end;
			out->pgoff = maps[i].pgoff;
			out->dso = maps[i].dso;
			out->identity = !maps[i].dso;
			return true;
		}
	}
	return false;
}

static void for_each_map(void *arg, void (*fn)(void *ctx, const struct fs_unwind_map *map),
			 void *ctx)
{
	struct fs_unwind_map um;

	for (int i = 0; i < nr_maps; i++)
		if (find_map(arg, maps[i].start, &um))
			fn(ctx, &um);
}

static struct fs_unwind_proc proc = { find_map, for_each_map, NULL, 1 };
static struct fs_evsel evsel;
static uint64_t sample_regs[24];

/* A sample of snap s: its registers in mask order, its stack copy. */
static struct fs_sample sample_of(const struct snap *s, uint64_t mask, uint64_t size,
				  uint64_t dyn_size)
{
	struct fs_sample smp = { 0 };
	int n = 0;

	evsel.attr.sample_regs_user = mask;
	for (int id = 0; id < 64; id++)
		if (mask & (1ULL << id))
			sample_regs[n++] = id < 24 ? s->regs[id] : 0;
	smp.evsel = &evsel;
	smp.user_regs_abi = PERF_SAMPLE_REGS_ABI_64;
	smp.user_regs = sample_regs;
	smp.nr_user_regs = n;
	smp.user_stack = s->stack;
	smp.user_stack_size = size;
	smp.user_stack_dyn_size = dyn_size;
	return smp;
}

static const char *name_at(uint64_t ip)
{
	struct fs_unwind_map m;
	const struct fs_symbol *sym;

	if (!find_map(NULL, ip, &m) || !m.dso)
		return "?";
	sym = fs_dso__find_symbol(syms, m.dso, ip - m.start + m.pgoff);
	return sym ? sym->name : "?";
}

__attribute__((noinline, noclone)) struct snap *unw_snap_at(int pad)
{
	struct snap *s = calloc(1, sizeof(*s));

	assert_non_null(s);
	unw_level1(s, pad);
	return s;
}

/* The whole chain below moved down by pad bytes: the same frames at another depth. */
__attribute__((noinline, noclone)) struct snap *unw_moved(int pad)
{
	volatile char buf[pad];
	struct snap *s;

	buf[0] = 1;
	s = unw_snap_at(64);
	(void)buf[0];
	return s;
}

/* ---- tests ---- */

static int setup(void **state)
{
	struct fs_error err;

	(void)state;
	syms = fs_symbolizer__new(NULL, &err);
	if (!syms)
		return -1;
	read_maps();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fs_symbolizer__delete(syms);
	return 0;
}

/* Unwinds s with a fresh unwinder (no memo) and checks the chain's names. */
static int unwind_fresh(const struct fs_sample *smp, uint64_t *ips, int max)
{
	struct fs_unwinder *u = fs_unwinder__new(syms, "x86_64");
	struct fs_unwind_space *sp = fs_unwinder__space(u);
	int n;

	assert_non_null(u);
	assert_non_null(sp);
	n = fs_unwinder__unwind(u, sp, &proc, smp, ips, max);
	fs_unwind_space__delete(sp);
	fs_unwinder__delete(u);
	return n;
}

static void test_own_stack(void **state)
{
	struct snap *s = unw_snap_at(64);
	struct fs_sample smp = sample_of(s, REGS_MASK, sizeof(s->stack), s->size);
	static const char *const want[] = { "unw_capture", "unw_level3", "unw_level2", "unw_level1",
					    "unw_snap_at", "test_own_stack" };
	uint64_t ips[127];
	int n;

	(void)state;
	n = unwind_fresh(&smp, ips, 127);
	assert_true(n >= 6);
	assert_int_equal(ips[0], s->regs[R_IP]);
	for (int i = 0; i < 6; i++)
		assert_string_equal(name_at(ips[i]), want[i]);
	/* the caller's frames are named by the call, one byte before the return address */
	assert_true(ips[1] != 0);
	/* --max-stack: the IP alone, then at most max */
	assert_int_equal(unwind_fresh(&smp, ips, 1), 1);
	assert_int_equal(unwind_fresh(&smp, ips, 3), 3);
	assert_string_equal(name_at(ips[2]), "unw_level2");
	free(s);
}

/* Unwinds with u and checks the frames are a fresh unwinder's; returns the count. */
static int unwind_same(struct fs_unwinder *u, struct fs_unwind_space *sp, const struct snap *s,
		       int max)
{
	struct fs_sample smp = sample_of(s, REGS_MASK, sizeof(s->stack), s->size);
	uint64_t ips[127], want[127];
	int n, nw;

	nw = unwind_fresh(&smp, want, max);
	n = fs_unwinder__unwind(u, sp, &proc, &smp, ips, max);
	assert_int_equal(n, nw);
	if (n > 0)
		assert_memory_equal(ips, want, n * sizeof(*ips));
	return n;
}

/* The memo gives libunwind's frames: repeated, and with the stack moved. */
static void test_memo(void **state)
{
	struct fs_unwinder *u = fs_unwinder__new(syms, "x86_64");
	struct fs_unwind_space *sp = fs_unwinder__space(u);
	uint64_t ips[127], want[127], hits, misses;
	struct snap *a = unw_moved(64), *b = unw_moved(64 + 4096), *c = unw_snap_at(64 + 4096);
	int n, nw;

	(void)state;
	assert_int_equal(a->regs[R_SP] - b->regs[R_SP], 4096);
	/* five frames, all below the move: learnt from a, found for a and for b */
	assert_int_equal(unwind_same(u, sp, a, 5), 5);
	assert_int_equal(unwind_same(u, sp, a, 5), 5);
	assert_int_equal(unwind_same(u, sp, b, 5), 5);
	fs_unwinder__stats(u, &hits, &misses);
	assert_int_equal(misses, 1);
	assert_int_equal(hits, 2);
	/* whole stacks: the frames above the move did not move, so b is learnt apart */
	for (int round = 0; round < 2; round++) {
		assert_true(unwind_same(u, sp, a, 127) > 6);
		assert_true(unwind_same(u, sp, b, 127) > 6);
		assert_true(unwind_same(u, sp, c, 127) > 6);
	}
	fs_unwinder__stats(u, &hits, &misses);
	assert_int_equal(misses, 1 + 3);
	assert_int_equal(hits, 2 + 3);
	/* another value at a place the unwind read: not the remembered frames */
	{
		struct fs_sample sa;

		memset(a->stack, 0x41, 64);	/* the return address region changes */
		sa = sample_of(a, REGS_MASK, sizeof(a->stack), a->size);
		nw = unwind_fresh(&sa, want, 127);
		n = fs_unwinder__unwind(u, sp, &proc, &sa, ips, 127);
		assert_int_equal(n, nw);
		if (n > 0)
			assert_memory_equal(ips, want, n * sizeof(*ips));
	}
	fs_unwind_space__delete(sp);
	fs_unwinder__delete(u);
	free(a);
	free(b);
	free(c);
}

static void test_hostile_samples(void **state)
{
	struct snap *s = unw_snap_at(64);
	uint64_t ips[127];
	struct fs_sample smp;

	(void)state;
	/* no stack bytes, or none dumped: nothing unwound (perf adds nothing) */
	smp = sample_of(s, REGS_MASK, 0, 0);
	assert_int_equal(unwind_fresh(&smp, ips, 127), 0);
	smp = sample_of(s, REGS_MASK, sizeof(s->stack), 0);
	assert_int_equal(unwind_fresh(&smp, ips, 127), 0);
	/* dyn_size past the copy: clamped to it */
	smp = sample_of(s, REGS_MASK, 64, 1 << 20);
	assert_true(unwind_fresh(&smp, ips, 127) >= 1);
	/* tiny copies */
	for (uint64_t n = 1; n < 40; n++) {
		smp = sample_of(s, REGS_MASK, n, n);
		assert_true(unwind_fresh(&smp, ips, 127) >= 1);
	}
	/* no IP, no SP: perf's unwind fails */
	smp = sample_of(s, REGS_MASK & ~(1ULL << R_IP), sizeof(s->stack), s->size);
	assert_int_equal(unwind_fresh(&smp, ips, 127), -1);
	smp = sample_of(s, REGS_MASK & ~(1ULL << R_SP), sizeof(s->stack), s->size);
	assert_int_equal(unwind_fresh(&smp, ips, 127), -1);
	/* only IP and SP */
	smp = sample_of(s, (1ULL << R_IP) | (1ULL << R_SP), sizeof(s->stack), s->size);
	assert_true(unwind_fresh(&smp, ips, 127) >= 1);
	/* fewer registers than the mask says (a reader bug): never read past them */
	smp = sample_of(s, REGS_MASK, sizeof(s->stack), s->size);
	smp.nr_user_regs = 3;
	unwind_fresh(&smp, ips, 127);
	/* SP at the end of the address space: stack addresses wrap */
	s->regs[R_SP] = UINT64_MAX - 16;
	smp = sample_of(s, REGS_MASK, sizeof(s->stack), sizeof(s->stack));
	assert_true(unwind_fresh(&smp, ips, 127) >= 1);
	/* garbage stacks */
	srand(16);
	for (int round = 0; round < 20; round++) {
		for (size_t i = 0; i < sizeof(s->stack); i++)
			s->stack[i] = (uint8_t)rand();
		s->regs[R_SP] = round & 1 ? maps[0].start : ((uint64_t)rand() << 20);
		s->regs[R_BP] = ((uint64_t)rand() << 32) | (uint64_t)rand();
		smp = sample_of(s, REGS_MASK, sizeof(s->stack), sizeof(s->stack));
		assert_true(unwind_fresh(&smp, ips, 127) >= 1);
	}
	free(s);
}

static int copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	char buf[65536];
	size_t n;

	if (!in || !out)
		return -1;
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		fwrite(buf, 1, n, out);
	fclose(in);
	return fclose(out);
}

/* The section's file range in the ELF at path. */
static void section_range(const char *path, const char *name, uint64_t *off, uint64_t *size)
{
	int fd = open(path, O_RDONLY);
	Elf *elf;
	GElf_Ehdr ehdr;
	GElf_Shdr shdr;

	assert_true(fd >= 0);
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	assert_non_null(elf);
	assert_non_null(gelf_getehdr(elf, &ehdr));
	assert_non_null(fs_elf__section_by_name(elf, &ehdr, &shdr, name, NULL));
	*off = shdr.sh_offset;
	*size = shdr.sh_size;
	elf_end(elf);
	close(fd);
}

static void patch(const char *path, uint64_t off, const void *bytes, size_t n)
{
	int fd = open(path, O_WRONLY);

	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, bytes, n, (off_t)off), (ssize_t)n);
	close(fd);
}

/* Our binary's unwind tables corrupted, truncated, or gone: the unwinder reads the copy. */
static void test_hostile_files(void **state)
{
	char self[4096], dir[] = "/tmp/test_unwind.XXXXXX", copy[4200];
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	struct snap *s = unw_snap_at(64);
	uint64_t ips[127], hoff, hsize, foff, fsize;
	struct fs_dso *orig = NULL;
	int self_map[MAX_MAPS], nself = 0;

	(void)state;
	assert_true(len > 0);
	self[len] = '\0';
	assert_non_null(mkdtemp(dir));
	for (int i = 0; i < nr_maps; i++)
		if (!strcmp(maps[i].name, self))
			self_map[nself++] = i;
	assert_true(nself > 0);
	orig = maps[self_map[0]].dso;
	section_range(self, ".eh_frame_hdr", &hoff, &hsize);
	section_range(self, ".eh_frame", &foff, &fsize);
	srand(61);
	for (int round = 0; round < 24; round++) {
		struct fs_dso *d;
		struct fs_sample smp;
		uint8_t junk[64];

		snprintf(copy, sizeof(copy), "%s/copy%d", dir, round);
		assert_int_equal(copy_file(self, copy), 0);
		for (size_t i = 0; i < sizeof(junk); i++)
			junk[i] = (uint8_t)rand();
		switch (round % 6) {
		case 0:	/* the header's encodings and counts */
			patch(copy, hoff, junk, 12);
			break;
		case 1:	/* the search table */
			patch(copy, hoff + 12 + (uint64_t)rand() % (hsize > 64 ? hsize - 64 : 1), junk, 64);
			break;
		case 2:	/* CIEs and FDEs */
			for (int k = 0; k < 16; k++)
				patch(copy, foff + (uint64_t)rand() % (fsize > 64 ? fsize - 64 : 1), junk, 64);
			break;
		case 3:	/* cut inside the tables */
			assert_int_equal(truncate(copy, (off_t)(hoff + hsize / 2)), 0);
			break;
		case 4:	/* cut before them */
			assert_int_equal(truncate(copy, 64), 0);
			break;
		case 5:	/* the FDE count alone, made huge */
			patch(copy, hoff + 8, "\xff\xff\xff\x7f", 4);
			break;
		}
		d = fs_symbolizer__dso(syms, copy, NULL, 0);
		for (int i = 0; i < nself; i++)
			maps[self_map[i]].dso = d;
		smp = sample_of(s, REGS_MASK, sizeof(s->stack), s->size);
		assert_true(unwind_fresh(&smp, ips, 127) >= 1);
		unlink(copy);
	}
	for (int i = 0; i < nself; i++)
		maps[self_map[i]].dso = orig;
	rmdir(dir);
	free(s);
}

/* Only x86_64 recordings are unwound, as by Debian's perf on x86_64. */
static void test_arch(void **state)
{
	(void)state;
	assert_true(fs_unwind__arch_supported(NULL));
	assert_true(fs_unwind__arch_supported("x86_64"));
	assert_false(fs_unwind__arch_supported("aarch64"));
	assert_false(fs_unwind__arch_supported("i686"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_own_stack),
		cmocka_unit_test(test_memo),
		cmocka_unit_test(test_hostile_samples),
		cmocka_unit_test(test_hostile_files),
		cmocka_unit_test(test_arch),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
