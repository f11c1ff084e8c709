// SPDX-License-Identifier: GPL-2.0-only
/*
 * dwarf_c: a C workload built without frame pointers (-O2
 * -fomit-frame-pointer) for `perf record --call-graph dwarf` tests.
 *
 *   dwarf_c [MS [few]]   (default 1000)
 *
 * For MS milliseconds of wall time, three threads spin through stacks that
 * only DWARF unwinding can walk:
 *   main -> run_main -> c_outer -> c_middle -> (inlined) c_mix -> c_leaf
 *   worker -> w_loop -> qsort (libc) -> cmp_slow (a callback under libc)
 *   worker -> w_loop -> lib_spin (libdwarf_lib.so) -> lib_leaf / lib_cb
 *   main -> run_main -> recurse x 12 -> c_leaf
 * and a SIGPROF handler (every 4 ms of CPU time) spins on top of whatever
 * it interrupts, so stacks cross a signal frame. Static helpers are
 * inlined and specialised (.constprop/.isra clones), which is where perf
 * prints "(inlined)" frames. Every loop reads the clock, so the vdso shows.
 * With "few", the workers spin in lib_spin only, without qsort's many
 * recursive call paths: a profile of a few distinct stacks.
 */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

unsigned long lib_spin(int n, unsigned long (*cb)(unsigned long));

static volatile unsigned long sink;
static long long deadline;
static int few;

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

__attribute__((noinline)) static unsigned long c_leaf(unsigned long x, int n)
{
	for (int i = 0; i < n; i++)
		x = x * 6364136223846793005UL + 1442695040888963407UL;
	return x;
}

/* Inlined into its callers: addr2line names it, perf prints "(inlined)". */
static inline unsigned long c_mix(unsigned long x)
{
	for (int i = 0; i < 3000; i++)
		x ^= (x << 13) ^ (x >> 7) ^ (unsigned long)i;
	return c_leaf(x, 2000);
}

__attribute__((noinline)) static unsigned long c_middle(unsigned long x, int unused)
{
	(void)unused;	/* a parameter GCC may drop: a .isra/.constprop clone */
	return c_mix(x) + 1;
}

__attribute__((noinline)) unsigned long c_outer(unsigned long x)
{
	return c_middle(x, 7) ^ c_middle(x + 1, 7);
}

__attribute__((noinline)) unsigned long recurse(unsigned long x, int depth)
{
	if (!depth)
		return c_leaf(x, 5000);
	return recurse(x * 3 + 1, depth - 1) + 1;
}

static int cmp_slow(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

	sink += c_leaf(x ^ y, 20);
	return x < y ? -1 : x > y;
}

static unsigned long lib_cb(unsigned long x)
{
	return c_leaf(x, 3000);
}

__attribute__((noinline)) static void w_loop(unsigned int seed)
{
	unsigned long v[128];

	for (int i = 0; i < 128; i++)
		v[i] = seed = seed * 1103515245u + 12345u;
	if (!few)
		qsort(v, 128, sizeof(v[0]), cmp_slow);
	sink += lib_spin(40000, lib_cb);
}

static void *worker(void *arg)
{
	unsigned int seed = (unsigned int)(unsigned long)arg;

	while (now_ms() < deadline)
		w_loop(seed++);
	return NULL;
}

static void on_prof(int sig)
{
	(void)sig;
	sink += c_leaf(sink, 20000);
}

__attribute__((noinline)) static void run_main(void)
{
	while (now_ms() < deadline) {
		sink += c_outer(sink);
		sink += recurse(sink, 12);
	}
}

int main(int argc, char **argv)
{
	struct itimerval it = { { 0, 4000 }, { 0, 4000 } };
	pthread_t t[2];

	deadline = now_ms() + (argc > 1 ? atol(argv[1]) : 1000);
	few = argc > 2 && !strcmp(argv[2], "few");
	signal(SIGPROF, on_prof);
	setitimer(ITIMER_PROF, &it, NULL);
	for (long i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, worker, (void *)(i + 1));
	run_main();
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	return 0;
}
