// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "perfmap.h"

/* perf's hex2u64(): strtoull's rules, returns the characters consumed. */
static size_t hex(const char *s, uint64_t *v)
{
	char *end;

	*v = strtoull(s, &end, 16);
	return (size_t)(end - s);
}

int fs_perfmap__parse(const char *path, fs_perfmap_cb cb, void *arg, struct fs_error *err)
{
	/*
	 * /tmp/perf-PID.map is anyone's to create: a FIFO or a device there
	 * must not hang or flood us. Opened without blocking, then only a
	 * regular file is read.
	 */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	char *line = NULL;
	struct stat st;
	size_t n = 0;
	ssize_t got;
	int nr = 0;
	FILE *f;

	if (fd < 0)
		return fs_error__set(err, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return fs_error__set(err, "%s: not a regular file", path);
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return fs_error__set(err, "%s: %s", path, strerror(errno));
	}
	while ((got = getline(&line, &n, f)) > 0) {
		size_t line_len = (size_t)got - 1, len;
		uint64_t start, size;

		line[line_len] = '\0';
		len = hex(line, &start) + 1;
		if (len + 2 >= line_len)
			continue;
		len += hex(line + len, &size) + 1;
		if (len + 2 >= line_len)
			continue;
		if (cb(arg, start, size, line + len, strlen(line + len))) {
			nr = -1;
			fs_error__set(err, "%s: out of memory", path);
			break;
		}
		nr++;
	}
	free(line);
	fclose(f);
	return nr;
}
