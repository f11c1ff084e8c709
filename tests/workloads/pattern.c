// SPDX-License-Identifier: GPL-2.0-only
/*
 * pattern: a workload with a known time pattern, for heat-map and flame-graph tests.
 *
 *   pattern [SECONDS]     (default 10)
 *
 * It first sleeps to the next whole second S0 of CLOCK_MONOTONIC, then, with
 * second k counted from S0:
 *   startup_work()  spins during [S0, S0 + 1.5 s)              (busy start-up)
 *   band_work()     spins during seconds 4, 5 and 6            (a band)
 *   burst_work()    spins at subsecond offsets 400..460 ms of every second
 *                   from 2 on (also inside the band)            (bursts)
 * and sleeps otherwise, so the CPU is idle. It ends at S0 + SECONDS.
 * Each worker calls spin_leaf(), so stacks read e.g.
 *   main -> run_schedule -> band_work -> spin_leaf.
 * It prints "pattern: pid PID start S0 end S0+SECONDS (CLOCK_MONOTONIC seconds)"
 * on stderr: tests select its samples by pid (another test may run a pattern too).
 *
 * Clock: perf's cpu-clock samples are stamped with perf_clock() = local_clock()
 * (sched_clock). Checked on this machine (x86_64 KVM guest, kvm-clock, perf 6.1):
 * the first and last `perf script` timestamps of this program's samples agree
 * with its own CLOCK_MONOTONIC readings to within a sample period (~5 ms at
 * 199 Hz), and bursts land in rows 20..22 of a 50-row heat map, so whole
 * seconds of CLOCK_MONOTONIC are whole seconds of perf time here.
 * `perf record -k CLOCK_MONOTONIC` makes that exact where it is not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define NSEC	1000000000LL
#define MSEC	1000000LL

static volatile unsigned long sink;

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NSEC + ts.tv_nsec;
}

static void sleep_until(long long t)
{
	struct timespec ts = { .tv_sec = t / NSEC, .tv_nsec = t % NSEC };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL))
		;
}

/*
 * GCC omits the frame setup of a true leaf function even with
 * -fno-omit-frame-pointer, which hides its caller from perf's frame-pointer
 * unwinder; calling this once per slice keeps spin_leaf a non-leaf.
 */
__attribute__((noinline)) void spin_tick(unsigned long x)
{
	sink = x;
}

/* A slice of pure arithmetic (~50 us) between clock reads, so most samples land here. */
__attribute__((noinline)) void spin_leaf(void)
{
	unsigned long x = sink;

	for (int i = 0; i < 20000; i++)
		x = x * 6364136223846793005UL + 1442695040888963407UL;
	spin_tick(x);
}

__attribute__((noinline)) void startup_work(long long until)
{
	while (now_ns() < until)
		spin_leaf();
}

__attribute__((noinline)) void band_work(long long until)
{
	while (now_ns() < until)
		spin_leaf();
}

__attribute__((noinline)) void burst_work(long long until)
{
	while (now_ns() < until)
		spin_leaf();
}

/* One second, starting at s: band seconds spin around the burst, others sleep. */
__attribute__((noinline)) void run_second(long long s, int k)
{
	int band = k >= 4 && k <= 6;

	if (band)
		band_work(s + 400 * MSEC);
	else
		sleep_until(s + 400 * MSEC);
	burst_work(s + 460 * MSEC);
	if (band)
		band_work(s + NSEC);
	else
		sleep_until(s + NSEC);
}

__attribute__((noinline)) void run_schedule(long long s0, int seconds)
{
	startup_work(s0 + 1500 * MSEC);
	if (seconds > 1)
		sleep_until(s0 + NSEC + NSEC);	/* rest of second 1: idle */
	for (int k = 2; k < seconds; k++)
		run_second(s0 + k * NSEC, k);
}

int main(int argc, char **argv)
{
	int seconds = argc > 1 ? atoi(argv[1]) : 10;
	long long s0;

	if (seconds < 1 || seconds > 3600) {
		fprintf(stderr, "usage: pattern [SECONDS 1..3600]\n");
		return 2;
	}
	s0 = (now_ns() / NSEC + 1) * NSEC;
	fprintf(stderr, "pattern: pid %d start %lld end %lld (CLOCK_MONOTONIC seconds)\n",
		(int)getpid(), s0 / NSEC, s0 / NSEC + seconds);
	sleep_until(s0);
	run_schedule(s0, seconds);
	return 0;
}
