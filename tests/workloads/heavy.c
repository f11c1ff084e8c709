// SPDX-License-Identifier: GPL-2.0-only
/*
 * heavy: the heavy-profile workload of scripts/bench-heavy.sh: deep kernel
 * stacks from syscalls, page faults and file I/O beside user spinning, so a
 * `perf record -a -g` of it has the shape of a busy server (long callchains,
 * many processes), not of a lone spinning loop.
 *
 *   heavy [MS [DIR]]   (default 2000 ms, files in the current directory)
 *
 * For MS milliseconds it runs five processes, each under its own name:
 *   heavy-spin:  a 32-deep user recursion that spins at its leaf;
 *   heavy-sys:   small-file syscalls: open, write, fstat, read, rename, unlink;
 *   heavy-fault: maps 32 MiB, touches every page (page faults), unmaps it;
 *   heavy-io:    writes 4 MiB with fsync, drops it from the page cache, reads it back;
 *   heavy-pipe:  a pipe ping-pong with a forked partner (wakeups, scheduling).
 * Each removes its files before it exits.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile unsigned long sink;
static long long deadline;
static const char *dir = ".";

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void path(char *buf, size_t size, const char *what)
{
	snprintf(buf, size, "%s/heavy.%d.%s", dir, (int)getpid(), what);
}

__attribute__((noinline)) static void spin_leaf(void)
{
	for (int i = 0; i < 200000; i++)
		sink += (unsigned long)i * 7;
}

__attribute__((noinline)) static void spin_deep(int depth)
{
	if (depth)
		spin_deep(depth - 1);
	else
		spin_leaf();
	sink++;
}

static void spin(void)
{
	while (now_ms() < deadline)
		spin_deep(32);
}

static void small_files(void)
{
	char a[256], b[256], buf[4096];
	struct stat st;

	path(a, sizeof(a), "sys");
	path(b, sizeof(b), "sys2");
	memset(buf, 'x', sizeof(buf));
	while (now_ms() < deadline) {
		int fd = open(a, O_CREAT | O_RDWR | O_TRUNC, 0600);

		if (fd < 0)
			return;
		for (int i = 0; i < 4; i++)
			if (write(fd, buf, sizeof(buf)) < 0)
				break;
		fstat(fd, &st);
		lseek(fd, 0, SEEK_SET);
		while (read(fd, buf, sizeof(buf)) > 0)
			;
		close(fd);
		rename(a, b);
		unlink(b);
	}
}

static void faults(void)
{
	size_t len = 32u << 20;

	while (now_ms() < deadline) {
		char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			return;
		for (size_t i = 0; i < len; i += 4096)
			p[i] = (char)i;
		munmap(p, len);
	}
}

static void file_io(void)
{
	size_t chunk = 64u << 10, total = 4u << 20;
	char f[256], *buf = malloc(chunk);

	if (!buf)
		return;
	memset(buf, 'y', chunk);
	path(f, sizeof(f), "io");
	while (now_ms() < deadline) {
		int fd = open(f, O_CREAT | O_RDWR | O_TRUNC, 0600);

		if (fd < 0)
			break;
		for (size_t done = 0; done < total; done += chunk)
			if (write(fd, buf, chunk) < 0)
				break;
		fsync(fd);
		posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
		lseek(fd, 0, SEEK_SET);
		while (read(fd, buf, chunk) > 0)
			;
		close(fd);
	}
	unlink(f);
	free(buf);
}

static void pipes(void)
{
	int ab[2], ba[2];
	char c = 0;
	pid_t partner;

	if (pipe(ab) || pipe(ba))
		return;
	partner = fork();
	if (partner == 0) {
		close(ab[1]);	/* else our own copy keeps the EOF from coming */
		close(ba[0]);
		while (read(ab[0], &c, 1) == 1 && write(ba[1], &c, 1) == 1)
			;
		_exit(0);
	}
	close(ab[0]);
	close(ba[1]);
	while (now_ms() < deadline)
		if (write(ab[1], &c, 1) != 1 || read(ba[0], &c, 1) != 1)
			break;
	close(ab[1]);	/* the partner reads EOF and exits */
	close(ba[0]);
	if (partner > 0)
		waitpid(partner, NULL, 0);
}

static const struct job {
	const char *name;
	void (*fn)(void);
} jobs[] = {
	{ "heavy-spin", spin }, { "heavy-sys", small_files }, { "heavy-fault", faults },
	{ "heavy-io", file_io }, { "heavy-pipe", pipes },
};

int main(int argc, char **argv)
{
	long ms = argc > 1 ? atol(argv[1]) : 2000;
	size_t n = sizeof(jobs) / sizeof(jobs[0]);
	int status = 0;

	if (argc > 2)
		dir = argv[2];
	deadline = now_ms() + ms;
	for (size_t i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("heavy: fork");
			return 1;
		}
		if (pid == 0) {
			prctl(PR_SET_NAME, jobs[i].name);
			jobs[i].fn();
			_exit(0);
		}
	}
	for (size_t i = 0; i < n; i++) {
		int st;

		if (wait(&st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
			status = 1;
	}
	printf("%lu\n", sink);
	return status;
}
