// SPDX-License-Identifier: GPL-2.0-only
/*
 * script_fp: a frame-pointer workload for `flamescope script` tests, with
 * known functions and the process events the session must follow.
 *
 *   script_fp [MS]   (default 600)
 *
 * For MS milliseconds of wall time it runs, at once:
 *   main -> run_all -> outer_work -> middle_work -> inner_leaf  (spins)
 *   a thread:   thread_main -> thread_work -> flamescope::worker::spin()
 *               (same process; a C++-mangled name, made in C with an asm
 *               label, for the demangling checks; it spins as inner_leaf)
 *   a child:    fork, renamed by exec ("script_fp child" re-executes itself
 *               with argv[1] = "child"): child_main -> child_work -> inner_leaf
 *   x86_64:     jit_work calls code copied into an anonymous executable
 *               mapping, which perf names /tmp/perf-PID.map
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile unsigned long sink;
static long long deadline;

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

__attribute__((noinline)) void inner_leaf(void)
{
	for (int i = 0; i < 100000; i++)
		sink += i;
}

__attribute__((noinline)) void middle_work(void)
{
	inner_leaf();
}

__attribute__((noinline)) void outer_work(void)
{
	middle_work();
}

void cxx_spin(void) __asm__("_ZN10flamescope6worker4spinEv");

__attribute__((noinline)) void cxx_spin(void)
{
	for (int i = 0; i < 100000; i++)
		sink += i;
}

__attribute__((noinline)) void thread_work(void)
{
	cxx_spin();
}

static void *thread_main(void *arg)
{
	(void)arg;
	while (now_ms() < deadline)
		thread_work();
	return NULL;
}

__attribute__((noinline)) void child_work(void)
{
	inner_leaf();
}

static int child_main(long long end)
{
	deadline = end;
	while (now_ms() < deadline)
		child_work();
	return 0;
}

#ifdef __x86_64__
/* mov ecx, 0x100000; 1: dec ecx; jnz 1b; ret */
static const unsigned char jit_code[] = { 0xb9, 0x00, 0x00, 0x10, 0x00, 0xff, 0xc9, 0x75, 0xfc, 0xc3 };

__attribute__((noinline)) void jit_work(void (*fn)(void))
{
	fn();
}
#endif

__attribute__((noinline)) void run_all(void)
{
#ifdef __x86_64__
	void *jit = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (jit != MAP_FAILED)
		memcpy(jit, jit_code, sizeof(jit_code));
	else
		jit = NULL;
#endif
	while (now_ms() < deadline) {
		outer_work();
#ifdef __x86_64__
		if (jit)
			jit_work((void (*)(void))jit);
#endif
	}
}

int main(int argc, char **argv)
{
	long long ms = argc > 1 ? atoll(argv[1]) : 600;
	char end[32];
	pthread_t th;
	pid_t pid;

	if (argc > 2 && !strcmp(argv[1], "child"))
		return child_main(atoll(argv[2]));
	deadline = now_ms() + ms;
	snprintf(end, sizeof(end), "%lld", deadline);
	pid = fork();
	if (pid == 0) {
		execl("/proc/self/exe", "script_fp", "child", end, (char *)NULL);
		_exit(child_main(deadline));
	}
	if (pthread_create(&th, NULL, thread_main, NULL) == 0) {
		run_all();
		pthread_join(th, NULL);
	} else {
		run_all();
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
	return 0;
}
