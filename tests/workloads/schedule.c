// SPDX-License-Identifier: GPL-2.0-only
/*
 * schedule: processes that load the CPU on a known schedule, for the
 * finder's tests and evaluation (flamescope find).
 *
 *   schedule [-d SECONDS] [-t TRUTH.json] NAME:ITEM[;ITEM...] ...
 *
 * Each NAME:... is a child process named NAME (its comm). Items, times in
 * seconds from the start S0 (the second whole second of CLOCK_MONOTONIC after
 * launch, so every child is ready), durations of bursts in milliseconds:
 *   startup=D       busy in startup_work during [0, D)
 *   spike=A,D       busy in spike_work during [A, A + D)
 *   tail=D          busy in tail_work during the last D seconds
 *   band=P,D[,S]    busy in band_work every P s for D s, from S (default 0)
 *   burst=O,L[,F,T] busy in burst_work at +O ms for L ms of every second
 *                   from F to T (default: all)
 *   shift=A,F       from A on, busy in shift_work a fraction F of the time
 *   noise=F         busy in noise_work a fraction F of the time
 * A busy item wins over the ones after it in this list. The fractions are
 * random 4 ms slots (a fixed seed per process). Every worker spins in
 * spin_leaf, so stacks read main -> run -> band_work -> spin_leaf.
 *
 * The truth goes to TRUTH.json: {"start": S0 (CLOCK_MONOTONIC seconds),
 * "duration": D, "procs": [{"name", "pid", "items": [{"kind", ...}]}]}; record
 * with `perf record -k CLOCK_MONOTONIC` so sample times are on that clock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NSEC	1000000000LL
#define MSEC	1000000LL
#define SLOT	(4 * MSEC)
#define MAX_ITEMS 16
#define MAX_PROCS 8

enum kind { STARTUP, SPIKE, TAIL, BAND, BURST, SHIFT, NOISE };

static const char *const kind_names[] = { "startup", "spike", "tail", "band", "burst", "shift", "noise" };

struct item {
	enum kind kind;
	double a[4];			/* the item's numbers as given */
	int n;
};

struct proc {
	char name[16];
	struct item items[MAX_ITEMS];
	int nr;
	pid_t pid;
};

static volatile unsigned long sink;
static long long s0, total;

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

/* Keeps spin_leaf a non-leaf, so frame-pointer unwinding sees its caller. */
__attribute__((noinline)) void spin_tick(unsigned long x)
{
	sink = x;
}

__attribute__((noinline)) void spin_leaf(void)
{
	unsigned long x = sink;

	for (int i = 0; i < 20000; i++)
		x = x * 6364136223846793005UL + 1442695040888963407UL;
	spin_tick(x);
}

#define WORKER(name) \
	__attribute__((noinline)) void name(long long until) \
	{ \
		while (now_ns() < until) \
			spin_leaf(); \
	}

WORKER(startup_work)
WORKER(spike_work)
WORKER(tail_work)
WORKER(band_work)
WORKER(burst_work)
WORKER(shift_work)
WORKER(noise_work)

static void (*const workers[])(long long) = {
	startup_work, spike_work, tail_work, band_work, burst_work, shift_work, noise_work,
};

/* Whether a busy item is on at t (ns from s0), and when that next changes. */
static int busy_at(const struct item *it, long long t, long long *next)
{
	long long a, b, p;

	switch (it->kind) {
	case STARTUP:
		a = 0, b = (long long)(it->a[0] * NSEC);
		break;
	case SPIKE:
		a = (long long)(it->a[0] * NSEC), b = a + (long long)(it->a[1] * NSEC);
		break;
	case TAIL:
		a = total - (long long)(it->a[0] * NSEC), b = total;
		break;
	case BAND: {
		long long from = it->n > 2 ? (long long)(it->a[2] * NSEC) : 0, k;

		p = (long long)(it->a[0] * NSEC);
		if (t < from) {
			a = from, b = from + (long long)(it->a[1] * NSEC);
			break;
		}
		k = (t - from) / p;
		a = from + k * p, b = a + (long long)(it->a[1] * NSEC);
		if (t >= b)
			a += p, b += p;
		break;
	}
	case BURST: {
		long long off = (long long)(it->a[0] * MSEC), len = (long long)(it->a[1] * MSEC);
		long long from = it->n > 2 ? (long long)(it->a[2] * NSEC) : 0;
		long long to = it->n > 3 ? (long long)(it->a[3] * NSEC) : total;

		/* the bursts of the seconds around t, then the first one at or after from */
		for (long long k = t / NSEC - 1; k <= t / NSEC + 1; k++) {
			a = k * NSEC + off, b = a + len;
			if (a < from || a >= to || t >= b)
				continue;
			if (t < a) {
				*next = a < *next ? a : *next;
				return 0;
			}
			*next = b < *next ? b : *next;
			return 1;
		}
		if (t < from) {
			a = (from - off + NSEC - 1) / NSEC * NSEC + off;
			if (a < to && a < *next)
				*next = a;
		}
		return 0;
	}
	default:
		return 0;
	}
	if (t < a) {
		*next = a < *next ? a : *next;
		return 0;
	}
	if (t < b) {
		*next = b < *next ? b : *next;
		return 1;
	}
	return 0;
}

/* A fixed pseudo-random number in [0, 1) per (process, slot). */
static double slot_random(unsigned long seed, long long slot)
{
	unsigned long long x = seed * 0x9e3779b97f4a7c15ULL + (unsigned long long)slot;

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return (x >> 11) * (1.0 / 9007199254740992.0);
}

