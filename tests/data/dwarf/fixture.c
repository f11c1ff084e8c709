// SPDX-License-Identifier: GPL-2.0-only
/*
 * The committed --call-graph dwarf fixture's workload: freestanding (no
 * libc), without frame pointers, with inlined functions, so perf can only
 * unwind it from .eh_frame and prints "(inlined)" frames from its DWARF.
 *   gcc -O2 -g -fomit-frame-pointer -nostdlib -static -Wl,--eh-frame-hdr \
 *       -DFX_LOOPS=N -o dwarf_fixture fixture.c   (by make-fixture.sh)
 */
static volatile unsigned long sink;

static inline __attribute__((always_inline)) void fx_mix(unsigned long i)
{
	sink += i * 2654435761u;
}

__attribute__((noinline)) void fx_leaf(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		fx_mix(i);
}

static inline __attribute__((always_inline)) void fx_step(unsigned long n)
{
	fx_leaf(n);
	sink ^= n;
}

__attribute__((noinline)) void fx_middle(unsigned long n)
{
	fx_step(n);
	__asm__ volatile("" ::: "memory");	/* no tail call: keep fx_middle on the stack */
}

__attribute__((noinline)) void fx_other(void)
{
	for (unsigned long i = 0; i < 50000; i++)
		sink ^= i;
}

__attribute__((noinline)) void fx_outer(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		fx_middle(100000);
		fx_other();
	}
	__asm__ volatile("" ::: "memory");
}

void _start(void)
{
	/* the outermost frame: its caller is undefined, as glibc's _start says */
	__asm__ volatile(".cfi_undefined rip");
	fx_outer(FX_LOOPS);
	__asm__ volatile("mov $60, %%eax; xor %%edi, %%edi; syscall" ::: "rax", "rdi", "memory");
	__builtin_unreachable();
}
