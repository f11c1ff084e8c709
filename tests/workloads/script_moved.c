// SPDX-License-Identifier: GPL-2.0-only
/*
 * script_moved: spins in known functions for MS ms (default 500). The test
 * records a copy of it and then deletes that copy, so its symbols can only
 * come from the build-id cache perf record filled.
 */
#include <stdlib.h>
#include <time.h>

static volatile unsigned long sink;

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

__attribute__((noinline)) void moved_leaf(void)
{
	for (int i = 0; i < 100000; i++)
		sink += i;
}

__attribute__((noinline)) void moved_caller(void)
{
	moved_leaf();
}

int main(int argc, char **argv)
{
	long long end = now_ms() + (argc > 1 ? atoll(argv[1]) : 500);

	while (now_ms() < end)
		moved_caller();
	return 0;
}
