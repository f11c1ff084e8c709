// SPDX-License-Identifier: GPL-2.0-only
/*
 * The committed script fixture's workload: freestanding (no libc), so the
 * fixture's build-id cache needs only this small binary and the kernel.
 *   gcc -O1 -fno-omit-frame-pointer -fno-inline -nostdlib -static -DFX_LOOPS=3500 \
 *       -o script_fixture fixture.c   (by make-fixture.sh)
 */
static volatile unsigned long sink;

__attribute__((noinline)) void fx_leaf(void)
{
	for (unsigned long i = 0; i < 100000; i++)
		sink += i;
}

__attribute__((noinline)) void fx_middle(void)
{
	fx_leaf();
}

__attribute__((noinline)) void fx_other(void)
{
	for (unsigned long i = 0; i < 50000; i++)
		sink ^= i;
}

__attribute__((noinline)) void fx_outer(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		fx_middle();
		fx_other();
	}
}

void _start(void)
{
	fx_outer(FX_LOOPS);
	__asm__ volatile("mov $60, %%eax; xor %%edi, %%edi; syscall" ::: "rax", "rdi", "memory");
	__builtin_unreachable();
}