static double fraction(const struct proc *pr, enum kind kind, long long t)
{
	double f = 0;

	for (int i = 0; i < pr->nr; i++)
		if (pr->items[i].kind == kind && (kind != SHIFT || t >= pr->items[i].a[0] * NSEC))
			f += pr->items[i].a[kind == SHIFT ? 1 : 0];
	return f;
}

__attribute__((noinline)) void run(const struct proc *pr, unsigned long seed)
{
	for (;;) {
		long long t = now_ns() - s0, next = total, slot_end;
		int busy = -1;
		double u, fs, fn;

		if (t >= total)
			return;
		for (int k = STARTUP; k <= BURST && busy < 0; k++)
			for (int i = 0; i < pr->nr; i++)
				if ((int)pr->items[i].kind == k && busy_at(&pr->items[i], t, &next)) {
					busy = k;
					break;
				}
		/* the next change of any busy item bounds this step too */
		for (int i = 0; i < pr->nr; i++)
			busy_at(&pr->items[i], t, &next);
		if (busy >= 0) {
			workers[busy](s0 + next);
			continue;
		}
		slot_end = (t / SLOT + 1) * SLOT;
		if (slot_end < next)
			next = slot_end;
		u = slot_random(seed, t / SLOT);
		fs = fraction(pr, SHIFT, t);
		fn = fraction(pr, NOISE, t);
		if (u < fs)
			shift_work(s0 + next);
		else if (u < fs + fn)
			noise_work(s0 + next);
		else
			sleep_until(s0 + next);
	}
}

static int parse_proc(const char *spec, struct proc *pr)
{
	const char *colon = strchr(spec, ':');
	char *copy, *save = NULL;

	if (!colon || colon == spec || colon - spec >= (long)sizeof(pr->name))
		return -1;
	memset(pr, 0, sizeof(*pr));
	memcpy(pr->name, spec, colon - spec);
	copy = strdup(colon + 1);
	for (char *tok = strtok_r(copy, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
		char *eq = strchr(tok, '='), *num;
		struct item *it = &pr->items[pr->nr];
		int k;

		if (!eq || pr->nr == MAX_ITEMS)
			goto bad;
		*eq = '\0';
		for (k = 0; k <= NOISE && strcmp(tok, kind_names[k]); k++)
			;
		if (k > NOISE)
			goto bad;
		it->kind = k;
		for (num = strtok(eq + 1, ","); num && it->n < 4; num = strtok(NULL, ","))
			it->a[it->n++] = atof(num);
		if (!it->n || (k == BAND && (it->n < 2 || it->a[0] <= 0)) ||
		    ((k == SPIKE || k == BURST || k == SHIFT) && it->n < 2))
			goto bad;
		pr->nr++;
	}
	free(copy);
	return 0;
bad:
	free(copy);
	return -1;
}

static void write_truth(const char *path, const struct proc *procs, int n, double seconds)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		perror(path);
		exit(1);
	}
	fprintf(f, "{\"start\": %lld, \"duration\": %g, \"procs\": [", s0 / NSEC, seconds);
	for (int p = 0; p < n; p++) {
		fprintf(f, "%s\n  {\"name\": \"%s\", \"pid\": %d, \"items\": [", p ? "," : "",
			procs[p].name, (int)procs[p].pid);
		for (int i = 0; i < procs[p].nr; i++) {
			const struct item *it = &procs[p].items[i];

			fprintf(f, "%s{\"kind\": \"%s\", \"args\": [", i ? ", " : "", kind_names[it->kind]);
			for (int k = 0; k < it->n; k++)
				fprintf(f, "%s%g", k ? ", " : "", it->a[k]);
			fprintf(f, "], \"function\": \"%s_work\"}", kind_names[it->kind]);
		}
		fputs("]}", f);
	}
	fputs("\n]}\n", f);
	fclose(f);
}

int main(int argc, char **argv)
{
	struct proc procs[MAX_PROCS];
	const char *truth = NULL;
	double seconds = 10;
	int opt, n = 0;

	while ((opt = getopt(argc, argv, "d:t:")) != -1) {
		if (opt == 'd')
			seconds = atof(optarg);
		else if (opt == 't')
			truth = optarg;
		else
			goto usage;
	}
	for (; optind < argc && n < MAX_PROCS; optind++)
		if (parse_proc(argv[optind], &procs[n++]))
			goto usage;
	if (!n || optind < argc || !(seconds > 0 && seconds <= 86400))
		goto usage;
	total = (long long)(seconds * NSEC);
	s0 = (now_ns() / NSEC + 2) * NSEC;
	for (int p = 0; p < n; p++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (!pid) {
			unsigned long seed = 0;

			prctl(PR_SET_NAME, procs[p].name);
			for (const char *c = procs[p].name; *c; c++)
				seed = seed * 131 + (unsigned char)*c;
			sleep_until(s0);
			run(&procs[p], seed);
			_exit(0);
		}
		procs[p].pid = pid;
	}
	if (truth)
		write_truth(truth, procs, n, seconds);
	while (wait(NULL) > 0)
		;
	return 0;
usage:
	fprintf(stderr, "usage: schedule [-d SECONDS] [-t TRUTH.json] NAME:ITEM[;ITEM...] ...\n"
		"  items: startup=D spike=A,D tail=D band=P,D[,S] burst=O_MS,L_MS[,F,T] shift=A,F noise=F\n");
	return 2;
}
