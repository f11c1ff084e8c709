// SPDX-License-Identifier: GPL-2.0-only
/*
 * tp_block: a workload for the tracepoint tests. It blocks in known places,
 * so sched_switch, sched_wakeup, sched_process_exec and sys_enter_openat all
 * fire with frame-pointer stacks under main:
 *
 *   tp_block [ROUNDS]   (default 5)
 *
 * Each round: sleep_a_while (nanosleep 20 ms, state S), read_files (openat
 * and read of a few files), spawn_true (fork, exec /bin/true, wait), and
 * a pipe handshake with a child that sleeps before answering (a wait whose
 * length the off-CPU view must show).
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile unsigned long sink;

__attribute__((noinline)) static void sleep_a_while(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

__attribute__((noinline)) static void read_files(void)
{
	static const char *const files[] = { "/etc/passwd", "/etc/hostname", "/proc/self/stat" };
	char buf[4096];

	for (unsigned int i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		int fd = open(files[i], O_RDONLY);
		ssize_t n;

		if (fd < 0)
			continue;
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			sink += buf[0] + n;
		close(fd);
	}
}

__attribute__((noinline)) static void spawn_true(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

__attribute__((noinline)) static void wait_for_child(void)
{
	int fds[2];
	char c = 0;
	pid_t pid;

	if (pipe(fds))
		return;
	pid = fork();
	if (pid == 0) {
		sleep_a_while(10);
		if (write(fds[1], "x", 1) < 0)
			_exit(1);
		_exit(0);
	}
	if (pid > 0) {
		if (read(fds[0], &c, 1) > 0)
			sink += c;
		waitpid(pid, NULL, 0);
	}
	close(fds[0]);
	close(fds[1]);
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 5;

	for (int i = 0; i < rounds; i++) {
		sleep_a_while(20);
		read_files();
		spawn_true();
		wait_for_child();
	}
	return 0;
}
